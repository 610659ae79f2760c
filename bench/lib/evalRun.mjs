// A synthetic eval run of the wuxia-doctor scenario with any number of samples, for the eval-detail view's UI test
// and benchmark: eval.json, two models' predictions (base and fine-tuned) and scores.json in the formats of
// src/core/eval, written under `<workspace>/.finetune/evals/<id>/`. Deterministic (seeded).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const QUESTIONS = ['赶夜路吹了一宿冷风，后脖子发紧、打喷嚏', '晚上躺下脑子停不下来，睡不着', '被生锈的铁钉扎了脚底', '久坐办公室，大腿后面发麻',
  '感冒好了之后一直咳嗽', '天天吃外卖，口干舌燥还长痘', 'My wrist hurts after a fall while playing ball', '一紧张就肚子疼'];
const ADVICE = ['此乃风寒客于太阳经，速煮姜枣汤趁热饮下', '老夫传你数息法，意守丹田', '速去医馆清洗伤口，打一针破伤风', '每坐半个时辰便起身走动',
  '枇杷叶、桔梗、甘草煮水饮之', '少侠须管住嘴，多饮白水', 'Rest it, ice it and see a physician if it stays swollen', '饮食规律，少吃生冷辛辣'];
const PLAIN = ['建议多喝温水，注意休息', '请及时到医院就诊', '保持规律作息，避免熬夜', 'Please consult a doctor if it persists'];

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const score = (v) => Math.round(v * 1e4) / 1e4;
const scores = (v) => ({ 'bleu-4': score(v * 0.6), 'rouge-1': score(v), 'rouge-2': score(v * 0.7), 'rouge-l': score(v * 0.9),
  rouge: { 'rouge-1': { f: score(v), p: score(v), r: score(v) }, 'rouge-2': { f: score(v * 0.7), p: 0, r: 0 }, 'rouge-l': { f: score(v * 0.9), p: 0, r: 0 } } });
const mean = (xs) => scores(xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Writes the run and returns { id, dir, rows } (rows: the predictions, for checks). `special` answers replace the
 * fine-tuned model's answer of the given samples (e.g. markup for the XSS check).
 */
export function writeEvalRun(workspace, { samples = 10_000, id = `bench-${samples}`, seed = 1, special = {}, names = ['base', 'wuxia-lora'] } = {}) {
  const random = rng(seed);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const dir = join(workspace, '.finetune', 'evals', id);
  mkdirSync(dir, { recursive: true });
  const base = [];
  const tuned = [];
  const baseScores = [];
  const tunedScores = [];
  for (let i = 0; i < samples; i++) {
    const question = `${pick(QUESTIONS)}（第 ${i + 1} 问）`;
    const label = `${pick(ADVICE)}。${pick(ADVICE)}，切记切记。`;
    const prompt = `system\n你是一位医术高明的江湖郎中，人称“妙手先生”。\nuser\n${question}\nassistant\n`;
    base.push({ prompt, predict: `${pick(PLAIN)}。${pick(PLAIN)}。`, label, index: i });
    tuned.push({ prompt, predict: special[i] ?? (random() < 0.3 ? label.replace('切记', '务必') : `${pick(ADVICE)}。`), label, index: i });
    baseScores.push(random() * 40);
    tunedScores.push(random() * 90);
  }
  const jsonl = (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(join(dir, 'eval.json'), JSON.stringify({
    version: 1, id, created: new Date().toISOString(), segmentation: 'jieba', testSet: 'eval.jsonl',
    sampleLines: Array.from({ length: samples }, (_, i) => i),
    models: [
      { id: 'base', name: names[0], kind: 'base', source: 'synthetic', status: 'done', isBase: true },
      { id: 'tuned', name: names[1], kind: 'finetuned', source: 'synthetic', status: 'done', isBase: false },
    ],
  }, null, 2));
  writeFileSync(join(dir, 'base.predictions.jsonl'), jsonl(base));
  writeFileSync(join(dir, 'tuned.predictions.jsonl'), jsonl(tuned));
  writeFileSync(join(dir, 'scores.json'), JSON.stringify({
    version: 1, segmentation: 'jieba',
    models: {
      base: { samples: baseScores.map(scores), mean: mean(baseScores) },
      tuned: { samples: tunedScores.map(scores), mean: mean(tunedScores) },
    },
  }));
  return { id, dir, rows: tuned };
}
