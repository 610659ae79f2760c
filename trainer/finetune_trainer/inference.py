"""Loading a trained model for predict and export: the base plus the adapter in output_dir (or in
resume_from_checkpoint, when set, to use a checkpoint), or the full model output_dir holds."""

from __future__ import annotations

import os
from typing import Any

from .checkpoints import resolve_resume
from .config import TrainConfig
from .errors import ModelNotFound
from .model import Runtime, check_model_path


def trained_dir(config: TrainConfig) -> str:
    where = resolve_resume(config.resume_from_checkpoint, config.output_dir) or config.output_dir
    if not os.path.isdir(where) or not any(os.path.exists(os.path.join(where, f)) for f in ("adapter_config.json", "config.json")):
        raise ModelNotFound(f"No trained adapter or model in {where}: train the job first (or pick a checkpoint folder)")
    return where


def load_trained(config: TrainConfig, runtime: Runtime, dtype: Any = None) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    where = trained_dir(config)
    if dtype is None:
        dtype = torch.bfloat16 if runtime.bf16 else torch.float16 if runtime.fp16 else torch.float32
    if os.path.exists(os.path.join(where, "adapter_config.json")):
        from peft import PeftModel

        check_model_path(config.model_name_or_path)
        base = AutoModelForCausalLM.from_pretrained(config.model_name_or_path, dtype=dtype, attn_implementation="sdpa")
        model = PeftModel.from_pretrained(base, where)
    else:
        model = AutoModelForCausalLM.from_pretrained(where, dtype=dtype, attn_implementation="sdpa")
    return model.to(runtime.device).eval()
