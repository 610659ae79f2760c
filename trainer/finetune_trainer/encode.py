"""Samples → token ids and labels with the model's own chat template; loss only on assistant tokens.

Works with any tokenizer that has `apply_chat_template(messages, tools=, tokenize=False, add_generation_prompt=)`
and `encode(text, add_special_tokens=False)` (transformers' tokenizers; tests use a small fake one).
The whole conversation is rendered once; each assistant turn's span starts where the conversation rendered up to
it (with the generation prompt) ends, and ends at the turn's end-of-turn marker, found after its content. That
also holds for templates that render a turn differently when it is the last one (Qwen3 adds an empty think block)
or that always append an assistant header (Llama 3).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .data import Sample
from .errors import DatasetError

IGNORE = -100
# For base models that ship no chat template.
CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


@dataclass
class Encoded:
    input_ids: List[int]
    labels: List[int]

    def __len__(self) -> int:
        return len(self.input_ids)


@dataclass
class EncodeStats:
    samples: int = 0
    dropped: int = 0
    truncated: int = 0
    no_target: int = 0  # samples with nothing to learn (every assistant turn has weight 0, or truncated away)
    tokens: int = 0

    def as_dict(self, prefix: str = "") -> Dict[str, int]:
        return {f"{prefix}{k}": v for k, v in self.__dict__.items()}


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class ChatEncoder:
    def __init__(self, tokenizer: Any):
        self.tok = tokenizer
        if not getattr(tokenizer, "chat_template", None):
            tokenizer.chat_template = CHATML_TEMPLATE
        self.turn_end = self._turn_end_marker()

    def render(self, messages: List[Dict[str, Any]], tools: Optional[list] = None, generation_prompt: bool = False) -> str:
        if not messages:
            return ""
        kwargs = {"tools": tools} if tools else {}
        return self.tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt, **kwargs)

    def _turn_end_marker(self) -> str:
        """What closes an assistant turn (`<|im_end|>`, `<|eot_id|>`, `<end_of_turn>`, …): the special token right
        after the content, else the first line of what follows it. Some templates (Llama 3's) append the next
        assistant header after every conversation, so the whole tail is not the marker."""
        probe = "\u2063probe answer\u2063"
        text = self.render([{"role": "user", "content": "probe question"}, {"role": "assistant", "content": probe}])
        at = text.rfind(probe)
        tail = text[at + len(probe):].strip() if at >= 0 else ""
        if not tail:
            return ""
        ids = list(self.tok.encode(tail, add_special_tokens=False))
        special = set(getattr(self.tok, "all_special_ids", None) or []) | set(getattr(self.tok, "added_tokens_decoder", None) or {})
        if ids and ids[0] in special:
            return self.tok.convert_ids_to_tokens(ids[0])
        return tail.splitlines()[0]

    def assistant_spans(self, sample: Sample, full: str) -> List[Tuple[int, int]]:
        """Character spans of `full` the model learns: every assistant turn whose weight is not 0, from after the
        generation prompt to the end-of-turn marker."""
        spans = []
        msgs = sample.messages
        for i, m in enumerate(msgs):
            if m["role"] != "assistant" or sample.weights[i] == 0:
                continue
            start = _common_prefix(full, self.render(msgs[:i], sample.tools, generation_prompt=True))
            end = self._span_end(full, start, self.render(msgs[: i + 1], sample.tools), m.get("content") or "")
            if end > start:
                spans.append((start, end))
        return spans

    def _span_end(self, full: str, start: int, upto: str, content: str) -> int:
        """The earliest of: where the conversation up to this turn ends (when the template renders it as a prefix of
        the whole), and the end-of-turn marker after the turn's content. Neither found: nothing to learn."""
        ends = [len(upto)] if full.startswith(upto) else []
        body = content.strip()
        at = full.find(body, start) if body else start
        if at >= 0:
            after = at + len(body)
            marker = full.find(self.turn_end, after) if self.turn_end else -1
            ends.append(marker + len(self.turn_end) if marker >= 0 else after)
        return min(ends) if ends else start

    def encode(self, sample: Sample) -> Encoded:
        if sample.text is not None:
            ids = list(self.tok.encode(sample.text, add_special_tokens=True))
            eos = getattr(self.tok, "eos_token_id", None)
            if eos is not None and (not ids or ids[-1] != eos):
                ids.append(eos)
            return Encoded(ids, [IGNORE] + ids[1:])
        full = self.render(sample.messages, sample.tools)
        input_ids: List[int] = []
        labels: List[int] = []
        at = 0
        for start, end in self.assistant_spans(sample, full) + [(len(full), len(full))]:
            prompt = list(self.tok.encode(full[at:start], add_special_tokens=False)) if start > at else []
            answer = list(self.tok.encode(full[start:end], add_special_tokens=False)) if end > start else []
            input_ids += prompt + answer
            labels += [IGNORE] * len(prompt) + answer
            at = end
        if labels:
            labels[0] = IGNORE  # nothing predicts the first token; also keeps packed samples from predicting across
        return Encoded(input_ids, labels)

    def encode_prompt(self, sample: Sample) -> Tuple[str, str]:
        """For predict: the rendered prompt up to the last assistant turn, and that turn's content (the label)."""
        last = max(i for i, m in enumerate(sample.messages) if m["role"] == "assistant")
        return self.render(sample.messages[:last], sample.tools, generation_prompt=True), sample.messages[last].get("content") or ""


def encode_all(encoder: ChatEncoder, samples: List[Sample], max_length: int, over_length: str,
               source: Optional[str] = None) -> Tuple[List[Encoded], EncodeStats]:
    """Encodes every sample; longer than max_length: drop or truncate (counted); no target tokens: left out (counted).
    A sample the chat template refuses (e.g. no user turn) is a dataset error at its line of `source`."""
    out: List[Encoded] = []
    stats = EncodeStats()
    for sample in samples:
        try:
            enc = encoder.encode(sample)
        except Exception as e:  # jinja's TemplateError, raise_exception() in templates, tokenizer errors
            where = f"{source} line {sample.line}" if source else f"line {sample.line}"
            raise DatasetError(f"{where}: the model's chat template cannot render this sample: {e}", source, sample.line or None) from e
        if len(enc) > max_length:
            if over_length == "drop":
                stats.dropped += 1
                continue
            enc = Encoded(enc.input_ids[:max_length], enc.labels[:max_length])
            stats.truncated += 1
        if all(label == IGNORE for label in enc.labels):
            stats.no_target += 1
            continue
        out.append(enc)
        stats.samples += 1
        stats.tokens += len(enc)
    return out, stats


def copy_tokenizer_files(src: str, dst: str) -> None:
    """Used by tests and the benchmark: a model folder from a tokenizer folder."""
    import shutil

    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        if name.startswith("tokenizer") or name in ("special_tokens_map.json", "chat_template.jinja", "vocab.json", "merges.txt"):
            shutil.copy(os.path.join(src, name), os.path.join(dst, name))


def template_sha256(tokenizer: Any) -> Optional[str]:
    """sha256 of the chat template the tokenizer renders with (the default of named ones), as the trial chat hashes
    a model folder's template (src/inference/onnx/localModel.ts): it warns when a model renders with another one."""
    import hashlib

    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, dict):
        template = template.get("default") or next(iter(template.values()), None)
    return hashlib.sha256(template.encode("utf-8")).hexdigest() if isinstance(template, str) else None
