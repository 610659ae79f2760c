// The time-limit note of the sbatch review: the --time the script asks for, a warning with the figures when it is
// shorter than tokens × epochs ÷ throughput, and "unknown" (with why) when a figure is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptTimeLimit, timeLimitNote } from '../../../src/backends/slurm/timeLimit';
import { sbatchScript } from '../../../src/backends/slurm/sbatchScript';
import { SlurmDefaults } from '../../../src/shared/backendConfig';

test('the --time of a script: every spelling, the last one, and only #SBATCH lines before the first command', () => {
  assert.equal(scriptTimeLimit('#!/bin/bash\n#SBATCH --time=1-02:00:00\n#SBATCH -p gpu\n'), '1-02:00:00');
  assert.equal(scriptTimeLimit('#!/bin/bash\n#SBATCH --time 90\n'), '90');
  assert.equal(scriptTimeLimit('#!/bin/bash\n#SBATCH -t 30\n#SBATCH -t45\n'), '45');
  assert.equal(scriptTimeLimit('#!/bin/bash\n# a comment\n\n#SBATCH --time=10\ncd /w\n#SBATCH --time=999\n'), '10', 'sbatch stops at the first command');
  assert.equal(scriptTimeLimit('#!/bin/bash\n#SBATCH --partition=gpu\n'), undefined);
  assert.equal(scriptTimeLimit('#!/bin/bash\n# SBATCH --time=10\n'), undefined, 'a commented-out directive');
});

test('the generated script\'s --time is the one read back', () => {
  const script = sbatchScript({
    name: 'ft-job', runDir: '/w/runs/r', python: 'python3', trainer: ['-m', 'finetune_trainer', 'train', '--config', '/w/runs/r/config.json'],
    trainerDir: '/w/trainer/x', setup: [], slurm: SlurmDefaults.parse({ time: '04:00:00', partition: 'gpu' }),
  });
  assert.equal(scriptTimeLimit(script), '04:00:00');
});

test('a limit shorter than the estimate: a warning with every figure, the suggestion and where the throughput is from', () => {
  // 3,600,000 tokens × 2 epochs at 500 tokens/s = 14,400 s = 4 h, against 2 h.
  const note = timeLimitNote('2:00:00', { tokens: 3_600_000, epochs: 2, tokensPerSecond: 500, throughputFrom: 'the steps of job "v1"' }, 'en')!;
  assert.match(note, /02:00:00 is shorter than the estimated 04:00:00/);
  assert.match(note, /3,600,000 tokens × 2 epochs at 500 tokens\/s/);
  assert.match(note, /at least 05:00:00/, 'the estimate with its margin');
  assert.match(note, /Throughput from the steps of job "v1"/);
  assert.match(timeLimitNote('120', { tokens: 3_600_000, epochs: 2, tokensPerSecond: 500 }, 'zh-cn')!, /时间上限 02:00:00 短于预计的 04:00:00/);
});

test('a limit that is long enough, or no limit in the script, gives no note', () => {
  assert.equal(timeLimitNote('5:00:00', { tokens: 3_600_000, epochs: 2, tokensPerSecond: 500 }, 'en'), undefined);
  assert.equal(timeLimitNote(undefined, { tokens: 3_600_000, epochs: 2, tokensPerSecond: 500 }, 'en'), undefined);
  assert.equal(timeLimitNote('UNLIMITED', { epochs: 2 }, 'en'), undefined);
});

test('without a throughput, or without the tokens, the note says the duration is unknown and why', () => {
  const noThroughput = timeLimitNote('1:00:00', { tokens: 1000, epochs: 3 }, 'en')!;
  assert.match(noThroughput, /Whether the time limit 01:00:00 is long enough is unknown/);
  assert.match(noThroughput, /no throughput is known for this backend/);
  assert.match(timeLimitNote('1:00:00', { epochs: 3, tokensPerSecond: 500 }, 'en')!, /tokens could not be counted/);
  assert.match(timeLimitNote('1:00:00', { tokens: 1000, epochs: 3 }, 'zh-cn')!, /无法判断时间上限 01:00:00 是否足够/);
});
