// The token that marks a run's processes as ours (see processes.ts): an HMAC of the run folder under a secret
// kept in this machine's extension storage, so a job record (which anyone can write into a repository) can name
// a process but never make one verify.
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SECRET_FILE = 'run-secret';

/** Where the job CLI keeps its run secret when it finds no editor storage (src/cli/job/state.ts). */
export function cliStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'finetune-studio');
}

/** The run token for a run folder of this machine. */
export function runToken(secret: string, runDir: string): string {
  return tokenFor(secret, path.resolve(runDir));
}

/** The token for a run folder named exactly as given (a remote run's absolute POSIX path). */
export function tokenFor(secret: string, runDirName: string): string {
  return createHmac('sha256', secret).update(runDirName).digest('hex').slice(0, 32);
}

/** The secret in `dir`, undefined when there is none yet. */
async function readSecret(dir: string): Promise<string | undefined> {
  const file = path.join(dir, SECRET_FILE);
  try {
    const text = (await fs.readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(text)) return text;
    throw new Error(`${file} is not a run secret (64 hex digits): delete it and a new one is made`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
}

/**
 * Reads the secret from `dir`, creating it (readable by this user only) the first time. A new one adopts the secret
 * of `adoptFrom` when there is one there: jobs the CLI started before the editor first ran (with its secret in
 * cliStateDir) stay verifiable, so the editor follows and cancels them instead of calling them lost.
 */
export async function loadRunSecret(dir: string, adoptFrom: string = cliStateDir()): Promise<string> {
  const file = path.join(dir, SECRET_FILE);
  const existing = await readSecret(dir);
  if (existing) return existing;
  await fs.mkdir(dir, { recursive: true });
  const adopted = path.resolve(adoptFrom) !== path.resolve(dir) ? await readSecret(adoptFrom).catch(() => undefined) : undefined;
  const secret = adopted ?? randomBytes(32).toString('hex');
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, secret + '\n', { flag: 'wx', mode: 0o600 });
  try {
    // link() fails when another window created the secret first: then that one is the secret.
    await fs.link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return loadRunSecret(dir);
  } finally {
    await fs.rm(temp, { force: true });
  }
  return secret;
}
