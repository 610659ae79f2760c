"""Stopping on a scheduler's signal and resuming from the newest checkpoint (pure parts; the model tests run the
real trainer: test_models.py)."""

import os
import signal

import pytest

from finetune_trainer.cancel import CancelFlag
from finetune_trainer.checkpoints import latest_checkpoint, resolve_resume
from finetune_trainer.errors import Cancelled


def make_checkpoint(root, step, complete=True):
    path = root / f"checkpoint-{step}"
    path.mkdir(parents=True)
    if complete:
        (path / "trainer_state.json").write_text("{}")
    return str(path)


def test_latest_is_the_highest_complete_step(tmp_path):
    make_checkpoint(tmp_path, 9)
    newest = make_checkpoint(tmp_path, 10)
    make_checkpoint(tmp_path, 12, complete=False)  # cut off mid-save
    (tmp_path / "checkpoint-x").mkdir()
    (tmp_path / "checkpoint-99").write_text("a file, not a folder")
    assert latest_checkpoint(str(tmp_path)) == newest
    assert resolve_resume("latest", str(tmp_path)) == newest


def test_latest_without_checkpoints_starts_from_the_beginning(tmp_path):
    assert latest_checkpoint(str(tmp_path / "missing")) is None
    assert resolve_resume("latest", str(tmp_path)) is None
    assert resolve_resume(None, str(tmp_path)) is None
    assert resolve_resume("/a/checkpoint-3", str(tmp_path)) == "/a/checkpoint-3"


@pytest.mark.parametrize("signum,reason,save,env", [
    (signal.SIGUSR1, "time_limit", True, None),
    (signal.SIGTERM, "terminated", False, None),
    (signal.SIGTERM, "terminated", True, "1"),
    (signal.SIGINT, "interrupted", False, "1"),
])
def test_a_signal_in_the_loop_asks_to_stop_and_says_why(monkeypatch, signum, reason, save, env):
    if env is None:
        monkeypatch.delenv("FINETUNE_SAVE_ON_TERM", raising=False)
    else:
        monkeypatch.setenv("FINETUNE_SAVE_ON_TERM", env)
    flag = CancelFlag()
    flag.in_loop = True
    flag._handle(signum, None)
    assert (flag.requested, flag.reason, flag.save) == (True, reason, save)
    other = signal.SIGINT if signum == signal.SIGTERM else signal.SIGTERM
    with pytest.raises(Cancelled):
        flag._handle(other, None)  # a second, different signal does not wait for the step
    assert flag.reason == reason, "the first signal's reason stays"


def test_the_same_signal_twice_at_once_is_one_request(monkeypatch):
    """Slurm sends TERM to every process of the job and the batch shell passes its own on: one cancel, two TERMs."""
    clock = [100.0]
    monkeypatch.setattr("finetune_trainer.cancel.time.monotonic", lambda: clock[0])
    flag = CancelFlag()
    flag.in_loop = True
    flag._handle(signal.SIGTERM, None)
    clock[0] += 0.01
    flag._handle(signal.SIGTERM, None)  # no Cancelled: the checkpoint on the way out is not cut short
    assert flag.requested
    clock[0] += 5
    with pytest.raises(Cancelled):
        flag._handle(signal.SIGTERM, None)  # a user's second Ctrl+C or kill, later, still stops at once


def test_a_signal_outside_the_loop_raises_at_once():
    flag = CancelFlag()
    with pytest.raises(Cancelled):
        flag._handle(signal.SIGUSR1, None)
    assert flag.reason == "time_limit"


def test_install_handles_usr1(monkeypatch):
    installed = {}
    monkeypatch.setattr(signal, "signal", lambda signum, handler: installed.setdefault(signum, handler))
    CancelFlag().install()
    assert {signal.SIGUSR1, signal.SIGTERM, signal.SIGINT} <= set(installed)
