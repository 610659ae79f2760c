// The CLI's usage errors in English and Chinese (the language of FINETUNE_LOCALE / LANG, as the rest of its output):
// what is wrong on the command line and how to write it instead.
import type { Locale } from '../core/dataset/types';
import { messageCatalogue } from '../core/fillTemplate';

const en = {
  unknownCommand: "unknown command '{name}'",
  unknownOption: 'unknown option {arg}',
  locale: '--locale must be en or zh-cn, not {value}',
  oneAtATime: 'one {noun} at a time (got {count}: {files})',
  noLog: 'which log? Pass a trainer_state.json, trainer_log.jsonl or events.jsonl',
  noPredictions: 'which file? Pass a generated_predictions.jsonl',
  noDataset: 'which dataset? Pass the JSONL file to count',
  segmentation: '--segmentation must be {allowed}, not {value}',
  tokenizerValue: '--tokenizer needs the model folder that holds tokenizer.json',
  workers: '--workers must be a whole number from 1 to 64',
  noTokenizer: "missing --tokenizer <dir>: pass the local folder of the model you will fine-tune, the one holding tokenizer.json and tokenizer_config.json (tokens are counted with that model's own tokenizer and chat template)",
  nothing: 'nothing',
  jobNoSub: 'which job command? start, list, follow, cancel or logs',
  jobUnknownSub: "unknown job command '{name}': start, list, follow, cancel or logs",
  jobNoSpec: 'which job? Pass its spec file (*.ftjob.json)',
  jobNoId: 'which job? Pass its id (`finetune-studio job list` shows them)',
  jobBadId: '{id} is not a job id (letters, digits, ".", "_" and "-", as `finetune-studio job list` shows them)',
  jobNeedsValue: '{flag} needs a value',
  jobTail: '--tail must be a whole number from 1 to {max}, not {value}',
  jobExtra: 'unexpected argument {arg}',
} as const;

export type UsageMessageKey = keyof typeof en;

const zhCn: Record<UsageMessageKey, string> = {
  unknownCommand: "未知命令 '{name}'",
  unknownOption: '未知选项 {arg}',
  locale: '--locale 只能是 en 或 zh-cn，而不是 {value}',
  oneAtATime: '一次只能处理一个{noun}（收到 {count} 个：{files}）',
  noLog: '要诊断哪个日志？请传入 trainer_state.json、trainer_log.jsonl 或 events.jsonl',
  noPredictions: '要评分哪个文件？请传入 generated_predictions.jsonl',
  noDataset: '要统计哪个数据集？请传入 JSONL 文件',
  segmentation: '--segmentation 只能是 {allowed}，而不是 {value}',
  tokenizerValue: '--tokenizer 需要含 tokenizer.json 的模型文件夹',
  workers: '--workers 必须是 1 到 64 之间的整数',
  noTokenizer: '缺少 --tokenizer <目录>：请传入要精调的模型的本地文件夹，其中应有 tokenizer.json 和 tokenizer_config.json（token 数按该模型自己的分词器和对话模板统计）',
  nothing: '空',
  jobNoSub: '要执行哪个作业命令？可用 `start`、`list`、`follow`、`cancel` 或 `logs`',
  jobUnknownSub: '未知的作业命令 `{name}`：可用 `start`、`list`、`follow`、`cancel` 或 `logs`',
  jobNoSpec: '要启动哪个作业？请传入它的规格文件（*.ftjob.json）',
  jobNoId: '要操作哪个作业？请传入作业 ID（`finetune-studio job list` 会列出）',
  jobBadId: '{id} 不是作业 ID（只含字母、数字、“.”、“_”和“-”，如 `finetune-studio job list` 所示）',
  jobNeedsValue: '{flag} 需要一个值',
  jobTail: '--tail 必须是 1 到 {max} 之间的整数，而不是 {value}',
  jobExtra: '多余的参数 {arg}',
};

const NOUNS: Record<'log' | 'file' | 'dataset', Record<Locale, string>> = {
  log: { en: 'log', 'zh-cn': '日志' },
  file: { en: 'file', 'zh-cn': '文件' },
  dataset: { en: 'dataset', 'zh-cn': '数据集' },
};

const catalogue = messageCatalogue<UsageMessageKey>({ en, 'zh-cn': zhCn });
export const usageMessage = catalogue.message;
export const usageMessageKeys = catalogue.keys;

/** A noun of oneFile's message in the locale. */
export function usageNoun(locale: Locale, noun: keyof typeof NOUNS): string {
  return NOUNS[noun][locale];
}
