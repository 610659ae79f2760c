// The eval views' own styles, adopted with webview/common/adoptStyles.ts.

export const DETAIL_CSS = `
body { padding-bottom: 0; }
#root { display: flex; flex-direction: column; height: 100vh; }
.eval-header { flex: none; }
.eval-header .toolbar { flex-wrap: wrap; margin: 6px 0; }
.eval-header vscode-textfield { width: 260px; }
.eval-header vscode-single-select { width: auto; min-width: 120px; max-width: 240px; }
.shared-prompt { margin: 4px 0 8px; }
.shared-prompt summary { cursor: pointer; color: var(--vscode-descriptionForeground); }
.shared-prompt .shared-text { white-space: pre-wrap; word-break: break-word; max-height: 12em; overflow: auto; margin-top: 4px; padding: 4px 8px;
  border-left: 2px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
.model-means { display: flex; gap: 20px; flex-wrap: wrap; margin: 4px 0 8px; }
.model-mean .name { font-weight: 600; }
.model-mean .tag { margin-left: 6px; color: var(--vscode-descriptionForeground); font-weight: normal; }
.model-mean .nums { font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground); }
#rows { flex: 1 1 auto; overflow-y: auto; overflow-x: auto; position: relative; border-top: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
.vl-spacer { position: relative; width: 100%; }
.vl-layer { position: absolute; inset: 0; }
.sample { position: absolute; left: 0; right: 0; top: 0; display: grid; gap: 8px; padding: 6px 4px; box-sizing: border-box;
  border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
.sample:hover { background: var(--vscode-list-hoverBackground); }
.cell { overflow: auto; white-space: pre-wrap; word-break: break-word; min-width: 0; }
.cell .label { display: block; font-size: 0.85em; color: var(--vscode-descriptionForeground); margin-bottom: 2px; position: sticky; top: 0;
  background: var(--vscode-editor-background); }
.sample:hover .cell .label { background: var(--vscode-list-hoverBackground); }
.index-cell { font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground); }
.index-cell a { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; display: block; }
.index-cell a:hover { text-decoration: underline; }
.scores { font-variant-numeric: tabular-nums; font-size: 0.85em; color: var(--vscode-descriptionForeground); display: block; }
.scores .worse, .model-mean .worse { color: var(--vscode-errorForeground); }
.scores .better, .model-mean .better { color: var(--vscode-charts-green, var(--vscode-foreground)); }
.ins { background: var(--vscode-diffEditor-insertedTextBackground, rgba(155,185,85,0.2)); }
.del { background: var(--vscode-diffEditor-removedTextBackground, rgba(255,0,0,0.2)); text-decoration: line-through; }
.none { color: var(--vscode-descriptionForeground); font-style: italic; }
`;
