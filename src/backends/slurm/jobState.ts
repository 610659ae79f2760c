// What Slurm says about a job, parsed: `scontrol show job -o <id>` (one line of Key=Value pairs, values may hold
// spaces), `squeue --start` (the expected start of a pending job) and `sacct --parsable2` (finished jobs, where
// slurmdbd keeps accounting); mapped onto the few states the Jobs view shows, with the pending reason in words.
import type { Locale } from '../../core/dataset/types';
import { slurmMessage, type SlurmMessageKey } from './messages';

export type SlurmJobPhase =
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timeout'
  | 'node_fail'
  | 'preempted'
  | 'requeued'
  | 'out_of_memory';

/** Slurm still has the job in hand (waiting, running or put back in line); every other phase is an end. */
export function isActive(phase: SlurmJobPhase): boolean {
  return phase === 'pending' || phase === 'running' || phase === 'requeued';
}

export interface SlurmJobStatus {
  id: string;
  phase: SlurmJobPhase;
  /** Slurm's own state word (RUNNING, PENDING, CANCELLED…). */
  slurmState: string;
  /** 1 for the first run; each requeue (preemption, node failure, `scontrol requeue`) adds one. */
  attempt: number;
  /** Slurm's Reason (why pending; why it failed), when it gives one. */
  reason?: string;
  /** The batch script's exit status and the signal that ended it (ExitCode=status:signal). */
  exitCode?: number;
  signal?: number;
  nodes?: string;
  partition?: string;
  /** As Slurm writes times (2026-12-07T09:00:00), local to the cluster; the expected start while pending. */
  startTime?: string;
  timeLimit?: string;
  /** What the job asked for, in Slurm's words (gres:gpu:2, cpu=8,mem=64G,node=1), for the Resources reason. */
  resources?: string;
}

/** The Key=Value pairs of one `scontrol show job -o` line. A value runs until the next " Key=" (values may hold spaces). */
export function parseScontrolLine(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const key = /(?:^|\s)([A-Z][A-Za-z0-9_:/]*)=/g;
  const found: { name: string; start: number; valueStart: number }[] = [];
  for (let m = key.exec(line); m; m = key.exec(line)) found.push({ name: m[1]!, start: m.index, valueStart: m.index + m[0].length });
  found.forEach((f, i) => {
    const end = i + 1 < found.length ? found[i + 1]!.start : line.length;
    if (!(f.name in fields)) fields[f.name] = line.slice(f.valueStart, end).trim();
  });
  return fields;
}

const NULL_VALUES = new Set(['', '(null)', 'None', 'N/A', 'Unknown']);
const present = (v: string | undefined) => (v === undefined || NULL_VALUES.has(v) ? undefined : v);

/** Slurm's state word onto the phase the Jobs view shows (JobState may carry flags: "CANCELLED by 0", "RUNNING+"). */
export function phaseOf(slurmState: string): SlurmJobPhase {
  const word = slurmState.trim().split(/[\s+]/)[0]!.toUpperCase();
  switch (word) {
    case 'PENDING':
    case 'SUSPENDED':
    case 'STOPPED':
    case 'RESV_DEL_HOLD':
      return 'pending';
    case 'RUNNING':
    case 'CONFIGURING':
    case 'COMPLETING':
    case 'SIGNALING':
    case 'STAGE_OUT':
    case 'RESIZING':
      return 'running';
    case 'COMPLETED':
      return 'completed';
    case 'CANCELLED':
    case 'REVOKED':
      return 'cancelled';
    case 'TIMEOUT':
    case 'DEADLINE':
      return 'timeout';
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return 'node_fail';
    case 'PREEMPTED':
      return 'preempted';
    case 'REQUEUED':
    case 'REQUEUE_FED':
    case 'REQUEUE_HOLD':
      return 'requeued';
    case 'OUT_OF_MEMORY':
      return 'out_of_memory';
    default:
      return 'failed'; // FAILED, SPECIAL_EXIT and anything newer
  }
}

function exitCode(value: string | undefined): { exitCode?: number; signal?: number } {
  const m = /^(\d+):(\d+)$/.exec(value ?? '');
  return m ? { exitCode: Number(m[1]), signal: Number(m[2]) } : {};
}

/** Where scontrol and sacct keep each field of a status. */
const SCONTROL_FIELDS = { state: 'JobState', reason: 'Reason', exit: 'ExitCode', nodes: 'NodeList', partition: 'Partition', start: 'StartTime', limit: 'TimeLimit' };
const SACCT_NAMES = { state: 'State', reason: 'Reason', exit: 'ExitCode', nodes: 'NodeList', partition: 'Partition', start: 'Start', limit: 'Timelimit' };

function toStatus(id: string, f: Record<string, string>, n: typeof SCONTROL_FIELDS): SlurmJobStatus {
  const state = f[n.state]!;
  return {
    id,
    phase: phaseOf(state),
    slurmState: state,
    attempt: 1 + (Number(f.Restarts) || 0),
    reason: present(f[n.reason]),
    ...exitCode(f[n.exit]),
    nodes: present(f[n.nodes]),
    partition: present(f[n.partition]),
    startTime: present(f[n.start]),
    timeLimit: present(f[n.limit]),
  };
}

/** A job's status from its `scontrol show job -o` line; undefined when the line is not a job (no JobId/JobState). */
export function statusFromScontrol(line: string): SlurmJobStatus | undefined {
  const f = parseScontrolLine(line);
  if (!f.JobId || !f.JobState) return undefined;
  const resources = [present(f.TresPerNode), present(f.ReqTRES) ?? present(f.TRES)].filter(Boolean).join(', ');
  return { ...toStatus(f.JobId, f, SCONTROL_FIELDS), resources: resources || undefined };
}

/** `squeue --start -h -o %i|%S|%r` lines → job id → expected start (only the jobs Slurm has an estimate for). */
export function parseSqueueStart(text: string): Map<string, string> {
  const starts = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [id, start] = line.trim().split('|');
    if (id && present(start?.trim())) starts.set(id, start!.trim());
  }
  return starts;
}

/** `sacct --parsable2` output (header line first) as records keyed by the header's field names. */
export function parseSacct(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.trim());
  if (!lines.length) return [];
  const header = lines[0]!.split('|');
  return lines.slice(1).map((l) => {
    const values = l.split('|');
    return Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  });
}

/** A job's status from sacct's record of the job itself (not its .batch or .extern steps); undefined when absent. */
export function statusFromSacct(text: string, id: string): SlurmJobStatus | undefined {
  const row = parseSacct(text).find((r) => r.JobID === id || r.JobIDRaw === id);
  return row?.State ? toStatus(id, row, SACCT_NAMES) : undefined;
}

/** The fields asked of sacct, in the order statusFromSacct reads them. */
export const SACCT_FIELDS = 'JobID,State,ExitCode,Reason,NodeList,Partition,Start,Timelimit';

/** A pending reason's catalogue key: exact names first, then QoS and account limit families, else `other`. */
export function pendingKey(reason: string | undefined): { key: SlurmMessageKey; detail: string } {
  const raw = (reason ?? 'None').replace(/^\(|\)$/g, '').trim() || 'None';
  const word = raw.split(/[,\s]/)[0]!;
  const detail = raw.slice(word.length).replace(/^[,\s]+/, '');
  const exact: Record<string, SlurmMessageKey> = {
    None: 'pending.None', Priority: 'pending.Priority', Resources: 'pending.Resources', ReqNodeNotAvail: 'pending.ReqNodeNotAvail',
    PartitionTimeLimit: 'pending.PartitionTimeLimit', PartitionNodeLimit: 'pending.PartitionNodeLimit', PartitionDown: 'pending.PartitionDown',
    PartitionInactive: 'pending.PartitionDown', Dependency: 'pending.Dependency', DependencyNeverSatisfied: 'pending.DependencyNeverSatisfied',
    BeginTime: 'pending.BeginTime', JobHeldUser: 'pending.JobHeldUser', JobHeldAdmin: 'pending.JobHeldAdmin',
    QOSMaxGRESPerUser: 'pending.QOSMaxGRESPerUser', AssocGrpGRES: 'pending.AssocGrpGRES', Reservation: 'pending.Reservation',
    BadConstraints: 'pending.BadConstraints', Suspended: 'pending.Suspended',
  };
  if (exact[word]) return { key: exact[word]!, detail };
  if (/^launch failed requeued held/i.test(raw)) return { key: 'pending.launch', detail: raw };
  if (/^QOS/.test(word)) return { key: 'pending.qos', detail: raw };
  if (/^Assoc/.test(word)) return { key: 'pending.assoc', detail: raw };
  return { key: 'pending.other', detail: raw };
}

/** Why a job is pending and what the user can change, in plain words. */
export function explainPending(
  status: Pick<SlurmJobStatus, 'id' | 'reason' | 'partition' | 'startTime' | 'slurmState' | 'resources'>,
  locale: Locale,
): { reason: string; fix: string; start?: string } {
  const reasonText = /^(SUSPENDED|STOPPED)/.test(status.slurmState) ? 'Suspended' : status.reason;
  const { key, detail } = pendingKey(reasonText);
  const params = { id: status.id, partition: status.partition ?? '', reason: detail || (reasonText ?? ''), detail, resources: status.resources ?? '?' };
  const fixKey = `${key}.fix` as SlurmMessageKey;
  return {
    reason: slurmMessage(locale, key, params),
    fix: slurmMessage(locale, fixKey, params),
    start: status.startTime ? slurmMessage(locale, 'pending.start', { start: status.startTime }) : undefined,
  };
}

/** One line for the Jobs view: the phase in words (the pending reason, the exit code, the node list) and the attempt. */
export function describeStatus(status: SlurmJobStatus, locale: Locale): string {
  const parts: string[] = [];
  switch (status.phase) {
    case 'pending': {
      const p = explainPending(status, locale);
      parts.push(p.reason, p.fix, ...(p.start ? [p.start] : []));
      break;
    }
    case 'running':
      parts.push(slurmMessage(locale, 'state.running', { nodes: status.nodes ?? '' }));
      break;
    case 'failed':
      parts.push(slurmMessage(locale, 'state.failed', { code: status.exitCode ?? '?' }));
      break;
    case 'timeout':
      parts.push(slurmMessage(locale, 'state.timeout', { limit: status.timeLimit ?? '' }));
      break;
    default:
      parts.push(slurmMessage(locale, `state.${status.phase}` as SlurmMessageKey));
  }
  if (status.attempt > 1) parts.push(slurmMessage(locale, 'state.attempt', { attempt: status.attempt }));
  return parts.join(' ');
}
