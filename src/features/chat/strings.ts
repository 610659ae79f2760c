// The chat page's words, in the user's language (the page has no vscode.l10n of its own).
import * as vscode from 'vscode';
import type { chatStringKeys } from '../../shared/protocol/chat';

export function chatStrings(): Record<string, string> {
  const strings: Record<(typeof chatStringKeys)[number], string> = {
    title: vscode.l10n.t('Try Model'),
    system: vscode.l10n.t('System prompt'),
    systemPlaceholder: vscode.l10n.t('Optional: how the model should behave'),
    parameters: vscode.l10n.t('System prompt and parameters'),
    temperature: vscode.l10n.t('Temperature (0: greedy)'),
    topP: vscode.l10n.t('Top-p'),
    maxTokens: vscode.l10n.t('Max new tokens'),
    stop: vscode.l10n.t('Stop strings'),
    stopPlaceholder: vscode.l10n.t('Separated by |'),
    send: vscode.l10n.t('Send'),
    stopAnswer: vscode.l10n.t('Stop'),
    regenerate: vscode.l10n.t('Regenerate'),
    clear: vscode.l10n.t('New Conversation'),
    edit: vscode.l10n.t('Edit'),
    save: vscode.l10n.t('Save and Answer'),
    cancel: vscode.l10n.t('Cancel'),
    messagePlaceholder: vscode.l10n.t('Message (Ctrl+Enter to send)'),
    whatModelSees: vscode.l10n.t('What the Model Sees'),
    saveSample: vscode.l10n.t('Save as Training Sample…'),
    addModel: vscode.l10n.t('Add a Model…'),
    removeModel: vscode.l10n.t('Remove this model'),
    noModels: vscode.l10n.t('No model yet: add one to start (up to 4 answer side by side).'),
    ttft: vscode.l10n.t('first token {0} ms'),
    tps: vscode.l10n.t('{0} tokens/s'),
    tokens: vscode.l10n.t('{0} tokens'),
    statusCancelled: vscode.l10n.t('stopped'),
    statusLength: vscode.l10n.t('cut at the token limit'),
    statusFailed: vscode.l10n.t('Failed: {0}'),
    you: vscode.l10n.t('You'),
    close: vscode.l10n.t('Close'),
    keptIn: vscode.l10n.t('Kept in {0}'),
    noPromptView: vscode.l10n.t('This model runs on a server: the prompt it receives is rendered there.'),
    templateWarning: vscode.l10n.t('This model renders prompts with another chat template than its job trained with ({0}): its answers here may differ from the trained behaviour.'),
    'kind.endpoint': vscode.l10n.t('endpoint'),
    'kind.local': vscode.l10n.t('local model'),
    'kind.job': vscode.l10n.t('fine-tuned job'),
  };
  return strings;
}
