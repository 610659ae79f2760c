// Where a deployment runs and what it serves: a backend as a DeployTarget (this machine, or an SSH or Slurm entry of
// `finetune.backends` with its session), and a finished job or a merged export as the folders to serve there. The
// model is served where its files are; models are never copied between machines.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { DeployTarget } from '../../backends/deploy/deployer';
import { LocalHost } from '../../backends/remote/localHost';
import { readJobRecord } from '../../core/jobs/jobStore';
import { deployMessage } from '../../core/models/deployMessages';
import { backendOf } from '../../core/models/lineage';
import type { ExportRecord, ModelSource } from '../../shared/modelRegistry';
import { coreLocale } from '../../platform/locale';
import { resolvePython } from '../../platform/pythonInterpreter';
import type { DeployCtx } from './context';

/** What to serve: folders on one backend ('local' or a `finetune.backends` name). */
export interface DeploySource {
  label: string;
  backend: string;
  model: string;
  adapter?: string;
  /** A merged export of the same job, served instead when vLLM cannot load the adapter (modules_to_save). */
  merged?: string;
  trainedTemplateSha256?: string;
  source: ModelSource;
}

/** Thrown with a sentence for the user. */
export class CannotDeploy extends Error {}

/**
 * The backend `backend` as a DeployTarget. `forStart`: the local Python is resolved (which may ask the Python
 * extension); state, tunnel and stop need no Python.
 */
export async function deployTarget(ctx: DeployCtx, backend: string, forStart = false): Promise<DeployTarget> {
  const storage = ctx.extension.globalStorageUri.fsPath;
  const runSecret = await ctx.jobs.runner.runSecret();
  if (backend === 'local') {
    const python = forStart ? (await resolvePython(ctx.config)).python : 'python3';
    return {
      kind: 'local', name: 'local', host: new LocalHost(), python, setup: [], workDir: path.join(storage, 'deploy'), runSecret,
      trainer: { upload: { folders: [path.join(ctx.extensionPath, 'trainer', 'finetune_trainer')] } },
    };
  }
  const ssh = ctx.jobs.remote.sshOptions(backend);
  if (ssh) return { kind: 'ssh', name: backend, host: ssh.session, python: ssh.config.python, setup: ssh.config.setup, workDir: ssh.config.workDir, trainer: ssh.trainer, runSecret };
  const slurm = ctx.jobs.remote.slurmOptions(backend);
  if (!slurm) throw new CannotDeploy(deployMessage(coreLocale(), 'deploy.unknownBackend', { name: backend }));
  const { config } = slurm;
  return { kind: 'slurm', name: backend, host: slurm.host, python: config.python, setup: config.setup, workDir: config.workDir, trainer: slurm.trainer, runSecret, slurm: config.slurm };
}

/** A finished job's model: its adapter on the base it trained on (or its full model), on the job's backend. */
export async function jobSource(ctx: DeployCtx, dir: string): Promise<DeploySource> {
  const record = await readJobRecord(dir).catch((err: unknown) => {
    throw new CannotDeploy(vscode.l10n.t('Cannot read the job in {0}: {1}', dir, err instanceof Error ? err.message : String(err)));
  });
  const run = record.run;
  if (record.status !== 'succeeded' || !run) throw new CannotDeploy(vscode.l10n.t('Job "{0}" has not finished training, so it has no model to deploy.', record.name));
  const backend = await ctx.jobs.runner.backendFor(run);
  // The trainer's own config says which base it loaded (resolved as the trainer saw it, on its machine).
  const configFile = await backend.fetchArtifact(run, 'config');
  let base: string | undefined;
  try {
    base = configFile ? (JSON.parse(await fs.readFile(configFile, 'utf8')) as { model_name_or_path?: unknown }).model_name_or_path as string : undefined;
  } catch {
    base = undefined;
  }
  const artifacts = record.artifacts ?? {};
  const output = artifacts['output_dir'] ?? backend.outputDir(run.runDir);
  const adapter = artifacts['adapter'];
  const full = record.method === 'full' ? (artifacts['model'] ?? output) : undefined;
  const merged = artifacts['model'] && artifacts['model'] !== output ? artifacts['model'] : undefined;
  const common = {
    label: record.name, backend: backendOf(record),
    ...(artifacts['chat_template_sha256'] ? { trainedTemplateSha256: artifacts['chat_template_sha256'] } : {}),
    source: { jobId: record.id },
  };
  if (full) return { ...common, model: full };
  if (typeof base !== 'string' || !base) throw new CannotDeploy(vscode.l10n.t('The base model of job "{0}" is not recorded in its run\'s config.', record.name));
  return { ...common, model: base, adapter: adapter ?? output, ...(merged ? { merged } : {}) };
}

/** A merged export (ONNX and Ollama exports are served otherwise: Serve Model Locally…, `ollama create`). */
export function exportSource(record: ExportRecord): DeploySource {
  if (record.format !== 'merged') {
    throw new CannotDeploy(vscode.l10n.t('"{0}" is a {1} export: deploy a merged export or the job (ONNX models are served with Serve Model Locally…, Ollama folders with ollama create).', record.name, record.format));
  }
  return { label: record.name, backend: record.location.backend, model: record.location.path, source: { ...record.source, recordId: record.id } };
}
