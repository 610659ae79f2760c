// Serve Model Locally in a real VS Code: a toy ONNX model (built here with the workspace's real Qwen3 tokenizer)
// served by the extension host on 127.0.0.1, its token in SecretStorage; the server refuses a request without it,
// the trial chat adds it as an endpoint in one step (the key found where the chat looks) and gets an answer; Stop
// closes the port. (Written without being run in the helper's worktree: the lead runs this tier.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { api, workspaceRoot } from './util';
import { writeTinyModelFolder } from '../../unit/inference/tinyModel';

describe('serve a model locally', () => {
  const dir = path.join(workspaceRoot(), 'models', 'tiny-served');
  after(async () => {
    await (await api()).deploy.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves behind its token, answers in the trial chat as an endpoint, and stops', async function () {
    this.timeout(120_000);
    const ctx = await api();
    writeTinyModelFolder(dir, {}, { tokenizer: false });
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      await fs.copyFile(path.join(workspaceRoot(), 'models', 'qwen3-tokenizer', file), path.join(dir, file));
    }
    const serving = await ctx.deploy.serveLocally(dir, 'Tiny Served');
    assert.ok(serving, 'the server started');
    assert.match(serving.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.deepEqual(ctx.deploy.serving(), serving);
    const token = await ctx.deploy.token();

    const refused = await fetch(`${serving.url}/models`);
    assert.equal(refused.status, 401);
    await refused.arrayBuffer();
    const models = (await (await fetch(`${serving.url}/models`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { id: string }[] };
    assert.deepEqual(models.data.map((m) => m.id), ['Tiny Served']);

    const panel = await ctx.chat.tryModels([]);
    assert.ok(panel, 'the chat opened');
    const info = await panel.add({ kind: 'endpoint', baseUrl: serving.url, model: serving.model, label: 'Served' });
    assert.ok(info, 'the served model was added');
    await panel.session.send('你好');
    const answer = panel.session.state.turns.at(-1)!.answers[info.id]!;
    assert.ok(answer.status === 'done' || answer.status === 'length', JSON.stringify(answer));
    assert.ok(answer.text.length > 0, JSON.stringify(answer));

    await ctx.deploy.stop();
    assert.equal(ctx.deploy.serving(), undefined);
    await assert.rejects(fetch(`${serving.url}/models`, { headers: { authorization: `Bearer ${token}` } }));
  });
});
