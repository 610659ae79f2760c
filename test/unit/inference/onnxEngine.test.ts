// OnnxEngine (src/inference/onnx/onnxEngine.ts): the model in a worker thread, answers streamed back, AbortSignal
// cancelling at once, problems coming back as OnnxModelError in the user's language; and `finetune-studio generate`
// end to end on a tiny model folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createOnnxEngine, OnnxModelError, type OnnxEngine } from '../../../src/inference/onnx';
import { LocalModel } from '../../../src/inference/onnx/localModel';
import { generateCommand } from '../../../src/cli/commands/generate';
import type { CliIo } from '../../../src/cli/io';
import { writeTinyModelFolder } from './tinyModel';
import { generateWorkerScript, HELLO, tempRoot } from './helpers';

const root = tempRoot('onnx-engine');
const dir = writeTinyModelFolder(path.join(root, 'tiny'), { layers: 2 });
let engine: OnnxEngine;

describe('OnnxEngine (worker thread)', () => {
  before(async () => {
    engine = await createOnnxEngine('tiny', { cwd: root, workerScript: generateWorkerScript() });
  });
  after(() => engine.dispose());

  it('loads once, renders the prompt and streams the same answer as generating in-process', async () => {
    assert.equal(engine.label, 'tiny');
    assert.equal(engine.model.cached, true);
    const prompt = await engine.render(HELLO);
    assert.match(prompt.text, /^<\|im_start\|>user\nTell me a story about a dragon\.<\|im_end\|>\n<\|im_start\|>assistant\n$/);
    const pieces: string[] = [];
    const result = await engine.generate(HELLO, { maxTokens: 30, temperature: 0 }, (p) => pieces.push(p));
    assert.equal(pieces.join(''), result.text);
    assert.equal(result.tokens!.length, 30);
    assert.equal(result.promptTokens, prompt.tokens);
    const local = await LocalModel.load(dir, root);
    try {
      assert.deepEqual(result.tokens, (await local.generate(HELLO, { maxTokens: 30, temperature: 0 }, () => undefined)).tokens);
    } finally {
      await local.dispose();
    }
  });

  it('an AbortSignal ends the generation at once with what has arrived, and the worker goes on serving', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const result = await engine.generate(HELLO, { maxTokens: 100_000, temperature: 0 }, (p) => {
      pieces.push(p);
      if (pieces.length === 3) controller.abort();
    }, controller.signal);
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.text, pieces.slice(0, 3).join(''));
    const next = await engine.generate(HELLO, { maxTokens: 5, temperature: 0 }, () => undefined);
    assert.equal(next.tokens!.length, 5);
  });

  it('disposing the engine ends a generation in progress as cancelled', async () => {
    const other = await createOnnxEngine('tiny', { cwd: root, workerScript: generateWorkerScript() });
    let disposed: Promise<void> | undefined;
    const result = await other.generate(HELLO, { maxTokens: 100_000, temperature: 0 }, () => { disposed ??= other.dispose(); });
    await disposed;
    assert.equal(result.finishReason, 'cancelled');
    await assert.rejects(other.generate(HELLO, { maxTokens: 5, temperature: 0 }, () => undefined), /The generation worker stopped: disposed/);
  });

  it('a folder it cannot run rejects with an OnnxModelError that says what and where, in Chinese too', async () => {
    const broken = writeTinyModelFolder(path.join(root, 'wrongHeads'), { heads: 2 }, { config: { num_key_value_heads: 3 } });
    const err = await createOnnxEngine(broken, { workerScript: generateWorkerScript() }).then(() => assert.fail('loaded'), (e: unknown) => e);
    assert.ok(err instanceof OnnxModelError);
    assert.match(err.message, /past_key_values\.0\.key" of .*wrongHeads.model\.onnx has shape \[batch, 2, past, 8\], but .*config\.json says 3 key\/value heads/);
    assert.match(err.localized('zh-cn'), /计算图与 config\.json 不匹配/);
  });
});

function io(): CliIo & { out: string; err: string } {
  const result = { out: '', err: '', locale: 'en' as const, cwd: root, stdout: (s: string) => { result.out += s; }, stderr: (s: string) => { result.err += s; } };
  return result;
}

describe('finetune-studio generate', () => {
  it('--json prints the answer, its token ids and the timings', async () => {
    const cli = io();
    const code = await generateCommand(['--model', 'tiny', '--prompt', HELLO[0]!.content, '--max-tokens', '12', '--json'], cli, { workerScript: generateWorkerScript() });
    assert.equal(code, 0, cli.err);
    const out = JSON.parse(cli.out) as { text: string; tokens: number[]; promptTokens: number; timeToFirstTokenMs: number; tokensPerSecond: number };
    assert.equal(out.tokens.length, 12);
    assert.equal(typeof out.text, 'string');
    assert.ok(out.promptTokens > 5 && out.timeToFirstTokenMs > 0 && out.tokensPerSecond > 0);
    const again = io();
    writeFileSync(path.join(root, 'chat.json'), JSON.stringify(HELLO));
    assert.equal(await generateCommand(['--model', 'tiny', '--messages', 'chat.json', '--max-tokens', '12', '--json'], again, { workerScript: generateWorkerScript() }), 0);
    assert.deepEqual((JSON.parse(again.out) as { tokens: number[] }).tokens, out.tokens);
  });

  it('streams the text to stdout with a summary on stderr', async () => {
    const cli = io();
    assert.equal(await generateCommand(['--model', 'tiny', '--messages', JSON.stringify(HELLO), '--max-tokens', '8', '--temperature', '0.7', '--seed', '3'], cli, { workerScript: generateWorkerScript() }), 0);
    assert.ok(cli.out.endsWith('\n'));
    assert.match(cli.err, /^8 tokens, prompt \d+ tokens, first token after \d+ ms, [\d.]+ tokens\/s \(length\)\n$/);
  });

  it('usage errors say what is wrong (exit 2), in Chinese too', async () => {
    const cases: [string[], RegExp][] = [
      [['--prompt', 'hi'], /which model\? Pass --model <folder>/],
      [['--model', 'tiny'], /what to say\? Pass --prompt <text> or --messages/],
      [['--model', 'tiny', '--prompt', 'a', '--messages', '[]'], /--prompt and --messages cannot be used together/],
      [['--model', 'tiny', '--prompt', 'a', '--max-tokens', '0'], /--max-tokens must be a whole number from 1, not 0/],
      [['--model', 'tiny', '--prompt', 'a', '--top-p', '1.5'], /--top-p must be a number above 0 and at most 1, not 1\.5/],
      [['--model', 'tiny', '--prompt', 'a', '--temperature'], /--temperature must be given a value, not nothing/],
      [['--model', 'tiny', '--prompt', 'a', '--frobnicate'], /unknown option --frobnicate/],
      [['--model', 'tiny', 'hello', 'world'], /unexpected argument hello/],
      [['--model', 'tiny', '--messages', '[{"role":"robot","content":"x"}]'], /--messages: a JSON array of \{"role", "content"\}/],
      [['--model', 'tiny', '--messages', '[{"role":'], /--messages: .*JSON/],
    ];
    for (const [args, expected] of cases) {
      const cli = io();
      assert.equal(await generateCommand(args, cli), 2, args.join(' '));
      assert.match(cli.err, expected, args.join(' '));
      assert.match(cli.err, /Usage: finetune-studio generate/);
    }
    const zh = io();
    assert.equal(await generateCommand(['--model', 'tiny', '--prompt', 'a', '--max-tokens', 'many', '--locale', 'zh-cn'], zh), 2);
    assert.match(zh.err, /--max-tokens 应为不小于 1 的整数，而不是 many/);
  });

  it('a model folder it cannot use: the message, exit 1, no stack trace', async () => {
    const cli = io();
    assert.equal(await generateCommand(['--model', 'nowhere', '--prompt', 'hi'], cli, { workerScript: generateWorkerScript() }), 1);
    assert.match(cli.err, /^finetune-studio generate: Model folder not found: .*nowhere/);
    assert.doesNotMatch(cli.err, /\n\s+at /);
    const zh = { ...io(), locale: 'zh-cn' as const };
    let err = '';
    zh.stderr = (s) => { err += s; };
    assert.equal(await generateCommand(['--model', 'nowhere', '--prompt', 'hi'], zh, { workerScript: generateWorkerScript() }), 1);
    assert.match(err, /找不到模型文件夹/);
  });
});
