// Where the trial chat writes: each conversation as `.finetune/chats/<id>.jsonl` (one dataset line per model, see
// src/core/chat/conversation.ts), replaced after each round of answers, and a conversation appended to a dataset
// file as a training sample. Both through safeFiles: never through a link, never half written.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { appendNoFollow, writeFileAtomic } from '../../core/safeFiles';
import { sampleLine, separatorBefore, type ChatMessage } from '../../core/chat/conversation';

export const CHATS_DIR = path.join('.finetune', 'chats');

/** The file conversation `id` is kept in. */
export function conversationPath(workspace: string, id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) throw new Error(`not a conversation id: ${id}`);
  return path.join(workspace, CHATS_DIR, `${id}.jsonl`);
}

export async function writeConversation(workspace: string, id: string, content: string): Promise<string> {
  const file = conversationPath(workspace, id);
  await writeFileAtomic(file, content, workspace);
  return file;
}

/** Appends `messages` as one line to the dataset `file`, on a line of its own even when the file lacks a final newline. */
export async function appendSample(file: string, messages: readonly ChatMessage[]): Promise<void> {
  await appendNoFollow(file, separatorBefore(await lastByte(file)) + sampleLine(messages));
}

async function lastByte(file: string): Promise<number | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined; // a new file
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return undefined;
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, size - 1);
    return buffer[0];
  } finally {
    await handle.close();
  }
}
