// `finetune-studio job <start|list|follow|cancel|logs>`: training jobs from a terminal or CI, on the same backends
// and in the same job folders (`.finetune/jobs/<id>/` under the current folder) as the editor, followed by the same
// loop (src/backends/jobs/).
import type { CliIo } from '../io';
import { argsOrExit } from '../args';
import { FINISHED } from '../../shared/job';
import { JobFollower } from '../../backends/jobs/follower';
import { parseJobArgs } from '../job/args';
import { CliBackends, PASSPHRASE_ENV } from '../job/backends';
import { cancelCommand } from '../job/cancel';
import type { JobCommandContext } from '../job/context';
import { EXIT, exitStatus, followJob } from '../job/follow';
import { listCommand, statusText } from '../job/list';
import { logsCommand } from '../job/logs';
import { jobCliMessage } from '../job/messages';
import { findJob, jobRun, unverifiableRun } from '../job/runningJob';
import { startJob } from '../job/start';
import { defaultTrainerDir, localPython, storageDir, STORAGE_ENV } from '../job/state';

const HELP = `Usage: finetune-studio job <command> [options]

Training jobs from a terminal or CI: the same backends (this machine, SSH hosts, Slurm clusters) and the same job
folders (.finetune/jobs/<id>/ under the current folder) as the VS Code extension.

  job start <spec.ftjob.json> [--backend <name | file.json>] [--follow] [--python <path>] [--resume-from <checkpoint>]
      checks Python, packages and GPUs on the backend, then launches the job (detached: it outlives this command)
      --backend  a finetune.backends entry: its name (looked up in .vscode/settings.json), or a file holding one
                 entry; without it, the spec's backend
      --follow   print its progress until it ends
      --python   the Python of a local job (default: $FINETUNE_TRAINER_PYTHON, else python3)
  job list [--json]                 the jobs, newest first
  job follow <id> [--backend ...]   re-attach and print its progress from where its events stopped
  job cancel <id> [--backend ...]   end its run (the whole process group, or scancel)
  job logs <id> [--tail N] [--backend ...]   the trainer's log

  --locale en|zh-cn   language of the messages (default: from LANG)

Ctrl+C while following detaches: the job goes on; \`finetune-studio job follow <id>\` picks it up again.
SSH host keys must already be in known_hosts (an unknown key is refused with its fingerprint and the command that
trusts it). An encrypted key's passphrase comes from ssh-agent or $${PASSPHRASE_ENV}. The run secret that marks this
machine's runs is the editor's when its storage is found, else ~/.local/state/finetune-studio ($${STORAGE_ENV}).

Exit status: 0 succeeded (or done), 1 failed or refused, 2 wrong usage, 124 stopped on a signal with a checkpoint
saved (a time limit or preemption: continue with --resume-from), 130 detached with Ctrl+C, 70 internal error.
`;

/** What tests replace: the environment, the trainer and storage folders, Ctrl+C, the follow interval. */
export interface JobSeams {
  env?: NodeJS.ProcessEnv;
  trainerDir?: string;
  storageDir?: string;
  onInterrupt?: (handler: () => void) => () => void;
  tickMs?: number;
}

function onSigint(handler: () => void): () => void {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

export async function jobCommand(args: string[], io: CliIo, seams: JobSeams = {}): Promise<number> {
  const parsed = argsOrExit('job', args, io, HELP, parseJobArgs);
  if (typeof parsed === 'number') return parsed;
  const { locale } = parsed;
  const env = seams.env ?? process.env;
  const backends = new CliBackends({
    storageDir: seams.storageDir ?? storageDir(env),
    trainerDir: seams.trainerDir ?? defaultTrainerDir(),
    env,
    locale,
    note: (line) => io.stderr(`${line}\n`),
  });
  const ctx: JobCommandContext = {
    io,
    locale,
    backends,
    onInterrupt: seams.onInterrupt ?? onSigint,
    python: (option) => localPython(option, env),
    ...(seams.tickMs !== undefined ? { tickMs: seams.tickMs } : {}),
  };
  const fail = (message: string) => {
    io.stderr(`finetune-studio job ${parsed.sub}: ${message}\n`);
    return EXIT.failed;
  };
  try {
    switch (parsed.sub) {
      case 'list':
        return await listCommand(io, locale, parsed.json);
      case 'start':
        return await startJob(ctx, parsed);
      default: {
        const found = await findJob(ctx, parsed.id);
        if ('error' in found) return fail(found.error);
        const run = await jobRun(ctx, found.dir, found.record, parsed.backend);
        if ('error' in run) return fail(run.error);
        if (parsed.sub === 'logs') return await logsCommand(ctx, run, parsed.tail);
        if (parsed.sub === 'cancel') return await cancelCommand(ctx, run);
        // follow: a job that has ended says how, with its exit status.
        if (FINISHED.includes(run.record.status)) {
          io.stdout(`${jobCliMessage(locale, 'job.notRunning', { id: run.record.id, status: statusText(run.record, locale) })}\n`);
          return exitStatus(run.record);
        }
        const unverifiable = await unverifiableRun(ctx, run);
        if (unverifiable) return fail(unverifiable);
        if (await JobFollower.followedElsewhere(run.dir)) return fail(jobCliMessage(locale, 'job.followedElsewhere', { id: run.record.id }));
        io.stderr(`${jobCliMessage(locale, 'follow.following', { id: run.record.id, status: statusText(run.record, locale) })}\n`);
        return await followJob(ctx, run.dir, run.record, run.handle, run.backend);
      }
    }
  } finally {
    backends.close();
  }
}
