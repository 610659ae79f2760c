// The deploy check, before a server starts (pure: the facts come from the backend's probe, the adapter's
// adapter_config.json and the job record): which server can serve the model, the adapter's LoRA rank against
// vLLM's limit (then --max-lora-rank is set), adapters that also train lm_head/embeddings (modules_to_save: vLLM
// would drop them, so the merged model must be deployed), a chat template other than the one trained with, and a
// model too large for the GPU. Each finding is a sentence in the user's language.
import type { Locale } from '../dataset/types';
import { deployMessage, type DeployMessageKey } from './deployMessages';

/** vLLM's default --max-lora-rank. */
export const VLLM_DEFAULT_MAX_LORA_RANK = 16;
/** What the weights take on the GPU beyond their size (activations, the CUDA context, a little KV cache). */
export const GPU_HEADROOM = 1.2;

export type ServerKind = 'vllm' | 'trainer';

/** What adapter_config.json says about an adapter (the fields the check needs). */
export interface AdapterFacts {
  peftType?: string;
  rank?: number;
  modulesToSave?: string[];
}

/** What the backend's probe found there. */
export interface BackendFacts {
  /** vLLM's version when `vllm` is importable by the backend's python, else null. */
  vllm: string | null;
  /** The GPUs (nvidia-smi), [] for none; undefined when nvidia-smi did not answer (or, on Slurm, before the job runs). */
  gpus?: { name: string; memoryMiB: number }[];
  /** A Slurm cluster: the node is picked when the job starts, so its GPUs are unknown here. */
  slurm?: boolean;
  /** Bytes of weight files (*.safetensors, *.bin) of the folders served; undefined when none were found. */
  weightsBytes?: number;
  /** sha256 of the served tokenizer's chat template; null when it has none; undefined when unreadable. */
  templateSha256?: string | null;
}

export interface DeployFacts {
  backend: BackendFacts;
  /** The adapter served on top of the base (absent when a merged or base model is served). */
  adapter?: AdapterFacts;
  /** sha256 of the chat template the job trained with (its chat_template_sha256 artifact), when recorded. */
  trainedTemplateSha256?: string;
}

export type Severity = 'info' | 'warning' | 'blocker';

export interface DeployFinding {
  code: DeployMessageKey;
  severity: Severity;
  message: string;
}

export interface DeployPlan {
  server: ServerKind;
  /** Set when the adapter's rank is above vLLM's default. */
  maxLoraRank?: number;
  findings: DeployFinding[];
  /** True when a finding is a blocker: the deploy must not start as planned. */
  blocked: boolean;
}

const PROMPT_METHODS: Record<string, string> = { PROMPT_TUNING: 'Prompt-Tuning', P_TUNING: 'P-Tuning', PREFIX_TUNING: 'Prefix-Tuning' };
const BIG_MODULES = /lm_head|embed|wte|wpe|output/i;

/** adapter_config.json's fields as the check reads them; anything malformed is left out. */
export function adapterFacts(config: unknown): AdapterFacts {
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const facts: AdapterFacts = {};
  if (typeof c['peft_type'] === 'string') facts.peftType = c['peft_type'];
  if (typeof c['r'] === 'number' && Number.isInteger(c['r']) && c['r'] > 0) facts.rank = c['r'];
  const modules = c['modules_to_save'];
  if (Array.isArray(modules)) facts.modulesToSave = modules.filter((m): m is string => typeof m === 'string');
  return facts;
}

/** The plan for serving: vLLM where it can (installed, a GPU, no prompt method), else the trainer's serve; and the findings. */
export function deployCheck(facts: DeployFacts, locale: Locale): DeployPlan {
  const findings: DeployFinding[] = [];
  const say = (code: DeployMessageKey, severity: Severity, params: Record<string, string | number> = {}) =>
    findings.push({ code, severity, message: deployMessage(locale, code, params) });
  const { backend, adapter } = facts;
  const promptMethod = adapter?.peftType ? PROMPT_METHODS[adapter.peftType] : undefined;
  const hasGpu = (backend.gpus?.length ?? 0) > 0;
  let server: ServerKind = 'trainer';
  if (backend.vllm) {
    if (promptMethod) say('check.promptMethod', 'info', { method: promptMethod });
    else if (backend.gpus !== undefined && !hasGpu) say('check.noGpuVllm', 'info');
    else server = 'vllm';
  }
  let maxLoraRank: number | undefined;
  if (server === 'vllm' && adapter) {
    if (adapter.rank !== undefined && adapter.rank > VLLM_DEFAULT_MAX_LORA_RANK) {
      maxLoraRank = adapter.rank;
      say('check.loraRank', 'info', { rank: adapter.rank, limit: VLLM_DEFAULT_MAX_LORA_RANK });
    }
    const big = (adapter.modulesToSave ?? []).filter((m) => BIG_MODULES.test(m));
    if (big.length) say('check.modulesToSave', 'blocker', { modules: big.join(', ') });
  }
  templateFindings(facts, say, locale);
  memoryFindings(backend, server, say, locale);
  return { server, ...(maxLoraRank ? { maxLoraRank } : {}), findings, blocked: findings.some((f) => f.severity === 'blocker') };
}

type Say = (code: DeployMessageKey, severity: Severity, params?: Record<string, string | number>) => void;

function templateFindings(facts: DeployFacts, say: Say, locale: Locale): void {
  const served = facts.backend.templateSha256;
  if (served === null) return say('check.noTemplate', 'blocker');
  if (!facts.trainedTemplateSha256) return say('check.templateUnknown', 'info', { why: deployMessage(locale, 'why.noTrainedHash') });
  if (served === undefined) return say('check.templateUnknown', 'info', { why: deployMessage(locale, 'why.noServedHash') });
  if (served !== facts.trainedTemplateSha256) {
    say('check.templateDiffers', 'warning', { served: served.slice(0, 12), trained: facts.trainedTemplateSha256.slice(0, 12) });
  }
}

function memoryFindings(backend: BackendFacts, server: ServerKind, say: Say, locale: Locale): void {
  const weights = backend.weightsBytes;
  if (backend.gpus !== undefined && backend.gpus.length === 0) {
    if (server === 'trainer' && !backend.vllm) say('check.cpuOnly', 'warning', { weights: weights !== undefined ? bytesText(weights) : '?' });
    return;
  }
  if (weights === undefined) return say('check.memoryUnknown', 'info', { why: deployMessage(locale, 'why.noWeights') });
  if (backend.gpus === undefined) return say('check.memoryUnknown', 'info', { why: deployMessage(locale, backend.slurm ? 'why.slurmNode' : 'why.noGpuList') });
  const largest = backend.gpus.reduce((a, b) => (b.memoryMiB > a.memoryMiB ? b : a));
  const memory = largest.memoryMiB * 1024 * 1024;
  const needed = weights * GPU_HEADROOM;
  const params = { weights: bytesText(weights), needed: bytesText(needed), gpu: largest.name, memory: bytesText(memory) };
  if (needed > memory) say('check.tooLarge', 'warning', params);
  else say('check.fits', 'info', params);
}

/** A byte count as GiB or MiB with one decimal (the same in both languages). */
export function bytesText(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
