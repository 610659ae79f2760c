import * as vscode from 'vscode';
import { showStartedJob } from '../notifications';
import { coreLocale } from '../../../platform/locale';
import type { JobsCtx } from '../context';
import {
  checkDataset, copyDatasetIn, datasetUri, initialTrainFile, modelChoices, pickDataset, pickModelFolder,
  recommendationsFor, workspaceDatasets, writeSpecFile, type CheckedDataset,
} from './data';
import { formatPath, parseSpec } from '../../../core/jobs/specFile';
import type { JobSpec, JobSpecInput } from '../../../shared/jobSpec';
import { TrainingMethod } from '../../../shared/job';
import {
  StartJobWebviewMessage, startJobStringKeys,
  type ActionReply, type BackendChoice, type DatasetRole, type FormSpec, type Issue, type Recommendations, type StartJobHostMessage,
} from '../../../shared/protocol/startJob';
import { PanelSlot, WebviewPanelHost } from '../../../platform/webview/panelBase';
import { backendChoices, backendIssues } from './backends';
import { webviewOptions } from '../../../platform/webview/webviewHtml';

/** A spec to open the form with: a whole one (Duplicate with changes), or only some fields. */
export type InitialSpec = Partial<JobSpecInput>;

/**
 * The Start Job form: name, description, method, base model, datasets (checked by the linter as they are chosen;
 * errors block Start), hyperparameters pre-filled from the dataset's statistics with the reason for each, and the
 * backend. Start hands the validated spec to ctx.runner; Save writes it as `<name>.ftjob.json`.
 */
export class StartJobPanel extends WebviewPanelHost<StartJobWebviewMessage, StartJobHostMessage> {
  static readonly viewType = 'finetune.startJob';
  private static readonly slot = new PanelSlot<StartJobPanel>();

  /** What the form holds now (as last sent by the page, or as it was opened with). */
  spec: FormSpec;
  readonly datasets: Partial<Record<DatasetRole, CheckedDataset>> = {};
  recommendations: Recommendations | undefined;
  issues: Issue[] = [];
  private readonly checking = new Map<DatasetRole, string>();
  /** The file each of `datasets` was checked for: the page may have moved on while a check ran. */
  private readonly checkedFiles = new Map<DatasetRole, string>();
  private readonly pending = new Set<Promise<unknown>>();
  /** The backends the page was last sent (load, addBackend): what the form's backend is checked against as it changes. */
  private backends: BackendChoice[] | undefined;

  /**
   * Opens the form (or brings the open one back, re-filled when `initial` is given) for `folder` (default: the first
   * workspace folder), pre-filled from `initial`: the fields it has keep their values, the rest get defaults and
   * the recommendations. Undefined when no folder is open.
   */
  static async show(ctx: JobsCtx, folder?: vscode.WorkspaceFolder, initial?: InitialSpec): Promise<StartJobPanel | undefined> {
    const target = folder ?? vscode.workspace.workspaceFolders?.[0];
    if (!target) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder first: a job\'s files live in its workspace folder.'));
      return undefined;
    }
    const spec = await initialSpec(ctx, target, initial);
    return StartJobPanel.slot.show(
      'form',
      (panel) => {
        panel.panel.reveal(vscode.ViewColumn.Active);
        if (initial) void panel.load(spec);
      },
      () => new StartJobPanel(
        vscode.window.createWebviewPanel(StartJobPanel.viewType, vscode.l10n.t('Start Job'), vscode.ViewColumn.Active, {
          ...webviewOptions(ctx.extensionUri), retainContextWhenHidden: true,
        }),
        ctx, target, spec,
      ),
    );
  }

  private constructor(panel: vscode.WebviewPanel, private readonly ctx: JobsCtx, readonly folder: vscode.WorkspaceFolder, spec: FormSpec) {
    super(panel, ctx.extensionUri, { viewType: StartJobPanel.viewType, bundle: 'startJob', title: panel.title, incoming: StartJobWebviewMessage }, (s) => ctx.log.warn(s));
    this.spec = spec;
  }

  /** Resolves once the dataset checks and token counts under way have finished. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  protected async handle(message: StartJobWebviewMessage): Promise<unknown> {
    switch (message.type) {
      case 'ready':
        this.peer.notify({ type: 'strings', strings: startJobStrings() });
        await this.load(this.spec);
        this.pageReady();
        return null;
      case 'changed':
        this.update(message.spec);
        return null;
      case 'pickDataset':
        return { path: await pickDataset(this.folder) };
      case 'copyDataset':
        return { path: await copyDatasetIn(this.folder) };
      case 'pickModelFolder':
        return { path: await pickModelFolder(this.folder) };
      case 'addBackend':
        return this.addBackend();
      case 'openLine':
        return this.openLine(message.file, message.line);
      case 'start':
        return this.start(message.spec);
      case 'save':
        return this.save(message.spec);
    }
  }

  /** Sends the page a whole spec with the choices, and checks its datasets. */
  private async load(spec: FormSpec): Promise<void> {
    const [models, datasets] = await Promise.all([modelChoices(this.ctx, this.folder), workspaceDatasets(this.folder)]);
    this.checking.clear();
    this.backends = backendChoices(this.ctx);
    this.peer.notify({ type: 'init', spec, models, datasets, backends: this.backends });
    this.update(spec);
  }

  /** Validates what the form holds, checks datasets that changed and refreshes the recommendations. */
  update(spec: FormSpec): void {
    this.spec = spec;
    this.backends ??= backendChoices(this.ctx);
    this.issues = [...specIssues(spec).issues, ...backendIssues(spec, this.backends)];
    this.peer.notify({ type: 'issues', issues: this.issues });
    const dataset = (spec['dataset'] ?? {}) as { train?: unknown; eval?: unknown };
    for (const role of ['train', 'eval'] as const) {
      const file = typeof dataset[role] === 'string' ? dataset[role].trim() : '';
      if (this.checking.get(role) === file) continue;
      this.checking.set(role, file);
      if (!file) {
        delete this.datasets[role];
        this.checkedFiles.delete(role);
        this.peer.notify({ type: 'dataset', role, check: null });
        continue;
      }
      this.track(this.check(role, file));
    }
    this.recommend();
  }

  private async check(role: DatasetRole, file: string): Promise<void> {
    const still = () => this.checking.get(role) === file;
    const checked = await checkDataset(this.ctx, this.folder, file, role === 'train', (check) => {
      if (still()) this.peer.notify({ type: 'dataset', role, check });
    });
    if (!still()) return;
    this.datasets[role] = checked;
    this.checkedFiles.set(role, file);
    this.peer.notify({ type: 'dataset', role, check: checked.check });
    if (role === 'train') this.recommend();
  }

  private recommend(): void {
    const dataset = (this.spec['dataset'] ?? {}) as { eval?: unknown; evalShare?: unknown };
    const method = (typeof this.spec['method'] === 'string' ? this.spec['method'] : 'lora') as TrainingMethod;
    const evalShare = typeof dataset.evalShare === 'number' ? dataset.evalShare : 0.1;
    const known = TrainingMethod.safeParse(method).success ? method : 'lora';
    const recommendations = recommendationsFor(known, this.datasets.train, typeof dataset.eval === 'string' && dataset.eval.trim() !== '', evalShare);
    if (JSON.stringify(recommendations) === JSON.stringify(this.recommendations)) return;
    this.recommendations = recommendations;
    this.peer.notify({ type: 'recommendations', recommendations });
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.catch((err) => this.ctx.log.warn(`start job form: ${String(err)}`)).finally(() => this.pending.delete(work));
  }

  private async openLine(file: string, line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(datasetUri(this.folder, file));
    const position = new vscode.Position(Math.min(line - 1, doc.lineCount - 1), 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position) });
  }

  /** Validates, checks that the training set has no errors, and starts the job. */
  async start(form: FormSpec): Promise<ActionReply> {
    this.update(form);
    await this.settled();
    const parsed = specIssues(form);
    if (!parsed.spec) return { ok: false, issues: parsed.issues };
    // The settings as they are now (the job starts on them), not the list the page was sent.
    const unknownBackend = backendIssues(form, this.ctx.remote.entries().backends);
    if (unknownBackend.length) return { ok: false, issues: unknownBackend };
    const blocking = this.blockingDatasetIssues(await this.checksFor(form));
    if (blocking.length) {
      void vscode.window.showErrorMessage(blocking.map((i) => i.message).join(' '));
      return { ok: false, issues: blocking };
    }
    const record = await this.ctx.runner.start(this.folder, parsed.spec);
    if (record) {
      this.dispose();
      void showStartedJob(this.folder, record);
    }
    return { ok: record !== undefined, issues: [] };
  }

  /** "Add SSH backend…" from the form: the command asks for the host and name (and tests it); the form then offers it. */
  private async addBackend(): Promise<{ name: string | null }> {
    const before = new Set(this.ctx.remote.entries().backends.map((b) => b.name));
    await vscode.commands.executeCommand('finetune.addSshBackend');
    const added = this.ctx.remote.entries().backends.find((b) => !before.has(b.name));
    this.backends = backendChoices(this.ctx);
    this.peer.notify({ type: 'backends', backends: this.backends, ...(added ? { select: added.name } : {}) });
    return { name: added?.name ?? null };
  }

  /** Writes `<name>.ftjob.json` from the form and opens it. */
  async save(form: FormSpec): Promise<ActionReply> {
    this.update(form);
    const parsed = specIssues(form);
    if (!parsed.spec) return { ok: false, issues: parsed.issues };
    const file = await writeSpecFile(this.folder, form as JobSpecInput);
    if (file) await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.Beside });
    return { ok: file !== undefined, issues: [] };
  }

  /**
   * The checks of the datasets `form` names. The page posts its own state as it changes, which can supersede a check
   * the form started; whatever was not checked for these very files is checked now, so Start never goes by another
   * file's result.
   */
  private async checksFor(form: FormSpec): Promise<Partial<Record<DatasetRole, CheckedDataset>>> {
    const dataset = (form['dataset'] ?? {}) as { train?: unknown; eval?: unknown };
    const checks: Partial<Record<DatasetRole, CheckedDataset>> = {};
    for (const role of ['train', 'eval'] as const) {
      const file = typeof dataset[role] === 'string' ? dataset[role].trim() : '';
      if (!file) continue;
      const known = this.datasets[role];
      checks[role] = known && this.checkedFiles.get(role) === file
        ? known
        : await checkDataset(this.ctx, this.folder, file, role === 'train', () => undefined);
    }
    return checks;
  }

  /** A training set with errors, or a dataset that is missing, blocks Start. */
  private blockingDatasetIssues(checks: Partial<Record<DatasetRole, CheckedDataset>>): Issue[] {
    const issues: Issue[] = [];
    for (const role of ['train', 'eval'] as const) {
      const check = checks[role]?.check;
      if (!check) continue;
      const at = `dataset.${role}`;
      if (check.state !== 'done') issues.push({ path: at, message: check.note ?? vscode.l10n.t('{0} could not be checked.', check.file) });
      else if (check.errorCount > 0) {
        issues.push({ path: at, message: vscode.l10n.t('{0} has {1} errors: fix them before starting (the form lists them with their lines).', check.file, check.errorCount) });
      }
    }
    return issues;
  }
}

function specIssues(form: FormSpec): { spec?: JobSpec; issues: Issue[] } {
  const parsed = parseSpec(form, coreLocale());
  if (parsed.ok) return { spec: parsed.spec, issues: [] };
  return { issues: parsed.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

/** The spec a new form starts from: `initial`'s fields over a name, the first configured model and a training set. */
async function initialSpec(ctx: JobsCtx, folder: vscode.WorkspaceFolder, initial: InitialSpec = {}): Promise<FormSpec> {
  const datasets = await workspaceDatasets(folder);
  const train = initial.dataset?.train ?? initialTrainFile(folder, datasets);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return {
    ...initial,
    name: initial.name ?? `job-${stamp}`,
    method: initial.method ?? 'lora',
    baseModel: initial.baseModel ?? ctx.config.baseModels[0] ?? '',
    dataset: { ...initial.dataset, train: train ?? '' },
    hyperparameters: { ...initial.hyperparameters },
    backend: initial.backend ?? { kind: 'local', devices: 'auto' },
  };
}

function startJobStrings(): Record<string, string> {
  const strings: Record<(typeof startJobStringKeys)[number], string> = {
    title: vscode.l10n.t('Start Job'),
    intro: vscode.l10n.t('Describe the job, pick the base model and the data; the hyperparameters are filled in from the dataset, with the reason under each.'),
    name: vscode.l10n.t('Name'),
    description: vscode.l10n.t('Description'),
    method: vscode.l10n.t('Method'),
    lora: vscode.l10n.t('LoRA (recommended)'),
    full: vscode.l10n.t('Full fine-tuning'),
    p_tuning: vscode.l10n.t('P-Tuning'),
    prefix_tuning: vscode.l10n.t('Prefix-Tuning'),
    baseModel: vscode.l10n.t('Base model'),
    baseModelHint: vscode.l10n.t('A local model folder (relative to the workspace) or a Hugging Face hub id such as Qwen/Qwen2.5-7B-Instruct'),
    browseFolder: vscode.l10n.t('Local Folder…'),
    configuredModels: vscode.l10n.t('Configured models'),
    trainDataset: vscode.l10n.t('Training dataset'),
    evalDataset: vscode.l10n.t('Evaluation dataset'),
    evalNone: vscode.l10n.t('(none: hold out a share of the training set)'),
    evalShare: vscode.l10n.t('Held-out share'),
    pick: vscode.l10n.t('Pick…'),
    copyIn: vscode.l10n.t('Copy into Workspace…'),
    hyperparameters: vscode.l10n.t('Hyperparameters'),
    epochs: vscode.l10n.t('Epochs'),
    learningRate: vscode.l10n.t('Learning rate'),
    batchSize: vscode.l10n.t('Batch size per device'),
    gradientAccumulation: vscode.l10n.t('Gradient accumulation'),
    maxLength: vscode.l10n.t('Maximum length (tokens)'),
    overLength: vscode.l10n.t('Longer samples'),
    drop: vscode.l10n.t('Drop'),
    truncate: vscode.l10n.t('Truncate'),
    loraRank: vscode.l10n.t('LoRA rank'),
    loraAlpha: vscode.l10n.t('LoRA alpha'),
    loraDropout: vscode.l10n.t('LoRA dropout'),
    virtualTokens: vscode.l10n.t('Virtual tokens'),
    backend: vscode.l10n.t('Backend'),
    devices: vscode.l10n.t('Devices'),
    devicesAuto: vscode.l10n.t('Auto (every GPU, else CPU)'),
    devicesCpu: vscode.l10n.t('CPU'),
    devicesGpus: vscode.l10n.t('These GPUs'),
    gpuIndices: vscode.l10n.t('GPU indices, for example 0,1'),
    backendWhere: vscode.l10n.t('Runs on'),
    backendLocal: vscode.l10n.t('This machine'),
    backendAdd: vscode.l10n.t('Add SSH backend…'),
    backendSsh: vscode.l10n.t('{0} (SSH · {1})'),
    backendSlurm: vscode.l10n.t('{0} (Slurm · {1})'),
    slurmResources: vscode.l10n.t('Slurm resources (the backend\'s defaults)'),
    slurmResourcesNote: vscode.l10n.t('GPUs follow the devices above; change the rest in the sbatch script shown before submission, or in finetune.backends for every job.'),
    probeNone: vscode.l10n.t('Not probed yet: the probe runs before the first job (or run "Fine-tune: Probe Backend").'),
    start: vscode.l10n.t('Start'),
    save: vscode.l10n.t('Save as Spec File'),
    checking: vscode.l10n.t('Checking the dataset…'),
    samples: vscode.l10n.t('samples'),
    errors: vscode.l10n.t('errors'),
    warnings: vscode.l10n.t('warnings'),
    blocked: vscode.l10n.t('Fix the errors in the dataset to start: click one to open its line.'),
    missing: vscode.l10n.t('File not found'),
    failed: vscode.l10n.t('Check failed'),
    tokens: vscode.l10n.t('Tokens (p95 / p99 / max)'),
    noDataset: vscode.l10n.t('Pick a training dataset.'),
    more: vscode.l10n.t('more'),
    // Whole phrases with {0}… (filled in the webview), so each language has its own word order and punctuation.
    summary: vscode.l10n.t('{0} samples · {1} errors · {2} warnings'),
    tokensLine: vscode.l10n.t('Tokens (p95 / p99 / max): {0} / {1} / {2} ({3})'),
    stateNote: vscode.l10n.t('{0}: {1}'),
  };
  return strings;
}
