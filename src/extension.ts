import * as vscode from 'vscode';
import { Ctx } from './platform/context';
import { registerCommands } from './platform/commands';
import { DatasetCodeActions } from './features/dataset/codeActions';
import { TokenHover } from './features/tokens/hover';
import { notifyJobEnded } from './features/jobs/notifications';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface FinetuneStudioApi {
  /** Milliseconds from the start of loading the bundle to the end of activate(). */
  readonly activationMs: number;
  /** The part of it spent loading the bundle, before activate() ran. */
  readonly loadMs: number;
  readonly ctx: Ctx;
}

export function activate(context: vscode.ExtensionContext): FinetuneStudioApi {
  const activateStart = performance.now();
  const started = (globalThis as { __finetuneLoadStart?: number }).__finetuneLoadStart ?? activateStart;
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerCommands(ctx);
  ctx.register(ctx.jobRunner.onDidEnd((ended) => void notifyJobEnded(ended)));
  void ctx.jobRunner.reattachAll().catch((err) => ctx.log.error(`re-attaching to running jobs: ${err}`));
  ctx.register(vscode.languages.registerCodeActionsProvider(
    { language: 'jsonl' }, new DatasetCodeActions(ctx.diagnostics), DatasetCodeActions.metadata,
  ));
  ctx.register(vscode.languages.registerHoverProvider({ language: 'jsonl' }, new TokenHover(ctx.tokens)));
  const activationMs = performance.now() - started;
  const loadMs = activateStart - started;
  ctx.log.info(`activated in ${activationMs.toFixed(1)} ms (loading the bundle: ${loadMs.toFixed(1)} ms)`);
  return { activationMs, loadMs, ctx };
}

export function deactivate(): void {
  // Everything is owned by Ctx, which VS Code disposes through context.subscriptions.
}
