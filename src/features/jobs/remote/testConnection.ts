// "Fine-tune: Test Backend Connection": each step a job on a `finetune.backends` entry goes through, in order —
// connect, host key, login, Python (through the setup lines, as the job gets it), the trainer's packages, the
// GPUs, and on Slurm the last probe of the compute nodes — each reported with what to do when it fails.
import * as vscode from 'vscode';
import type { JobsCtx } from '../context';
import { missingPackages, TRAINER_PACKAGES } from '../../../shared/trainerCheck';
import { PythonNotFound } from '../../../backends/backend';
import { BackendName } from '../../../shared/backendConfig';
import { backendWhere } from '../startJob/backends';
import { sshConfigHosts } from '../../../backends/ssh/sshConfig';
import { slurmMessage } from '../../../backends/slurm/messages';
import { probeProblems, probeSummary } from '../../../backends/slurm/probeSummary';
import { coreLocale } from '../../../platform/locale';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SETUP_FAILED } from '../../../backends/remote/exec';

type Step = 'connect' | 'hostKey' | 'login' | 'python' | 'packages' | 'gpus' | 'probe';

function stepLabel(step: Step): string {
  switch (step) {
    case 'connect': return vscode.l10n.t('Connect');
    case 'hostKey': return vscode.l10n.t('Host key');
    case 'login': return vscode.l10n.t('Login');
    case 'python': return vscode.l10n.t('Python');
    case 'packages': return vscode.l10n.t('Packages');
    case 'gpus': return vscode.l10n.t('GPUs');
    case 'probe': return vscode.l10n.t('Compute node (probe)');
  }
}

interface StepResult {
  step: Step;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function runSteps(ctx: JobsCtx, name: string, progress: (step: Step) => void): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const entry = ctx.remote.entry(name)!;
  progress('connect');
  const refused = await ctx.remote.connect(name);
  const order: Step[] = ['connect', 'hostKey', 'login'];
  if (refused) {
    for (const step of order.slice(0, order.indexOf(refused.step))) results.push({ step, ok: true, detail: '' });
    results.push({ step: refused.step, ok: false, detail: refused.error, ...(refused.fix ? { fix: refused.fix } : {}) });
    return results;
  }
  for (const step of order) results.push({ step, ok: true, detail: '' });

  progress('python');
  const version = await ctx.remote.exec(name, [entry.python, '--version']);
  if (version.code === SETUP_FAILED) {
    results.push({ step: 'python', ok: false, detail: vscode.l10n.t('A setup line failed: {0}', version.stderr.trim().split('\n').slice(-3).join(' ')), fix: vscode.l10n.t('Run the setup lines by hand in a non-interactive shell on the host (ssh host \'bash -c "…"\') and correct the failing one.') });
    return results;
  }
  if (version.code !== 0) {
    results.push({ step: 'python', ok: false, detail: vscode.l10n.t('{0} did not run on the remote side: {1}', entry.python, (version.stderr || version.stdout).trim()), fix: vscode.l10n.t('Set "python" of the backend to a Python 3.10+ there, or activate one in "setup" (source ~/venv/bin/activate, conda activate…).') });
    return results;
  }
  results.push({ step: 'python', ok: true, detail: (version.stdout || version.stderr).trim() });

  progress('packages');
  let check;
  try {
    check = await (await ctx.runner.namedBackend(entry.kind, name, entry.python)).check();
  } catch (err) {
    const fix = err instanceof PythonNotFound ? vscode.l10n.t('Set "python" of the backend to a Python 3.10+ there.') : undefined;
    results.push({ step: 'packages', ok: false, detail: (err as Error).message, ...(fix ? { fix } : {}) });
    return results;
  }
  const missing = missingPackages(check);
  results.push(missing.length
    ? { step: 'packages', ok: false, detail: vscode.l10n.t('Missing: {0}', missing.join(', ')), fix: `${check.executable} -m pip install ${TRAINER_PACKAGES.join(' ')}` }
    : { step: 'packages', ok: true, detail: TRAINER_PACKAGES.map((p) => `${p} ${check.packages[p]}`).join(', ') });

  progress('gpus');
  const gpus = check.cuda.available ? check.cuda.devices : [];
  if (entry.kind === 'slurm') {
    // The login node often has no GPU: what it has says nothing of the compute nodes, which the probe job sees.
    const seen = gpus.length ? gpus.map((g) => `${g.index}: ${g.name}`).join(', ') : vscode.l10n.t('No CUDA GPU is visible to {0}.', check.executable);
    results.push({ step: 'gpus', ok: true, detail: `${seen} ${slurmMessage(coreLocale(), 'check.loginNode')}` });
    // What the compute nodes give a job is the last probe's report (kept; "Probe Backend" runs it again).
    const probe = ctx.probes.get(name);
    const problems = probe ? probeProblems(probe) : [];
    results.push(probe
      ? { step: 'probe', ok: problems.length === 0, detail: probeSummary(probe, coreLocale()), ...(problems.length ? { fix: vscode.l10n.t('Correct what it names (setup lines, packages, workDir), then run "Fine-tune: Probe Backend" again.') } : {}) }
      : { step: 'probe', ok: true, detail: vscode.l10n.t('Not probed yet: the probe runs before the first job (or run "Fine-tune: Probe Backend").') });
    return results;
  }
  results.push(gpus.length
    ? { step: 'gpus', ok: true, detail: gpus.map((g) => `${g.index}: ${g.name}`).join(', ') }
    : { step: 'gpus', ok: false, detail: vscode.l10n.t('No CUDA GPU is visible to {0}.', check.executable), fix: vscode.l10n.t('Load CUDA in "setup" (module load cuda…), or install a CUDA build of torch in that Python.') });
  return results;
}

async function testBackendConnection(ctx: JobsCtx, name?: string): Promise<StepResult[] | undefined> {
  const { backends, problems } = ctx.remote.entries();
  for (const problem of problems) ctx.log.warn(problem);
  if (typeof name !== 'string') {
    if (backends.length === 0) {
      const open = vscode.l10n.t('Open Settings');
      const msg = vscode.l10n.t('No SSH backend is configured in finetune.backends.') + (problems.length ? ` ${problems.join('; ')}` : '');
      if ((await vscode.window.showWarningMessage(msg, open)) === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'finetune.backends');
      return undefined;
    }
    name = backends.length === 1 ? backends[0]!.name : (await vscode.window.showQuickPick(backends.map((b) => ({ label: b.name, description: backendWhere(b) })), { placeHolder: vscode.l10n.t('Backend to test') }))?.label;
    if (!name) return undefined;
  }
  if (!backends.some((b) => b.name === name)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No SSH backend named "{0}" in the finetune.backends setting.', name));
    return undefined;
  }
  const backendName = name;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing backend "{0}"', backendName) },
    (progress) => runSteps(ctx, backendName, (step) => progress.report({ message: stepLabel(step) })),
  );
  ctx.log.info(`Test connection of backend "${backendName}":`);
  for (const r of results) ctx.log.info(`  ${r.ok ? '✓' : '✗'} ${stepLabel(r.step)}${r.detail ? `: ${r.detail}` : ''}${r.fix ? ` → ${r.fix}` : ''}`);
  const failed = results.find((r) => !r.ok);
  const summary = results.map((r) => `${r.ok ? '✓' : '✗'} ${stepLabel(r.step)}`).join('  ');
  const showLog = vscode.l10n.t('Show Log');
  const answer = failed
    ? await vscode.window.showErrorMessage(`${vscode.l10n.t('Backend "{0}": {1} failed: {2}', backendName, stepLabel(failed.step), failed.detail)}${failed.fix ? ` ${failed.fix}` : ''} (${summary})`, showLog)
    : await vscode.window.showInformationMessage(vscode.l10n.t('Backend "{0}" is ready: {1}', backendName, summary), showLog);
  if (answer === showLog) ctx.log.show();
  return results;
}

/** Adds an SSH backend, offering the hosts of ~/.ssh/config as Remote-SSH does; then tests it. */
async function addSshBackend(ctx: JobsCtx): Promise<StepResult[] | undefined> {
  const configText = await fs.readFile(path.join(os.homedir(), '.ssh', 'config'), 'utf8').catch(() => '');
  const other = vscode.l10n.t('Another host…');
  const picked = await vscode.window.showQuickPick([...sshConfigHosts(configText).map((h) => ({ label: h, description: '~/.ssh/config' })), { label: other }], {
    placeHolder: vscode.l10n.t('SSH host to train on'),
  });
  if (!picked) return undefined;
  const host = picked.label === other
    ? (await vscode.window.showInputBox({ prompt: vscode.l10n.t('Host name or address (user@host:port also works)'), ignoreFocusOut: true }))?.trim()
    : picked.label;
  if (!host) return undefined;
  const m = /^(?:([^@\s]+)@)?([^:\s]+)(?::(\d+))?$/.exec(host);
  if (!m) {
    void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a host name (user@host:port).', host));
    return undefined;
  }
  const taken = new Set(ctx.remote.entries().backends.map((b) => b.name));
  const suggested = m[2]!.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64);
  const name = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('A name for this backend, as job specs will refer to it'),
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (v) => (!BackendName.safeParse(v).success ? vscode.l10n.t('Letters, digits, ".", "_" and "-" only (at most 64).') : taken.has(v) ? vscode.l10n.t('A backend named "{0}" exists already.', v) : undefined),
  });
  if (!name) return undefined;
  const workDir = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Folder on the remote side for runs, datasets and the trainer'), value: '~/finetune-studio', ignoreFocusOut: true });
  if (!workDir) return undefined;
  await ctx.config.addBackend({ name, kind: 'ssh', host: m[2], ...(m[1] ? { user: m[1] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}), workDir });
  return testBackendConnection(ctx, name);
}

export const connectionCommands = {
  'finetune.testBackendConnection': testBackendConnection,
  'finetune.addSshBackend': addSshBackend,
};
