"""The trainer's event protocol: one JSON object a line, to the run's events file and to stdout.

TypeScript twin: src/shared/trainerEvents.ts (zod `TrainerEvent`); keep the two in step. Both are checked
against the same examples, test/fixtures/trainer/events.jsonl (trainer/tests/test_events.py and
test/unit/trainerProtocol.test.ts). Readers accept unknown fields but never unknown event types.
Every event is validated here before it is written, so a bug shows up as an exception, not a bad line.
"""

from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
from typing import Any, Callable, Dict, Optional, TextIO, Tuple

EVENT_TYPES = ("start", "step", "eval", "checkpoint", "predict", "metrics", "done", "error")
ERROR_KINDS = ("oom", "missing_package", "no_gpu", "model_not_found", "dataset", "config", "other")
# Why a run stopped early (done.status cancelled): SIGUSR1 (a scheduler's time-limit or preemption warning), SIGTERM, Ctrl+C.
STOP_REASONS = ("time_limit", "terminated", "interrupted")


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _nonneg_int(v: Any) -> bool:
    return _int(v) and v >= 0


def _pos_int(v: Any) -> bool:
    return _int(v) and v > 0


def _str(v: Any) -> bool:
    return isinstance(v, str)


def _nonempty(v: Any) -> bool:
    return isinstance(v, str) and len(v) > 0


def _record(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, dict) and all(isinstance(k, str) and check(x) for k, x in v.items())


def _one_of(*values: str) -> Callable[[Any], bool]:
    return lambda v: v in values


def _dataset_stats(v: Any) -> bool:
    keys = ("train_samples", "eval_samples", "dropped", "truncated", "train_tokens")
    return isinstance(v, dict) and all(_nonneg_int(v.get(k)) for k in keys)


# type → {field: (required, check, what it must be)}; mirrors the zod objects field by field.
Rule = Tuple[bool, Callable[[Any], bool], str]
SCHEMA: Dict[str, Dict[str, Rule]] = {
    "start": {
        "config": (True, lambda v: isinstance(v, dict), "an object"),
        "world_size": (True, _pos_int, "a positive integer"),
        "devices": (True, lambda v: isinstance(v, list) and all(map(_str, v)), "a list of strings"),
        "total_steps": (True, _nonneg_int, "an integer >= 0"),
        "dataset": (True, _dataset_stats, "an object with train_samples, eval_samples, dropped, truncated, train_tokens (integers >= 0)"),
        "resumed_from": (False, _str, "a string"),
    },
    "step": {
        "step": (True, _nonneg_int, "an integer >= 0"),
        "total_steps": (True, _nonneg_int, "an integer >= 0"),
        "epoch": (True, _num, "a finite number"),
        "loss": (True, _num, "a finite number"),
        "learning_rate": (True, _num, "a finite number"),
        "grad_norm": (False, _num, "a finite number"),
        "tokens_per_second": (False, _num, "a finite number"),
        "memory_gb": (False, _num, "a finite number"),
    },
    "eval": {
        "step": (True, _nonneg_int, "an integer >= 0"),
        "epoch": (False, _num, "a finite number"),
        "eval_loss": (True, _num, "a finite number"),
    },
    "checkpoint": {
        "step": (True, _nonneg_int, "an integer >= 0"),
        "path": (True, _nonempty, "a non-empty string"),
    },
    "predict": {
        "done": (True, _nonneg_int, "an integer >= 0"),
        "total": (True, _nonneg_int, "an integer >= 0"),
    },
    "metrics": {
        "split": (True, _one_of("train", "eval", "predict"), "train, eval or predict"),
        "values": (True, _record(_num), "an object of finite numbers"),
    },
    "done": {
        "status": (True, _one_of("succeeded", "cancelled"), "succeeded or cancelled"),
        "metrics": (False, _record(_num), "an object of finite numbers"),
        "artifacts": (True, _record(_str), "an object of strings"),
        "stop_reason": (False, _one_of(*STOP_REASONS), " or ".join(STOP_REASONS)),
        "checkpoint": (False, _nonempty, "a non-empty string"),
    },
    "error": {
        "kind": (True, _one_of(*ERROR_KINDS), " or ".join(ERROR_KINDS)),
        "message": (True, _nonempty, "a non-empty string"),
        "fix": (False, _str, "a string"),
        "traceback": (False, _str, "a string"),
        "file": (False, _str, "a string"),
        "line": (False, _pos_int, "a positive integer"),
    },
}


def validate_event(event: Any) -> Optional[str]:
    """None when `event` is a valid event; otherwise what is wrong, as `field: problem`."""
    if not isinstance(event, dict):
        return "(root): expected an object"
    kind = event.get("type")
    if kind not in SCHEMA:
        return f"type: expected one of {', '.join(EVENT_TYPES)}, found {kind!r}"
    if not _num(event.get("time")):
        return "time: expected a finite number (seconds since the epoch)"
    for name, (required, check, what) in SCHEMA[kind].items():
        if name not in event:
            if required:
                return f"{name}: required"
            continue
        if not check(event[name]):
            return f"{name}: expected {what}, found {event[name]!r}"
    return None


class InvalidEvent(ValueError):
    pass


def is_main_process() -> bool:
    """Under torchrun / accelerate launch only rank 0 writes events."""
    return int(os.environ.get("RANK", "0")) == 0


class EventWriter:
    """Writes events to `events_file` (appending) and to stdout, one flushed line each."""

    def __init__(self, events_file: Optional[str], stdout: Optional[TextIO] = None, enabled: Optional[bool] = None):
        self.enabled = is_main_process() if enabled is None else enabled
        self._lock = threading.RLock()  # re-entrant: a signal handler may write while a line is being written
        self._stdout = stdout
        self._file: Optional[TextIO] = None
        self.path = events_file
        if self.enabled and events_file:
            os.makedirs(os.path.dirname(os.path.abspath(events_file)), exist_ok=True)
            self._file = open(events_file, "a", encoding="utf-8")

    def emit(self, type: str, **fields: Any) -> Dict[str, Any]:
        event = {"type": type, "time": time.time(), **{k: v for k, v in fields.items() if v is not None}}
        problem = validate_event(event)
        if problem:
            raise InvalidEvent(f"{type} event: {problem}")
        if not self.enabled:
            return event
        line = json.dumps(event, ensure_ascii=False, allow_nan=False) + "\n"
        with self._lock:
            if self._file is not None:
                try:
                    self._file.write(line)
                    self._file.flush()
                except (OSError, ValueError) as e:  # the run folder was deleted or the disk is full: stdout still gets it
                    print(f"finetune_trainer: cannot write {self.path}: {e}", file=sys.stderr)
                    self._file = None
            out = self._stdout or sys.stdout
            out.write(line)
            out.flush()
        return event

    def start(self, *, config: dict, world_size: int, devices: list, total_steps: int, dataset: dict, resumed_from: Optional[str] = None):
        return self.emit("start", config=config, world_size=world_size, devices=devices, total_steps=total_steps, dataset=dataset, resumed_from=resumed_from)

    def step(self, *, step: int, total_steps: int, epoch: float, loss: float, learning_rate: float, **extra: Any):
        return self.emit("step", step=step, total_steps=total_steps, epoch=epoch, loss=loss, learning_rate=learning_rate, **extra)

    def eval(self, *, step: int, eval_loss: float, epoch: Optional[float] = None):
        return self.emit("eval", step=step, epoch=epoch, eval_loss=eval_loss)

    def checkpoint(self, *, step: int, path: str):
        return self.emit("checkpoint", step=step, path=path)

    def predict(self, *, done: int, total: int):
        return self.emit("predict", done=done, total=total)

    def metrics(self, *, split: str, values: dict):
        return self.emit("metrics", split=split, values=finite_numbers(values))

    def done(self, *, status: str, artifacts: dict, metrics: Optional[dict] = None, stop_reason: Optional[str] = None, checkpoint: Optional[str] = None):
        return self.emit("done", status=status, artifacts=artifacts, metrics=finite_numbers(metrics) if metrics is not None else None,
                         stop_reason=stop_reason, checkpoint=checkpoint)

    def error(self, *, kind: str, message: str, fix: Optional[str] = None, traceback: Optional[str] = None, file: Optional[str] = None, line: Optional[int] = None):
        return self.emit("error", kind=kind, message=message, fix=fix, traceback=traceback, file=file, line=line)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def finite_numbers(values: Optional[dict]) -> dict:
    """The numeric, finite entries of a metrics dict (trainer logs mix in strings and NaN)."""
    return {k: float(v) if isinstance(v, float) else v for k, v in (values or {}).items() if _num(v)}
