// The `finetune.backends` setting: named remote backends, configured once and chosen by name in a job spec
// (`"backend": {"kind": "ssh", "name": "lab-gpu"}`). The extension and the `finetune-studio job` CLI read the same
// entries (a backend file holds one). Secrets never live here: passphrases and passwords go to SecretStorage.
import * as z from 'zod';

/** A backend's name, as a job spec names it. */
export const BackendName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" and "-" only (at most 64)');

/** How to reach the machine: an SSH host (or a `Host` alias of ~/.ssh/config, resolved by the editor). */
const SshTarget = {
  name: BackendName,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).optional(),
  /** A private key file (~ expanded); without it the SSH agent is asked. */
  identityFile: z.string().min(1).optional(),
  /** Default ~/.ssh/known_hosts. Host keys are always checked against it. */
  knownHostsFile: z.string().min(1).optional(),
  /** The Python that runs the trainer on the remote side (after `setup`). */
  python: z.string().min(1).default('python3'),
  /** Shell lines run before the trainer and before the check, in a non-interactive shell. */
  setup: z.array(z.string()).default([]),
  /** Where run folders, uploaded datasets and the trainer package live on the remote side. */
  workDir: z.string().min(1),
};

export const SshBackendConfig = z.strictObject({ kind: z.literal('ssh'), ...SshTarget });
export type SshBackendConfig = z.infer<typeof SshBackendConfig>;

/** A job's resources on a Slurm cluster; each may be overridden in the generated sbatch script before submission. */
export const SlurmDefaults = z.strictObject({
  partition: z.string().min(1).optional(),
  /** GPUs per node, requested as --gres=gpu:N (or --gpus-per-node=N with gpusPerNode: true). */
  gpus: z.number().int().min(0).default(1),
  gpusPerNode: z.boolean().default(false),
  nodes: z.number().int().min(1).default(1),
  cpusPerTask: z.number().int().min(1).optional(),
  /** As sbatch takes it: 64G, 32000M. */
  mem: z.string().regex(/^\d+[KMGT]?$/).optional(),
  /** As sbatch takes it: minutes, HH:MM:SS, D-HH:MM:SS. */
  time: z.string().regex(/^(\d+-)?\d+(:\d{2}){0,2}$/).optional(),
  account: z.string().min(1).optional(),
  qos: z.string().min(1).optional(),
  constraint: z.string().min(1).optional(),
  /** Let Slurm requeue a preempted job; it resumes from its last checkpoint. */
  requeue: z.boolean().default(false),
  /** Seconds before the time limit at which the trainer is told to save a checkpoint and stop. */
  signalSeconds: z.number().int().min(10).default(120),
  /** Further `#SBATCH` lines, without the prefix (e.g. "--mail-type=END"). */
  extra: z.array(z.string()).default([]),
});
export type SlurmDefaults = z.infer<typeof SlurmDefaults>;

/**
 * A Slurm cluster: sbatch/squeue/scontrol/scancel run on its login node, over SSH (host set) or on this machine
 * (host omitted: VS Code already runs on the login node).
 */
export const SlurmBackendConfig = z.strictObject({
  kind: z.literal('slurm'),
  ...SshTarget,
  host: SshTarget.host.optional(),
  slurm: SlurmDefaults.prefault({}),
});
export type SlurmBackendConfig = z.infer<typeof SlurmBackendConfig>;

export const BackendConfig = z.discriminatedUnion('kind', [SshBackendConfig, SlurmBackendConfig]);
export type BackendConfig = z.infer<typeof BackendConfig>;
