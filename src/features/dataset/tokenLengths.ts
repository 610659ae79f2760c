import * as vscode from 'vscode';
import { Disposable } from '../../platform/dispose';
import type { Config } from '../../platform/config';
import { DIAGNOSTIC_SOURCE, toRange } from './diagnostics';
import { isDatasetDocument } from '../../platform/documents';
import { coreLocale } from '../../platform/locale';
import type { TokenService } from '../tokens';
import { lengthDiagnostics } from '../../core/tokens/lengthCheck';

/**
 * FT060 in the editor: samples over `finetune.dataset.maxTokens`, counted with the base model's tokenizer
 * and chat template when a dataset is opened or saved (not as you type: counting a whole file is heavier
 * than checking its lines). Without a usable tokenizer it shows nothing; the hover and status bar say why.
 */
export class TokenLengthDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('finetune-tokens'));

  constructor(private readonly tokens: TokenService, private readonly config: Config) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => void this.check(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
    this.register(config.onDidChange(() => this.checkAll()));
    this.checkAll();
  }

  /** Counts and publishes; resolves with the number of samples over the maximum (undefined: not checked). */
  async check(doc: vscode.TextDocument): Promise<number | undefined> {
    if (!isDatasetDocument(doc)) {
      this.collection.delete(doc.uri);
      return undefined;
    }
    const max = this.config.maxTokens;
    if (max <= 0) {
      this.collection.delete(doc.uri);
      return undefined;
    }
    try {
      const counted = await this.tokens.countDocument(doc);
      if (doc.isClosed || counted.version !== doc.version) return undefined;
      const found = lengthDiagnostics(counted.results, max, counted.model, coreLocale(), (line) => doc.lineAt(line).text.length);
      this.collection.set(doc.uri, found.map((d) => {
        const diagnostic = new vscode.Diagnostic(toRange(d.span), d.message, vscode.DiagnosticSeverity.Warning);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = d.code;
        return diagnostic;
      }));
      return found.length;
    } catch {
      this.collection.delete(doc.uri);
      return undefined;
    }
  }

  private checkAll(): void {
    for (const doc of vscode.workspace.textDocuments) void this.check(doc);
  }
}
