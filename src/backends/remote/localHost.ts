// This machine as a RemoteHost: a Slurm login node VS Code itself runs on (a Slurm entry without a host). Commands
// run through `sh -c` exactly as they would over SSH; nothing drops, so nothing is retried.
import * as os from 'node:os';
import type { ExecOptions, ExecResult, RemoteExec } from './exec';
import { LocalFiles } from './files';
import { LocalExec } from './localExec';
import type { RemoteHost } from './remoteRuns';

export class LocalHost extends LocalFiles implements RemoteHost {
  private readonly local: LocalExec;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    super();
    this.local = new LocalExec(env);
  }

  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.local.exec(argv, options);
  }

  home(): Promise<string> {
    return Promise.resolve(os.homedir());
  }

  retrying<T>(fn: (c: RemoteExec & LocalFiles) => Promise<T>): Promise<T> {
    return fn(this);
  }
}
