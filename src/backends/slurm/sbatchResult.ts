// What `sbatch --parsable` answered: the job id, or why Slurm refused the job, turned into a message that says what
// to change (a bad partition names the partitions that exist, read with sinfo by the caller).
import type { SlurmDefaults } from '../../shared/backendConfig';
import type { ExecResult } from '../remote/exec';
import { SlurmError } from './messages';

export type SbatchRefusal = 'partition' | 'account' | 'qos' | 'time' | 'resources' | 'gres' | 'other' | 'noId';

export type SbatchOutcome = { id: string } | { refused: SbatchRefusal; detail: string; partition?: string };

/** sbatch's error lines without the "sbatch: error: " prefixes, joined (the reason Slurm gave, verbatim). */
function errorDetail(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.replace(/^\s*sbatch:\s*(error:\s*)?/, '').trim()).filter(Boolean);
  const failed = lines.find((l) => /^Batch job submission failed:/.test(l));
  return (failed ? failed.replace(/^Batch job submission failed:\s*/, '') : lines.join('; ')) || '(no message)';
}

/** The outcome of `sbatch --parsable` from its exit status and output ("123" or "123;cluster"). */
export function parseSbatch(result: ExecResult): SbatchOutcome {
  if (result.code === 0) {
    const m = /^(\d+)(?:_\d+)?(?:;\S+)?\s*$/m.exec(result.stdout.trim().split('\n').pop() ?? '');
    return m ? { id: m[1]! } : { refused: 'noId', detail: (result.stdout + result.stderr).trim() || '(no output)' };
  }
  const detail = errorDetail(result.stderr || result.stdout);
  const text = result.stderr + result.stdout;
  const partition = /invalid partition specified:\s*(\S+)/i.exec(text)?.[1];
  if (partition || /Invalid partition name/i.test(text)) return { refused: 'partition', detail, partition };
  if (/Invalid account/i.test(text)) return { refused: 'account', detail };
  if (/Invalid qos/i.test(text)) return { refused: 'qos', detail };
  if (/time limit/i.test(text)) return { refused: 'time', detail };
  if (/generic resource|gres/i.test(text)) return { refused: 'gres', detail };
  if (/node configuration is not available|Requested node/i.test(text)) return { refused: 'resources', detail };
  return { refused: 'other', detail };
}

/** The resources a job asks for, as sbatch options (the same in every language). */
export function resourcesText(slurm: Pick<SlurmDefaults, 'gpus' | 'gpusPerNode' | 'nodes' | 'cpusPerTask' | 'mem'>): string {
  const parts = [`--nodes=${slurm.nodes}`];
  if (slurm.gpus > 0) parts.push(slurm.gpusPerNode ? `--gpus-per-node=${slurm.gpus}` : `--gres=gpu:${slurm.gpus}`);
  if (slurm.cpusPerTask) parts.push(`--cpus-per-task=${slurm.cpusPerTask}`);
  if (slurm.mem) parts.push(`--mem=${slurm.mem}`);
  return parts.join(' ');
}

/** The error for a refusal; `partitions` are the cluster's partitions (sinfo), named when the partition was wrong. */
export function sbatchError(outcome: Extract<SbatchOutcome, { refused: SbatchRefusal }>, slurm: SlurmDefaults, partitions: readonly string[] = []): SlurmError {
  const { detail } = outcome;
  const partition = outcome.partition ?? slurm.partition ?? '';
  switch (outcome.refused) {
    case 'partition':
      return new SlurmError('sbatch.partition', { partition, partitions: partitions.join(', ') || '?' });
    case 'account':
      return new SlurmError('sbatch.account', { account: slurm.account ?? '', partition, detail });
    case 'qos':
      return new SlurmError('sbatch.qos', { qos: slurm.qos ?? '', detail });
    case 'time':
      return new SlurmError('sbatch.time', { time: slurm.time ?? '', detail });
    case 'resources':
      return new SlurmError('sbatch.resources', { partition, resources: resourcesText(slurm), detail });
    case 'gres':
      return new SlurmError('sbatch.gres', { resources: resourcesText(slurm), detail });
    case 'noId':
      return new SlurmError('sbatch.noId', { detail });
    default:
      return new SlurmError('sbatch.other', { detail });
  }
}
