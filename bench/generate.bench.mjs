#!/usr/bin/env node
// Local generation benchmark (issue 13, "Performance"): on the same ONNX model folder in the same run, tokens/s and
// time to first token with the key/value cache against recomputing the whole sequence every step (the same weights
// exported without cache inputs), 256 new tokens each, greedy; and the worst stall of the host's event loop while the
// worker generates, against generating on the host's own thread (what the worker saves the extension host from).
//
// The model is test/unit/inference/tinyModel.ts's toy decoder (embeddings → layers → logits over the vocabulary) at a
// small but real size, with the Qwen3 tokenizer and chat template; both graphs compute the same function, and the
// benchmark fails unless they generate the same tokens.
//
// With --qwen3 <folder> (a tiny random Qwen3 exported by test/unit/inference/export_tiny_qwen3.py: the `export`
// folder it prints, <its folder>/onnx) and
// --transformers-js <folder> (one whose node_modules holds @huggingface/transformers, installed outside this
// repository with ONNXRUNTIME_NODE_INSTALL=skip), it also runs transformers.js's greedy generate() on that folder
// against ours, alternating, and checks both give the same tokens.
//
// Run after the build (it needs dist/workers/generate.js):
//   node bench/generate.bench.mjs [--tokens N] [--rounds N] [--hidden N] [--layers N] [--vocab N] [--markdown]
//                                 [--qwen3 <folder> --transformers-js <folder>]
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { flag, machineLine, median, numberOption, option, toyOnnxBench } from './lib/nodeBench.mjs';

const TOKENS = numberOption('--tokens', 256);
const ROUNDS = numberOption('--rounds', 2);
const TOY = toyOnnxBench('generate');
const { hidden: HIDDEN, layers: LAYERS, vocab: VOCAB, worker: WORKER } = TOY;
const MARKDOWN = flag('--markdown');
const QWEN3 = option('--qwen3', undefined);
const TRANSFORMERS_JS = option('--transformers-js', undefined);

const MESSAGES = [
  { role: 'system', content: '你是一位医术高明的古代江湖医生,说话带有武侠风格,回答要专业、耐心、简洁。' },
  { role: 'user', content: '大夫,我这几日咳嗽不止,夜里发热,可是染了风寒?请开个方子。' },
];

async function load() {
  return TOY.load(`export { createOnnxEngine } from './src/inference/onnx';
    export { LocalModel } from './src/inference/onnx/localModel';`);
}

/** Generates with `generate(onText)` while watching the host's event loop; the worst delay it saw. */
async function watched(generate) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const result = await generate();
  const ms = performance.now() - started;
  // Time the host's loop spent running code (not waiting): unlike the stall, it does not grow when the machine is busy.
  const busyMs = performance.eventLoopUtilization(elu0).active;
  delay.disable();
  return { result, ms, busyMs, stallMs: delay.max / 1e6 };
}

/** The worst event-loop delay of an idle window of `ms`: what the machine itself adds (other processes, timers' slack). */
async function idleStallMs(ms) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  delay.disable();
  return delay.max / 1e6;
}

async function main() {
  const load0 = loadavg()[0];
  const lib = await load();
  const dir = mkdtempSync(join(tmpdir(), 'ft-generate-bench-'));
  try {
    const shape = TOY.shape;
    const cachedDir = lib.writeTinyModelFolder(join(dir, 'cached'), { ...shape, cache: true });
    const fullDir = lib.writeTinyModelFolder(join(dir, 'recompute'), { ...shape, cache: false });
    const params = { maxTokens: TOKENS, temperature: 0 };
    const cached = await lib.createOnnxEngine(cachedDir, { workerScript: WORKER });
    const full = await lib.createOnnxEngine(fullDir, { workerScript: WORKER });
    const rounds = [];
    try {
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which goes first, so neither always runs on a warmer machine.
        const order = r % 2 === 0 ? [cached, full] : [full, cached];
        const got = new Map();
        for (const engine of order) got.set(engine, await watched(() => engine.generate(MESSAGES, params, () => undefined)));
        const a = got.get(cached);
        const b = got.get(full);
        if (a.result.tokens.length !== TOKENS || JSON.stringify(a.result.tokens) !== JSON.stringify(b.result.tokens)) {
          throw new Error(`the cached and recomputing graphs generated different tokens (${a.result.tokens.length} and ${b.result.tokens.length})`);
        }
        // An idle window as long as the cached generation, right after it, for the stall the machine adds by itself.
        rounds.push({ cached: a, full: b, idleStallMs: await idleStallMs(a.ms) });
      }
    } finally {
      await cached.dispose();
      await full.dispose();
    }
    // The same generation on the host's own thread, for the stall the worker avoids.
    const local = await lib.LocalModel.load(cachedDir, dir);
    const onHost = await watched(() => local.generate(MESSAGES, params, () => undefined));
    await local.dispose();

    const m = (pick) => median(rounds.map(pick));
    const cachedRate = m((r) => r.cached.result.tokensPerSecond);
    const fullRate = m((r) => r.full.result.tokensPerSecond);
    const cachedTtft = m((r) => r.cached.result.timeToFirstTokenMs);
    const fullTtft = m((r) => r.full.result.timeToFirstTokenMs);
    const ratios = rounds.map((r) => r.cached.result.tokensPerSecond / r.full.result.tokensPerSecond);
    // The whole answer as the user waits for it, measured on the host: request to last piece.
    const wallRatios = rounds.map((r) => r.full.ms / r.cached.ms);
    // The same generation (KV cache) in the worker and on the host's thread: windows of about the same length.
    const stall = Math.max(...rounds.map((r) => r.cached.stallMs));
    const idle = Math.max(...rounds.map((r) => r.idleStallMs));
    const busy = m((r) => r.cached.busyMs);
    const busyShare = m((r) => r.cached.busyMs / r.cached.ms);
    const promptTokens = rounds[0].cached.result.promptTokens;
    const report = [
      `Local generation benchmark: ${TOKENS} new tokens, greedy, prompt ${promptTokens} tokens (Qwen3 tokenizer and chat template); toy decoder ${LAYERS} layers, hidden ${HIDDEN}, vocabulary ${VOCAB.toLocaleString('en-US')}; ${ROUNDS} rounds`,
      machineLine(load0),
      `KV cache:      ${cachedRate.toFixed(1)} tokens/s, first token ${cachedTtft.toFixed(0)} ms`,
      `recompute:     ${fullRate.toFixed(1)} tokens/s, first token ${fullTtft.toFixed(0)} ms`,
      `ratio (tokens/s with cache / without): ${median(ratios).toFixed(1)}× median; rounds ${ratios.map((x) => x.toFixed(1)).join(', ')} (goal >= 3×); whole answer (host-measured) ${median(wallRatios).toFixed(1)}× sooner`,
      `worst event-loop stall of the host while the worker generated (KV cache): ${stall.toFixed(1)} ms; generating on the host's own thread instead: ${onHost.stallMs.toFixed(1)} ms; idle windows as long, between the rounds: ${idle.toFixed(1)} ms`,
      `host event loop busy while the worker generated (KV cache): ${busy.toFixed(0)} ms of the answer's ${m((r) => r.cached.ms).toFixed(0)} ms (${(busyShare * 100).toFixed(1)}%); on the host's own thread: ${onHost.busyMs.toFixed(0)} ms of ${onHost.ms.toFixed(0)} ms (${(onHost.busyMs / onHost.ms * 100).toFixed(1)}%)`,
      `identical tokens with and without the cache: yes`,
    ];
    let vsTjs;
    if (QWEN3 && TRANSFORMERS_JS) {
      vsTjs = await againstTransformersJs(lib);
      report.push(`tiny Qwen3 export (${QWEN3}), ${vsTjs.tokens} tokens greedy, same tokens: ours ${(vsTjs.tokens / vsTjs.oursMs * 1000).toFixed(1)} tokens/s (whole answer ${vsTjs.oursMs.toFixed(0)} ms), transformers.js ${(vsTjs.tokens / vsTjs.tjsMs * 1000).toFixed(1)} tokens/s (${vsTjs.tjsMs.toFixed(0)} ms); ratio ${median(vsTjs.ratios).toFixed(2)}× median; rounds ${vsTjs.ratios.map((x) => x.toFixed(2)).join(', ')} (goal >= 1×)`);
    }
    console.log(report.join('\n'));
    if (MARKDOWN) {
      console.log(`\n| date | new tokens | KV cache | recompute | ratio (goal ≥ 3×) | first token, cache / recompute | whole answer | host stall: worker / on host / idle | host loop busy: worker / on host |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
      console.log(`| ${new Date().toISOString().slice(0, 10)} | ${TOKENS} | ${cachedRate.toFixed(1)} tok/s | ${fullRate.toFixed(1)} tok/s | **${median(ratios).toFixed(1)}×** | ${cachedTtft.toFixed(0)} / ${fullTtft.toFixed(0)} ms | ${median(wallRatios).toFixed(1)}× sooner | **${stall.toFixed(1)} ms** / ${onHost.stallMs.toFixed(1)} / ${idle.toFixed(1)} ms | ${(busyShare * 100).toFixed(1)}% / ${(onHost.busyMs / onHost.ms * 100).toFixed(1)}% |`);
      if (vsTjs) {
        console.log(`\n| date | model | new tokens | ours (worker) | transformers.js | ratio (goal ≥ 1×) |\n|---|---|---:|---:|---:|---:|`);
        console.log(`| ${new Date().toISOString().slice(0, 10)} | tiny Qwen3 export | ${vsTjs.tokens} | ${(vsTjs.tokens / vsTjs.oursMs * 1000).toFixed(1)} tok/s | ${(vsTjs.tokens / vsTjs.tjsMs * 1000).toFixed(1)} tok/s | **${median(vsTjs.ratios).toFixed(2)}×** |`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * transformers.js against our engine on the same exported Qwen3 folder (transformers.js reads onnx/model.onnx and
 * runs on the calling thread; ours runs in the worker). Both greedy, the same prompt and number of new tokens.
 */
async function againstTransformersJs(lib) {
  const tjsPath = createRequire(join(TRANSFORMERS_JS, 'package.json')).resolve('@huggingface/transformers');
  const { AutoModelForCausalLM, AutoTokenizer, env } = await import(tjsPath);
  const folder = QWEN3.replace(/\/+$/, '');
  if (!existsSync(join(folder, 'onnx', 'model.onnx'))) {
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    symlinkSync(join(folder, 'model.onnx'), join(folder, 'onnx', 'model.onnx'));
  }
  env.allowRemoteModels = false;
  env.localModelPath = join(folder, '..');
  const name = folder.split('/').pop();
  const tjsModel = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', device: 'cpu' });
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const ours = await lib.createOnnxEngine(folder, { workerScript: WORKER });
  const rounds = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const runTjs = async () => {
        const inputs = tokenizer.apply_chat_template(MESSAGES, { add_generation_prompt: true, return_dict: true });
        const started = performance.now();
        const out = await tjsModel.generate({ ...inputs, max_new_tokens: TOKENS, min_new_tokens: TOKENS, do_sample: false });
        const ms = performance.now() - started;
        return { ms, tokens: Array.from(out.data).slice(inputs.input_ids.dims[1]).map(Number) };
      };
      const runOurs = async () => {
        const started = performance.now();
        const result = await ours.generate(MESSAGES, { maxTokens: TOKENS, temperature: 0 }, () => undefined);
        return { ms: performance.now() - started, tokens: result.tokens, result };
      };
      const [a, b] = r % 2 === 0 ? [await runOurs(), await runTjs()] : [undefined, await runTjs()];
      const o = a ?? (await runOurs());
      if (JSON.stringify(o.tokens) !== JSON.stringify(b.tokens)) throw new Error('transformers.js and our engine generated different tokens');
      rounds.push({ ours: o, tjs: b });
    }
  } finally {
    await ours.dispose();
    await tjsModel.dispose?.();
  }
  const oursMs = median(rounds.map((r) => r.ours.ms));
  const tjsMs = median(rounds.map((r) => r.tjs.ms));
  const ratios = rounds.map((r) => r.tjs.ms / r.ours.ms);
  return { oursMs, tjsMs, ratios, tokens: rounds[0].ours.tokens.length, ttft: median(rounds.map((r) => r.ours.result.timeToFirstTokenMs)) };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
