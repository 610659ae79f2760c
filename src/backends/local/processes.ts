// Which processes belong to a run, verifiably. A job record names a process group; the record may come from a
// cloned repository or name a pid that now belongs to something else, so a process counts as the run's only when
// it is in that group AND its environment holds the run's token: an HMAC of the run folder under a secret that
// never leaves this machine's extension storage (src/backends/local/runToken.ts). The trainer and its children
// inherit the token, so the run is found (and cancelled) even after its wrapper shell was killed.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';

export const RUN_TOKEN_ENV = 'FINETUNE_RUN_TOKEN';

/** Live (not zombie) processes of group `pgid` whose environment has RUN_TOKEN_ENV=token. */
export async function runProcesses(pgid: number, token: string): Promise<number[]> {
  if (!groupExists(pgid)) return [];
  const entry = `${RUN_TOKEN_ENV}=${token}`;
  return process.platform === 'linux' ? procMembers(pgid, entry) : psMembers(pgid, entry);
}

/** Whether any process is in group `pgid` (kill with signal 0 asks without sending anything). */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function procMembers(pgid: number, entry: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, pgrp, ...
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') continue;
      const environ = (await fs.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
      if (environ.includes(entry)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Without /proc (macOS): BSD ps shows each process's environment after its command with -E. */
function psMembers(pgid: number, entry: string): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-axww', '-E', '-o', 'pid=,pgid=,stat=,command='], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve([]);
      const pids: number[] = [];
      for (const line of stdout.split('\n')) {
        const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s(.*)$/.exec(line);
        if (m && Number(m[2]) === pgid && !m[3]!.startsWith('Z') && m[4]!.split(' ').includes(entry)) pids.push(Number(m[1]));
      }
      resolve(pids);
    });
  });
}

/** Sends `signal` to the whole group; a group already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Waits until the run has no live process; true if that happened within the time. */
export async function waitForRunExit(pgid: number, token: string, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if ((await runProcesses(pgid, token)).length === 0) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
