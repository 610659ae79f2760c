// `finetune-studio serve --model <dir> [--port N] [--token-file F]`: a local ONNX model folder behind an
// OpenAI-compatible server on 127.0.0.1 (src/inference/server), until SIGINT or SIGTERM. The bearer token comes from
// --token-file (created 0600 with a fresh token when missing) or is generated and printed once.
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../io';
import { argsOrExit, localeAnywhere, localeOption, parseArgs } from '../args';
import { usageMessage } from '../usageMessages';
import type { Locale } from '../../core/dataset/types';
import { onnxMessage, type OnnxMessageKey } from '../../inference/onnx/messages';
import type { GraphVariant } from '../../inference/onnx/modelFolder';
import { missingValueText, variantOption } from '../onnxOptions';
import { newToken, serverMessage, type ServerMessageKey } from '../../inference/server';

const HELP = `Usage: finetune-studio serve --model <folder> [--port N] [--token-file F] [options]

Serves a local ONNX model folder (as \`finetune-studio generate\` reads it) through an OpenAI-compatible API on
127.0.0.1 only: POST /v1/chat/completions (streaming or not) and GET /v1/models. Every request needs the header
"Authorization: Bearer <token>". Requests are answered one at a time, in arrival order. Stops on Ctrl+C (SIGINT) or SIGTERM.

  --model <folder>        the model folder
  --port N                the port (default 0: any free port; the URL printed says which)
  --token-file F          read the token from F; when F is missing, a new token is written to it (mode 0600).
                          Without it a token is generated and printed once.
  --max-queue N           requests that may wait their turn (default 32); more get HTTP 429
  --max-tokens N          default max_tokens of a request that gives none (default 512)
  --variant <v>           which graph: default, fp16 (model_fp16.onnx) or quantized (model_quantized.onnx)
  --locale en|zh-cn       language of the messages (default: from LANG)

Exit status: 0 stopped, 1 the model folder, port or token file cannot be used, 2 wrong usage.
`;

/** The shortest token accepted from a file: shorter ones are guessable. */
const MIN_TOKEN_LENGTH = 16;

interface ServeArgs {
  model: string;
  port: number;
  tokenFile?: string;
  maxQueue: number;
  maxTokens: number;
  variant: GraphVariant;
  locale: Locale;
}

export interface ServeSeams {
  workerScript?: string;
  /** Resolves when the server should stop (default: the first SIGINT or SIGTERM). */
  stopSignal?: Promise<unknown>;
}

export async function serveCommand(args: string[], io: CliIo, seams: ServeSeams = {}): Promise<number> {
  const parsed = argsOrExit('serve', args, io, HELP, parseServeArgs);
  if (typeof parsed === 'number') return parsed;
  const { locale } = parsed;
  const say = (key: ServerMessageKey, params: Record<string, string | number> = {}) => serverMessage(locale, key, params);
  const fail = (text: string) => {
    io.stderr(`finetune-studio serve: ${text}\n`);
    return 1;
  };

  const token = await tokenFromFile(parsed.tokenFile, io.cwd, locale);
  if ('problem' in token) return fail(token.problem);

  const { createOnnxEngine, defaultTemperature, OnnxModelError } = await import('../../inference/onnx');
  const { startChatServer } = await import('../../inference/server');
  let engine: Awaited<ReturnType<typeof createOnnxEngine>>;
  try {
    engine = await createOnnxEngine(parsed.model, { cwd: io.cwd, variant: parsed.variant, workerScript: seams.workerScript });
  } catch (err) {
    if (err instanceof OnnxModelError) return fail(err.localized(locale));
    throw err;
  }
  try {
    let server;
    try {
      server = await startChatServer({
        engine, token: token.token, port: parsed.port, maxQueue: parsed.maxQueue, locale,
        // A request without its own sampling parameters gets the model's generation_config.json, as `generate` does.
        defaults: { maxTokens: parsed.maxTokens, temperature: defaultTemperature(engine.model.generation) },
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return fail(code === 'EADDRINUSE' ? say('cli.portInUse', { port: parsed.port }) : say('cli.listenFailed', { port: parsed.port, problem: (err as Error).message }));
    }
    io.stdout(`${say('cli.serving', { model: engine.label })}\n${server.url}\n`);
    if (token.shown === 'generated') io.stdout(`${say('cli.tokenGenerated')}\n${token.token}\n`);
    else io.stdout(say(token.shown === 'created' ? 'cli.tokenCreated' : 'cli.tokenRead', { file: token.file! }) + '\n');
    io.stdout(say('cli.stopHint') + '\n');
    await (seams.stopSignal ?? untilSignal());
    await server.stop();
    io.stdout(say('cli.stopped') + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

/** The first SIGINT or SIGTERM (and no default exit: the server stops cleanly first). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const on = () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

type TokenSource = { token: string; shown: 'generated' | 'created' | 'read'; file?: string } | { problem: string };

/** The token: read from the file, written to it (0600, never over an existing file) when missing, or generated. */
export async function tokenFromFile(file: string | undefined, cwd: string, locale: Locale): Promise<TokenSource> {
  if (file === undefined) return { token: newToken(), shown: 'generated' };
  const at = path.resolve(cwd, file);
  const problem = (err: unknown) => ({ problem: serverMessage(locale, 'cli.badTokenFile', { file: at, problem: (err as Error).message }) });
  try {
    // O_NOFOLLOW: a link planted at the token's path is not followed (the file is read, and the token kept, as itself).
    const handle = await fs.open(at, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    try {
      const token = (await handle.readFile('utf8')).trim();
      if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) return { problem: serverMessage(locale, 'cli.shortToken', { file: at, length: token.length, min: MIN_TOKEN_LENGTH }) };
      return { token, shown: 'read', file: at };
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return problem(err);
  }
  const token = newToken();
  try {
    await fs.writeFile(at, token + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    return problem(err);
  }
  return { token, shown: 'created', file: at };
}

function parseServeArgs(args: string[], defaultLocale: Locale): ServeArgs | string {
  let locale = localeAnywhere(args, defaultLocale);
  const say = (key: OnnxMessageKey, params: Record<string, string | number> = {}) => onnxMessage(locale, key, params);
  const zh = () => locale === 'zh-cn';
  const out: Partial<ServeArgs> = { port: 0, maxQueue: 32, maxTokens: 512, variant: 'default' };
  const integer = (flag: string, min: number, max: number, set: (n: number) => void) => (v: string | undefined) => {
    const n = v === undefined || v.trim() === '' ? NaN : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) return say('cli.badNumber', { flag, what: zh() ? `${min} 到 ${max} 之间的整数` : `a whole number from ${min} to ${max}`, value: v ?? usageMessage(locale, 'nothing') });
    set(n);
    return undefined;
  };
  const parsed = parseArgs(args, {
    values: {
      '--model': (v) => { if (v !== undefined) out.model = v; return undefined; },
      '--token-file': (v) => { if (v !== undefined) out.tokenFile = v; return undefined; },
      '--port': integer('--port', 0, 65535, (n) => { out.port = n; }),
      '--max-queue': integer('--max-queue', 0, 10_000, (n) => { out.maxQueue = n; }),
      '--max-tokens': integer('--max-tokens', 1, 1_000_000, (n) => { out.maxTokens = n; }),
      '--variant': variantOption(() => locale, (v) => { out.variant = v; }),
      '--locale': localeOption((v) => { locale = v; }, locale),
    },
    missingValue: (flag) => missingValueText(locale, flag),
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
  });
  if ('error' in parsed) return parsed.error;
  if (parsed.files.length > 0) return usageMessage(locale, 'unknownOption', { arg: parsed.files[0]! });
  if (out.model === undefined) return say('cli.noModel');
  return { ...out, locale } as ServeArgs;
}
