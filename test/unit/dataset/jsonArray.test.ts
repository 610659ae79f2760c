// JSON array datasets (LLaMA-Factory's `.json` files): the record scanner, and the linter checking each record
// as a sample at its own line and column in the file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintJsonArrayText, lintText } from '../../../src/core/dataset/checks/linter';
import { scanJsonArray, LineIndex } from '../../../src/core/dataset/parsing/jsonArray';
import { jsonArrayStatus } from '../../../src/core/dataset/formats/jsonArrayFile';
import type { LintResult } from '../../../src/core/dataset/types';
import { applyEdits } from './helpers';

const DIR = 'test/fixtures/datasets/arrays';
const read = (name: string) => fs.readFileSync(`${DIR}/${name}`, 'utf8');
const info = JSON.parse(read('dataset_info.json')) as unknown;
const lintFile = (name: string, withInfo = true): LintResult =>
  lintText(read(name), withInfo ? { fileName: name, datasetInfo: info } : { fileName: name });
/** `FT012@7:6` for each diagnostic (1-based line and column), FT050 left out. */
const where = (r: LintResult) => r.diagnostics.filter((d) => d.code !== 'FT050').map((d) => `${d.code}@${d.span.line + 1}:${d.span.column + 1}`);

describe('scanJsonArray', () => {
  it('finds each record, whatever brackets its strings hold', () => {
    const text = '[ {"a": "]}"}, 3 ,{"b": ["x\\"]"]} ]';
    const scan = scanJsonArray(text);
    assert.equal(scan.broken, undefined);
    assert.deepEqual(scan.records.map((r) => text.slice(r.start, r.end)), ['{"a": "]}"}', '3', '{"b": ["x\\"]"]}']);
  });

  it('an empty array has no records and no error', () => {
    assert.deepEqual(scanJsonArray(' [ ]\n'), { records: [] });
  });

  it('stops at a break in the structure, keeping the records before it', () => {
    const cases: [string, string, number][] = [
      ['[{"a":1} {"b":2}]', 'expected_comma_or_close', 9],
      ['[{"a":1},]', 'trailing_comma', 8],
      ['[{"a":1}, {"b":[}]', 'expected_value', 16],
      ['[{"a":1}] x', 'extra_data', 10],
      ['[{"a":1}, {"b":"open', 'unterminated_string', 15],
    ];
    for (const [text, kind, column] of cases) {
      const scan = scanJsonArray(text);
      assert.equal(scan.records.length >= 1, true, text);
      assert.equal(scan.records[0]!.end, 8, text);
      assert.equal(scan.broken?.kind, kind, text);
      assert.equal(scan.broken?.column, column, text);
    }
  });

  it('LineIndex maps offsets to line and column', () => {
    const index = new LineIndex('ab\ncd\n\nx');
    assert.deepEqual([0, 2, 3, 6, 7].map((o) => index.position(o)), [
      { line: 0, column: 0 }, { line: 0, column: 2 }, { line: 1, column: 0 }, { line: 2, column: 0 }, { line: 3, column: 0 },
    ]);
  });
});

describe('linting a JSON array', () => {
  it('a pretty-printed Alpaca array: each finding at its record, duplicates across records', () => {
    const r = lintFile('alpaca_pretty.json');
    assert.equal(r.samples, 3);
    assert.equal(r.format, 'alpaca');
    // The misspelt key on line 8, column 5; the duplicate record spans lines 12-16 and points at lines 2-6.
    assert.deepEqual(where(r), ['FT021@7:3', 'FT012@8:5', 'FT040@12:3']);
    const dup = r.diagnostics.find((d) => d.code === 'FT040')!;
    assert.deepEqual(dup.span, { line: 11, column: 2, endLine: 15, endColumn: 3 });
    assert.deepEqual(dup.related?.[0]?.span, { line: 1, column: 2, endLine: 5, endColumn: 3 });
    assert.match(dup.message, /line 2/);
  });

  it('quick fixes edit the file at the record\'s position', () => {
    const text = read('alpaca_pretty.json');
    const r = lintFile('alpaca_pretty.json');
    const rename = r.diagnostics.find((d) => d.code === 'FT012')!.fix!;
    assert.match(applyEdits(text, rename.edits), /"instruction": "Name a wuxia novel\."/);
    const deleted = applyEdits(text, r.diagnostics.find((d) => d.code === 'FT040')!.fix!.edits);
    const parsed = JSON.parse(deleted) as unknown[];
    assert.equal(parsed.length, 2);
    assert.deepEqual(where(lintText(deleted, { fileName: 'alpaca_pretty.json' })), ['FT021@7:3', 'FT012@8:5']);
  });

  it('a compact ShareGPT array on one line, mapped by dataset_info.json', () => {
    const r = lintFile('sharegpt_compact.json');
    assert.equal(r.samples, 2);
    assert.equal(r.format, 'sharegpt');
    const text = read('sharegpt_compact.json');
    const role = r.diagnostics.find((d) => d.code === 'FT020')!;
    assert.equal(role.span.line, 0);
    assert.equal(text.slice(role.span.column, role.span.endColumn), '"gtp"');
    assert.equal(applyEdits(text, role.fix!.edits).includes('"from":"gpt","value":"hi"'), true);
  });

  it('a syntax error in the middle: one FT001 at its place, the records before it still checked', () => {
    const r = lintFile('broken_middle.json', false);
    assert.deepEqual(where(r), ['FT021@2:3', 'FT012@3:5', 'FT001@10:3']);
    const syntax = r.diagnostics.find((d) => d.code === 'FT001')!;
    assert.match(syntax.message, /column 3/);
    assert.equal(r.samples, 2);
  });

  it('a syntax error inside one record is reported there, and later records are checked', () => {
    const text = '[\n  {"instruction": "a", "output": "b"},\n  {"instruction": \'c\', "output": "d"},\n  {"instrution": "e", "output": "f"}\n]\n';
    const r = lintText(text, { fileName: 'x.json' });
    assert.deepEqual(where(r), ['FT001@3:19', 'FT021@4:3', 'FT012@4:4']);
    assert.match(r.diagnostics.find((d) => d.code === 'FT001')!.message, /column 19/);
  });

  it('a .jsonl file, or a .json file that is not an array, is still read line by line', () => {
    const line = '[{"instruction": "a", "output": "b"}]';
    assert.deepEqual(lintText(line + '\n', { fileName: 'x.jsonl' }).diagnostics.map((d) => d.code).filter((c) => c !== 'FT051'), ['FT007']);
    assert.deepEqual(lintText('{"instruction": "a", "output": "b"}\n', { fileName: 'x.json' }).samples, 1);
  });

  it('records on one line are told apart: each copy counted with its own sample', () => {
    const a = '{"instruction":"a","output":"b"}';
    const b = '{"instruction":"c","output":"d"}';
    const text = `[${a},${b},${a},${b},${a}]`;
    const dups = lintText(text, { fileName: 'x.json' }).diagnostics.filter((d) => d.code === 'FT040');
    assert.deepEqual(dups.map((d) => text.slice(d.span.column, d.span.endColumn)), [a, b, a]);
    assert.deepEqual(dups.map((d) => /holds (\d) copies/.exec(d.message)?.[1]), ['3', '2', '3']);
    assert.deepEqual(dups.map((d) => text.slice(d.related![0]!.span.column, d.related![0]!.span.endColumn)), [a, b, a]);
  });

  it('train/eval overlap between arrays names the line the training record starts on', () => {
    const train = lintJsonArrayText(read('alpaca_pretty.json'), { fileName: 'alpaca_pretty.json', collectSampleKeys: true });
    const evalText = '[\n  {"instruction": "Name a wuxia novel.", "output": "Another answer"},\n  ' +
      '{"instruction": "Explain what a[0] means in Python.", "input": "", "output": "It is the first item of the list a: brackets like ] and } inside strings are text."}\n]\n';
    const r = lintText(evalText, { fileName: 'eval.json', split: 'eval', overlapWith: [{ keys: train.keys!, file: 'alpaca_pretty.json' }] });
    const overlap = r.diagnostics.find((d) => d.code === 'FT043')!;
    assert.equal(overlap.span.line, 2);
    assert.match(overlap.message, /alpaca_pretty\.json.*line 2/);
  });

  it('messages that name a column name the file\'s', () => {
    const text = '[\n  {"instruction": "a",\n   "output": "bad \\ud800 and \ufffd"}\n]\n';
    const r = lintText(text, { fileName: 'x.json' });
    const lone = r.diagnostics.find((d) => d.code === 'FT070')!;
    assert.deepEqual([lone.span.line, lone.span.column], [2, 18]);
    assert.match(lone.message, /at column 19/);
    const fffd = r.diagnostics.find((d) => d.code === 'FT006')!;
    assert.match(fffd.message, new RegExp(`at column ${fffd.span.column + 1}:`));
  });

  it('records that are not objects get FT007 at their place', () => {
    const r = lintText('[\n  {"instruction": "a", "output": "b"},\n  "loose text"\n]', { fileName: 'x.json' });
    assert.deepEqual(where(r), ['FT007@3:3']);
  });

  it('an empty array is a file without samples', () => {
    assert.deepEqual(lintText('[]\n', { fileName: 'x.json' }).diagnostics.map((d) => d.code), ['FT051']);
  });
});

describe('jsonArrayStatus', () => {
  it('registered, plainly samples, or something else', () => {
    assert.equal(jsonArrayStatus(read('alpaca_pretty.json'), 'alpaca_pretty.json', info), 'registered');
    assert.equal(jsonArrayStatus(read('broken_middle.json'), 'broken_middle.json', info), 'unregistered');
    assert.equal(jsonArrayStatus('[{"key": "ctrl+k", "command": "x"}]', 'keybindings.json', info), 'notSamples');
    assert.equal(jsonArrayStatus('[1, 2]', 'numbers.json', undefined), 'notSamples');
    assert.equal(jsonArrayStatus('{"instruction": "a"}', 'x.json', undefined), undefined);
    assert.equal(jsonArrayStatus('[{"instruction": "a"}]', 'x.jsonl', undefined), undefined);
  });

  it('an array with no record to judge by is checked when named, left alone when strict (the editor)', () => {
    for (const text of ['[]', '[ {"instruction": "a" ']) {
      assert.equal(jsonArrayStatus(text, 'x.json', undefined), 'unregistered', text);
      assert.equal(jsonArrayStatus(text, 'x.json', undefined, { strict: true }), 'notSamples', text);
    }
  });
});
