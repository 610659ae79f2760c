// Where a job runs, as the Start Job form offers it: this machine, each `finetune.backends` entry by name and kind
// (a Slurm entry with its job resources and its last probe), and "Add SSH backend…"; and what is wrong with the
// backend a spec names (said at the form's field).
import * as vscode from 'vscode';
import type { JobsCtx } from '../context';
import type { BackendConfig, SlurmDefaults } from '../../../shared/backendConfig';
import type { BackendChoice, Issue } from '../../../shared/protocol/startJob';
import { probeSummary } from '../../../backends/slurm/probeSummary';
import { coreLocale } from '../../../platform/locale';

/** "user@host:port" of an entry, or that it is this machine (a Slurm entry without a host). */
export function backendWhere(b: BackendConfig): string {
  if (b.host === undefined) return vscode.l10n.t('this machine (Slurm login node)');
  return `${b.user ? `${b.user}@` : ''}${b.host}${b.port !== 22 ? `:${b.port}` : ''}`;
}

/** A Slurm entry's job resources as label/value pairs; unset ones say what Slurm then uses. */
function slurmResources(s: SlurmDefaults): BackendChoice['resources'] {
  const clusterDefault = vscode.l10n.t('the partition\'s default');
  const rows: [string, string | undefined][] = [
    [vscode.l10n.t('Partition'), s.partition ?? vscode.l10n.t('the cluster\'s default')],
    [vscode.l10n.t('GPUs per node'), `${s.gpus} (${s.gpusPerNode ? `--gpus-per-node=${s.gpus}` : `--gres=gpu:${s.gpus}`})`],
    [vscode.l10n.t('Nodes'), String(s.nodes)],
    [vscode.l10n.t('CPUs per task'), s.cpusPerTask === undefined ? clusterDefault : String(s.cpusPerTask)],
    [vscode.l10n.t('Memory'), s.mem ?? clusterDefault],
    [vscode.l10n.t('Time limit'), s.time ?? clusterDefault],
    [vscode.l10n.t('Account'), s.account],
    [vscode.l10n.t('QoS'), s.qos],
    [vscode.l10n.t('Constraint'), s.constraint],
    [vscode.l10n.t('Requeue after preemption'), s.requeue ? vscode.l10n.t('yes') : vscode.l10n.t('no')],
    [vscode.l10n.t('Checkpoint before the limit'), vscode.l10n.t('{0} s', s.signalSeconds)],
    ...s.extra.map((line): [string, string] => ['#SBATCH', line]),
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined).map(([label, value]) => ({ label, value }));
}

/** The entries the form offers (invalid ones are left out: the log and Test Backend Connection name them). */
export function backendChoices(ctx: JobsCtx): BackendChoice[] {
  const locale = coreLocale();
  return ctx.remote.entries().backends.map((b) => {
    const probe = b.kind === 'slurm' ? ctx.probes.get(b.name) : undefined;
    return {
      name: b.name,
      kind: b.kind,
      where: backendWhere(b),
      resources: b.kind === 'slurm' ? slurmResources(b.slurm) : [],
      ...(probe ? { probe: probeSummary(probe, locale) } : {}),
    };
  });
}

/** A remote backend the spec names that the settings do not define with that kind, as an issue at its field. */
export function backendIssues(spec: Record<string, unknown>, backends: readonly Pick<BackendChoice, 'name' | 'kind'>[]): Issue[] {
  const backend = spec['backend'] as { kind?: unknown; name?: unknown } | undefined;
  if (!backend || (backend.kind !== 'ssh' && backend.kind !== 'slurm') || typeof backend.name !== 'string') return [];
  const found = backends.find((b) => b.name === backend.name);
  if (found?.kind === backend.kind) return [];
  return [{
    path: 'backend.name',
    message: found
      ? vscode.l10n.t('"{0}" is a {1} backend in finetune.backends, not a {2} one.', backend.name, found.kind, backend.kind)
      : vscode.l10n.t('No backend named "{0}" in the finetune.backends setting: add it, or choose another.', backend.name),
  }];
}
