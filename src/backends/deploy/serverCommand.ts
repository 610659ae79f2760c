// The argv that starts a model server on a backend (run detached by launchDetached or by a Slurm batch script, quoted
// by shellQuote like every remote command): vLLM's OpenAI server, or the trainer's own `serve`. Both listen on
// 127.0.0.1 (a Slurm job: its node's name, for the login node to reach) and read their
// bearer token from a file in the deployment's folder: a token in argv (or in the launch script, which travels in
// the remote shell's argv) would be readable by every user of the machine through /proc.
import { withPythonPath } from '../remote/remoteRuns';
import type { ServerKind } from '../../core/models/deployCheck';

export interface ServeSpec {
  server: ServerKind;
  python: string;
  /** The base (or merged) model folder on the backend, or a hub id. */
  model: string;
  /** A PEFT adapter folder on the backend, served on top of `model`. */
  adapter?: string;
  /** The name clients send as `model` (for vLLM with an adapter: the LoRA module's name). */
  servedModel: string;
  /** A number, or a plain shell word a batch script replaces (slurmServe.ts). */
  port: number | string;
  /** Where it listens: 127.0.0.1 unless a Slurm node's name must be reachable from the login node. */
  host?: string;
  /** A file on the backend whose first line is the token (written 0600 before the launch). */
  tokenFile: string;
  /** vLLM: --max-lora-rank, when the adapter's rank is above vLLM's default. */
  maxLoraRank?: number;
  /** The trainer: the uploaded package's folder and the arguments after python that run its CLI. */
  trainer?: { dir: string; entryArgs: string[] };
}

/** A served model name: letters, digits, ".", "_" and "-" (vLLM's `name=path` and URLs need no more). */
export function servedModelName(label: string): string {
  return label.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 64) || 'model';
}

// Reads the token file into the variable vLLM takes its key from, then execs the server: the token never appears
// in any argv.
const WITH_VLLM_KEY = 'VLLM_API_KEY=$(head -n 1 "$1") || exit 1; export VLLM_API_KEY; shift; exec "$@"';

export function serverArgv(spec: ServeSpec): string[] {
  const port = String(spec.port);
  const host = spec.host ?? '127.0.0.1';
  if (spec.server === 'trainer') {
    if (!spec.trainer) throw new Error('serverArgv: the trainer server needs the uploaded trainer');
    return withPythonPath(spec.trainer.dir, [
      spec.python, ...spec.trainer.entryArgs, 'serve', '--model', spec.model, ...(spec.adapter ? ['--adapter', spec.adapter] : []),
      ...(host !== '127.0.0.1' ? ['--host', host] : []), '--port', port, '--token-file', spec.tokenFile, '--served-model-name', spec.servedModel,
    ]);
  }
  const lora = spec.adapter
    ? ['--enable-lora', '--lora-modules', `${spec.servedModel}=${spec.adapter}`, ...(spec.maxLoraRank ? ['--max-lora-rank', String(spec.maxLoraRank)] : [])]
    : ['--served-model-name', spec.servedModel];
  return ['sh', '-c', WITH_VLLM_KEY, 'sh', spec.tokenFile, spec.python, '-m', 'vllm.entrypoints.openai.api_server',
    '--model', spec.model, '--host', host, '--port', port, ...lora];
}

/** Writes the token to `file` readable by the owner only, through stdin (never argv). */
export function tokenWriteArgv(file: string): string[] {
  return ['sh', '-c', 'umask 077 && cat > "$1.tmp" && mv -f "$1.tmp" "$1"', 'sh', file];
}
