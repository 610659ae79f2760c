import { promises as fs } from 'node:fs';

/**
 * True when `pid` is alive and is our wrapper. After a reboot a pid may belong to something else, so on Linux
 * the command line is checked too; zombies count as gone.
 */
export async function isOurProcess(pid: number, marker: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(marker);
  } catch {
    return process.platform !== 'linux'; // no /proc: trust kill(0)
  }
}

/** Waits until the process is gone; true if it went within the time. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (!(await isAlive(pid))) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/\) Z /.test(await fs.readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
