// A page's own styles, adopted as a constructed stylesheet: the CSP admits only our stylesheet files and no inline
// <style>, and constructed sheets (as vscode-elements uses) are not markup.

export function adoptStyles(css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
