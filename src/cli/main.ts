// The `finetune-studio` command: the core features in a terminal or a CI pipeline.
// Each sub-command is a function (args, io) → exit status, loaded only when it is run.
import { localeFromEnv, type CliIo } from './io';
import { INTERNAL_ERROR, internalErrorLine } from './internalError';
import { usageMessage } from './usageMessages';
import { version } from '../../package.json';

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  lint: {
    summary: 'lint <file...> [--eval <file>] [--tokenizer <model folder> [--max-tokens N]] [--json] [--locale en|zh-cn]   check datasets',
    load: async () => (await import('./commands/lint')).lintCommand,
  },
  stats: {
    summary: 'stats <file> --tokenizer <model folder> [--json] [--locale en|zh-cn]             token-length statistics',
    load: async () => (await import('./commands/stats')).statsCommand,
  },
  diagnose: {
    summary: 'diagnose <trainer_state.json | trainer_log.jsonl | events.jsonl> [--json] [--locale en|zh-cn]   convergence verdict of a run',
    load: async () => (await import('./commands/diagnose')).diagnoseCommand,
  },
  metrics: {
    summary: 'metrics <generated_predictions.jsonl> [--json] [--segmentation jieba|whitespace|character] [--locale en|zh-cn]   BLEU-4 and ROUGE as LLaMA-Factory computes them',
    load: async () => (await import('./commands/metrics')).metricsCommand,
  },
  generate: {
    summary: 'generate --model <ONNX model folder> (--prompt <text> | --messages <json>) [--max-tokens N] [--temperature T] [--top-p P] [--seed S] [--json]   answer with a local model',
    load: async () => (await import('./commands/generate')).generateCommand,
  },
  serve: { summary: 'serve --model <ONNX model folder> [--port N] [--token-file F]   an OpenAI-compatible server on 127.0.0.1', load: async () => (await import('./commands/serve')).serveCommand },
  job: {
    summary: 'job start <spec.ftjob.json> [--backend <name | file.json>] [--follow] | list | follow <id> | cancel <id> | logs <id> [--tail N]   training jobs on this machine, SSH hosts or Slurm',
    load: async () => (await import('./commands/job')).jobCommand,
  },
  export: {
    summary: 'export --model <folder> [--adapter <folder>] --format merged|onnx|ollama --out <dir> [--fp16] [--python <path>]   export a fine-tuned model with the trainer (ONNX checked against torch)',
    load: async () => (await import('./commands/export')).exportCommand,
  },
};

function usage(): string {
  const lines = Object.values(commands).map((c) => `  finetune-studio ${c.summary}`);
  return ['Fine-tune Studio ' + version, '', 'Usage:', ...lines, '  finetune-studio --version', ''].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(version + '\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`finetune-studio: ${usageMessage(io.locale, 'unknownCommand', { name })}\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest, io);
}

if (require.main === module) {
  // `finetune-studio lint ... | head` closes stdout early: stop quietly, as other command-line tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    locale: localeFromEnv(process.env),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      io.stderr(internalErrorLine(err));
      process.exitCode = INTERNAL_ERROR;
    },
  );
}
