#!/usr/bin/env node
// Backends tier (issue 12): the remote backends against real servers on 127.0.0.1, started once for the whole
// tier and stopped after it. Each server is a module of scripts/lib exporting a start function that resolves to
// {env, stop}; the tests (out/test/backends/**/*.test.js, built by `node esbuild.mjs --tests`) find them through
// that env, and skip what is absent. Add a server: a line in SERVERS.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canApt, aptInstall } from './lib/apt.mjs';
import { bold, header, onPath, red, repoRoot } from './lib/common.mjs';
import { installExitHandlers, onCleanup, run, runMain } from './lib/proc.mjs';

installExitHandlers();

/**
 * name, the Debian packages it needs where missing (optional), and how to start it: a function resolving to
 * {env, stop}. Slurm installs its own packages (slurm-wlm, munge) where missing.
 */
const SERVERS = [
  {
    name: 'sshd',
    packages: async () => (await import('./lib/sshd.mjs')).sshdPackages(),
    start: async () => (await import('./lib/sshd.mjs')).startSshd(),
  },
  { name: 'slurm', start: async () => (await import('./lib/slurm.mjs')).startSlurm() },
];

const testsDir = join(repoRoot, 'out', 'test', 'backends');

async function main() {
  header('Backends tier: remote backends against real servers on 127.0.0.1');
  const files = existsSync(testsDir)
    ? readdirSync(testsDir, { recursive: true }).map(String).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(testsDir, f))
    : [];
  if (files.length === 0) {
    console.error(red(`No test bundles in ${testsDir}: run \`node esbuild.mjs --tests\` first.`));
    return 1;
  }
  // What the tests themselves run on the "remote" side: the stand-in trainer (python3) and pgrep (procps).
  const tools = [...(onPath('python3') ? [] : ['python3']), ...(onPath('pgrep') ? [] : ['procps'])];
  const missing = [...tools, ...(await Promise.all(SERVERS.map((s) => (s.packages ? s.packages() : [])))).flat()];
  if (missing.length > 0) {
    if (!canApt() || !(await aptInstall(missing))) {
      console.error(red(`Missing Debian packages: ${missing.join(' ')} (install them, as root: apt-get install ${missing.join(' ')})`));
      return 1;
    }
  }
  const env = { ...process.env };
  // The real trainer through Slurm (slurmTrainer.test.ts) where a Python with its packages can be had.
  if (!env.FINETUNE_TRAINER_PYTHON) {
    const trainer = await (await import('./lib/trainerPython.mjs')).ensureTrainerPython();
    if (trainer.python) env.FINETUNE_TRAINER_PYTHON = trainer.python;
  }
  for (const server of SERVERS) {
    const started = await server.start();
    onCleanup(() => started.stop());
    Object.assign(env, started.env);
    console.log(`${bold(server.name)} started`);
  }
  return run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

runMain(main, { minutes: 10, what: 'The backends tier' });
