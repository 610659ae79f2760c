// `finetune-studio job`, in-process with a stand-in trainer on this machine (jobHelpers.ts): the command line and its
// errors in English and Chinese, spec and backend files with errors, start --follow to the end, a run stopped with a
// checkpoint (exit 124), Ctrl+C detaching and `job follow` resuming from the offset with every event exactly once,
// cancel, list and logs. The real trainer: jobRealTrainer.test.ts; SSH: test/backends/jobCli.test.ts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readJobRecord } from '../../../src/core/jobs/jobStore';
import { spawn } from 'node:child_process';
import { job, liveGroupMembers, PYTHON, until, workspace, type Workspace } from './jobHelpers';

const CLI = path.resolve('dist', 'cli.js');

const spaces: Workspace[] = [];
after(() => spaces.forEach((ws) => {
  rmSync(ws.root, { recursive: true, force: true });
  rmSync(ws.storage, { recursive: true, force: true });
}));

function space(prefix: string): Workspace {
  const ws = workspace(prefix);
  spaces.push(ws);
  return ws;
}

const jobsDir = (ws: Workspace) => path.join(ws.root, '.finetune', 'jobs');
const onlyJob = (ws: Workspace) => {
  const ids = readdirSync(jobsDir(ws));
  assert.equal(ids.length, 1, `one job folder: ${ids.join(', ')}`);
  return { id: ids[0]!, dir: path.join(jobsDir(ws), ids[0]!) };
};
const stepsPrinted = (stdout: string) => [...stdout.matchAll(/^step (\d+)\//gm)].map((m) => Number(m[1]));

describe('finetune-studio job: the command line', () => {
  const ws = space('args');
  const cases: [string[], string, string][] = [
    [[], 'which job command? start, list, follow, cancel or logs', '要执行哪个作业命令'],
    [['run'], "unknown job command 'run'", '未知的作业命令 `run`'],
    [['start'], 'which job? Pass its spec file (*.ftjob.json)', '请传入它的规格文件'],
    [['start', 'a.ftjob.json', 'b.ftjob.json'], 'unexpected argument b.ftjob.json', '多余的参数 b.ftjob.json'],
    [['start', 'a.ftjob.json', '--backend'], '--backend needs a value', '--backend 需要一个值'],
    [['start', 'a.ftjob.json', '--tail', '3'], 'unknown option --tail', '未知选项 --tail'],
    [['follow'], 'which job? Pass its id', '请传入作业 ID'],
    [['cancel', '../../etc'], '../../etc is not a job id', '../../etc 不是作业 ID'],
    [['logs', '..'], '.. is not a job id', '.. 不是作业 ID'],
    [['logs', 'x', '--tail', '0'], '--tail must be a whole number from 1 to 100000, not 0', '--tail 必须是 1 到 100000 之间的整数，而不是 0'],
    [['logs', 'x', '--tail', '2.5'], '--tail must be a whole number from 1 to 100000, not 2.5', '而不是 2.5'],
    [['list', '--follow'], 'unknown option --follow', '未知选项 --follow'],
  ];
  for (const [args, en, zh] of cases) {
    it(`refuses \`job ${args.join(' ')}\` with exit 2 and the help`, async () => {
      for (const [locale, expected] of [['en', en], ['zh-cn', zh]] as const) {
        const run = job(ws, args, { locale });
        assert.equal(await run.code, 2, run.out.stderr);
        assert.ok(run.out.stderr.startsWith(`finetune-studio job: `) && run.out.stderr.includes(expected), `${locale}: ${run.out.stderr}`);
        assert.ok(run.out.stderr.includes('Usage: finetune-studio job <command>'), 'the help follows the error');
      }
    });
  }

  it('prints its help with --help (exit 0), exit statuses included', async () => {
    const run = job(ws, ['follow', '--help']);
    assert.equal(await run.code, 0);
    assert.match(run.out.stdout, /124 stopped on a signal with a checkpoint/);
    assert.match(run.out.stdout, /FINETUNE_SSH_PASSPHRASE/);
  });
});

describe('finetune-studio job start: untrusted spec and backend files', () => {
  const ws = space('files');

  it('says the file, line, column and field of a spec with an error, and makes no job folder', async () => {
    const file = path.join(ws.root, 'bad.ftjob.json');
    writeFileSync(file, '{\n  "name": "x",\n  "baseModel": "base",\n  "dataset": {"train": "train.jsonl"},\n  "hyperparameters": {"epochs": -1}\n}\n');
    const run = job(ws, ['start', 'bad.ftjob.json']);
    assert.equal(await run.code, 1);
    assert.equal(run.out.stderr, `finetune-studio job start: ${file}:5:33: hyperparameters.epochs: Too small: expected number to be >0\n`);
    assert.equal(existsSync(jobsDir(ws)), false);
  });

  it('says where a spec is not JSON, and refuses one that is not a regular file', async () => {
    writeFileSync(path.join(ws.root, 'broken.ftjob.json'), '{"name": "x",,}');
    const broken = job(ws, ['start', 'broken.ftjob.json'], { locale: 'zh-cn' });
    assert.equal(await broken.code, 1);
    assert.match(broken.out.stderr, /broken\.ftjob\.json:1:14：\(root\)：第 1 行第 14 列不是合法的 JSON。/);
    mkdirSync(path.join(ws.root, 'folder.ftjob.json'));
    const folder = job(ws, ['start', 'folder.ftjob.json']);
    assert.equal(await folder.code, 1);
    assert.match(folder.out.stderr, /cannot read .*folder\.ftjob\.json: it is a folder, not a regular file/);
  });

  it('names the file and field of a backend file with an error, and where it is not JSON', async () => {
    const spec = ws.spec('remote', 1, 0, 0);
    writeFileSync(path.join(ws.root, 'lab.json'), '// the lab\n{"kind": "ssh", "name": "lab", "host": "gpu1", "port": 99999, "workDir": "/w",}\n');
    const bad = job(ws, ['start', spec, '--backend', 'lab.json']);
    assert.equal(await bad.code, 1);
    assert.equal(bad.out.stderr, `finetune-studio job start: ${path.join(ws.root, 'lab.json')}: port: Too big: expected number to be <=65535\n`);
    writeFileSync(path.join(ws.root, 'typo.json'), '{"kind": "ssh", "name": "lab"\n "host": "gpu1"}');
    const typo = job(ws, ['start', spec, '--backend', 'typo.json']);
    assert.equal(await typo.code, 1);
    assert.equal(typo.out.stderr, `finetune-studio job start: ${path.join(ws.root, 'typo.json')}:2:2: not valid JSON\n`);
  });

  it('looks a backend name up in .vscode/settings.json (JSONC, never through a link) and says which names it has', async () => {
    const spec = ws.spec('named', 1, 0, 0);
    mkdirSync(path.join(ws.root, '.vscode'), { recursive: true });
    writeFileSync(path.join(ws.root, '.vscode', 'settings.json'), `{
  // GPU hosts
  "finetune.backends": [
    {"kind": "ssh", "name": "a100", "host": "gpu1", "workDir": "/w"},
    {"kind": "slurm", "name": "hpc", "workDir": "/w", "slurm": {"gpus": -1}},
  ],
}`);
    const missing = job(ws, ['start', spec, '--backend', 'h100']);
    assert.equal(await missing.code, 1);
    assert.match(missing.out.stderr, /no backend named "h100" in finetune\.backends of .*settings\.json \(it has: a100, hpc\)/);
    const invalid = job(ws, ['start', spec, '--backend', 'hpc']);
    assert.equal(await invalid.code, 1);
    assert.match(invalid.out.stderr, /settings\.json: finetune\.backends\[1\]\.slurm\.gpus: Too small/);
    rmSync(path.join(ws.root, '.vscode'), { recursive: true });
    mkdirSync(path.join(ws.root, 'elsewhere'));
    writeFileSync(path.join(ws.root, 'elsewhere', 'settings.json'), '{"finetune.backends": [{"kind": "ssh", "name": "a100", "host": "evil", "workDir": "/w"}]}');
    symlinkSync(path.join(ws.root, 'elsewhere'), path.join(ws.root, '.vscode'));
    const linked = job(ws, ['start', spec, '--backend', 'a100']);
    assert.equal(await linked.code, 1);
    assert.match(linked.out.stderr, /cannot read .*settings\.json: .*link/i);
    assert.equal(existsSync(jobsDir(ws)), false, 'no job folder for a job that could not start');
  });
});

describe('finetune-studio job on this machine (stand-in trainer)', () => {
  it('start --follow prints the steps and ends with exit 0; list and logs show the job', async () => {
    const ws = space('follow');
    const run = job(ws, ['start', ws.spec('ok', 3, 0, 0), '--follow']);
    assert.equal(await run.code, 0, run.out.stderr);
    const { id, dir } = onlyJob(ws);
    assert.deepEqual(stepsPrinted(run.out.stdout), [1, 2, 3]);
    assert.match(run.out.stdout, new RegExp(`Job ${id} succeeded\\. Output: `));
    const record = await readJobRecord(dir);
    assert.equal(record.status, 'succeeded');
    assert.equal(record.specFile, 'ok.ftjob.json');
    assert.equal(readFileSync(path.join(dir, 'events.jsonl'), 'utf8'), readFileSync(path.join(dir, 'run', 'events.jsonl'), 'utf8'));
    assert.equal(existsSync(path.join(dir, 'follower.json')), false, 'the heartbeat goes once the job settled');

    const list = job(ws, ['list']);
    assert.equal(await list.code, 0);
    assert.match(list.out.stdout, /^ID\s+STATUS\s+STEP\s+LOSS\s+BACKEND\s+CREATED\n/);
    assert.match(list.out.stdout, new RegExp(`${id}\\s+succeeded\\s+3/3\\s+0\\.6667\\s+local `));
    const listZh = job(ws, ['list', '--locale', 'zh-cn']);
    assert.equal(await listZh.code, 0);
    assert.match(listZh.out.stdout, /已成功/);

    const logs = job(ws, ['logs', id]);
    assert.equal(await logs.code, 0);
    assert.match(logs.out.stdout, /stand-in trainer log line/);
    const tail = job(ws, ['logs', id, '--tail', '1']);
    assert.equal(await tail.code, 0);
    assert.equal(tail.out.stdout.trim().split('\n').length, 1);

    const again = job(ws, ['follow', id]);
    assert.equal(await again.code, 0, 'following a finished job says how it ended, with its exit status');
    assert.match(again.out.stdout, /is not running \(it is succeeded\)/);
  });

  it('a run stopped on a signal with a checkpoint: exit 124, cancelled with its stopReason and the checkpoint', async () => {
    const ws = space('stopped');
    const run = job(ws, ['start', ws.spec('stop', 2, 0, 124), '--follow']);
    assert.equal(await run.code, 124, run.out.stderr);
    const { dir } = onlyJob(ws);
    const record = await readJobRecord(dir);
    assert.equal(record.status, 'cancelled');
    assert.equal(record.stopReason, 'time_limit');
    assert.deepEqual(record.checkpoints?.map((c) => [c.step, path.basename(c.path)]), [[2, 'checkpoint-2']]);
    assert.match(run.out.stdout, /stopped \(time_limit\) with a checkpoint: .*checkpoint-2\. Continue from it with: finetune-studio job start <spec> --resume-from /);
    const list = job(ws, ['list']);
    await list.code;
    assert.match(list.out.stdout, /stopped \(time_limit\)/);
  });

  it('exit 124 without a done event still settles as stopped, not failed', async () => {
    const ws = space('stopped-quiet');
    const run = job(ws, ['start', ws.spec('quiet', 1, 0, 125), '--follow']);
    assert.equal(await run.code, 1, 'no checkpoint is known, so it is not "stopped with a checkpoint"');
    const record = await readJobRecord(onlyJob(ws).dir);
    assert.deepEqual([record.status, record.stopReason, record.error], ['cancelled', 'time_limit', undefined]);
  });

  it('a failing trainer: exit 1 with the exit code and the log tail in the message', async () => {
    const ws = space('fails');
    const run = job(ws, ['start', ws.spec('fails', 1, 0, 3), '--follow']);
    assert.equal(await run.code, 1);
    assert.match(run.out.stderr, /failed: The trainer exited with code 3\.\n {2}stand-in trainer log line\n/);
    assert.equal((await readJobRecord(onlyJob(ws).dir)).status, 'failed');
  });

  it('Ctrl+C detaches (exit 130, the job goes on); `job follow` resumes from the offset: every event once, byte-identical', async () => {
    const ws = space('detach');
    const first = job(ws, ['start', ws.spec('long', 40, 0.05, 0), '--follow']);
    const dir = await until('the job folder', () => (existsSync(jobsDir(ws)) && readdirSync(jobsDir(ws)).length ? onlyJob(ws).dir : undefined));
    await until('some events copied', () => {
      try {
        return readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').length > 5 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    first.interrupt();
    assert.equal(await first.code, 130);
    assert.match(first.out.stderr, /Detached; job .* goes on\. Re-attach with: finetune-studio job follow /);
    const { id } = onlyJob(ws);
    assert.equal((await readJobRecord(dir)).status, 'running', 'the job goes on');
    assert.equal(existsSync(path.join(dir, 'follower.json')), false, 'nobody claims to follow it any more');
    const before = stepsPrinted(first.out.stdout);
    assert.ok(before.length > 0 && before.length < 40, `detached mid-run (${before.length} steps seen)`);

    const second = job(ws, ['follow', id]);
    assert.equal(await second.code, 0, second.out.stderr);
    const after = stepsPrinted(second.out.stdout);
    assert.deepEqual([...before, ...after], Array.from({ length: 40 }, (_, i) => i + 1), 'each step printed exactly once across the two');
    assert.ok(readFileSync(path.join(dir, 'events.jsonl')).equals(readFileSync(path.join(dir, 'run', 'events.jsonl'))), "the job's events are the run's, byte for byte");
    assert.equal((await readJobRecord(dir)).status, 'succeeded');
  });

  it('a real SIGINT to the finetune-studio process detaches it (exit 130) and the trainer goes on', { skip: existsSync(CLI) ? false : `no ${CLI} (node esbuild.mjs builds it)` }, async () => {
    const ws = space('sigint');
    const child = spawn(process.execPath, [CLI, 'job', 'start', ws.spec('sig', 40, 0.05, 0), '--follow'], {
      cwd: ws.root,
      env: { PATH: process.env.PATH, LANG: 'C', FINETUNE_TRAINER_ENTRY: ws.standIn, FINETUNE_TRAINER_PYTHON: PYTHON, FINETUNE_STUDIO_STORAGE: ws.storage },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('a step printed', () => (/^step 3\//m.test(stdout) ? true : undefined));
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /Detached; job .* goes on/);
    const { id, dir } = onlyJob(ws);
    const follow = job(ws, ['follow', id]);
    assert.equal(await follow.code, 0, follow.out.stderr);
    assert.deepEqual([...stepsPrinted(stdout), ...stepsPrinted(follow.out.stdout)], Array.from({ length: 40 }, (_, i) => i + 1));
    assert.ok(readFileSync(path.join(dir, 'events.jsonl')).equals(readFileSync(path.join(dir, 'run', 'events.jsonl'))));
  });

  it('job cancel ends the run and records it cancelled; a second cancel says it is not running', async () => {
    const ws = space('cancel');
    const start = job(ws, ['start', ws.spec('forever', 100000, 0.05, 0)]);
    assert.equal(await start.code, 0, start.out.stderr);
    const { id, dir } = onlyJob(ws);
    assert.match(start.out.stdout, new RegExp(`Follow it with: finetune-studio job follow ${id}`));
    await until('the run to write events', () => (existsSync(path.join(dir, 'run', 'events.jsonl')) ? true : undefined));
    const record = await readJobRecord(dir);
    assert.equal(record.status, 'running');
    const cancel = job(ws, ['cancel', id]);
    assert.equal(await cancel.code, 0, cancel.out.stderr);
    assert.match(cancel.out.stdout, new RegExp(`Job ${id} was cancelled\\.`));
    assert.equal((await readJobRecord(dir)).status, 'cancelled');
    assert.deepEqual(liveGroupMembers(record.run!.pid), [], 'the whole process group is gone');
    const again = job(ws, ['cancel', id]);
    assert.equal(await again.code, 1);
    assert.match(again.out.stderr, /is not running \(it is cancelled\)/);
  });

  it('a link planted in the job folder while following stops the follower at once (exit 1), writing nothing through it', async () => {
    const ws = space('planted-link');
    const run = job(ws, ['start', ws.spec('planted', 200, 0.05, 0), '--follow']);
    const dir = await until('the job folder', () => (existsSync(jobsDir(ws)) && readdirSync(jobsDir(ws)).length ? onlyJob(ws).dir : undefined));
    await until('events copied', () => (existsSync(path.join(dir, 'events.jsonl')) ? true : undefined));
    const victim = path.join(ws.root, 'victim.txt');
    writeFileSync(victim, 'untouched');
    rmSync(path.join(dir, 'events.jsonl'));
    symlinkSync(victim, path.join(dir, 'events.jsonl'));
    assert.equal(await run.code, 1);
    assert.match(run.out.stderr, /is not followed: .*link/);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched');
    const cancel = job(ws, ['cancel', onlyJob(ws).id]);
    assert.equal(await cancel.code, 1, 'nor is it signalled through an unsafe folder');
    rmSync(path.join(dir, 'events.jsonl'));
    assert.equal(await job(ws, ['cancel', onlyJob(ws).id]).code, 0);
  });

  it('follow and cancel refuse a job whose folder is unsafe, or that is not there', async () => {
    const ws = space('unsafe');
    const dir = path.join(jobsDir(ws), 'planted');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify({
      id: 'planted', name: 'planted', baseModel: 'b', status: 'running', createdAt: '2026-01-01T00:00:00Z',
      run: { backend: 'local', pid: 1, runDir: '/etc', command: ['python3'] },
    }));
    for (const sub of ['follow', 'cancel', 'logs']) {
      const run = job(ws, [sub, 'planted']);
      assert.equal(await run.code, 1, sub);
      assert.match(run.out.stderr, /job planted is not followed: .*run folder/, sub);
    }
    const none = job(ws, ['follow', 'nope']);
    assert.equal(await none.code, 1);
    assert.match(none.out.stderr, /no job nope in .*\.finetune\/jobs/);
    writeFileSync(path.join(jobsDir(ws), 'junk.txt'), '');
    mkdirSync(path.join(jobsDir(ws), 'broken'));
    writeFileSync(path.join(jobsDir(ws), 'broken', 'job.json'), '{"id": 3}');
    const list = job(ws, ['list']);
    assert.equal(await list.code, 0);
    assert.match(list.out.stdout, /broken\s+unreadable: .*job\.json: id: /);
  });
});
