"""`python -m finetune_trainer check`: one JSON line saying what this Python can train with.

Works with none of torch, transformers, peft or accelerate installed (versions come from package metadata;
torch is imported only when present, for the GPU list).
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from typing import Any, Dict, Optional

PACKAGES = ("torch", "transformers", "peft", "accelerate")


def package_version(name: str) -> Optional[str]:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def gpu_info() -> Dict[str, Any]:
    info: Dict[str, Any] = {"cuda": {"available": False, "devices": []}, "bf16": False}
    try:
        import torch
    except Exception:  # absent, or broken (a CUDA build without its libraries)
        return info
    if not torch.cuda.is_available():
        return info
    devices = []
    for i in range(torch.cuda.device_count()):
        props = torch.cuda.get_device_properties(i)
        devices.append({"index": i, "name": props.name, "memory_gb": round(props.total_memory / 1024**3, 1)})
    info["cuda"] = {"available": True, "devices": devices}
    info["bf16"] = bool(torch.cuda.is_bf16_supported())
    return info


def check() -> Dict[str, Any]:
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "packages": {name: package_version(name) for name in PACKAGES},
        **gpu_info(),
    }


def main() -> int:
    print(json.dumps(check()), flush=True)
    return 0
