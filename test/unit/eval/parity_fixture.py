"""A finished LoRA job for parityOnnx.test.ts, made with the trainer's own code: a tiny random Qwen3
(trainer/tests/tiny_models.py) with a random (non-zero) LoRA adapter as the job's output, and the trainer's `export`
of it to ONNX (merged, with its key/value cache, checked against torch), plus a corrupted copy of that export (noise
on every weight). Needs the trainer venv with onnx, onnxscript and onnxruntime.

    <venv>/bin/python parity_fixture.py prepare <folder> <test set>   # rewrites the test set's answers (see below)
    <venv>/bin/python parity_fixture.py predict <folder> <test set> <out>  # the trainer's predict, as the gate runs it

`prepare` replaces each reference answer with the adapter model's own greedy answer, so that the adapter scores high
and an export that answers otherwise scores visibly lower (a random model's answers share nothing with any text).
Each command prints one JSON line on stdout.
"""

import json
import os
import shutil
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "trainer", "tests"))
sys.path.insert(0, os.path.join(REPO, "trainer"))


def config(folder: str, test_set: str, **changes):
    from finetune_trainer.config import TrainConfig

    values = {"model_name_or_path": os.path.join(folder, "base"), "method": "lora", "train_file": test_set,
              "eval_file": test_set, "eval_share": 0.0, "output_dir": os.path.join(folder, "job"),
              "events_file": os.path.join(folder, "events.jsonl"), "device": "cpu", "per_device_train_batch_size": 1,
              "resume_from_checkpoint": os.path.join(folder, "job")}  # the job's output, as the extension's tasks pass it
    values.update(changes)
    return TrainConfig.from_dict(values)


def run_predict(cfg) -> dict:
    from finetune_trainer.cancel import CancelFlag
    from finetune_trainer.events import EventWriter
    from finetune_trainer.predict import PREDICTIONS, predict

    predict(cfg, EventWriter(cfg.events_file, stdout=sys.stderr), CancelFlag())
    with open(cfg.events_file, encoding="utf-8") as fh:
        done = [json.loads(line) for line in fh if '"done"' in line][-1]
    return {"predictions": os.path.join(cfg.output_dir, PREDICTIONS), "max_new_tokens": done["metrics"]["max_new_tokens"]}


def prepare(folder: str, test_set: str) -> dict:
    import numpy as np
    import onnx
    import torch
    from onnx import numpy_helper
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from finetune_trainer.cancel import CancelFlag
    from finetune_trainer.events import EventWriter
    from finetune_trainer.export import export
    from tiny_models import build

    base = build("qwen3", os.path.join(folder, "base"))
    torch.manual_seed(1)
    adapted = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                             LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    adapted.save_pretrained(os.path.join(folder, "job"))

    answers = run_predict(config(folder, test_set, output_dir=os.path.join(folder, "first-predict")))
    with open(answers["predictions"], encoding="utf-8") as fh:
        predicted = [json.loads(line)["predict"] for line in fh]
    with open(test_set, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    at = 0
    for i, line in enumerate(lines):
        if line.strip():
            sample = json.loads(line)
            sample["messages"][-1]["content"] = predicted[at]
            lines[i] = json.dumps(sample, ensure_ascii=False)
            at += 1
    with open(test_set, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))

    cfg = config(folder, test_set, export_format="onnx")
    export(cfg, EventWriter(cfg.events_file, stdout=sys.stderr), CancelFlag())
    good = os.path.join(cfg.output_dir, "onnx")
    corrupt = os.path.join(folder, "onnx-corrupt")
    shutil.copytree(good, corrupt)
    graph = onnx.load(os.path.join(corrupt, "onnx", "model.onnx"))
    rng = np.random.default_rng(0)
    for init in graph.graph.initializer:
        weights = numpy_helper.to_array(init)
        if weights.dtype == np.float32 and weights.size > 1:
            noisy = weights + rng.normal(0, float(weights.std()) * 0.5, weights.shape).astype(np.float32)
            init.CopyFrom(numpy_helper.from_array(noisy, init.name))
    onnx.save(graph, os.path.join(corrupt, "onnx", "model.onnx"))
    return {"export": good, "corrupt": corrupt, "samples": at}


def main() -> int:
    command, folder, test_set = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "prepare":
        result = prepare(folder, test_set)
    else:
        result = run_predict(config(folder, test_set, output_dir=sys.argv[4]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
