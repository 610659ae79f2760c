"""`serve`: the request checks (pure), then the real server (`python -m finetune_trainer serve`) over a tiny random
Qwen3 with a LoRA adapter and with a prompt-tuning adapter, read back over real HTTP on 127.0.0.1."""

import concurrent.futures
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from conftest import TRAINER, needs_ml

from finetune_trainer.serve_protocol import BadRequest, cut_at_stop, held_back, parse_chat_request

TOKEN = "t0ken-for-the-tests-0123456789"
HI = [{"role": "user", "content": "你好, who are you?"}]


def parse(body, model="m", limit=64):
    return parse_chat_request(json.dumps(body).encode(), model, limit)


def test_a_good_request_is_parsed_with_its_sampling_fields():
    req = parse({"model": "m", "messages": HI, "max_tokens": 8, "temperature": 0.5, "top_p": 0.9, "seed": 7, "stop": ["\n"], "stream": True})
    assert (req.max_tokens, req.temperature, req.top_p, req.seed, req.stop, req.stream) == (8, 0.5, 0.9, 7, ["\n"], True)


@pytest.mark.parametrize("body,names", [
    ({"messages": []}, "messages"),
    ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role"),
    ({"messages": [{"role": "user", "content": 3}]}, "messages[0].content"),
    ({"messages": HI, "max_tokens": 0}, "max_tokens"),
    ({"messages": HI, "max_tokens": 65}, "max_tokens"),
    ({"messages": HI, "max_tokens": True}, "max_tokens"),
    ({"messages": HI, "temperature": "hot"}, "temperature"),
    ({"messages": HI, "top_p": 0}, "top_p"),
    ({"messages": HI, "stop": [1]}, "stop"),
    ({"messages": HI, "stop": ["a", "b", "c", "d", "e"]}, "stop"),
    ({"messages": HI, "stream": "yes"}, "stream"),
])
def test_bad_fields_are_named_in_the_error(body, names):
    with pytest.raises(BadRequest) as e:
        parse(body)
    assert names in str(e.value) and e.value.status == 400


def test_bad_json_and_another_model_are_refused():
    with pytest.raises(BadRequest, match="not valid JSON"):
        parse_chat_request(b"{nope", "m", 64)
    with pytest.raises(BadRequest, match="not served here") as e:
        parse({"model": "other", "messages": HI})
    assert e.value.status == 404


def test_stop_strings_are_cut_and_their_beginnings_held_back():
    assert cut_at_stop("abc<|end|>def", ["<|end|>"]) == 3
    assert cut_at_stop("abc", ["x"]) is None
    assert held_back("hello <|e", ["<|end|>"]) == 3
    assert held_back("hello", ["<|end|>"]) == 0


# ---- the real server over HTTP -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """A tiny base, a LoRA adapter with non-zero weights, and a prompt-tuning adapter."""
    import torch
    from peft import LoraConfig, PromptTuningConfig, get_peft_model
    from tiny_models import build
    from transformers import AutoModelForCausalLM

    root = tmp_path_factory.mktemp("serve")
    base = build("qwen3", str(root / "base"))
    torch.manual_seed(1)
    lora = get_peft_model(AutoModelForCausalLM.from_pretrained(base), LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    lora.save_pretrained(str(root / "lora"))
    prompt = get_peft_model(AutoModelForCausalLM.from_pretrained(base), PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=4))
    prompt.save_pretrained(str(root / "prompt"))
    token_file = root / "token"
    token_file.write_text(TOKEN + "\n")
    return {"base": base, "lora": str(root / "lora"), "prompt": str(root / "prompt"), "token_file": str(token_file)}


class Server:
    def __init__(self, *args, env=None):
        self.proc = subprocess.Popen([sys.executable, "-m", "finetune_trainer", "serve", "--device", "cpu", *args], cwd=TRAINER,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": TRAINER, **(env or {})})
        line = self.proc.stdout.readline()
        self.info = json.loads(line) if line.startswith("{") else {"error": line + self.proc.stderr.read()}

    def request(self, path, body=None, token=TOKEN, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.info["url"].removesuffix("/v1") + path, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def lora_server(models):
    server = Server("--model", models["base"], "--adapter", models["lora"], "--token-file", models["token_file"], "--served-model-name", "tiny-lora")
    yield server
    server.close()


def stream_text(body):
    events = [line[6:] for line in body.split("\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    return "".join(c["choices"][0]["delta"].get("content", "") for c in chunks), chunks[-1]["choices"][0]["finish_reason"]


@needs_ml
def test_it_serves_on_loopback_and_answers_greedy_like_transformers(models, lora_server):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    assert "error" not in lora_server.info, lora_server.info
    assert lora_server.info["url"].startswith("http://127.0.0.1:") and lora_server.info["model"] == "tiny-lora"
    status, body = lora_server.request("/v1/chat/completions", {"model": "tiny-lora", "messages": HI, "max_tokens": 12, "temperature": 0})
    assert status == 200, body
    reply = json.loads(body)
    text = reply["choices"][0]["message"]["content"]
    assert reply["usage"]["completion_tokens"] == 12 and reply["choices"][0]["finish_reason"] == "length"

    tok = AutoTokenizer.from_pretrained(models["base"])
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(models["base"]), models["lora"]).eval()
    ids = tok(tok.apply_chat_template(HI, tokenize=False, add_generation_prompt=True), return_tensors="pt", add_special_tokens=False)
    with torch.no_grad():
        out = model.generate(**ids, max_new_tokens=12, do_sample=False, temperature=None, top_p=None, top_k=None)
    assert text == tok.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True)

    status, body = lora_server.request("/v1/chat/completions", {"messages": HI, "max_tokens": 12, "temperature": 0, "stream": True})
    assert status == 200
    assert stream_text(body) == (text, "length")


@needs_ml
def test_auth_bad_input_and_paths(lora_server):
    assert lora_server.request("/health", token=None)[0] == 200
    assert lora_server.request("/v1/models", token=None)[0] == 401
    assert lora_server.request("/v1/models", token="wrong-token-wrong-token")[0] == 401
    status, body = lora_server.request("/v1/models")
    assert status == 200 and json.loads(body)["data"][0]["id"] == "tiny-lora"
    status, body = lora_server.request("/v1/chat/completions", raw=b"{not json")
    assert status == 400 and "not valid JSON" in json.loads(body)["error"]["message"]
    status, body = lora_server.request("/v1/chat/completions", {"messages": HI, "max_tokens": -1})
    assert status == 400 and "max_tokens" in json.loads(body)["error"]["message"]
    assert lora_server.request("/v1/nothing", {"messages": HI})[0] == 404


@needs_ml
def test_stop_seed_and_concurrent_requests(lora_server):
    base = {"messages": HI, "max_tokens": 16, "temperature": 0}
    _, body = lora_server.request("/v1/chat/completions", base)
    full = json.loads(body)["choices"][0]["message"]["content"]
    stop = full[3:5] if len(full) > 5 else None
    if stop:
        _, body = lora_server.request("/v1/chat/completions", {**base, "stop": stop})
        cut = json.loads(body)["choices"][0]
        assert cut["message"]["content"] == full[: full.find(stop)] and cut["finish_reason"] == "stop"
        assert 0 < json.loads(body)["usage"]["completion_tokens"] < 16
    sampled = {"messages": HI, "max_tokens": 10, "temperature": 1.0, "top_p": 0.95, "seed": 42}
    a = json.loads(lora_server.request("/v1/chat/completions", sampled)[1])["choices"][0]["message"]["content"]
    b = json.loads(lora_server.request("/v1/chat/completions", sampled)[1])["choices"][0]["message"]["content"]
    assert a == b
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda s: lora_server.request("/v1/chat/completions", {**base, "stream": s}), [True, False, True, False]))
    assert [r[0] for r in results] == [200] * 4
    assert stream_text(results[0][1])[0] == json.loads(results[1][1])["choices"][0]["message"]["content"] == full


@needs_ml
def test_a_prompt_tuning_adapter_is_served_and_the_token_can_come_from_the_environment(models):
    server = Server("--model", models["base"], "--adapter", models["prompt"], env={"FINETUNE_SERVE_TOKEN": TOKEN})
    try:
        assert server.info.get("model") == "prompt", server.info
        status, body = server.request("/v1/chat/completions", {"messages": HI, "max_tokens": 5})
        assert status == 200 and json.loads(body)["usage"]["completion_tokens"] >= 1
    finally:
        server.close()


@needs_ml
def test_no_token_no_server(models):
    env = {k: v for k, v in os.environ.items() if k != "FINETUNE_SERVE_TOKEN"}
    proc = subprocess.run([sys.executable, "-m", "finetune_trainer", "serve", "--model", models["base"]], cwd=TRAINER, capture_output=True,
                          text=True, timeout=120, env={**env, "PYTHONPATH": TRAINER})
    assert proc.returncode == 1 and "bearer token" in json.loads(proc.stdout.splitlines()[0])["error"]
