// Loading a tokenizer from a model folder: where the chat template comes from, and the errors that say what to
// point at instead of substituting another model's tokenizer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectTokenizerFolder, loadTokenizerFolder, TokenizerFolderError } from '../../../src/core/tokens/tokenizerFolder';
import { countSample } from '../../../src/core/tokens/count';
import { modelDir } from './helpers';

async function folder(files: Record<string, string>, withTokenizerJson = true): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-tok-'));
  if (withTokenizerJson) await symlink(path.join(modelDir('qwen3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

async function errorOf(p: Promise<unknown>): Promise<TokenizerFolderError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TokenizerFolderError, String(err));
    return err;
  }
  assert.fail('expected a TokenizerFolderError');
}

describe('tokenizer folder errors', () => {
  it('a folder without tokenizer.json says what to pass, in English and Chinese', async () => {
    const dir = await folder({ 'tokenizer_config.json': '{"chat_template": "x"}' }, false);
    const err = await errorOf(inspectTokenizerFolder(dir));
    assert.equal(err.key, 'folder.noTokenizerJson');
    assert.match(err.message, /No tokenizer\.json in .*ft-tok-/);
    assert.match(err.message, /save_pretrained/);
    assert.match(err.localized('zh-cn'), /中没有 tokenizer\.json/);
  });

  it('a folder without a chat template says where it looked and what to do', async () => {
    const dir = await folder({ 'tokenizer_config.json': '{"eos_token": "<|endoftext|>"}' });
    const err = await errorOf(loadTokenizerFolder(dir));
    assert.equal(err.key, 'folder.noChatTemplate');
    assert.match(err.message, /chat_template\.jinja, chat_template\.json and "chat_template" in tokenizer_config\.json/);
    assert.match(err.message, /instruct/);
    const textOnly = await loadTokenizerFolder(dir, undefined, { requireChatTemplate: false });
    assert.deepEqual(countSample(textOnly, { text: 'Hello world' }), { tokens: 3, trainTokens: 3 }, 'text still counts (with EOS) when a template is not required');
    assert.throws(() => textOnly.renderChat([], { tools: null, addGenerationPrompt: false }), /no chat template/);
  });

  it('a missing folder, a hub id, a file that is not a model file, a broken JSON', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ft-tok-'));
    assert.equal((await errorOf(inspectTokenizerFolder('./nowhere', root))).key, 'folder.notFound');
    const hub = await errorOf(inspectTokenizerFolder('Qwen/Qwen3-8B', root));
    assert.equal(hub.key, 'folder.hubId');
    assert.match(hub.message, /huggingface-cli download Qwen\/Qwen3-8B/);
    await writeFile(path.join(root, 'notes.txt'), 'x');
    assert.equal((await errorOf(inspectTokenizerFolder('notes.txt', root))).key, 'folder.notAFolder');
    const broken = await folder({ 'tokenizer_config.json': '{"chat_template": ' });
    const err = await errorOf(inspectTokenizerFolder(broken));
    assert.equal(err.key, 'folder.invalidFile');
    assert.match(err.message, /tokenizer_config\.json/);
  });

  it('a template Jinja cannot compile is reported with its file', async () => {
    const dir = await folder({ 'tokenizer_config.json': '{}', 'chat_template.jinja': '{% for m in messages %}' });
    const err = await errorOf(loadTokenizerFolder(dir));
    assert.equal(err.key, 'folder.invalidTemplate');
    assert.match(err.message, /chat_template\.jinja/);
  });
});

describe('where the chat template comes from (transformers’ order)', () => {
  const render = async (dir: string, tools: unknown[] | null = null) =>
    (await loadTokenizerFolder(dir)).renderChat([{ role: 'user', content: 'hi' }], { tools, addGenerationPrompt: false });

  it('chat_template.jinja first, then chat_template.json, then tokenizer_config.json', async () => {
    const all = await folder({
      'tokenizer_config.json': '{"chat_template": "config"}',
      'chat_template.json': '{"chat_template": "json"}',
      'chat_template.jinja': 'jinja {{ messages[0].content }}',
    });
    assert.equal(await render(all), 'jinja hi');
    assert.equal(await render(await folder({ 'tokenizer_config.json': '{"chat_template": "config"}', 'chat_template.json': '{"chat_template": "json"}' })), 'json');
    assert.equal(await render(await folder({ 'tokenizer_config.json': '{"chat_template": "config"}' })), 'config');
  });

  it('named templates: a list in tokenizer_config.json, or additional_chat_templates/*.jinja; tool_use when tools are given', async () => {
    const listed = await folder({
      'tokenizer_config.json': JSON.stringify({ chat_template: [{ name: 'default', template: 'plain' }, { name: 'tool_use', template: 'tools:{{ tools|length }}' }] }),
    });
    assert.equal(await render(listed), 'plain');
    assert.equal(await render(listed, [{ type: 'function' }]), 'tools:1');
    const extra = await folder({ 'chat_template.jinja': 'main', 'additional_chat_templates/tool_use.jinja': 'extra' });
    assert.equal(await render(extra, [{}]), 'extra');
  });

  it('special tokens from tokenizer_config.json reach the template; pointing at a file means its folder', async () => {
    const dir = await folder({ 'tokenizer_config.json': JSON.stringify({ chat_template: '{{ bos_token }}|{{ eos_token }}', bos_token: { content: '<s>', __type: 'AddedToken' }, eos_token: '</s>' }) });
    assert.equal(await render(path.join(dir, 'tokenizer.json')), '<s>|</s>');
    const info = await inspectTokenizerFolder(path.join(dir, 'tokenizer_config.json'));
    assert.equal(info.dir, dir);
  });

  it('the real Qwen3 folder: name, template, EOS', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'Qwen3-'));
    await symlink(path.join(modelDir('qwen3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    await copyFile(path.join(modelDir('qwen3'), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
    const model = await loadTokenizerFolder(dir);
    assert.equal(model.eosToken, '<|im_end|>');
    assert.equal(model.folder.name, path.basename(dir));
    assert.equal(model.chatCounts('<|im_start|>user\nhi<|im_end|>\n').total, 6);
  });
});
