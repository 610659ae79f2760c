// `finetune-studio export`'s messages in English and Chinese (the language of FINETUNE_LOCALE / LANG or --locale).
import { messageCatalogue } from '../core/fillTemplate';

const en = {
  noModel: 'missing --model <folder>: the base model folder (config.json, safetensors, tokenizer files), or the full fine-tuned model',
  noFormat: 'missing --format: merged, onnx or ollama',
  badFormat: '--format must be merged, onnx or ollama, not {value}',
  noOut: 'missing --out <dir>: the folder the export is written into',
  notModel: '{path} is not a model folder: it has no config.json',
  notAdapter: '{path} is not an adapter folder: it has no adapter_config.json',
  fp16OnlyOnnx: '--fp16 applies to --format onnx only',
  running: 'Exporting with {python} (trainer log: {log})…',
  noPython: 'cannot run {python}: {reason}. Pass --python with a Python that has torch, transformers and peft (the trainer venv)',
  failed: 'the export failed: {message}',
  exited: 'the trainer exited with code {code} without saying why; see {log}',
  saved: 'Exported to {folder}',
  check: 'Check passed: max |logits difference| {diff} (tolerance {tolerance}); greedy tokens equal on {equal}/{prompts} prompts for {steps} steps.',
  ollama: 'Import it into Ollama with: {command}',
  unknownFamily: 'The model family is not known, so the Modelfile has no chat template: check the answers after importing.',
} as const;

export type ExportMessageKey = keyof typeof en;

const zhCn: Record<ExportMessageKey, string> = {
  noModel: '缺少 --model <文件夹>：基础模型的文件夹（config.json、`safetensors` 权重、分词器文件），或全参数精调后的模型',
  noFormat: '缺少 --format：`merged`、`onnx` 或 `ollama`',
  badFormat: '--format 只能是 `merged`、`onnx` 或 `ollama`，而不是 {value}',
  noOut: '缺少 --out <目录>：导出写入的文件夹',
  notModel: '{path} 不是模型文件夹：其中没有 config.json',
  notAdapter: '{path} 不是适配器文件夹：其中没有 adapter_config.json',
  fp16OnlyOnnx: '--fp16 只适用于 `--format onnx`',
  running: '正在用 {python} 导出（训练器日志：{log}）…',
  noPython: '无法运行 {python}：{reason}。请用 --python 指定装有 `torch`、`transformers` 和 `peft` 的 Python（训练器的虚拟环境）',
  failed: '导出失败：{message}',
  exited: '训练器以退出码 {code} 结束，未说明原因；请查看 {log}',
  saved: '已导出到 {folder}',
  check: '校验通过：`logits` 最大绝对差 {diff}（容差 {tolerance}）；{equal}/{prompts} 个提示的前 {steps} 步贪心解码结果一致。',
  ollama: '用以下命令导入 Ollama：{command}',
  unknownFamily: '无法识别模型系列，因此 `Modelfile` 中没有对话模板：导入后请检查回答格式。',
};

const catalogue = messageCatalogue<ExportMessageKey>({ en, 'zh-cn': zhCn });
export const exportMessage = catalogue.message;
export const exportMessageKeys = catalogue.keys;

