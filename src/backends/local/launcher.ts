import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { PythonNotFound, TrainerCheckFailed, type TrainerCommand } from '../backend';
import { TrainerCheck } from '../../shared/trainerCheck';
import { lastJsonLine, lastLines } from '../processOutput';

/** How to run the trainer here: which Python, and where the finetune_trainer package is. */
export interface TrainerLauncher {
  python: string;
  /** The folder holding the finetune_trainer package (it goes on PYTHONPATH). */
  trainerDir: string;
  /** A script with the trainer's CLI run instead of `-m finetune_trainer` (the tests' stand-in trainer). */
  entryScript?: string;
  env?: NodeJS.ProcessEnv;
}


function baseEnv(launcher: TrainerLauncher): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...launcher.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
  env.PYTHONPATH = [launcher.trainerDir, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return env;
}

function entry(launcher: TrainerLauncher): string[] {
  return launcher.entryScript ? [launcher.entryScript] : ['-m', 'finetune_trainer'];
}

/**
 * The trainer's argv for a command on the given devices (several GPUs: torchrun) and the variables it sets; the
 * same for this machine and a remote one (`entryArgs`: `-m finetune_trainer` or a stand-in script).
 */
export function trainerInvocation(
  python: string,
  entryArgs: readonly string[],
  command: TrainerCommand,
  configFile: string,
  devices: 'auto' | 'cpu' | number[],
): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
  const args = [...entryArgs, command, '--config', configFile];
  if (devices === 'cpu') env.CUDA_VISIBLE_DEVICES = '';
  if (Array.isArray(devices)) env.CUDA_VISIBLE_DEVICES = devices.join(',');
  if (Array.isArray(devices) && devices.length > 1 && command === 'train') {
    return { argv: [python, '-m', 'torch.distributed.run', '--standalone', `--nproc_per_node=${devices.length}`, ...args], env };
  }
  return { argv: [python, ...args], env };
}

/** The trainer's argv and environment for a command on this machine. */
export function trainerArgs(
  launcher: TrainerLauncher,
  command: TrainerCommand,
  configFile: string,
  devices: 'auto' | 'cpu' | number[],
): { argv: string[]; env: NodeJS.ProcessEnv } {
  const { argv, env } = trainerInvocation(launcher.python, entry(launcher), command, configFile, devices);
  return { argv, env: { ...baseEnv(launcher), ...env } };
}

/** Runs `python -m finetune_trainer check`: Python version, packages and GPUs, without importing torch eagerly. */
export async function runTrainerCheck(launcher: TrainerLauncher, timeoutMs = 120_000): Promise<TrainerCheck> {
  const output = await runTrainerTool(launcher, ['check'], timeoutMs);
  try {
    return TrainerCheck.parse(output);
  } catch (e) {
    throw new TrainerCheckFailed(`unexpected output of the trainer check: ${(e as Error).message}`);
  }
}

/**
 * Runs one of the trainer's tool commands here (`demo-model`…), which print one JSON line: its object, or an
 * `{error, fix?}` object when the tool failed in a way it could explain. Throws PythonNotFound or TrainerCheckFailed.
 */
export function runTrainerTool(launcher: TrainerLauncher, args: readonly string[], timeoutMs = 10 * 60_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(launcher.python, [...entry(launcher), ...args], { env: baseEnv(launcher), timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT' || code === 'EACCES') return reject(new PythonNotFound(launcher.python, String(code)));
      const line = lastJsonLine(stdout);
      try {
        if (line) return resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON after all: reported below with the output's tail
      }
      const tail = lastLines(stderr || stdout);
      reject(new TrainerCheckFailed(`${launcher.python} ${[...entry(launcher), ...args].join(' ')} failed${err ? ` (${err.message.split('\n')[0]})` : ''}: ${tail}`));
    });
  });
}
