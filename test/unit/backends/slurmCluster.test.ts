// SlurmCluster's commands and how it reads their answers, over a scripted RemoteExec (the real Slurm: test/backends).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SlurmDefaults } from '../../../src/shared/backendConfig';
import type { ExecOptions, ExecResult, RemoteExec } from '../../../src/backends/remote/exec';
import { SlurmCluster } from '../../../src/backends/slurm/slurmCluster';
import { SlurmError } from '../../../src/backends/slurm/messages';
import { parseProbeOutput, probeFiles, probeScript } from '../../../src/backends/slurm/probe';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Answers each command by its first word; records argv and stdin. */
class Scripted implements RemoteExec {
  calls: { argv: readonly string[]; stdin?: string }[] = [];
  constructor(private readonly answers: Record<string, Partial<ExecResult>>) {}
  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push({ argv, stdin: options.stdin?.toString() });
    const a = this.answers[argv[0]!] ?? { code: 127, stderr: `${argv[0]}: not found` };
    return { code: 0, stdout: '', stderr: '', ...a };
  }
}

describe('SlurmCluster', () => {
  it('submits the script on stdin to sbatch --parsable and returns the id', async () => {
    const remote = new Scripted({ sbatch: { stdout: '77\n' } });
    assert.equal(await new SlurmCluster(remote).submit('#!/bin/bash\necho hi\n', SlurmDefaults.parse({})), '77');
    assert.deepEqual(remote.calls, [{ argv: ['sbatch', '--parsable'], stdin: '#!/bin/bash\necho hi\n' }]);
  });

  it('a bad partition asks sinfo for the partitions to name', async () => {
    const remote = new Scripted({
      sbatch: { code: 1, stderr: 'sbatch: error: invalid partition specified: gpux\nsbatch: error: Batch job submission failed: Invalid partition name specified\n' },
      sinfo: { stdout: 'cpu*|up|infinite|4|(null)\ngpu|up|2-00:00:00|2|gpu:a100:8\ngpu|up|2-00:00:00|1|gpu:a100:8\n' },
    });
    await assert.rejects(new SlurmCluster(remote).submit('x', SlurmDefaults.parse({ partition: 'gpux' })), /Partition "gpux" does not exist; partitions here: cpu, gpu\./);
  });

  it('partitions merge the lines sinfo writes per node state', async () => {
    const remote = new Scripted({ sinfo: { stdout: 'cpu*|up|infinite|4|(null)\ngpu|up|2-00:00:00|2|gpu:a100:8\ngpu|up|2-00:00:00|1|gpu:a100:8\n' } });
    assert.deepEqual(await new SlurmCluster(remote).partitions(), [
      { name: 'cpu', isDefault: true, availability: 'up', timeLimit: 'infinite', nodes: 4, gres: '(null)' },
      { name: 'gpu', isDefault: false, availability: 'up', timeLimit: '2-00:00:00', nodes: 3, gres: 'gpu:a100:8' },
    ]);
  });

  it('a pending job gets its expected start from squeue --start', async () => {
    const remote = new Scripted({
      scontrol: { stdout: 'JobId=5 JobName=x JobState=PENDING Reason=Resources Restarts=0 StartTime=Unknown Partition=gpu\n' },
      squeue: { stdout: '5|2026-12-08T03:00:00|Resources\n' },
    });
    const s = await new SlurmCluster(remote).state('5');
    assert.deepEqual([s?.phase, s?.reason, s?.startTime], ['pending', 'Resources', '2026-12-08T03:00:00']);
    assert.deepEqual(remote.calls.map((c) => c.argv.join(' ')), ['scontrol show job -o 5', 'squeue --start -h -j 5 -o %i|%S|%r']);
  });

  it('a job scontrol no longer knows is read from sacct; without accounting it is unknown', async () => {
    const gone = { code: 1, stderr: 'slurm_load_jobs error: Invalid job id specified\n' };
    const withSacct = new Scripted({ scontrol: gone, sacct: { stdout: 'JobID|State|ExitCode|Reason|NodeList|Partition|Start|Timelimit\n5|TIMEOUT|0:15|None|n1|gpu|2026-12-07T01:00:00|01:00:00\n' } });
    assert.equal((await new SlurmCluster(withSacct).state('5'))?.phase, 'timeout');
    const noSacct = new Scripted({ scontrol: gone, sacct: { code: 1, stderr: 'sacct: error: Slurm accounting storage is disabled\n' } });
    assert.equal(await new SlurmCluster(noSacct).state('5'), undefined);
  });

  it('a controller that does not answer is an error, not a lost job', async () => {
    const remote = new Scripted({ scontrol: { code: 1, stderr: 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n' } });
    await assert.rejects(new SlurmCluster(remote).state('5'), (e: unknown) => e instanceof SlurmError && /Unable to contact/.test(e.message));
  });

  it('job ids are digits only, before any command runs; missing commands say so', async () => {
    const remote = new Scripted({});
    const cluster = new SlurmCluster(remote);
    await assert.rejects(cluster.cancel('5; rm -rf /'), /not a Slurm job id/);
    await assert.rejects(cluster.state('$(id)'), /not a Slurm job id/);
    assert.equal(remote.calls.length, 0);
    await assert.rejects(cluster.cancel('5'), /scancel was not found/);
  });
});

describe('the probe', () => {
  it('its script runs the setup lines and the Python (bash, no Slurm) in a hostile workDir and reports as JSON', () => {
    const root = mkdtempSync(join(tmpdir(), 'slurm-probe-'));
    try {
      const workDir = join(root, `w 'q' $(touch pwned) \`touch pwned\`; 数据`);
      mkdirSync(workDir);
      writeFileSync(probeFiles(workDir, 'abc123').tokenFile, 'abc123');
      const script = probeScript({ workDir, python: 'python3', setup: ['export FROM_SETUP=1'], slurm: SlurmDefaults.parse({}), token: 'abc123' });
      assert.match(script, /^#SBATCH --time=5$/m);
      assert.match(script, /^#SBATCH --no-requeue$/m);
      assert.match(script, /^export FROM_SETUP=1 \|\| exit 97$/m);
      const r = spawnSync('/bin/bash', ['-c', script], { encoding: 'utf8', cwd: root });
      const result = parseProbeOutput(r.stdout);
      assert.ok(result, r.stdout + r.stderr);
      assert.match(result.python, /^3\./);
      assert.equal(result.work_dir_shared, true);
      assert.deepEqual(Object.keys(result.packages).sort(), ['accelerate', 'peft', 'torch', 'transformers']);
      assert.ok(!readdirSync(root).includes('pwned') && !readdirSync(workDir).includes('pwned'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('output without a report, or with one of the wrong shape, gives no result', () => {
    assert.equal(parseProbeOutput('module: command not found\n'), undefined);
    assert.equal(parseProbeOutput('FINETUNE_PROBE {"python": 3}\n'), undefined, 'a report of the wrong shape');
  });
});
