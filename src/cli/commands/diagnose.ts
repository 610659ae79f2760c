// `finetune-studio diagnose <log>`: reads a training log (HF Trainer trainer_state.json, LLaMA-Factory
// trainer_log.jsonl or our events.jsonl) and prints the convergence verdict, its reason, the advice and the evidence.
import * as path from 'node:path';
import type { CliIo } from '../io';
import { argsOrExit, localeOption, oneFile, parseArgs } from '../args';
import { usageMessage } from '../usageMessages';
import type { Locale } from '../../core/dataset/types';
import { CurveImportError, importCurves } from '../../core/curves/importers';
import { diagnose, evidenceLines } from '../../core/curves/diagnose';
import { readErrorReason, readRegularFile } from '../../core/regularFile';

const HELP = `Usage: finetune-studio diagnose <trainer_state.json | trainer_log.jsonl | events.jsonl> [--json] [--locale en|zh-cn]

Reads the loss curves of a training run and says whether it converged: one of converged, converged_early,
overfitting, not_converged, still_improving, diverged or insufficient_data (a handful of points, no train loss,
or a reinforcement-learning log), with the reason, the advice, why this verdict and not the nearest other one,
and the evidence.

  <file>             a HF Trainer trainer_state.json, a LLaMA-Factory trainer_log.jsonl or a Fine-tune Studio
                     events.jsonl (the kind comes from the file name, else from the content)
  --json             print JSON: {"verdict","reason","advice","bestStep","whyNot","evidence","source","points","skippedLines"};
                     whyNot says why this verdict and not the nearest other one;
                     bestStep is null when there is no loss point; NaN and ±Infinity in evidence print as strings
  --locale en|zh-cn  language of the reason and advice (default: from LANG)

Lines of a JSONL log that cannot be read are skipped and counted. A JSONL log whose steps go back (a resumed run, a
Slurm requeue) is read as its latest attempt over the steps it covers, earlier attempts only where no later one
reaches; the evidence lists the attempts (evidence.attempts in --json).
Exit status: 0 done (whatever the verdict), 2 wrong usage, or a file that cannot be read or is not a training log.
`;

interface DiagnoseArgs {
  file: string;
  json: boolean;
  locale: Locale;
}

export async function diagnoseCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = argsOrExit('diagnose', args, io, HELP, parseDiagnoseArgs);
  if (typeof parsed === 'number') return parsed;
  const file = path.resolve(io.cwd, parsed.file);
  let text: string;
  try {
    text = await readRegularFile(file);
  } catch (err) {
    io.stderr(`finetune-studio diagnose: cannot read ${parsed.file}: ${readErrorReason(err, parsed.locale)}\n`);
    return 2;
  }
  let imported;
  try {
    imported = importCurves(file, text);
  } catch (err) {
    if (err instanceof CurveImportError) {
      io.stderr(`finetune-studio diagnose: ${parsed.file}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { curves, skipped } = imported;
  const d = diagnose(curves, { locale: parsed.locale });
  const zh = parsed.locale === 'zh-cn';
  if (parsed.json) {
    io.stdout(JSON.stringify({
      verdict: d.verdict,
      reason: d.reason,
      advice: d.advice,
      bestStep: d.bestStep ?? null,
      whyNot: d.whyNot,
      evidence: d.evidence,
      source: curves.source,
      points: { train: curves.train.length, eval: curves.eval.length, learningRate: curves.learningRate.length, checkpoints: curves.checkpoints.length },
      skippedLines: skipped,
    }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) + '\n');
    return 0;
  }
  const colon = zh ? '：' : ': ';
  const out: string[] = [
    zh ? `${parsed.file}（${curves.source}）` : `${parsed.file} (${curves.source})`,
    `${zh ? '结论' : 'verdict'}${colon}${d.verdict}`,
    `${zh ? '原因' : 'reason'}${colon}${d.reason}`,
    `${zh ? '建议' : 'advice'}${colon}${d.advice}`,
    `${zh ? '为何不是别的结论' : 'why not another verdict'}${colon}${d.whyNot}`,
  ];
  if (d.bestStep !== undefined) out.push(`${zh ? '最佳步' : 'best step'}${colon}${d.bestStep}`);
  out.push(zh ? '依据：' : 'evidence:');
  for (const line of evidenceLines(d.evidence, parsed.locale)) out.push(`  - ${line}`);
  if (skipped.length > 0) {
    const first = skipped.slice(0, 5).map((s) => (zh ? `第 ${s.line} 行（${s.reason}）` : `${s.line} (${s.reason})`)).join(zh ? '；' : ', ');
    out.push(zh ? `跳过了 ${skipped.length} 行：${first}${skipped.length > 5 ? ' …' : ''}` : `skipped ${skipped.length} line(s): ${first}${skipped.length > 5 ? ', …' : ''}`);
  }
  io.stdout(out.join('\n') + '\n');
  return 0;
}

function parseDiagnoseArgs(args: string[], defaultLocale: Locale): DiagnoseArgs | string {
  let json = false;
  let locale = defaultLocale;
  const parsed = parseArgs(args, {
    booleans: { '--json': () => { json = true; } },
    values: { '--locale': localeOption((v) => { locale = v; }, locale) },
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
  });
  if ('error' in parsed) return parsed.error;
  const one = oneFile(parsed.files, usageMessage(locale, 'noLog'), 'log', locale);
  if ('error' in one) return one.error;
  return { file: one.file, json, locale };
}
