// "Fine-tune: Probe Backend", and the probe before the first real job on a Slurm backend: a tiny job with the
// backend's resources and setup lines reports what a compute node gives the trainer (Python, torch, CUDA, GPUs, NCCL,
// packages, whether workDir is shared). Its report is kept (ProbeStore) and shown here, in Test Backend Connection's
// report and in the Start Job form.
import * as vscode from 'vscode';
import type { JobsCtx } from '../context';
import { SlurmError } from '../../../backends/slurm/messages';
import { probeProblems, probeSummary, storedProbe, type StoredProbe } from '../../../backends/slurm/probeSummary';
import { coreLocale } from '../../../platform/locale';

const POLL_MS = 2000;

const errorText = (err: unknown) => (err instanceof SlurmError ? err.text(coreLocale()) : err instanceof Error ? err.message : String(err));

/**
 * Submits the probe to a Slurm entry and waits for its report (with progress; Cancel ends the probe job), keeps it
 * and returns it. Undefined when it did not run or was cancelled (the user was told why).
 */
export async function runProbe(ctx: JobsCtx, name: string): Promise<StoredProbe | undefined> {
  const refused = await ctx.remote.connect(name);
  if (refused) {
    void vscode.window.showErrorMessage(`${vscode.l10n.t('Cannot probe backend "{0}": {1}', name, refused.error)}${refused.fix ? ` ${refused.fix}` : ''}`);
    return undefined;
  }
  const probe = await ctx.remote.slurmProbe(name);
  if (!probe) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No Slurm backend named "{0}" in the finetune.backends setting.', name));
    return undefined;
  }
  const title = vscode.l10n.t('Probing backend "{0}" with a small job', name);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let id: string | undefined;
    try {
      const started = await probe.cluster.startProbe(probe.request);
      id = started.id;
      progress.report({ message: vscode.l10n.t('job {0} submitted, waiting for a compute node…', started.id) });
      for (;;) {
        if (token.isCancellationRequested) {
          await probe.cluster.cancel(started.id).catch(() => undefined);
          return undefined;
        }
        const report = await probe.cluster.probeReport(started);
        if (report) {
          const kept = storedProbe(report, new Date());
          await ctx.probes.set(name, kept);
          ctx.log.info(`probe of backend "${name}" (job ${report.id}): ${probeSummary(kept, 'en')}`);
          return kept;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch (err) {
      ctx.log.error(`probe of backend "${name}"${id ? ` (job ${id})` : ''}: ${errorText(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The probe of backend "{0}" failed: {1}', name, errorText(err)));
      return undefined;
    }
  });
}

/** The command: probes a Slurm entry (asked for when there are several) and shows what it saw. */
async function probeBackend(ctx: JobsCtx, name?: string): Promise<StoredProbe | undefined> {
  const slurm = ctx.remote.entries().backends.filter((b) => b.kind === 'slurm');
  if (typeof name !== 'string') {
    if (slurm.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No Slurm backend is configured in finetune.backends: the probe is for Slurm clusters.'));
      return undefined;
    }
    name = slurm.length === 1 ? slurm[0]!.name : (await vscode.window.showQuickPick(slurm.map((b) => b.name), { placeHolder: vscode.l10n.t('Backend to probe') }));
    if (!name) return undefined;
  }
  const probe = await runProbe(ctx, name);
  if (!probe) return undefined;
  const text = vscode.l10n.t('Backend "{0}": {1}', name, probeSummary(probe, coreLocale()));
  const showLog = vscode.l10n.t('Show Log');
  const answer = probeProblems(probe).length ? await vscode.window.showWarningMessage(text, showLog) : await vscode.window.showInformationMessage(text, showLog);
  if (answer === showLog) ctx.log.show();
  return probe;
}

export const probeCommands = {
  'finetune.probeBackend': probeBackend,
};
