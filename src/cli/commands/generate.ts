// `finetune-studio generate --model <dir> (--prompt <text> | --messages <json>)`: an answer from a local ONNX model
// folder, generated in the same worker and with the same chat template as the trial chat. The text streams to
// stdout as it is generated, with a summary on stderr; --json prints one object at the end instead.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../io';
import { argsOrExit, localeAnywhere, localeOption, parseArgs } from '../args';
import { usageMessage } from '../usageMessages';
import type { Locale } from '../../core/dataset/types';
import type { ChatMessage, GenerateParams } from '../../inference/engine';
import { onnxMessage, type OnnxMessageKey } from '../../inference/onnx/messages';
import type { GraphVariant } from '../../inference/onnx/modelFolder';
import { missingValueText, variantOption } from '../onnxOptions';

const HELP = `Usage: finetune-studio generate --model <folder> (--prompt <text> | --messages <file.json | JSON>) [options]

Generates an answer with a local ONNX model folder (model.onnx or onnx/model.onnx, decoder_model_merged.onnx,
config.json, tokenizer.json, tokenizer_config.json with the chat template, generation_config.json), rendering the
conversation with the folder's chat template as the trial chat does. The answer streams to stdout.

  --model <folder>        the model folder
  --prompt <text>         one user message
  --messages <json>       a conversation: a JSON array of {"role","content"} (roles system, user, assistant), or a file holding one
  --max-tokens N          most tokens to generate (default 256)
  --temperature T         0 is greedy (default: generation_config.json's when it samples, else 0)
  --top-p P               nucleus sampling (default: generation_config.json's when sampling)
  --top-k K               sample among the K most likely tokens (default: generation_config.json's when sampling)
  --repetition-penalty R  transformers' repetition penalty (default: generation_config.json's, else none)
  --stop <text>           stop before this text (repeatable); it is not part of the answer
  --seed S                seed of the sampling, for the same answer again
  --variant <v>           which graph: default, fp16 (model_fp16.onnx) or quantized (model_quantized.onnx)
  --json                  print {"text","tokens","promptTokens","timeToFirstTokenMs","tokensPerSecond","finishReason"} at the end
  --locale en|zh-cn       language of the messages (default: from LANG)

Exit status: 0 answered, 1 the model folder cannot be used, 2 wrong usage.
`;

interface GenerateArgs {
  model: string;
  prompt?: string;
  messages?: string;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  repetitionPenalty?: number;
  stop: string[];
  seed?: number;
  variant: GraphVariant;
  json: boolean;
  locale: Locale;
}

export async function generateCommand(args: string[], io: CliIo, seams: { workerScript?: string } = {}): Promise<number> {
  const parsed = argsOrExit('generate', args, io, HELP, parseGenerateArgs);
  if (typeof parsed === 'number') return parsed;
  const { locale } = parsed;
  const say = (key: OnnxMessageKey, params: Record<string, string | number> = {}) => onnxMessage(locale, key, params);
  const messages = await readMessages(parsed, io.cwd, locale);
  if (typeof messages === 'string') {
    io.stderr(`finetune-studio generate: ${say('cli.badMessages', { problem: messages })}\n\n${HELP}`);
    return 2;
  }

  const { createOnnxEngine, defaultTemperature, OnnxModelError } = await import('../../inference/onnx');
  let engine: Awaited<ReturnType<typeof createOnnxEngine>>;
  try {
    engine = await createOnnxEngine(parsed.model, { cwd: io.cwd, variant: parsed.variant, workerScript: seams.workerScript });
  } catch (err) {
    if (err instanceof OnnxModelError) {
      io.stderr(`finetune-studio generate: ${err.localized(locale)}\n`);
      return 1;
    }
    throw err;
  }
  try {
    const temperature = parsed.temperature ?? defaultTemperature(engine.model.generation);
    const params: GenerateParams = {
      maxTokens: parsed.maxTokens,
      temperature,
      ...(parsed.topP !== undefined ? { topP: parsed.topP } : {}),
      ...(parsed.topK !== undefined ? { topK: parsed.topK } : {}),
      ...(parsed.repetitionPenalty !== undefined ? { repetitionPenalty: parsed.repetitionPenalty } : {}),
      ...(parsed.stop.length > 0 ? { stop: parsed.stop } : {}),
      ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    };
    let result;
    try {
      result = await engine.generate(messages, params, parsed.json ? () => undefined : (piece) => io.stdout(piece));
    } catch (err) {
      if (err instanceof OnnxModelError) {
        io.stderr(`finetune-studio generate: ${err.localized(locale)}\n`);
        return 1;
      }
      throw err;
    }
    if (parsed.json) {
      const { text, tokens, promptTokens, timeToFirstTokenMs, tokensPerSecond, finishReason } = result;
      io.stdout(JSON.stringify({ text, tokens: tokens ?? [], promptTokens, timeToFirstTokenMs: round(timeToFirstTokenMs), tokensPerSecond: round(tokensPerSecond), finishReason }) + '\n');
    } else {
      io.stdout('\n');
      io.stderr(say('cli.summary', {
        tokens: result.tokens?.length ?? 0, promptTokens: result.promptTokens ?? 0, ttft: Math.round(result.timeToFirstTokenMs),
        rate: result.tokensPerSecond.toFixed(1), reason: result.finishReason,
      }) + '\n');
    }
    return 0;
  } finally {
    await engine.dispose();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

function parseGenerateArgs(args: string[], defaultLocale: Locale): GenerateArgs | string {
  let locale = localeAnywhere(args, defaultLocale);
  const say = (key: OnnxMessageKey, params: Record<string, string | number> = {}) => onnxMessage(locale, key, params);
  const zh = () => locale === 'zh-cn';
  const out: Partial<GenerateArgs> & { stop: string[] } = { stop: [], maxTokens: 256, variant: 'default', json: false };
  const number = (flag: string, what: { en: string; zh: string }, ok: (n: number) => boolean, set: (n: number) => void) => (v: string | undefined) => {
    const n = v === undefined || v.trim() === '' ? NaN : Number(v);
    if (!ok(n)) return say('cli.badNumber', { flag, what: zh() ? what.zh : what.en, value: v ?? usageMessage(locale, 'nothing') });
    set(n);
    return undefined;
  };
  const text = (set: (v: string) => void) => (v: string | undefined) => {
    // missingValue below answers for a missing value.
    if (v !== undefined) set(v);
    return undefined;
  };
  const parsed = parseArgs(args, {
    booleans: { '--json': () => { out.json = true; } },
    values: {
      '--model': text((v) => { out.model = v; }),
      '--prompt': text((v) => { out.prompt = v; }),
      '--messages': text((v) => { out.messages = v; }),
      '--stop': text((v) => { out.stop.push(v); }),
      '--max-tokens': number('--max-tokens', { en: 'a whole number from 1', zh: '不小于 1 的整数' }, (n) => Number.isInteger(n) && n >= 1, (n) => { out.maxTokens = n; }),
      '--temperature': number('--temperature', { en: 'a number from 0', zh: '不小于 0 的数' }, (n) => Number.isFinite(n) && n >= 0, (n) => { out.temperature = n; }),
      '--top-p': number('--top-p', { en: 'a number above 0 and at most 1', zh: '大于 0 且不超过 1 的数' }, (n) => n > 0 && n <= 1, (n) => { out.topP = n; }),
      '--top-k': number('--top-k', { en: 'a whole number from 1', zh: '不小于 1 的整数' }, (n) => Number.isInteger(n) && n >= 1, (n) => { out.topK = n; }),
      '--repetition-penalty': number('--repetition-penalty', { en: 'a number above 0', zh: '大于 0 的数' }, (n) => Number.isFinite(n) && n > 0, (n) => { out.repetitionPenalty = n; }),
      '--seed': number('--seed', { en: 'a whole number from 0', zh: '不小于 0 的整数' }, (n) => Number.isSafeInteger(n) && n >= 0, (n) => { out.seed = n; }),
      '--variant': variantOption(() => locale, (v) => { out.variant = v; }),
      '--locale': localeOption((v) => { locale = v; }, locale),
    },
    missingValue: (flag) => missingValueText(locale, flag),
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
  });
  if ('error' in parsed) return parsed.error;
  if (parsed.files.length > 0) return say('cli.extraArgument', { arg: parsed.files[0]! });
  if (out.model === undefined) return say('cli.noModel');
  if (out.prompt !== undefined && out.messages !== undefined) return say('cli.bothPrompts');
  if (out.prompt === undefined && out.messages === undefined) return say('cli.noPrompt');
  return { ...out, locale } as GenerateArgs;
}

/** --prompt as one user message, or --messages (inline JSON, or a file holding it), checked. A string is the problem. */
async function readMessages(args: GenerateArgs, cwd: string, locale: Locale): Promise<ChatMessage[] | string> {
  if (args.prompt !== undefined) return [{ role: 'user', content: args.prompt }];
  const source = args.messages!;
  let text = source;
  if (!source.trimStart().startsWith('[')) {
    try {
      text = await fs.readFile(path.resolve(cwd, source), 'utf8');
    } catch (err) {
      return `${source}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `${err instanceof Error ? err.message : String(err)}`;
  }
  const roles = ['system', 'user', 'assistant'];
  const valid = Array.isArray(value) && value.length > 0 && value.every((m) =>
    typeof m === 'object' && m !== null && roles.includes((m as { role?: unknown }).role as string) && typeof (m as { content?: unknown }).content === 'string');
  if (!valid) return onnxMessage(locale, 'cli.messagesShape');
  return (value as ChatMessage[]).map(({ role, content }) => ({ role, content }));
}
