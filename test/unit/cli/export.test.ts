// `finetune-studio export`, in-process: usage errors in English and Chinese, the config it hands the trainer, and
// what it prints from the trainer's events — with a stand-in `finetune_trainer` package (a few lines of Python that
// answer like the trainer) so no torch is needed. trainer/tests/test_export.py tests the real export.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportCommand } from '../../../src/cli/commands/export';
import type { CliIo } from '../../../src/cli/io';
import type { Locale } from '../../../src/core/dataset/types';

let root: string;
let model: string;
let adapter: string;
let trainer: string;

// Answers from the config: export_format onnx → done with check figures; ollama → the command; merged → an error event.
const STAND_IN = String.raw`
import json, sys
config = json.load(open(sys.argv[sys.argv.index("--config") + 1]))
fmt = config["export_format"]
print("some library chatter")
if fmt == "merged":
    print(json.dumps({"type": "error", "time": 1, "kind": "config", "message": "P-Tuning adapters cannot be merged", "fix": "Serve it with the trainer."}))
    sys.exit(1)
artifacts = {"output_dir": config["output_dir"], "model": config["output_dir"] + "/" + fmt}
metrics = {}
if fmt == "onnx":
    metrics = {"max_abs_logits_diff": 1.1444e-05, "tolerance": 0.01, "tokens_equal": 3, "prompts": 3, "steps": 8}
else:
    artifacts.update(command="ollama create job -f Modelfile", template="unknown")
print(json.dumps({"type": "done", "time": 1, "status": "succeeded", "artifacts": artifacts, "metrics": metrics}))
`;

function io(locale: Locale = 'en') {
  const out = { stdout: '', stderr: '' };
  const value: CliIo = { stdout: (s) => { out.stdout += s; }, stderr: (s) => { out.stderr += s; }, locale, cwd: root };
  return { io: value, out };
}

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ft-export-cli-'));
  model = path.join(root, 'base');
  adapter = path.join(root, 'adapter');
  trainer = path.join(root, 'trainer');
  mkdirSync(model);
  writeFileSync(path.join(model, 'config.json'), '{}');
  mkdirSync(adapter);
  writeFileSync(path.join(adapter, 'adapter_config.json'), '{}');
  mkdirSync(path.join(trainer, 'finetune_trainer'), { recursive: true });
  writeFileSync(path.join(trainer, 'finetune_trainer', '__init__.py'), '');
  writeFileSync(path.join(trainer, 'finetune_trainer', '__main__.py'), STAND_IN);
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('finetune-studio export', () => {
  it('says what is missing or wrong on the command line, in English and Chinese (exit 2)', async () => {
    const cases: [string[], string, string][] = [
      [['--format', 'onnx', '--out', 'x'], 'missing --model <folder>', '缺少 --model'],
      [['--model', 'base', '--out', 'x'], 'missing --format: merged, onnx or ollama', '缺少 --format'],
      [['--model', 'base', '--format', 'gguf', '--out', 'x'], '--format must be merged, onnx or ollama, not gguf', '--format 只能是 `merged`、`onnx` 或 `ollama`，而不是 gguf'],
      [['--model', 'base', '--format', 'onnx'], 'missing --out <dir>', '缺少 --out'],
      [['--model', 'base', '--format', 'merged', '--out', 'x', '--fp16'], '--fp16 applies to --format onnx only', '--fp16 只适用于 `--format onnx`'],
      [['--model', 'adapter', '--format', 'onnx', '--out', 'x'], `${adapter} is not a model folder: it has no config.json`, '不是模型文件夹'],
      [['--model', 'base', '--adapter', 'base', '--format', 'onnx', '--out', 'x'], `${model} is not an adapter folder`, '不是适配器文件夹'],
      [['--model', 'base', '--format', 'onnx', '--out', 'x', '--bogus'], 'unknown option --bogus', '未知选项 --bogus'],
    ];
    for (const [args, en, zh] of cases) {
      for (const [locale, expected] of [['en', en], ['zh-cn', zh]] as const) {
        const { io: cli, out } = io(locale);
        assert.equal(await exportCommand(args, cli, { trainerDir: trainer }), 2, args.join(' '));
        assert.ok(out.stderr.startsWith('finetune-studio export: ') && out.stderr.includes(expected), `${locale} ${args.join(' ')}: ${out.stderr}`);
        assert.ok(out.stderr.includes('Usage: finetune-studio export'), 'the help follows the error');
      }
    }
  });

  it('hands the trainer the adapter to read and the format, and prints the check figures of an ONNX export', async () => {
    const { io: cli, out } = io();
    const code = await exportCommand(['--model', 'base', '--adapter', 'adapter', '--format', 'onnx', '--fp16', '--out', 'exported', '--python', 'python3'], cli, { trainerDir: trainer });
    assert.equal(code, 0, out.stderr);
    const config = JSON.parse(readFileSync(path.join(root, 'exported', 'export-config.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      { model: config['model_name_or_path'], method: config['method'], read: config['resume_from_checkpoint'], out: config['output_dir'], format: config['export_format'], dtype: config['export_dtype'] },
      { model, method: 'lora', read: adapter, out: path.join(root, 'exported'), format: 'onnx', dtype: 'fp16' },
    );
    assert.equal(out.stdout, `Exported to ${path.join(root, 'exported', 'onnx')}\nCheck passed: max |logits difference| 0.0000114 (tolerance 0.01); greedy tokens equal on 3/3 prompts for 8 steps.\n`);
    assert.match(readFileSync(path.join(root, 'exported', 'export.log'), 'utf8'), /some library chatter/, 'what is not an event goes to the log');
  });

  it('prints the ollama command and says when the model family is unknown (Chinese)', async () => {
    const { io: cli, out } = io('zh-cn');
    assert.equal(await exportCommand(['--model', 'base', '--format', 'ollama', '--out', 'o', '--python', 'python3'], cli, { trainerDir: trainer }), 0, out.stderr);
    assert.match(out.stdout, /用以下命令导入 Ollama：ollama create job -f Modelfile/);
    assert.match(out.stdout, /无法识别模型系列/);
    const config = JSON.parse(readFileSync(path.join(root, 'o', 'export-config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(config['method'], 'full', 'no adapter: --model is the fine-tuned model itself');
  });

  it("reports the trainer's error event with its fix (exit 1), and a Python that does not run", async () => {
    const failed = io();
    assert.equal(await exportCommand(['--model', 'base', '--format', 'merged', '--out', 'm', '--python', 'python3'], failed.io, { trainerDir: trainer }), 1);
    assert.match(failed.out.stderr, /finetune-studio export: the export failed: P-Tuning adapters cannot be merged\nServe it with the trainer\.\n$/);
    const missing = io();
    const nowhere = path.join(root, 'no-such-python');
    assert.equal(await exportCommand(['--model', 'base', '--format', 'onnx', '--out', 'n', '--python', nowhere], missing.io, { trainerDir: trainer }), 1);
    assert.match(missing.out.stderr, new RegExp(`cannot run ${nowhere.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*ENOENT.*Pass --python`));
    assert.ok(!existsSync(path.join(root, 'n', 'onnx')));
  });
});
