// What every model this feature serves offers, as buttons after it starts and in its quick pick: Try in Chat,
// Evaluate Endpoint, Copy URL, Copy Token (the local ONNX server and the deployments on backends alike).
import * as vscode from 'vscode';
import { rememberEndpoint } from '../../platform/endpointPick';
import type { DeployCtx } from './context';

/** An OpenAI-compatible endpoint this feature serves (the local server, or a deployment through its tunnel). */
export interface ServedEndpoint {
  url: string;
  model: string;
  label: string;
  token(): Promise<string | undefined>;
}

/** The buttons every served endpoint offers. */
export function endpointActionLabels(): string[] {
  return [vscode.l10n.t('Try in Chat'), vscode.l10n.t('Evaluate Endpoint'), vscode.l10n.t('Copy URL'), vscode.l10n.t('Copy Token')];
}

/** Does what the button `choice` (one of endpointActionLabels) says. The token is kept under the URL already, where the chat and Evaluate Endpoint look. */
export async function endpointAction(ctx: DeployCtx, endpoint: ServedEndpoint, choice: string | undefined): Promise<void> {
  const [tryIt, evaluate, copyUrl, copyToken] = endpointActionLabels();
  if (choice === copyUrl) await vscode.env.clipboard.writeText(endpoint.url);
  if (choice === copyToken) {
    const token = await endpoint.token();
    if (!token) return void vscode.window.showErrorMessage(vscode.l10n.t('The token of {0} is no longer kept.', endpoint.label));
    await vscode.env.clipboard.writeText(token);
    void vscode.window.showInformationMessage(vscode.l10n.t('The token is on the clipboard.'));
  }
  if (choice === tryIt) await ctx.chat.tryModels([{ kind: 'endpoint', baseUrl: endpoint.url, model: endpoint.model, label: endpoint.label }]);
  if (choice === evaluate) {
    // Evaluate Endpoint asks with the last server and model as defaults: these.
    await rememberEndpoint(ctx.extension, { baseUrl: endpoint.url, model: endpoint.model });
    await vscode.commands.executeCommand('finetune.evaluateEndpoint');
  }
}
