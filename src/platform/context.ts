import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { Config } from './config';
import { DatasetWorkerClient } from '../features/dataset/workerClient';
import { DatasetDiagnostics } from '../features/dataset/diagnostics';
import { TokenService } from '../features/tokens/service';
import { DatasetStatusBar } from '../features/dataset/statusBar';
import { TokenLengthDiagnostics } from '../features/dataset/tokenLengths';
import { JobsTree } from '../features/jobs/jobsTree';
import { coreLocale } from './locale';
import { ModelsTree } from '../features/models/modelsTree';
import { JobRunner } from '../features/jobs/runner';
import { MetricsWorkerClient } from '../features/eval/metricsWorkerClient';
import { JobsStatusBar } from '../features/jobs/statusBar';
import { JobSpecFiles } from '../features/jobs/specFiles';

/** Everything the extension holds, built once in activate() and disposed with the extension. */
export class Ctx extends Disposable {
  readonly config = new Config();
  readonly log = this.register(vscode.window.createOutputChannel('Fine-tune Studio', { log: true }));
  readonly worker: DatasetWorkerClient;
  readonly diagnostics: DatasetDiagnostics;
  readonly tokens: TokenService;
  readonly statusBar: DatasetStatusBar;
  readonly tokenLengths: TokenLengthDiagnostics;
  readonly jobs = this.register(new JobsTree((file, name) => this.worker.lossRun(file, name, coreLocale())));
  readonly models = this.register(new ModelsTree(this.config));
  readonly jobRunner: JobRunner;
  /** Diagnostics and CodeLens of `*.ftjob.json` job specs. */
  readonly specFiles = this.register(new JobSpecFiles());
  /** BLEU / ROUGE scoring of eval runs, in its own worker thread (started on first use). */
  readonly metrics: MetricsWorkerClient;

  constructor(readonly extension: vscode.ExtensionContext) {
    super();
    this.worker = this.register(new DatasetWorkerClient(extension.extensionPath, (line) => this.log.warn(line)));
    this.metrics = this.register(new MetricsWorkerClient(extension.extensionPath, (line) => this.log.warn(line)));
    this.diagnostics = this.register(new DatasetDiagnostics(this.worker, this.config));
    this.tokens = this.register(new TokenService(this.config, extension.extensionPath));
    this.statusBar = this.register(new DatasetStatusBar(this.diagnostics, this.tokens));
    this.tokenLengths = this.register(new TokenLengthDiagnostics(this.tokens, this.config));
    this.jobRunner = this.register(new JobRunner(this.config, extension.extensionPath, extension.globalStorageUri.fsPath, this.log));
    this.register(new JobsStatusBar(this.jobRunner));
    this.register(this.jobRunner.onDidChange(() => this.jobs.refresh()));
    this.register(vscode.window.registerTreeDataProvider('finetune.jobs', this.jobs));
    this.register(vscode.window.registerTreeDataProvider('finetune.models', this.models));
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }
}
