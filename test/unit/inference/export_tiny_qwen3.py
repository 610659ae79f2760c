"""Builds a tiny random Qwen3 (trainer/tests/tiny_models.py), exports it the way a finished full fine-tune is
exported (the trainer's `export` with export_format onnx: the merged model with its key/value cache, checked against
torch, into <folder>/onnx), and prints transformers' greedy generate() for a prompt as JSON, for realQwen3.test.ts to
compare with local generation. Needs the trainer venv with onnx, onnxscript and onnxruntime:

    <venv>/bin/python -m pip install onnx onnxscript onnxruntime
    <venv>/bin/python test/unit/inference/export_tiny_qwen3.py <folder> <prompt JSON> <new tokens>
"""

import json
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "trainer", "tests"))
sys.path.insert(0, os.path.join(REPO, "trainer"))


def main() -> int:
    folder, messages, new_tokens = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from finetune_trainer.cancel import CancelFlag
    from finetune_trainer.config import TrainConfig
    from finetune_trainer.events import EventWriter
    from finetune_trainer.export import export
    from tiny_models import build

    build("qwen3", folder)
    # A full fine-tune's output folder is a model folder: the built model stands in for one.
    config = TrainConfig.from_dict({"model_name_or_path": folder, "method": "full", "train_file": "unused.jsonl",
                                    "output_dir": folder, "events_file": os.path.join(folder, "events.jsonl"),
                                    "export_format": "onnx", "device": "cpu"})
    export(config, EventWriter(config.events_file, stdout=sys.stderr), CancelFlag())  # stdout stays for the JSON

    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_tensors="pt")
    if not isinstance(ids, torch.Tensor):
        ids = ids["input_ids"]
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens, do_sample=False,
                             eos_token_id=None, pad_token_id=0)
    print(json.dumps({"prompt": ids[0].tolist(), "tokens": out[0, ids.shape[1]:].tolist(),
                      "export": os.path.join(folder, "onnx")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
