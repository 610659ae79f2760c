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
import { folderOfItem, pickLocalModel, type JobNode, type ModelsViewFolder } from './localModelPick';

export const chatCommands = {
  'finetune.tryModel': tryModel,
} satisfies CommandTable<ChatCtx>;

/** What the command may be given: ModelSources, a Jobs view node (`dir`), or a Models view item (`kind: folder | hub`). */
type TryArg = ModelSource | ModelSource[] | JobNode | ModelsViewFolder | { kind: 'hub'; ref: string };

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
    if (arg.kind === 'folder') return [{ kind: 'local', ...folderOfItem(arg) }];
    return [arg];
  }
  return typeof arg.dir === 'string' ? [{ kind: 'job', dir: arg.dir }] : undefined;
}

async function askSource(ctx: ChatCtx): Promise<ModelSource[] | undefined> {
  const title = vscode.l10n.t('Try Model');
  const endpoint = { label: `$(cloud) ${vscode.l10n.t('OpenAI-compatible endpoint…')}`, detail: vscode.l10n.t('vLLM, Ollama, llama.cpp server, SGLang or a cloud API') };
  const picked = await pickLocalModel(ctx.jobs, { title, placeHolder: vscode.l10n.t('The model to chat with'), openLabel: vscode.l10n.t('Try This Model') }, [endpoint]);
  if (!picked) return undefined;
  if ('folder' in picked) return [picked.dir ? { kind: 'job', dir: picked.dir } : { kind: 'local', folder: picked.folder }];
  const baseUrl = await askEndpointServer(ctx.extension, title);
  if (!baseUrl) return undefined;
  const model = await askEndpointModel(ctx.extension, title, baseUrl);
  if (!model) return undefined;
  await rememberEndpoint(ctx.extension, { baseUrl, model });
  return [{ kind: 'endpoint', baseUrl, model }];
}
