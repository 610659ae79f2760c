// `finetune-studio metrics <generated_predictions.jsonl>`: BLEU-4 and ROUGE-1/2/L of LLaMA-Factory's predictions
// file, computed as LLaMA-Factory computes them (src/core/metrics), so the numbers equal its predict_results.json.
import * as path from 'node:path';
import type { CliIo } from '../io';
import { argsOrExit, localeOption, oneFile, parseArgs } from '../args';
import { usageMessage } from '../usageMessages';
import type { Locale } from '../../core/dataset/types';
import { averageScores, createScorer, parsePredictions, ROUGE_L_MAX_WORDS, rougeLCutNote, SEGMENTATIONS, type SampleScores, type Segmentation } from '../../core/metrics';
import { readErrorReason, readRegularFile } from '../../core/regularFile';

const HELP = `Usage: finetune-studio metrics <generated_predictions.jsonl> [--json] [--segmentation jieba|whitespace|character] [--locale en|zh-cn]

Scores every {"predict", "label"} line of a LLaMA-Factory generated_predictions.jsonl as LLaMA-Factory does: BLEU-4 on
characters (NLTK, smoothing method 3) and ROUGE-1/2/L on jieba words (rouge_chinese), each ×100, per sample rounded
to 4 decimals, averaged over the samples.

  --json             print {"bleu-4","rouge-1","rouge-2","rouge-l","samples":[{"bleu-4","rouge-1","rouge-2","rouge-l"}]}
                     (ROUGE values are F scores, as in LLaMA-Factory's predict_results.json)
  --segmentation     words for ROUGE: jieba (default, LLaMA-Factory's), whitespace (text.split()) or character
  --locale en|zh-cn  language of the table and messages (default: from LANG)

Lines that cannot be scored are reported on stderr with their line numbers; the others are still scored.
ROUGE-L compares at most the first ${ROUGE_L_MAX_WORDS.toLocaleString('en-US')} words of each side (an LCS of longer texts would take minutes): a line
where it cut a side gets a note on stderr and "rougeLCut" in --json; ROUGE-1/2 and BLEU-4 always take every word.
Exit status: 0 every line scored, 1 some lines (or all) could not be scored, 2 wrong usage or an unreadable file.
`;

interface MetricsArgs {
  file: string;
  json: boolean;
  segmentation: Segmentation;
  locale: Locale;
}

export async function metricsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = argsOrExit('metrics', args, io, HELP, parseMetricsArgs);
  if (typeof parsed === 'number') return parsed;
  const zh = parsed.locale === 'zh-cn';
  let text: string;
  try {
    text = await readRegularFile(path.resolve(io.cwd, parsed.file));
  } catch (err) {
    io.stderr(`finetune-studio metrics: ${zh ? '无法读取' : 'cannot read'} ${parsed.file}: ${readErrorReason(err, parsed.locale)}\n`);
    return 2;
  }
  const { rows, problems } = parsePredictions(text, parsed.locale);
  for (const p of problems.slice(0, 20)) io.stderr(`${parsed.file}:${p.line}: ${p.message}\n`);
  if (problems.length > 20) io.stderr(zh ? `……另有 ${problems.length - 20} 行无法评分\n` : `… and ${problems.length - 20} more lines that cannot be scored\n`);
  if (rows.length === 0) {
    io.stderr(`finetune-studio metrics: ${parsed.file}: ${zh
      ? '没有可评分的行（每行应为包含 "predict" 和 "label" 字符串的 JSON 对象）'
      : 'no line to score (each line should be a JSON object with "predict" and "label" strings)'}\n`);
    return 1;
  }

  const scorer = await createScorer({ segmentation: parsed.segmentation });
  const samples = rows.map((r) => scorer.score(r.predict, r.label));
  samples.forEach((s, i) => {
    if (s.rougeLCut) io.stderr(`${parsed.file}:${rows[i]!.line}: ${rougeLCutNote(s.rougeLCut, parsed.locale)}\n`);
  });
  const mean = averageScores(samples);
  if (parsed.json) {
    const brief = (s: SampleScores) => ({
      'bleu-4': s['bleu-4'], 'rouge-1': s['rouge-1'], 'rouge-2': s['rouge-2'], 'rouge-l': s['rouge-l'],
      ...(s.rougeLCut ? { rougeLCut: s.rougeLCut } : {}),
    });
    io.stdout(JSON.stringify({ ...brief(mean), samples: samples.map(brief) }) + '\n');
  } else {
    io.stdout(table(parsed, rows.length, problems.length, mean) + '\n');
  }
  return problems.length > 0 ? 1 : 0;
}

/** Terminal columns of a string: CJK and full-width characters take two. */
const columns = (s: string) => [...s].reduce((w, c) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1), 0);
const padStart = (s: string, width: number) => ' '.repeat(Math.max(0, width - columns(s))) + s;
const padEnd = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - columns(s)));

function table(args: MetricsArgs, scored: number, skipped: number, mean: SampleScores): string {
  const zh = args.locale === 'zh-cn';
  const cell = (v: number) => padStart(v.toFixed(4), 11);
  const out = [
    `${args.file}: ${scored} ${zh ? '个样本' : scored === 1 ? 'sample' : 'samples'}` +
      (skipped > 0 ? (zh ? `，跳过 ${skipped} 行` : `, ${skipped} line${skipped === 1 ? '' : 's'} skipped`) : '') +
      (zh ? `；ROUGE 分词：${args.segmentation}` : `; ROUGE words: ${args.segmentation}`),
    '',
    padEnd(zh ? '指标' : 'metric', 8) + [zh ? 'F 值' : 'F', zh ? '精确率' : 'precision', zh ? '召回率' : 'recall'].map((h) => padStart(h, 11)).join(''),
    padEnd('bleu-4', 8) + cell(mean['bleu-4']),
  ];
  for (const key of ['rouge-1', 'rouge-2', 'rouge-l'] as const) {
    const r = mean.rouge[key];
    out.push(padEnd(key, 8) + cell(r.f) + cell(r.p) + cell(r.r));
  }
  out.push('', zh ? '各项 ×100，与 LLaMA-Factory 的 predict_results.json 一致（ROUGE 取 F 值）。' : 'All ×100, as in LLaMA-Factory\'s predict_results.json (its ROUGE values are the F column).');
  return out.join('\n');
}

function parseMetricsArgs(args: string[], defaultLocale: Locale): MetricsArgs | string {
  let json = false;
  let locale = defaultLocale;
  let segmentation: Segmentation = 'jieba';
  const parsed = parseArgs(args, {
    booleans: { '--json': () => { json = true; } },
    values: {
      '--locale': localeOption((v) => { locale = v; }, locale),
      '--segmentation': (v) => {
        const found = SEGMENTATIONS.find((s) => s === v);
        if (!found) return usageMessage(locale, 'segmentation', { allowed: SEGMENTATIONS.join(', '), value: v ?? usageMessage(locale, 'nothing') });
        segmentation = found;
        return undefined;
      },
    },
    unknown: (arg) => usageMessage(locale, 'unknownOption', { arg }),
  });
  if ('error' in parsed) return parsed.error;
  const one = oneFile(parsed.files, usageMessage(locale, 'noPredictions'), 'file', locale);
  if ('error' in one) return one.error;
  return { file: one.file, json, segmentation, locale };
}
