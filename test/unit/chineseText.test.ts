// The Chinese the product shows reads as Chinese: no English word that is not a product, file, code or format name,
// and no ASCII punctuation inside Chinese sentences. It reads every Chinese string: the editor bundle, the command and
// settings texts, and every string literal with a Chinese character in src/ (the core, inference and CLI catalogues,
// the webviews' string tables).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { read, sourceFiles } from './sourceFiles';

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const HAS_CJK = new RegExp(`[${CJK}]`);

/** Files whose Chinese is data, not text for a reader: tokenizer probes and the ROUGE segmenter's dictionary. */
const NOT_UI = [/metrics[\\/]jieba/, /tokens[\\/]singleRenderProbes\.ts$/, /tokens[\\/]tokenizerFolder\.ts$/, /checks[\\/]placeholders\.ts$/];

/**
 * The string and template literals of a TypeScript source, comments and regular expressions left out. A template's
 * `${...}` becomes `{x}`; string literals inside it are returned on their own.
 */
export function stringLiterals(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  let lastSignificant = '';
  const regexMayStart = () => lastSignificant === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(lastSignificant) || /\b(return|typeof|case|in|of)$/.test(lastSignificant);

  function quoted(q: string): string {
    let out = '';
    i++;
    while (i < source.length && source[i] !== q) {
      if (source[i] === '\\') { out += source[i + 1] === q ? q : source.slice(i, i + 2); i += 2; continue; }
      out += source[i++];
    }
    i++;
    return out;
  }

  function template(): string {
    let out = '';
    i++;
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') { out += source.slice(i, i + 2); i += 2; continue; }
      if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        code('}');
        i++;
        out += '{x}';
        continue;
      }
      out += source[i++];
    }
    i++;
    return out;
  }

  /** Scans code up to the unmatched `end` (or the end of the source), collecting literals. */
  function code(end: string | undefined): void {
    let depth = 0;
    while (i < source.length) {
      const c = source[i]!;
      if (c === end && depth === 0) return;
      if (c === '{') depth++;
      if (c === '}') depth--;
      if (c === '/' && source[i + 1] === '/') { i = source.indexOf('\n', i); if (i < 0) i = source.length; continue; }
      if (c === '/' && source[i + 1] === '*') { i = source.indexOf('*/', i + 2) + 2; if (i < 2) i = source.length; continue; }
      if (c === '/' && regexMayStart()) {
        i++;
        let inClass = false;
        while (i < source.length && (source[i] !== '/' || inClass)) {
          if (source[i] === '\\') i++;
          else if (source[i] === '[') inClass = true;
          else if (source[i] === ']') inClass = false;
          i++;
        }
        i++;
        lastSignificant = 'x';
        continue;
      }
      if (c === "'" || c === '"') { found.push(quoted(c)); lastSignificant = 'x'; continue; }
      if (c === '`') { found.push(template()); lastSignificant = 'x'; continue; }
      if (!/\s/.test(c)) {
        if (/\w/.test(c)) {
          const word = /^\w+/.exec(source.slice(i, i + 40))![0];
          lastSignificant = word;
          i += word.length;
          continue;
        }
        lastSignificant = c;
      }
      i++;
    }
  }

  code(undefined);
  return found;
}

/** Every Chinese string the product can show, with where it comes from. */
function chineseStrings(): { where: string; text: string }[] {
  const all: { where: string; text: string }[] = [];
  for (const file of ['l10n/bundle.l10n.zh-cn.json', 'package.nls.zh-cn.json']) {
    for (const [key, text] of Object.entries(JSON.parse(read(file)) as Record<string, string>)) all.push({ where: `${file}: ${key}`, text });
  }
  for (const file of sourceFiles('src', /\.ts$/)) {
    if (NOT_UI.some((p) => p.test(file))) continue;
    for (const text of stringLiterals(read(file))) if (HAS_CJK.test(text)) all.push({ where: file, text });
  }
  return all;
}

/**
 * Names and terms a Chinese text keeps in Latin letters: products, formats, file and code names, units and the
 * training terms the product's Chinese uses as they are (loss, epoch, token; as in the seed page).
 */
const ALLOWED_PHRASES = ['Fine-tune Studio', 'Hugging Face', 'VS Code', 'JSON Lines', 'LLaMA-Factory', 'llama.cpp', 'P-Tuning', 'Prefix-Tuning'];
const ALLOWED_WORDS = new Set(
  [
    // products, libraries, services
    'LoRA', 'QLoRA', 'OpenAI', 'ShareGPT', 'Alpaca', 'Python', 'PEFT', 'Slurm', 'SSH', 'vLLM', 'Ollama', 'SGLang', 'ONNX', 'jieba', 'Hub', 'CUDA', 'Mac', 'Qwen3',
    // formats, encodings, standards
    'JSON', 'JSONL', 'UTF-8', 'UTF-16', 'GBK', 'BOM', 'NUL', 'CR', 'LF', 'FIFO', 'PNG', 'CSV', 'HTTP', 'URL', 'API', 'ID', 'U+FFFD',
    // metrics and methods
    'BLEU-4', 'ROUGE', 'ROUGE-1', 'ROUGE-2', 'ROUGE-L', 'SFT', 'GRPO', 'PPO', 'EMA', 'F', 't', 'P95', 'p95', 'p99', 'ETA',
    // hardware, keys
    'GPU', 'CPU', 'Shift', 'Ctrl', 'Enter', 'Esc',
    // training terms kept in English in Chinese text (the seed page writes loss, epoch, step, prompt the same way)
    'token', 'Token', 'loss', 'epoch', 'reward', 'warmup', 'span', 'null', 'alpha',
    // dataset keys and modules named as the data and the code write them
    'weight', 'tools', 'tool', 'history', 'id', 'name', 'file', 'choices', 'json',
    // the CLI's own name, command and values
    'finetune-studio', 'lint', 'en', 'zh-cn', 'N',
    // environment variables
    'PATH',
  ],
);
/** Sizes and counts: 4k, 8k, 13B, 20B. */
const SIZE = /^\d+(\.\d+)?[kKB]$/;

/** The Latin words of `text` a Chinese reader would take for untranslated English. */
export function englishWords(text: string): string[] {
  let rest = text
    .replace(/`[^`]*`/g, ' ') // code
    .replace(/\\[nrt]/g, ' ') // escapes shown as text: \n
    .replace(/\$\([\w-]+\)/g, ' ') // codicons such as $(error)
    .replace(/\{\w+\}/g, ' ') // placeholders
    .replace(/\]\(command:[^)]*\)/g, ']') // command links in welcome texts
    .replace(/"[^"\u3400-\u9fff]*"/g, ' ') // quoted keys and values: "messages", "cpu"
    .replace(/'[^'\u3400-\u9fff]*'/g, ' ')
    .replace(/\bhttps?:\/\/\S*/g, ' ')
    .replace(/(^|[\s（(“：，、[])--?[\w-]+/g, ' ') // CLI flags
    .replace(/[\w.*-]*\.[A-Za-z][\w*]*/g, ' ') // file names and dotted settings: tokenizer.json, finetune.python.path, *.ftjob.json
    .replace(/[A-Za-z][\w.-]*\/[\w.-]+/g, ' ') // hub ids and paths: Qwen/Qwen2.5-7B-Instruct
    .replace(/\b\w*_\w*\b/g, ' ') // identifiers: max_steps, chat_template
    .replace(/\/\w+/g, ' '); // paths: /v1
  for (const phrase of ALLOWED_PHRASES) rest = rest.split(phrase).join(' ');
  const words = rest.match(/[A-Za-z0-9][\w+-]*/g) ?? [];
  return words.filter((w) => /[A-Za-z]/.test(w) && !ALLOWED_WORDS.has(w) && !SIZE.test(w) && !/^\d+(\.\d+)?e-?\d+$/.test(w) && !/^FT\d+$/.test(w) && !/^[A-Z]+\d+$/.test(w));
}

const ASCII_IN_CHINESE = new RegExp(`[${CJK}，。：；、（）“”？！][,:;?!()]|[,:;?!()][${CJK}，。：；、（）“”？！]|[${CJK}]\\.(?=$|\\s|[${CJK}])`);

/** ASCII punctuation touching a Chinese character (or Chinese punctuation), after code spans are taken out. */
export function asciiPunctuation(text: string): string | undefined {
  const prose = text.replace(/`[^`]*`/g, '`x`');
  return ASCII_IN_CHINESE.exec(prose)?.[0];
}

describe('Chinese text', () => {
  const strings = chineseStrings();

  it('finds the Chinese strings of the bundle, the commands and the core catalogues', () => {
    assert.ok(strings.length > 500, `found only ${strings.length}`);
    const where = new Set(strings.map((s) => s.where.split(':')[0]));
    for (const file of ['src/core/dataset/messages.ts', 'src/core/tokens/messages.ts', 'src/core/jobs/messages.ts', 'src/core/curves/diagnose.ts', 'src/inference/messages.ts']) {
      assert.ok(where.has(file) || where.has(file.replace(/\//g, '\\')), `no Chinese found in ${file}`);
    }
  });

  it('the literal reader keeps template holes as {x} and skips comments and regular expressions', () => {
    const found = stringLiterals("// '注释'\nconst r = /[,'「]/; const a = `共 ${n ? '一' : `${m} 个`} 行`; x = a / b; y = '好'");
    assert.deepEqual(found, ['一', '{x} 个', '共 {x} 行', '好']);
  });

  it('the checks catch what they are for', () => {
    assert.deepEqual(englishWords('已导入 3 个 samples'), ['samples']);
    assert.deepEqual(englishWords('使用 {0} 的 `tokenizer.json` 和 LoRA 统计 token（4k，13B），见 finetune.dataset.tokenizer 与 "cpu"'), []);
    assert.equal(asciiPunctuation('第 3 行:缺少键'), '行:');
    assert.equal(asciiPunctuation('（见 `a,b` 和 0,1）'), undefined);
  });

  it('has no untranslated English word', () => {
    const bad = strings.flatMap(({ where, text }) => englishWords(text).map((w) => `${where}: "${w}" in ${JSON.stringify(text)}`));
    assert.deepEqual(bad, []);
  });

  it('uses Chinese punctuation in Chinese sentences', () => {
    const bad = strings.flatMap(({ where, text }) => {
      const hit = asciiPunctuation(text);
      return hit ? [`${where}: "${hit}" in ${JSON.stringify(text)}`] : [];
    });
    assert.deepEqual(bad, []);
  });

  it('uses the product\'s terms', () => {
    // 精调 for the product and its jobs (微调 only in method names such as 全参微调), 基模型, token, 模型评测/评估指标.
    const terms: [RegExp, string][] = [
      [/基座/, '基模型'],
      [/词元/, 'token'],
      [/(?<!全参|P-Tuning |前缀)微调(?!方法)/, '精调 (微调 only inside a method name)'],
      [/\d+ 条样本|[这那每]条样本/, '个样本'],
    ];
    const bad = strings.flatMap(({ where, text }) => terms.filter(([re]) => re.test(text)).map(([, want]) => `${where}: want ${want} in ${JSON.stringify(text)}`));
    assert.deepEqual(bad, []);
  });
});
