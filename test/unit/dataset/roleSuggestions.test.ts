// Role suggestions are remembered per role set (a file repeats its wrong roles): asked again, or for another
// format's roles, the answer is the one worked out afresh.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TAGS, OPENAI_ROLES, shareGptRoles, suggestRole } from '../../../src/core/dataset/formats/roles';

describe('suggestRole, remembered', () => {
  const sharegpt = shareGptRoles(DEFAULT_TAGS);
  const renamed = shareGptRoles({ ...DEFAULT_TAGS, assistant: 'bot_reply' });

  it('gives the same answer every time, and each role set its own', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(suggestRole('asistant', OPENAI_ROLES), 'assistant');
      assert.equal(suggestRole('asistant', sharegpt), 'gpt');
      assert.equal(suggestRole('asistant', renamed), 'bot_reply');
      assert.equal(suggestRole('Human', OPENAI_ROLES), 'user');
      assert.equal(suggestRole('zzzzzz', OPENAI_ROLES), undefined);
    }
  });

  it('keeps answering right past the number it remembers', () => {
    for (let i = 0; i < 400; i++) assert.equal(suggestRole(`unknown-role-${i}`, OPENAI_ROLES), undefined);
    assert.equal(suggestRole('usr', OPENAI_ROLES), 'user');
    assert.equal(suggestRole('gtp', sharegpt), 'gpt');
  });
});
