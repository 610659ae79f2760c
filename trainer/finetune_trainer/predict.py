"""`predict`: answers for the eval set, written as generated_predictions.jsonl with prompt, predict and label
(LLaMA-Factory's format, so users can compare runs), with predict progress events. The model is the job's trained
adapter or model (load_trained), or any plain model folder given as resume_from_checkpoint (a base model, a merged
export), answered greedily."""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any, List

from .cancel import CancelFlag
from .config import ConfigError, TrainConfig
from .data import load_splits
from .encode import ChatEncoder
from .errors import Cancelled
from .events import EventWriter
from .inference import load_trained
from .model import load_tokenizer, resolve_runtime

PREDICTIONS = "generated_predictions.jsonl"
# A leading reasoning block (Qwen3 writes an empty one) is not part of the answer; LLaMA-Factory drops it too.
THOUGHT = re.compile(r"^\s*<think>.*?</think>\s*", re.S)


def stop_token_ids(tokenizer: Any, encoder: ChatEncoder) -> List[int]:
    ids = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    marker = tokenizer.convert_tokens_to_ids(encoder.turn_end) if encoder.turn_end else None
    if isinstance(marker, int) and marker != tokenizer.unk_token_id and marker not in ids:
        ids.append(marker)
    return ids


def predict(config: TrainConfig, writer: EventWriter, cancel: CancelFlag) -> str:
    import torch

    _, samples = load_splits(config.train_file, config.eval_file, config.eval_share, config.seed)
    samples = [s for s in samples if s.text is None]
    if not samples:
        raise ConfigError("predict needs an eval set of conversations: set eval_file, or eval_share above 0")
    runtime = resolve_runtime(config)
    tokenizer = load_tokenizer(config.model_name_or_path)
    tokenizer.padding_side = "left"
    encoder = ChatEncoder(tokenizer)
    model = load_trained(config, runtime)
    pairs = [encoder.encode_prompt(s) for s in samples]
    longest_label = max(len(tokenizer.encode(label, add_special_tokens=False)) for _, label in pairs)
    budget = min(1024, max(64, 2 * longest_label))  # room for the longest reference answer, twice over
    os.makedirs(config.output_dir, exist_ok=True)
    path = os.path.join(config.output_dir, PREDICTIONS)
    started, total, batch = time.time(), len(pairs), config.per_device_train_batch_size
    writer.predict(done=0, total=total)
    with open(path, "w", encoding="utf-8") as out:
        for at in range(0, total, batch):
            if cancel.requested:
                raise Cancelled()
            chunk = pairs[at:at + batch]
            inputs = tokenizer([p for p, _ in chunk], return_tensors="pt", padding=True, add_special_tokens=False).to(runtime.device)
            with torch.no_grad():
                generated = model.generate(**inputs, max_new_tokens=budget, do_sample=False, pad_token_id=tokenizer.pad_token_id,
                                           eos_token_id=stop_token_ids(tokenizer, encoder))
            answers = tokenizer.batch_decode(generated[:, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
            for (prompt, label), answer in zip(chunk, answers):
                out.write(json.dumps({"prompt": prompt, "predict": THOUGHT.sub("", answer, count=1).strip(), "label": label}, ensure_ascii=False) + "\n")
            out.flush()
            writer.predict(done=min(at + batch, total), total=total)
    runtime_s = time.time() - started
    writer.metrics(split="predict", values={"predict_samples": total, "predict_runtime": runtime_s, "predict_samples_per_second": total / max(runtime_s, 1e-9)})
    # The token budget goes with the answers: the export parity gate gives the local ONNX engine the same one.
    writer.done(status="succeeded", artifacts={"output_dir": config.output_dir, "predictions": path},
                metrics={"max_new_tokens": budget, "predict_samples": total})
    return "succeeded"
