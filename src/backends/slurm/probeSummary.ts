// A Slurm probe's report as it is kept (beside the backend's name, in the editor's storage) and shown: one line in
// the user's language with Python, torch and CUDA, the GPUs, NCCL, the trainer's packages and whether workDir is
// shared between the login and compute nodes; the Test Backend Connection report and the Start Job form show it.
import * as z from 'zod';
import type { Locale } from '../../core/dataset/types';
import { missingPackages, TRAINER_PACKAGES } from '../../shared/trainerCheck';
import { slurmMessage } from './messages';
import { ProbeResult } from './probe';
import type { ProbeReport } from './slurmCluster';

/** How much of the probe's output is kept when it printed no report (the end says why). */
const KEPT_OUTPUT = 2000;

export const StoredProbe = z.object({
  /** When the probe's report was read (ISO time). */
  at: z.string(),
  jobId: z.string(),
  /** Slurm's state word of the probe job (COMPLETED, FAILED…), when Slurm still knew it. */
  slurmState: z.string().optional(),
  result: ProbeResult.optional(),
  workDirShared: z.boolean(),
  /** The end of the probe job's output, kept only when it printed no report. */
  output: z.string().optional(),
});
export type StoredProbe = z.infer<typeof StoredProbe>;

/** What is kept of a probe's report. */
export function storedProbe(report: ProbeReport, at: Date): StoredProbe {
  return {
    at: at.toISOString(),
    jobId: report.id,
    ...(report.status ? { slurmState: report.status.slurmState } : {}),
    ...(report.result ? { result: report.result } : { output: report.output.slice(-KEPT_OUTPUT) }),
    workDirShared: report.workDirShared,
  };
}

/** Whether jobs can run on what the probe saw: a report, the trainer's packages, and a shared workDir. */
export function probeProblems(probe: StoredProbe): string[] {
  const r = probe.result;
  if (!r) return ['noReport'];
  return [...missingPackages(r).map((p) => `missing:${p}`), ...(probe.workDirShared ? [] : ['workDir'])];
}

/** The probe's report in one line (several sentences), in `locale`. */
export function probeSummary(probe: StoredProbe, locale: Locale): string {
  const r = probe.result;
  const none = slurmMessage(locale, 'probe.none');
  if (!r) {
    const tail = (probe.output ?? '').trim().split('\n').slice(-3).join(' ').trim();
    const noReport = slurmMessage(locale, 'probe.noReport', { id: probe.jobId, state: probe.slurmState ?? none, output: tail || none });
    // No output at all on the login node: the job ran where workDir is another folder, or never ran.
    return tail ? noReport : `${noReport} ${slurmMessage(locale, 'probe.noOutput')}`;
  }
  const gpus = r.cuda.available && r.cuda.devices.length
    ? r.cuda.devices.map((d) => (d.memory_gb !== undefined ? `${d.name} (${d.memory_gb} GB)` : d.name)).join(', ')
    : slurmMessage(locale, 'probe.noGpu');
  const packages = TRAINER_PACKAGES.map((p) => `${p} ${r.packages[p] ?? none}`).join(', ');
  const missing = missingPackages(r);
  const parts = [
    slurmMessage(locale, 'probe.summary', {
      host: r.hostname, python: r.python, torch: r.torch ?? none, cuda: r.cuda_version ?? none,
      count: r.cuda.available ? r.cuda.devices.length : 0, gpus, nccl: r.nccl ?? none, packages,
    }),
    ...(missing.length ? [slurmMessage(locale, 'probe.missing', { names: missing.join(', ') })] : []),
    ...(r.torch_error ? [slurmMessage(locale, 'probe.torchError', { error: r.torch_error })] : []),
    slurmMessage(locale, probe.workDirShared ? 'probe.shared' : 'probe.notShared'),
  ];
  return parts.join(' ');
}
