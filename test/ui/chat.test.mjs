// The trial chat in real VS Code (code-server + Chromium), as a person uses it: Try Model… → an OpenAI-compatible
// endpoint (a local server written here, streaming server-sent events) → a model from its /v1/models list; a second
// model added from the page; a message sent to both; both answers stream in side by side with their timing, markup
// in an answer stays text, and the page raises no CSP violation.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import * as http from 'node:http';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { useWorkbench } from './harness.mjs';

const ui = useWorkbench();
const XSS = '<img src=x onerror="document.title=\'pwned\'">';

let server;
let baseUrl = '';
before(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ object: 'list', data: [{ id: 'ui-base' }, { id: 'ui-tuned' }] }));
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404);
        return res.end();
      }
      const body = JSON.parse(text);
      const pieces = [`【${body.model}】`, '答曰：', XSS, ' 此乃风寒。'];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const timer = setInterval(() => {
        if (i < pieces.length) return void res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: pieces[i++] } }] })}\n\n`);
        clearInterval(timer);
        res.end('data: [DONE]\n\n');
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Answers the questions of Try Model… for an endpoint model: the source, the base URL, the model from the list. */
async function pickEndpointModel(page, model) {
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: /OpenAI-compatible endpoint|OpenAI 兼容的接口端点/ }).first().click({ timeout: 15_000 });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(baseUrl);
  await input.press('Enter');
  // The server's list is there once its row shows; then the model is chosen by typing it (the list can still be
  // laying itself out, which made a click flaky).
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(model)}]`).first().waitFor({ timeout: 15_000 })
    .catch(async (err) => { await ui.wb.screenshot(`chat-pick-${model}-failed`); throw err; });
  await input.fill(model);
  await page.locator('.quick-input-list .monaco-list-row').filter({ visible: true }).first().filter({ hasText: model }).waitFor({ timeout: 15_000 });
  await input.press('Enter');
}

test('two endpoint models answer side by side, streaming, with markup kept as text', { timeout: 180_000 }, async () => {
  ui.wb.cspViolations.length = 0;
  const page = ui.wb.page;
  await ui.wb.runCommand('Fine-tune: Try Model…');
  await pickEndpointModel(page, 'ui-base');
  const frame = await ui.wb.webviewFrame({ contains: 'ui-base' });
  await frame.locator('.model-head').first().waitFor({ timeout: 15_000 });

  // The second model, from the page's own button.
  await frame.locator('#chat-add-model').click();
  await pickEndpointModel(page, 'ui-tuned');
  await frame.locator('.model-head').nth(1).waitFor({ timeout: 15_000 });
  assert.match(await frame.locator('#chat-columns').innerText(), /ui-base[\s\S]*ui-tuned/);

  await frame.locator('#chat-input textarea').fill('头痛怎么办？');
  await frame.locator('#chat-send').click();
  await frame.locator('.answer.status-done').nth(1).waitFor({ timeout: 30_000 })
    .catch(async (err) => { await ui.wb.screenshot('chat-failed'); throw err; });

  const answers = await frame.locator('.answer').evaluateAll((cells) => cells.map((c) => c.querySelector('.text')?.textContent ?? ''));
  assert.deepEqual(answers, [`【ui-base】答曰：${XSS} 此乃风寒。`, `【ui-tuned】答曰：${XSS} 此乃风寒。`]);
  assert.equal(await frame.locator('#chat-transcript img').count(), 0, 'no <img> element was made from model text');
  assert.notEqual(await frame.evaluate(() => document.title), 'pwned');
  // Each column says its time to first token and tokens/s.
  const facts = await frame.locator('.answer .facts').allInnerTexts();
  assert.equal(facts.length, 2);
  for (const f of facts) assert.match(f, /\d+ (ms|毫秒)[\s\S]*\d+\.\d/, f);
  assert.deepEqual(ui.wb.cspViolations, [], 'no CSP violations while streaming');
  await ui.wb.screenshot('chat-side-by-side');
});

test('the installed package generates with a local ONNX model, with the onnxruntime-node it carries', { timeout: 60_000 }, async () => {
  const extension = process.env.FINETUNE_UI_EXTENSION_PATH;
  const model = process.env.FINETUNE_UI_TINY_ONNX;
  assert.ok(extension && model, 'scripts/test-ui.mjs names the installed extension and the toy model');
  // The installed copy only: its own dist/node_modules/onnxruntime-node, not the repository's.
  assert.ok(existsSync(join(extension, 'dist', 'node_modules', 'onnxruntime-node', 'package.json')), 'the package carries onnxruntime-node');
  const run = spawnSync(process.execPath, [join(extension, 'dist', 'cli.js'), 'generate', '--model', model, '--prompt', '你好', '--max-tokens', '6', '--json'],
    { cwd: dirname(extension), encoding: 'utf8', timeout: 50_000, env: { ...process.env, NODE_PATH: '' } });
  assert.equal(run.status, 0, run.stderr);
  const answer = JSON.parse(run.stdout);
  assert.equal(answer.tokens.length, 6);
  assert.ok(answer.promptTokens > 3 && answer.tokensPerSecond > 0, run.stdout);
});
