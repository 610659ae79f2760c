import * as vscode from 'vscode';
import { Disposable } from '../../platform/dispose';
import type { Config } from '../../platform/config';
import { inspectBaseModel, type BaseModelInfo } from '../../core/models/baseModel';

/** The Models view: the base models listed in `finetune.models.baseModels` (fine-tuned and exported ones join later). */
export class ModelsTree extends Disposable implements vscode.TreeDataProvider<BaseModelInfo> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly config: Config) {
    super();
    this.register(config.onDidChange(() => this.changed.fire()));
  }

  async getChildren(element?: BaseModelInfo): Promise<BaseModelInfo[]> {
    if (element) return [];
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return Promise.all(this.config.baseModels.map((ref) => inspectBaseModel(ref, root)));
  }

  getTreeItem(model: BaseModelInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(model.name);
    item.contextValue = 'baseModel';
    item.id = `base:${model.ref}`;
    if (model.kind === 'hub') {
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.description = vscode.l10n.t('hub model');
      item.tooltip = model.ref;
      return item;
    }
    const problems: string[] = [];
    if (!model.exists) problems.push(vscode.l10n.t('folder not found'));
    else {
      if (!model.hasConfig) problems.push(vscode.l10n.t('no config.json'));
      else if (!model.hasWeights) problems.push(vscode.l10n.t('no weights'));
      if (!model.hasTokenizer) problems.push(vscode.l10n.t('no tokenizer.json'));
      if (!model.hasChatTemplate) problems.push(vscode.l10n.t('no chat template'));
    }
    item.iconPath = problems.length
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon('folder-library');
    item.description = problems.length ? problems.join(', ') : (model.architecture ?? vscode.l10n.t('local folder'));
    item.tooltip = model.path;
    return item;
  }
}
