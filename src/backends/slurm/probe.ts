// The probe before the first real job on a Slurm backend: a tiny job with the job's own resources and setup lines
// that reports what the compute node gives the trainer (Python, packages, torch, torch.cuda and the GPUs it sees,
// NCCL) and whether workDir is the same folder on the login and compute nodes (the run folder must be). Its report
// is a superset of the trainer check (src/shared/trainerCheck.ts), so the same view shows both.
import * as z from 'zod';
import type { SlurmDefaults } from '../../shared/backendConfig';
import { TRAINER_PACKAGES, TrainerCheck } from '../../shared/trainerCheck';
import { shellQuote, shellWord } from '../remote/exec';
import { sbatchOptions } from './sbatchScript';
import { SETUP_FAILED, setupLines } from '../remote/exec';

export const ProbeResult = TrainerCheck.extend({
  hostname: z.string(),
  torch: z.string().nullable(),
  /** torch's CUDA build (torch.version.cuda) and NCCL version, null without. */
  cuda_version: z.string().nullable(),
  nccl: z.string().nullable(),
  cuda_visible_devices: z.string().nullable(),
  /** The login node's token file in workDir was read back on the compute node. */
  work_dir_shared: z.boolean(),
  torch_error: z.string().optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** The line the probe prints its JSON on. */
export const PROBE_MARK = 'FINETUNE_PROBE ';

/** The probe's Python: argv[1] is the token file the login node wrote, argv[2] the token. */
export const PROBE_PY = `import json, os, platform, socket, sys
from importlib import metadata
def version(name):
    try:
        return metadata.version(name)
    except Exception:
        return None
out = {"python": platform.python_version(), "executable": sys.executable, "hostname": socket.gethostname(),
       "packages": {p: version(p) for p in ${JSON.stringify(TRAINER_PACKAGES)}},
       "cuda": {"available": False, "devices": []}, "torch": None, "cuda_version": None, "nccl": None,
       "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES")}
try:
    with open(sys.argv[1], encoding="utf-8") as fh:
        out["work_dir_shared"] = fh.read().strip() == sys.argv[2]
except OSError:
    out["work_dir_shared"] = False
try:
    import torch
    out["torch"] = torch.__version__
    out["cuda_version"] = torch.version.cuda
    if torch.cuda.is_available():
        out["cuda"] = {"available": True, "devices": [{"index": i, "name": torch.cuda.get_device_name(i),
            "memory_gb": round(torch.cuda.get_device_properties(i).total_memory / 1024**3, 1)} for i in range(torch.cuda.device_count())]}
        out["bf16"] = bool(torch.cuda.is_bf16_supported())
        nccl = torch.cuda.nccl.version()  # a tuple (2, 21, 5); an int (2708) in old torch
        out["nccl"] = ".".join(map(str, nccl)) if isinstance(nccl, tuple) else str(nccl)
except Exception as e:
    out["torch_error"] = f"{type(e).__name__}: {e}"
print(${JSON.stringify(PROBE_MARK)} + json.dumps(out), flush=True)
`;

export interface ProbeFiles {
  /** Written by the login node before submission; the probe reads it back. */
  tokenFile: string;
  /** The probe's output in workDir. */
  output: string;
}

/** Where the probe's files go in workDir, named by a random token. */
export function probeFiles(workDir: string, token: string): ProbeFiles {
  const dir = workDir.replace(/\/+$/, '');
  return { tokenFile: `${dir}/.finetune-probe-${token}`, output: `${dir}/.finetune-probe-${token}.out` };
}

/** The probe's sbatch script: the job's resources (a few minutes, never requeued), its setup lines, the Python above. */
export function probeScript(o: { workDir: string; python: string; setup: readonly string[]; slurm: SlurmDefaults; token: string }): string {
  const files = probeFiles(o.workDir, o.token);
  const slurm: SlurmDefaults = { ...o.slurm, time: '5', requeue: false, nodes: 1 };
  const options = sbatchOptions({ name: 'finetune-probe', runDir: o.workDir, slurm }, files.output.split('/').pop());
  return [
    '#!/bin/bash',
    ...options.map((l) => `#SBATCH ${l}`),
    `cd ${shellWord(o.workDir)} || exit ${SETUP_FAILED}`,
    ...setupLines(o.setup),
    shellQuote([o.python, '-c', PROBE_PY, files.tokenFile, o.token]),
    '',
  ].join('\n');
}

/** The probe's report from its output (undefined when it printed none: see the output's text for why). */
export function parseProbeOutput(output: string): ProbeResult | undefined {
  const line = output.split('\n').reverse().find((l) => l.startsWith(PROBE_MARK));
  if (!line) return undefined;
  try {
    const parsed = ProbeResult.safeParse(JSON.parse(line.slice(PROBE_MARK.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
