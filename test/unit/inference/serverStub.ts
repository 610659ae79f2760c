// A ChatEngine for the server tests whose timing the test controls: it answers with the last user message's words,
// one piece each, and waits at `gate` (when set) before its first piece, so requests can be held running or queued.
import type { ChatEngine, ChatMessage, GenerateParams, GenerateResult } from '../../../src/inference/engine';

export class StubEngine implements ChatEngine {
  readonly label = 'stub-model';
  /** Every call's params, in order of arrival at the engine. */
  readonly calls: { messages: readonly ChatMessage[]; params: GenerateParams; signal?: AbortSignal }[] = [];
  readonly cancelled: string[] = [];
  running = 0;
  maxRunning = 0;
  private gates: (() => void)[] = [];
  private gated = false;
  private started: (() => void)[] = [];

  /** Generations wait before their first piece until release() (one) is called. */
  hold(): void {
    this.gated = true;
  }

  /** Stops holding: every held generation goes on, and later ones do not wait. */
  open(): void {
    this.gated = false;
    for (const g of this.gates.splice(0)) g();
  }

  /** Lets the oldest held generation go on. */
  release(): void {
    this.gates.shift()?.();
  }

  /** Resolves once `n` generations have started. */
  whenStarted(n: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.calls.length >= n ? resolve() : this.started.push(check));
      check();
    });
  }

  async generate(messages: readonly ChatMessage[], params: GenerateParams, onText: (piece: string) => void, signal?: AbortSignal): Promise<GenerateResult> {
    this.calls.push({ messages, params, signal });
    for (const s of this.started.splice(0)) s();
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    try {
      if (this.gated) {
        await new Promise<void>((resolve) => {
          this.gates.push(resolve);
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const words = last.split(' ').map((w, i) => (i === 0 ? w : ' ' + w)).slice(0, params.maxTokens);
      let text = '';
      for (const w of words) {
        if (signal?.aborted) break;
        await new Promise((resolve) => setImmediate(resolve));
        text += w;
        onText(w);
      }
      if (signal?.aborted) {
        this.cancelled.push(last);
        return { text, finishReason: 'cancelled', timeToFirstTokenMs: 0, tokensPerSecond: 0 };
      }
      const full = last.split(' ').length;
      return { text, finishReason: words.length < full ? 'length' : 'stop', promptTokens: 7, timeToFirstTokenMs: 1, tokensPerSecond: 1 };
    } finally {
      this.running--;
    }
  }

  async dispose(): Promise<void> {}
}
