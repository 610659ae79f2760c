import * as vscode from 'vscode';
import { NoTokenizerError, type TokenService } from './service';
import { sampleErrorText } from '../../core/tokens/messages';
import { coreLocale } from '../../platform/locale';
import { isDatasetDocument } from '../../platform/documents';

/** Hovering a dataset line shows its token count with the chosen model's tokenizer and chat template. */
export class TokenHover implements vscode.HoverProvider {
  constructor(private readonly tokens: TokenService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    // Model predictions, training logs and other JSON Lines that are not datasets have no tokens to count.
    if (!isDatasetDocument(doc)) return undefined;
    const range = doc.lineAt(position.line).range;
    try {
      const result = await this.tokens.countLine(doc, position.line);
      if (!result) return undefined;
      const md = new vscode.MarkdownString();
      if ('error' in result) {
        md.appendText(vscode.l10n.t('Tokens: not counted ({0})', sampleErrorText(coreLocale(), result)));
      } else {
        md.appendMarkdown(`**${vscode.l10n.t('Tokens: {0}', result.tokens)}**`);
        md.appendText(` · ${vscode.l10n.t('trained: {0}', result.trainTokens)} · ${await this.tokens.modelName()}`);
        if (result.approximate) md.appendText(` · ${vscode.l10n.t('approximate')}`);
      }
      return new vscode.Hover(md, range);
    } catch (err) {
      if (!(err instanceof NoTokenizerError)) throw err;
      const md = new vscode.MarkdownString(undefined, true);
      md.isTrusted = { enabledCommands: ['finetune.addBaseModel'] };
      md.appendText(err.message + ' ');
      md.appendMarkdown(`[${vscode.l10n.t('Add Base Model')}](command:finetune.addBaseModel)`);
      return new vscode.Hover(md, range);
    }
  }
}
