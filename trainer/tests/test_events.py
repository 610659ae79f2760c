import io
import json
import os

import pytest
from conftest import FIXTURES

from finetune_trainer.events import EVENT_TYPES, EventWriter, InvalidEvent, validate_event


def fixture_events():
    with open(os.path.join(FIXTURES, "events.jsonl"), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_one_of_each(writer: EventWriter) -> None:
    writer.start(config={"method": "lora"}, world_size=1, devices=["cpu"], total_steps=3,
                 dataset={"train_samples": 2, "eval_samples": 1, "dropped": 0, "truncated": 0, "train_tokens": 90}, resumed_from="/r/checkpoint-1")
    writer.step(step=1, total_steps=3, epoch=0.5, loss=2.0, learning_rate=1e-4, grad_norm=0.5, tokens_per_second=10.0, memory_gb=1.0)
    writer.eval(step=1, epoch=0.5, eval_loss=2.1)
    writer.checkpoint(step=1, path="/r/checkpoint-1")
    writer.predict(done=1, total=2)
    writer.metrics(split="train", values={"train_loss": 2.0, "note": "dropped: not a number", "nan": float("nan")})
    writer.done(status="succeeded", metrics={"train_loss": 2.0}, artifacts={"output_dir": "/r"})
    writer.error(kind="dataset", message="line 7: no assistant turn", fix="fix it", file="/d.jsonl", line=7)


def test_shared_fixture_validates_and_covers_every_type():
    events = fixture_events()
    assert [validate_event(e) for e in events] == [None] * len(events)
    assert {e["type"] for e in events} == set(EVENT_TYPES)


def test_writer_sends_each_event_to_the_file_and_stdout(tmp_path):
    out = io.StringIO()
    path = tmp_path / "run" / "events.jsonl"
    writer = EventWriter(str(path), stdout=out, enabled=True)
    write_one_of_each(writer)
    writer.close()
    file_lines = path.read_text(encoding="utf-8").splitlines()
    assert file_lines == out.getvalue().splitlines()
    events = [json.loads(line) for line in file_lines]
    assert [e["type"] for e in events] == list(EVENT_TYPES)
    assert [validate_event(e) for e in events] == [None] * len(events)
    assert events[5]["values"] == {"train_loss": 2.0}, "non-numbers and NaN never reach a metrics event"


@pytest.mark.parametrize("event,problem", [
    ({"type": "step", "time": 1.0, "step": 1, "total_steps": 2, "epoch": 0.1, "loss": float("nan"), "learning_rate": 0.1}, "loss: expected a finite number"),
    ({"type": "launch", "time": 1.0}, "type: expected one of"),
    ({"type": "eval", "step": 1, "eval_loss": 1.0}, "time: expected a finite number"),
    ({"type": "error", "time": 1.0, "kind": "disk", "message": "x"}, "kind: expected oom or"),
    ({"type": "checkpoint", "time": 1.0, "step": True, "path": "/p"}, "step: expected an integer >= 0"),
    ({"type": "done", "time": 1.0, "status": "succeeded"}, "artifacts: required"),
    ({"type": "done", "time": 1.0, "status": "cancelled", "artifacts": {}, "stop_reason": "bored"}, "stop_reason: expected time_limit or"),
    ({"type": "done", "time": 1.0, "status": "cancelled", "artifacts": {}, "checkpoint": ""}, "checkpoint: expected a non-empty string"),
])
def test_validator_rejects_what_zod_rejects(event, problem):
    assert problem in (validate_event(event) or "")


def test_writer_refuses_an_invalid_event(tmp_path):
    writer = EventWriter(str(tmp_path / "e.jsonl"), stdout=io.StringIO(), enabled=True)
    with pytest.raises(InvalidEvent, match="step event: loss"):
        writer.step(step=1, total_steps=1, epoch=0.0, loss=float("inf"), learning_rate=0.1)
    assert (tmp_path / "e.jsonl").read_text() == ""


def test_other_ranks_write_nothing(tmp_path):
    out = io.StringIO()
    EventWriter(str(tmp_path / "e.jsonl"), stdout=out, enabled=False).predict(done=0, total=1)
    assert out.getvalue() == "" and not (tmp_path / "e.jsonl").exists()


def test_rank_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RANK", "1")
    assert EventWriter(str(tmp_path / "e.jsonl"), stdout=io.StringIO()).enabled is False
    monkeypatch.setenv("RANK", "0")
    assert EventWriter(str(tmp_path / "e.jsonl"), stdout=io.StringIO()).enabled is True


def test_a_deleted_run_folder_does_not_stop_stdout(tmp_path):
    out = io.StringIO()
    writer = EventWriter(str(tmp_path / "run" / "e.jsonl"), stdout=out, enabled=True)
    writer._file.close()  # what a deleted folder or a full disk looks like to the writer: writes fail
    writer.predict(done=1, total=2)
    assert json.loads(out.getvalue())["type"] == "predict"
