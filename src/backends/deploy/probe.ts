// What a backend's Python finds before a deploy (one short `python -c`, through the backend's setup lines, standard
// library only): whether vLLM is importable, the GPUs (nvidia-smi), a free port on 127.0.0.1, the weight files'
// size, the served tokenizer's chat template hash and the adapter's adapter_config.json. Folders travel as argv
// (quoted by shellQuote), never inside the code.
import * as z from 'zod';
import type { BackendFacts } from '../../core/models/deployCheck';
import { SETUP_FAILED, type RemoteExec } from '../remote/exec';
import { lastJsonLine, lastLines } from '../processOutput';

const PROBE = String.raw`
import hashlib, json, os, socket, subprocess, sys
from importlib import util, metadata
model, adapter = sys.argv[1], (sys.argv[2] or None)
out = {"vllm": None, "gpus": None, "port": None, "weights_bytes": None, "template_sha256": None, "template_known": False, "adapter_config": None}
if util.find_spec("vllm") is not None:
    try: out["vllm"] = metadata.version("vllm")
    except Exception: out["vllm"] = "unknown"
try:
    r = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=20)
    if r.returncode == 0:
        out["gpus"] = [{"name": n.strip(), "memory_mib": int(float(m))} for n, m in (l.rsplit(",", 1) for l in r.stdout.strip().splitlines() if "," in l)]
except Exception:
    pass
s = socket.socket(); s.bind(("127.0.0.1", 0)); out["port"] = s.getsockname()[1]; s.close()
def weights(folder):
    if not os.path.isdir(folder): return None
    names = [f for f in os.listdir(folder) if f.endswith((".safetensors", ".bin", ".pt")) and f != "training_args.bin"]
    return sum(os.path.getsize(os.path.join(folder, f)) for f in names) if names else None
sizes = [w for w in (weights(model), weights(adapter) if adapter else None) if w is not None]
out["weights_bytes"] = sum(sizes) if sizes else None
def template(folder):
    jinja = os.path.join(folder, "chat_template.jinja")
    if os.path.isfile(jinja):
        with open(jinja, encoding="utf-8") as f: return True, f.read()
    cfg = os.path.join(folder, "tokenizer_config.json")
    if not os.path.isfile(cfg): return False, None
    with open(cfg, encoding="utf-8") as f: t = json.load(f).get("chat_template")
    if isinstance(t, list):
        named = {e.get("name"): e.get("template") for e in t if isinstance(e, dict)}
        t = named.get("default") or next(iter(named.values()), None)
    return True, t if isinstance(t, str) else None
for folder in ([adapter] if adapter else []) + [model]:
    try:
        known, t = template(folder)
    except Exception:
        continue
    if known:
        out["template_known"] = True
        out["template_sha256"] = hashlib.sha256(t.encode("utf-8")).hexdigest() if t else None
        break
if adapter:
    try:
        with open(os.path.join(adapter, "adapter_config.json"), encoding="utf-8") as f: out["adapter_config"] = json.load(f)
    except Exception:
        pass
print(json.dumps(out))
`;

const ProbeOutput = z.object({
  vllm: z.string().nullable(),
  gpus: z.array(z.object({ name: z.string(), memory_mib: z.number() })).nullable(),
  port: z.number().int().min(1).max(65535),
  weights_bytes: z.number().nullable(),
  template_sha256: z.string().nullable(),
  template_known: z.boolean(),
  adapter_config: z.unknown(),
});

export interface ProbeResult {
  facts: BackendFacts;
  /** A port that was free on the backend's 127.0.0.1 a moment ago. */
  freePort: number;
  /** The adapter's adapter_config.json, when it has one. */
  adapterConfig?: unknown;
}

export class ProbeFailed extends Error {
  constructor(readonly code: number | null, readonly detail: string) {
    super(`the deploy probe failed (exit ${code}): ${detail}`);
  }
}

/** Runs the probe with `python` through `setup` on the host. */
export async function probeBackend(exec: RemoteExec, python: string, setup: readonly string[], model: string, adapter?: string): Promise<ProbeResult> {
  const result = await exec.exec([python, '-c', PROBE, model, adapter ?? ''], { setup });
  const line = lastJsonLine(result.stdout);
  const detail = lastLines(result.stderr || result.stdout);
  if (result.code === SETUP_FAILED) throw new ProbeFailed(result.code, `a setup line failed: ${detail}`);
  if (result.code !== 0 || !line) throw new ProbeFailed(result.code, detail || 'no output');
  let parsed: z.infer<typeof ProbeOutput>;
  try {
    parsed = ProbeOutput.parse(JSON.parse(line));
  } catch (err) {
    throw new ProbeFailed(result.code, `unexpected output: ${(err as Error).message.slice(0, 300)}`);
  }
  const facts: BackendFacts = { vllm: parsed.vllm };
  if (parsed.gpus) facts.gpus = parsed.gpus.map((g) => ({ name: g.name, memoryMiB: g.memory_mib }));
  if (parsed.weights_bytes !== null) facts.weightsBytes = parsed.weights_bytes;
  if (parsed.template_known) facts.templateSha256 = parsed.template_sha256;
  return { facts, freePort: parsed.port, ...(parsed.adapter_config !== null ? { adapterConfig: parsed.adapter_config } : {}) };
}
