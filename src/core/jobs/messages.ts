// English and Chinese reason lines of the hyperparameter recommendations (src/core/jobs/recommend.ts): the Start Job
// form shows one under each field, and the spec's values came from them.
import { messageCatalogue } from '../fillTemplate';


const en = {
  'epochs': '{samples} samples → {epochs} epochs (the guide: 100 → 15, 1000 → 10, 10000 → 2, log scale in between).',
  'epochs.none': 'No samples counted yet: {epochs} epochs; pick the training dataset to get the guide\'s value.',
  'lr.lora': 'LoRA: 2e-4, the usual default for adapters on models up to ~13B (QLoRA paper, LLaMA-Factory); keep it unless you have tuning experience.',
  'lr.full': 'Full fine-tuning updates every weight: 1e-5 (LLaMA-Factory\'s full SFT examples); higher rates damage the base model\'s general ability.',
  'lr.p_tuning': 'P-Tuning trains only a small prompt encoder: 1e-3 (the PEFT P-Tuning guide).',
  'lr.prefix_tuning': 'Prefix-Tuning trains only the prefix vectors: 1e-2 (the PEFT Prefix-Tuning guide).',
  'maxLength.4k': '{within} of samples fit in 4k tokens (p99 {p99}, longest {max}): 4096, a 4k model with SFT is enough.',
  'maxLength.4kDrop': '{within} of samples fit in 4k tokens (p99 {p99}, longest {max}): 4096; the {count} longer sample(s) are dropped.',
  'maxLength.between': '{over} of samples are over 4k tokens (p99 {p99}, longest {max}): 4096 drops them; choose 8192 (an 8k model) if long inputs matter.',
  'maxLength.8k': '{over} of samples are over 4k tokens (20% or more; p99 {p99}, longest {max}): 8192, use the 8k version of the model.',
  'maxLength.none': 'No token counts (no tokenizer for this base model yet): 4096, the guide\'s 4k default; add a model folder with tokenizer.json to check.',
  'batch': '{batch} per device × {accumulation} accumulation = {effective} samples a step: {reason}',
  'batch.tiny': 'a very small dataset still gets {steps} steps an epoch with a smaller batch.',
  'batch.small': 'a small dataset keeps enough steps per epoch ({steps}).',
  'batch.medium': 'the usual effective batch of 16 ({steps} steps an epoch).',
  'batch.large': 'a large dataset trains steadier with 32 a step ({steps} steps an epoch).',
  'batch.device.long': '{batch} per device: long samples ({maxLength} tokens) take one per device to fit in memory.',
  'batch.device.short': '{batch} per device: short samples (p95 {p95} tokens) fit four at a time.',
  'batch.device.default': '{batch} per device: samples of ordinary length fit two at a time; accumulation makes up the rest of the batch.',
  'spec.syntax': 'Not valid JSON at line {line}, column {column}.',
} as const;

export type JobMessageKey = keyof typeof en;

const zhCn: Record<JobMessageKey, string> = {
  'epochs': '{samples} 个样本 → {epochs} 轮（指南：100 个 → 15，1000 个 → 10，10000 个 → 2，其间按对数刻度插值）。',
  'epochs.none': '尚未统计样本：{epochs} 轮；选择训练数据集后按指南给出建议值。',
  'lr.lora': 'LoRA：2e-4，是 13B 以下模型适配器训练的常用默认值（QLoRA 论文、LLaMA-Factory）；没有调优经验时建议保持默认。',
  'lr.full': '全参微调会更新全部权重：1e-5（LLaMA-Factory 全参 SFT 示例）；学习率过高会损伤基模型的通用能力。',
  'lr.p_tuning': 'P-Tuning 只训练一个小的提示编码器：1e-3（PEFT 的 P-Tuning 指南）。',
  'lr.prefix_tuning': 'Prefix-Tuning 只训练前缀向量：1e-2（PEFT 的 Prefix-Tuning 指南）。',
  'maxLength.4k': '{within} 的样本在 4k token 以内（p99 {p99}，最长 {max}）：4096，使用 4k 模型进行 SFT 即可。',
  'maxLength.4kDrop': '{within} 的样本在 4k token 以内（p99 {p99}，最长 {max}）：4096；更长的 {count} 个样本会被丢弃。',
  'maxLength.between': '{over} 的样本超过 4k token（p99 {p99}，最长 {max}）：4096 会丢弃它们；若长输入对任务很重要，请选 8192（8k 模型）。',
  'maxLength.8k': '{over} 的样本超过 4k token（达到 20% 以上；p99 {p99}，最长 {max}）：8192，请使用 8k 版本的模型。',
  'maxLength.none': '没有 token 统计（此基模型还没有分词器）：4096，即指南的 4k 默认值；添加带 tokenizer.json 的模型文件夹即可检查。',
  'batch': '每卡 {batch} × 梯度累积 {accumulation} = 每步 {effective} 个样本：{reason}',
  'batch.tiny': '数据集很小，用较小的批次也能保证每轮有 {steps} 步。',
  'batch.small': '数据集较小，保证每轮有足够的步数（{steps} 步）。',
  'batch.medium': '常用的有效批大小 16（每轮 {steps} 步）。',
  'batch.large': '数据集较大，每步 32 个样本训练更稳定（每轮 {steps} 步）。',
  'batch.device.long': '每卡 {batch} 个：样本较长（{maxLength} token），每卡放一个以免显存不足。',
  'batch.device.short': '每卡 {batch} 个：样本较短（p95 {p95} token），一次可放四个。',
  'batch.device.default': '每卡 {batch} 个：普通长度的样本一次放两个，其余由梯度累积补足批大小。',
  'spec.syntax': '第 {line} 行第 {column} 列不是合法的 JSON。',
};

const catalogue = messageCatalogue<JobMessageKey>({ en, 'zh-cn': zhCn });

/** The text for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export const jobMessage = catalogue.message;
/** Every key (for the test that both languages have each). */
export const jobMessageKeys = catalogue.keys;
