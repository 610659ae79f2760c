"""The job configuration the extension hands the trainer (`--config job.json`).

TypeScript twin: src/shared/trainerConfig.ts (zod `TrainConfig`). Both sides read the same example,
test/fixtures/trainer/config.json; loading rejects unknown keys and wrong types, so the two cannot drift.
Field help follows trl's SFTConfig: `metadata={"help": ...}` on every field.
"""

from __future__ import annotations

import dataclasses
import json
import math
import typing
from dataclasses import dataclass, field
from typing import List, Literal, Optional

Method = Literal["lora", "full", "p_tuning", "prefix_tuning"]
OverLength = Literal["drop", "truncate"]
Precision = Literal["auto", "bf16", "fp16", "fp32"]
Device = Literal["auto", "cpu", "cuda"]
ExportFormat = Literal["merged", "onnx", "ollama"]
ExportDtype = Literal["fp32", "fp16"]


class ConfigError(ValueError):
    """A configuration that cannot be used: says which key and why."""


def _f(default, help: str, check=None):
    meta = {"help": help}
    if check is not None:
        meta["check"] = check
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


_REQUIRED = dataclasses.MISSING
positive = (lambda v: v > 0, "must be greater than 0")
non_negative = (lambda v: v >= 0, "must be 0 or more")
unit = (lambda v: 0 <= v <= 1, "must be between 0 and 1")


@dataclass(kw_only=True)
class TrainConfig:
    model_name_or_path: str = _f(_REQUIRED, "Base model: a local folder with config.json and tokenizer files, or a hub id.")
    method: Method = _f("lora", "lora (low-rank adapters), full (every weight), p_tuning (peft PromptEncoder) or prefix_tuning (peft PrefixTuning).")
    train_file: str = _f(_REQUIRED, "Training set: JSONL in any format the extension's linter accepts (OpenAI messages, ShareGPT, Alpaca, prompt/completion, text).")
    eval_file: Optional[str] = _f(None, "Evaluation set (same formats); null to hold out eval_share of the training set.")
    eval_share: float = _f(0.0, "Share of the training set held out for evaluation when there is no eval_file (0 to 0.5).", (lambda v: 0 <= v <= 0.5, "must be between 0 and 0.5"))
    output_dir: str = _f(_REQUIRED, "Where checkpoints, the final adapter or model, and predictions go.")
    events_file: str = _f(_REQUIRED, "The run's events.jsonl: one JSON event a line (also written to stdout).")
    num_train_epochs: float = _f(3.0, "Passes over the training set (ignored when max_steps > 0).", positive)
    max_steps: int = _f(-1, "Optimizer steps to run; -1 to take them from num_train_epochs.")
    learning_rate: float = _f(2e-4, "Peak learning rate (linear warm-up, then linear decay).", positive)
    per_device_train_batch_size: int = _f(4, "Samples (or packed rows) per device per forward pass.", positive)
    gradient_accumulation_steps: int = _f(1, "Forward passes per optimizer step.", positive)
    max_length: int = _f(2048, "Maximum tokens per sample (and per packed row).", positive)
    over_length: OverLength = _f("drop", "Samples longer than max_length: drop them, or truncate them to max_length.")
    packing: bool = _f(False, "Pack several samples into each row of max_length tokens (attention stays within each sample).")
    group_by_length: bool = _f(True, "Batch samples of similar length together to cut padding (when not packing).")
    warmup_ratio: float = _f(0.03, "Share of the steps spent warming the learning rate up.", unit)
    weight_decay: float = _f(0.0, "AdamW weight decay.", non_negative)
    lora_rank: int = _f(8, "LoRA rank r.", positive)
    lora_alpha: float = _f(16.0, "LoRA alpha (scale = alpha / r).", positive)
    lora_dropout: float = _f(0.05, "Dropout on the LoRA input.", unit)
    lora_target_modules: Optional[List[str]] = _f(None, "Module names LoRA adapts; null to choose them from the model's architecture.")
    num_virtual_tokens: int = _f(20, "Virtual tokens for P-Tuning and Prefix-Tuning.", positive)
    precision: Precision = _f("auto", "auto picks bf16 where the GPU supports it, else fp16 on GPU, fp32 on CPU.")
    gradient_checkpointing: bool = _f(True, "Recompute activations in the backward pass: less memory, about 30% more compute.")
    logging_steps: int = _f(1, "Steps between step events.", positive)
    eval_steps: int = _f(50, "Steps between evaluations.", positive)
    save_steps: int = _f(100, "Steps between checkpoints.", positive)
    seed: int = _f(42, "Seed for the eval split, shuffling and initialisation.")
    device: Device = _f("auto", "auto: CUDA when available, else CPU; cpu; cuda (fails when there is no GPU).")
    export_format: ExportFormat = _f("merged", "What `export` writes: merged (LoRA merged into the base, safetensors), onnx (the merged model with a key/value cache for the local engine, checked against torch) or ollama (a Modelfile for `ollama create`).")
    export_dtype: ExportDtype = _f("fp32", "Weights of an onnx export: fp32, or fp16 (half the size; checked with a looser tolerance).")
    resume_from_checkpoint: Optional[str] = _f(None, "A checkpoint-N folder to continue training from (step count, optimizer and scheduler included), or \"latest\": the newest complete checkpoint in output_dir, if any (how a requeued Slurm job resumes).")

    @classmethod
    def from_dict(cls, data: object, where: str = "config") -> "TrainConfig":
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: expected a JSON object, found {_type_name(data)}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise ConfigError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} (known keys: {', '.join(fields)})")
        hints = typing.get_type_hints(cls)
        values = {}
        for name, f in fields.items():
            if name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:  # type: ignore[misc]
                    raise ConfigError(f"{where}: missing required key {name!r} ({f.metadata['help']})")
                continue
            values[name] = _check(data[name], hints[name], f"{where}: {name}")
            check = f.metadata.get("check")
            if check is not None and values[name] is not None and not check[0](values[name]):
                raise ConfigError(f"{where}: {name} {check[1]}, found {data[name]!r}")
        return cls(**values)

    @classmethod
    def from_json_file(cls, path: str) -> "TrainConfig":
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except json.JSONDecodeError as e:
            raise ConfigError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
        return cls.from_dict(data, where=path)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @staticmethod
    def help() -> dict:
        """Field name → help text (what `--help` and docs show)."""
        return {f.name: f.metadata["help"] for f in dataclasses.fields(TrainConfig)}


def _type_name(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return f"the number {v!r}"
    if isinstance(v, str):
        return f"the string {v!r}"
    return {list: "an array", dict: "an object"}.get(type(v), type(v).__name__)


def _check(value: object, hint: object, where: str) -> object:
    """Checks a JSON value against a field's type; returns it (ints widened to float where a float is wanted)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:  # Optional[X]
        if value is None:
            return None
        return _check(value, next(a for a in args if a is not type(None)), where)
    if origin is Literal:
        if value not in args:
            raise ConfigError(f"{where} must be one of {', '.join(map(repr, args))}, found {_type_name(value)}")
        return value
    if origin in (list, List):
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be an array, found {_type_name(value)}")
        return [_check(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)]
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, found {_type_name(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be a whole number, found {_type_name(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"{where} must be a number, found {_type_name(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where} must be a non-empty string, found {_type_name(value)}")
        return value
    raise TypeError(f"unsupported field type {hint!r}")
