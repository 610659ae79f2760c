// Every code is documented with its severity and titles; every message exists in both languages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CODES } from '../../../src/core/dataset/codes';
import { messageIds, t, type MessageId } from '../../../src/core/dataset/messages';

/** Rows of the table in docs/dataset-checks.md: code → [severity, English title, Chinese title]. */
function documented(): Map<string, string[]> {
  const rows = readFileSync('docs/dataset-checks.md', 'utf8').split('\n').filter((l) => /^\| FT\d{3} \|/.test(l));
  return new Map(rows.map((r) => {
    const cells = r.split('|').slice(1, -1).map((c) => c.trim());
    return [cells[0]!, cells.slice(1, 4)];
  }));
}

describe('catalogue', () => {
  it('docs/dataset-checks.md lists every code with the severity and titles of src/core/dataset/codes.ts', () => {
    const docs = documented();
    for (const [code, info] of Object.entries(CODES)) {
      assert.deepEqual(docs.get(code), [info.severity, info.title.en, info.title['zh-cn']], code);
    }
    const undocumented = [...docs.keys()].filter((c) => !(c in CODES));
    assert.deepEqual(undocumented, []);
  });

  it('every message has English and Chinese text, different from each other', () => {
    const params = new Proxy({}, { get: (_, key) => (key === 'count' || key === 'line' ? 3 : `<${String(key)}>`) });
    for (const id of messageIds()) {
      const en = t('en', id as MessageId, params as never);
      const zh = t('zh-cn', id as MessageId, params as never);
      assert.ok(en.length > 3 && zh.length > 2, id);
      assert.notEqual(en, zh, id);
      assert.ok(!/undefined|NaN/.test(en + zh), `${id}: ${en} / ${zh}`);
      assert.ok(/[\u4e00-\u9fff]/.test(zh) || /^<.*>$/.test(zh), `${id} has Chinese: ${zh}`);
    }
  });
});
