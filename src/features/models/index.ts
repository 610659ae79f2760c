// Models: the Models view (base models, fine-tuned models, exports and deployments, each with its lineage), adding
// and removing base models, exporting a job's model (recorded in .finetune/models/) and the items' actions.
// Uses the jobs feature to run the export; eval's and chat's commands are run by id.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Platform } from '../../platform/context';
import { registerCommands, type CommandTable } from '../../platform/commands';
import { isHubId, type BaseModelInfo } from '../../core/models/baseModel';
import type { EvalApi } from '../eval';
import type { JobsApi } from '../jobs';
import { ModelsTree } from './modelsTree';
import { exportJob } from './exportJob';
import { createDemoModel } from './demoModel';
import { evaluateCheckpoint, openLineageLink, removeModelItem, revealModel, showLineage, tryModelItem } from './itemCommands';
import type { ModelsCtx } from './context';

export type { ModelsTree } from './modelsTree';
/** The Models view's elements, as its menus' commands receive them. */
export type { ModelsNode } from './nodes';

export interface ModelsApi {
  readonly tree: ModelsTree;
}

const modelsCommands = {
  'finetune.addBaseModel': addBaseModel,
  'finetune.removeBaseModel': removeBaseModel,
  'finetune.revealModelFolder': revealModel,
  'finetune.exportJob': exportJob,
  'finetune.openLineageLink': openLineageLink,
  'finetune.showLineage': showLineage,
  'finetune.tryModelItem': tryModelItem,
  'finetune.evaluateCheckpoint': evaluateCheckpoint,
  'finetune.removeModelRecord': removeModelItem,
  'finetune.refreshModels': (ctx: ModelsCtx) => ctx.tree.refresh(),
  'finetune.createDemoModel': createDemoModel,
} satisfies CommandTable<ModelsCtx>;

/** The Models view's provider, registered before anything else in activation (see registerJobsView). */
export function registerModelsView(platform: Platform): ModelsTree {
  const tree = platform.register(new ModelsTree(platform.config, platform.finetuneChanges));
  platform.register(vscode.window.registerTreeDataProvider('finetune.models', tree));
  return tree;
}

export function registerModels(platform: Platform, tree: ModelsTree, jobs: JobsApi, evaluation: EvalApi): ModelsApi {
  registerCommands(platform, { ...platform, tree, jobs, eval: evaluation } satisfies ModelsCtx, modelsCommands);
  return { tree };
}

/** Removes a base model from the list (asked first unless `options.confirmed`); its files are never touched. */
async function removeBaseModel(ctx: ModelsCtx, model?: BaseModelInfo, options?: { confirmed?: boolean }): Promise<boolean> {
  if ((model?.kind !== 'folder' && model?.kind !== 'hub') || !ctx.config.baseModels.includes(model.ref)) return false;
  if (!options?.confirmed) {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}" from the base models?', model.ref),
      { modal: true, detail: vscode.l10n.t('Only its entry in the finetune.models.baseModels setting goes; no file of the model is deleted.') },
      remove,
    );
    if (answer !== remove) return false;
  }
  await ctx.config.setBaseModels(ctx.config.baseModels.filter((m) => m !== model.ref));
  return true;
}

/** Adds a base model: a local folder (picked) or a hub id (typed). `ref` skips the questions. */
async function addBaseModel(ctx: ModelsCtx, ref?: string): Promise<string | undefined> {
  if (typeof ref !== 'string') ref = await askForBaseModel();
  if (!ref) return undefined;
  const models = ctx.config.baseModels;
  if (!models.includes(ref)) await ctx.config.setBaseModels([...models, ref]);
  return ref;
}

async function askForBaseModel(): Promise<string | undefined> {
  const folder = { label: vscode.l10n.t('Local folder…'), detail: vscode.l10n.t('A folder with config.json, tokenizer.json and the weights') };
  const hub = { label: vscode.l10n.t('Hugging Face hub id…'), detail: vscode.l10n.t('For example Qwen/Qwen2.5-7B-Instruct') };
  const choice = await vscode.window.showQuickPick([folder, hub], { title: vscode.l10n.t('Add Base Model') });
  if (choice === folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Add Base Model') });
    if (!picked?.[0]) return undefined;
    const root = vscode.workspace.getWorkspaceFolder(picked[0]);
    return root ? path.relative(root.uri.fsPath, picked[0].fsPath) || '.' : picked[0].fsPath;
  }
  if (choice === hub) {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Add Base Model'),
      prompt: vscode.l10n.t('Hugging Face model id (organisation/name)'),
      validateInput: (v) => (isHubId(v.trim()) ? undefined : vscode.l10n.t('Expected organisation/name, for example Qwen/Qwen2.5-7B-Instruct')),
    }).then((v) => v?.trim());
  }
  return undefined;
}
