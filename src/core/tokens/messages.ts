// English and Chinese texts of the token statistics: recommendations, tokenizer-folder errors, CLI labels.
// One catalogue so the CLI, the report webview and the hover all say the same thing.
import { messageCatalogue } from '../fillTemplate';
import type { Locale } from '../dataset/types';


const en = {
  'context.none': 'No samples could be counted, so there is no context-length recommendation.',
  'context.4k': '{within} of samples fit in 4k tokens (95% or more): a 4k-context model with SFT is enough.',
  'context.8k': '{over} of samples are longer than 4k tokens (20% or more): fine-tune the 8k version of the model.',
  'context.between':
    '{over} of samples ({count}) are longer than 4k tokens: between the 5% a 4k model tolerates and the 20% that calls for 8k. ' +
    'Either drop or truncate those samples and train a 4k model, or keep them and use the 8k version if long inputs matter for your task. ' +
    'Long samples (line: tokens): {lines}',
  'context.over8k': '{count} sample(s) are longer than 8k tokens and will be truncated even by an 8k model; drop or shorten them: {lines}',
  'epochs': 'Suggested epochs for {samples} samples: {epochs} (the guide: 100 → 15, 1000 → 10, 10000 → 2, log scale in between).',
  'trainTokens': 'Trained tokens: {train} per epoch × {epochs} epochs = {total}.',
  'more': '… and {count} more',
  'sample.tooLong': 'the line has {chars} characters, more than the {limit} counted',
  'sample.notObject': 'a sample must be a JSON object',
  'sample.tooDeep': 'the sample nests lists and objects more than {depth} deep',
  'sample.promptCompletion': '"prompt" and "completion" must both be strings or both be lists of messages',
  'sample.noConvert': 'cannot convert to OpenAI messages: {reason}',
  'sample.unknownFormat': 'no "messages", "prompt"/"completion", "text", ShareGPT "conversations" or Alpaca "instruction" to count',
  'sample.templateFailed': 'the chat template failed: {detail}',
  'sample.unknownPart': 'message {message}, content part {part}: {shape} is not a known content part (expected {"type": "text", "text": ...} or a media part such as image_url)',

  'folder.hubId':
    '"{ref}" looks like a Hugging Face Hub model id, and hub downloads are not supported yet. ' +
    'Download the model folder (for example `huggingface-cli download {ref} --include "tokenizer*" "*.jinja" "*.json"`) and pass its path.',
  'folder.notFound': 'Tokenizer folder not found: {dir}. Pass the local model folder that holds tokenizer.json and tokenizer_config.json.',
  'folder.notAFolder': '{dir} is not a folder. Pass the model folder that holds tokenizer.json and tokenizer_config.json.',
  'folder.noTokenizerJson':
    'No tokenizer.json in {dir}. Pass the model folder that holds tokenizer.json (as downloaded from the Hub or written by save_pretrained). ' +
    'A model that ships only a slow tokenizer (tokenizer.model, or vocab.json + merges.txt) needs one conversion in Python: ' +
    'AutoTokenizer.from_pretrained(dir).save_pretrained(dir).',
  'folder.noChatTemplate':
    'The model folder {dir} has no chat template (looked for chat_template.jinja, chat_template.json and "chat_template" in tokenizer_config.json). ' +
    'Base models often have none: pass the folder of the chat/instruct version, or save the template you will train with as chat_template.jinja in this folder.',
  'folder.invalidFile': 'Cannot read {file}: {problem}',
  'folder.invalidTemplate': 'The chat template in {file} cannot be compiled: {problem}',
  'folder.unsupportedTokenizer': 'The tokenizer in {file} cannot be loaded: {problem}',
  'template.time': 'The chat template in {file} was stopped after running for {limit}: the template, not the dataset, is at fault (an endless or huge loop?). Fix or replace that file.',
  'template.steps': 'The chat template in {file} was stopped after {limit} steps: the template, not the dataset, is at fault (an endless or huge loop?). Fix or replace that file.',
  'template.size': 'The chat template in {file} was stopped because it built a text or list longer than {limit}: the template, not the dataset, is at fault. Fix or replace that file.',
  'template.depth': 'The chat template in {file} was stopped because it nested more than {limit} levels deep (a macro that calls itself?): the template, not the dataset, is at fault. Fix or replace that file.',

  'length.over': 'This sample is {tokens} tokens with the chat template of {model}: {over} over the maximum of {max}. Training drops or truncates it; shorten or split it.',
  'cli.title': 'Token statistics: {file} (tokenizer: {model})',
  'cli.samples': 'samples',
  'cli.tokens': 'tokens',
  'cli.over4k': 'over 4k',
  'cli.over8k': 'over 8k',
  'cli.trained': 'trained',
  'cli.trainedValue': '{train} of {total} tokens ({share})',
  'cli.recommendation': 'Recommendation',
  'cli.skippedParse': '{count} line(s) skipped because they are not valid JSON; run `finetune-studio lint {file}` to see why.',
  'cli.skippedOther': '{count} sample(s) could not be counted:',
  'cli.lineTooLong': 'the line has {bytes} bytes, over the limit of {limit} bytes a line may have: not read, not counted',
  'cli.approximate': '{count} sample(s) have estimated trained tokens: the chat template renders earlier turns differently once later ones follow.',
} as const;

export type MessageKey = keyof typeof en;

const zhCn: Record<MessageKey, string> = {
  'context.none': '没有可统计的样本，无法给出上下文长度建议。',
  'context.4k': '{within} 的样本在 4k token 以内（达到 95% 以上）：使用 4k 上下文的模型进行 SFT 精调即可。',
  'context.8k': '{over} 的样本超过 4k token（达到 20% 以上）：请使用 8k 版本的模型进行精调。',
  'context.between':
    '{over} 的样本（{count} 个）超过 4k token：介于 4k 模型可容忍的 5% 与需要 8k 的 20% 之间。' +
    '可以删除或截断这些样本后使用 4k 模型；若长输入对任务很重要，则保留它们并使用 8k 版本。' +
    '长样本（行号：token 数）：{lines}',
  'context.over8k': '{count} 个样本超过 8k token，即使 8k 模型也会截断，请删除或缩短：{lines}',
  'epochs': '{samples} 个样本建议的训练轮数（epoch）：{epochs}（指南：100 个 → 15，1000 个 → 10，10000 个 → 2，其间按对数刻度插值）。',
  'trainTokens': '参与训练的 token：每轮 {train} × {epochs} 轮 = {total}。',
  'more': '……另有 {count} 个',
  'sample.tooLong': '该行有 {chars} 个字符，超过统计上限 {limit}',
  'sample.notObject': '样本必须是 JSON 对象',
  'sample.tooDeep': '样本中列表和对象的嵌套超过 {depth} 层',
  'sample.promptCompletion': '"prompt" 和 "completion" 必须都是字符串，或都是消息列表',
  'sample.noConvert': '无法转换为 OpenAI 消息：{reason}',
  'sample.unknownFormat': '没有可统计的 "messages"、"prompt"/"completion"、"text"、ShareGPT 的 "conversations" 或 Alpaca 的 "instruction"',
  'sample.templateFailed': '对话模板渲染失败：{detail}',
  'sample.unknownPart': '第 {message} 条消息的第 {part} 个内容片段：{shape} 不是已知的内容片段（应为 {"type": "text", "text": ...} 或 image_url 之类的媒体片段）',

  'folder.hubId':
    '“{ref}”看起来是 Hugging Face Hub 的模型 ID，目前还不支持从 Hub 下载。' +
    '请先下载模型文件夹（例如 `huggingface-cli download {ref} --include "tokenizer*" "*.jinja" "*.json"`），再传入其路径。',
  'folder.notFound': '找不到分词器文件夹：{dir}。请传入包含 tokenizer.json 和 tokenizer_config.json 的本地模型文件夹。',
  'folder.notAFolder': '{dir} 不是文件夹。请传入包含 tokenizer.json 和 tokenizer_config.json 的模型文件夹。',
  'folder.noTokenizerJson':
    '{dir} 中没有 tokenizer.json。请传入包含 tokenizer.json 的模型文件夹（从 Hub 下载或由 save_pretrained 保存）。' +
    '只带慢速分词器（tokenizer.model，或 vocab.json + merges.txt）的模型需要先在 Python 中转换一次：' +
    '`AutoTokenizer.from_pretrained(dir).save_pretrained(dir)`。',
  'folder.noChatTemplate':
    '模型文件夹 {dir} 中没有对话模板（已查找 chat_template.jinja、chat_template.json 以及 tokenizer_config.json 中的 "chat_template"）。' +
    '基模型通常没有对话模板：请传入对话/指令版本的文件夹，或把训练时要用的模板保存为该文件夹中的 chat_template.jinja。',
  'folder.invalidFile': '无法读取 {file}：{problem}',
  'folder.invalidTemplate': '{file} 中的对话模板无法编译：{problem}',
  'folder.unsupportedTokenizer': '无法加载 {file} 中的分词器：{problem}',
  'template.time': '{file} 中的对话模板运行超过 {limit}，已被中止：问题出在模板而不是数据集（死循环或循环过大？）。请修复或替换该文件。',
  'template.steps': '{file} 中的对话模板执行超过 {limit} 步，已被中止：问题出在模板而不是数据集（死循环或循环过大？）。请修复或替换该文件。',
  'template.size': '{file} 中的对话模板生成了长度超过 {limit} 的文本或列表，已被中止：问题出在模板而不是数据集。请修复或替换该文件。',
  'template.depth': '{file} 中的对话模板嵌套超过 {limit} 层（宏在调用自身？），已被中止：问题出在模板而不是数据集。请修复或替换该文件。',

  'length.over': '按 {model} 的对话模板，此样本有 {tokens} 个 token，超过最大长度 {max} 达 {over} 个。训练时会被丢弃或截断；请缩短或拆分。',
  'cli.title': 'token 统计：{file}（分词器：{model}）',
  'cli.samples': '样本数',
  'cli.tokens': 'token 数',
  'cli.over4k': '超过 4k',
  'cli.over8k': '超过 8k',
  'cli.trained': '参与训练',
  'cli.trainedValue': '{total} 个 token 中的 {train} 个（{share}）',
  'cli.recommendation': '建议',
  'cli.skippedParse': '{count} 行不是合法的 JSON，已跳过；运行 `finetune-studio lint {file}` 查看原因。',
  'cli.skippedOther': '{count} 个样本无法统计：',
  'cli.lineTooLong': '该行有 {bytes} 字节，超过每行 {limit} 字节的上限：未读取，未统计',
  'cli.approximate': '{count} 个样本参与训练的 token 数为估计值：后续轮次出现后，对话模板会以不同方式渲染前面的轮次。',
};

/** The text for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export const message = messageCatalogue<MessageKey>({ en, 'zh-cn': zhCn }).message;

/** A sample's error in `locale`: its catalogue message when it has one, else its (English) message. */
export function sampleErrorText(locale: Locale, error: { message: string; localized?: { key: string; params: Record<string, string> } }): string {
  const key = error.localized?.key;
  return key !== undefined && key in en ? message(locale, key as MessageKey, error.localized!.params) : error.message;
}

/** `0.1234` → `12.3%` (one decimal; locale-independent so JSON-minded readers can parse it). */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
