// Dataset: checking as you type (diagnostics in a worker thread, quick fixes), the status bar, samples too long
// for the model (with the tokens feature), the overview, and conversion to OpenAI messages. JSON Lines that are
// not datasets (model predictions, training logs) are left unchecked, with a CodeLens to open them as what they are.
import * as vscode from 'vscode';
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import type { TokensApi } from '../tokens';
import { DatasetWorkerClient } from './workerClient';
import { DatasetDiagnostics } from './diagnostics';
import { DatasetStatusBar } from './statusBar';
import { TokenLengthDiagnostics } from './tokenLengths';
import { DatasetCodeActions } from './codeActions';
import { NotDatasetLens } from './notDatasetLens';
import { datasetCommands } from './commands';
import type { DatasetCtx } from './context';

export { DIAGNOSTIC_SOURCE, type DatasetDiagnostics, type LintedDocument } from './diagnostics';
export type { DatasetWorkerClient } from './workerClient';

export interface DatasetApi {
  readonly worker: DatasetWorkerClient;
  readonly diagnostics: DatasetDiagnostics;
  readonly statusBar: DatasetStatusBar;
  readonly tokenLengths: TokenLengthDiagnostics;
}

export function registerDataset(platform: Platform, tokens: TokensApi): DatasetApi {
  const worker = platform.register(new DatasetWorkerClient(platform.extensionPath, (line) => platform.log.warn(line)));
  const diagnostics = platform.register(new DatasetDiagnostics(worker, platform.config));
  const statusBar = platform.register(new DatasetStatusBar(diagnostics, tokens.service));
  const tokenLengths = platform.register(new TokenLengthDiagnostics(tokens.service, platform.config));
  platform.register(vscode.languages.registerCodeActionsProvider([{ language: 'jsonl' }, { language: 'json' }, { language: 'jsonc' }], new DatasetCodeActions(diagnostics), DatasetCodeActions.metadata));
  platform.register(vscode.languages.registerCodeLensProvider(NotDatasetLens.selector, new NotDatasetLens()));
  const ctx: DatasetCtx = { ...platform, worker, diagnostics, tokens };
  registerCommands(platform, ctx, datasetCommands);
  return { worker, diagnostics, statusBar, tokenLengths };
}
