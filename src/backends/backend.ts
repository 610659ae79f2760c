// The interface every training backend implements: this machine (src/backends/local), and the remote ones
// (SSH, Slurm) to come. Backends know nothing of VS Code; the extension's JobRunner drives them.
import type { RunHandle } from '../shared/job';
import type { TrainerCheck } from '../shared/trainerCheck';

export type TrainerCommand = 'train' | 'predict' | 'export';

export interface LaunchRequest {
  command: TrainerCommand;
  /** The run folder on the backend (created by start); the trainer's config.json is written there. */
  runDir: string;
  /** The resolved trainer config (src/shared/trainerConfig.ts) as JSON-ready data. */
  config: Record<string, unknown>;
  /** 'auto' (all GPUs), 'cpu', or GPU indices; more than one GPU launches through torchrun. */
  devices: 'auto' | 'cpu' | number[];
}

export type RunState =
  | { state: 'running' }
  | { state: 'exited'; code: number | null }
  /** The process is gone and left no exit code (killed with the machine, or its run folder deleted). */
  | { state: 'lost'; reason: string };

export interface Backend {
  readonly kind: RunHandle['backend'];
  /** Python, packages and GPUs on the backend, as `python -m finetune_trainer check` reports them. */
  check(): Promise<TrainerCheck>;
  /** Launches the trainer detached, so it outlives VS Code. */
  start(request: LaunchRequest): Promise<RunHandle>;
  /** Bytes of the run's events file from `offset` on (empty when nothing new; throws when the file is gone). */
  readEvents(handle: RunHandle, offset: number): Promise<Buffer>;
  status(handle: RunHandle): Promise<RunState>;
  /** Ends the whole process tree (SIGTERM, then SIGKILL after a grace period). */
  cancel(handle: RunHandle): Promise<void>;
  /** The last lines of the trainer's own log (stdout and stderr), for error reports. */
  logTail(handle: RunHandle, lines: number): Promise<string>;
  /** Copies a file of the run to this machine. */
  fetchArtifact(handle: RunHandle, remotePath: string, localPath: string): Promise<void>;
}
