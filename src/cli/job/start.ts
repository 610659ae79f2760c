// `finetune-studio job start <spec.ftjob.json> [--backend <name | file.json>] [--follow]`: the spec checked, the
// backend chosen and checked (Python, packages, GPUs) before any job folder exists, then the same launch as the
// editor's (src/backends/jobs/launch.ts) into `.finetune/jobs/<id>/` of the current folder.
import * as path from 'node:path';
import type { Backend } from '../../backends/backend';
import { PythonNotFound, TrainerCheckFailed } from '../../backends/backend';
import { createJob, devicesFor, failJob, jobTrainConfig, launchJob, type NewJob } from '../../backends/jobs/launch';
import { SlurmError } from '../../backends/slurm/messages';
import { baseModelProblem, inspectBaseModel } from '../../core/models/baseModel';
import { formatPath, parseSpecText } from '../../core/jobs/specFile';
import { lineColumn } from '../../core/jsonc';
import { readErrorReason, readRegularFile } from '../../core/regularFile';
import { pathExists } from '../../core/safeFiles';
import type { BackendConfig } from '../../shared/backendConfig';
import type { JobSpec } from '../../shared/jobSpec';
import { TRAINER_PACKAGES } from '../../shared/trainerCheck';
import { MAX_CONFIG_BYTES, resolveBackendEntry } from './backendEntry';
import type { JobCommandContext } from './context';
import { EXIT, followJob } from './follow';
import { jobCliMessage, type JobCliMessageKey } from './messages';

export interface StartArgs {
  spec: string;
  backend?: string;
  follow: boolean;
  python?: string;
  resumeFrom?: string;
}

export async function startJob(ctx: JobCommandContext, args: StartArgs): Promise<number> {
  const { io, locale } = ctx;
  const root = io.cwd;
  const say = (key: JobCliMessageKey, params: Record<string, string | number> = {}) => jobCliMessage(locale, key, params);
  const refuse = (message: string): number => {
    io.stderr(`finetune-studio job start: ${message}\n`);
    return EXIT.failed;
  };

  const specFile = path.resolve(root, args.spec);
  const read = await readSpec(specFile, ctx);
  if ('error' in read) return refuse(read.error);
  let spec = read.spec;

  // --backend (a name or a file) overrides the spec's backend; the spec's devices stay.
  let entry: BackendConfig | undefined;
  if (args.backend !== undefined || spec.backend.kind !== 'local') {
    const wanted = args.backend ?? (spec.backend.kind === 'local' ? '' : spec.backend.name);
    const found = await resolveBackendEntry(root, args.backend, wanted, locale);
    if ('error' in found) return refuse(found.error);
    if (args.backend === undefined && spec.backend.kind !== found.entry.kind) {
      return refuse(say('backend.kindMismatch', { want: spec.backend.kind, name: wanted, source: found.source, kind: found.entry.kind }));
    }
    entry = found.entry;
    spec = { ...spec, backend: { kind: entry.kind, name: entry.name, devices: spec.backend.devices } };
  }

  const relativeSpec = path.relative(root, specFile);
  const job: NewJob = {
    spec,
    specFile: relativeSpec.startsWith('..') || path.isAbsolute(relativeSpec) ? specFile : relativeSpec,
    ...(args.resumeFrom ? { resumeFrom: entry ? args.resumeFrom : path.resolve(root, args.resumeFrom) } : {}),
  };
  const config = jobTrainConfig(root, job);
  if (!(await pathExists(config.train_file))) return refuse(say('start.trainMissing', { file: config.train_file }));
  if (!entry) {
    const model = await inspectBaseModel(spec.baseModel, root);
    const problem = baseModelProblem(model);
    const where = model.kind === 'folder' ? model.path : model.ref;
    if (problem === 'missing') return refuse(say('start.modelMissing', { path: where }));
    if (problem === 'noConfig') return refuse(say('start.modelNoConfig', { path: where }));
    if (problem === 'noWeights') return refuse(say('start.modelNoWeights', { path: where }));
  }

  if (entry) {
    const refused = await ctx.backends.connect(entry);
    if (refused) return refuse(refused);
  }
  const python = entry ? entry.python : ctx.python(args.python);
  const backend = await ctx.backends.backend(entry?.kind ?? 'local', python, entry);
  const backendName = entry ? `${entry.kind} "${entry.name}"` : say('local');
  io.stderr(`${say('start.checking', { backend: backendName })}\n`);
  const devices = await preflight(backend, python, spec.backend.devices, say);
  if (typeof devices === 'string') return refuse(devices);

  // The job folder only once the pre-flight passed; from here on a failure is the job's, recorded in it.
  const { dir, record: queued } = await createJob(root, job);
  let launched;
  try {
    launched = await launchJob(root, dir, queued, job, backend, devices.devices);
  } catch (err) {
    const detail = err instanceof SlurmError ? err.text(locale) : (err as Error).message;
    const message = say('start.launchFailed', { detail });
    await failJob(dir, queued, message);
    return refuse(message);
  }
  const { record, handle } = launched;
  io.stdout(`${say('start.started', { id: record.id, backend: backendName, dir })}\n`);
  if (!args.follow) {
    io.stdout(`${say('start.followHint', { id: record.id })}\n`);
    return EXIT.succeeded;
  }
  io.stderr(`${say('follow.following', { id: record.id, status: say('status.running') })}\n`);
  return followJob(ctx, dir, record, handle, backend);
}

/** The spec with its defaults, or its first problem with the file, line, column and field. */
async function readSpec(file: string, ctx: JobCommandContext): Promise<{ spec: JobSpec } | { error: string }> {
  const { locale } = ctx;
  let text: string;
  try {
    text = await readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES });
  } catch (err) {
    return { error: jobCliMessage(locale, 'file.unreadable', { file, reason: readErrorReason(err, locale) }) };
  }
  const parsed = parseSpecText(text, locale);
  if (parsed.ok) return { spec: parsed.spec };
  const issue = parsed.issues[0]!;
  const { line, column } = lineColumn(text, issue.start ?? 0);
  const more = parsed.issues.length > 1 ? ` (+${parsed.issues.length - 1})` : '';
  return { error: jobCliMessage(locale, 'spec.invalid', { file, line, column, field: formatPath(issue.path), message: issue.message }) + more };
}

/** The devices to launch on after the backend's check, or why the job cannot run there. */
async function preflight(
  backend: Backend,
  python: string,
  wanted: JobSpec['backend']['devices'],
  say: (key: JobCliMessageKey, params?: Record<string, string | number>) => string,
): Promise<{ devices: 'cpu' | 'auto' | number[] } | string> {
  let check;
  try {
    check = await backend.check();
  } catch (err) {
    if (err instanceof PythonNotFound) return say('start.pythonNotFound', { python, detail: err.message, packages: TRAINER_PACKAGES.join(', ') });
    return say('start.checkFailed', { message: err instanceof TrainerCheckFailed ? err.message : String(err) });
  }
  const usable = devicesFor(check, wanted);
  if ('devices' in usable) return usable;
  switch (usable.kind) {
    case 'packages':
      return say('start.packages', { python: check.executable, missing: usable.missing.join(', '), command: `${check.executable} -m pip install ${TRAINER_PACKAGES.join(' ')}` });
    case 'gpusAbsent':
      return usable.present.length === 0
        ? say('start.noGpuFor', { absent: usable.absent.join(', ') })
        : say('start.gpusAbsent', { absent: usable.absent.join(', '), present: usable.present.join(', ') });
    case 'noGpu':
      return say('start.noGpu');
  }
}
