import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth } from '../../../src/cli/displayWidth';

test('displayWidth: CJK characters and fullwidth forms take two columns', () => {
  assert.equal(displayWidth('loss'), 4);
  assert.equal(displayWidth('训练 loss'), 9);
  assert.equal(displayWidth('（１）'), 6);
  assert.equal(displayWidth(''), 0);
});
