// Answers a test set's samples with an OpenAI-compatible endpoint into a predictions file: each answer is appended
// as it arrives, and a run started again skips the samples the file already answers (resume after a cancel or crash).
import { appendNoFollow, writeFileAtomic } from '../core/safeFiles';
import { readRegularFile } from '../core/regularFile';
import { answeredByIndex, predictionLine, predictionsText, type StoredPrediction } from '../core/eval';
import { chatCompletion, forEachLimited, type ChatMessage, type EndpointOptions } from './openaiClient';

export interface EvalSample {
  /** The sample's position in the test set. */
  index: number;
  /** Everything before the last assistant turn. */
  messages: ChatMessage[];
  /** The last assistant turn: the reference answer. */
  label: string;
}

export interface EndpointRunOptions extends EndpointOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Called after each answer with the number answered so far (including those answered before a resume). */
  progress?: (done: number, total: number) => void;
}

/** The prompt as text in the predictions file: the conversation before the answer, one turn a paragraph. */
export function promptText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `${m.role}\n${m.content}`).join('\n\n');
}

/**
 * Answers every sample not yet in `file`. Resolves with the complete predictions in sample order (and rewrites
 * the file in that order); rejects with an AbortError on cancel or the first request that failed for good,
 * leaving every answer so far in the file.
 */
export async function answerWithEndpoint(file: string, samples: readonly EvalSample[], options: EndpointRunOptions): Promise<StoredPrediction[]> {
  const existing = await readRegularFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const answered = answeredByIndex(existing);
  // A line cut short by a crash has no line break: start the appended lines on a fresh one.
  if (existing && !existing.endsWith('\n')) await appendNoFollow(file, '\n');
  const todo = samples.filter((s) => !answered.has(s.index));
  let done = samples.length - todo.length;
  options.progress?.(done, samples.length);
  // Appends one at a time, in the order answers arrive, so no two lines interleave.
  let writing = Promise.resolve();
  await forEachLimited(todo, options.concurrency, async (sample) => {
    const predict = await chatCompletion(sample.messages, options, options.signal);
    const row: StoredPrediction = { index: sample.index, prompt: promptText(sample.messages), predict, label: sample.label };
    answered.set(sample.index, row);
    writing = writing.then(() => appendNoFollow(file, predictionLine(row) + '\n'));
    await writing;
    options.progress?.(++done, samples.length);
  }, options.signal).finally(() => writing);
  const rows = samples.map((s) => answered.get(s.index)!).filter(Boolean);
  await writeFileAtomic(file, predictionsText(rows));
  return rows;
}
