// A trainer run on the remote side that outlives the connection: started through the backend's setup lines (the
// environment the check saw) by `setsid nohup` in its own session and process group, with stdio on files; the
// wrapper writes its pid and the exit code into the run folder. Status and cancel read the pid from the run folder
// itself and act only on a group holding the run's token (an HMAC under this machine's secret), so a job record
// naming some other pid or folder cannot make them touch anything else.
import type { RunState } from '../backend';
import { SETUP_FAILED, shellQuote, type RemoteExec } from './exec';
import { PID_AND_EXIT_CODE_WRAPPER, RUN_FILES, RUN_TOKEN_ENV, WRAPPER_NAME } from '../runFiles';

export interface DetachedLaunch {
  /** The run folder (it exists; the trainer's log and pid go there). */
  runDir: string;
  argv: string[];
  /** Variables for the trainer on top of what the setup lines made. */
  env: Record<string, string>;
  /** The run's token (RUN_TOKEN_ENV), which status and cancel look for. */
  token: string;
  setup: readonly string[];
}

/** Thrown when the remote side could not start the run. */
export class RemoteLaunchFailed extends Error {}

// `ours PGID TOKEN`: the group is alive and one of its processes carries the token. Without /proc or pgrep (not
// Linux) a live group counts.
const OURS = `ours() {
  kill -0 -"$1" 2>/dev/null || return 1
  { [ -d /proc/self ] && command -v pgrep >/dev/null 2>&1; } || return 0
  for p in $(pgrep -g "$1"); do
    tr '\\000' '\\n' < "/proc/$p/environ" 2>/dev/null | grep -qxF "${RUN_TOKEN_ENV}=$2" && return 0
  done
  return 1
}`;

/** Starts the run; resolves to the pid of its process group. Never retried: a second call would be a second trainer. */
export async function launchDetached(exec: RemoteExec, launch: DetachedLaunch): Promise<number> {
  const assignments = Object.entries({ ...launch.env, [RUN_TOKEN_ENV]: launch.token }).map(([k, v]) => `${k}=${v}`);
  const detached = shellQuote(['env', ...assignments, 'setsid', 'nohup', 'sh', '-c', PID_AND_EXIT_CODE_WRAPPER, WRAPPER_NAME, ...launch.argv]);
  const script = [
    'cd "$1" || exit 96',
    'command -v setsid >/dev/null 2>&1 || { echo "setsid (util-linux) is not installed on the remote side" >&2; exit 95; }',
    `rm -f ${RUN_FILES.pid} ${RUN_FILES.exitCode}`,
    `${detached} >> ${RUN_FILES.log} 2>&1 < /dev/null &`,
    `i=0; while [ ! -s ${RUN_FILES.pid} ] && [ "$i" -lt 150 ]; do sleep 0.1; i=$((i+1)); done`,
    `cat ${RUN_FILES.pid}`,
  ].join('\n');
  const result = await exec.exec(['sh', '-c', script, 'finetune-studio-launch', launch.runDir], { setup: launch.setup });
  const pid = Number.parseInt(result.stdout.trim(), 10);
  if (result.code === SETUP_FAILED) throw new RemoteLaunchFailed(`A setup line failed on the remote side: ${result.stderr.trim()}`);
  if (result.code !== 0 || !(pid > 0)) {
    throw new RemoteLaunchFailed(`The trainer did not start on the remote side (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return pid;
}

const STATUS = `${OURS}
cd "$1" 2>/dev/null || { echo gone; exit 0; }
pid=$(cat ${RUN_FILES.pid} 2>/dev/null)
if [ -n "$pid" ] && ours "$pid" "$2"; then echo running; exit 0; fi
if [ -f ${RUN_FILES.exitCode} ]; then echo "exited $(cat ${RUN_FILES.exitCode})"; exit 0; fi
echo lost`;

export async function remoteRunState(exec: RemoteExec, runDir: string, token: string): Promise<RunState> {
  const result = await exec.exec(['sh', '-c', STATUS, 'finetune-studio-status', runDir, token]);
  const out = result.stdout.trim();
  if (result.code !== 0) throw new Error(`Could not read the run's state on the remote side: ${result.stderr.trim() || `exit ${result.code}`}`);
  if (out === 'running') return { state: 'running' };
  if (out.startsWith('exited')) {
    const code = Number.parseInt(out.slice(7), 10);
    return { state: 'exited', code: Number.isFinite(code) ? code : null };
  }
  if (out === 'gone') return { state: 'lost', reason: 'run folder deleted' };
  return { state: 'lost', reason: 'the trainer process ended without recording an exit code (killed?)' };
}

const CANCEL = `${OURS}
cd "$1" 2>/dev/null || exit 0
pid=$(cat ${RUN_FILES.pid} 2>/dev/null)
[ -n "$pid" ] && ours "$pid" "$2" || exit 0
kill -TERM -"$pid" 2>/dev/null
i=0; while ours "$pid" "$2" && [ "$i" -lt "$3" ]; do sleep 0.1; i=$((i+1)); done
ours "$pid" "$2" && kill -KILL -"$pid" 2>/dev/null
i=0; while ours "$pid" "$2" && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done
exit 0`;

/** Ends the run's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function cancelRemoteRun(exec: RemoteExec, runDir: string, token: string, graceMs = 10_000): Promise<void> {
  const result = await exec.exec(['sh', '-c', CANCEL, 'finetune-studio-cancel', runDir, token, String(Math.ceil(graceMs / 100))]);
  if (result.code !== 0) throw new Error(`Could not stop the run on the remote side: ${result.stderr.trim() || `exit ${result.code}`}`);
}
