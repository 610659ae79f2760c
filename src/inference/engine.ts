// What the trial chat (and `finetune-studio generate`, and the local server) asks of a model, whichever engine
// answers: local ONNX generation (src/inference/onnx) or an OpenAI-compatible endpoint (openaiClient).
import type { ChatMessage } from './openaiClient';

export type { ChatMessage };

export interface GenerateParams {
  maxTokens: number;
  /** 0 is greedy. */
  temperature: number;
  topP?: number;
  topK?: number;
  repetitionPenalty?: number;
  /** Generation stops before any of these strings; they are not part of the answer. */
  stop?: readonly string[];
  seed?: number;
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  /** Token ids of the answer, where the engine knows them (local models). */
  tokens?: number[];
  promptTokens?: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

/** The exact text a local model receives for `messages`, and its length in tokens. */
export interface RenderedPrompt {
  text: string;
  tokens: number;
  /** sha256 of the chat template it was rendered with, to compare with the one a job trained with. */
  templateHash?: string;
}

export interface ChatEngine {
  /** What the user sees as the model's name. */
  readonly label: string;
  /** Local engines only: the prompt exactly as the model will see it. */
  render?(messages: readonly ChatMessage[]): Promise<RenderedPrompt>;
  /** Streams the answer piece by piece through onText; resolves when it ends (aborting ends it with 'cancelled'). */
  generate(messages: readonly ChatMessage[], params: GenerateParams, onText: (piece: string) => void, signal?: AbortSignal): Promise<GenerateResult>;
  dispose(): Promise<void>;
}
