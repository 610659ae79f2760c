// RemoteExec on this machine: `sh -c` with the same quoted text a remote shell gets (a Slurm login node the
// extension runs on, and the tests of everything built on RemoteExec).
import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, RemoteExec } from './exec';
import { shellScript } from './exec';

export class LocalExec implements RemoteExec {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', shellScript(argv, options.setup)], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => (options.signal?.aborted ? resolve({ code: null, stdout: '', stderr: String(e) }) : reject(e)));
      child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }
}
