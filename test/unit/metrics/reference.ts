// Runs the Python reference (test/fixtures/metrics/reference.py) with Debian's python3-jieba and python3-nltk.
// When they are missing the calling test fails with the command that installs them (npm test installs them itself).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { SampleScores } from '../../../src/core/metrics';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const INSTALL = 'apt-get install -y python3 python3-jieba python3-nltk';

/** Throws (failing the test) unless Python can import jieba 0.42.1 and nltk. */
export function requirePythonReference(): void {
  const r = spawnSync(PYTHON, ['-c', 'import jieba, nltk; print(jieba.__version__, nltk.__version__)'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`the Python reference needs ${PYTHON} with jieba and nltk (${(r.stderr || String(r.error)).trim()}): ${INSTALL}`);
  }
  if (!r.stdout.startsWith('0.42.1 ')) throw new Error(`the reference is jieba 0.42.1, found ${r.stdout.trim()}: ${INSTALL}`);
}

export interface ReferenceResult {
  segments: string[][];
  samples: SampleScores[];
  mean: Omit<SampleScores, never> | null;
  seconds: number;
}

export function runReference(request: { texts?: string[]; pairs?: [string, string][]; segmentation?: string }): ReferenceResult {
  requirePythonReference();
  const r = spawnSync(PYTHON, ['test/fixtures/metrics/reference.py'], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 512 << 20,
  });
  if (r.status !== 0) throw new Error(`reference.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReferenceResult;
}

/** The hand-written fixture pairs (one [predict, label] JSON array a line). */
export function fixturePairs(): [string, string][] {
  return readFileSync('test/fixtures/metrics/pairs.jsonl', 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as [string, string]);
}
