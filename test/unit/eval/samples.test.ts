// Test sets of every format the linter accepts become prompts and reference answers for an endpoint.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readEvalSamples } from '../../../src/features/eval/samples';
import { promptText } from '../../../src/inference/endpointRun';

const example = (name: string) => path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'wuxia-doctor', name);

describe('eval samples from a test set', () => {
  it('OpenAI messages: the last assistant turn is the label, the turns before it the prompt', async () => {
    const { samples, sampleLines, skipped } = await readEvalSamples(example('eval.jsonl'));
    assert.equal(samples.length, 15);
    assert.deepEqual(sampleLines, Array.from({ length: 15 }, (_, i) => i));
    assert.deepEqual(skipped, []);
    const multi = samples[14]!;
    assert.deepEqual(multi.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.match(multi.label, /^能伸能弯/);
    assert.match(promptText(multi.messages), /^system\n.*\n\nuser\n/s);
  });

  it('ShareGPT and Alpaca files are converted first', async () => {
    for (const name of ['sharegpt.jsonl', 'alpaca.jsonl']) {
      const { samples, skipped } = await readEvalSamples(example(name));
      assert.ok(samples.length >= 5, `${name}: ${samples.length} samples, skipped ${JSON.stringify(skipped)}`);
      for (const s of samples) {
        assert.ok(s.label.length > 0);
        assert.equal(s.messages.at(-1)!.role, 'user', `${name}: the prompt ends with the question`);
      }
    }
  });

  it('keeps line numbers past blank and unusable lines, and says which were left out', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ft-samples-')), 'test.jsonl');
    await writeFile(file, [
      JSON.stringify({ messages: [{ role: 'user', content: 'q1' }, { role: 'assistant', content: 'a1' }] }),
      '',
      'not json',
      JSON.stringify({ messages: [{ role: 'user', content: 'only a question' }] }),
      JSON.stringify({ instruction: 'q2', input: '', output: 'a2' }),
    ].join('\n'));
    const { samples, sampleLines, skipped } = await readEvalSamples(file);
    assert.deepEqual(samples.map((s) => [s.index, s.label]), [[0, 'a1'], [1, 'a2']]);
    assert.deepEqual(sampleLines, [0, 4]);
    assert.deepEqual(skipped.map((s) => [s.line, s.reason !== undefined]), [[2, true], [3, false]]);
  });
});
