// Theme colours for canvases (which cannot use CSS variables directly), re-read when the theme changes.

export function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** Calls `redraw` whenever VS Code switches theme (it changes the body's class). */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
