// English and Chinese texts of local ONNX generation's problems: a model folder that cannot be run, and what
// `finetune-studio generate` says. Tokenizer and chat-template problems keep the token statistics' texts
// (src/core/tokens/messages.ts): OnnxModelError carries either catalogue's key.
import { messageCatalogue } from '../../core/fillTemplate';
import type { Locale } from '../../core/dataset/types';
import { message as tokensMessage, type MessageKey as TokensMessageKey } from '../../core/tokens/messages';

const en = {
  'model.notFound': 'Model folder not found: {dir}. Pass a local folder exported for ONNX (model.onnx or onnx/model.onnx, config.json, tokenizer.json).',
  'model.notAFolder': '{dir} is not a folder. Pass the model folder that holds model.onnx (or onnx/model.onnx), config.json and tokenizer.json.',
  'model.noGraph':
    'No ONNX graph in {dir} (looked for {candidates}). Export the model first, for example ' +
    '`optimum-cli export onnx --task text-generation-with-past --model <checkpoint> {dir}`.',
  'model.noVariant': 'No {variant} graph in {dir} (looked for {candidates}); the folder has {found}. Choose that variant instead.',
  'model.invalidFile': 'Cannot read {file}: {problem}',
  'model.invalidGraph': 'The ONNX graph {file} cannot be loaded: {problem}',
  'model.noInputIds': 'The graph {file} has no input "input_ids", so it is not a causal language model this chat can run (its inputs: {inputs}).',
  'model.noLogits': 'The graph {file} has no output "logits" (its outputs: {outputs}).',
  'model.unknownInput': 'The graph {file} has an input this chat cannot feed: "{name}" (it feeds input_ids, attention_mask, position_ids, past_key_values.N.key/value and use_cache_branch).',
  'model.noPresent': 'The graph {file} takes the cache input "{past}" but has no output "{present}" to carry it to the next step.',
  'model.cacheLayers': 'The graph {file} has cache inputs for layers {layers}: expected both key and value for every layer from 0 to {last}.',
  'model.configLayers': 'The graph {file} has a cache for {graph} layers, but {config} says num_hidden_layers is {expected}.',
  'model.cacheType': 'The cache input "{name}" of {file} is {type}: only float32 and float16 caches are supported.',
  'model.cacheRank': 'The cache input "{name}" of {file} has shape {shape}: expected 4 dimensions [batch, heads, past, head_dim].',
  'model.cacheShape': 'The cache input "{name}" of {file} has shape {shape}, but {config} says {heads} key/value heads × head_dim {headDim}: the graph and config.json do not belong together.',
  'model.cacheUnknown': 'The cache input "{name}" of {file} does not give its size ({shape}), and {config} has no {field} to take it from.',
  'model.logitsShape': 'The output "logits" of {file} has shape {shape}: expected [batch, sequence, vocabulary].',
  'model.logitsType': 'The output "logits" of {file} is {type}: expected float32 or float16.',
  'model.emptyPrompt': 'The rendered prompt has no tokens: nothing to generate from.',
  'model.promptTooLong': 'The prompt is {tokens} tokens, which leaves no room to generate within the model\'s {max} positions (max_position_embeddings in config.json).',
  'model.workerStopped': 'The generation worker stopped: {reason}',

  'cli.noModel': 'which model? Pass --model <folder> (a model folder exported for ONNX)',
  'cli.noPrompt': 'what to say? Pass --prompt <text> or --messages <file.json | JSON array>',
  'cli.bothPrompts': '--prompt and --messages cannot be used together',
  'cli.badNumber': '{flag} must be {what}, not {value}',
  'cli.badMessages': '--messages: {problem}',
  'cli.messagesShape': 'a JSON array of {"role", "content"} objects with string values (roles: system, user, assistant)',
  'cli.extraArgument': 'unexpected argument {arg} (quote the prompt: --prompt "...")',
  'cli.summary': '{tokens} tokens, prompt {promptTokens} tokens, first token after {ttft} ms, {rate} tokens/s ({reason})',
} as const;

export type OnnxMessageKey = keyof typeof en;

const zhCn: Record<OnnxMessageKey, string> = {
  'model.notFound': '找不到模型文件夹：{dir}。请传入导出为 `ONNX` 的本地文件夹（包含 `model.onnx` 或 `onnx/model.onnx`、config.json、tokenizer.json）。',
  'model.notAFolder': '{dir} 不是文件夹。请传入包含 `model.onnx`（或 `onnx/model.onnx`）、config.json 和 tokenizer.json 的模型文件夹。',
  'model.noGraph':
    '{dir} 中没有 `ONNX` 计算图（已查找 {candidates}）。请先导出模型，例如 ' +
    '`optimum-cli export onnx --task text-generation-with-past --model <checkpoint> {dir}`。',
  'model.noVariant': '{dir} 中没有 {variant} 版本的计算图（已查找 {candidates}）；该文件夹中有 {found}。请改选该版本。',
  'model.invalidFile': '无法读取 {file}：{problem}',
  'model.invalidGraph': '无法加载 `ONNX` 计算图 {file}：{problem}',
  'model.noInputIds': '计算图 {file} 没有输入 "input_ids"，不是本对话能运行的因果语言模型（它的输入：{inputs}）。',
  'model.noLogits': '计算图 {file} 没有输出 "logits"（它的输出：{outputs}）。',
  'model.unknownInput': '计算图 {file} 有一个本对话无法提供的输入："{name}"（支持 input_ids、attention_mask、position_ids、past_key_values.N.key/value 和 use_cache_branch）。',
  'model.noPresent': '计算图 {file} 有缓存输入 "{past}"，却没有把它传给下一步的输出 "{present}"。',
  'model.cacheLayers': '计算图 {file} 的缓存输入覆盖的层为 {layers}：应当从第 0 层到第 {last} 层每层都有 `key` 和 `value`。',
  'model.configLayers': '计算图 {file} 有 {graph} 层的缓存，但 {config} 中 num_hidden_layers 为 {expected}。',
  'model.cacheType': '计算图 {file} 的缓存输入 "{name}" 的类型为 {type}：只支持 `float32` 和 `float16` 缓存。',
  'model.cacheRank': '计算图 {file} 的缓存输入 "{name}" 的形状为 {shape}：应当是 4 维 `[batch, heads, past, head_dim]`。',
  'model.cacheShape': '计算图 {file} 的缓存输入 "{name}" 的形状为 {shape}，但 {config} 中是 {heads} 个 key/value 头 × head_dim {headDim}：计算图与 config.json 不匹配。',
  'model.cacheUnknown': '计算图 {file} 的缓存输入 "{name}" 没有给出大小（{shape}），{config} 中也没有可用的 {field}。',
  'model.logitsShape': '{file} 的输出 "logits" 形状为 {shape}：应当是 `[batch, sequence, vocabulary]`。',
  'model.logitsType': '{file} 的输出 "logits" 类型为 {type}：应当是 `float32` 或 `float16`。',
  'model.emptyPrompt': '渲染后的提示词没有任何 token：无从生成。',
  'model.promptTooLong': '提示词有 {tokens} 个 token，在模型的 {max} 个位置（config.json 中的 max_position_embeddings）内已没有生成的空间。',
  'model.workerStopped': '生成线程已停止：{reason}',

  'cli.noModel': '使用哪个模型？请传入 --model <文件夹>（导出为 `ONNX` 的模型文件夹）',
  'cli.noPrompt': '要说什么？请传入 --prompt <文本> 或 --messages <file.json | JSON 数组>',
  'cli.bothPrompts': '--prompt 与 --messages 不能同时使用',
  'cli.badNumber': '{flag} 应为{what}，而不是 {value}',
  'cli.badMessages': '--messages：{problem}',
  'cli.messagesShape': '应为由 {"role", "content"} 对象组成的 JSON 数组，值为字符串（角色：`system`、`user`、`assistant`）',
  'cli.extraArgument': '多余的参数 {arg}（请给提示词加引号：--prompt "..."）',
  'cli.summary': '{tokens} 个 token，提示词 {promptTokens} 个 token，首个 token 用时 {ttft} 毫秒，{rate} token/s（{reason}）',
};

const catalogue = messageCatalogue<OnnxMessageKey>({ en, 'zh-cn': zhCn });

/** The text for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export const onnxMessage = catalogue.message;
/** Every key (for the test that both languages have each). */
export const onnxMessageKeys = catalogue.keys;

/** Which catalogue a problem's key belongs to: this one, or the token statistics' (tokenizer and template problems). */
export type ProblemCatalogue = 'onnx' | 'tokens';

/** A model folder or generation problem the user can act on; `localized` says it in their language. */
export class OnnxModelError extends Error {
  constructor(readonly catalogue: ProblemCatalogue, readonly key: string, readonly params: Record<string, string>) {
    super(problemText('en', catalogue, key, params));
    this.name = 'OnnxModelError';
  }

  localized(locale: Locale): string {
    return problemText(locale, this.catalogue, this.key, this.params);
  }
}

export function onnxError(key: OnnxMessageKey, params: Record<string, string | number> = {}): OnnxModelError {
  return new OnnxModelError('onnx', key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
}

function problemText(locale: Locale, catalogue: ProblemCatalogue, key: string, params: Record<string, string>): string {
  if (catalogue === 'tokens') return tokensMessage(locale, key as TokensMessageKey, params);
  return key in en ? onnxMessage(locale, key as OnnxMessageKey, params) : key;
}
