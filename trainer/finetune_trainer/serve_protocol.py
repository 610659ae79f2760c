"""The OpenAI chat-completions request as `serve` accepts it: parsed and checked field by field (no torch here), so
bad input becomes a 400 that names the field, and the response and stream-chunk bodies."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

ROLES = ("system", "user", "assistant")
MAX_BODY = 4 * 1024 * 1024
MAX_STOPS = 4


class BadRequest(ValueError):
    """The request cannot be served: a 400 (or `status`) with {"error": {"message"}}."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class ChatRequest:
    messages: List[Dict[str, str]]
    max_tokens: int
    stream: bool = False
    temperature: Optional[float] = None
    top_p: Optional[float] = None
    seed: Optional[int] = None
    stop: List[str] = field(default_factory=list)


def _number(body: Dict[str, Any], name: str, low: float, high: float, low_open: bool = False) -> Optional[float]:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise BadRequest(f"{name} must be a number, not {json.dumps(value)[:40]}")
    if value < low or value > high or (low_open and value == low):
        raise BadRequest(f"{name} must be {'above' if low_open else 'at least'} {low} and at most {high}, not {value}")
    return float(value)


def _integer(body: Dict[str, Any], name: str, low: int, high: int) -> Optional[int]:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"{name} must be an integer, not {json.dumps(value)[:40]}")
    if value < low or value > high:
        raise BadRequest(f"{name} must be between {low} and {high}, not {value}")
    return value


def _messages(value: Any) -> List[Dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise BadRequest("messages must be a non-empty array of {role, content}")
    out = []
    for i, m in enumerate(value):
        if not isinstance(m, dict):
            raise BadRequest(f"messages[{i}] must be an object with role and content")
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            raise BadRequest(f"messages[{i}].role must be one of {', '.join(ROLES)}, not {json.dumps(role)[:40]}")
        if isinstance(content, list):  # content parts: only text ones
            if not all(isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str) for p in content):
                raise BadRequest(f"messages[{i}].content: only text parts are supported")
            content = "".join(p["text"] for p in content)
        if not isinstance(content, str):
            raise BadRequest(f"messages[{i}].content must be a string")
        out.append({"role": role, "content": content})
    return out


def parse_chat_request(raw: bytes, served_model: str, max_new_tokens: int) -> ChatRequest:
    """The checked request; raises BadRequest naming the field at fault."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadRequest(f"the body is not valid JSON: {e}")
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    model = body.get("model")
    if model is not None and model != served_model:
        raise BadRequest(f"the model {json.dumps(model)[:80]} is not served here (this server serves {json.dumps(served_model)})", 404)
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise BadRequest("stream must be true or false")
    stop = body.get("stop")
    stops: List[str] = []
    if isinstance(stop, str):
        stops = [stop]
    elif isinstance(stop, list) and all(isinstance(s, str) for s in stop):
        stops = list(stop)
    elif stop is not None:
        raise BadRequest("stop must be a string or an array of strings")
    if len(stops) > MAX_STOPS or any(not s for s in stops):
        raise BadRequest(f"stop takes at most {MAX_STOPS} non-empty strings")
    max_tokens = _integer(body, "max_tokens", 1, max_new_tokens)
    if max_tokens is None:
        max_tokens = _integer(body, "max_completion_tokens", 1, max_new_tokens)
    return ChatRequest(
        messages=_messages(body.get("messages")),
        max_tokens=max_tokens if max_tokens is not None else min(512, max_new_tokens),
        stream=stream,
        temperature=_number(body, "temperature", 0, 2),
        top_p=_number(body, "top_p", 0, 1, low_open=True),
        seed=_integer(body, "seed", -(2**63), 2**63 - 1),
        stop=stops,
    )


def error_body(message: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error"}}


def new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def completion_body(cid: str, model: str, text: str, finish: str, prompt_tokens: int, completion_tokens: int) -> Dict[str, Any]:
    return {
        "id": cid, "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }


def chunk_body(cid: str, model: str, delta: Dict[str, str], finish: Optional[str] = None) -> Dict[str, Any]:
    return {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def models_body(model: str, created: int) -> Dict[str, Any]:
    return {"object": "list", "data": [{"id": model, "object": "model", "created": created, "owned_by": "finetune-studio"}]}


def cut_at_stop(text: str, stops: List[str]) -> Optional[int]:
    """Where the first stop string begins in `text`, if one does."""
    found = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(found) if found else None


def held_back(text: str, stops: List[str]) -> int:
    """How many trailing characters could still begin a stop string (a stream holds them back until it knows)."""
    keep = 0
    for s in stops:
        for n in range(min(len(s) - 1, len(text)), 0, -1):
            if text.endswith(s[:n]):
                keep = max(keep, n)
                break
    return keep
