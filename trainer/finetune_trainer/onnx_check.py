"""The parity check of an ONNX export: onnxruntime next to the torch model on a few prompts. Per prompt, torch's
greedy tokens for `steps` steps, then the ONNX model fed the prompt and its own argmax step by step with its cache:
the largest |logits difference| over every compared position must be within the tolerance and the greedy tokens
must be the same. The figures go into export_check.json and the `done` event."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
import os
from typing import Any, List, Optional, Sequence, Union

from .onnx_export import _cache_shape, cache_names

# Fixed prompts (English and Chinese), used with the job's own eval prompts when it has some.
FIXED_PROMPTS = ("Hello! Who are you?", "用一句话介绍一下长城。", "Write a haiku about autumn rain.")
# |logits diff| allowed, by the exported weights' dtype (fp16 rounds every weight and activation).
TOLERANCE = {"fp32": 1e-2, "fp16": 0.25}
STEPS = 8


@dataclass
class CheckFigures:
    passed: bool
    dtype: str
    tolerance: float
    max_abs_logits_diff: float
    prompts: int
    steps: int
    tokens_equal: int  # prompts whose greedy tokens are all the same
    first_mismatch: List[dict] = field(default_factory=list)  # per failing prompt: where torch and ONNX parted

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (f"max |logits diff| {self.max_abs_logits_diff:.3g} (tolerance {self.tolerance:g}), greedy tokens equal on "
                f"{self.tokens_equal}/{self.prompts} prompts for {self.steps} steps")


def eval_conversations(eval_file: Optional[str], limit: int = 2) -> List[List[dict]]:
    """The first `limit` conversations of the job's eval set, each cut before its last assistant answer (the
    prompt the model answers); none when there is no eval file or it cannot be read here."""
    if not eval_file or not os.path.isfile(eval_file):
        return []
    from .data import read_samples

    try:
        samples = read_samples(eval_file)
    except Exception:  # the check still runs on the fixed prompts; the training run reported the file's problems
        return []
    out = []
    for sample in samples:
        last = max((i for i, m in enumerate(sample.messages) if m.get("role") == "assistant"), default=None)
        if last:
            out.append([{"role": m["role"], "content": m.get("content") or ""} for m in sample.messages[:last]])
        if len(out) == limit:
            break
    return out


def prompt_ids(tokenizer: Any, prompts: Sequence[Union[str, List[dict]]]) -> List[List[int]]:
    """Token ids of each prompt (a user message, or a conversation) with the chat template's generation prompt."""
    out = []
    for prompt in prompts:
        messages = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else prompt
        text = prompt if isinstance(prompt, str) else "\n".join(m["content"] for m in prompt)
        if getattr(tokenizer, "chat_template", None):
            ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
            if not isinstance(ids, list):
                ids = ids["input_ids"]
        else:
            ids = tokenizer(text)["input_ids"]
        out.append([int(i) for i in ids])
    return out


def _torch_run(model: Any, ids: List[int], steps: int):
    """torch's greedy tokens and the logits at every position of prompt + tokens (float32, numpy)."""
    import torch

    with torch.no_grad():
        tokens: List[int] = []
        for _ in range(steps):  # no cache and no generate(): the plainest reference there is
            logits = model(input_ids=torch.tensor([ids + tokens]), use_cache=False).logits
            tokens.append(int(logits[0, -1].argmax()))
        full = model(input_ids=torch.tensor([ids + tokens]), use_cache=False).logits[0].float().numpy()
    return tokens, full


def _onnx_run(session: Any, config: Any, ids: List[int], steps: int, np_dtype: Any):
    """The ONNX model's greedy tokens and the logits it gave for each position (prompt, then one per step)."""
    import numpy as np

    layers, heads, head_dim = _cache_shape(config)
    past_names, present_names = cache_names(layers)
    past = {name: np.zeros((1, heads, 0, head_dim), dtype=np_dtype) for name in past_names}
    feed_ids, start, tokens, rows = list(ids), 0, [], []
    for _ in range(steps):
        total = start + len(feed_ids)
        outputs = session.run(None, {
            "input_ids": np.array([feed_ids], dtype=np.int64),
            "attention_mask": np.ones((1, total), dtype=np.int64),
            "position_ids": np.arange(start, total, dtype=np.int64)[None, :],
            **past,
        })
        logits = outputs[0][0].astype(np.float32)
        rows.append(logits)
        past = {name: outputs[1 + i] for i, name in enumerate(past_names)}
        assert len(outputs) == 1 + len(present_names)
        token = int(logits[-1].argmax())
        tokens.append(token)
        start, feed_ids = total, [token]
    return tokens, np.concatenate(rows, axis=0)


def check_onnx(model: Any, onnx_path: str, ids_list: List[List[int]], dtype: str, steps: int = STEPS,
               tolerance: float | None = None) -> CheckFigures:
    """Compares the torch `model` (float32, CPU, eval) with the ONNX file on each prompt's token ids."""
    import numpy as np
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    np_dtype = np.float16 if dtype == "fp16" else np.float32
    tol = TOLERANCE[dtype] if tolerance is None else tolerance
    worst, equal, mismatches = 0.0, 0, []
    for n, ids in enumerate(ids_list):
        ref_tokens, ref_logits = _torch_run(model, ids, steps)
        got_tokens, got_logits = _onnx_run(session, model.config, ids, steps, np_dtype)
        # Positions compared: the prompt, then each step while both have fed the same tokens.
        same = next((i for i, (a, b) in enumerate(zip(ref_tokens, got_tokens)) if a != b), steps)
        upto = len(ids) + min(same + 1, steps) - 1
        diff = float(np.abs(ref_logits[:upto] - got_logits[:upto]).max())
        worst = max(worst, diff if np.isfinite(diff) else float("inf"))
        if same == steps:
            equal += 1
        else:
            mismatches.append({"prompt": n, "step": same, "torch": ref_tokens[same], "onnx": got_tokens[same]})
    passed = worst <= tol and equal == len(ids_list)
    return CheckFigures(passed=passed, dtype=dtype, tolerance=tol, max_abs_logits_diff=worst, prompts=len(ids_list),
                        steps=steps, tokens_equal=equal, first_mismatch=mismatches)
