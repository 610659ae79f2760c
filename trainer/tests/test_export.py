"""`export` in its three formats on a tiny random Qwen3 with a random LoRA adapter (no training needed): ONNX
exported and checked against torch, a corrupted ONNX export refused, the Ollama Modelfile, prompt methods refused."""

import json
import os

import pytest
from conftest import needs_ml
from test_models import job, of, run
from tiny_models import build

pytestmark = needs_ml

needs_onnx = pytest.mark.skipif(
    any(__import__("importlib").util.find_spec(m) is None for m in ("onnx", "onnxscript", "onnxruntime")),
    reason="onnx, onnxscript or onnxruntime is not installed: the ONNX export tests did not run",
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A base folder and, in <root>/job/out, a LoRA adapter with non-zero weights (so that merging changes the model)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    root = tmp_path_factory.mktemp("export")
    base = build("qwen3", str(root / "base"))
    torch.manual_seed(1)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                           LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    model.save_pretrained(str(root / "job" / "out"))
    return {"base": base, "job": root / "job"}


def export_job(trained, **changes) -> str:
    return job(trained["job"], trained["base"], **changes)


@needs_onnx
def test_onnx_export_is_checked_against_torch_and_lands_in_the_engines_layout(trained):
    eval_file = str(trained["job"] / "train.jsonl")  # written by job(): its first two conversations join the prompts
    code, events = run("export", export_job(trained, export_format="onnx", eval_file=eval_file))
    assert code == 0, events[-1:]
    done = events[-1]
    out = trained["job"] / "out" / "onnx"
    assert done["type"] == "done" and done["artifacts"]["model"] == str(out)
    for name in ("onnx/model.onnx", "config.json", "generation_config.json", "tokenizer.json", "export_check.json"):
        assert (out / name).exists(), name
    figures = json.loads((out / "export_check.json").read_text())
    assert figures["passed"] is True and figures["tokens_equal"] == figures["prompts"] == 3 + 2
    assert 0 <= figures["max_abs_logits_diff"] <= figures["tolerance"] == 1e-2
    assert done["metrics"]["max_abs_logits_diff"] == figures["max_abs_logits_diff"]
    print(f"fp32 ONNX check: {figures}")


@needs_onnx
def test_a_corrupted_onnx_export_is_refused_with_the_figures(trained, monkeypatch, tmp_path):
    import onnx
    from onnx import numpy_helper

    from finetune_trainer import onnx_export
    from finetune_trainer.cancel import CancelFlag
    from finetune_trainer.config import TrainConfig
    from finetune_trainer.errors import ExportCheckFailed, classify
    from finetune_trainer.events import EventWriter
    from finetune_trainer.export import export

    real = onnx_export.export_onnx

    def corrupting(model, path):
        real(model, path)
        graph = onnx.load(path)
        weight = max(graph.graph.initializer, key=lambda t: len(t.raw_data))  # the embeddings or the head
        values = numpy_helper.to_array(weight).copy()
        values.flat[: values.size // 50] += 0.5
        weight.CopyFrom(numpy_helper.from_array(values, weight.name))
        onnx.save(graph, path)
        return path

    monkeypatch.setattr(onnx_export, "export_onnx", corrupting)
    config = TrainConfig.from_json_file(export_job(trained, export_format="onnx", output_dir=str(tmp_path / "out")))
    import shutil
    shutil.copytree(trained["job"] / "out", tmp_path / "out", ignore=shutil.ignore_patterns("onnx*", "ollama", "merged"))
    writer = EventWriter(None, stdout=open(os.devnull, "w"))
    with pytest.raises(ExportCheckFailed) as failure:
        export(config, writer, CancelFlag())
    message = classify(failure.value).message
    assert "does not match the trained model" in message and "max |logits diff|" in message
    figures = json.loads((tmp_path / "out" / "onnx" / "export_check.json").read_text())
    assert figures["passed"] is False and figures["max_abs_logits_diff"] > figures["tolerance"]
    assert not (tmp_path / "out" / "onnx" / "onnx").exists(), "a refused export leaves nothing loadable"


def test_ollama_modelfile_points_at_the_base_and_adapter_with_chatml_and_stops(trained):
    code, events = run("export", export_job(trained, export_format="ollama"))
    assert code == 0, events[-1:]
    artifacts = events[-1]["artifacts"]
    out = trained["job"] / "out" / "ollama"
    text = (out / "Modelfile").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"FROM {trained['base']}"
    assert lines[1] == f"ADAPTER {trained['job'] / 'out'}"
    assert 'TEMPLATE """{{- if .Messages }}' in text and "<|im_start|>{{ .Role }}" in text
    assert [line for line in lines if line.startswith("PARAMETER")] == ['PARAMETER stop "<|im_end|>"']  # the tokenizer's EOS
    assert artifacts["template"] == "chatml" and artifacts["command"].startswith("ollama create job -f ")
    assert "ollama create job -f" in (out / "README.md").read_text(encoding="utf-8")


def test_ollama_template_is_left_out_for_an_unknown_family(tmp_path):
    from finetune_trainer.ollama import modelfile_text

    text = modelfile_text("/models/base dir", None, None, ["</s>"])
    assert text == 'FROM "/models/base dir"\nPARAMETER stop "</s>"\n'


@pytest.mark.parametrize("method,fmt,what", [("p_tuning", "onnx", "exported to ONNX"), ("prefix_tuning", "ollama", "served by Ollama"),
                                             ("p_tuning", "merged", "merged into the weights")])
def test_prompt_methods_are_refused_up_front(trained, method, fmt, what):
    code, events = run("export", export_job(trained, method=method, export_format=fmt))
    assert code == 1
    (error,) = of(events, "error")
    assert error["kind"] == "config" and f"cannot be {what}" in error["message"] and "Serve the adapter with the trainer" in error["message"]


@needs_onnx
def test_fp16_onnx_export_passes_its_looser_check(trained):
    code, events = run("export", export_job(trained, export_format="onnx", export_dtype="fp16"))
    assert code == 0, events[-1:]
    out = trained["job"] / "out" / "onnx-fp16"
    figures = json.loads((out / "export_check.json").read_text())
    assert figures["passed"] is True and figures["dtype"] == "fp16" and figures["tolerance"] == 0.25
    import onnx
    graph = onnx.load(str(out / "onnx" / "model.onnx"))
    assert graph.graph.input[3].type.tensor_type.elem_type == onnx.TensorProto.FLOAT16, "the cache is fp16"
    print(f"fp16 ONNX check: {figures}")


def test_eval_prompts_are_cut_before_the_last_answer(tmp_path):
    from finetune_trainer.onnx_check import eval_conversations

    path = tmp_path / "eval.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q1"},
                                             {"role": "assistant", "content": "A1"}, {"role": "user", "content": "Q2"},
                                             {"role": "assistant", "content": "A2"}]}) + "\n"
                    + json.dumps({"prompt": "P", "completion": "C"}) + "\n" + json.dumps({"prompt": "P2", "completion": "C2"}) + "\n")
    convs = eval_conversations(str(path))
    assert [[m["content"] for m in c] for c in convs] == [["S", "Q1", "A1", "Q2"], ["P"]]
    assert eval_conversations(str(tmp_path / "missing.jsonl")) == [] and eval_conversations(None) == []


def test_stop_tokens_come_from_generation_config_and_the_tokenizer(tmp_path):
    from finetune_trainer.ollama import stop_tokens

    class Tok:
        eos_token = "<|endoftext|>"

        def convert_ids_to_tokens(self, ids):
            return [{1: "<|im_end|>", 2: "<|endoftext|>"}[i] for i in ids]

    (tmp_path / "generation_config.json").write_text(json.dumps({"eos_token_id": [1, 2]}))
    assert stop_tokens([str(tmp_path), str(tmp_path / "missing")], Tok()) == ["<|im_end|>", "<|endoftext|>"]


@needs_onnx
def test_a_tiny_qwen2_exports_and_passes_the_check_too(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from finetune_trainer.onnx_check import FIXED_PROMPTS, check_onnx, prompt_ids
    from finetune_trainer.onnx_export import export_onnx

    folder = build("qwen2", str(tmp_path / "qwen2"))
    model = AutoModelForCausalLM.from_pretrained(folder, attn_implementation="eager").eval()
    path = export_onnx(model, str(tmp_path / "qwen2" / "onnx" / "model.onnx"))
    figures = check_onnx(model, path, prompt_ids(AutoTokenizer.from_pretrained(folder), FIXED_PROMPTS[:2]), "fp32", steps=4)
    assert figures.passed and figures.tokens_equal == 2, figures.summary()
