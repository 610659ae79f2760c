// The local backend with real processes: a detached process group, events read from an offset, the exit code
// recorded by the wrapper, cancel ending the whole tree (a grandchild included), and a deleted run folder.
// The trainer here is a small Python script speaking the event protocol (torch is not needed to test the backend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalBackend, RunFolderGone } from '../../../src/backends/local/localBackend';
import { trainerArgs } from '../../../src/backends/local/launcher';
import { parseLines, completeLines } from '../../../src/core/jobs/jobEvents';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// argv: <command> --config <file>; writes N step events to the config's events_file, then exits with EXIT_CODE.
const SCRIPT = String.raw`
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

function setup(env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ft-local-'));
  const script = path.join(dir, 'trainer.py');
  writeFileSync(script, SCRIPT);
  const runDir = path.join(dir, 'run');
  const backend = new LocalBackend({ python: PYTHON, trainerDir: path.join(dir, 'none'), entryScript: script, env });
  const config = { events_file: path.join(runDir, 'events.jsonl') };
  return { dir, runDir, backend, config };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('runs detached, events are read from an offset, and the exit code is recorded', async () => {
  const { dir, runDir, backend, config } = setup({ EXIT_CODE: '3' });
  try {
    const handle = await backend.start({ command: 'train', runDir, config, devices: 'cpu' });
    assert.ok(handle.pid > 0);
    assert.deepEqual(JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8')), config);
    const state = await until('the exit', async () => {
      const s = await backend.status(handle);
      return s.state === 'running' ? undefined : s;
    });
    assert.deepEqual(state, { state: 'exited', code: 3 });
    const all = await backend.readEvents(handle, 0);
    const { lines, consumed } = completeLines(all);
    assert.equal(parseLines(lines).events.length, 3);
    const firstLine = all.indexOf(0x0a) + 1;
    const rest = await backend.readEvents(handle, firstLine);
    assert.equal(parseLines(completeLines(rest).lines).events.length, 2, 'reading from an offset gives only what follows');
    assert.equal((await backend.readEvents(handle, consumed)).length, 0);
    assert.match(await backend.logTail(handle, 5), /trainer says goodbye/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancel ends the whole process group, grandchildren included', async () => {
  const { dir, runDir, backend, config } = setup({ STEPS: '100', STEP_SECONDS: '0.2', SPAWN_GRANDCHILD: '1' });
  try {
    const handle = await backend.start({ command: 'train', runDir, config, devices: 'cpu' });
    const grandchild = await until('the grandchild', async () => {
      try {
        return Number(readFileSync(path.join(runDir, 'grandchild.pid'), 'utf8'));
      } catch {
        return undefined;
      }
    });
    assert.equal((await backend.status(handle)).state, 'running');
    await backend.cancel(handle);
    assert.notEqual((await backend.status(handle)).state, 'running');
    await until('the grandchild to end', async () => {
      try {
        process.kill(grandchild, 0);
        const stat = readFileSync(`/proc/${grandchild}/stat`, 'utf8');
        return /\) Z /.test(stat) ? true : undefined;
      } catch {
        return true;
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a deleted run folder is reported, not mistaken for "no events yet"', async () => {
  const { dir, runDir, backend, config } = setup({ STEPS: '1' });
  try {
    const handle = await backend.start({ command: 'train', runDir, config, devices: 'cpu' });
    await until('the exit', async () => ((await backend.status(handle)).state === 'running' ? undefined : true));
    rmSync(runDir, { recursive: true, force: true });
    await assert.rejects(backend.readEvents(handle, 0), RunFolderGone);
    assert.deepEqual(await backend.status(handle), { state: 'lost', reason: 'run folder deleted' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('several GPUs launch through torchrun with CUDA_VISIBLE_DEVICES; cpu hides the GPUs', () => {
  const launcher = { python: '/usr/bin/python3', trainerDir: '/ext/trainer' };
  const multi = trainerArgs(launcher, 'train', '/run/config.json', [0, 2]);
  assert.deepEqual(multi.argv, ['/usr/bin/python3', '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '-m', 'finetune_trainer', 'train', '--config', '/run/config.json']);
  assert.equal(multi.env.CUDA_VISIBLE_DEVICES, '0,2');
  assert.ok(multi.env.PYTHONPATH?.startsWith('/ext/trainer'));
  const cpu = trainerArgs(launcher, 'train', '/run/config.json', 'cpu');
  assert.equal(cpu.env.CUDA_VISIBLE_DEVICES, '');
  assert.deepEqual(cpu.argv.slice(1), ['-m', 'finetune_trainer', 'train', '--config', '/run/config.json']);
});
