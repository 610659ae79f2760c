import * as vscode from 'vscode';
import { PARITY_DEFAULTS, PARITY_RANGES, settingNumber } from '../core/eval/parity';

/** The one typed facade over `finetune.*` settings; writes go back to the scope that holds the value. */
export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('finetune');
  }

  get lintOnType(): boolean {
    return this.section.get<boolean>('dataset.lintOnType', true);
  }

  get maxDiagnosticsPerFile(): number {
    return this.section.get<number>('dataset.maxDiagnosticsPerFile', 500);
  }

  /** The model folder for token counts; empty when not set. */
  get tokenizer(): string {
    return this.section.get<string>('dataset.tokenizer', '').trim();
  }

  /** The eval dataset (relative to the workspace folder): samples of other datasets also found there are reported. */
  get evalFile(): string {
    return this.section.get<string>('dataset.evalFile', '').trim();
  }

  /** The test samples the export parity gate answers with the export and with the adapter model (1 to 1000). */
  get paritySamples(): number {
    return settingNumber(this.section.get<unknown>('eval.paritySamples'), PARITY_DEFAULTS.samples, PARITY_RANGES.samples.min, PARITY_RANGES.samples.max, true);
  }

  /** How many ROUGE-L points (×100) an export may score below its adapter model before it is flagged. */
  get parityThreshold(): number {
    return settingNumber(this.section.get<unknown>('eval.parityThreshold'), PARITY_DEFAULTS.threshold, PARITY_RANGES.threshold.min, PARITY_RANGES.threshold.max);
  }

  /** Samples over this many tokens get FT060; 0 turns the check off. */
  get maxTokens(): number {
    return this.section.get<number>('dataset.maxTokens', 4096);
  }

  /** The Python that runs the trainer locally; empty: the Python extension's interpreter, else python3. */
  get pythonPath(): string {
    return this.section.get<string>('python.path', '').trim();
  }

  /** The `finetune.backends` entries as written (src/features/jobs/remoteBackends.ts validates them). */
  get backends(): unknown[] {
    const value = this.section.get<unknown>('backends', []);
    return Array.isArray(value) ? value : [];
  }

  /** Adds an entry to `finetune.backends` in the user's settings (backends are per machine, not per project). */
  async addBackend(entry: Record<string, unknown>): Promise<void> {
    const current = this.section.inspect<unknown[]>('backends')?.globalValue ?? [];
    await this.section.update('backends', [...current, entry], vscode.ConfigurationTarget.Global);
  }

  get baseModels(): string[] {
    return this.section.get<string[]>('models.baseModels', []).filter((s) => typeof s === 'string' && s.trim());
  }

  async setBaseModels(models: string[]): Promise<void> {
    await this.section.update('models.baseModels', models, this.targetOf('models.baseModels'));
  }

  /** Fires when any `finetune.*` setting changes. */
  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('finetune')) listener();
    });
  }

  private targetOf(key: string): vscode.ConfigurationTarget {
    const inspected = this.section.inspect(key);
    if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
    if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
    if (inspected?.globalValue !== undefined) return vscode.ConfigurationTarget.Global;
    return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }
}
