"""`export`: merge LoRA into the base model (or take the full fine-tuned model) and save safetensors with the
tokenizer and its chat template, in <output_dir>/merged."""

from __future__ import annotations

import os

from .cancel import CancelFlag
from .config import ConfigError, TrainConfig
from .events import EventWriter
from .inference import load_trained
from .model import load_tokenizer, resolve_runtime
from .peft_setup import is_prompt_method


def export_dir(config: TrainConfig) -> str:
    return os.path.join(config.output_dir, "merged")


def base_dtype(path: str):
    import torch
    from transformers import AutoConfig

    base = AutoConfig.from_pretrained(path)
    dtype = getattr(base, "dtype", None) or getattr(base, "torch_dtype", None) or torch.float32
    return dtype if isinstance(dtype, torch.dtype) else getattr(torch, str(dtype).replace("torch.", ""), torch.float32)


def export(config: TrainConfig, writer: EventWriter, cancel: CancelFlag) -> str:
    if is_prompt_method(config.method):
        raise ConfigError("P-Tuning and Prefix-Tuning adapters cannot be merged into the weights: load them with "
                          "peft's PeftModel.from_pretrained(base, adapter folder) instead")
    import torch

    runtime = resolve_runtime(config)
    # Merging in bf16/fp16 would round the merged weights twice; merge in fp32, save in the base model's dtype.
    model = load_trained(config, runtime, dtype=torch.float32)
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    model = model.to(base_dtype(config.model_name_or_path))
    out = export_dir(config)
    model.save_pretrained(out)  # safetensors
    load_tokenizer(config.model_name_or_path).save_pretrained(out)  # tokenizer files and the chat template
    writer.done(status="succeeded", artifacts={"output_dir": config.output_dir, "model": out})
    return "succeeded"
