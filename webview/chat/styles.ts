// The trial chat's styles (adopted as a constructed stylesheet: the CSP admits no inline <style>). Columns follow
// --columns, the number of models answering side by side.
export const CHAT_CSS = `
.chat-header { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.chat-settings { margin: 4px 0 8px; max-width: 1200px; }
.chat-settings summary { cursor: pointer; color: var(--vscode-descriptionForeground); }
.chat-settings vscode-textarea { width: 100%; }
.param-row { display: flex; gap: 12px; flex-wrap: wrap; }
.param-row vscode-textfield { width: 140px; }
.chat-columns, .answers { display: grid; grid-template-columns: repeat(var(--columns, 1), minmax(0, 1fr)); gap: 12px; }
.chat-columns { position: sticky; top: 0; z-index: 1; background: var(--vscode-editor-background); padding: 4px 0;
  border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
.model-head { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.model-label { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.model-head .toolbar { flex-wrap: wrap; }
.template-warning { font-size: 0.9em; }
.turn { margin: 12px 0; }
.user-message { display: flex; gap: 8px; align-items: flex-start; padding: 6px 8px; border-radius: 4px;
  background: var(--vscode-textBlockQuote-background, var(--vscode-editorWidget-background)); }
.user-message .text { flex: 1 1 auto; white-space: pre-wrap; word-break: break-word; }
.user-message.editing { flex-direction: column; align-items: stretch; }
.user-message.editing vscode-textarea { width: 100%; }
.answers { margin-top: 6px; }
.answer { min-width: 0; padding: 6px 8px; border-left: 2px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
.answer .text { white-space: pre-wrap; word-break: break-word; display: inline; }
.answer .facts { font-size: 0.85em; margin-top: 4px; font-variant-numeric: tabular-nums; }
.answer.status-failed { border-left-color: var(--vscode-errorForeground); }
.answer .answer-error { margin-top: 4px; }
.prompt-view { margin: 8px 0; padding: 8px; border: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
.prompt-view .prompt-text { white-space: pre-wrap; word-break: break-word; max-height: 50vh; overflow: auto;
  font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background, transparent); padding: 6px; }
.chat-error { margin: 6px 0; }
.composer { position: sticky; bottom: 0; background: var(--vscode-editor-background); padding: 8px 0; display: flex; flex-direction: column; gap: 6px; }
.composer vscode-textarea { width: 100%; }
`;
