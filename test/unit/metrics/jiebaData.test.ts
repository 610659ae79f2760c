// The committed jieba data (assets/jieba/jieba-0.42.1.txt.br, unpacked into dist/jieba/ by the build) equals
// Debian's python3-jieba 0.42.1: the file scripts/jieba-data.py writes from it, and, once loaded, every entry of
// Python's prefix dictionary (words and prefixes with their frequencies), the total and the HMM tables.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { B, E, M, S, MIN_FLOAT, findJiebaData, loadJiebaData, parseJiebaData, JiebaDataError } from '../../../src/core/metrics/jiebaData';
import { PYTHON, requirePythonReference } from './reference';

const ASSET = 'assets/jieba/jieba-0.42.1.txt.br';

describe('jieba data', () => {
  it('is what scripts/jieba-data.py writes from Debian\'s python3-jieba, byte for byte', () => {
    requirePythonReference();
    const fresh = spawnSync(PYTHON, ['scripts/jieba-data.py'], { maxBuffer: 64 << 20 });
    assert.equal(fresh.status, 0, String(fresh.stderr));
    const committed = brotliDecompressSync(readFileSync(ASSET));
    assert.ok(committed.equals(fresh.stdout), 'assets/jieba differs from Debian\'s jieba: run node scripts/jieba-data.mjs');
    // The build's copy too.
    const built = findJiebaData(process.cwd());
    assert.ok(built?.endsWith('dist/jieba/jieba-0.42.1.txt'), `built data at ${built}`);
    assert.ok(readFileSync(built!).equals(committed), 'dist/jieba differs from assets/jieba: rebuild');
  });

  it('loads into exactly Python jieba\'s FREQ, total and HMM tables', async () => {
    requirePythonReference();
    const dump = spawnSync(PYTHON, ['-c', `
import json, sys, jieba, jieba.finalseg as f
jieba.setLogLevel(60)
freq, total = jieba.Tokenizer.gen_pfdict(jieba.get_module_res(jieba.DEFAULT_DICT_NAME))
json.dump({"freq": freq, "total": total, "start": f.start_P, "trans": f.trans_P, "emit": f.emit_P}, sys.stdout)
`], { maxBuffer: 256 << 20, encoding: 'utf8' });
    assert.equal(dump.status, 0, dump.stderr);
    const py = JSON.parse(dump.stdout) as {
      freq: Record<string, number>; total: number;
      start: Record<string, number>; trans: Record<string, Record<string, number>>; emit: Record<string, Record<string, number>>;
    };
    const data = await loadJiebaData();
    assert.equal(data.total, py.total);
    const ours = new Map(data.entries());
    const theirs = Object.entries(py.freq);
    assert.equal(ours.size, theirs.length, 'number of prefixes');
    for (const [word, f] of theirs) assert.equal(ours.get(word), f, word);
    assert.equal(data.nodes, theirs.length + 1);
    const index = { B, M, E, S } as Record<string, number>;
    for (const [s, p] of Object.entries(py.start)) assert.equal(data.start[index[s]!], p);
    for (const [from, row] of Object.entries(py.trans)) {
      for (const to of 'BMES') assert.equal(data.trans[index[from]! * 4 + index[to]!], row[to] ?? MIN_FLOAT, `${from}→${to}`);
    }
    for (const [s, table] of Object.entries(py.emit)) {
      const ours = data.emit[index[s]!]!;
      let present = 0;
      for (let c = 0; c < 0x10000; c++) if (ours[c] !== MIN_FLOAT) present++;
      assert.equal(present, Object.keys(table).length, `emit ${s} size`);
      for (const [ch, p] of Object.entries(table)) assert.equal(ours[ch.charCodeAt(0)], p, `emit ${s} ${ch}`);
    }
  });

  it('rejects damaged data with the line at fault', () => {
    const text = brotliDecompressSync(readFileSync(ASSET)).toString('utf8');
    assert.throws(() => parseJiebaData(text.replace('jieba\t0.42.1', 'jieba\t0.39')), /line 1: expected jieba 0.42.1/);
    assert.throws(() => parseJiebaData(text.slice(0, text.length / 2)), JiebaDataError);
    assert.throws(() => parseJiebaData(text.replace('\nlogs\t', '\nlogz\t')), /expected 'logs'/);
  });
});
