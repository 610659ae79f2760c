// Fine-tune: Try Model… — opens the trial chat (or brings it back) and adds a model to it: one named by the caller
// (a Jobs view item, a Models view item, a test's ModelSource), or one the user picks: an OpenAI-compatible endpoint
// and one of its models, a local model folder, or a finished job's model.
import * as vscode from 'vscode';
import type { CommandTable } from '../../platform/commands';
import { requireTrust } from '../../platform/workspaceTrust';
import { askEndpointModel, askEndpointServer, rememberEndpoint } from '../../platform/endpointPick';
import { ChatPanel } from './chatPanel';
import type { ModelSource } from './engines';
import type { ChatCtx } from './context';

export const chatCommands = {
  'finetune.tryModel': tryModel,
} satisfies CommandTable<ChatCtx>;

/** What the command may be given: ModelSources, a Jobs view node (`dir`), or a Models view item (`kind: folder | hub`). */
type TryArg = ModelSource | ModelSource[] | { dir: string } | { kind: 'folder'; path: string; name?: string } | { kind: 'hub'; ref: string };

async function tryModel(ctx: ChatCtx, arg?: TryArg): Promise<ChatPanel | undefined> {
  // Anything tried runs a model or connects to a server.
  if (!requireTrust(vscode.l10n.t('try a model'))) return undefined;
  const sources = arg === undefined || arg === null ? await askSource(ctx) : sourcesOf(arg);
  if (!sources) return undefined;
  const panel = ChatPanel.show(ctx);
  for (const source of sources) await panel.add(source);
  return panel;
}

function sourcesOf(arg: TryArg): ModelSource[] | undefined {
  if (Array.isArray(arg)) return arg;
  if ('kind' in arg) {
    if (arg.kind === 'hub') {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is a Hugging Face hub id: try it through a server that serves it, or add its downloaded folder as a base model.', arg.ref));
      return undefined;
    }
    if (arg.kind === 'folder') return [{ kind: 'local', folder: arg.path, ...(arg.name ? { label: arg.name } : {}) }];
    return [arg];
  }
  return typeof arg.dir === 'string' ? [{ kind: 'job', dir: arg.dir }] : undefined;
}

async function askSource(ctx: ChatCtx): Promise<ModelSource[] | undefined> {
  const title = vscode.l10n.t('Try Model');
  const endpoint = { label: `$(cloud) ${vscode.l10n.t('OpenAI-compatible endpoint…')}`, detail: vscode.l10n.t('vLLM, Ollama, llama.cpp server, SGLang or a cloud API') };
  const folder = { label: `$(folder) ${vscode.l10n.t('Local model folder…')}`, detail: vscode.l10n.t('A folder with an ONNX model, tokenizer.json and tokenizer_config.json') };
  const jobs = (await ctx.jobs.trainedModels()).map((m) => ({ label: `$(beaker) ${m.name}`, detail: vscode.workspace.asRelativePath(m.folder), source: { kind: 'job', dir: m.dir } as ModelSource }));
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { source?: ModelSource }>([
    endpoint, folder,
    ...(jobs.length ? [{ label: vscode.l10n.t('Finished jobs'), kind: vscode.QuickPickItemKind.Separator }, ...jobs] : []),
  ], { title, placeHolder: vscode.l10n.t('The model to chat with') });
  if (!picked) return undefined;
  if (picked.source) return [picked.source];
  if (picked === folder) {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Try This Model') });
    return chosen?.[0] ? [{ kind: 'local', folder: chosen[0].fsPath }] : undefined;
  }
  const baseUrl = await askEndpointServer(ctx.extension, title);
  if (!baseUrl) return undefined;
  const model = await askEndpointModel(ctx.extension, title, baseUrl);
  if (!model) return undefined;
  await rememberEndpoint(ctx.extension, { baseUrl, model });
  return [{ kind: 'endpoint', baseUrl, model }];
}
