// A LocalBackend over a small Python script that speaks the event protocol (torch is not needed to test the
// backend), for the backend's tests and the security tests of its processes.
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalBackend } from '../../../src/backends/local/localBackend';
import type { RunConfig } from '../../../src/backends/backend';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** The secret that signs these runs (in the extension it lives in its global storage). */
export const SECRET = 'f'.repeat(64);

// argv: <command> --config <file>; writes N step events to the config's events_file, then exits with EXIT_CODE.
export const SCRIPT = String.raw`
import json, os, sys, time, subprocess
cfg = json.load(open(sys.argv[3]))
if os.environ.get("SPAWN_GRANDCHILD"):
    p = subprocess.Popen(["sleep", "300"])
    open(os.path.join(os.path.dirname(cfg["events_file"]), "grandchild.pid"), "w").write(str(p.pid))
with open(cfg["events_file"], "a") as f:
    for step in range(1, int(os.environ.get("STEPS", "3")) + 1):
        f.write(json.dumps({"type": "step", "time": time.time(), "step": step, "total_steps": 3, "epoch": step / 3, "loss": 3.0 - step, "learning_rate": 1e-4}) + "\n")
        f.flush()
        time.sleep(float(os.environ.get("STEP_SECONDS", "0")))
print("trainer says goodbye", flush=True)
sys.exit(int(os.environ.get("EXIT_CODE", "0")))
`;

export function setup(env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-local-'));
  const script = path.join(dir, 'trainer.py');
  writeFileSync(script, SCRIPT);
  const runDir = path.join(dir, 'run');
  const backend = new LocalBackend({ python: PYTHON, trainerDir: path.join(dir, 'none'), entryScript: script, env }, SECRET);
  // The backend adds where the events and the output go; the stand-in trainer reads nothing else.
  const config = {} as RunConfig;
  return { dir, runDir, backend, config };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

