import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, TRAINER

from finetune_trainer import check as check_module
from finetune_trainer import cli
from finetune_trainer.config import ConfigError
from finetune_trainer.errors import DatasetError, MissingPackages, ModelNotFound, NoGpu, classify
from finetune_trainer.events import validate_event


class OutOfMemoryError(RuntimeError):  # what torch.OutOfMemoryError is called
    pass


@pytest.mark.parametrize("error,kind,fix_has", [
    (OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB"), "oom", "batch size"),
    (RuntimeError("CUDA error: out of memory"), "oom", "gradient checkpointing"),
    (ModuleNotFoundError("No module named 'peft'", name="peft"), "missing_package", "-m pip install peft"),
    (ModuleNotFoundError("No module named 'sklearn.metrics'", name="sklearn.metrics"), "missing_package", "pip install scikit-learn"),
    (MissingPackages(["torch", "peft"]), "missing_package", "pip install torch peft"),
    (NoGpu("no CUDA GPU"), "no_gpu", "CPU"),
    (ModelNotFound("The base model folder does not exist: /m"), "model_not_found", "config.json"),
    (OSError("Qwen/Nope is not a local folder and is not a valid model identifier"), "model_not_found", "hub"),
    (ConfigError("job.json: unknown key 'x'"), "config", "settings"),
    (ValueError("something else"), "other", None),
])
def test_errors_map_to_kinds_with_a_fix(error, kind, fix_has):
    info = classify(error)
    assert info.kind == kind and info.message
    if fix_has:
        assert fix_has in info.fix


def test_dataset_errors_carry_file_and_line():
    info = classify(DatasetError("/d/train.jsonl line 7: no assistant turn", "/d/train.jsonl", 7))
    assert (info.kind, info.file, info.line) == ("dataset", "/d/train.jsonl", 7)


def run_cli(args, capsys):
    code = cli.main(args)
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def write_config(tmp_path, **changes) -> str:
    with open(os.path.join(FIXTURES, "config.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    data.update({"output_dir": str(tmp_path / "out"), "events_file": str(tmp_path / "events.jsonl"), **changes})
    path = tmp_path / "job.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_config_error_is_an_error_event_in_the_events_file_and_exit_1(tmp_path, capsys):
    code, events = run_cli(["train", "--config", write_config(tmp_path, lora_rank="8")], capsys)
    assert code == 1 and [e["kind"] for e in events] == ["config"]
    assert "lora_rank must be a whole number" in events[0]["message"]
    assert json.loads((tmp_path / "events.jsonl").read_text()) == events[0]


def test_missing_packages_are_one_error_event_with_the_install_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(check_module, "package_version", lambda name: None if name in ("torch", "peft") else "1.0")
    code, events = run_cli(["train", "--config", write_config(tmp_path)], capsys)
    assert code == 1 and len(events) == 1 and validate_event(events[0]) is None
    assert events[0]["kind"] == "missing_package" and events[0]["fix"].endswith("-m pip install torch peft")


def test_check_prints_one_json_line_of_the_documented_shape():
    out = subprocess.run([sys.executable, "-m", "finetune_trainer", "check"], cwd=TRAINER, capture_output=True, text=True, check=True).stdout
    assert len(out.splitlines()) == 1
    info = json.loads(out)
    assert set(info) == {"python", "executable", "packages", "cuda", "bf16"}
    assert info["python"].count(".") == 2 and info["executable"] == sys.executable
    assert set(info["packages"]) == {"torch", "transformers", "peft", "accelerate"}
    assert all(v is None or isinstance(v, str) for v in info["packages"].values())
    assert isinstance(info["cuda"]["available"], bool) and isinstance(info["bf16"], bool)
    for d in info["cuda"]["devices"]:
        assert isinstance(d["index"], int) and isinstance(d["name"], str) and isinstance(d["memory_gb"], float)


def test_check_works_without_ml_packages(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails, as when it is absent
    monkeypatch.setattr(check_module, "package_version", lambda name: None)
    info = check_module.check()
    assert info["packages"] == dict.fromkeys(["torch", "transformers", "peft", "accelerate"]) and info["cuda"] == {"available": False, "devices": []}
