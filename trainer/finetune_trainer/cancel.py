"""Stopping on a signal. Inside the training loop the callback stops at the end of the current step; anywhere else
the handler raises Cancelled at once. A second signal raises, except the same one again within DUPLICATE_SECONDS:
Slurm sends TERM to every process of a job while the batch shell (or torchrun) passes its own on, so one cancel
arrives twice.

SIGTERM and Ctrl+C cancel. SIGUSR1 is a scheduler's warning (Slurm's `--signal=B:USR1@S` before the time limit, or
before a preemption): the trainer saves a checkpoint at the end of the step, then stops, so the job can resume from
it. With FINETUNE_SAVE_ON_TERM=1 (set by the Slurm batch script: a preemption or `scontrol requeue` sends TERM and
waits KillWait) SIGTERM saves a checkpoint too; a local cancel stays quick without it."""

from __future__ import annotations

import os
import signal
import time
from typing import Optional

from .errors import Cancelled

# Why the trainer stopped, as the done event's stop_reason says it.
REASONS = {signal.SIGUSR1: "time_limit", signal.SIGTERM: "terminated", signal.SIGINT: "interrupted"}
SAVE_ON_TERM_ENV = "FINETUNE_SAVE_ON_TERM"
DUPLICATE_SECONDS = 2.0


class CancelFlag:
    def __init__(self) -> None:
        self.in_loop = False  # set by the callback while Trainer.train runs
        self.reason: Optional[str] = None  # the first signal's reason
        self.save = False  # save a checkpoint before stopping
        self.save_on_term = os.environ.get(SAVE_ON_TERM_ENV) == "1"
        self._first = None  # (signal, monotonic time) of the first signal

    @property
    def requested(self) -> bool:
        return self._first is not None

    def _handle(self, signum, frame) -> None:
        now = time.monotonic()
        already = self._first is not None
        if already and self._first[0] == signum and now - self._first[1] < DUPLICATE_SECONDS:
            return  # the same signal delivered twice (Slurm and the launcher): one request
        if not already:
            self._first = (signum, now)
            self.reason = REASONS.get(signum, "terminated")
            self.save = signum == signal.SIGUSR1 or (signum == signal.SIGTERM and self.save_on_term)
        if already or not self.in_loop:
            raise Cancelled()

    def install(self) -> "CancelFlag":
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGUSR1, self._handle)
        return self
