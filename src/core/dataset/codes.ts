// Every diagnostic code of the dataset linter with its severity and title (docs/dataset-checks.md
// lists the same table; a unit test keeps the two in step). Codes are stable: never renumber one.
import type { Locale, Severity } from './types';

export interface CodeInfo {
  severity: Severity;
  title: Record<Locale, string>;
}

export const CODES = {
  FT001: { severity: 'error', title: { en: 'JSON syntax error', 'zh-cn': 'JSON 语法错误' } },
  FT002: { severity: 'error', title: { en: 'Invalid UTF-8', 'zh-cn': '无效的 UTF-8 编码' } },
  FT003: { severity: 'error', title: { en: 'Byte order mark', 'zh-cn': '字节顺序标记（BOM）' } },
  FT004: { severity: 'warning', title: { en: 'Blank line', 'zh-cn': '空行' } },
  FT005: { severity: 'error', title: { en: 'Binary content or NUL bytes', 'zh-cn': '二进制内容或 NUL 字节' } },
  FT006: { severity: 'warning', title: { en: 'Replacement character U+FFFD', 'zh-cn': '替换字符 U+FFFD' } },
  FT007: { severity: 'error', title: { en: 'Sample is not a JSON object', 'zh-cn': '样本不是 JSON 对象' } },
  FT008: { severity: 'warning', title: { en: 'Very long line', 'zh-cn': '行过长' } },
  FT009: { severity: 'error', title: { en: 'Nesting too deep', 'zh-cn': '嵌套过深' } },
  FT010: { severity: 'error', title: { en: 'Unknown sample format', 'zh-cn': '无法识别的样本格式' } },
  FT011: { severity: 'warning', title: { en: 'Mixed formats in one file', 'zh-cn': '同一文件混用多种格式' } },
  FT012: { severity: 'warning', title: { en: 'Misspelt key', 'zh-cn': '键名拼写错误' } },
  FT013: { severity: 'error', title: { en: 'Wrong type', 'zh-cn': '类型错误' } },
  FT014: { severity: 'error', title: { en: 'Missing field', 'zh-cn': '缺少字段' } },
  FT015: { severity: 'hint', title: { en: 'Key not used for training', 'zh-cn': '训练不会使用的键' } },
  FT020: { severity: 'error', title: { en: 'Unknown or misspelt role', 'zh-cn': '未知或拼错的角色' } },
  FT021: { severity: 'warning', title: { en: 'Empty content', 'zh-cn': '内容为空' } },
  FT022: { severity: 'error', title: { en: 'No assistant answer to learn from', 'zh-cn': '没有可学习的助手回答' } },
  FT023: { severity: 'error', title: { en: 'Role order the loader rejects', 'zh-cn': '角色顺序不被加载器接受' } },
  FT024: { severity: 'warning', title: { en: 'Unusual role sequence', 'zh-cn': '角色顺序异常' } },
  FT025: { severity: 'warning', title: { en: 'Last message is not the assistant\'s', 'zh-cn': '最后一条消息不是助手回答' } },
  FT026: { severity: 'warning', title: { en: 'System message not first', 'zh-cn': '系统消息不在开头' } },
  FT027: { severity: 'error', title: { en: 'Weight is not 0 or 1', 'zh-cn': 'weight 不是 0 或 1' } },
  FT028: { severity: 'error', title: { en: 'Weight on a non-assistant message', 'zh-cn': 'weight 用在了非助手消息上' } },
  FT030: { severity: 'error', title: { en: 'Tool-call arguments or tool list are not valid JSON', 'zh-cn': '工具调用参数或工具列表不是有效的 JSON' } },
  FT031: { severity: 'error', title: { en: 'Tool call not answered', 'zh-cn': '工具调用没有对应的工具结果' } },
  FT032: { severity: 'error', title: { en: 'Tool result answers no call', 'zh-cn': '工具结果没有对应的调用' } },
  FT033: { severity: 'error', title: { en: 'Called function not declared', 'zh-cn': '调用的函数未在 tools 中声明' } },
  FT034: { severity: 'warning', title: { en: 'Tool calls without declared tools', 'zh-cn': '有工具调用但未声明 tools' } },
  FT035: { severity: 'warning', title: { en: 'Observation without a function call', 'zh-cn': '工具结果前没有函数调用' } },
  FT036: { severity: 'error', title: { en: 'Media count does not match its tags', 'zh-cn': '媒体数量与占位标记不符' } },
  FT040: { severity: 'warning', title: { en: 'Exact duplicate', 'zh-cn': '完全重复的样本' } },
  FT041: { severity: 'information', title: { en: 'Near duplicate', 'zh-cn': '近似重复的样本' } },
  FT042: { severity: 'information', title: { en: 'Same prompt, different answer', 'zh-cn': '相同提问、不同回答' } },
  FT043: { severity: 'warning', title: { en: 'Sample also in the other split', 'zh-cn': '样本同时出现在训练集与验证集' } },
  FT044: { severity: 'information', title: { en: 'Prompt also in the other split', 'zh-cn': '提问同时出现在训练集与验证集' } },
  FT050: { severity: 'information', title: { en: 'Few samples', 'zh-cn': '样本数量偏少' } },
  FT051: { severity: 'error', title: { en: 'No samples', 'zh-cn': '没有样本' } },
  FT060: { severity: 'warning', title: { en: 'Sample longer than the maximum', 'zh-cn': '样本超过最大长度' } },
  FT070: { severity: 'error', title: { en: 'Lone surrogate', 'zh-cn': '孤立的代理项' } },
  FT071: { severity: 'warning', title: { en: 'Special token in the text', 'zh-cn': '文本中含有特殊 token' } },
  FT072: { severity: 'warning', title: { en: 'Duplicate key', 'zh-cn': '重复的键' } },
  FT073: { severity: 'error', title: { en: 'UTF-16 encoded file', 'zh-cn': 'UTF-16 编码的文件' } },
  FT074: { severity: 'error', title: { en: 'CR-only line endings', 'zh-cn': '只用 CR 作换行符' } },
  FT075: { severity: 'error', title: { en: 'Integer too long for Python', 'zh-cn': '整数位数超出 Python 的限制' } },
  FT076: { severity: 'warning', title: { en: 'Unreplaced template placeholder', 'zh-cn': '未替换的模板占位符' } },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function severityOf(code: Code): Severity {
  return CODES[code].severity;
}
