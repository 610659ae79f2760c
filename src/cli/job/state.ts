// Where the job CLI keeps what the editor keeps in its extension storage: the run secret that signs this machine's
// runs (src/backends/local/runToken.ts) and fetched remote files. Jobs started by one and followed or cancelled by
// the other verify only when both use the same secret, so the CLI uses the editor's storage when it finds it.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { name, publisher } from '../../../package.json';
import { cliStateDir } from '../../backends/local/runToken';

/** Overrides where the CLI keeps its state (the run secret, fetched files). */
export const STORAGE_ENV = 'FINETUNE_STUDIO_STORAGE';

/** The editors whose global storage may hold this extension's run secret, in the order they are looked for. */
const EDITORS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor'];

/**
 * FINETUNE_STUDIO_STORAGE; else the editor's global storage of this extension where one exists (the same run
 * secret, so either side may follow and cancel the other's jobs); else ~/.local/state/finetune-studio.
 */
export function storageDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[STORAGE_ENV]) return path.resolve(env[STORAGE_ENV]);
  const home = os.homedir();
  const configRoot = process.platform === 'darwin' ? path.join(home, 'Library', 'Application Support')
    : process.platform === 'win32' ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : (env.XDG_CONFIG_HOME ?? path.join(home, '.config'));
  // code-server keeps its user data under XDG_DATA_HOME instead.
  const dataRoot = env.XDG_DATA_HOME ?? path.join(home, '.local', 'share');
  const roots = [...EDITORS.map((editor) => path.join(configRoot, editor)), path.join(dataRoot, 'code-server')];
  for (const root of roots) {
    const dir = path.join(root, 'User', 'globalStorage', `${publisher}.${name}`);
    if (existsSync(dir)) return dir;
  }
  return cliStateDir(env);
}

/** The extension's trainer/ folder: dist/cli.js sits next to it. */
export function defaultTrainerDir(): string {
  return path.resolve(__dirname, '..', 'trainer');
}

/** The Python that runs the trainer on this machine: --python, else $FINETUNE_TRAINER_PYTHON, else python3. */
export function localPython(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? env.FINETUNE_TRAINER_PYTHON ?? 'python3';
}
