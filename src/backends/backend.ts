// The interface every training backend implements: this machine (src/backends/local), and the remote ones
// (SSH, Slurm) to come. Backends know nothing of VS Code; the jobs feature drives them. Only code under
// src/backends knows what a run folder holds (its events, log, exit code, config and output): everything else
// asks the backend.
import type { RunHandle } from '../shared/job';
import type { RunConfig } from '../shared/trainerConfig';
import type { TrainerCheck } from '../shared/trainerCheck';

export type TrainerCommand = 'train' | 'predict' | 'export';

export type { RunConfig };

export interface LaunchRequest {
  command: TrainerCommand;
  /** The run folder on the backend (created by start); the trainer's config is written there. */
  runDir: string;
  /** The resolved trainer config; `output_dir` defaults to the run folder's own output (see outputDir). */
  config: RunConfig;
  /** 'auto' (all GPUs), 'cpu', or GPU indices; more than one GPU launches through torchrun. */
  devices: 'auto' | 'cpu' | number[];
}

export type RunState =
  | { state: 'running' }
  | { state: 'exited'; code: number | null }
  /** The process is gone and left no exit code (killed with the machine, or its run folder deleted). */
  | { state: 'lost'; reason: string };

/** Files of a run that can be fetched to this machine. */
export type RunArtifact = 'log' | 'events' | 'config' | 'predictions';

/** Python could not be run at all. */
export class PythonNotFound extends Error {
  constructor(readonly python: string, detail: string) {
    super(`Python not found: ${python} (${detail})`);
  }
}

/** The trainer's check ran but failed or printed nothing usable. */
export class TrainerCheckFailed extends Error {}

/** Thrown by readEvents when the run folder disappeared under a running job. */
export class RunFolderGone extends Error {}

export interface Backend {
  readonly kind: RunHandle['backend'];
  /** Python, packages and GPUs on the backend, as `python -m finetune_trainer check` reports them. */
  check(): Promise<TrainerCheck>;
  /** Launches the trainer detached, so it outlives VS Code. */
  start(request: LaunchRequest): Promise<RunHandle>;
  /** Bytes of the run's events file from `offset` on (empty when nothing new; throws RunFolderGone when it is gone). */
  readEvents(handle: RunHandle, offset: number): Promise<Buffer>;
  status(handle: RunHandle): Promise<RunState>;
  /** Ends the whole process tree (SIGTERM, then SIGKILL after a grace period). */
  cancel(handle: RunHandle): Promise<void>;
  /** The last lines of the trainer's own log (stdout and stderr), for error reports. */
  logTail(handle: RunHandle, lines: number): Promise<string>;
  /** Where a run folder's trainer writes its model and checkpoints (a path on the backend). */
  outputDir(runDir: string): string;
  /** The checkpoints a run has saved, newest first (paths on the backend). */
  checkpoints(handle: RunHandle): Promise<{ step: number; path: string }[]>;
  /**
   * A file of the run on this machine: copied to `localPath`, or (without it, where the run is on this machine)
   * the file itself. Undefined when the run has no such file (yet).
   */
  fetchArtifact(handle: RunHandle, artifact: RunArtifact, localPath?: string): Promise<string | undefined>;
}
