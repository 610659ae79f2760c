"""Exports a tiny random Qwen3 (trainer/tests/tiny_models.py) to ONNX with a key/value cache, in the layout optimum
writes (model.onnx with input_ids, attention_mask, position_ids, past_key_values.N.key/value → logits,
present.N.key/value), and prints transformers' greedy generate() for a prompt as JSON, for realQwen3.test.ts to
compare with local generation. Needs the trainer venv with onnx and onnxscript:

    <venv>/bin/python -m pip install onnx onnxscript
    <venv>/bin/python test/unit/inference/export_tiny_qwen3.py <folder> <prompt JSON> <new tokens>
"""

import json
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "trainer", "tests"))
sys.path.insert(0, os.path.join(REPO, "trainer"))


def main() -> int:
    folder, messages, new_tokens = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, DynamicCache

    from tiny_models import build

    build("qwen3", folder)
    model = AutoModelForCausalLM.from_pretrained(folder, attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    layers = model.config.num_hidden_layers
    kv_heads = model.config.num_key_value_heads
    head_dim = model.config.head_dim

    class WithCache(torch.nn.Module):
        """The decoder with its cache as flat tensors in and out, as optimum's export has it."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, position_ids, *past):
            cache = DynamicCache()
            for i in range(layers):
                cache.update(past[2 * i], past[2 * i + 1], i)
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                             past_key_values=cache, use_cache=True)
            present = []
            for layer in out.past_key_values.layers:
                present += [layer.keys, layer.values]
            return (out.logits, *present)

    past_len, seq = 3, 2
    args = (
        torch.ones((1, seq), dtype=torch.int64),
        torch.ones((1, past_len + seq), dtype=torch.int64),
        torch.arange(past_len, past_len + seq, dtype=torch.int64).unsqueeze(0),
        *[torch.zeros((1, kv_heads, past_len, head_dim)) for _ in range(2 * layers)],
    )
    past_names = [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    present_names = [f"present.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    dynamic = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total"},
               "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for name in past_names:
        dynamic[name] = {0: "batch", 2: "past"}
    for name in present_names:
        dynamic[name] = {0: "batch", 2: "total"}
    torch.onnx.export(WithCache(model), args, os.path.join(folder, "model.onnx"), dynamo=False, opset_version=17,
                      input_names=["input_ids", "attention_mask", "position_ids", *past_names],
                      output_names=["logits", *present_names], dynamic_axes=dynamic)

    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_tensors="pt")
    if not isinstance(ids, torch.Tensor):
        ids = ids["input_ids"]
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens, do_sample=False,
                             eos_token_id=None, pad_token_id=0)
    print(json.dumps({"prompt": ids[0].tolist(), "tokens": out[0, ids.shape[1]:].tolist()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
