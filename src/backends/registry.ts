// Which backend runs a job: one line per kind. Adding a backend is a sibling folder of local/, a line here, and a
// member of the BackendSpec (src/shared/jobSpec.ts) and RunHandle (src/shared/job.ts) unions.
import type { Backend } from './backend';
import type { BackendSpec } from '../shared/jobSpec';
import type { RunHandle } from '../shared/job';
import { LocalBackend } from './local/localBackend';
import type { TrainerLauncher } from './local/launcher';
import { SshBackend, type SshBackendOptions } from './ssh/sshBackend';
import { SlurmBackend, type SlurmBackendOptions } from './slurm/slurmBackend';

/** What a backend may need from the editor: how to run the trainer, and the secret that signs this machine's runs. */
export interface BackendContext {
  launcher(python: string): TrainerLauncher;
  runSecret: string;
  /**
   * A remote backend by its `finetune.backends` name, with what only the editor has: the (cached) SSH session, the
   * trainer package to upload, where fetched files go. Undefined when no entry has that name.
   */
  ssh?(name: string): Omit<SshBackendOptions, 'runSecret'> | undefined;
  /** A Slurm backend by name: its login node (an SSH session, or this machine when the entry has no host). */
  slurm?(name: string): SlurmBackendOptions | undefined;
}

/** A job names a backend the settings do not define (or one of a kind this build cannot run). */
export class UnknownBackend extends Error {}

export function createBackend(kind: BackendSpec['kind'] | RunHandle['backend'], ctx: BackendContext, python: string, name?: string): Backend {
  switch (kind) {
    case 'local':
      return new LocalBackend(ctx.launcher(python), ctx.runSecret);
    case 'ssh': {
      const options = name ? ctx.ssh?.(name) : undefined;
      if (!options) throw new UnknownBackend(`No SSH backend named "${name ?? ''}" in the finetune.backends setting.`);
      return new SshBackend({ ...options, runSecret: ctx.runSecret });
    }
    case 'slurm': {
      const options = name ? ctx.slurm?.(name) : undefined;
      if (!options) throw new UnknownBackend(`No Slurm backend named "${name ?? ''}" in the finetune.backends setting.`);
      return new SlurmBackend(options);
    }
  }
}
