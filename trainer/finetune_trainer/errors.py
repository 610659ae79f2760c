"""Exceptions → error events with a kind, a message and a fix (kinds as in src/shared/trainerEvents.ts)."""

from __future__ import annotations

import re
import sys
import traceback as tb
from dataclasses import dataclass
from typing import List, Optional

from .config import ConfigError

# Import name → pip package, for the install command.
PIP_NAMES = {"torch": "torch", "transformers": "transformers", "peft": "peft", "accelerate": "accelerate",
             "safetensors": "safetensors", "sklearn": "scikit-learn", "yaml": "pyyaml", "google": "protobuf",
             "sentencepiece": "sentencepiece", "jinja2": "jinja2", "tokenizers": "tokenizers"}


class DatasetError(ValueError):
    """A sample the trainer cannot use; `line` is 1-based."""

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None):
        super().__init__(message)
        self.file, self.line = file, line


class ModelNotFound(FileNotFoundError):
    pass


class NoGpu(RuntimeError):
    pass


class Cancelled(Exception):
    """Raised by the SIGTERM handler outside the training loop."""


class TrainingDiverged(RuntimeError):
    pass


class ExportCheckFailed(RuntimeError):
    """An ONNX export does not match the torch model (onnx_check.py): the export is refused."""


@dataclass
class ErrorInfo:
    kind: str
    message: str
    fix: Optional[str] = None
    file: Optional[str] = None
    line: Optional[int] = None


def is_oom(e: BaseException) -> bool:
    name = type(e).__name__
    return name == "OutOfMemoryError" or (isinstance(e, RuntimeError) and "out of memory" in str(e).lower())


class MissingPackages(ImportError):
    """Several packages are missing: one error event with one install command for all of them."""

    def __init__(self, packages: List[str]):
        super().__init__(f"not installed: {', '.join(packages)}")
        self.packages = packages


def missing_package(e: ImportError) -> ErrorInfo:
    if isinstance(e, MissingPackages):
        names = " ".join(PIP_NAMES.get(p, p) for p in e.packages)
        return ErrorInfo("missing_package", f"Training needs {', '.join(e.packages)}, not installed for {sys.executable}",
                         f"{sys.executable} -m pip install {names}")
    quoted = re.search(r"'([^']+)'", str(e))
    module = (e.name or (quoted.group(1) if quoted else "")).split(".")[0]
    package = PIP_NAMES.get(module, module) or "the missing package"
    return ErrorInfo(
        "missing_package",
        f"The Python package '{module or package}' is not installed for {sys.executable}: {e}",
        f"{sys.executable} -m pip install {package}" if module else f"Install the missing package for {sys.executable}",
    )


def classify(e: BaseException) -> ErrorInfo:
    if isinstance(e, ConfigError):
        return ErrorInfo("config", str(e), "Fix the job's settings and start it again.")
    if isinstance(e, DatasetError):
        return ErrorInfo("dataset", str(e), "Check the dataset with Fine-tune: Check Dataset and fix the line shown.", e.file, e.line)
    if isinstance(e, ModelNotFound):
        return ErrorInfo("model_not_found", str(e), "Point the job at a folder with config.json and the tokenizer files, or at a hub id this machine can download.")
    if isinstance(e, NoGpu):
        return ErrorInfo("no_gpu", str(e), "Choose the CPU (tiny models only) or a backend with a CUDA GPU; check `nvidia-smi` and that torch was built with CUDA.")
    if isinstance(e, ImportError):
        return missing_package(e)
    if is_oom(e):
        text = first_line(e)
        return ErrorInfo("oom", text if "out of memory" in text.lower() else f"CUDA out of memory: {text}",
                         "Lower the batch size (raise gradient accumulation to keep the effective batch), turn on gradient checkpointing, "
                         "lower max_length, or use LoRA instead of full fine-tuning.")
    if isinstance(e, TrainingDiverged):
        return ErrorInfo("other", str(e), "Lower the learning rate; with fp16, use bf16 or fp32 if the GPU allows.")
    if isinstance(e, ExportCheckFailed):
        return ErrorInfo("other", str(e), "Export with export_dtype fp32 if this was fp16; otherwise report it with export_check.json (the model may use an operation the exporter does not handle).")
    if isinstance(e, OSError) and _looks_like_missing_model(e):
        return ErrorInfo("model_not_found", first_line(e), "Check the base model's path or hub id; this machine may not reach the hub, so download the model to a folder first.")
    return ErrorInfo("other", f"{type(e).__name__}: {first_line(e)}")


def _looks_like_missing_model(e: OSError) -> bool:
    text = str(e)
    return any(s in text for s in ("does not appear to have a file named", "is not a local folder", "Can't load",
                                   "not a valid model identifier", "couldn't connect", "couldn't find them in the cached files"))


def first_line(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:500]


def traceback_tail(e: BaseException, lines: int = 20) -> str:
    text = "".join(tb.format_exception(type(e), e, e.__traceback__))
    return "\n".join(text.rstrip().splitlines()[-lines:])
