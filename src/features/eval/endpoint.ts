import * as vscode from 'vscode';
import type { EvalCtx } from './context';
import { createEvalRun, EvalRunFiles, listEvalRuns, type EvalRunMeta } from '../../core/eval';
import { answerWithEndpoint } from '../../inference/endpointRun';
import { isAbort } from '../../inference/retry';
import { askTestSet } from './importPredictions';
import { coreLocale } from '../../platform/locale';
import { evalWorkspace, resolveStored, storedPath } from './runs';
import { readEvalSamples } from './samples';
import { scoreRun } from './scoring';
import { ScoringCancelled } from './metricsWorkerClient';
import { EvalDetailPanel } from './detailPanel';
import { askEndpointModel, askEndpointServer, endpointApiKey, rememberEndpoint } from '../../platform/endpointPick';

/** What the command asks; tests pass it to skip the questions. */
export interface EndpointRequest {
  testSet: string;
  baseUrl: string;
  model: string;
  concurrency: number;
  maxTokens?: number;
  /** Continue this eval run (its folder) instead of starting one. */
  resume?: string;
  /** Test hook: cancels the run after this many answers. */
  cancelAfter?: number;
}

const sourceOf = (baseUrl: string, model: string) => `${baseUrl.replace(/\/+$/, '')} · ${model}`;

/** Fine-tune: Evaluate Endpoint… — answers a test set with an OpenAI-compatible server, scores it, opens the run. */
export async function evaluateEndpoint(ctx: EvalCtx, request?: EndpointRequest): Promise<{ dir: string; status: EvalRunMeta['models'][number]['status'] } | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Evaluating an endpoint sends the test set to a server: trust this workspace first (Manage Workspace Trust).'));
    return undefined;
  }
  const workspace = evalWorkspace();
  if (!workspace) return undefined;
  const interactive = !(typeof request === 'object' && request !== null && typeof request.baseUrl === 'string');
  const req = interactive ? await askEndpoint(ctx) : request;
  if (!req) return undefined;

  const { samples, sampleLines, skipped } = await readEvalSamples(req.testSet);
  if (skipped.length > 0) {
    const listed = skipped.slice(0, 5).map((s) => vscode.l10n.t('line {0}: {1}', s.line + 1, s.reason ?? vscode.l10n.t('no assistant answer after the prompt'))).join('; ');
    void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1} lines are not samples with an answer and were left out: {2}', vscode.workspace.asRelativePath(req.testSet), skipped.length, listed));
  }
  if (samples.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} has no samples with an assistant answer to evaluate.', vscode.workspace.asRelativePath(req.testSet)));
    return undefined;
  }

  const resume = req.resume ?? (interactive ? await askResume(workspace, req) : undefined);
  if (resume === null) return undefined;
  let files: EvalRunFiles;
  let meta: EvalRunMeta;
  if (resume) {
    files = new EvalRunFiles(resume);
    meta = await files.readMeta();
  } else {
    ({ files, meta } = await createEvalRun(workspace, {
      testSet: storedPath(workspace, req.testSet), sampleLines, segmentation: 'jieba',
      models: [{ id: 'endpoint', name: req.model, kind: 'endpoint', source: sourceOf(req.baseUrl, req.model), status: 'running', isBase: false }],
    }));
  }
  const model = meta.models[0]!;
  const setStatus = async (status: typeof model.status, message?: string) => {
    meta = { ...meta, models: meta.models.map((m) => (m.id === model.id ? { ...m, status, ...(message ? { message } : {}) } : m)) };
    if (!message) delete meta.models[0]!.message;
    await files.writeMeta(meta);
  };
  await setStatus('running');
  const apiKey = await endpointApiKey(ctx.extension, req.baseUrl);

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Evaluating {0}', req.model), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      let last = 0;
      try {
        await answerWithEndpoint(files.predictionsFile(model), samples, {
          baseUrl: req.baseUrl, model: req.model, concurrency: req.concurrency, signal: controller.signal, locale: coreLocale(),
          ...(apiKey ? { apiKey } : {}),
          ...(req.maxTokens ? { maxTokens: req.maxTokens } : {}),
          progress: (done, total) => {
            progress.report({ message: vscode.l10n.t('{0}/{1} answered', done, total), increment: ((done - last) / total) * 90 });
            last = done;
            if (req.cancelAfter !== undefined && done >= req.cancelAfter) controller.abort();
          },
        });
        await setStatus('done');
        progress.report({ message: vscode.l10n.t('Scoring') });
        await scoreRun(ctx.metrics, files, meta, () => undefined, token);
        return 'done' as const;
      } catch (err) {
        if (isAbort(err, controller.signal) || err instanceof ScoringCancelled) {
          if (meta.models[0]!.status !== 'done') await setStatus('cancelled');
          return 'cancelled' as const;
        }
        const message = err instanceof Error ? err.message : String(err);
        await setStatus('failed', message);
        void vscode.window.showErrorMessage(vscode.l10n.t('Evaluating {0} failed: {1}', req.model, message));
        return 'failed' as const;
      } finally {
        sub.dispose();
      }
    },
  );
  if (outcome === 'cancelled') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Stopped. The answers so far are kept in {0}: run Evaluate Endpoint again to resume.', storedPath(workspace, files.dir)));
  }
  if (outcome === 'done') EvalDetailPanel.show(ctx, files);
  return { dir: files.dir, status: meta.models[0]!.status };
}

/** An unfinished run of the same test set and endpoint: resume it (its folder), start over (undefined), or dismissed (null). */
async function askResume(workspace: string, req: EndpointRequest): Promise<string | undefined | null> {
  const { runs } = await listEvalRuns(workspace);
  const unfinished = runs.find((r) => r.meta.models.length === 1 && r.meta.models[0]!.kind === 'endpoint' && r.meta.models[0]!.status !== 'done'
    && r.meta.models[0]!.source === sourceOf(req.baseUrl, req.model) && r.meta.testSet !== undefined && resolveStored(workspace, r.meta.testSet) === req.testSet);
  if (!unfinished) return undefined;
  const resume = vscode.l10n.t('Resume');
  const fresh = vscode.l10n.t('Start Over');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('An unfinished evaluation of {0} on this test set exists ({1}). Resume it?', req.model, unfinished.meta.id), resume, fresh);
  return choice === resume ? unfinished.files.dir : choice === fresh ? undefined : null;
}

async function askEndpoint(ctx: EvalCtx): Promise<EndpointRequest | undefined> {
  const testSet = await askTestSet(ctx, vscode.l10n.t('The test set to answer (any dataset format the checker accepts)'), false);
  if (!testSet) return undefined;
  const title = vscode.l10n.t('Evaluate Endpoint');
  const baseUrl = await askEndpointServer(ctx.extension, title);
  if (!baseUrl) return undefined;
  const model = await askEndpointModel(ctx.extension, title, baseUrl);
  if (!model) return undefined;
  const concurrency = await vscode.window.showInputBox({
    title, value: '4', prompt: vscode.l10n.t('Requests at a time'),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 256 ? undefined : vscode.l10n.t('A whole number from 1 to 256')),
  });
  if (!concurrency) return undefined;
  await rememberEndpoint(ctx.extension, { baseUrl, model });
  return { testSet, baseUrl, model, concurrency: Number(concurrency) };
}
