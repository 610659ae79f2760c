// Which processes belong to a run, verifiably. A job record names a process group; the record may come from a
// cloned repository or name a pid that now belongs to something else, so a process counts as the run's only when
// it is in that group AND its environment holds the run's token: an HMAC of the run folder under a secret that
// never leaves this machine's extension storage (src/backends/local/runToken.ts). The trainer and its children
// inherit the token, so the run is found (and cancelled) even after its wrapper shell was killed.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';

import { RUN_TOKEN_ENV } from '../runFiles';

/**
 * Whether any live (not zombie) process of group `pgid` has RUN_TOKEN_ENV=token in its environment. Polled while a
 * job runs, so the group's leader (the wrapper, usually still there) is looked at before all of /proc.
 */
export async function runIsAlive(pgid: number, token: string): Promise<boolean> {
  if (!groupExists(pgid)) return false;
  const entry = `${RUN_TOKEN_ENV}=${token}`;
  if (process.platform !== 'linux') return (await psMembers(pgid, entry)).length > 0;
  if (await procMember(pgid, pgid, entry)) return true;
  for (const name of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (/^\d+$/.test(name) && Number(name) !== pgid && (await procMember(Number(name), pgid, entry))) return true;
  }
  return false;
}

/** Whether any process is in group `pgid` (kill with signal 0 asks without sending anything). */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a live member of group `pgid` whose environment holds `entry`. */
async function procMember(pid: number, pgid: number, entry: string): Promise<boolean> {
  try {
    // Fields after the command name (which may hold spaces and parentheses): state, ppid, pgrp, ...
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) !== pgid || state === 'Z') return false;
    return (await fs.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').includes(entry);
  } catch {
    return false; // gone meanwhile, or not ours to read
  }
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
    if (!(await runIsAlive(pgid, token))) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
