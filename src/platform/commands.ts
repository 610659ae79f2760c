// The command table: each feature lists its commands (`finetune.*` → handler) and registers them here with the
// context its handlers take. Every command is listed in package.json's `contributes.commands` (an integration
// test checks both ways).
import * as vscode from 'vscode';
import type { Platform } from './context';

export type CommandTable<C> = Record<string, (ctx: C, ...args: never[]) => unknown>;

export function registerCommands<C>(platform: Platform, ctx: C, table: CommandTable<C>): void {
  for (const [id, run] of Object.entries(table)) {
    platform.register(vscode.commands.registerCommand(id, (...args: never[]) => run(ctx, ...args)));
  }
}
