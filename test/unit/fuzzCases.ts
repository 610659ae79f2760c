// The seeded fuzzer's cases (test/unit/fuzz.test.ts): real inputs (the example datasets, training logs and
// predictions) with seeded mutations. Each case has its own generator, seeded from the run's seed and the case's
// number, so one case can be rebuilt alone (FUZZ_SEED=… FUZZ_CASE=…).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { prng } from '../fixtures/metrics/corpus.mjs';

export type Target = 'lint' | 'stats' | 'diagnose' | 'metrics';

export interface Source {
  target: Target;
  /** Repository-relative path of the original. */
  file: string;
  /** The name the case's file gets (diagnose tells the log's kind from it). */
  name: string;
  bytes: Buffer;
  /** A dataset_info.json that lies beside the original, copied beside the case. */
  datasetInfo?: Buffer;
}

export interface FuzzCase {
  index: number;
  target: Target;
  source: string;
  mutations: string[];
  name: string;
  bytes: Buffer;
  datasetInfo?: Buffer;
}

export type Random = () => number;

/** The generator of the benchmarks' data (mulberry32), typed through the metrics corpus that re-exports it. */
export const random: (seed: number) => Random = prng;

const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)]!;

/** Hostile text: terminal escape sequences, C0/C1 controls, bidi overrides, NUL. */
const HOSTILE = ['\x1b[31m', '\x1b]0;title\x07', '\x1b[2J', '\x00', '\x7f', '\u0085', '\u009b31m', '\u202e', '\u2066', '\r', '\t', '\x08\x08'];

/** Offsets just after each occurrence of `needle` (a byte pattern in the UTF-8 text). */
function after(bytes: Buffer, needle: string): number[] {
  const out: number[] = [];
  const n = Buffer.from(needle);
  for (let i = bytes.indexOf(n); i !== -1; i = bytes.indexOf(n, i + 1)) out.push(i + n.length);
  return out;
}

function insertAt(bytes: Buffer, offset: number, text: string | Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, offset), typeof text === 'string' ? Buffer.from(text) : text, bytes.subarray(offset)]);
}

/** Inserts `text` after a random occurrence of `needle`, or at a random place when there is none. */
function insertAfter(bytes: Buffer, r: Random, needle: string, text: string | Buffer): Buffer {
  const spots = after(bytes, needle);
  return insertAt(bytes, spots.length > 0 ? pick(r, spots) : int(r, bytes.length + 1), text);
}

const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);

/** Every mutation by name: input bytes and a generator in, mutated bytes out. */
export const MUTATIONS: Record<string, (bytes: Buffer, r: Random) => Buffer> = {
  flipBytes: (bytes, r) => {
    const out = Buffer.from(bytes);
    for (let i = 1 + int(r, 8); i > 0 && out.length > 0; i--) out[int(r, out.length)]! ^= 1 << int(r, 8);
    return out;
  },
  truncate: (bytes, r) => bytes.subarray(0, int(r, bytes.length + 1)),
  rawControlChars: (bytes, r) => {
    let out = bytes;
    for (let i = 1 + int(r, 4); i > 0; i--) out = insertAt(out, int(r, out.length + 1), pick(r, HOSTILE));
    return out;
  },
  escapedControlsInValue: (bytes, r) => insertAfter(bytes, r, '": "', jsonEscaped(pick(r, HOSTILE) + 'x' + pick(r, HOSTILE))),
  escapedControlsInKey: (bytes, r) => insertAfter(bytes, r, '{', `"${jsonEscaped(pick(r, HOSTILE))}k": 1, `),
  escapedControlsInRole: (bytes, r) => insertAfter(bytes, r, '"role": "', jsonEscaped(pick(r, HOSTILE))),
  loneSurrogate: (bytes, r) => insertAfter(bytes, r, '": "', pick(r, ['\\ud800', '\\udfff', '\\ud83d x'])),
  hugeNumber: (bytes, r) => insertAfter(bytes, r, '{', `"n": ${'9'.repeat(5000)}, `),
  hugeNumberValue: (bytes, r) => insertAfter(bytes, r, '": ', `1${'0'.repeat(5000)}e99999, "x": `),
  deepNesting: (bytes, r) => insertAt(bytes, pick(r, [0, bytes.length]), '['.repeat(100_000) + '\n'),
  deepNestingInValue: (bytes, r) => insertAfter(bytes, r, '": ', '['.repeat(50_000) + ']'.repeat(50_000) + ', "y": '),
  longKey: (bytes, r) => insertAfter(bytes, r, '{', `"${'k'.repeat(300_000)}": 1, `),
  longValue: (bytes, r) => insertAfter(bytes, r, '": "', 'v'.repeat(300_000)),
  bom: (bytes, r) => insertAt(bytes, r() < 0.5 ? 0 : pick(r, [0, ...after(bytes, '\n')]), Buffer.from([0xef, 0xbb, 0xbf])),
  crOnly: (bytes) => Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1'),
  u2028LineEnds: (bytes) => Buffer.from(bytes.toString('utf8').replace(/\r?\n/g, '\u2028'), 'utf8'),
  utf16: (bytes, r) => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
    return r() < 0.5 ? le : le.swap16();
  },
  empty: () => Buffer.alloc(0),
  duplicateKeys: (bytes, r) => {
    const text = bytes.toString('utf8');
    const key = /"(\w+)":/.exec(text)?.[1] ?? 'messages';
    return insertAfter(bytes, r, '{', `"${key}": [], `);
  },
};

/**
 * Mutations kept out of the default set for some targets, because they found failures in areas other people fix
 * (issue #10's other items); FUZZ_MUTATIONS=all runs them everywhere. Remove an entry once its fix lands.
 */
export const EXCLUDED: Record<string, { targets: Target[]; why: string }> = {
};

/** The mutations a target gets: all of `chosen` but those EXCLUDED for it (unless FUZZ_MUTATIONS=all). */
export function mutationsFor(target: Target, chosen: readonly string[], all: boolean): string[] {
  return all ? [...chosen] : chosen.filter((m) => !EXCLUDED[m]?.targets.includes(target));
}

/** The first `maxLines` lines of a file: the mutations, not the size, make a case. */
function head(bytes: Buffer, maxLines: number): Buffer {
  let end = -1;
  for (let i = 0; i < maxLines; i++) {
    end = bytes.indexOf(0x0a, end + 1);
    if (end === -1) return bytes;
  }
  return bytes.subarray(0, end + 1);
}

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => f.endsWith('.jsonl') && statSync(f).isFile())
    .sort();
}

/** The inputs of each target, from the repository (run from its root). */
export function loadSources(): Source[] {
  const sources: Source[] = [];
  const add = (target: Target, file: string, maxLines = 40) => {
    const info = path.join(path.dirname(file), 'dataset_info.json');
    let datasetInfo: Buffer | undefined;
    try {
      datasetInfo = target === 'lint' ? readFileSync(info) : undefined;
    } catch {
      datasetInfo = undefined;
    }
    sources.push({ target, file, name: path.basename(file), bytes: head(readFileSync(file), maxLines), ...(datasetInfo ? { datasetInfo } : {}) });
  };
  const datasets = [...jsonlFiles('examples'), ...jsonlFiles('test/fixtures/datasets')].filter((f) => !f.includes('predictions'));
  for (const f of datasets) add('lint', f);
  for (const f of datasets) add('stats', f, 12);
  for (const f of ['test/fixtures/curves/events.jsonl', 'test/fixtures/curves/hf-nan/trainer_state.json', 'test/fixtures/curves/hf-overfit/trainer_state.json', 'test/fixtures/curves/llamafactory/trainer_log.jsonl']) {
    add('diagnose', f, 200);
  }
  for (const f of ['test/fixtures/metrics/generated_predictions.jsonl', ...jsonlFiles('examples').filter((p) => p.includes('predictions'))]) add('metrics', f, 20);
  return sources;
}

/** Case `index` of a run: its target by the plan, its source and one to three mutations from its own generator. */
export function makeCase(seed: number, index: number, target: Target, sources: readonly Source[], mutations: readonly string[], all = false): FuzzCase {
  const r = random((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const source = pick(r, sources.filter((s) => s.target === target));
  const allowed = mutationsFor(target, mutations, all);
  const chosen = Array.from({ length: 1 + int(r, 3) }, () => pick(r, allowed));
  let bytes = source.bytes;
  for (const m of chosen) bytes = MUTATIONS[m]!(bytes, r);
  return { index, target, source: source.file, mutations: chosen, name: source.name, bytes, ...(source.datasetInfo ? { datasetInfo: source.datasetInfo } : {}) };
}

/**
 * How many cases each target gets: lint, diagnose and metrics take milliseconds a case; stats about a second (each
 * run starts a token worker that loads the 11 MB tokenizer), so it gets few.
 */
export const PLAN: readonly [Target, number][] = [['lint', 200], ['diagnose', 80], ['metrics', 60], ['stats', 12]];

/** The target of case `index` under PLAN. */
export function targetOf(index: number): Target | undefined {
  let i = index;
  for (const [target, n] of PLAN) {
    if (i < n) return target;
    i -= n;
  }
  return undefined;
}

export const CASES = PLAN.reduce((n, [, count]) => n + count, 0);
