// A test set's samples answered by a local engine (an ONNX export in its worker), greedily, one after another, as
// the trainer's predict answers them: the same token budget, no sampling, a leading reasoning block dropped. The
// export parity gate compares these answers with the trained model's.
import { withoutThought } from '../core/eval/parity';
import type { StoredPrediction } from '../core/eval';
import type { ChatEngine } from './engine';
import type { EvalSample } from './endpointRun';
import { promptText } from './endpointRun';

export class AnswersCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AnswersCancelled';
  }
}

export interface EngineAnswerOptions {
  /** New tokens at most per answer: the trainer's predict budget. */
  maxTokens: number;
  signal?: AbortSignal;
  progress?: (done: number, total: number) => void;
}

/**
 * Each sample's answer, in sample order. `prompt` is the text the engine rendered (its chat template), so that it can
 * be compared with the prompt the trainer rendered. Throws AnswersCancelled when `signal` aborts.
 */
export async function answerWithEngine(engine: ChatEngine, samples: readonly EvalSample[], options: EngineAnswerOptions): Promise<StoredPrediction[]> {
  const rows: StoredPrediction[] = [];
  for (const sample of samples) {
    if (options.signal?.aborted) throw new AnswersCancelled();
    const prompt = engine.render ? (await engine.render(sample.messages)).text : promptText(sample.messages);
    // temperature 0 is greedy; the repetition penalty stays generation_config.json's, as transformers' generate() keeps it.
    const result = await engine.generate(sample.messages, { maxTokens: options.maxTokens, temperature: 0 }, () => undefined, options.signal);
    if (result.finishReason === 'cancelled') throw new AnswersCancelled();
    rows.push({ index: sample.index, prompt, predict: withoutThought(result.text), label: sample.label });
    options.progress?.(rows.length, samples.length);
  }
  return rows;
}
