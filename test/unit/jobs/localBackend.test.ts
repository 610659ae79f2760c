// The local backend with real processes: a detached process group, events read from an offset, the exit code
// recorded by the wrapper, cancel ending the whole tree (a grandchild included), and a deleted run folder.
// The trainer here is a small Python script speaking the event protocol (torch is not needed to test the backend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RunFolderGone } from '../../../src/backends/backend';
import { trainerArgs } from '../../../src/backends/local/launcher';
import { setup, until } from './localTrainer';
import { parseLines, completeLines } from '../../../src/core/jobs/jobEvents';

test('runs detached, events are read from an offset, and the exit code is recorded', async () => {
  const { dir, runDir, backend, config } = setup({ EXIT_CODE: '3' });
  try {
    const handle = await backend.start({ command: 'train', runDir, config, devices: 'cpu' });
    assert.ok(handle.pid > 0);
    // The backend places the run's events and output inside its run folder.
    const written = JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8')) as Record<string, string>;
    assert.equal(written.events_file, path.join(runDir, 'events.jsonl'));
    assert.equal(written.output_dir, backend.outputDir(runDir));
    assert.ok(written.output_dir!.startsWith(runDir + path.sep));
    assert.equal(await backend.fetchArtifact(handle, 'config'), path.join(runDir, 'config.json'));
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
