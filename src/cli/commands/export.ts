// `finetune-studio export --model <folder> [--adapter <folder>] --format merged|onnx|ollama --out <dir>`: the
// trainer's `export` run here, with a config this writes into --out (export-config.json); its events are read from
// its stdout, its other output goes to export.log. ONNX exports are checked by the trainer before they are kept.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { CliIo } from '../io';
import { argsOrExit, localeAnywhere, localeOption, parseArgs } from '../args';
import type { Locale } from '../../core/dataset/types';
import { exportMessage, type ExportMessageKey } from '../exportMessages';
import { usageMessage } from '../usageMessages';
import type { ExportFormat, TrainConfig } from '../../shared/trainerConfig';
import { parseEventLine, type TrainerEvent } from '../../shared/trainerEvents';
import { trainerArgs } from '../../backends/local/launcher';
import { defaultTrainerDir, localPython } from '../job/state';

const HELP = `Usage: finetune-studio export --model <folder> [--adapter <folder>] --format merged|onnx|ollama --out <dir> [options]

Exports a fine-tuned model with the trainer (Python with torch, transformers and peft; onnx, onnxscript and
onnxruntime for --format onnx), on this machine:
  merged  the LoRA adapter merged into the base model: safetensors with the tokenizer and chat template (<out>/merged)
  onnx    the merged model with its key/value cache for the trial chat and \`finetune-studio generate\`, checked
          against torch before it is kept (<out>/onnx, the figures in export_check.json)
  ollama  a Modelfile for \`ollama create\` pointing at the weights (<out>/ollama)

  --model <folder>    the base model folder, or the full fine-tuned model when there is no --adapter
  --adapter <folder>  a LoRA adapter folder (adapter_config.json) trained on --model
  --format <f>        merged, onnx or ollama
  --out <dir>         where the export goes (created if missing)
  --fp16              fp16 weights for --format onnx (half the size, checked with a looser tolerance)
  --python <path>     the Python to run (default: $FINETUNE_TRAINER_PYTHON, else python3)
  --locale en|zh-cn   language of the messages (default: from LANG)

Exit status: 0 exported, 1 the export failed or was refused, 2 wrong usage.
`;

const FORMATS: readonly ExportFormat[] = ['merged', 'onnx', 'ollama'];

interface ExportArgs {
  model: string;
  adapter?: string;
  format: ExportFormat;
  out: string;
  fp16: boolean;
  python?: string;
  locale: Locale;
}

function parseExportArgs(args: string[], defaultLocale: Locale): ExportArgs | string {
  const locale = localeAnywhere(args, defaultLocale);
  const say = (key: ExportMessageKey, params: Record<string, string> = {}) => exportMessage(locale, key, params);
  const out: Partial<ExportArgs> = { fp16: false };
  const text = (set: (v: string) => void) => (v: string | undefined) => {
    if (v !== undefined) set(v);
    return undefined;
  };
  const parsed = parseArgs(args, {
    booleans: { '--fp16': () => { out.fp16 = true; } },
    values: {
      '--model': text((v) => { out.model = v; }),
      '--adapter': text((v) => { out.adapter = v; }),
      '--out': text((v) => { out.out = v; }),
      '--python': text((v) => { out.python = v; }),
      '--format': (v) => {
        const found = FORMATS.find((f) => f === v);
        if (!found) return say('badFormat', { value: v || usageMessage(locale, 'nothing') });
        out.format = found;
        return undefined;
      },
      '--locale': localeOption((l) => { out.locale = l; }, locale),
    },
    missingValue: (flag) => usageMessage(locale, 'jobNeedsValue', { flag }),
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
  });
  if ('error' in parsed) return parsed.error;
  if (parsed.files.length > 0) return usageMessage(locale, 'unknownOption', { arg: parsed.files[0]! });
  if (!out.model) return say('noModel');
  if (!out.format) return say('noFormat');
  if (!out.out) return say('noOut');
  if (out.fp16 && out.format !== 'onnx') return say('fp16OnlyOnnx');
  return { ...out, locale: out.locale ?? locale } as ExportArgs;
}

/** The trainer's config: only what export reads (the trainer fills in the rest with its defaults). */
export function exportConfig(a: { model: string; adapter?: string; format: ExportFormat; fp16: boolean; out: string }): Partial<TrainConfig> {
  return {
    model_name_or_path: a.model,
    method: a.adapter ? 'lora' : 'full',
    train_file: 'unused-by-export.jsonl',
    output_dir: a.out,
    events_file: path.join(a.out, 'export-events.jsonl'),
    export_format: a.format,
    export_dtype: a.fp16 ? 'fp16' : 'fp32',
    resume_from_checkpoint: a.adapter ?? a.model, // where the trained model is read from
  };
}

export async function exportCommand(args: string[], io: CliIo, seams: { trainerDir?: string } = {}): Promise<number> {
  const parsed = argsOrExit('export', args, io, HELP, parseExportArgs);
  if (typeof parsed === 'number') return parsed;
  const say = (key: ExportMessageKey, params: Record<string, string | number> = {}) => exportMessage(parsed.locale, key, params);
  const usageError = (text: string) => {
    io.stderr(`finetune-studio export: ${text}\n\n${HELP}`);
    return 2;
  };
  const model = path.resolve(io.cwd, parsed.model);
  const adapter = parsed.adapter === undefined ? undefined : path.resolve(io.cwd, parsed.adapter);
  if (!existsSync(path.join(model, 'config.json'))) return usageError(say('notModel', { path: model }));
  if (adapter && !existsSync(path.join(adapter, 'adapter_config.json'))) return usageError(say('notAdapter', { path: adapter }));
  const out = path.resolve(io.cwd, parsed.out);
  await fs.mkdir(out, { recursive: true });
  const configFile = path.join(out, 'export-config.json');
  await fs.writeFile(configFile, JSON.stringify(exportConfig({ ...parsed, model, ...(adapter ? { adapter } : {}), out }), null, 2));
  const log = path.join(out, 'export.log');
  const python = localPython(parsed.python);
  const trainerDir = seams.trainerDir ?? defaultTrainerDir();
  io.stderr(`${say('running', { python, log })}\n`);

  const result = await runTrainer(python, trainerDir, configFile, log);
  if ('spawnError' in result) {
    io.stderr(`finetune-studio export: ${say('noPython', { python, reason: result.spawnError })}\n`);
    return 1;
  }
  const { done, error, code } = result;
  if (done) {
    io.stdout(`${say('saved', { folder: done.artifacts['model'] ?? out })}\n`);
    const m = done.metrics ?? {};
    if (m['max_abs_logits_diff'] !== undefined) {
      io.stdout(`${say('check', { diff: m['max_abs_logits_diff'].toPrecision(3), tolerance: String(m['tolerance']), equal: String(m['tokens_equal']),
        prompts: String(m['prompts']), steps: String(m['steps']) })}\n`);
    }
    if (done.artifacts['command']) io.stdout(`${say('ollama', { command: done.artifacts['command'] })}\n`);
    if (done.artifacts['template'] === 'unknown') io.stdout(`${say('unknownFamily')}\n`);
    return 0;
  }
  if (error) {
    io.stderr(`finetune-studio export: ${say('failed', { message: error.message })}${error.fix ? `\n${error.fix}` : ''}\n`);
    return 1;
  }
  io.stderr(`finetune-studio export: ${say('exited', { code: String(code ?? '?'), log })}\n`);
  return 1;
}

type DoneEvent = Extract<TrainerEvent, { type: 'done' }>;
type ErrorEvent = Extract<TrainerEvent, { type: 'error' }>;

/** Runs `python -m finetune_trainer export`; its events come from stdout, everything else goes to `log`. */
function runTrainer(python: string, trainerDir: string, configFile: string, log: string): Promise<{ spawnError: string } | { done?: DoneEvent; error?: ErrorEvent; code: number | null }> {
  return new Promise((resolve) => {
    const logStream = createWriteStream(log);
    const { argv, env } = trainerArgs({ python, trainerDir }, 'export', configFile, 'auto');
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let done: DoneEvent | undefined;
    let error: ErrorEvent | undefined;
    child.stderr.pipe(logStream, { end: false });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      logStream.write(`${line}\n`);
      const parsed = parseEventLine(line); // anything else (a library's print) stays in the log only
      if (!parsed || !('event' in parsed)) return;
      if (parsed.event.type === 'done' && parsed.event.status === 'succeeded') done = parsed.event;
      if (parsed.event.type === 'error') error = parsed.event;
    });
    child.once('error', (err) => {
      logStream.end();
      resolve({ spawnError: err.message });
    });
    child.once('close', (code) => {
      logStream.end(() => resolve({ ...(done ? { done } : {}), ...(error ? { error } : {}), code }));
    });
  });
}
