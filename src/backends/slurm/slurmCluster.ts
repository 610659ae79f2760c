// A Slurm cluster's commands over a RemoteExec (SSH to the login node, or this machine when it is one): submit a
// script, read a job's state, cancel it, list partitions. Every command is argv; nothing is assembled as text.
import type { SlurmDefaults } from '../../shared/backendConfig';
import { randomBytes } from 'node:crypto';
import type { ExecResult, RemoteExec } from '../remote/exec';
import { isActive, parseSqueueStart, SACCT_FIELDS, statusFromSacct, statusFromScontrol, type SlurmJobStatus } from './jobState';
import { SLURM_JOB_ID } from '../../shared/job';
import { SlurmError } from './messages';
import { parseProbeOutput, probeFiles, probeScript, type ProbeResult } from './probe';
import { parseSbatch, sbatchError } from './sbatchResult';

export interface SlurmPartition {
  name: string;
  /** The partition jobs go to without --partition. */
  isDefault: boolean;
  /** up, down, drain, inact. */
  availability: string;
  /** As sinfo writes it: infinite, 1-00:00:00. */
  timeLimit: string;
  nodes: number;
  /** Generic resources of its nodes, e.g. gpu:a100:8 (null without). */
  gres: string;
}

export interface ProbeRequest {
  workDir: string;
  python: string;
  setup: readonly string[];
  slurm: SlurmDefaults;
}

/** A submitted probe: poll probeReport(started) until it returns a report. */
export interface StartedProbe {
  id: string;
  token: string;
  workDir: string;
}

export interface ProbeReport {
  id: string;
  status: SlurmJobStatus | undefined;
  /** What the compute node gave the trainer; undefined when the probe printed no report (see `output`). */
  result?: ProbeResult;
  /** Login node and compute node see the same workDir (each read what the other wrote). */
  workDirShared: boolean;
  /** The probe job's output (setup errors, Python's traceback), empty when it cannot be read from the login node. */
  output: string;
}

/** Job ids are digits (an array task adds _N); anything else is refused before it reaches a command. */
function jobId(id: string): string {
  if (!SLURM_JOB_ID.test(id)) throw new Error(`not a Slurm job id: ${JSON.stringify(id)}`);
  return id;
}

export class SlurmCluster {
  constructor(private readonly remote: RemoteExec) {}

  /** Runs a Slurm command; a missing command gets a message that says so (exit 127 from the shell). */
  private async run(argv: string[], stdin?: string): Promise<ExecResult> {
    const result = await this.remote.exec(argv, stdin === undefined ? {} : { stdin });
    if (result.code === 127) throw new SlurmError('slurm.notFound', { command: argv[0]! });
    return result;
  }

  private async ok(argv: string[]): Promise<string> {
    const r = await this.run(argv);
    if (r.code !== 0) throw new SlurmError('slurm.failed', { command: argv.join(' '), code: String(r.code), detail: (r.stderr || r.stdout).trim() });
    return r.stdout;
  }

  /**
   * Submits a script (sbatch reads it on stdin) and returns the job id. A refusal throws a SlurmError that says
   * what to change; `slurm` is what the script asked for, named in that message.
   */
  async submit(script: string, slurm: SlurmDefaults): Promise<string> {
    const outcome = parseSbatch(await this.run(['sbatch', '--parsable'], script));
    if ('id' in outcome) return outcome.id;
    const partitions = outcome.refused === 'partition' ? (await this.partitions().catch(() => [])).map((p) => p.name) : [];
    throw sbatchError(outcome, slurm, partitions);
  }

  /**
   * The job's state: scontrol while Slurm still holds the job (MinJobAge after it ends), then sacct where slurmdbd
   * keeps accounting; the expected start of a pending job from squeue --start. Undefined when Slurm knows it no more.
   */
  async state(id: string): Promise<SlurmJobStatus | undefined> {
    const r = await this.run(['scontrol', 'show', 'job', '-o', jobId(id)]);
    // A job Slurm has forgotten (after MinJobAge) is "Invalid job id"; anything else (the controller down) is an
    // error, never a lost job.
    if (r.code !== 0 && !/Invalid job id/i.test(r.stderr + r.stdout)) {
      throw new SlurmError('slurm.failed', { command: `scontrol show job ${id}`, code: String(r.code), detail: (r.stderr || r.stdout).trim() });
    }
    const line = r.code === 0 ? r.stdout.split('\n').find((l) => l.startsWith(`JobId=${id} `)) : undefined;
    const status = line ? statusFromScontrol(line) : await this.fromSacct(id);
    if (status?.phase === 'pending') {
      const start = await this.run(['squeue', '--start', '-h', '-j', id, '-o', '%i|%S|%r']);
      const expected = start.code === 0 ? parseSqueueStart(start.stdout).get(id) : undefined;
      return { ...status, startTime: expected ?? status.startTime };
    }
    return status;
  }

  private async fromSacct(id: string): Promise<SlurmJobStatus | undefined> {
    const r = await this.run(['sacct', '-j', id, '--parsable2', '--format', SACCT_FIELDS]);
    return r.code === 0 ? statusFromSacct(r.stdout, id) : undefined;
  }

  /** scancel: Slurm sends TERM (the batch shell passes it to the trainer, which stops cleanly), KILL after KillWait. */
  async cancel(id: string): Promise<void> {
    await this.ok(['scancel', jobId(id)]);
  }

  /** The cluster's partitions, as sinfo lists them. */
  async partitions(): Promise<SlurmPartition[]> {
    const out = await this.ok(['sinfo', '-h', '-o', '%P|%a|%l|%D|%G']);
    const seen = new Map<string, SlurmPartition>();
    for (const line of out.split('\n')) {
      const [name, availability = '', timeLimit = '', nodes = '0', gres = ''] = line.trim().split('|');
      if (!name) continue;
      const p: SlurmPartition = { name: name.replace(/\*$/, ''), isDefault: name.endsWith('*'), availability, timeLimit, nodes: Number(nodes) || 0, gres };
      const before = seen.get(p.name);
      if (before) before.nodes += p.nodes; // one line per node state or gres kind
      else seen.set(p.name, p);
    }
    return [...seen.values()];
  }

  /** Submits the probe: the login node writes a token into workDir, and the probe job reads it back there. */
  async startProbe(request: ProbeRequest): Promise<StartedProbe> {
    const token = randomBytes(8).toString('hex');
    await this.ok(['mkdir', '-p', request.workDir]);
    const w = await this.run(['sh', '-c', 'cat > "$1"', 'sh', probeFiles(request.workDir, token).tokenFile], token);
    if (w.code !== 0) throw new SlurmError('slurm.failed', { command: `write ${request.workDir}`, code: String(w.code), detail: w.stderr.trim() });
    const id = await this.submit(probeScript({ ...request, token }), request.slurm);
    return { id, token, workDir: request.workDir };
  }

  /** The probe's report once its job has ended (undefined while it is pending or running); removes its files. */
  async probeReport(started: StartedProbe): Promise<ProbeReport | undefined> {
    const status = await this.state(started.id);
    if (status && isActive(status.phase)) return undefined;
    const files = probeFiles(started.workDir, started.token);
    const outputFile = files.output;
    const read = await this.run(['cat', outputFile]);
    await this.run(['rm', '-f', files.tokenFile, outputFile]);
    const output = read.code === 0 ? read.stdout : '';
    const result = parseProbeOutput(output);
    return { id: started.id, status, result, workDirShared: read.code === 0 && !!result?.work_dir_shared, output };
  }
}
