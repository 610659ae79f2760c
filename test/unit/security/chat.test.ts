// Security issue items as the trial chat meets them: its files under .finetune/chats are never written through a
// link (a cloned repository can commit `.finetune/chats → ~`), a conversation id never becomes a path elsewhere,
// a training sample is never appended through a link or into something that is not a plain file, and an endpoint's
// stream is bounded (size cap, same-origin redirects: see test/unit/inference/chatStream.test.ts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appendSample, conversationPath, writeConversation } from '../../../src/features/chat/store';
import { UnsafePath } from '../../../src/core/safeFiles';

describe('trial chat files', () => {
  let root: string;
  let elsewhere: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'chat-ws-'));
    elsewhere = mkdtempSync(path.join(tmpdir(), 'chat-elsewhere-'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('a conversation id is a plain name, never a path', () => {
    for (const id of ['../x', 'a/b', '', '..', 'x\\y']) assert.throws(() => conversationPath(root, id), /not a conversation id/, id);
    assert.equal(conversationPath(root, '2026-12-07T065153-ab12'), path.join(root, '.finetune', 'chats', '2026-12-07T065153-ab12.jsonl'));
  });

  it('writes the conversation under .finetune/chats, and refuses when .finetune/chats is a link elsewhere', async () => {
    const file = await writeConversation(root, 'c1', '{"messages":[]}\n');
    assert.equal(readFileSync(file, 'utf8'), '{"messages":[]}\n');
    const linked = mkdtempSync(path.join(tmpdir(), 'chat-linked-'));
    try {
      mkdirSync(path.join(linked, '.finetune'));
      symlinkSync(elsewhere, path.join(linked, '.finetune', 'chats'));
      await assert.rejects(writeConversation(linked, 'c2', 'x\n'), (err: Error) => err instanceof UnsafePath && err.kind === 'link');
      assert.equal(existsSync(path.join(elsewhere, 'c2.jsonl')), false, 'nothing written through the link');
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('appends a sample on a line of its own, and never through a link or a hard link', async () => {
    const dataset = path.join(root, 'train.jsonl');
    writeFileSync(dataset, '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}');
    await appendSample(dataset, [{ role: 'user', content: '问' }, { role: 'assistant', content: '答 <b>' }]);
    const lines = readFileSync(dataset, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.deepEqual(JSON.parse(lines[1]!), { messages: [{ role: 'user', content: '问' }, { role: 'assistant', content: '答 <b>' }] });
    assert.equal(lines[2], '');

    const target = path.join(elsewhere, 'secret.txt');
    writeFileSync(target, 'keep\n');
    symlinkSync(target, path.join(root, 'link.jsonl'));
    await assert.rejects(appendSample(path.join(root, 'link.jsonl'), [{ role: 'user', content: 'x' }]), UnsafePath);
    linkSync(target, path.join(root, 'hard.jsonl'));
    await assert.rejects(appendSample(path.join(root, 'hard.jsonl'), [{ role: 'user', content: 'x' }]), UnsafePath);
    assert.equal(readFileSync(target, 'utf8'), 'keep\n');
  });
});
