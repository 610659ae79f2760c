"""`export`, in the config's export_format:
- merged: LoRA merged into the base model (or the full fine-tuned model) saved as safetensors with the tokenizer and
  its chat template, in <output_dir>/merged;
- onnx: that merged model exported with a key/value cache for the local engine, in <output_dir>/onnx (onnx-fp16 for
  fp16), and checked against torch before it is accepted (onnx_check.py);
- ollama: a Modelfile for `ollama create`, in <output_dir>/ollama (ollama.py).
P-Tuning and Prefix-Tuning adapters cannot be merged, exported or served by Ollama: refused up front."""

from __future__ import annotations

import json
import os
import shutil

from .cancel import CancelFlag
from .config import ConfigError, TrainConfig
from .events import EventWriter
from .inference import load_trained, trained_dir
from .model import Runtime, load_tokenizer, resolve_runtime
from .peft_setup import is_prompt_method

CHECK_FILE = "export_check.json"
ONNX_PACKAGES = ("onnx", "onnxscript", "onnxruntime")  # torch's exporter, and the check


def export_dir(config: TrainConfig) -> str:
    name = {"merged": "merged", "ollama": "ollama"}.get(config.export_format)
    return os.path.join(config.output_dir, name or ("onnx-fp16" if config.export_dtype == "fp16" else "onnx"))


def base_dtype(path: str):
    import torch
    from transformers import AutoConfig

    base = AutoConfig.from_pretrained(path)
    dtype = getattr(base, "dtype", None) or getattr(base, "torch_dtype", None) or torch.float32
    return dtype if isinstance(dtype, torch.dtype) else getattr(torch, str(dtype).replace("torch.", ""), torch.float32)


def refuse_prompt_methods(config: TrainConfig) -> None:
    if is_prompt_method(config.method):
        what = {"merged": "merged into the weights", "onnx": "exported to ONNX", "ollama": "served by Ollama"}[config.export_format]
        raise ConfigError(f"P-Tuning and Prefix-Tuning adapters cannot be {what}: their virtual tokens are not weights "
                          "of the model. Serve the adapter with the trainer instead (peft's PeftModel.from_pretrained(base, "
                          "adapter folder)), or train with LoRA to export it.")


def merged_model(config: TrainConfig, runtime: Runtime):
    """The trained model with any LoRA merged in, in fp32 (merging in bf16/fp16 would round the weights twice)."""
    import torch

    model = load_trained(config, runtime, dtype=torch.float32)
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    return model


def save_tokenizer(config: TrainConfig, out: str) -> None:
    load_tokenizer(config.model_name_or_path).save_pretrained(out)  # tokenizer files and the chat template


def export(config: TrainConfig, writer: EventWriter, cancel: CancelFlag) -> str:
    refuse_prompt_methods(config)
    if config.export_format == "onnx":
        return export_onnx_checked(config, writer, cancel)
    if config.export_format == "ollama":
        from .ollama import write_ollama

        artifacts = write_ollama(config, trained_dir(config), export_dir(config))
        writer.done(status="succeeded", artifacts={"output_dir": config.output_dir, **artifacts})
        return "succeeded"
    model = merged_model(config, resolve_runtime(config)).to(base_dtype(config.model_name_or_path))
    out = export_dir(config)
    model.save_pretrained(out)  # safetensors
    save_tokenizer(config, out)
    writer.done(status="succeeded", artifacts={"output_dir": config.output_dir, "model": out})
    return "succeeded"


def export_onnx_checked(config: TrainConfig, writer: EventWriter, cancel: CancelFlag) -> str:
    """Exports on the CPU (the exporter traces; no GPU needed) and checks; a failed check raises ExportCheckFailed."""
    import importlib.util

    import torch

    from .errors import ExportCheckFailed, MissingPackages

    missing = [m for m in ONNX_PACKAGES if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingPackages(missing)
    from .onnx_check import FIXED_PROMPTS, check_onnx, eval_conversations, prompt_ids
    from .onnx_export import export_onnx

    cpu = Runtime(device="cpu", bf16=False, fp16=False, devices=["cpu"], world_size=1)
    model = merged_model(config, cpu)
    model.set_attn_implementation("eager")  # traces to plain MatMul/Softmax that every onnxruntime runs
    out = export_dir(config)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    model.config.save_pretrained(out)
    if model.generation_config is not None:
        model.generation_config.save_pretrained(out)
    save_tokenizer(config, out)
    onnx_path = os.path.join(out, "onnx", "model.onnx")
    if config.export_dtype == "fp16":
        export_onnx(model.to(torch.float16), onnx_path)
        # Compared with the fp16-rounded weights run in fp32: the figures measure the export, not the rounding.
        model = model.to(torch.float32)
    else:
        export_onnx(model, onnx_path)
    prompts = [*FIXED_PROMPTS, *eval_conversations(config.eval_file)]  # the job's own prompts too, when it has an eval set
    figures = check_onnx(model, onnx_path, prompt_ids(load_tokenizer(config.model_name_or_path), prompts), config.export_dtype)
    check_file = os.path.join(out, CHECK_FILE)
    with open(check_file, "w", encoding="utf-8") as fh:
        json.dump(figures.to_dict(), fh, indent=2)
    if not figures.passed:
        # Refused: nothing loadable is left behind, only the figures saying why.
        shutil.rmtree(os.path.join(out, "onnx"), ignore_errors=True)
        raise ExportCheckFailed(f"The ONNX export does not match the trained model: {figures.summary()}. It was not kept "
                                f"(figures in {check_file}).")
    writer.done(status="succeeded", artifacts={"output_dir": config.output_dir, "model": out, "check": check_file},
                metrics={"max_abs_logits_diff": figures.max_abs_logits_diff, "tolerance": figures.tolerance,
                         "tokens_equal": figures.tokens_equal, "prompts": figures.prompts, "steps": figures.steps})
    return "succeeded"
