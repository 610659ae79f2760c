// Deterministic chat datasets for the benchmarks: wuxia-doctor style samples, Chinese and English,
// with a few typical mistakes (1 line in 500) so the linter has something to report.
import { createWriteStream, existsSync, statSync } from 'node:fs';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const questions = ['老夫近日头痛欲裂，可有良方？', '少侠被刀所伤，血流不止，如何是好？', 'How should I treat a cold caught in the rain?', '夜里总是失眠多梦，该当如何调理？', '误食了山中野果，腹痛如绞。'];
const answers = ['此乃风寒入体，可取生姜三片、葱白两段煎汤热服，盖被发汗，切记避风。', '先以干净布条按压伤口止血，再敷金疮药，三日内莫沾水，忌食辛辣。', 'Rest, drink warm ginger tea, and keep warm; if the fever lasts past three days, see a physician.', '心神不宁所致，睡前以酸枣仁煎水温服，少思虑，多行走。', '速速催吐，再饮绿豆汤解毒；若见唇青气短，立刻寻医，不可耽搁。'];

export function sampleLine(random, i) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const repeat = 1 + Math.floor(random() * 4);
  const messages = [
    { role: 'system', content: '你是一位医术高明的江湖郎中，用武侠小说的口吻回答。' },
    { role: 'user', content: `${pick(questions)}（第${i}问）` },
    { role: 'assistant', content: Array.from({ length: repeat }, () => pick(answers)).join('') },
  ];
  if (i % 500 === 7) messages[2].role = 'assitant';
  if (i % 500 === 11) return JSON.stringify({ messages }).slice(0, -2) + ',]}';
  return JSON.stringify({ messages });
}

/** Writes (once) a file of about `bytes` and returns its path and size. */
export async function ensureDataset(path, bytes) {
  if (existsSync(path) && Math.abs(statSync(path).size - bytes) < bytes * 0.05) return { path, size: statSync(path).size };
  const out = createWriteStream(path);
  const random = rng(42);
  let written = 0;
  for (let i = 0; written < bytes; i++) {
    const line = sampleLine(random, i) + '\n';
    written += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return { path, size: statSync(path).size };
}

export function datasetText(lines) {
  const random = rng(7);
  return Array.from({ length: lines }, (_, i) => sampleLine(random, i)).join('\n') + '\n';
}

const shortQuestions = ['头痛', 'A cut that bleeds', '失眠', 'Ate a wild berry', '风寒'];
const shortAnswers = ['生姜葱白煎汤。', 'Press, then bandage.', '酸枣仁煎水。', 'Make yourself sick.', '盖被发汗。'];

/**
 * A tiny chat sample (about 100 bytes): two turns, mostly distinct by its number. One line in 1000 repeats
 * an earlier sample exactly, one differs from it only in case (FT041), one asks its question with another
 * answer (FT042); one in 500 has a misspelt role or a trailing comma, as sampleLine.
 */
export function tinySampleLine(random, i) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const of = (n) => [`${shortQuestions[n % 5]} #${n}?`, shortAnswers[(Math.imul(n, 0x9e3779b1) >>> 28) % 5]];
  let [q, a] = of(i);
  const earlier = Math.floor(random() * Math.max(1, i));
  if (i % 1000 === 101) [q, a] = of(earlier);
  else if (i % 1000 === 303) [q, a] = of(earlier).map((s) => s.toUpperCase());
  else if (i % 1000 === 505) [q, a] = [of(earlier)[0], of(earlier)[1] + pick(['!', ' 速速！'])];
  const messages = [{ role: 'user', content: q }, { role: i % 500 === 7 ? 'assitant' : 'assistant', content: a }];
  if (i % 500 === 11) return JSON.stringify({ messages }).slice(0, -2) + ',]}';
  return JSON.stringify({ messages });
}

/** Writes (once) a file of `count` tiny samples (tinySampleLine) and returns its path and size. */
export async function ensureTinyDataset(path, count) {
  if (existsSync(path) && statSync(path).size > count * 50) return { path, size: statSync(path).size, samples: count };
  const out = createWriteStream(path);
  const random = rng(43);
  for (let i = 0; i < count; i++) {
    if (!out.write(tinySampleLine(random, i) + '\n')) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return { path, size: statSync(path).size, samples: count };
}
