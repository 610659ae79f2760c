"""The fake trainer the extension's CI tests use must speak the protocol exactly like the real one."""

import json
import os
import signal
import subprocess
import sys
import time

from conftest import FIXTURES
from test_errors_and_cli import write_config

from finetune_trainer.events import validate_event

FAKE = os.path.join(FIXTURES, "fake_trainer.py")


def run_fake(config, **env):
    proc = subprocess.run([sys.executable, FAKE, "train", "--config", config], capture_output=True, text=True,
                          env={**os.environ, "FAKE_TRAINER_STEP_SECONDS": "0", **env}, timeout=60)
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()]


def test_a_run_validates_and_resume_continues_the_step_count(tmp_path):
    config = write_config(tmp_path, save_steps=2)
    code, events = run_fake(config, FAKE_TRAINER_STEPS="4")
    assert code == 0 and [validate_event(e) for e in events] == [None] * len(events)
    assert [e["type"] for e in events][0] == "start" and events[-1]["status"] == "succeeded"
    losses = [e["loss"] for e in events if e["type"] == "step"]
    assert len(losses) == 4 and losses == sorted(losses, reverse=True)
    assert (tmp_path / "events.jsonl").read_text().splitlines() == [json.dumps(e) for e in events]
    assert os.path.isdir(tmp_path / "out" / "checkpoint-2")
    resumed = write_config(tmp_path, resume_from_checkpoint=str(tmp_path / "out" / "checkpoint-2"))
    code, events = run_fake(resumed, FAKE_TRAINER_STEPS="4")
    assert code == 0 and [e["step"] for e in events if e["type"] == "step"] == [3, 4]


def test_failure_knob(tmp_path):
    code, events = run_fake(write_config(tmp_path), FAKE_TRAINER_FAIL="dataset")
    assert code == 1 and [e["type"] for e in events] == ["start", "step", "step", "error"]
    assert events[-1]["kind"] == "dataset" and events[-1]["line"] == 3


def test_sigterm_ends_with_done_cancelled_and_143(tmp_path):
    proc = subprocess.Popen([sys.executable, FAKE, "train", "--config", write_config(tmp_path)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "FAKE_TRAINER_STEP_SECONDS": "0.5"})
    assert json.loads(proc.stdout.readline())["type"] == "start"
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    rest = [json.loads(line) for line in proc.stdout.read().splitlines()]
    assert proc.wait(timeout=10) == 143 and rest[-1]["type"] == "done" and rest[-1]["status"] == "cancelled"
