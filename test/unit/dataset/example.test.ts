// The example workspace: clean files lint clean; the mistakes file gives what its README lists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../../src/core/dataset/checks/linter';
import { findOverlap } from '../../../src/core/dataset/checks/overlap';
import { DatasetLinter } from '../../../src/core/dataset/checks/linter';
import type { LintResult } from '../../../src/core/dataset/types';

const dir = 'examples/wuxia-doctor';
const read = (file: string) => readFileSync(`${dir}/${file}`, 'utf8');
const serious = (r: LintResult) => r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');

/** Each line's codes (1-based line → codes), leaving out the file-level size information. */
function byLine(r: LintResult): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const d of r.diagnostics) if (d.code !== 'FT050') (out[d.span.line + 1] ??= []).push(d.code);
  return out;
}

describe('examples/wuxia-doctor', () => {
  for (const file of ['train.jsonl', 'eval.jsonl', 'sharegpt.jsonl', 'alpaca.jsonl']) {
    it(`${file} has no errors or warnings`, () => {
      const r = lintText(read(file));
      assert.deepEqual(serious(r).map((d) => `${d.span.line + 1}: ${d.code} ${d.message}`), []);
      assert.ok(r.samples >= 8);
    });
  }

  it('train.jsonl is the OpenAI format with 60 samples, and says it is far below 1000', () => {
    const r = lintText(read('train.jsonl'));
    assert.equal(r.format, 'openai');
    assert.equal(r.samples, 60);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['FT050']);
  });

  it('no eval sample is in train', () => {
    const linter = new DatasetLinter({ collectSampleKeys: true });
    read('train.jsonl').split('\n').forEach((l, i) => linter.push(l, i));
    linter.finish();
    assert.deepEqual(findOverlap(linter.sampleKeys(), read('eval.jsonl')), []);
  });

  it('train-with-mistakes.jsonl: each mistake its README lists, on its line, and nothing on the valid lines', () => {
    const r = lintText(read('train-with-mistakes.jsonl'));
    assert.deepEqual(byLine(r), {
      3: ['FT001'], // trailing comma
      5: ['FT004'], // blank line
      6: ['FT020'], // "assitant" (its fix makes it the assistant answer, so no FT022 on top)
      8: ['FT020'], // "usr"
      9: ['FT020'], // "bot": suggested "assistant"
      10: ['FT022', 'FT021'], // empty assistant content
      11: ['FT022', 'FT025'], // no assistant message
      12: ['FT024'], // two user turns in a row
      13: ['FT040'], // exact duplicate of line 2
      14: ['FT041'], // line 4 without spaces after : and ,
      16: ['FT007'], // an array, not an object
      17: ['FT013'], // content is a number
      18: ['FT014'], // "mesages"
      20: ['FT030'], // arguments in single quotes
      21: ['FT027'], // weight 2
      23: ['FT001'], // cut off in a string
    });
    const related = (code: string) => r.diagnostics.find((d) => d.code === code)!.related![0]!.span.line + 1;
    assert.equal(related('FT040'), 2);
    assert.equal(related('FT041'), 4);
  });
});
