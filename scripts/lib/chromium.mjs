// Chromium from the system (Debian's package), driven by playwright-core (no browser download).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dim, repoRoot, tempDir } from './common.mjs';
import { onCleanup } from './proc.mjs';
import { aptInstall, canApt } from './apt.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function findChromium() {
  const fromEnv = process.env.FINETUNE_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FINETUNE_CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  return CANDIDATES.find((p) => existsSync(p));
}

/** The dataset examples are Chinese: without a CJK font, screenshots show boxes instead of text. */
function hintCjkFont() {
  const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (fonts.status === 0 && !fonts.stdout.trim()) {
    console.log(dim('No Chinese font installed: screenshots will show boxes for Chinese text (apt-get install -y fonts-noto-cjk).'));
  }
}

/**
 * Path of a Chromium binary; installs Debian's `chromium` (and a CJK font) with apt-get when
 * missing and running as root.
 */
export async function ensureChromium() {
  const found = findChromium();
  if (found) {
    if (!process.env.FINETUNE_CHROMIUM) hintCjkFont(); // else a parent script has checked already
    return found;
  }
  if (canApt()) {
    console.log('Chromium is missing: installing it');
    await aptInstall(['chromium', 'fonts-noto-cjk']);
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(
    'Chromium is needed to drive VS Code in a browser and was not found.\n' +
      '  Debian:  sudo apt-get install -y chromium\n' +
      '  Ubuntu:  sudo snap install chromium   (or install google-chrome)\n' +
      'or set FINETUNE_CHROMIUM=/path/to/chrome.',
  );
}

/** playwright-core from the repository's node_modules (imported late: it does not exist before `npm ci`). */
export async function loadPlaywright(root = repoRoot) {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const resolved = createRequire(join(root, 'package.json')).resolve('playwright-core');
  return (await import(pathToFileURL(resolved).href)).default;
}

/** Flags that keep headless Chromium quiet and offline-friendly. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium and registers its closing as a cleanup.
 * Returns { browser, page } with a page the size of a laptop screen.
 */
export async function launchBrowser({ executablePath, root = repoRoot, headless = !process.env.FINETUNE_HEADED } = {}) {
  const { chromium } = await loadPlaywright(root);
  // Chromium writes crash reports and caches under XDG folders even with a temp profile: keep them in ours.
  const home = tempDir('chromium');
  const browser = await chromium.launch({
    executablePath: executablePath ?? (await ensureChromium()),
    headless,
    args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
    // Our own handlers clean up everything in order; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  onCleanup(() => browser.close().catch(() => {}));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { browser, context, page };
}
