import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTexts } from '../../webview/common/texts';

describe('webview texts', () => {
  it('shows the key until the host sends its strings, then the translation', () => {
    const s = makeTexts();
    assert.equal(s.t('shown'), 'shown');
    s.set({ shown: '显示 {1} 行中的 {0} 行' });
    assert.equal(s.t('shown'), '显示 {1} 行中的 {0} 行');
    assert.equal(s.t('missing'), 'missing');
  });

  it('fills {0}, {1}… in the translation’s own order, a missing value as empty', () => {
    const s = makeTexts();
    s.set({ shown: '显示 {1} 行中的 {0} 行', attempt: 'attempt {0} from step {1}{2}' });
    assert.equal(s.fill('shown', 3, 10), '显示 10 行中的 3 行');
    assert.equal(s.fill('attempt', 2, '300'), 'attempt 2 from step 300');
  });
});
