// Files that are not datasets though they end in .jsonl/.json: by name, then by the first line's keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLineOf, notDatasetByKeys, notDatasetKind, notDatasetText } from '../../../src/core/dataset/formats/notDataset';
import { notDatasetFile } from '../../../src/core/dataset/formats/notDatasetFile';

const line = (obj: unknown) => JSON.stringify(obj);

describe('notDatasetKind', () => {
  it('knows logs, predictions, configs, tokenizer files and specs by name, in any folder and case, with either separator', () => {
    const cases: [string, string][] = [
      ['saves/qwen/generated_predictions.jsonl', 'predictions'],
      ['out\\trainer_log.jsonl', 'trainingLog'],
      ['.finetune/jobs/job-1/events.jsonl', 'trainingLog'],
      ['checkpoint-100/trainer_state.json', 'trainingLog'],
      ['models/qwen/config.json', 'modelConfig'],
      ['models/qwen/generation_config.json', 'modelConfig'],
      ['lora/adapter_config.json', 'modelConfig'],
      ['models/qwen/Tokenizer.json', 'tokenizer'],
      ['models/qwen/tokenizer_config.json', 'tokenizer'],
      ['models/qwen/special_tokens_map.json', 'tokenizer'],
      ['wuxia-lora.ftjob.json', 'jobSpec'],
      ['data/dataset_info.json', 'datasetInfo'],
    ];
    for (const [file, kind] of cases) assert.equal(notDatasetKind(file), kind, file);
  });

  it('leaves datasets alone, whatever their name says otherwise', () => {
    for (const file of ['datasets/train.jsonl', 'data/alpaca.json', 'config.jsonl', 'my-events.jsonl.bak', 'predictions/readme.json']) {
      assert.equal(notDatasetKind(file), undefined, file);
    }
    assert.equal(notDatasetKind('train.jsonl', line({ messages: [{ role: 'user', content: 'q' }] })), undefined);
  });

  it('a renamed file by its first line: predictions, LLaMA-Factory and HF logs, our trainer events, model JSON', () => {
    assert.equal(notDatasetKind('answers.jsonl', line({ prompt: 'q', predict: 'a', label: 'b' })), 'predictions');
    assert.equal(notDatasetKind('answers.jsonl', line({ predict: 'a', label: 'b' })), 'predictions');
    assert.equal(notDatasetKind('log.jsonl', line({ current_steps: 5, total_steps: 200, loss: 2.4 })), 'trainingLog');
    assert.equal(notDatasetKind('state.json', line({ global_step: 3, log_history: [] })), 'trainingLog');
    assert.equal(notDatasetKind('run.jsonl', line({ type: 'start', time: 1764028800, total_steps: 30 })), 'trainingLog');
    assert.equal(notDatasetKind('qwen.json', line({ architectures: ['Qwen3ForCausalLM'], model_type: 'qwen3' })), 'modelConfig');
    assert.equal(notDatasetKind('tok.json', line({ tokenizer_class: 'Qwen2Tokenizer' })), 'tokenizer');
  });

  it('a sample that has such keys besides its own is still a dataset', () => {
    assert.equal(notDatasetByKeys(line({ messages: [], label: 'x', predict: 'y' })), undefined);
    assert.equal(notDatasetByKeys(line({ text: 'x', type: 'news', time: 3 })), undefined);
    assert.equal(notDatasetByKeys(line({ prompt: 'q', completion: 'a', type: 'qa', time: 1 })), undefined);
    assert.equal(notDatasetByKeys(line({ instruction: 'q', output: 'a', model_type: 'x' })), undefined);
  });

  it('a first line that is not a whole JSON object says nothing (the linter reports it)', () => {
    for (const first of ['', '{"predict": "a", "label":', '[{"predict": "a", "label": "b"}]', '"text"', 'null', '{"predict": "a" "label": "b"}']) {
      assert.equal(notDatasetByKeys(first), undefined, first);
    }
    assert.equal(notDatasetByKeys(line({ predict: 'a', label: 'b', pad: 'x'.repeat(300 * 1024) })), undefined, 'a huge first line is not parsed');
  });

  it('firstLineOf skips blank lines and drops the CR', () => {
    assert.equal(firstLineOf('\n  \r\n{"a":1}\r\n{"b":2}'), '{"a":1}');
    assert.equal(firstLineOf(''), '');
    assert.equal(firstLineOf('\n\n'), '');
  });

  it('the example predictions files are recognised by name and by content', () => {
    const file = 'examples/wuxia-doctor/predictions/qwen3-0.6b-base/generated_predictions.jsonl';
    assert.equal(notDatasetKind(file), 'predictions');
    assert.equal(notDatasetKind('renamed.jsonl', firstLineOf(readFileSync(file, 'utf8'))), 'predictions');
  });

  it('says what the file is in both languages', () => {
    assert.match(notDatasetText('en', 'predictions'), /predictions/);
    assert.match(notDatasetText('zh-cn', 'trainingLog'), /训练日志/);
  });
});

describe('notDatasetFile', () => {
  const example = 'examples/wuxia-doctor';

  it("the example's datasets are datasets; its predictions and job spec are not", async () => {
    for (const name of ['train.jsonl', 'eval.jsonl', 'alpaca.jsonl', 'sharegpt.jsonl', 'train-with-mistakes.jsonl']) {
      assert.equal(await notDatasetFile(join(example, name)), undefined, name);
    }
    assert.equal(await notDatasetFile(join(example, 'predictions/qwen3-0.6b-base/generated_predictions.jsonl')), 'predictions');
    assert.equal(await notDatasetFile(join(example, 'wuxia-lora.ftjob.json')), 'jobSpec');
  });

  it('reads only the first line of a renamed file (after a BOM and blank lines); a missing file or a first line over 1 MB is checked as a dataset', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ft-notdataset-'));
    try {
      const renamed = join(tmp, 'answers.jsonl');
      writeFileSync(renamed, '\uFEFF\n\n' + JSON.stringify({ prompt: 'q', predict: 'a', label: 'b' }) + '\n{"broken\n');
      assert.equal(await notDatasetFile(renamed), 'predictions');
      const long = join(tmp, 'long.jsonl');
      writeFileSync(long, JSON.stringify({ predict: 'a'.repeat(1 << 20), label: 'b' }) + '\n');
      assert.equal(await notDatasetFile(long), undefined);
      assert.equal(await notDatasetFile(join(tmp, 'missing.jsonl')), undefined);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
