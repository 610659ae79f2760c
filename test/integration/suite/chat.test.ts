// The trial chat in a real VS Code: Try Model with two endpoint models served by a local OpenAI-compatible server
// written below (it streams server-sent events; no real model server exists here). Both answers arrive side by
// side, markup in an answer stays text on the page, the conversation is kept in .finetune/chats; a local ONNX model
// (a toy graph built here with the real Qwen3 tokenizer) answers from its worker, and a folder without one says why.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import * as http from 'node:http';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { api, closeAllEditors, workspaceRoot } from './util';
import type { ChatPanel } from '../../../src/features/chat';
import { writeTinyModelFolder } from '../../unit/inference/tinyModel';

/** Streams "[<model>] <b>markup</b> <last user message>" in pieces, as vLLM streams a chat completion. */
function streamingServer(): http.Server {
  return http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
      const body = JSON.parse(text) as { model: string; messages: { content: string }[] };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = [`[${body.model}] `, '<b>粗体</b><img src=x onerror="alert(1)">', ` ${body.messages.at(-1)!.content}`];
      let i = 0;
      const next = () => {
        if (i < pieces.length) {
          res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: pieces[i++] }, finish_reason: null }] })}\n\n`);
          setTimeout(next, 20);
        } else {
          res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 6 } })}\n\n`);
          res.end('data: [DONE]\n\n');
        }
      };
      next();
    });
  });
}

describe('trial chat', () => {
  const server = streamingServer();
  let baseUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeAllEditors();
    await fs.rm(path.join(workspaceRoot(), '.finetune', 'chats'), { recursive: true, force: true });
  });

  it('two endpoint models answer side by side; markup stays text; the conversation file is written', async function () {
    this.timeout(60_000);
    const ctx = await api();
    const panel = await ctx.chat.tryModels([
      { kind: 'endpoint', baseUrl, model: 'qwen3-base', label: 'Base' },
      { kind: 'endpoint', baseUrl, model: 'qwen3-wuxia', label: 'Wuxia' },
    ]) as ChatPanel | undefined;
    assert.ok(panel, 'the chat opened');
    await panel.ready;
    assert.deepEqual(panel.session.models.map((m) => m.label), ['Base', 'Wuxia']);
    // The same panel is reused by the next Try Model.
    assert.equal(await vscode.commands.executeCommand('finetune.tryModel', [] as unknown[]), panel);

    await panel.session.send('头痛怎么办？');
    const turn = panel.session.state.turns[0]!;
    const [base, wuxia] = panel.session.models;
    for (const [m, model] of [[base!, 'qwen3-base'], [wuxia!, 'qwen3-wuxia']] as const) {
      const answer = turn.answers[m.id]!;
      assert.equal(answer.status, 'done', JSON.stringify(answer));
      assert.equal(answer.text, `[${model}] <b>粗体</b><img src=x onerror="alert(1)"> 头痛怎么办？`);
      assert.ok(answer.tokensPerSecond !== undefined && answer.timeToFirstTokenMs !== undefined);
    }

    // On the page: each answer cell holds the text, markup and all, and no element.
    const probe = await panel.probe();
    const cells = probe.answers.filter((a) => a.turn === 0);
    assert.equal(cells.length, 2);
    for (const cell of cells) {
      assert.match(cell.text, /<b>粗体<\/b><img src=x onerror="alert\(1\)">/);
      assert.equal(cell.elements, 0, `answer of ${cell.model} became markup`);
    }

    // The conversation: one dataset line per model under .finetune/chats.
    const file = panel.lastWritten;
    assert.ok(file, 'the conversation was written');
    assert.equal(path.dirname(file), path.join(workspaceRoot(), '.finetune', 'chats'));
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { model: string; messages: { role: string; content: string }[] });
    assert.deepEqual(lines.map((l) => l.model), ['Base', 'Wuxia']);
    assert.deepEqual(lines[1]!.messages, [
      { role: 'user', content: '头痛怎么办？' },
      { role: 'assistant', content: '[qwen3-wuxia] <b>粗体</b><img src=x onerror="alert(1)"> 头痛怎么办？' },
    ]);

    // Save as Training Sample appends the thread to a dataset file, on a line of its own.
    const dataset = path.join(workspaceRoot(), '.finetune', 'chats', 'samples-test.jsonl');
    await fs.writeFile(dataset, '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}');
    assert.equal(await panel.saveSample(wuxia!.id, dataset), dataset);
    const saved = (await fs.readFile(dataset, 'utf8')).split('\n');
    assert.equal(saved.length, 3);
    assert.deepEqual(JSON.parse(saved[1]!), { messages: lines[1]!.messages });
  });

  it('a local ONNX model answers from its worker thread, streaming; "what the model sees" is its rendered prompt; a folder without a model says why', async function () {
    this.timeout(120_000);
    const ctx = await api();
    const panel = ctx.chat.current();
    assert.ok(panel);
    // A toy causal LM built here (with a KV cache) beside the workspace's real Qwen3 tokenizer and chat template.
    const dir = path.join(workspaceRoot(), 'models', 'tiny-onnx');
    writeTinyModelFolder(dir, {}, { tokenizer: false });
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      await fs.copyFile(path.join(workspaceRoot(), 'models', 'qwen3-tokenizer', file), path.join(dir, file));
    }
    try {
      const info = await panel.add({ kind: 'local', folder: dir, label: 'Tiny ONNX' });
      assert.ok(info, 'the local model was added');
      assert.equal(info.kind, 'local');
      assert.equal(info.canRender, true);
      await panel.session.send('你好');
      const turn = panel.session.state.turns.at(-1)!;
      const answer = turn.answers[info.id]!;
      // A random toy network rarely says EOS: it answers until the token limit ('length').
      assert.ok(answer.status === 'done' || answer.status === 'length', JSON.stringify(answer));
      assert.ok(answer.text.length > 0 && answer.tokensPerSecond !== undefined && answer.timeToFirstTokenMs !== undefined, JSON.stringify(answer));
      const rendered = await panel.session.engineOf(info.id)!.render!(panel.session.lastPromptOf(info.id));
      assert.match(rendered.text, /<\|im_start\|>user\n你好<\|im_end\|>\n<\|im_start\|>assistant\n$/);
      assert.ok(rendered.tokens > 5 && /^[0-9a-f]{64}$/.test(rendered.templateHash ?? ''), JSON.stringify(rendered));

      const before = panel.session.models.length;
      assert.equal(await panel.add({ kind: 'local', folder: path.join(workspaceRoot(), 'no-such-model') }), undefined);
      assert.equal(panel.session.models.length, before);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
