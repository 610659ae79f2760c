"""Checkpoint folders in an output_dir: `resume_from_checkpoint: "latest"` picks the newest complete one, so a
job Slurm requeues (after a preemption, or after its time-limit warning) continues from where it stopped."""

from __future__ import annotations

import os
import re
from typing import Optional

LATEST = "latest"
# Written last when transformers saves a checkpoint: a folder without it was cut off mid-save.
COMPLETE_MARKER = "trainer_state.json"
_NAME = re.compile(r"^checkpoint-(\d+)$")


def latest_checkpoint(output_dir: str) -> Optional[str]:
    """The complete checkpoint-N folder with the highest N in output_dir, or None (no folder, or none complete)."""
    try:
        names = os.listdir(output_dir)
    except OSError:
        return None
    steps = []
    for name in names:
        m = _NAME.match(name)
        path = os.path.join(output_dir, name)
        if m and os.path.isfile(os.path.join(path, COMPLETE_MARKER)):
            steps.append((int(m.group(1)), path))
    return max(steps)[1] if steps else None


def resolve_resume(value: Optional[str], output_dir: str) -> Optional[str]:
    """The checkpoint to resume from: "latest" becomes the newest complete one (None when there is none yet)."""
    return latest_checkpoint(output_dir) if value == LATEST else value
