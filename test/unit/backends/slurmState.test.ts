import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SlurmDefaults } from '../../../src/shared/backendConfig';
import { describeStatus, explainPending, parseScontrolLine, parseSqueueStart, pendingKey, phaseOf, statusFromSacct, statusFromScontrol } from '../../../src/backends/slurm/jobState';
import { SlurmError, slurmMessage, slurmMessageKeys } from '../../../src/backends/slurm/messages';
import { parseSbatch, sbatchError } from '../../../src/backends/slurm/sbatchResult';
import { formatSlurmTime, parseSlurmTime, timeLimitWarning } from '../../../src/backends/slurm/timeLimit';

// A real line of Slurm 22.05 (the loopback cluster), with a run folder holding spaces and "=".
const RUNNING = 'JobId=12 JobName=my_job UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) '
  + 'JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=2 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:05 '
  + 'TimeLimit=00:01:00 TimeMin=N/A SubmitTime=2026-12-07T06:53:23 StartTime=2026-12-07T06:53:25 EndTime=2026-12-07T06:54:25 '
  + 'Partition=debug AllocNode:Sid=localhost:19175 ReqNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 '
  + 'TRES=cpu=1,node=1,billing=1 NtasksPerN:B:S:C=0:0:*:* CPUs/Task=1 Command=/work/my runs/a=b/job.sh '
  + 'WorkDir=/work/my runs/a=b StdOut=/work/my runs/a=b/slurm-12.out Power= TresPerNode=gres:gpu:1';

describe('scontrol show job -o', () => {
  it('reads Key=Value pairs whose values hold spaces, "=" and ":"', () => {
    const f = parseScontrolLine(RUNNING);
    assert.equal(f.JobState, 'RUNNING');
    assert.equal(f.Command, '/work/my runs/a=b/job.sh');
    assert.equal(f.WorkDir, '/work/my runs/a=b');
    assert.equal(f['AllocNode:Sid'], 'localhost:19175');
    assert.equal(f['CPUs/Task'], '1');
    assert.equal(f.TRES, 'cpu=1,node=1,billing=1');
    assert.equal(f.Power, '');
    assert.equal(f.TresPerNode, 'gres:gpu:1');
  });

  it('maps a running job with its attempt, nodes and resources', () => {
    const s = statusFromScontrol(RUNNING)!;
    assert.deepEqual([s.id, s.phase, s.attempt, s.nodes, s.timeLimit, s.exitCode, s.reason], ['12', 'running', 3, 'vm', '00:01:00', 0, undefined]);
    assert.equal(s.resources, 'gres:gpu:1, cpu=1,node=1,billing=1');
    assert.equal(describeStatus(s, 'en'), 'Running on vm. Attempt 3.');
    assert.equal(describeStatus(s, 'zh-cn'), '正在 vm 上运行。 第 3 次运行。');
    assert.equal(statusFromScontrol('slurm_load_jobs error: Invalid job id specified'), undefined);
  });

  it('maps every end state, flags and all', () => {
    const cases: [string, string][] = [['PENDING', 'pending'], ['SUSPENDED', 'pending'], ['CONFIGURING', 'running'], ['COMPLETING', 'running'],
      ['COMPLETED', 'completed'], ['FAILED', 'failed'], ['SPECIAL_EXIT', 'failed'], ['CANCELLED by 0', 'cancelled'], ['TIMEOUT', 'timeout'],
      ['DEADLINE', 'timeout'], ['NODE_FAIL', 'node_fail'], ['BOOT_FAIL', 'node_fail'], ['PREEMPTED', 'preempted'], ['REQUEUED', 'requeued'],
      ['REQUEUE_HOLD', 'requeued'], ['OUT_OF_MEMORY', 'out_of_memory'], ['RUNNING+', 'running'], ['SOMETHING_NEW', 'failed']];
    for (const [state, phase] of cases) assert.equal(phaseOf(state), phase, state);
    const failed = statusFromScontrol('JobId=3 JobState=FAILED Reason=NonZeroExitCode Restarts=0 ExitCode=2:0 TimeLimit=UNLIMITED')!;
    assert.deepEqual([failed.phase, failed.exitCode, failed.reason], ['failed', 2, 'NonZeroExitCode']);
    assert.equal(describeStatus(failed, 'en'), 'Failed with exit code 2.');
    const timeout = statusFromScontrol('JobId=4 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15 TimeLimit=00:01:00')!;
    assert.deepEqual([timeout.phase, timeout.signal], ['timeout', 15]);
    assert.equal(describeStatus(timeout, 'en'), 'Stopped by Slurm at its time limit (00:01:00).');
  });
});

describe('pending reasons', () => {
  const pending = (reason: string) => statusFromScontrol(`JobId=9 JobState=PENDING Reason=${reason} Partition=gpu StartTime=Unknown TresPerNode=gres:gpu:9`)!;

  it('each known reason gets plain words and what to change, in English and Chinese', () => {
    for (const reason of ['Priority', 'Resources', 'QOSMaxGRESPerUser', 'ReqNodeNotAvail,_UnavailableNodes:n[1-3]', 'AssocGrpGRES',
      'PartitionTimeLimit', 'Dependency', 'BeginTime', 'JobHeldUser', 'JobHeldAdmin', 'None']) {
      const key = pendingKey(reason).key;
      assert.notEqual(key, 'pending.other', reason);
      for (const locale of ['en', 'zh-cn'] as const) {
        const e = explainPending(pending(reason), locale);
        assert.ok(e.reason.length > 10 && e.fix.length > 5, `${reason} ${locale}`);
        assert.doesNotMatch(e.reason + e.fix, /\{\w+\}/, `${reason} ${locale}: placeholders filled`);
      }
    }
    assert.match(explainPending(pending('Resources'), 'en').reason, /gres:gpu:9/);
    assert.match(explainPending(pending('JobHeldUser'), 'en').fix, /scontrol release 9/);
    assert.match(explainPending(pending('PartitionTimeLimit'), 'zh-cn').reason, /分区 gpu/);
  });

  it('QoS and account limit families, held launches, and a fallback that shows the raw reason', () => {
    assert.equal(pendingKey('QOSMaxJobsPerUserLimit').key, 'pending.qos');
    assert.equal(pendingKey('AssocGrpCpuLimit').key, 'pending.assoc');
    assert.equal(pendingKey('launch failed requeued held').key, 'pending.launch');
    const other = explainPending(pending('FrontEndDown'), 'en');
    assert.match(other.reason, /FrontEndDown/);
    assert.match(other.fix, /scontrol show job 9/);
  });

  it('the expected start from squeue --start joins the explanation', () => {
    const starts = parseSqueueStart('9|2026-12-07T09:00:00|Resources\n10|N/A|Priority\n');
    assert.deepEqual([...starts], [['9', '2026-12-07T09:00:00']]);
    const e = explainPending({ ...pending('Resources'), startTime: starts.get('9') }, 'en');
    assert.equal(e.start, 'Expected start: 2026-12-07T09:00:00.');
  });
});

describe('sacct --parsable2', () => {
  it('reads the job itself, not its steps', () => {
    const text = 'JobID|State|ExitCode|Reason|NodeList|Partition|Start|Timelimit\n'
      + '21|CANCELLED by 1000|0:15|None|gpu01|gpu|2026-12-07T01:00:00|01:00:00\n21.batch|CANCELLED|0:15||gpu01||2026-12-07T01:00:00|\n';
    const s = statusFromSacct(text, '21')!;
    assert.deepEqual([s.phase, s.slurmState, s.nodes, s.signal, s.reason], ['cancelled', 'CANCELLED by 1000', 'gpu01', 15, undefined]);
    assert.equal(statusFromSacct(text, '22'), undefined);
    assert.equal(statusFromSacct('', '21'), undefined);
  });
});

describe('sbatch --parsable', () => {
  const slurm = SlurmDefaults.parse({ partition: 'nosuch', gpus: 9, time: '99-00:00:00' });

  it('takes the job id, with or without a cluster name', () => {
    assert.deepEqual(parseSbatch({ code: 0, stdout: '42\n', stderr: '' }), { id: '42' });
    assert.deepEqual(parseSbatch({ code: 0, stdout: '43;lab\n', stderr: '' }), { id: '43' });
    assert.equal((parseSbatch({ code: 0, stdout: 'hello\n', stderr: '' }) as { refused: string }).refused, 'noId');
  });

  it('a bad partition names the partitions that exist', () => {
    const out = parseSbatch({ code: 1, stdout: '', stderr: 'sbatch: error: invalid partition specified: nosuch\nsbatch: error: Batch job submission failed: Invalid partition name specified\n' });
    assert.ok('refused' in out && out.refused === 'partition' && out.partition === 'nosuch');
    const err = sbatchError(out, slurm, ['debug', 'short']);
    assert.equal(err.message, 'Partition "nosuch" does not exist; partitions here: debug, short.');
    assert.equal(err.text('zh-cn'), '分区“nosuch”不存在；这里的分区有：debug, short。');
  });

  it('other refusals say what was asked and quote Slurm', () => {
    const refused = (stderr: string) => {
      const out = parseSbatch({ code: 1, stdout: '', stderr });
      assert.ok('refused' in out);
      return sbatchError(out, slurm);
    };
    const nodes = refused('sbatch: error: Batch job submission failed: Requested node configuration is not available\n');
    assert.equal(nodes.key, 'sbatch.resources');
    assert.match(nodes.message, /--gres=gpu:9.*Requested node configuration is not available/);
    assert.equal(refused('sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)').key, 'sbatch.time');
    assert.equal(refused('sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified').key, 'sbatch.account');
    assert.equal(refused('sbatch: error: Batch job submission failed: Invalid qos specification').key, 'sbatch.qos');
    const other = refused('sbatch: error: something new\n');
    assert.equal(other.message, 'sbatch refused the job: something new');
    assert.ok(other instanceof SlurmError);
  });
});

describe('time limits', () => {
  it('reads every Slurm time format', () => {
    const cases: [string, number | undefined][] = [['30', 1800], ['30:15', 1815], ['2:00:00', 7200], ['1-0', 86400], ['1-2:30', 95400],
      ['1-02:30:10', 95410], ['UNLIMITED', undefined], ['', undefined], ['1:2:3:4', undefined]];
    for (const [text, seconds] of cases) assert.equal(parseSlurmTime(text), seconds, text);
    assert.equal(formatSlurmTime(95400), '1-02:30:00');
    assert.equal(formatSlurmTime(61), '00:02:00');
  });

  it('warns when --time is shorter than tokens × epochs / throughput, and suggests a limit', () => {
    const estimate = { tokens: 36_000_000, epochs: 3, tokensPerSecond: 10_000 }; // 3 hours
    const w = timeLimitWarning('2:00:00', estimate, 'en')!;
    assert.match(w.message, /02:00:00 is shorter than the estimated 03:00:00 \(36,000,000 tokens × 3 epochs at 10,000 tokens\/s\)/);
    assert.match(w.fix, /at least 03:45:00/);
    assert.match(timeLimitWarning('2:00:00', estimate, 'zh-cn')!.message, /时间上限 02:00:00/);
    assert.equal(timeLimitWarning('4:00:00', estimate, 'en'), undefined);
    assert.equal(timeLimitWarning(undefined, estimate, 'en'), undefined);
    assert.equal(timeLimitWarning('1:00', { ...estimate, tokensPerSecond: 0 }, 'en'), undefined);
  });
});

describe('the Slurm catalogue', () => {
  it('every message exists in Chinese with the same placeholders', () => {
    for (const key of slurmMessageKeys()) {
      const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      assert.match(slurmMessage('zh-cn', key), /[\u4e00-\u9fff]/, key);
      assert.equal(holes(slurmMessage('zh-cn', key)), holes(slurmMessage('en', key)), key);
    }
  });
});
