// What a run folder holds, on this machine (local/) and on a remote one (remote/): nothing outside src/backends
// names these files. The wrapper that records the trainer's exit code is the same shell text for both.
import type { RunArtifact } from './backend';

export const RUN_FILES = {
  config: 'config.json',
  events: 'events.jsonl',
  log: 'trainer.log',
  exitCode: 'exit_code',
  /** Remote runs only: the process group leader's pid, written by the wrapper itself. */
  pid: 'pid',
  output: 'output',
} as const;

/** The trainer's `predict` writes its answers here, in the run's output folder (trainer/finetune_trainer/predict.py). */
export const PREDICTIONS_FILE = 'generated_predictions.jsonl';

export const ARTIFACT_FILES: Record<RunArtifact, string> = {
  log: RUN_FILES.log, events: RUN_FILES.events, config: RUN_FILES.config, predictions: `${RUN_FILES.output}/${PREDICTIONS_FILE}`,
};

/** The wrapper's $0 (what `ps` shows); a process is recognised as the run's by its token, never by this name. */
export const WRAPPER_NAME = 'finetune-studio-trainer';

/** Runs "$@" (the trainer's argv: nothing from the user reaches the shell as code) and records its exit code. */
export const EXIT_CODE_WRAPPER = `"$@"; code=$?; echo "$code" > "${RUN_FILES.exitCode}.tmp" && mv "${RUN_FILES.exitCode}.tmp" "${RUN_FILES.exitCode}"; exit "$code"`;

/** The remote wrapper first records its own pid (the process group's), so the launcher never guesses it. */
export const PID_AND_EXIT_CODE_WRAPPER = `echo "$$" > "${RUN_FILES.pid}.tmp" && mv "${RUN_FILES.pid}.tmp" "${RUN_FILES.pid}"; ${EXIT_CODE_WRAPPER}`;

/**
 * The trainer's exit status when it stopped on a signal with a checkpoint saved, to be continued (SIGUSR1: a
 * scheduler's warning before its time limit or a preemption; trainer/finetune_trainer/cli.py), as timeout(1) reports
 * a time limit.
 */
export const EXIT_STOPPED = 124;

/** The environment variable that carries a run's token (an HMAC of its folder): status and cancel look for it. */
export const RUN_TOKEN_ENV = 'FINETUNE_RUN_TOKEN';
