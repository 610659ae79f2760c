#!/usr/bin/env node
// Security tier (issue 10), part of `npm test`:
//  1. the regression tests of every hardened input and of the clone attack on real files and processes
//     (node --test out/test/unit/security/);
//  2. a hostile clone opened in real VS Code (code-server + Chromium) with workspace trust ON, so it opens in
//     Restricted Mode, and then again trusted (test/security/suite/clone.test.ts says what it must not do).
// The clone's records name a live process group of "the user's" (a decoy named like our trainer wrapper, started
// here) and link files of its job folders to bait files outside the workspace; after each phase this script also
// checks from outside VS Code that the bait and the decoy are untouched.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bold, dim, header, red, repoRoot, tempDir } from './lib/common.mjs';
import { ensureBuild, ensureDeps } from './lib/deps.mjs';
import { installExitHandlers, onCleanup, runMain, spawnGroup } from './lib/proc.mjs';
import { runSuiteInCodeServer } from './lib/vscode-suite.mjs';

installExitHandlers();

const unitDir = join(repoRoot, 'out', 'test', 'unit', 'security');
const testsEntry = join(repoRoot, 'out', 'test', 'security', 'index.js');

/** A process group that looks like our trainer wrapper by name: what an old check would have signalled. */
function startDecoy() {
  const child = spawn('/bin/sh', ['-c', 'sleep 3600', 'finetune-studio-trainer'], { detached: true, stdio: 'ignore' });
  child.unref();
  onCleanup(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return child.pid;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Writes the hostile clone for one phase; returns what the suite needs to know (FINETUNE_SECURITY_CLONE). */
function buildClone(phase, decoyPid) {
  const root = tempDir(`hostile-clone-${phase}`);
  const outside = tempDir(`victim-home-${phase}`);
  const bait = {
    [join(outside, 'notes.txt')]: 'my notes: nothing here may change\n',
    [join(outside, '.bashrc')]: 'export PATH="$HOME/bin:$PATH"\n',
    [join(outside, 'elsewhere-run', 'events.jsonl')]: '{"type":"step","time":1,"step":1,"total_steps":9,"epoch":0.1,"loss":2,"learning_rate":0.0001}\n',
  };
  mkdirSync(join(outside, 'elsewhere-run'));
  for (const [file, text] of Object.entries(bait)) writeFileSync(file, text);
  const jobsDir = join(root, '.finetune', 'jobs');
  const jobs = { linked: join(jobsDir, 'linked'), foreign: join(jobsDir, 'foreign'), gone: join(jobsDir, 'gone') };
  const runDirs = { linked: join(jobs.linked, 'run'), foreign: join(outside, 'elsewhere-run'), gone: join(jobs.gone, 'run') };
  const records = {};
  for (const [name, dir] of Object.entries(jobs)) {
    mkdirSync(dir, { recursive: true });
    const record = {
      id: name, name, method: 'lora', baseModel: 'Qwen/Qwen3-0.6B', status: 'running', createdAt: '2026-12-01T00:00:00.000Z',
      run: { backend: 'local', pid: decoyPid, runDir: runDirs[name], command: ['python3', '-m', 'finetune_trainer', 'train'] },
    };
    records[dir] = JSON.stringify(record, null, 2) + '\n';
    writeFileSync(join(dir, 'job.json'), records[dir]);
  }
  // The attack as reported: the follower's heartbeat overwrote the notes, and copied events (here a shell line)
  // were appended to the shell's rc file.
  symlinkSync(join(outside, 'notes.txt'), join(jobs.linked, 'follower.json'));
  symlinkSync(join(outside, '.bashrc'), join(jobs.linked, 'events.jsonl'));
  mkdirSync(runDirs.linked);
  writeFileSync(join(runDirs.linked, 'events.jsonl'), `touch ${join(outside, 'PWNED')}\n` + bait[join(outside, 'elsewhere-run', 'events.jsonl')]);
  writeFileSync(join(root, 'README.md'), '# A repository someone shared\n');
  return { root, outside, clone: { phase, decoyPid, bait, jobs, records } };
}

/** The same checks as the suite's, from outside VS Code. */
function checkFromOutside({ outside, clone }) {
  const problems = [];
  for (const [file, text] of Object.entries(clone.bait)) if (readFileSync(file, 'utf8') !== text) problems.push(`${file} was changed`);
  if (existsSync(join(outside, 'PWNED'))) problems.push('a planted command ran');
  if (!alive(clone.decoyPid)) problems.push(`the decoy process ${clone.decoyPid} was killed`);
  return problems;
}

async function main() {
  header('Security tests (hardened inputs; a hostile clone in VS Code, untrusted and trusted)');
  if (!process.env.FINETUNE_SKIP_PREPARE) {
    await ensureDeps();
    await ensureBuild();
  }
  const unitFiles = existsSync(unitDir) ? readdirSync(unitDir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(unitDir, f)) : [];
  if (unitFiles.length === 0) throw new Error(`no security test bundles in ${unitDir}: did the build run?`);
  if (!existsSync(testsEntry)) throw new Error(`${testsEntry} does not exist: build it with \`node esbuild.mjs --tests\``);

  const started = Date.now();
  let code = await spawnGroup(process.execPath, ['--test', '--test-reporter=spec', ...unitFiles], { cwd: repoRoot }).exited;
  if (code !== 0) return code;

  const decoyPid = startDecoy();
  for (const [phase, workspaceTrust] of [['untrusted', true], ['trusted', false]]) {
    const built = buildClone(phase, decoyPid);
    console.log(bold(`\nHostile clone, ${phase}: ${built.root}`) + dim(` (workspace trust ${workspaceTrust ? 'on: Restricted Mode' : 'off: trusted'})`));
    process.env.FINETUNE_SECURITY_CLONE = JSON.stringify(built.clone);
    code = await runSuiteInCodeServer({
      workspace: built.root,
      testsEntry,
      workspaceTrust,
      // No modal trust prompt at start-up: the folder simply opens in Restricted Mode.
      settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' },
    });
    const problems = checkFromOutside(built);
    for (const p of problems) console.error(red(`✘ seen from outside VS Code (${phase}): ${p}`));
    if (code === 0 && problems.length > 0) code = 1;
    if (code !== 0) break;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(code === 0 ? bold(`Security tests passed (${secs} s)`) : red(bold(`Security tests FAILED (exit code ${code}, ${secs} s)`)));
  return code;
}

runMain(main, { minutes: 15, what: 'SECURITY TESTS' });
