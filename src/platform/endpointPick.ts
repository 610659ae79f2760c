// Choosing an OpenAI-compatible server and one of its models: the base URL (remembered per workspace), its API key
// (kept in VS Code's SecretStorage, asked once per server that is not on this machine), and the model from the
// server's GET /models list or typed. Evaluate Endpoint and the trial chat ask the same way and share the keys.
import * as vscode from 'vscode';
import { listModels } from '../inference/openaiClient';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000/v1';

const secretKey = (baseUrl: string) => `finetune.endpointApiKey:${baseUrl.replace(/\/+$/, '')}`;
const isLocal = (baseUrl: string) => /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i.test(baseUrl);

export interface PickedEndpoint {
  baseUrl: string;
  model: string;
}

/** The API key stored for `baseUrl`, if any. */
export function endpointApiKey(extension: vscode.ExtensionContext, baseUrl: string): Thenable<string | undefined> {
  return extension.secrets.get(secretKey(baseUrl));
}

/** Keeps `apiKey` for `baseUrl` where the trial chat and Evaluate Endpoint look for it. */
export function storeEndpointApiKey(extension: vscode.ExtensionContext, baseUrl: string, apiKey: string): Thenable<void> {
  return extension.secrets.store(secretKey(baseUrl), apiKey);
}

/** Asks for the server's base URL and, where needed, its key; undefined when dismissed. */
export async function askEndpointServer(extension: vscode.ExtensionContext, title: string): Promise<string | undefined> {
  const baseUrl = (await vscode.window.showInputBox({
    title, value: extension.workspaceState.get<string>('finetune.endpoint.baseUrl') ?? DEFAULT_BASE_URL,
    prompt: vscode.l10n.t('Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, a cloud API), up to /v1'),
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : vscode.l10n.t('Expected an http:// or https:// URL')),
  }))?.trim();
  if (!baseUrl) return undefined;
  if (!isLocal(baseUrl) && !(await extension.secrets.get(secretKey(baseUrl)))) {
    const key = await vscode.window.showInputBox({
      title, password: true, ignoreFocusOut: true,
      prompt: vscode.l10n.t('API key for {0} (kept in VS Code\'s secret storage; leave empty if the server needs none)', baseUrl),
    });
    if (key === undefined) return undefined;
    if (key.trim()) await extension.secrets.store(secretKey(baseUrl), key.trim());
  }
  return baseUrl;
}

/** The model: picked from the server's GET /models list when it answers, else typed. */
export async function askEndpointModel(extension: vscode.ExtensionContext, title: string, baseUrl: string): Promise<string | undefined> {
  const last = extension.workspaceState.get<string>('finetune.endpoint.model') ?? '';
  const apiKey = await endpointApiKey(extension, baseUrl);
  const listed = await listModels({ baseUrl, ...(apiKey ? { apiKey } : {}) });
  if (listed && listed.length > 0) {
    const other = vscode.l10n.t('Another model…');
    const items = [...listed.map((id) => ({ label: id, picked: id === last })), { label: other }];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('The models {0} serves', baseUrl) });
    if (!picked) return undefined;
    if (picked.label !== other) return picked.label;
  }
  return (await vscode.window.showInputBox({
    title, value: last,
    prompt: vscode.l10n.t('Model name, as the server knows it'),
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name')),
  }))?.trim();
}

/** Remembers the server and model for the next time either command asks. */
export async function rememberEndpoint(extension: vscode.ExtensionContext, picked: PickedEndpoint): Promise<void> {
  await extension.workspaceState.update('finetune.endpoint.baseUrl', picked.baseUrl);
  await extension.workspaceState.update('finetune.endpoint.model', picked.model);
}
