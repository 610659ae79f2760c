"""Datasets → chat messages: every format the extension's linter accepts (src/core/dataset/formats/detect.ts).

OpenAI `messages` (with `weight: 0` on assistant turns and `tools`), ShareGPT `conversations` (human/gpt/
observation/function_call/system, top-level `system` and `tools`), Alpaca `instruction`/`input`/`output` (with
`system` and `history`), `prompt`/`completion` (strings or message lists) and plain `text`. The conversion
follows src/core/dataset/formats/convert.ts; a LLaMA-Factory dataset_info.json beside the file renames columns and roles
(dataset_info.py). No torch here: this runs in tests without ML packages.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .dataset_info import remapper_for
from .errors import DatasetError
from .json_array import BadRecord, array_records
from .jsonl import BadLine, jsonl_lines, parse_line

OPENAI_ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant", "tool": "tool", "function": "tool"}
SHAREGPT_ROLES = {"human": "user", "gpt": "assistant", "observation": "tool", "function_call": "function_call", "system": "system"}
# Message keys chat templates read; `weight` is kept apart (see Sample.weights).
TEMPLATE_KEYS = ("tool_calls", "tool_call_id", "name", "reasoning_content")
FORMAT_KEYS = (("messages", "openai"), ("conversations", "sharegpt"), ("instruction", "alpaca"), ("output", "alpaca"),
               ("input", "alpaca"), ("prompt", "prompt_completion"), ("completion", "prompt_completion"), ("text", "text"))


@dataclass
class Sample:
    """One training sample: a conversation (messages, per-message weights, tools) or plain text."""

    messages: List[Dict[str, Any]] = field(default_factory=list)
    weights: List[int] = field(default_factory=list)
    tools: Optional[List[Any]] = None
    text: Optional[str] = None
    line: int = 0  # 1-based line in its file (for a JSON array, the line its record starts on)


class _Bad(Exception):
    pass


def detect_format(obj: Dict[str, Any]) -> Optional[str]:
    for key, fmt in FORMAT_KEYS:
        if key in obj:
            return fmt
    return None


def to_sample(obj: Any) -> Sample:
    """Converts one parsed sample; raises _Bad with the reason when it cannot be used."""
    if not isinstance(obj, dict):
        raise _Bad("a sample must be a JSON object")
    fmt = detect_format(obj)
    if fmt == "openai":
        return _openai(obj["messages"], obj.get("tools"))
    if fmt == "sharegpt":
        return _sharegpt(obj)
    if fmt == "alpaca":
        return _alpaca(obj)
    if fmt == "prompt_completion":
        return _prompt_completion(obj)
    if fmt == "text":
        if not isinstance(obj["text"], str) or not obj["text"].strip():
            raise _Bad("`text` must be a non-empty string")
        return Sample(text=obj["text"])
    raise _Bad("unknown format: expected messages, conversations, instruction/output, prompt/completion or text")


def _content(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return _parts_text(value, where)
    raise _Bad(f"{where}: content must be a string, a list of parts or null")


# Content parts as the linter reads them (src/core/dataset/formats/contentParts.ts): text parts give their text,
# joined; media parts give none (this trainer trains on text); any other shape is refused, not read as empty.
_TEXT_PARTS = {"text", "input_text", "output_text"}
_MEDIA_PARTS = {"image_url", "input_audio", "file", "image", "video", "audio", "input_image", "input_file", "refusal"}


def _parts_text(parts: List[Any], where: str) -> str:
    text = []
    for j, part in enumerate(parts):
        kind = part.get("type") if isinstance(part, dict) else None
        kind = kind if isinstance(kind, str) else None
        if kind in _TEXT_PARTS and "text" in part:
            if not isinstance(part["text"], str):
                raise _Bad(f"{where}, content part {j + 1}: `text` must be a string")
            text.append(part["text"])
        elif kind not in _MEDIA_PARTS:
            raise _Bad(f'{where}, content part {j + 1}: unknown content-part format (expected {{"type": "text", "text": ...}} or a media part such as image_url)')
    return "".join(text)


def _openai(messages: Any, tools: Any, key: str = "messages", need_answer: bool = True) -> Sample:
    if not isinstance(messages, list) or not messages:
        raise _Bad(f"`{key}` must be a non-empty list")
    sample = Sample(tools=_tools(tools))
    for i, m in enumerate(messages):
        where = f"message {i + 1}"
        role = OPENAI_ROLES.get(m.get("role")) if isinstance(m, dict) else None
        if role is None:
            raise _Bad(f"{where}: role must be one of {', '.join(OPENAI_ROLES)}")
        out = {"role": role, "content": _content(m.get("content"), where)}
        out.update({k: m[k] for k in TEMPLATE_KEYS if m.get(k) is not None})
        weight = m.get("weight", 1)
        if weight not in (0, 1) or isinstance(weight, bool):
            raise _Bad(f"{where}: weight must be 0 or 1")
        sample.messages.append(out)
        sample.weights.append(int(weight))
    return _checked(sample) if need_answer else sample


def _sharegpt(obj: Dict[str, Any]) -> Sample:
    turns = obj["conversations"]
    if not isinstance(turns, list) or not turns:
        raise _Bad("`conversations` must be a non-empty list")
    messages: List[Dict[str, Any]] = []
    if isinstance(obj.get("system"), str) and obj["system"]:
        messages.append({"role": "system", "content": obj["system"]})
    calls = 0
    pending: List[str] = []
    for i, turn in enumerate(turns):
        role = SHAREGPT_ROLES.get(turn.get("from")) if isinstance(turn, dict) else None
        value = turn.get("value") if isinstance(turn, dict) else None
        if role is None or not isinstance(value, str):
            raise _Bad(f"turn {i + 1}: needs `from` ({', '.join(SHAREGPT_ROLES)}) and a string `value`")
        if role == "function_call":
            tool_calls = []
            for fn in _parse_calls(value, i):
                calls += 1
                tool_calls.append({"id": f"call_{calls}", "type": "function", "function": fn})
                pending.append(f"call_{calls}")
            messages.append({"role": "assistant", "content": "", "tool_calls": tool_calls})
        elif role == "tool":
            messages.append({"role": "tool", "content": value, **({"tool_call_id": pending.pop(0)} if pending else {})})
        else:
            messages.append({"role": role, "content": value})
    return _checked(Sample(messages=messages, weights=[1] * len(messages), tools=_tools(obj.get("tools"))))


def _parse_calls(content: str, turn: int) -> List[Dict[str, Any]]:
    try:
        parsed = json.loads(content)
    except json.JSONDecodeError:
        raise _Bad(f"turn {turn + 1}: a function_call turn must hold JSON") from None
    out = []
    for call in parsed if isinstance(parsed, list) else [parsed]:
        if not isinstance(call, dict) or not isinstance(call.get("name"), str):
            raise _Bad(f"turn {turn + 1}: each call needs a `name`")
        args = call.get("arguments", {})
        out.append({"name": call["name"], "arguments": args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)})
    return out


def _tools(value: Any) -> Optional[List[Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    if not isinstance(value, list) or not value:
        return None
    return [t if t.get("type") == "function" and isinstance(t.get("function"), dict) else {"type": "function", "function": t} for t in value if isinstance(t, dict)]


def _alpaca(obj: Dict[str, Any]) -> Sample:
    def s(key: str) -> str:
        v = obj.get(key)
        return v if isinstance(v, str) else ""

    if not s("output").strip():
        raise _Bad("`output` must be a non-empty string")
    messages: List[Dict[str, Any]] = []
    if s("system"):
        messages.append({"role": "system", "content": s("system")})
    history = obj.get("history")
    for i, pair in enumerate(history if isinstance(history, list) else []):
        if not (isinstance(pair, list) and len(pair) >= 2 and isinstance(pair[0], str) and isinstance(pair[1], str)):
            raise _Bad(f"history item {i + 1} must be [instruction, response]")
        messages += [{"role": "user", "content": pair[0]}, {"role": "assistant", "content": pair[1]}]
    prompt = "\n".join(p for p in (s("instruction"), s("input")) if p)  # LLaMA-Factory joins them with a line break
    messages += [{"role": "user", "content": prompt}, {"role": "assistant", "content": s("output")}]
    return _checked(Sample(messages=messages, weights=[1] * len(messages)))


def _prompt_completion(obj: Dict[str, Any]) -> Sample:
    sides = []
    for key, role in (("prompt", "user"), ("completion", "assistant")):
        v = obj.get(key)
        if isinstance(v, str):
            sides.append(Sample(messages=[{"role": role, "content": v}], weights=[1]))
        elif isinstance(v, list):
            sides.append(_openai(v, None, key, need_answer=False))
        else:
            raise _Bad(f"`{key}` must be a string or a list of messages")
    prompt, completion = sides
    return _checked(Sample(messages=prompt.messages + completion.messages, weights=prompt.weights + completion.weights, tools=_tools(obj.get("tools"))))


def _checked(sample: Sample) -> Sample:
    if not any(m["role"] == "assistant" for m in sample.messages):
        raise _Bad("no assistant turn to learn from")
    return sample


def read_samples(path: str) -> List[Sample]:
    """Reads a JSONL file (or a JSON array of samples); a bad sample raises DatasetError with file and line.

    Lines and valid lines are those of the extension's linter (jsonl.py): newline="" keeps a lone \r in the
    text rather than turning it into a line break.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise DatasetError(f"dataset file not found: {path}", path) from None
    except UnicodeDecodeError as e:
        raise DatasetError(f"{path}: {_not_utf8(path)} ({e.reason} at byte {e.start})", path) from None
    if text.lstrip().startswith("["):
        return _read_array(text, path)
    remap = remapper_for(path)
    samples = []
    for number, raw in jsonl_lines(text):
        if not raw.strip():
            continue
        try:
            obj = parse_line(raw)
        except BadLine as e:
            raise DatasetError(f"{path} line {number}: {e}", path, number) from None
        samples.append(_at(remap(obj) if remap else obj, path, number))
    if not samples:
        raise DatasetError(f"{path}: no samples", path)
    return samples


def _not_utf8(path: str) -> str:
    with open(path, "rb") as fh:
        start = fh.read(2)
    return "UTF-16 encoded text: convert it to UTF-8" if start in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8 text"


def _read_array(text: str, path: str) -> List[Sample]:
    """A JSON array's records in order, each known by the line it starts on (as the linter reports them)."""
    remap = remapper_for(path)
    samples = []
    try:
        for line, obj in array_records(text):
            samples.append(_at(remap(obj) if remap else obj, path, line))
    except BadRecord as e:
        raise DatasetError(f"{path} line {e.line}: {e}", path, e.line) from None
    if not samples:
        raise DatasetError(f"{path}: no samples", path)
    return samples


def _at(obj: Any, path: str, line: int) -> Sample:
    try:
        sample = to_sample(obj)
    except _Bad as e:
        raise DatasetError(f"{path} line {line}: {e}", path, line) from None
    sample.line = line
    return sample


def split_eval(samples: List[Sample], share: float, seed: int) -> Tuple[List[Sample], List[Sample]]:
    """Holds out `share` of the samples (at least one, when share > 0 and there are two or more), chosen with `seed`."""
    if share <= 0 or len(samples) < 2:
        return samples, []
    count = min(len(samples) - 1, max(1, round(len(samples) * share)))
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    held = set(order[:count])
    return [s for i, s in enumerate(samples) if i not in held], [s for i, s in enumerate(samples) if i in held]


def load_splits(train_file: str, eval_file: Optional[str], eval_share: float, seed: int) -> Tuple[List[Sample], List[Sample]]:
    train = read_samples(train_file)
    if eval_file:
        return train, read_samples(eval_file)
    return split_eval(train, eval_share, seed)


def file_sha256(path: str) -> str:
    """sha256 of a file's bytes: the training data's content hash, the first link of a model's lineage (the job
    record's `dataset_sha256` artifact, read by src/core/models/lineage.ts)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
