"""Trainer callbacks that turn transformers' training events into protocol events (see events.py).

Only the main process writes (EventWriter is disabled on other ranks); every rank checks for cancel and for a
loss that is no longer finite, so all of them stop at the same step.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any, Dict, Optional

from transformers import TrainerCallback

from .cancel import CancelFlag
from .events import EventWriter


class EventCallback(TrainerCallback):
    def __init__(self, writer: EventWriter, cancel: CancelFlag, start: Dict[str, Any]):
        self.writer = writer
        self.cancel = cancel
        self.start = start  # config, devices, dataset stats, resumed_from
        self.trainer: Any = None  # set by the trainer: its tokens_seen counter feeds tokens/s
        self.diverged: Optional[str] = None
        self.last_checkpoint: Optional[str] = None
        self._last = (time.time(), 0)

    def _tokens(self) -> int:
        return int(getattr(self.trainer, "tokens_seen", 0))

    def on_train_begin(self, args, state, control, **kwargs):
        self.cancel.in_loop = True
        self.writer.start(total_steps=state.max_steps, world_size=args.world_size, **self.start)
        self._last = (time.time(), self._tokens())

    def on_step_end(self, args, state, control, **kwargs):
        if self.cancel.requested:
            control.should_training_stop = True
            if self.cancel.save:
                control.should_save = True  # a checkpoint to resume from (the scheduler's warning, or a requeue)
        if state.global_step >= state.max_steps:
            control.should_save = True  # always a last checkpoint, so a job can be continued from where it ended
        return control

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "loss" in logs:
            self._step(args, state, control, logs)
        if "eval_loss" in logs and math.isfinite(logs["eval_loss"]):
            self.writer.eval(step=state.global_step, epoch=state.epoch, eval_loss=float(logs["eval_loss"]))
        if "train_runtime" in logs:
            self.writer.metrics(split="train", values=logs)
        return control

    def _step(self, args, state, control, logs: Dict[str, Any]) -> None:
        loss = float(logs["loss"])
        if not math.isfinite(loss):
            self.diverged = f"The training loss became {loss} at step {state.global_step}"
            control.should_training_stop = True
            return
        now, tokens = time.time(), self._tokens()
        extra: Dict[str, float] = {}
        if now > self._last[0] and tokens > self._last[1]:
            extra["tokens_per_second"] = (tokens - self._last[1]) * args.world_size / (now - self._last[0])
        self._last = (now, tokens)
        grad_norm = logs.get("grad_norm")
        if isinstance(grad_norm, (int, float)) and math.isfinite(grad_norm):
            extra["grad_norm"] = float(grad_norm)
        memory = _peak_memory_gb()
        if memory is not None:
            extra["memory_gb"] = memory
        self.writer.step(step=state.global_step, total_steps=state.max_steps, epoch=float(state.epoch or 0.0), loss=loss,
                         learning_rate=float(logs.get("learning_rate", 0.0)), **extra)

    def on_save(self, args, state, control, **kwargs):
        self.last_checkpoint = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
        self.writer.checkpoint(step=state.global_step, path=self.last_checkpoint)
        return control

    def on_train_end(self, args, state, control, **kwargs):
        self.cancel.in_loop = False
        return control


def _peak_memory_gb() -> Optional[float]:
    import torch

    if not torch.cuda.is_available():
        return None
    peak = torch.cuda.max_memory_allocated() / 2**30
    torch.cuda.reset_peak_memory_stats()
    return round(peak, 3)
