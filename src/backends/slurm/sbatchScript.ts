// The sbatch script of a job: #SBATCH lines from the backend's SlurmDefaults, the backend's setup lines, and the
// launch (one node: the trainer itself; several: srun + torchrun with c10d rendezvous on the first node). The batch
// shell forwards Slurm's warning signal to the trainer (it saves a checkpoint and stops) and writes the exit code
// file. Shell words go through shellQuote; #SBATCH values are read by sbatch, not by a shell (see sbatchWord).
import type { SlurmDefaults } from '../../shared/backendConfig';
import { SETUP_FAILED, setupLines, shellQuote, shellWord } from '../remote/exec';
import { SlurmError } from './messages';
import { EXIT_STOPPED, RUN_FILES } from '../runFiles';

/** Files the script writes in the run folder. */
export const SLURM_FILES = {
  /** Slurm's own output of the job (slurmstepd's messages such as "CANCELLED ... DUE TO TIME LIMIT"), appended over attempts. */
  slurmOutput: 'slurm.out',
  /** The setup lines' and the trainer's stdout and stderr, appended over attempts. */
  log: RUN_FILES.log,
  /** The trainer's exit status, written when the batch shell ends; removed when an attempt starts. */
  exitCode: RUN_FILES.exitCode,
} as const;

/** The rendezvous port on the first node for multi-node runs. */
export const RDZV_PORT = 29500;

export interface SbatchJob {
  /** Shown in squeue; sanitised to letters, digits, ".", "_" and "-". */
  name: string;
  /** The run folder on the cluster (shared between the login and compute nodes). */
  runDir: string;
  /** The Python that runs the trainer (after setup). */
  python: string;
  /** The trainer's arguments after python, e.g. ['-m', 'finetune_trainer', 'train', '--config', '<runDir>/config.json']. */
  trainer: readonly string[];
  /** Put on PYTHONPATH: the folder holding the uploaded finetune_trainer package. */
  trainerDir?: string;
  /** The backend's setup lines (module load, conda activate…), run by the batch shell before the trainer. */
  setup?: readonly string[];
  slurm: SlurmDefaults;
}

/** A job name Slurm and a terminal show safely: letters, digits, ".", "_" and "-" (others become "_"), at most 64. */
export function sanitizeJobName(name: string): string {
  const clean = [...name].map((c) => (/^[A-Za-z0-9._-]$/.test(c) ? c : '_')).join('').slice(0, 64);
  return /[A-Za-z0-9]/.test(clean) ? clean : 'finetune';
}

/**
 * A value on an #SBATCH line. sbatch splits those lines itself: it understands "…" and '…' quotes and takes a
 * backslash as an escape even inside single quotes, so shellWord's quoting would lose backslashes. Plain words
 * stay plain; anything else is double-quoted with \ and " escaped. A line break cannot be written at all.
 */
export function sbatchWord(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) throw new SlurmError('script.line', { what, value });
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Partition, account, QoS names and the like: Slurm's own names never need quoting, so anything else is a mistake. */
function slurmName(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) throw new SlurmError('script.line', { what, value });
  if (!/^[A-Za-z0-9_.:,+=@/|&*()[\]-]+$/.test(value)) throw new SlurmError('script.value', { what, value });
  return /[|&*()[\]]/.test(value) ? sbatchWord(value, what) : value;
}

/**
 * A folder in a Slurm filename pattern: its % signs doubled so none is expanded. Slurm takes a backslash in the
 * name as "expand nothing" and drops it, so a folder holding one cannot be written at all.
 */
function filenamePattern(dir: string, what: string): string {
  if (dir.includes('\\')) throw new SlurmError('script.backslash', { what, value: dir });
  return dir.replace(/%/g, '%%');
}

/** The #SBATCH lines (without the prefix) for a job's resources; Slurm's output goes to `outputFile` in the run folder. */
export function sbatchOptions(job: Pick<SbatchJob, 'name' | 'runDir' | 'slurm'>, outputFile: string = SLURM_FILES.slurmOutput): string[] {
  const s = job.slurm;
  const lines = [`--job-name=${sanitizeJobName(job.name)}`];
  if (s.partition) lines.push(`--partition=${slurmName(s.partition, 'partition')}`);
  lines.push(`--nodes=${s.nodes}`);
  if (s.nodes > 1) lines.push('--ntasks-per-node=1');
  if (s.gpus > 0) lines.push(s.gpusPerNode ? `--gpus-per-node=${s.gpus}` : `--gres=gpu:${s.gpus}`);
  if (s.cpusPerTask) lines.push(`--cpus-per-task=${s.cpusPerTask}`);
  if (s.mem) lines.push(`--mem=${s.mem}`);
  if (s.time) lines.push(`--time=${s.time}`);
  if (s.account) lines.push(`--account=${slurmName(s.account, 'account')}`);
  if (s.qos) lines.push(`--qos=${slurmName(s.qos, 'qos')}`);
  if (s.constraint) lines.push(`--constraint=${slurmName(s.constraint, 'constraint')}`);
  lines.push(s.requeue ? '--requeue' : '--no-requeue');
  lines.push(`--signal=B:USR1@${s.signalSeconds}`);
  lines.push(`--output=${sbatchWord(`${filenamePattern(job.runDir.replace(/\/+$/, ''), 'runDir')}/${outputFile}`, 'runDir')}`);
  lines.push('--open-mode=append');
  for (const extra of s.extra) lines.push(extraLine(extra));
  return lines;
}

/** An extra line as the user wrote it (their own sbatch syntax); only a line break is refused. */
function extraLine(extra: string): string {
  if (/[\r\n\0]/.test(extra)) throw new SlurmError('script.line', { what: 'extra #SBATCH line', value: extra });
  return extra.trim();
}

/** torchrun ends on USR1 (it handles TERM, INT, HUP and QUIT only), so where it runs the warning goes on as TERM. */
const usesTorchrun = (slurm: SlurmDefaults) => slurm.nodes > 1 || slurm.gpus > 1;

/** The launch line(s): the trainer itself (one GPU), torchrun on one node (several), srun + torchrun (several nodes). */
function launch(job: SbatchJob): string[] {
  const { nodes, gpus } = job.slurm;
  if (!usesTorchrun(job.slurm)) return [`${shellQuote([job.python, ...job.trainer])} &`];
  if (nodes <= 1) return [`${shellQuote([job.python, '-m', 'torch.distributed.run', '--standalone', `--nproc_per_node=${gpus}`, ...job.trainer])} &`];
  // torchrun's arguments: the trainer's `-m finetune_trainer …` become its module to run on each rank.
  const torchrun = shellQuote([job.python, '-m', 'torch.distributed.run', `--nnodes=${nodes}`, `--nproc_per_node=${Math.max(gpus, 1)}`, '--rdzv_backend=c10d']);
  return [
    'head_node=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
    `srun --nodes=${nodes} --ntasks-per-node=1 --kill-on-bad-exit=1 ${torchrun} --rdzv_id="$SLURM_JOB_ID" --rdzv_endpoint="$head_node:${RDZV_PORT}" ${shellQuote([...job.trainer])} &`,
  ];
}

/** The whole script, ready for `sbatch` (on stdin or as a file); shown to the user and editable before submission. */
export function sbatchScript(job: SbatchJob): string {
  const torchrun = usesTorchrun(job.slurm);
  const files = SLURM_FILES;
  return [
    '#!/bin/bash',
    '# Generated by Fine-tune Studio. Edit the #SBATCH lines as you need before submitting.',
    ...sbatchOptions(job).map((o) => `#SBATCH ${o}`),
    '',
    `cd ${shellWord(job.runDir)} || exit ${SETUP_FAILED}`,
    `rm -f ${files.exitCode}`,
    `exec >> ${files.log} 2>&1`,
    `finish() { printf '%s\\n' "$1" > ${files.exitCode}; exit "$1"; }`,
    'echo "== Slurm job $SLURM_JOB_ID, attempt $((${SLURM_RESTART_COUNT:-0} + 1)), on $(hostname) at $(date -u +%FT%TZ)"',
    ...setupLines(job.setup ?? [], 'finish'),
    ...(job.trainerDir ? [`export PYTHONPATH=${shellWord(job.trainerDir)}\${PYTHONPATH:+:\$PYTHONPATH}`] : []),
    '# FINETUNE_SAVE_ON_TERM: a preemption or requeue sends TERM and waits KillWait, so the trainer saves a checkpoint then too.',
    'export PYTHONUNBUFFERED=1 PYTHONIOENCODING=utf-8 FINETUNE_SAVE_ON_TERM=1',
    '',
    `# Slurm's warning before the time limit (--signal=B:USR1) and its TERM reach this shell only: pass them on, so the`,
    '# trainer saves a checkpoint and stops cleanly.' + (torchrun ? ' torchrun ends on USR1, so it gets TERM for both.' : ''),
    'trainer_pid=',
    `forward() { [ -n "$trainer_pid" ] && kill -s "$1" "$trainer_pid" 2>/dev/null; }`,
    `trap 'forward ${torchrun ? 'TERM' : 'USR1'}' USR1`,
    `trap 'forward TERM' TERM`,
    ...launch(job),
    'trainer_pid=$!',
    '# A trapped signal interrupts wait (status > 128): wait again while the trainer lives. If it ended just then, a',
    '# second wait returns the status bash saved for it (127 when the first wait already had it).',
    'while :; do',
    '  wait "$trainer_pid"; code=$?',
    '  kill -0 "$trainer_pid" 2>/dev/null && continue',
    '  [ "$code" -gt 128 ] && { wait "$trainer_pid"; again=$?; [ "$again" -ne 127 ] && code=$again; }',
    '  break',
    'done',
    ...(job.slurm.requeue
      ? [`# Stopped on the warning with a checkpoint: requeue, and the next attempt resumes from it (resume_from_checkpoint "latest").`,
        `if [ "$code" -eq ${EXIT_STOPPED} ]; then echo "== requeueing job $SLURM_JOB_ID to resume from its checkpoint"; scontrol requeue "$SLURM_JOB_ID" && exit 0; fi`]
      : []),
    'finish "$code"',
    '',
  ].join('\n');
}
