// Every user-facing string exists in English and Chinese.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { read, sourceFiles } from './sourceFiles';

const json = (file: string) => JSON.parse(read(file)) as Record<string, string>;

/** The first argument of each `l10n.t('...')` call in the extension-host sources. */
export function l10nStrings(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles('src', /\.ts$/)) {
    for (const m of read(file).matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) found.add(m[1]!.replace(/\\'/g, "'"));
  }
  return found;
}

describe('localisation', () => {
  it('package.nls.zh-cn.json has every key of package.nls.json, and no others', () => {
    assert.deepEqual(Object.keys(json('package.nls.zh-cn.json')).sort(), Object.keys(json('package.nls.json')).sort());
  });

  it('every %key% in package.json is defined', () => {
    const keys = [...read('package.json').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
    assert.ok(keys.length > 10);
    const defined = json('package.nls.json');
    assert.deepEqual(keys.filter((k) => !(k in defined)), []);
  });

  it('every vscode.l10n.t string has a Chinese translation, and the bundle has no stale entries', () => {
    const used = l10nStrings();
    assert.ok(used.size > 10, 'the extractor found the strings');
    const bundle = json('l10n/bundle.l10n.zh-cn.json');
    assert.deepEqual([...used].filter((s) => !(s in bundle)), [], 'missing in l10n/bundle.l10n.zh-cn.json');
    assert.deepEqual(Object.keys(bundle).filter((s) => !used.has(s)), [], 'stale in l10n/bundle.l10n.zh-cn.json');
  });

  it('translations keep their {0} placeholders and are not left in English', () => {
    const bundle = json('l10n/bundle.l10n.zh-cn.json');
    for (const [en, zh] of Object.entries(bundle)) {
      const holes = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(holes(zh), holes(en), `placeholders of "${en}"`);
      // Chinese characters or full-width punctuation; a few terms (P95, token) stay as they are.
      assert.match(zh, /[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/, `"${en}" looks untranslated: "${zh}"`);
    }
  });
});
