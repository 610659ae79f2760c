// Jobs: training jobs on a backend (this machine today), followed from their events, re-attached after a reload,
// the Jobs view and status bar, `*.ftjob.json` spec files, the Start Job form, and one-off trainer tasks on a
// finished job (predict, export) that the eval and models features run. Uses curves, dataset and tokens.
import * as vscode from 'vscode';
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { TokensApi } from '../tokens';
import type { DatasetApi } from '../dataset';
import type { CurvesApi } from '../curves';
import { JobRunner } from './runner';
import { RemoteBackends } from './remote/remoteBackends';
import { ProbeStore } from './remote/probeStore';
import { JobsTree, type DiagnoseLog } from './jobsTree';
import { JobSpecFiles } from './specFiles';
import { JobsStatusBar } from './statusBar';
import { notifyJobEnded } from './notifications';
import { jobCommands } from './commands';
import { startJobCommands } from './startJob/commands';
import { connectionCommands } from './remote/testConnection';
import { probeCommands } from './remote/probeBackend';
import { reviewNotes } from './remote/reviewNotes';
import { runJobTask, type TaskOptions, type TaskResult } from './tasks';
import type { JobsCtx } from './context';
import type { TrainerCommand } from '../../backends/backend';
import { trainedModel, trainedModels, type TrainedModel } from './trainedModel';

export type { JobRunner } from './runner';
export type { JobsTree, JobNode } from './jobsTree';
export type { TrainedModel } from './trainedModel';

export interface JobsApi {
  readonly runner: JobRunner;
  readonly tree: JobsTree;
  readonly specFiles: JobSpecFiles;
  /** The `finetune.backends` entries and their SSH sessions (the deploy feature serves models there). */
  readonly remote: RemoteBackends;
  /** Runs `predict` or `export` for a finished job, with progress and cancel; undefined when it failed (the user was told). */
  runTask(dir: string, command: Exclude<TrainerCommand, 'train'>, options?: TaskOptions): Promise<TaskResult | undefined>;
  /** A finished job's model folder (merged export, else its output), or a sentence saying why there is none. */
  trainedModel(dir: string): Promise<TrainedModel | string>;
  /** Every finished job's model that is on this machine. */
  trainedModels(): Promise<TrainedModel[]>;
}

/**
 * The Jobs view's provider, registered before anything else in activation: until it is, VS Code shows "There is no
 * data provider registered" in the view. It reads the jobs from disk when asked; registerJobs connects the rest.
 * `diagnoseLog` (the curves feature's) is only called for a tooltip, after activation.
 */
export function registerJobsView(platform: Platform, diagnoseLog: DiagnoseLog): JobsTree {
  const tree = platform.register(new JobsTree(platform.finetuneChanges, diagnoseLog));
  platform.register(vscode.window.registerTreeDataProvider('finetune.jobs', tree));
  return tree;
}

export function registerJobs(platform: Platform, tree: JobsTree, deps: { tokens: TokensApi; dataset: DatasetApi; curves: CurvesApi }): JobsApi {
  const storageDir = platform.extension.globalStorageUri.fsPath;
  const remote = platform.register(new RemoteBackends(platform.config, platform.extension.secrets, platform.extensionPath, storageDir, platform.log));
  const runner = platform.register(new JobRunner(platform.config, platform.extensionPath, storageDir, platform.log, remote));
  platform.register(remote.onDidChangeConnection(() => tree.refresh()));
  // Remote runs: "reconnecting…" while the connection is down; a Slurm job's pending reason and attempt otherwise.
  tree.setConnectionNote((record) => (record.run && record.run.backend !== 'local' ? (remote.reconnectingText(record.run.backendName) ?? remote.slurmNote(record.run)) : undefined));
  const specFiles = platform.register(new JobSpecFiles());
  platform.register(new JobsStatusBar(runner));
  platform.register(runner.onDidChange(() => tree.refresh()));
  platform.register(runner.onDidEnd((ended) => void notifyJobEnded(ended)));
  const ctx: JobsCtx = { ...platform, runner, tree, specFiles, remote, probes: new ProbeStore(platform.extension.globalState), ...deps };
  remote.reviewNotes = reviewNotes(ctx);
  registerCommands(platform, ctx, { ...jobCommands, ...startJobCommands, ...connectionCommands, ...probeCommands });
  void runner.reattachAll().catch((err) => platform.log.error(`re-attaching to running jobs: ${err}`));
  return {
    runner, tree, specFiles, remote,
    runTask: (dir, command, options) => runJobTask(ctx, dir, command, options),
    trainedModel: (dir) => trainedModel(ctx, dir),
    trainedModels: () => trainedModels(ctx),
  };
}
