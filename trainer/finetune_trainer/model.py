"""Loading the tokenizer and the base model: device, precision and attention chosen here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, List

from .config import TrainConfig
from .errors import ModelNotFound, NoGpu


@dataclass
class Runtime:
    device: str  # "cuda" or "cpu"
    bf16: bool
    fp16: bool
    devices: List[str]
    world_size: int

    @property
    def dtype_name(self) -> str:
        return "bfloat16" if self.bf16 else "float16" if self.fp16 else "float32"


def resolve_runtime(config: TrainConfig) -> Runtime:
    """CUDA when asked for or available (device=cuda without a GPU is an error); bf16 where the GPU supports it."""
    import torch

    cuda = torch.cuda.is_available()
    if config.device == "cuda" and not cuda:
        raise NoGpu("The job asks for a CUDA GPU, but torch sees none" + ("" if torch.version.cuda else f" (torch {torch.__version__} was built without CUDA)"))
    if config.device == "cpu" or not cuda:
        if config.precision in ("bf16", "fp16"):
            raise NoGpu(f"precision {config.precision} needs a CUDA GPU; this run is on the CPU (set precision to auto or fp32)")
        return Runtime("cpu", False, False, ["cpu"], int(os.environ.get("WORLD_SIZE", "1")))
    bf16_ok = torch.cuda.is_bf16_supported()
    if config.precision == "bf16" and not bf16_ok:
        raise NoGpu(f"{torch.cuda.get_device_name(0)} does not support bf16: choose fp16 or auto")
    bf16 = config.precision == "bf16" or (config.precision == "auto" and bf16_ok)
    fp16 = config.precision == "fp16" or (config.precision == "auto" and not bf16_ok)
    names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return Runtime("cuda", bf16, fp16, names, int(os.environ.get("WORLD_SIZE", "1")))


def check_model_path(path: str) -> None:
    looks_local = os.path.isabs(path) or path.startswith((".", "~")) or path.count("/") > 1
    if looks_local and not os.path.isdir(os.path.expanduser(path)):
        raise ModelNotFound(f"The base model folder does not exist: {path}")
    if os.path.isdir(path) and not os.path.exists(os.path.join(path, "config.json")):
        raise ModelNotFound(f"{path} has no config.json: it is not a transformers model folder")


def load_tokenizer(path: str) -> Any:
    from transformers import AutoTokenizer

    check_model_path(path)
    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    return tok


def load_model(path: str, runtime: Runtime, method: str) -> Any:
    """Frozen bases (LoRA, prompt methods) load in the training dtype; full fine-tuning keeps fp32 master
    weights and trains under autocast."""
    import torch
    from transformers import AutoModelForCausalLM

    check_model_path(path)
    half = torch.bfloat16 if runtime.bf16 else torch.float16 if runtime.fp16 else torch.float32
    dtype = torch.float32 if method == "full" else half
    model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype, attn_implementation="sdpa")
    model.config.use_cache = False  # training: a cache would also hide packed sequences from the mask builder
    return model
