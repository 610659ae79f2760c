// Every message of the dataset linter, its fixes, the converter and the `lint` command, in English and
// Chinese. Each entry takes one parameter object; `t()` picks the locale. Lines and columns in message
// text are 1-based (what people read); spans stay 0-based.
import type { Locale } from './types';
import { safeParams } from '../messageText';
import type { NotDatasetKind } from './formats/notDataset';

type Entry = Record<Locale, (p: never) => string>;

const TYPE_ZH: Record<string, string> = {
  object: '对象', array: '数组', string: '字符串', number: '数字', boolean: '布尔值', null: 'null', missing: '缺失',
};
/** A JSON type name in Chinese (other words pass through). */
const zhType = (s: string | number) => (Object.hasOwn(TYPE_ZH, String(s)) ? TYPE_ZH[String(s)]! : String(s));

const LITERAL_FIX: Record<string, string> = {
  True: 'true', False: 'false', None: 'null', NaN: 'null', Infinity: 'null', '-Infinity': 'null', undefined: 'null',
  TRUE: 'true', FALSE: 'false', NULL: 'null', Null: 'null',
};

/** The JSON literal a Python-ism stands for (`True` → `true`), or ''. */
export function literalSuggestion(word: string): string {
  return Object.hasOwn(LITERAL_FIX, word) ? LITERAL_FIX[word]! : '';
}

const json = {
  'json.unexpected_end': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: the line ends before the value is complete (a missing } or ], or one sample split over several lines?)`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：这一行在 JSON 值结束前就结束了（缺少 } 或 ]，或一个样本被拆成了多行？）`,
  },
  'json.unexpected_char': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: unexpected '${p.found}'`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：意外的字符 '${p.found}'`,
  },
  'json.expected_value': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: expected a value, found '${p.found}'`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：此处应为一个值，实际是 '${p.found}'`,
  },
  'json.expected_key': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: expected a property name in double quotes, found '${p.found}'`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：此处应为双引号括起的键名，实际是 '${p.found}'`,
  },
  'json.expected_colon': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: expected ':' after the property name, found '${p.found}'`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：键名后应为 ':'，实际是 '${p.found}'`,
  },
  'json.expected_comma_or_close': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: expected ',' or a closing bracket, found '${p.found}' (a missing comma, or an unescaped quote in a string?)`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：此处应为 ',' 或右括号，实际是 '${p.found}'（漏了逗号，或字符串里有未转义的引号？）`,
  },
  'json.single_quotes': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: JSON needs double quotes ("), not single quotes (')`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：JSON 必须使用双引号（"），不能用单引号（'）`,
  },
  'json.unquoted_key': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: the property name ${p.found} must be in double quotes`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：键名 ${p.found} 必须用双引号括起`,
  },
  'json.trailing_comma': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: trailing comma (JSON allows none before } or ])`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：多余的逗号（JSON 不允许在 } 或 ] 前加逗号）`,
  },
  'json.comment': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: comments are not allowed in JSON`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：JSON 中不允许注释`,
  },
  'json.extra_data': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: more text after the JSON value; each line must hold exactly one sample`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：JSON 值之后还有内容；每行只能有一个样本`,
  },
  'json.unterminated_string': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: this string is never closed (a missing ", or a line break inside it?)`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：字符串没有结束（缺少 "，或字符串中有换行？）`,
  },
  'json.control_char': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: raw control character ${p.found} in a string; write it escaped (\\n, \\t)`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：字符串中有未转义的控制字符 ${p.found}，请写成转义形式（\\n、\\t）`,
  },
  'json.bad_escape': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: invalid escape ${p.found} (write a literal backslash as \\\\)`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：无效的转义 ${p.found}（反斜杠本身要写成 \\\\）`,
  },
  'json.bad_number': {
    en: (p: { column: number; found: string }) => `JSON syntax error at column ${p.column}: invalid number '${p.found}'`,
    'zh-cn': (p: { column: number; found: string }) => `JSON 语法错误（第 ${p.column} 列）：无效的数字 '${p.found}'`,
  },
  'json.bad_literal': {
    en: (p: { column: number; found: string; suggestion: string }) =>
      `JSON syntax error at column ${p.column}: '${p.found}' is not a JSON value` + (p.suggestion ? `; write ${p.suggestion}` : ' (strings need double quotes)'),
    'zh-cn': (p: { column: number; found: string; suggestion: string }) =>
      `JSON 语法错误（第 ${p.column} 列）：'${p.found}' 不是 JSON 值` + (p.suggestion ? `，请写成 ${p.suggestion}` : '（字符串需要双引号）'),
  },
  'json.fullwidth_punct': {
    en: (p: { column: number; found: string; expected: string }) => `JSON syntax error at column ${p.column}: full-width '${p.found}' where JSON needs '${p.expected}'`,
    'zh-cn': (p: { column: number; found: string; expected: string }) => `JSON 语法错误（第 ${p.column} 列）：这里用了全角字符 '${p.found}'，JSON 需要半角的 '${p.expected}'`,
  },
  'json.too_deep': {
    en: (p: { column: number }) => `JSON syntax error at column ${p.column}: nested too deeply to check`,
    'zh-cn': (p: { column: number }) => `JSON 语法错误（第 ${p.column} 列）：嵌套太深，无法检查`,
  },
  'json.prettyPrinted': {
    en: (p: { found: string }) => `JSON syntax error: this line holds only '${p.found}'; the file looks like pretty-printed JSON, but JSON Lines needs one whole sample per line`,
    'zh-cn': (p: { found: string }) => `JSON 语法错误：这一行只有 '${p.found}'；文件像是格式化（缩进）过的 JSON，而 JSONL 要求每行一个完整样本`,
  },
} satisfies Record<string, Entry>;

const line = {
  'utf8.invalid': {
    en: (p: { column: number }) => `Invalid UTF-8 at column ${p.column}: the bytes here are not UTF-8 text (saved as GBK or another encoding?); training loaders will fail to read the file`,
    'zh-cn': (p: { column: number }) => `第 ${p.column} 列不是有效的 UTF-8：这里的字节不是 UTF-8 文本（文件是否以 GBK 等其他编码保存？）；训练时加载器会读取失败`,
  },
  'utf8.replacement': {
    en: (p: { column: number }) => `U+FFFD replacement character at column ${p.column}: text here was probably decoded from invalid bytes and lost`,
    'zh-cn': (p: { column: number }) => `第 ${p.column} 列有替换字符 U+FFFD：这里的文字很可能来自无效字节的解码，原内容已丢失`,
  },
  bom: {
    en: () => 'Byte order mark (BOM) at the start of the line: Python\'s json module and most loaders reject it',
    'zh-cn': () => '行首有字节顺序标记（BOM）：Python 的 json 模块和大多数加载器会因此报错',
  },
  blank: {
    en: () => 'Blank line: JSON Lines has one sample per line and some loaders fail on empty lines',
    'zh-cn': () => '空行：JSONL 每行一个样本，部分加载器遇到空行会报错',
  },
  'binary.nul': {
    en: (p: { column: number }) => `NUL byte at column ${p.column}: this is binary data, not JSON Lines text`,
    'zh-cn': (p: { column: number }) => `第 ${p.column} 列有 NUL 字节：这是二进制数据，不是 JSONL 文本`,
  },
  'binary.control': {
    en: () => 'Mostly control characters: this is binary data, not JSON Lines text',
    'zh-cn': () => '大部分是控制字符：这是二进制数据，不是 JSONL 文本',
  },
  'binary.file': {
    en: (p: { lines: number }) => `This file looks binary, not JSON Lines text (${p.lines} lines of binary data; only the first is reported)`,
    'zh-cn': (p: { lines: number }) => `这个文件看起来是二进制文件，不是 JSONL 文本（共 ${p.lines} 行二进制数据，只报告第一行）`,
  },
  notObject: {
    en: (p: { found: string }) => `A sample must be a JSON object ({...}), found ${p.found}`,
    'zh-cn': (p: { found: string }) => `样本必须是 JSON 对象（{...}），实际是${zhType(p.found)}`,
  },
  'notObject.array': {
    en: (p: { count: number }) => `This line holds an array of ${p.count} items; JSON Lines needs one object per line (convert the JSON array to one sample a line)`,
    'zh-cn': (p: { count: number }) => `这一行是一个含 ${p.count} 项的数组；JSONL 要求每行一个对象（请把 JSON 数组拆成每行一个样本）`,
  },
  longLine: {
    en: (p: { length: number; limit: number }) => `Very long line: ${p.length} characters (over ${p.limit}); far beyond the context length most models are trained with`,
    'zh-cn': (p: { length: number; limit: number }) => `行过长：${p.length} 个字符（超过 ${p.limit}），远超大多数模型训练时的上下文长度`,
  },
  'longLine.unchecked': {
    en: (p: { bytes: number }) => `Line of ${p.bytes} bytes: too long to check, and far beyond any model's context length`,
    'zh-cn': (p: { bytes: number }) => `该行有 ${p.bytes} 字节：太长而无法检查，也远超任何模型的上下文长度`,
  },
  deep: {
    en: (p: { limit: number }) => `Nested more than ${p.limit} levels deep: Python's json module fails near 1000 levels and no chat sample needs this`,
    'zh-cn': (p: { limit: number }) => `嵌套超过 ${p.limit} 层：Python 的 json 模块在约 1000 层时会失败，聊天样本也不需要这么深的结构`,
  },
  utf16: {
    en: () => 'This file is UTF-16 encoded, not UTF-8: convert it to UTF-8 (VS Code: Reopen with Encoding, then Save with Encoding → UTF-8); training loaders read UTF-8 only',
    'zh-cn': () => '这个文件是 UTF-16 编码，不是 UTF-8：请转换为 UTF-8（VS Code：通过编码重新打开，再通过编码保存 → UTF-8）；训练加载器只读取 UTF-8',
  },
  crOnly: {
    en: (p: { count: number }) => `Lines end with a lone CR (old Mac line endings): loaders read these ${p.count} pieces as one invalid line; convert the line endings to LF (\\n)`,
    'zh-cn': (p: { count: number }) => `换行符只有 CR（旧 Mac 格式）：加载器会把这 ${p.count} 段当作一个无效的行；请把换行符改为 LF（\\n）`,
  },
  'surrogate.lone': {
    en: (p: { found: string; column: number }) => `Lone surrogate ${p.found} at column ${p.column}: half of a UTF-16 pair without its other half; Python's json accepts it, but tokenizers and UTF-8 writers fail on it`,
    'zh-cn': (p: { found: string; column: number }) => `第 ${p.column} 列有孤立的代理项 ${p.found}：这是缺了另一半的 UTF-16 代理对；Python 的 json 会接受它，但分词器和 UTF-8 写入会因此出错`,
  },
  specialToken: {
    en: (p: { token: string }) => `"${p.token}" in the text will be read as a control token, not as text: the tokenizer turns it into its special token (a turn or sequence boundary), so the model learns a broken conversation`,
    'zh-cn': (p: { token: string }) => `文本中的 "${p.token}" 会被当作控制 token 而不是普通文字：分词器会把它变成特殊 token（对话轮次或序列的边界），模型会学到被打乱的对话`,
  },
  'key.duplicate': {
    en: (p: { key: string; column: number }) => `Duplicate key "${p.key}": the later "${p.key}" at column ${p.column} replaces this one (JSON.parse and Python both keep only the last)`,
    'zh-cn': (p: { key: string; column: number }) => `重复的键 "${p.key}"：第 ${p.column} 列后出现的 "${p.key}" 会覆盖这一个（JSON.parse 和 Python 都只保留最后一个）`,
  },
  'number.tooLong': {
    en: (p: { digits: number; limit: number }) => `Integer of ${p.digits} digits: Python's json cannot read integers of more than ${p.limit} digits and the trainer rejects the line; write it as a string`,
    'zh-cn': (p: { digits: number; limit: number }) => `整数有 ${p.digits} 位：Python 的 json 无法读取超过 ${p.limit} 位的整数，训练器会拒绝这一行；请写成字符串`,
  },
  'format.unknown': {
    en: (p: { keys: string }) => `Unknown sample format (keys: ${p.keys}); expected "messages" (OpenAI), "conversations" (ShareGPT), "instruction"/"output" (Alpaca), "prompt"/"completion" or "text"`,
    'zh-cn': (p: { keys: string }) => `无法识别的样本格式（键：${p.keys}）；应为 "messages"（OpenAI）、"conversations"（ShareGPT）、"instruction"/"output"（Alpaca）、"prompt"/"completion" 或 "text"`,
  },
  placeholder: {
    en: (p: { found: string }) => `Unreplaced template placeholder in an answer: ${p.found}; the model will learn to say it as written: fill in the real value (the assistant's name, the author...) before training`,
    'zh-cn': (p: { found: string }) => `回答中有未替换的模板占位符：${p.found}；模型会原样学会说出它，训练前请填入实际内容（助手的名字、作者等）`,
  },
  'format.unknownParts': {
    en: (p: { message: number; part: number; shape: string }) =>
      `Unknown content-part format (message ${p.message}, part ${p.part}: ${p.shape}): OpenAI content parts are {"type": "text", "text": ...} or media parts (image_url, input_audio, file); chat templates may drop or garble this one, so the sample is not checked further`,
    'zh-cn': (p: { message: number; part: number; shape: string }) =>
      `无法识别的内容片段格式（第 ${p.message} 条消息的第 ${p.part} 个片段：${p.shape}）：OpenAI 的内容片段应为 {"type": "text", "text": ...} 或媒体片段（image_url、input_audio、file）；对话模板可能丢弃或错误渲染这个片段，因此不再进一步检查这个样本`,
  },
  'format.mixed': {
    en: (p: { format: string; count: number; main: string; mainCount: number }) =>
      `This sample is in ${p.format} format (${plural(p.count, 'sample')}), but most of the file is ${p.main} (${p.mainCount}); loaders read one format per file`,
    'zh-cn': (p: { format: string; count: number; main: string; mainCount: number }) =>
      `此样本是 ${p.format} 格式（共 ${p.count} 个），而文件的大部分是 ${p.main} 格式（${p.mainCount} 个）；加载器每个文件只按一种格式读取`,
  },
} satisfies Record<string, Entry>;

const keys = {
  'key.unused': {
    en: (p: { key: string }) => `"${p.key}" is not used for training in this format`,
    'zh-cn': (p: { key: string }) => `"${p.key}" 在此格式下不会用于训练`,
  },
  'key.misspelt': {
    en: (p: { key: string; found: string }) => `Unknown key "${p.found}": did you mean "${p.key}"?`,
    'zh-cn': (p: { key: string; found: string }) => `未知的键 "${p.found}"：是不是想写 "${p.key}"？`,
  },
  'key.missingMisspelt': {
    en: (p: { key: string; found: string }) => `Missing "${p.key}": "${p.found}" looks like it was meant to be "${p.key}"`,
    'zh-cn': (p: { key: string; found: string }) => `缺少 "${p.key}"："${p.found}" 看起来应该是 "${p.key}"`,
  },
  'key.missing': {
    en: (p: { key: string }) => `Missing "${p.key}"`,
    'zh-cn': (p: { key: string }) => `缺少 "${p.key}"`,
  },
  'type.expected': {
    en: (p: { key: string; expected: string; found: string }) => `"${p.key}" must be ${article(p.expected)}, found ${p.found}`,
    'zh-cn': (p: { key: string; expected: string; found: string }) => `"${p.key}" 应为${zhType(p.expected)}，实际是${zhType(p.found)}`,
  },
  'type.message': {
    en: (p: { found: string }) => `A message must be an object, found ${p.found}`,
    'zh-cn': (p: { found: string }) => `消息必须是对象，实际是${zhType(p.found)}`,
  },
  'type.nullContent': {
    en: (p: { key: string }) => `"${p.key}" is null, which only an assistant message with tool calls may have`,
    'zh-cn': (p: { key: string }) => `"${p.key}" 为 null，只有带工具调用的助手消息可以这样`,
  },
  'type.content': {
    en: (p: { key: string; found: string }) => `"${p.key}" must be a string or a list of content parts, found ${p.found}`,
    'zh-cn': (p: { key: string; found: string }) => `"${p.key}" 应为字符串或内容片段列表，实际是${zhType(p.found)}`,
  },
  'type.contentPart': {
    en: (p: { found: string }) => `A content part must be an object with a "type", found ${p.found}`,
    'zh-cn': (p: { found: string }) => `内容片段必须是带 "type" 的对象，实际是${zhType(p.found)}`,
  },
  'type.history': {
    en: (p: { key: string; found: string }) => `"${p.key}" must be a list of [query, answer] pairs, found ${p.found}`,
    'zh-cn': (p: { key: string; found: string }) => `"${p.key}" 应为 ["提问", "回答"] 对的列表，实际是${zhType(p.found)}`,
  },
  'type.historyPair': {
    en: (p: { found: string }) => `A history entry must be a pair of strings [query, answer], found ${p.found}`,
    'zh-cn': (p: { found: string }) => `history 的每一项应为两个字符串 ["提问", "回答"]，实际是${zhType(p.found)}`,
  },
} satisfies Record<string, Entry>;

const conversation = {
  'role.unknown': {
    en: (p: { found: string; valid: string }) => `Unknown role "${p.found}"; this format's roles are ${p.valid}`,
    'zh-cn': (p: { found: string; valid: string }) => `未知的角色 "${p.found}"；此格式的角色为 ${p.valid}`,
  },
  'role.misspelt': {
    en: (p: { found: string; role: string; valid: string }) => `Unknown role "${p.found}": did you mean "${p.role}"? (roles: ${p.valid})`,
    'zh-cn': (p: { found: string; role: string; valid: string }) => `未知的角色 "${p.found}"：是不是想写 "${p.role}"？（角色：${p.valid}）`,
  },
  'content.empty': {
    en: (p: { key: string }) => `Empty "${p.key}"`,
    'zh-cn': (p: { key: string }) => `"${p.key}" 为空`,
  },
  'content.emptyPrompt': {
    en: (p: { prompt: string; query: string }) => `Empty prompt: "${p.prompt}" and "${p.query}" are both empty`,
    'zh-cn': (p: { prompt: string; query: string }) => `提问为空："${p.prompt}" 和 "${p.query}" 都是空的`,
  },
  'content.emptyHistory': {
    en: () => 'Empty text in a history pair',
    'zh-cn': () => 'history 中有空的提问或回答',
  },
  'weight.value': {
    en: (p: { found: string }) => `"weight" must be 0 or 1, found ${p.found}`,
    'zh-cn': (p: { found: string }) => `"weight" 只能是 0 或 1，实际是 ${p.found}`,
  },
  'weight.role': {
    en: (p: { role: string }) => `"weight" is only allowed on assistant messages, not on ${p.role} messages`,
    'zh-cn': (p: { role: string }) => `"weight" 只能用在助手消息上，不能用在 ${p.role} 消息上`,
  },
  'order.systemNotFirst': {
    en: (p: { role: string }) => `The "${p.role}" message should come first; most chat templates ignore or reject a system message later on`,
    'zh-cn': (p: { role: string }) => `"${p.role}" 消息应放在最前面；大多数对话模板会忽略或拒绝后面出现的系统消息`,
  },
  'order.toolWithoutCall': {
    en: (p: { role: string }) => `A "${p.role}" message must follow an assistant message with tool calls`,
    'zh-cn': (p: { role: string }) => `"${p.role}" 消息必须紧跟在带工具调用的助手消息之后`,
  },
  'order.startsWithAssistant': {
    en: (p: { role: string }) => `The conversation starts with "${p.role}": there is no user turn for it to answer`,
    'zh-cn': (p: { role: string }) => `对话以 "${p.role}" 开头：没有可供回答的用户提问`,
  },
  'order.repeated': {
    en: (p: { role: string }) => `Two "${p.role}" messages in a row; many chat templates require user and assistant to alternate`,
    'zh-cn': (p: { role: string }) => `连续两条 "${p.role}" 消息；很多对话模板要求用户和助手交替发言`,
  },
  'order.lastNotAssistant': {
    en: (p: { role: string }) => `The conversation ends with "${p.role}": nothing after the last assistant message is learned`,
    'zh-cn': (p: { role: string }) => `对话以 "${p.role}" 结尾：最后一条助手消息之后的内容不会被学习`,
  },
  'order.sharegpt': {
    en: (p: { position: number; expected: string; found: string }) =>
      `Turn ${p.position} is "${p.found}" but LLaMA-Factory expects ${p.expected} there (user side at odd turns, assistant side at even); it drops the whole sample`,
    'zh-cn': (p: { position: number; expected: string; found: string }) =>
      `第 ${p.position} 轮是 "${p.found}"，而 LLaMA-Factory 要求此处为 ${p.expected}（奇数轮为用户侧，偶数轮为助手侧）；整个样本会被丢弃`,
  },
  'order.sharegptSystem': {
    en: (p: { position: number; expected: string; found: string }) =>
      `"${p.found}" at turn ${p.position}: a system turn may only come first (LLaMA-Factory expects ${p.expected} here and drops the sample)`,
    'zh-cn': (p: { position: number; expected: string; found: string }) =>
      `第 ${p.position} 轮是 "${p.found}"：系统消息只能放在最前面（LLaMA-Factory 要求此处为 ${p.expected}，会丢弃该样本）`,
  },
  'order.sharegptOdd': {
    en: (p: { count: number; assistant: string }) => `${p.count} turns: LLaMA-Factory needs an even number ending with "${p.assistant}" and drops this sample`,
    'zh-cn': (p: { count: number; assistant: string }) => `共 ${p.count} 轮：LLaMA-Factory 要求轮数为偶数并以 "${p.assistant}" 结尾，会丢弃该样本`,
  },
  'order.rankingEndsWithAnswer': {
    en: (p: { role: string; chosen: string; rejected: string }) =>
      `Preference data (ranking: true): the conversation must end on the user's side, but it ends with "${p.role}"; the answers belong in "${p.chosen}" and "${p.rejected}" (LLaMA-Factory drops this sample)`,
    'zh-cn': (p: { role: string; chosen: string; rejected: string }) =>
      `偏好数据的对话应以用户侧结尾，这里却以 "${p.role}" 结尾；回答应放在 "${p.chosen}" 和 "${p.rejected}" 中（LLaMA-Factory 会丢弃该样本）`,
  },
  'order.rankedRole': {
    en: (p: { key: string; found: string; assistant: string }) => `"${p.key}" is a "${p.found}" message: a preference answer must be the assistant's ("${p.assistant}")`,
    'zh-cn': (p: { key: string; found: string; assistant: string }) => `"${p.key}" 是一条 "${p.found}" 消息：偏好数据的回答必须是助手（"${p.assistant}"）的消息`,
  },
  'media.count': {
    en: (p: { tags: number; tag: string; files: number; key: string; kind: string }) =>
      `${p.tags} ${p.tag} tag(s) in the text but ${p.files} file(s) in "${p.key}": LLaMA-Factory stops with "The number of ${p.kind} does not match the number of ${p.tag} tokens"`,
    'zh-cn': (p: { tags: number; tag: string; files: number; key: string; kind: string }) =>
      `文本中有 ${p.tags} 个 ${p.tag} 标记，而 "${p.key}" 中有 ${p.files} 个文件：LLaMA-Factory 会报错停止（数量必须一致）`,
  },
  'order.observationWithoutCall': {
    en: (p: { role: string; call: string }) => `"${p.role}" without a "${p.call}" turn before it: a tool result should answer a call`,
    'zh-cn': (p: { role: string; call: string }) => `"${p.role}" 之前没有 "${p.call}"：工具结果应当回应一次调用`,
  },
  'answer.none': {
    en: () => 'No assistant answer: this sample teaches the model nothing',
    'zh-cn': () => '没有助手回答：这个样本无法让模型学到任何东西',
  },
  'answer.allWeightZero': {
    en: () => 'Every assistant message has weight 0: nothing in this sample is learned',
    'zh-cn': () => '所有助手消息的 weight 都是 0：这个样本不会被学习',
  },
  'answer.allEmpty': {
    en: () => 'Every assistant answer is empty: this sample teaches the model to say nothing',
    'zh-cn': () => '所有助手回答都是空的：这个样本会教模型什么都不说',
  },
  'answer.emptyOutput': {
    en: (p: { key: string }) => `Empty "${p.key}": this sample teaches the model to say nothing`,
    'zh-cn': (p: { key: string }) => `"${p.key}" 为空：这个样本会教模型什么都不说`,
  },
} satisfies Record<string, Entry>;

const tools = {
  'tools.notJson': {
    en: (p: { key: string }) => `"${p.key}" is a string but not valid JSON (it should be a JSON list of function definitions)`,
    'zh-cn': (p: { key: string }) => `"${p.key}" 是字符串但不是有效的 JSON（应为函数定义的 JSON 列表）`,
  },
  'tools.noName': {
    en: (p: { key: string; index: number }) => `Tool ${p.index} in "${p.key}" has no function name`,
    'zh-cn': (p: { key: string; index: number }) => `"${p.key}" 中的第 ${p.index} 个工具没有函数名`,
  },
  'tools.noneDeclared': {
    en: (p: { name: string }) => `Calls "${p.name}" but the sample declares no tools; the model cannot learn when the tool is available`,
    'zh-cn': (p: { name: string }) => `调用了 "${p.name}"，但样本没有声明 tools；模型无法学到何时可以使用该工具`,
  },
  'tools.undeclared': {
    en: (p: { name: string; declared: string }) => `Calls "${p.name}", which is not declared in tools (declared: ${p.declared})`,
    'zh-cn': (p: { name: string; declared: string }) => `调用的 "${p.name}" 没有在 tools 中声明（已声明：${p.declared}）`,
  },
  'tools.argsNotJson': {
    en: (p: { name: string; column: number }) => `The arguments of "${p.name}" are not valid JSON (error at character ${p.column} of the arguments)`,
    'zh-cn': (p: { name: string; column: number }) => `"${p.name}" 的参数不是有效的 JSON（参数第 ${p.column} 个字符处出错）`,
  },
  'tools.argsNotObject': {
    en: (p: { name: string; found: string }) => `The arguments of "${p.name}" must be a JSON object, found ${p.found}`,
    'zh-cn': (p: { name: string; found: string }) => `"${p.name}" 的参数应为 JSON 对象，实际是${zhType(p.found)}`,
  },
  'tools.unknownId': {
    en: (p: { id: string }) => `No tool call with id "${p.id}" is waiting for a result here`,
    'zh-cn': (p: { id: string }) => `此处没有 id 为 "${p.id}" 的工具调用在等待结果`,
  },
  'tools.unanswered': {
    en: (p: { id: string }) => `Tool call "${p.id}" gets no tool message answering it before the conversation moves on`,
    'zh-cn': (p: { id: string }) => `工具调用 "${p.id}" 在对话继续之前没有得到对应的 tool 消息`,
  },
  'tools.callType': {
    en: (p: { found: string }) => `Tool call type "${p.found}": only "function" is supported`,
    'zh-cn': (p: { found: string }) => `工具调用类型 "${p.found}"：只支持 "function"`,
  },
  'tools.callNotJson': {
    en: () => 'A function_call turn must hold the call as JSON: {"name": ..., "arguments": {...}}',
    'zh-cn': () => 'function_call 轮的内容必须是 JSON 形式的调用：{"name": ..., "arguments": {...}}',
  },
  'tools.callShape': {
    en: () => 'A function call needs "name" and "arguments": {"name": ..., "arguments": {...}}',
    'zh-cn': () => '函数调用需要 "name" 和 "arguments"：{"name": ..., "arguments": {...}}',
  },
} satisfies Record<string, Entry>;

const file = {
  'dup.exact': {
    en: (p: { line: number; copies: number }) =>
      `Exact duplicate of line ${p.line}: the file holds ${p.copies} copies of this sample, so it is trained ${p.copies === 2 ? 'twice' : `${p.copies} times`} as often as other samples`,
    'zh-cn': (p: { line: number; copies: number }) => `与第 ${p.line} 行完全重复：文件中这个样本共有 ${p.copies} 份，训练次数是其他样本的 ${p.copies} 倍`,
  },
  'dup.near': {
    en: (p: { line: number }) => `Same sample as line ${p.line} apart from spacing, letter case or the order of keys`,
    'zh-cn': (p: { line: number }) => `除空白、大小写或键的顺序外与第 ${p.line} 行内容相同`,
  },
  'dup.conflict': {
    en: (p: { line: number }) => `Same prompt as line ${p.line} with a different answer: intended variety, or conflicting labels?`,
    'zh-cn': (p: { line: number }) => `与第 ${p.line} 行提问相同但回答不同：是有意的多样性，还是标注冲突？`,
  },
  'dup.first': {
    en: () => 'First occurrence',
    'zh-cn': () => '首次出现的位置',
  },
  'overlap.evalSample': {
    en: (p: { file: string; line: number }) => `This eval sample is also in the training data (${p.file} line ${p.line}): its score measures memory, not skill`,
    'zh-cn': (p: { file: string; line: number }) => `这个验证样本也出现在训练数据中（${p.file} 第 ${p.line} 行）：它的得分反映的是记忆而不是能力`,
  },
  'overlap.trainSample': {
    en: (p: { file: string; line: number }) => `This sample is also in the eval data (${p.file} line ${p.line}): evaluation on it measures memory, not skill`,
    'zh-cn': (p: { file: string; line: number }) => `这个样本也出现在验证数据中（${p.file} 第 ${p.line} 行）：在它上面做模型评测，反映的是记忆而不是能力`,
  },
  'overlap.prompt': {
    en: (p: { file: string; line: number }) => `The same prompt is in ${p.file} (line ${p.line}), with a different answer`,
    'zh-cn': (p: { file: string; line: number }) => `相同的提问也出现在 ${p.file}（第 ${p.line} 行），回答不同`,
  },
  'size.few': {
    en: (p: { count: number; guidance: number }) => `${plural(p.count, 'sample')}: models under 20B parameters usually need about ${p.guidance} labelled samples to fine-tune well`,
    'zh-cn': (p: { count: number; guidance: number }) => `共 ${p.count} 个样本：20B 以下的模型通常需要约 ${p.guidance} 条标注数据才能精调出好效果`,
  },
  'empty.file': {
    en: () => 'No samples: the file is empty',
    'zh-cn': () => '没有样本：文件是空的',
  },
  'empty.noSamples': {
    en: () => 'No samples: no line holds a JSON object',
    'zh-cn': () => '没有样本：没有任何一行是 JSON 对象',
  },
} satisfies Record<string, Entry>;

const fixes = {
  'fix.removeBom': { en: () => 'Remove the byte order mark', 'zh-cn': () => '删除字节顺序标记（BOM）' },
  'fix.deleteBlank': { en: () => 'Delete the blank line', 'zh-cn': () => '删除空行' },
  'fix.deleteDuplicate': { en: () => 'Delete the duplicate line', 'zh-cn': () => '删除重复的行' },
  'fix.loneSurrogate': { en: () => 'Replace the lone surrogate with U+FFFD', 'zh-cn': () => '把孤立的代理项替换为 U+FFFD' },
  'fix.role': {
    en: (p: { found: string; role: string }) => `Change role "${p.found}" to "${p.role}"`,
    'zh-cn': (p: { found: string; role: string }) => `把角色 "${p.found}" 改为 "${p.role}"`,
  },
  'fix.renameKey': {
    en: (p: { found: string; key: string }) => `Rename "${p.found}" to "${p.key}"`,
    'zh-cn': (p: { found: string; key: string }) => `把 "${p.found}" 重命名为 "${p.key}"`,
  },
  'fix.roleAll': {
    en: (p: { changes: string }) => `Change roles ${p.changes}`,
    'zh-cn': (p: { changes: string }) => `修改角色：${p.changes}`,
  },
  'fix.renameKeyAll': {
    en: (p: { changes: string }) => `Rename keys ${p.changes}`,
    'zh-cn': (p: { changes: string }) => `重命名键：${p.changes}`,
  },
} satisfies Record<string, Entry>;

const convert = {
  'convert.notJson': { en: () => 'not valid JSON', 'zh-cn': () => '不是有效的 JSON' },
  'convert.notObject': { en: () => 'not a JSON object', 'zh-cn': () => '不是 JSON 对象' },
  'convert.unknownFormat': { en: () => 'unknown format', 'zh-cn': () => '无法识别的格式' },
  'convert.notConvertible': {
    en: (p: { format: string }) => `${p.format} samples are not converted`,
    'zh-cn': (p: { format: string }) => `${p.format} 格式的样本不做转换`,
  },
  'convert.badTurn': {
    en: (p: { turn: number }) => `turn ${p.turn} has no usable role or content`,
    'zh-cn': (p: { turn: number }) => `第 ${p.turn} 轮没有可用的角色或内容`,
  },
  'convert.badCall': {
    en: (p: { turn: number }) => `turn ${p.turn}: the function call is not JSON with a name`,
    'zh-cn': (p: { turn: number }) => `第 ${p.turn} 轮：函数调用不是带 name 的 JSON`,
  },
  'convert.noAnswer': { en: () => 'no answer', 'zh-cn': () => '没有回答' },
} satisfies Record<string, Entry>;

const cli = {
  'cli.usage': {
    en: () => 'Usage: finetune-studio lint <file...> [--eval <file>] [--tokenizer <model folder> [--max-tokens N (default 4096)]] [--json] [--locale en|zh-cn]',
    'zh-cn': () => '用法：finetune-studio lint <文件...> [--eval <文件>] [--tokenizer <模型文件夹> [--max-tokens N（默认 4096）]] [--json] [--locale en|zh-cn]',
  },
  'cli.unknownFlag': {
    en: (p: { flag: string }) => `unknown option ${p.flag}`,
    'zh-cn': (p: { flag: string }) => `未知的选项 ${p.flag}`,
  },
  'cli.missingValue': {
    en: (p: { flag: string }) => `${p.flag} needs a value`,
    'zh-cn': (p: { flag: string }) => `${p.flag} 需要一个值`,
  },
  'cli.badValue': {
    en: (p: { flag: string; value: string; expected: string }) => `${p.flag} ${p.value}: expected ${p.expected}`,
    'zh-cn': (p: { flag: string; value: string; expected: string }) => `${p.flag} ${p.value}：应为 ${p.expected}`,
  },
  'cli.noFiles': { en: () => 'no dataset file given', 'zh-cn': () => '没有指定数据集文件' },
  'cli.missingFile': {
    en: (p: { file: string; reason: string }) => `cannot read ${p.file}: ${p.reason}`,
    'zh-cn': (p: { file: string; reason: string }) => `无法读取 ${p.file}：${p.reason}`,
  },
  'cli.maxTokensNeedsTokenizer': {
    en: (p: { max: number }) => `note: --max-tokens ${p.max} was not checked: counting tokens needs --tokenizer <model folder>`,
    'zh-cn': (p: { max: number }) => `注意：未检查 --max-tokens ${p.max}：计算 token 数需要 --tokenizer <模型文件夹>`,
  },
  'cli.datasetInfoUnreadable': {
    en: (p: { file: string; reason: string }) => `warning: ignoring ${p.file}: ${p.reason}`,
    'zh-cn': (p: { file: string; reason: string }) => `警告：已忽略 ${p.file}：${p.reason}`,
  },
  'cli.summary': {
    en: (p: { file: string; samples: number; format: string; errors: number; warnings: number; infos: number; hints: number }) =>
      `${p.file}: ${plural(p.samples, 'sample')}, format ${p.format}: ${plural(p.errors, 'error')}, ${plural(p.warnings, 'warning')}, ${p.infos} information, ${plural(p.hints, 'hint')}`,
    'zh-cn': (p: { file: string; samples: number; format: string; errors: number; warnings: number; infos: number; hints: number }) =>
      `${p.file}：${p.samples} 个样本，格式 ${p.format}：${p.errors} 个错误，${p.warnings} 个警告，${p.infos} 条提示信息，${p.hints} 条建议`,
  },
  'cli.notDataset': {
    en: (p: { file: string; kind: string }) => `${p.file}: not a dataset: ${p.kind} (not checked)`,
    'zh-cn': (p: { file: string; kind: string }) => `${p.file}：不是数据集：${p.kind}（未检查）`,
  },
  'cli.notRegistered': {
    en: (p: { file: string }) => `${p.file}: note: no dataset_info.json beside it names this file; LLaMA-Factory reads a dataset only once it is registered there`,
    'zh-cn': (p: { file: string }) => `${p.file}：注意：旁边没有 dataset_info.json 登记这个文件；LLaMA-Factory 只读取在其中登记过的数据集`,
  },
  'cli.omitted': {
    en: (p: { count: number }) => `  ... and ${p.count} more not shown`,
    'zh-cn': (p: { count: number }) => `  ……另有 ${p.count} 条未显示`,
  },
} satisfies Record<string, Entry>;

/** What a file that is not a dataset is (src/core/dataset/formats/notDataset.ts), as a noun phrase. */
const notDataset = {
  'notDataset.predictions': { en: () => 'model predictions', 'zh-cn': () => '模型预测结果' },
  'notDataset.trainingLog': { en: () => 'a training log', 'zh-cn': () => '训练日志' },
  'notDataset.modelConfig': { en: () => 'a model configuration', 'zh-cn': () => '模型配置文件' },
  'notDataset.tokenizer': { en: () => 'a tokenizer file', 'zh-cn': () => '分词器文件' },
  'notDataset.jobSpec': { en: () => 'a job spec', 'zh-cn': () => '任务规格文件' },
  'notDataset.datasetInfo': { en: () => 'a LLaMA-Factory dataset description', 'zh-cn': () => 'LLaMA-Factory 数据集说明文件' },
  'notDataset.jsonArray': { en: () => 'a JSON array whose records are not training samples', 'zh-cn': () => '记录不是训练样本的 JSON 数组' },
} satisfies Record<`notDataset.${NotDatasetKind}`, Entry>;

const catalogue = { ...json, ...line, ...keys, ...conversation, ...tools, ...file, ...fixes, ...convert, ...cli, ...notDataset };

export type MessageId = keyof typeof catalogue;
type Args<K extends MessageId> = Parameters<(typeof catalogue)[K]['en']>;
/** The parameter object message `K` takes (an empty object for messages without parameters). */
export type MessageParams<K extends MessageId> = Args<K>['length'] extends 0 ? Record<string, never> : Args<K>[0];

/** The message `id` in `locale`, with its parameters filled in. */
export function t<K extends MessageId>(locale: Locale, id: K, params: MessageParams<K>): string {
  const entry = catalogue[id] as Entry;
  // Dataset text in the parameters is shortened and escaped here, for every message (see messageText.ts).
  return entry[locale](safeParams(params as object, locale) as never);
}

/** Every message id (for the test that each has both languages). */
export function messageIds(): MessageId[] {
  return Object.keys(catalogue) as MessageId[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function article(word: string): string {
  return (/^[aeiou]/.test(word) ? 'an ' : 'a ') + word;
}
