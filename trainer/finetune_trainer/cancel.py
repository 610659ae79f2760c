"""Cancel on SIGTERM (and Ctrl+C): inside the training loop the callback stops at the end of the current step;
anywhere else the handler raises Cancelled at once. A second signal always raises."""

from __future__ import annotations

import signal

from .errors import Cancelled


class CancelFlag:
    def __init__(self) -> None:
        self.requested = False
        self.in_loop = False  # set by the callback while Trainer.train runs

    def _handle(self, signum, frame) -> None:
        already = self.requested
        self.requested = True
        if already or not self.in_loop:
            raise Cancelled()

    def install(self) -> "CancelFlag":
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)
        return self
