// UI test harness: real VS Code (code-server's web workbench) in headless Chromium, with the
// extension installed as a user would have it. Used by test/ui/*.test.mjs under `node --test`.
//
// With FINETUNE_UI_URL set (scripts/test-ui.mjs starts one server for all files), it only opens a
// browser on that URL; without it (e.g. `node --test test/ui/smoke.test.mjs` after a build), it
// starts its own code-server on a temp copy of examples/wuxia-doctor. Everything it starts is
// stopped by close() and on exit.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { basename, join } from 'node:path';
import { exampleWorkspaceCopy, repoRoot } from '../../scripts/lib/common.mjs';
import { launchBrowser } from '../../scripts/lib/chromium.mjs';
import { startWithExtension, TEST_SETTINGS, workbenchUrl } from '../../scripts/lib/code-server.mjs';
import { cleanup, installExitHandlers } from '../../scripts/lib/proc.mjs';

export const resultsDir = join(repoRoot, 'test-results');
/** Title of the extension's activity-bar container; its icon tells that the extension is registered. */
const CONTAINER_TITLE = 'Fine-tune Studio';

/** Attribute value inside a CSS selector, quoted. */
const css = (s) => JSON.stringify(String(s));

/**
 * Opens the workbench on the example workspace and waits until it is usable (`timeout` for the
 * page to load; a first-time install of code-server in standalone mode comes on top).
 */
/**
 * For a test file: opens the workbench before its tests and closes it after them (node:test hooks).
 * The returned handle's `wb` is the Workbench once the tests run.
 */
export function useWorkbench() {
  const handle = { /** @type {Workbench} */ wb: undefined };
  before(async () => { handle.wb = await launchWorkbench(); }, { timeout: 300_000 });
  after(async () => { await handle.wb?.close(); });
  return handle;
}

export async function launchWorkbench({ timeout = 120_000 } = {}) {
  installExitHandlers({ errors: false }); // node:test reports errors; we only need signal cleanup
  let url = process.env.FINETUNE_UI_URL;
  let workspace = process.env.FINETUNE_UI_WORKSPACE;
  if (!url) {
    workspace = exampleWorkspaceCopy();
    const server = await startWithExtension({ settings: TEST_SETTINGS });
    url = workbenchUrl(server, workspace);
  }
  const { page } = await launchBrowser();
  page.setDefaultTimeout(30_000);
  const workbench = new Workbench(page, url, workspace);
  await workbench.open(timeout);
  return workbench;
}

export class Workbench {
  constructor(page, url, workspace) {
    this.page = page;
    this.url = url;
    /** Absolute path of the opened folder (a temp copy, free to change). */
    this.workspace = workspace;
    /** Content-Security-Policy violations the browser reported (any frame); tests may clear it. */
    this.cspViolations = [];
    page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) this.cspViolations.push(m.text()); });
  }

  async open(timeout) {
    await this.page.goto(this.url);
    const wb = '.monaco-workbench';
    await this.page.locator(`${wb} .part.activitybar`).waitFor({ timeout });
    await this.page.locator(`${wb} .part.statusbar`).waitFor({ timeout });
    // The explorer's tree appears once the remote file system has answered for the folder.
    await this.page.locator(`${wb} .explorer-folders-view`).waitFor({ timeout });
    // The extension's activity-bar icon appears once the workbench has read its manifest; before
    // that, its commands are missing from the palette.
    await this.page.locator(`${wb} .part.activitybar .action-item a[aria-label^=${css(CONTAINER_TITLE)}]`).waitFor({ timeout });
  }

  /** Runs a command by its palette title (e.g. "Fine-tune: Check Dataset"), as a person would: F1, type, pick. */
  async runCommand(title, { timeout = 15_000 } = {}) {
    // Rows are labelled "<title>" or "<title>, <keybinding>"; pick the exact one, not a fuzzy match.
    const row = this.#visibleRow(`:is([aria-label=${css(title)}], [aria-label^=${css(`${title}, `)}])`);
    const picked = await this.#pick('F1', `>${title}`, row, timeout);
    if (!picked) {
      await this.screenshot(`failed-command-${title.replace(/\W+/g, '-')}`);
      throw new Error(`Command "${title}" is not in the command palette (is the extension installed, and its "when" clause true?)`);
    }
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab to be active. */
  async openFile(relPath, { timeout = 15_000 } = {}) {
    const name = relPath.split('/').pop();
    const dir = relPath.split('/').slice(0, -1).join('/');
    // The row's label is "<name>, <folder>": match the folder too, or a recently opened file of the same name in
    // another folder (listed first while the search is still running) would be opened instead.
    const row = this.#visibleRow(`[aria-label^=${css(name)}]${dir ? `[aria-label*=${css(dir)}]` : ''}`);
    if (!(await this.#pick('Control+P', relPath, row, timeout))) {
      throw new Error(`Quick Open did not find ${relPath}`);
    }
    await this.page.locator(`.tabs-container .tab.active[aria-label^=${css(name)}]`).waitFor({ timeout });
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor({ timeout });
  }

  #visibleRow(attributes) {
    return this.page
      .locator(`.quick-input-list .monaco-list-row${attributes}`)
      .filter({ visible: true }) // rows of an earlier quick input linger hidden in the DOM
      .first();
  }

  /**
   * Opens the quick input with `key`, types `text` and clicks `row`; true once that worked.
   * Retried from the start until `timeout`: the list holds only what was known when it opened (an
   * extension may still be registering its commands), and a focus change (a panel or webview being
   * revealed) closes it at any moment.
   */
  async #pick(key, text, row, timeout) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const deadline = Date.now() + timeout;
    const attempt = (promise) => promise.then(() => true, () => false);
    do {
      // A quick input left open by a failed step would take the keys.
      if (await input.isVisible()) await this.page.keyboard.press('Escape');
      await this.page.keyboard.press(key);
      if (
        (await attempt(input.waitFor({ state: 'visible', timeout: 3000 }))) &&
        (await attempt(input.fill(text, { timeout: 3000 }))) &&
        (await attempt(row.click({ timeout: 3000 })))
      ) {
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        return true;
      }
    } while (Date.now() < deadline);
    return false;
  }

  /** Shows the Problems panel (if hidden). */
  async showProblems() {
    // A command that reveals the panel itself may still be doing so: give it a moment first.
    const shown = await this.page.locator('.markers-panel').waitFor({ timeout: 2000 }).then(() => true, () => false);
    if (!shown) {
      await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    }
    await this.page.locator('.markers-panel').waitFor();
  }

  /**
   * The Problems panel's entries: { file, severity, message, source, code, line, column }.
   * The list is virtualised: only rows that fit on screen are returned.
   */
  async readProblems() {
    await this.showProblems();
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => {
      const entries = [];
      let file = '';
      for (const row of rows) {
        const message = row.querySelector('.marker-message');
        if (!message) {
          file = row.querySelector('.label-name')?.textContent ?? file;
          continue;
        }
        const icon = row.querySelector('.marker-icon')?.className ?? '';
        const where = /Ln (\d+), Col (\d+)/.exec(row.querySelector('.marker-line')?.textContent ?? '');
        entries.push({
          file,
          severity: ['error', 'warning', 'info'].find((s) => icon.includes(s)) ?? 'hint',
          message: message.textContent ?? '',
          source: row.querySelector('.marker-source')?.textContent ?? '',
          code: row.querySelector('.marker-code')?.textContent ?? '',
          line: where ? Number(where[1]) : undefined,
          column: where ? Number(where[2]) : undefined,
        });
      }
      return entries;
    });
  }

  /** Waits until the Problems panel shows an entry from `source`, then returns all entries. */
  async waitForProblems({ source, timeout = 30_000 } = {}) {
    await this.showProblems();
    await this.page.waitForFunction(
      (src) => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((row) =>
        row.querySelector('.marker-message') && (!src || row.querySelector('.marker-source')?.textContent?.includes(src))),
      source,
      { timeout },
    );
    return this.readProblems();
  }

  /**
   * Opens an activity-bar container by its title (e.g. "Fine-tune Studio") and returns the
   * titles of its views (e.g. ["Jobs", "Models"]).
   */
  async openViewContainer(title, { timeout = 15_000 } = {}) {
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title');
    const open = async () => ((await sidebarTitle.textContent().catch(() => '')) ?? '').toLowerCase().includes(title.toLowerCase());
    // Clicking the icon of the container already shown would hide it.
    if (!(await open())) {
      await this.page.locator(`.part.activitybar .action-item a[aria-label^=${css(title)}]`).click({ timeout });
    }
    await this.page.locator('.part.sidebar .pane-header').first().waitFor({ timeout });
    return this.page.locator('.part.sidebar .pane-header').evaluateAll((hs) =>
      hs.map((h) => (h.getAttribute('aria-label') ?? h.textContent ?? '').replace(/ Section$/, '')),
    );
  }

  /**
   * The content frame of a webview (editor panel or view) once loaded; `contains` picks the one
   * whose text includes it.
   */
  async webviewFrame({ contains, timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        // VS Code loads a webview's content into an inner frame of .../webview/browser/pre/fake.html.
        if (frame.isDetached() || !frame.url().includes('/webview/browser/pre/fake.html')) continue;
        const text = await frame.locator('body').innerText({ timeout: 1000 }).catch(() => null);
        if (text !== null && (!contains || text.includes(contains))) return frame;
      }
      if (Date.now() > deadline) throw new Error(`No webview${contains ? ` containing "${contains}"` : ''} within ${timeout / 1000} s`);
      await this.page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => {});
    }
  }

  /** The visible text of a webview (see webviewFrame). */
  async webviewText(options) {
    return (await this.webviewFrame(options)).locator('body').innerText();
  }

  /**
   * Adds an inline script to a webview frame and checks that the CSP blocked it (no 'unsafe-inline' in script-src)
   * and that the browser reported the violation.
   */
  async assertInlineScriptBlocked(frame) {
    const ran = await frame.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1;';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return /** @type {any} */ (window).__injected === 1;
    });
    assert.equal(ran, false, 'the CSP blocked the injected inline script');
    assert.ok(this.cspViolations.some((v) => /script/i.test(v)), `the browser reported the blocked script: ${this.cspViolations.join(' | ')}`);
  }

  /** Saves a PNG of the whole window to test-results/<name>.png and returns its path. */
  async screenshot(name) {
    mkdirSync(resultsDir, { recursive: true });
    const path = join(resultsDir, `${basename(name, '.png')}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Closes the browser, and the server if this harness started it. */
  async close() {
    await cleanup();
  }
}
