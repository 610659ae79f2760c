// Which backend runs a job: one line per kind. Adding a backend is a sibling folder of local/, a line here, and a
// member of the BackendSpec (src/shared/jobSpec.ts) and RunHandle (src/shared/job.ts) unions.
import type { Backend } from './backend';
import type { BackendSpec } from '../shared/jobSpec';
import type { RunHandle } from '../shared/job';
import { LocalBackend } from './local/localBackend';
import type { TrainerLauncher } from './local/launcher';

/** What a backend may need from the editor: how to run the trainer, and the secret that signs this machine's runs. */
export interface BackendContext {
  launcher(python: string): TrainerLauncher;
  runSecret: string;
}

export function createBackend(kind: BackendSpec['kind'] | RunHandle['backend'], ctx: BackendContext, python: string): Backend {
  switch (kind) {
    case 'local':
      return new LocalBackend(ctx.launcher(python), ctx.runSecret);
  }
}
