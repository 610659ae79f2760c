// An OpenAI-compatible server as a ChatEngine of the trial chat: each answer streamed (chatStream.ts), timed from the
// request to its first piece and from there to its end. Token counts come from the server's usage report where it
// sends one (asked with stream_options.include_usage); otherwise the pieces received stand in for tokens (servers
// send about one token per event).
import type { ChatEngine, ChatMessage, GenerateParams, GenerateResult } from './engine';
import { chatCompletionStream, type StreamOptions } from './chatStream';
import { generationTiming } from './generationTiming';

export type EndpointEngineOptions = Omit<StreamOptions, 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'seed'> & {
  /** What the chat shows as the model's name (default: the model id). */
  label?: string;
};

export class EndpointEngine implements ChatEngine {
  readonly label: string;
  private readonly running = new Set<AbortController>();

  constructor(private readonly options: EndpointEngineOptions, private readonly now: () => number = () => performance.now()) {
    this.label = options.label ?? options.model;
  }

  async generate(messages: readonly ChatMessage[], params: GenerateParams, onText: (piece: string) => void, signal?: AbortSignal): Promise<GenerateResult> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.running.add(controller);
    const start = this.now();
    let first: number | undefined;
    try {
      const { label: _label, ...stream } = this.options;
      const result = await chatCompletionStream(messages, {
        ...stream,
        temperature: params.temperature, maxTokens: params.maxTokens,
        ...(params.topP !== undefined ? { topP: params.topP } : {}),
        ...(params.stop ? { stop: params.stop } : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
      }, (piece) => {
        first ??= this.now();
        onText(piece);
      }, controller.signal);
      const tokens = result.usage?.completionTokens ?? result.pieces;
      return {
        text: result.text,
        finishReason: result.finishReason,
        ...(result.usage?.promptTokens !== undefined ? { promptTokens: result.usage.promptTokens } : {}),
        ...generationTiming(start, first, this.now(), tokens),
      };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running.delete(controller);
    }
  }

  /** Ends every answer still streaming. */
  async dispose(): Promise<void> {
    for (const c of this.running) c.abort();
    this.running.clear();
  }
}
