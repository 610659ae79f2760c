import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectBaseModel, isHubId } from '../../src/core/models/baseModel';

describe('base models', () => {
  it('tells hub ids from paths', () => {
    assert.equal(isHubId('Qwen/Qwen2.5-7B-Instruct'), true);
    assert.equal(isHubId('./models/qwen'), false);
    assert.equal(isHubId('/abs/path'), false);
    assert.equal(isHubId('models/qwen/extra'), false);
  });

  it('inspects a local folder: architecture, tokenizer and chat template', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ft-model-'));
    const folder = path.join(root, 'org', 'tiny');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'config.json'), JSON.stringify({ architectures: ['Qwen2ForCausalLM'] }));
    await writeFile(path.join(folder, 'tokenizer.json'), '{}');
    await writeFile(path.join(folder, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{{ messages }}' }));
    const info = await inspectBaseModel('org/tiny', root);
    assert.equal(info.kind, 'folder', 'an existing relative folder wins over the hub-id reading');
    assert.deepEqual(info.kind === 'folder' && [info.architecture, info.hasTokenizer, info.hasChatTemplate], ['Qwen2ForCausalLM', true, true]);
  });

  it('reports a missing folder and treats an org/name that is not a folder as a hub id', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ft-model-'));
    const missing = await inspectBaseModel('./nowhere', root);
    assert.equal(missing.kind === 'folder' && missing.exists, false);
    assert.equal((await inspectBaseModel('Qwen/Qwen3-8B', root)).kind, 'hub');
  });
});
