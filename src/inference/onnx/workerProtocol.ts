// Messages between OnnxEngine (src/inference/onnx/onnxEngine.ts, the host side) and the generate worker
// (src/workers/generateWorker.ts). One worker holds one model; answers stream back as `piece` events.
import * as z from 'zod';
import { ChatMessageSchema } from '../openaiProtocol';

const Params = z.object({
  maxTokens: z.number(),
  temperature: z.number(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  repetitionPenalty: z.number().optional(),
  stop: z.array(z.string()).optional(),
  seed: z.number().optional(),
});

/** Host → worker: requests (load, render, generate) and the cancel event. */
export const GenerateWorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('load'), model: z.string(), cwd: z.string(), variant: z.enum(['default', 'fp16', 'quantized']), threads: z.number().int().positive().optional() }),
  z.object({ type: z.literal('render'), messages: z.array(ChatMessageSchema) }),
  z.object({ type: z.literal('generate'), id: z.number().int(), messages: z.array(ChatMessageSchema), params: Params }),
  z.object({ type: z.literal('cancel'), id: z.number().int() }),
  /** Stop every generation at its next step, release the session and end the thread (never ended mid-run from outside). */
  z.object({ type: z.literal('close') }),
]);
export type GenerateWorkerMessage = z.infer<typeof GenerateWorkerMessage>;

/** Worker → host: a piece of the answer of generation `id`. */
export const GenerateWorkerEvent = z.object({ type: z.literal('piece'), id: z.number().int(), text: z.string() });
export type GenerateWorkerEvent = z.infer<typeof GenerateWorkerEvent>;

/** A problem the user can act on, by catalogue and key (src/inference/onnx/messages.ts), to say in their language. */
const Problem = z.object({ problem: z.object({ catalogue: z.enum(['onnx', 'tokens']), key: z.string(), params: z.record(z.string(), z.string()) }) });

export const LoadReply = z.union([
  z.object({
    name: z.string(),
    dir: z.string(),
    graphFile: z.string(),
    cached: z.boolean(),
    generation: z.object({
      eosTokenIds: z.array(z.number()),
      doSample: z.boolean().optional(),
      temperature: z.number().optional(),
      topP: z.number().optional(),
      topK: z.number().optional(),
      repetitionPenalty: z.number().optional(),
    }),
    templateHash: z.string().optional(),
  }),
  Problem,
]);

export const RenderReply = z.union([z.object({ text: z.string(), tokens: z.number(), templateHash: z.string().optional() }), Problem]);

export const GenerateReply = z.union([
  z.object({
    text: z.string(),
    finishReason: z.enum(['stop', 'length', 'cancelled']),
    tokens: z.array(z.number()),
    promptTokens: z.number(),
    timeToFirstTokenMs: z.number(),
    tokensPerSecond: z.number(),
  }),
  Problem,
]);
