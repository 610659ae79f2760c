// A big JSONL file linted by worker threads in chunks (src/cli/lintInWorkers.ts) gives exactly the findings of one
// thread reading the whole file: duplicates across chunks, overlaps with another file, broken lines, the end.
// Needs the build first (dist/workers/lintLines.js): `node esbuild.mjs --tests`.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintInWorkers } from '../../../src/cli/lintInWorkers';
import { DatasetLinter } from '../../../src/core/dataset/checks/linter';
import { Utf8LineSplitter } from '../../../src/core/dataset/parsing/utf8Lines';
import type { LintOptions, LintResult } from '../../../src/core/dataset/types';

const SCRIPT = resolve('dist/workers/lintLines.js');
const tmp = mkdtempSync(join(tmpdir(), 'lint-workers-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const chat = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

/** Samples with copies, near copies and conflicts far apart (in other chunks), and broken lines of every kind. */
function dataset(n: number, ending: string): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const earlier = (i * 7919) % Math.max(1, i);
    let line = chat(`第${i}问：头痛怎么办？`, `第${i}答：生姜三片。`);
    if (i % 97 === 5) line = chat(`第${earlier}问：头痛怎么办？`, `第${earlier}答：生姜三片。`);
    else if (i % 97 === 9) line = chat(`第${earlier}问：头痛怎么办？ `, `第${earlier}答：生姜三片。`.toUpperCase() + ' ');
    else if (i % 97 === 13) line = chat(`第${earlier}问：头痛怎么办？`, '另一个答案');
    else if (i % 211 === 3) line = '{"broken": ';
    else if (i % 307 === 4) line = '';
    else if (i % 401 === 6) line = JSON.stringify({ instruction: `问${i}`, output: `答${i}` });
    else if (i % 503 === 8) line = JSON.stringify({ messages: [{ role: 'assitant', content: 'x' }] }) + '\r';
    parts.push(Buffer.from(line));
    if (i % 601 === 10) parts.push(Buffer.from([0xc4, 0xe3]));
    if (i < n - 1) parts.push(Buffer.from('\n'));
  }
  parts.push(Buffer.from(ending));
  return Buffer.concat(parts);
}

function inOneThread(bytes: Buffer, options: LintOptions): LintResult {
  const linter = new DatasetLinter(options);
  const splitter = new Utf8LineSplitter((text, line, decode) => linter.push(text, line, decode));
  splitter.push(bytes);
  return linter.finish(splitter.end());
}

describe('lint in worker threads', () => {
  for (const [ending, label] of [['\n', 'a final line break'], ['', 'no final line break']] as const) {
    it(`gives the same findings as one thread, chunk by chunk (${label})`, async () => {
      const bytes = dataset(6000, ending);
      const file = join(tmp, `train${ending.length}.jsonl`);
      writeFileSync(file, bytes);
      const evalText = [chat('第12问：头痛怎么办？', '第12答：生姜三片。'), chat('第40问：头痛怎么办？', '别的'), chat('新问题', '新答案')].join('\n') + '\n';
      const overlapWith = [{ file: 'eval.jsonl', keys: keysOf(evalText) }];
      for (const options of [{ maxDiagnostics: 100_000 }, { maxDiagnostics: 50, locale: 'zh-cn' as const }, { maxDiagnostics: 100_000, overlapWith }]) {
        const expected = inOneThread(bytes, options);
        const codes = new Set(expected.diagnostics.map((d) => d.code));
        for (const code of ['FT001', 'FT002', 'FT004', 'FT011', 'FT040', 'FT041', 'FT042', ...('overlapWith' in options ? ['FT043', 'FT044'] : [])]) assert.ok(codes.has(code) || expected.diagnostics.length === 50, code);
        for (const [chunkBytes, workers] of [[4096, 3], [50_000, 2], [1 << 20, 1]] as const) {
          const linter = new DatasetLinter(options);
          const end = await lintInWorkers(file, bytes.length, options, linter, { script: SCRIPT, chunkBytes, workers });
          assert.ok(end, 'the workers started');
          assert.deepEqual(linter.finish(end), expected, `chunks of ${chunkBytes} bytes, ${workers} workers`);
        }
      }
    });
  }

  it('without its worker script, says so (the caller reads the file itself)', async () => {
    const file = join(tmp, 'small.jsonl');
    writeFileSync(file, chat('a', 'b') + '\n');
    assert.equal(await lintInWorkers(file, 10, {}, new DatasetLinter(), { script: join(tmp, 'missing.js') }), undefined);
  });
});

function keysOf(text: string) {
  const linter = new DatasetLinter({ collectSampleKeys: true, split: 'eval' });
  text.split('\n').slice(0, -1).forEach((l, i) => linter.push(l, i));
  linter.finish();
  return linter.sampleKeys();
}
