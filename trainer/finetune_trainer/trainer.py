"""Training on transformers' Trainer: data (chat template, masking, packing or length grouping), the method
(LoRA, full, P-Tuning, Prefix-Tuning), precision from the GPU, gradient checkpointing, SDPA, resume, events.

Multi-GPU: run the same command under `accelerate launch -m finetune_trainer train --config F` or
`torchrun -m finetune_trainer ...`; Trainer picks up the distributed environment, and only rank 0 writes events.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence

from transformers import PrinterCallback, ProgressCallback, Trainer, TrainingArguments, set_seed

from .callbacks import EventCallback
from .checkpoints import resolve_resume
from .cancel import CancelFlag
from .collate import Collator
from .config import ConfigError, TrainConfig
from .data import file_sha256, load_splits
from .encode import ChatEncoder, Encoded, encode_all, template_sha256
from .errors import DatasetError, TrainingDiverged
from .events import EventWriter
from .model import Runtime, load_model, load_tokenizer, resolve_runtime
from .packing import LengthGroupedSampler, pack
from .peft_setup import apply_method, is_prompt_method


class FinetuneTrainer(Trainer):
    """Trainer with length-grouped batches and a count of the tokens trained on (for tokens/s)."""

    def __init__(self, *args: Any, lengths: Optional[Sequence[int]] = None, **kwargs: Any):
        self.lengths = lengths
        self.tokens_seen = 0
        super().__init__(*args, **kwargs)

    def _get_train_sampler(self, train_dataset=None):
        if self.lengths is None:
            return super()._get_train_sampler(train_dataset)
        group = self.args.per_device_train_batch_size * self.args.gradient_accumulation_steps * self.args.world_size
        return LengthGroupedSampler(self.lengths, group, self.args.seed)

    def training_step(self, model, inputs, *args, **kwargs):
        self.tokens_seen += int(inputs.pop("num_tokens", 0))
        return super().training_step(model, inputs, *args, **kwargs)

    def prediction_step(self, model, inputs, *args, **kwargs):
        inputs.pop("num_tokens", None)
        return super().prediction_step(model, inputs, *args, **kwargs)


def as_features(rows: Sequence[Any]) -> List[Dict[str, List[int]]]:
    out = []
    for r in rows:
        f = {"input_ids": r.input_ids, "labels": r.labels}
        if hasattr(r, "position_ids"):
            f["position_ids"] = r.position_ids
        out.append(f)
    return out


def training_arguments(config: TrainConfig, runtime: Runtime, has_eval: bool, checkpointing: bool) -> TrainingArguments:
    return TrainingArguments(
        output_dir=config.output_dir,
        num_train_epochs=config.num_train_epochs,
        max_steps=config.max_steps,
        learning_rate=config.learning_rate,
        per_device_train_batch_size=config.per_device_train_batch_size,
        per_device_eval_batch_size=config.per_device_train_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        warmup_steps=min(config.warmup_ratio, 0.999),  # v5: a float below 1 is a share of the steps
        weight_decay=config.weight_decay,
        logging_steps=config.logging_steps,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=config.eval_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        seed=config.seed,
        bf16=runtime.bf16,
        fp16=runtime.fp16,
        use_cpu=runtime.device == "cpu",
        gradient_checkpointing=checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False} if checkpointing else None,
        label_names=["labels"],  # peft models hide the forward signature Trainer reads them from
        remove_unused_columns=False,
        ddp_find_unused_parameters=False,
        dataloader_pin_memory=runtime.device == "cuda",
        report_to="none",
        disable_tqdm=True,
    )


def prepare_data(config: TrainConfig, tokenizer: Any, packing: bool):
    train_samples, eval_samples = load_splits(config.train_file, config.eval_file, config.eval_share, config.seed)
    encoder = ChatEncoder(tokenizer)
    train_enc, train_stats = encode_all(encoder, train_samples, config.max_length, config.over_length, config.train_file)
    eval_enc, eval_stats = encode_all(encoder, eval_samples, config.max_length, config.over_length, config.eval_file or config.train_file)
    if not train_enc:
        raise DatasetError(f"{config.train_file}: no usable training samples ({train_stats.dropped} longer than max_length "
                           f"{config.max_length} and dropped, {train_stats.no_target} with no assistant tokens to learn)", config.train_file)
    rows: Sequence[Any] = pack(train_enc, config.max_length) if packing else train_enc
    stats = {"train_samples": train_stats.samples, "eval_samples": eval_stats.samples, "dropped": train_stats.dropped,
             "truncated": train_stats.truncated, "train_tokens": train_stats.tokens, "no_target": train_stats.no_target,
             "eval_dropped": eval_stats.dropped, "rows": len(rows)}
    return rows, eval_enc, stats


def train(config: TrainConfig, writer: EventWriter, cancel: CancelFlag) -> str:
    runtime = resolve_runtime(config)
    set_seed(config.seed)
    resume = resolve_resume(config.resume_from_checkpoint, config.output_dir)
    if resume and not os.path.isdir(resume):
        raise ConfigError(f"resume_from_checkpoint: the checkpoint folder does not exist: {resume}")
    tokenizer = load_tokenizer(config.model_name_or_path)
    # Prompt methods prepend virtual tokens and ignore position ids, so they cannot pack.
    packing = config.packing and not is_prompt_method(config.method)
    rows, eval_rows, stats = prepare_data(config, tokenizer, packing)
    checkpointing = config.gradient_checkpointing and config.method != "prefix_tuning"
    model = apply_method(load_model(config.model_name_or_path, runtime, config.method), config)
    grouped = config.group_by_length and not packing
    callback = EventCallback(writer, cancel, {
        "config": {**config.to_dict(), "packing": packing, "gradient_checkpointing": checkpointing, "dtype": runtime.dtype_name},
        "devices": runtime.devices, "dataset": stats, "resumed_from": resume,
    })
    trainer = FinetuneTrainer(
        model=model, args=training_arguments(config, runtime, bool(eval_rows), checkpointing),
        train_dataset=as_features(rows), eval_dataset=as_features(eval_rows) or None,
        data_collator=Collator(tokenizer.pad_token_id, 8 if runtime.device == "cuda" else None),
        processing_class=tokenizer, callbacks=[callback], lengths=[len(r) for r in rows] if grouped else None,
    )
    callback.trainer = trainer
    # Events replace transformers' own printing: stdout carries only event lines and plain log text.
    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    try:
        result = trainer.train(resume_from_checkpoint=resume)
    finally:
        cancel.in_loop = False
    if callback.diverged:
        raise TrainingDiverged(callback.diverged)
    if cancel.requested:
        saved = callback.last_checkpoint if cancel.save else None
        writer.done(status="cancelled", artifacts={"output_dir": config.output_dir}, stop_reason=cancel.reason, checkpoint=saved)
        return "stopped" if cancel.reason == "time_limit" else "cancelled"
    trainer.save_model(config.output_dir)
    metrics = {k: v for k, v in result.metrics.items() if isinstance(v, (int, float))}
    if eval_rows:
        metrics.update(trainer.evaluate())
    kind = "model" if config.method == "full" else "adapter"
    artifacts = {"output_dir": config.output_dir, kind: config.output_dir}
    template = template_sha256(tokenizer)
    if template:  # the trial chat compares it with the template of the model it runs
        artifacts["chat_template_sha256"] = template
    artifacts["dataset_sha256"] = file_sha256(config.train_file)  # the lineage's first link (the Models view)
    writer.done(status="succeeded", metrics=metrics, artifacts=artifacts)
    return "succeeded"
