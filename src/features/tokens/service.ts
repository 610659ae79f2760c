import * as vscode from 'vscode';
import * as path from 'node:path';
import { Disposable } from '../../platform/dispose';
import type { Config } from '../../platform/config';
import { coreLocale } from '../../platform/locale';
import { inspectBaseModel } from '../../core/models/baseModel';
import { computeStats, type TokenStats } from '../../core/tokens/stats';
import type { TokenPool } from '../../core/tokens/pool';
import { TokenizerFolderError } from '../../core/tokens/tokenizerFolder';
import type { TokenResult } from '../../shared/protocol/tokenWorker';

/** The token counts of one document version, with their statistics. */
export interface DocumentTokens {
  uri: vscode.Uri;
  version: number;
  model: string;
  results: TokenResult[];
  stats: TokenStats;
  /** Lines that could not be counted (not JSON, no countable fields...). */
  skipped: number;
}

/** Why counting cannot start: no tokenizer chosen, or the chosen folder lacks a piece. Said to the user as is. */
export class NoTokenizerError extends Error {}

/** An error of token counting in the user's language (a model folder's problem, e.g. a runaway chat template). */
export function tokenErrorText(err: unknown): string {
  if (err instanceof TokenizerFolderError) return err.localized(coreLocale());
  return err instanceof Error ? err.message : String(err);
}

/**
 * Token counts with the chosen base model's own tokenizer and chat template, in a pool of worker threads
 * started on first use (the tokenizer libraries never load at activation). The pool follows the settings.
 */
export class TokenService extends Disposable {
  private pool: { ref: string; started: Promise<TokenPool> } | undefined;
  private readonly cache = new Map<string, Promise<DocumentTokens>>();

  constructor(private readonly config: Config, private readonly extensionPath: string) {
    super();
    this.register(config.onDidChange(() => void this.reset()));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
    this.register({ dispose: () => void this.reset() });
  }

  /** The model folder to count with: the setting, else the first base model folder with a tokenizer.json. */
  async tokenizerFolder(): Promise<string> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (this.config.tokenizer) return path.resolve(root ?? '.', this.config.tokenizer);
    for (const ref of this.config.baseModels) {
      const info = await inspectBaseModel(ref, root);
      if (info.kind === 'folder' && info.hasTokenizer) return info.path;
    }
    throw new NoTokenizerError(vscode.l10n.t(
      'No tokenizer chosen: add a base model folder with tokenizer.json in the Models view, or set finetune.dataset.tokenizer. Hub ids need the model downloaded first.',
    ));
  }

  /** Counts every line of the document (cached per version). */
  async countDocument(doc: vscode.TextDocument): Promise<DocumentTokens> {
    const key = doc.uri.toString();
    const version = doc.version;
    const cached = this.cache.get(key);
    if (cached) {
      const done = await cached.catch(() => undefined);
      if (done?.version === version) return done;
    }
    const counting = this.count(doc, version);
    this.cache.set(key, counting);
    counting.catch(() => this.cache.delete(key));
    return counting;
  }

  /** Counts one line (for hovers); undefined for a blank line. */
  async countLine(doc: vscode.TextDocument, line: number): Promise<TokenResult | undefined> {
    const text = doc.lineAt(line).text;
    if (!text.trim()) return undefined;
    const [result] = await (await this.startPool()).count([{ line: line + 1, text }]);
    return result;
  }

  /** The folder name of the model counts are made with. */
  async modelName(): Promise<string> {
    return (await this.startPool()).model.name;
  }

  private async count(doc: vscode.TextDocument, version: number): Promise<DocumentTokens> {
    const pool = await this.startPool();
    const items = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      if (text.trim()) items.push({ line: i + 1, text });
    }
    const results = await pool.count(items);
    const counted = results.filter((r): r is Extract<TokenResult, { tokens: number }> => 'tokens' in r);
    const stats = computeStats(counted, { locale: coreLocale() });
    return { uri: doc.uri, version, model: pool.model.name, results, stats, skipped: results.length - counted.length };
  }

  private async startPool(): Promise<TokenPool> {
    const ref = await this.tokenizerFolder();
    if (this.pool?.ref !== ref) {
      await this.reset();
      const started = import('../../core/tokens/pool').then(({ TokenPool }) =>
        TokenPool.start({ tokenizer: ref, workerScript: path.join(this.extensionPath, 'dist', 'workers', 'tokens.js') }),
      );
      this.pool = { ref, started };
      started.catch(() => { if (this.pool?.started === started) this.pool = undefined; });
    }
    try {
      return await this.pool!.started;
    } catch (err) {
      const localized = (err as { localized?: (l: string) => string }).localized;
      throw new NoTokenizerError(localized ? localized.call(err, coreLocale()) : String(err));
    }
  }

  private async reset(): Promise<void> {
    const old = this.pool;
    this.pool = undefined;
    this.cache.clear();
    if (old) await old.started.then((p) => p.close(), () => undefined);
  }
}
