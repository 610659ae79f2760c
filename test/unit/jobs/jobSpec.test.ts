// Job specs: defaults, errors with their JSON paths and places in the file, the example spec, and the shipped JSON
// schema (schemas/ftjob.schema.json) in step with the zod JobSpec it is generated from.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { read } from '../sourceFiles';
import { formatPath, parseSpec, parseSpecText } from '../../../src/core/jobs/specFile';
import { FTJOB_SCHEMA_PATH, ftjobJsonSchema, ftjobJsonSchemaText } from '../../../src/core/jobs/specSchema';

describe('job specs', () => {
  it('fills in the defaults of a minimal spec', () => {
    const r = parseSpec({ name: 'a', baseModel: 'Qwen/Qwen3-0.6B', dataset: { train: 'train.jsonl' } }, 'en');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.spec.method, 'lora');
    assert.equal(r.spec.dataset.evalShare, 0.1);
    assert.equal(r.spec.hyperparameters.learningRate, 2e-4);
    assert.equal(r.spec.hyperparameters.overLength, 'drop');
    assert.deepEqual(r.spec.backend, { kind: 'local', devices: 'auto' });
  });

  it('reads the example spec', () => {
    const r = parseSpecText(read('examples/wuxia-doctor/wuxia-lora.ftjob.json'), 'en');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.spec.name, 'wuxia-doctor-lora');
    assert.equal(r.spec.dataset.eval, 'eval.jsonl');
    assert.equal(r.spec.hyperparameters.epochs, 15);
    assert.equal(r.spec.hyperparameters.warmupRatio, 0.03, 'defaults fill what the file leaves out');
  });

  it('says what is wrong, where: JSON paths and offsets in the text', () => {
    const text = JSON.stringify({
      name: '', baseModel: 'm', method: 'qlora',
      dataset: { train: 'train.jsonl' },
      hyperparameters: { learningRate: -1, batchsize: 4 },
      backend: { kind: 'local', devices: [0, -1] },
    }, null, 2);
    const r = parseSpecText(text, 'en');
    assert.ok(!r.ok);
    const byPath = new Map(r.issues.map((i) => [formatPath(i.path), i]));
    assert.deepEqual([...byPath.keys()].sort(), [
      'backend.devices[1]', 'hyperparameters.batchsize', 'hyperparameters.learningRate', 'method', 'name',
    ].sort(), JSON.stringify(r.issues));
    const at = (p: string) => { const i = byPath.get(p)!; return text.slice(i.start, i.end); };
    assert.equal(at('hyperparameters.learningRate'), '-1');
    assert.equal(at('hyperparameters.batchsize'), '"batchsize"', 'an unknown key: the key itself');
    assert.equal(at('method'), '"qlora"');
    assert.equal(at('backend.devices[1]'), '-1');
    assert.equal(at('name'), '""');
    assert.match(byPath.get('method')!.message, /lora/);
  });

  it('a missing field points at its parent; a syntax error at its line and column; messages in Chinese', () => {
    const text = '{\n  "name": "x",\n  "dataset": {}\n}';
    const r = parseSpecText(text, 'zh-cn');
    assert.ok(!r.ok);
    const paths = r.issues.map((i) => formatPath(i.path)).sort();
    assert.deepEqual(paths, ['baseModel', 'dataset.train']);
    const train = r.issues.find((i) => formatPath(i.path) === 'dataset.train')!;
    assert.equal(text.slice(train.start, train.end), '"dataset"');
    assert.match(train.message, /[\u4e00-\u9fff]/, `Chinese: ${train.message}`);

    const bad = parseSpecText('{\n  "name": "x",\n  "baseModel": \'m\'\n}', 'en');
    assert.ok(!bad.ok);
    assert.equal(bad.issues.length, 1);
    assert.match(bad.issues[0]!.message, /line 3, column 16/);
    assert.equal(formatPath([]), '(root)');
    assert.equal(formatPath(['backend', 'devices', 1]), 'backend.devices[1]');
  });

  it('the shipped JSON schema is the one generated from the zod JobSpec', () => {
    assert.equal(read(FTJOB_SCHEMA_PATH), ftjobJsonSchemaText(), `${FTJOB_SCHEMA_PATH} is stale: run node scripts/ftjob-schema.mjs`);
    const schema = ftjobJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }>; required: string[] };
    assert.deepEqual(schema.required.sort(), ['baseModel', 'dataset', 'name']);
    assert.ok(schema.properties['hyperparameters']!.properties!['learningRate'], 'hyperparameters are described');
  });

  it('package.json validates *.ftjob.json with the shipped schema, and packages it', () => {
    const manifest = JSON.parse(read('package.json')) as { contributes: { jsonValidation?: { fileMatch: string | string[]; url: string }[] } };
    const entry = manifest.contributes.jsonValidation?.find((v) => [v.fileMatch].flat().includes('*.ftjob.json'));
    assert.ok(entry, 'contributes.jsonValidation has *.ftjob.json');
    assert.equal(path.normalize(entry.url), path.normalize('./' + FTJOB_SCHEMA_PATH));
    assert.match(read('.vscodeignore'), /^!schemas\/\*\*$/m);
  });
});
