// Child processes and cleanup. Every long-lived child runs in its own process group so that
// everything it spawns (code-server's extension hosts, Chromium's helpers, npm's scripts) ends
// with it; the groups are killed on normal exit, on errors, on SIGINT/SIGTERM/SIGHUP and on timeout.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Cleanup callbacks, run last-in first-out. */
const cleanups = [];
/** Process-group ids still alive; killed synchronously on 'exit' as a last resort. */
const groups = new Set();
let exiting = false;

/** Registers `fn` to run on exit; returns a function that unregisters it. */
export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered cleanup once (errors are printed, never thrown). */
export async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup: ${err?.message ?? err}`);
    }
  }
}

/** True once the script is shutting down (errors from processes being stopped are expected then). */
export const isExiting = () => exiting;

/** Cleans up, then exits with `code`. Safe to call more than once. */
export async function exitAfterCleanup(code) {
  if (exiting) return;
  exiting = true;
  await cleanup();
  process.exit(code);
}

let installed = false;
/**
 * Makes the script clean up on signals and (unless `errors: false`, for code running inside a
 * test runner that reports errors itself) on uncaught errors. Call once, at the top.
 */
export function installExitHandlers({ errors = true } = {}) {
  if (installed) return;
  installed = true;
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(signals)) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping everything that was started...`);
      void exitAfterCleanup(code);
    });
  }
  if (errors) {
    const fail = (err) => {
      console.error(err?.stack ?? String(err));
      void exitAfterCleanup(1);
    };
    process.on('uncaughtException', fail);
    process.on('unhandledRejection', fail);
  }
  // Last resort when someone calls process.exit() directly: kill what is left, synchronously.
  process.on('exit', () => {
    for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  });
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/**
 * Spawns `cmd` as the leader of a new process group and tracks it.
 * Returns the ChildProcess plus `exited` (a promise of the exit code; signals map to 128+n)
 * and `stop()` (SIGTERM to the group, SIGKILL after `graceMs`).
 */
export function spawnGroup(cmd, args, options = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options, detached: true });
  groups.add(child.pid);
  const exited = new Promise((resolve, reject) => {
    child.once('error', (err) => {
      groups.delete(child.pid);
      reject(new Error(`could not start ${cmd}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
  // Only forget the group once every member is gone, not when the leader exits.
  exited.then(() => { if (!killGroup(child.pid, 0)) groups.delete(child.pid); }, () => {});

  let stopping;
  const stop = (graceMs = 5000) => {
    stopping ??= (async () => {
      if (killGroup(child.pid, 'SIGTERM')) {
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && killGroup(child.pid, 0)) await delay(100);
        killGroup(child.pid, 'SIGKILL');
      }
      groups.delete(child.pid);
      await exited.catch(() => {});
    })();
    return stopping;
  };
  // Stays registered after the leader exits, so that orphans left in its group die too.
  const unregister = onCleanup(stop);
  return { child, exited, stop: () => { unregister(); return stop(); } };
}

/** Runs a command to completion in its own group (inheriting stdout/stderr); resolves to its exit code. */
export async function run(cmd, args, options = {}) {
  const { exited, stop } = spawnGroup(cmd, args, options);
  const code = await exited;
  await stop(1000); // reap anything it left behind
  return code;
}

/** Like run() but throws when the exit code is not 0. */
export async function runOrThrow(cmd, args, options = {}) {
  const code = await run(cmd, args, options);
  if (code !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed with exit code ${code}`);
}

/** Runs a command and captures its stdout (stderr passes through); throws on failure. */
export function capture(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

export const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a script's `main()` (which resolves with an exit code) under a time limit: exits with its code,
 * with 1 when it throws, or with 124 after `minutes`, cleaning up every process group either way.
 */
export function runMain(main, { minutes, what }) {
  const timer = setTimeout(() => {
    console.error(`\n${what} TIMED OUT after ${minutes} min: stopping everything and failing.`);
    void exitAfterCleanup(124);
  }, minutes * 60_000);
  main().then(
    (code) => {
      clearTimeout(timer);
      return exitAfterCleanup(code);
    },
    (err) => {
      clearTimeout(timer);
      if (isExiting()) return; // stopped by a signal or the timeout: the errors are ours
      console.error(`\n${err?.stack ?? err}`);
      return exitAfterCleanup(1);
    },
  );
}
