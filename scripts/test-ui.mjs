#!/usr/bin/env node
// UI tier: the extension installed in code-server the way a person has it (its .vsix, built by `npm run package`,
// installed into a clean extensions folder; not a development host), a temp copy of examples/wuxia-doctor opened, and the
// node:test files test/ui/*.test.mjs driving it through headless Chromium.
// Screenshots land in test-results/. Knobs: FINETUNE_SKIP_PREPARE=1 (skip npm ci/build),
// FINETUNE_HEADED=1 (show the browser, needs a display), FINETUNE_KEEP_TMP=1 (keep logs).
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureExampleTokenizer } from './lib/example-tokenizer.mjs';
import { bold, dim, exampleWorkspaceCopy, header, red, repoRoot, tempDir } from './lib/common.mjs';
import { ensureBuild, ensureDeps } from './lib/deps.mjs';
import { ensureChromium } from './lib/chromium.mjs';
import { startWithExtension, TEST_SETTINGS, workbenchUrl } from './lib/code-server.mjs';
import { installExitHandlers, runMain, spawnGroup } from './lib/proc.mjs';
import { buildVsix } from './lib/vsix.mjs';

installExitHandlers();

const TIMEOUT_MIN = Number(process.env.FINETUNE_TEST_TIMEOUT_MIN) || 15;
async function main() {
  header('UI tests (the installed extension in code-server + Chromium)');
  if (!process.env.FINETUNE_SKIP_PREPARE) {
    await ensureDeps();
    await ensureBuild();
  }
  const uiDir = join(repoRoot, 'test', 'ui');
  // FINETUNE_TEST_FILES=jobs,loss runs only the files whose names contain one of the words (for development).
  const only = (process.env.FINETUNE_TEST_FILES ?? '').split(',').filter(Boolean);
  const files = readdirSync(uiDir)
    .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.some((word) => f.includes(word))))
    .sort()
    .map((f) => join(uiDir, f));
  if (files.length === 0) throw new Error(`no *.test.mjs files in ${uiDir}`);

  const chromium = await ensureChromium();
  const workspace = exampleWorkspaceCopy();
  ensureExampleTokenizer(workspace);
  // Jobs started in the UI tests run the stand-in trainer (torch, transformers and peft are not installed here):
  // test/fixtures/trainer/fake_trainer.py speaks the real event protocol. 40 steps of 0.25 s: time to watch it run.
  process.env.FINETUNE_TRAINER_ENTRY ??= join(repoRoot, 'test', 'fixtures', 'trainer', 'fake_trainer.py');
  // The example spec trains models/demo-qwen3 (npm start writes it); the stand-in reads no weights, so a folder that
  // passes the base-model pre-flight (config.json and a weights file) stands in for it.
  const demo = join(workspace, 'models', 'demo-qwen3');
  mkdirSync(demo, { recursive: true });
  writeFileSync(join(demo, 'config.json'), '{"model_type": "qwen3"}');
  writeFileSync(join(demo, 'model.safetensors'), '');
  process.env.FAKE_TRAINER_STEPS ??= '40';
  process.env.FAKE_TRAINER_STEP_SECONDS ??= '0.25';
  // The package a person installs: `npm run package`'s .vsix, installed with code-server's --install-extension.
  const vsix = await buildVsix();
  console.log(dim(`Packaged ${vsix.file}: ${(vsix.bytes / 1024 / 1024).toFixed(2)} MB, ${vsix.files} files`));
  const server = await startWithExtension({ settings: TEST_SETTINGS, vsix: vsix.file });
  console.log(bold(`code-server ${server.codeServer.version} — VS Code ${server.codeServer.vscodeVersion}, extension ${server.extension.id} ${server.extension.version} installed from its .vsix`));
  console.log(dim(`Serving ${workspace} at ${server.url}`));
  // A toy ONNX causal LM (the unit tests' builder, bundled here) with the real Qwen3 tokenizer, for local generation
  // with the onnxruntime-node the .vsix carries.
  const tinyModel = join(workspace, 'models', 'tiny-onnx');
  await writeTinyOnnxModel(tinyModel);

  // One server for all files; each file opens its own browser on it through the harness.
  const env = {
    ...process.env,
    FINETUNE_UI_URL: workbenchUrl(server, workspace),
    FINETUNE_UI_WORKSPACE: workspace,
    FINETUNE_CHROMIUM: chromium,
    FINETUNE_UI_EXTENSION_PATH: server.extension.path,
    FINETUNE_UI_TINY_ONNX: tinyModel,
  };
  // Files run one after another: they share the server and its workspace.
  const code = await spawnGroup(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    cwd: repoRoot,
    env,
  }).exited;
  if (code !== 0) console.log(dim(`code-server log: ${server.logFile} (kept with FINETUNE_KEEP_TMP=1)`));
  console.log(code === 0 ? bold('UI tests passed') : red(bold(`UI tests FAILED (exit code ${code})`)));
  return code;
}

/** Writes test/unit/inference/tinyModel.ts's toy model folder (bundled with esbuild for this one call). */
async function writeTinyOnnxModel(dir) {
  const { build } = await import('esbuild');
  const bundle = join(tempDir('tiny-onnx'), 'tinyModel.cjs');
  await build({ entryPoints: [join(repoRoot, 'test', 'unit', 'inference', 'tinyModel.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const { writeTinyModelFolder } = createRequire(import.meta.url)(bundle);
  writeTinyModelFolder(dir, {}, { tokenizer: false });
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(dir, '..', 'qwen3-tokenizer', file), join(dir, file));
}

runMain(main, { minutes: TIMEOUT_MIN, what: 'UI TESTS' });
