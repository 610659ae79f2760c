"""A causal LM exported to ONNX with its key/value cache, in the layout optimum and transformers.js write and the
extension's local engine reads (src/inference/onnx): inputs input_ids, attention_mask, position_ids,
past_key_values.N.key/value; outputs logits, present.N.key/value. One implementation for the trainer's `export
--format onnx` and the tests (test/unit/inference/export_tiny_qwen3.py)."""

from __future__ import annotations

import os
from typing import Any, List

# Above this size the weights go into model.onnx_data next to the graph (protobuf's limit is 2 GiB).
EXTERNAL_DATA_BYTES = 1 << 30


def _cache_shape(config: Any) -> tuple:
    heads = config.num_key_value_heads or config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    return config.num_hidden_layers, heads, head_dim


def cache_names(layers: int) -> tuple:
    past = [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    present = [f"present.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    return past, present


def export_onnx(model: Any, path: str) -> str:
    """Writes `model` (a transformers causal LM, eval mode, on the CPU, in the dtype to export) to `path`; returns it."""
    import torch
    from transformers import DynamicCache

    layers, kv_heads, head_dim = _cache_shape(model.config)
    dtype = next(model.parameters()).dtype

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
            present: List[Any] = []
            for layer in out.past_key_values.layers:
                present += [layer.keys, layer.values]
            return (out.logits, *present)

    # Traced with a non-empty past so that both the prefill and the decode paths stay dynamic.
    past_len, seq = 3, 2
    args = (
        torch.ones((1, seq), dtype=torch.int64),
        torch.ones((1, past_len + seq), dtype=torch.int64),
        torch.arange(past_len, past_len + seq, dtype=torch.int64).unsqueeze(0),
        *[torch.zeros((1, kv_heads, past_len, head_dim), dtype=dtype) for _ in range(2 * layers)],
    )
    past_names, present_names = cache_names(layers)
    dynamic = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total"},
               "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for name in past_names:
        dynamic[name] = {0: "batch", 2: "past"}
    for name in present_names:
        dynamic[name] = {0: "batch", 2: "total"}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(WithCache(model), args, path, dynamo=False, opset_version=17,
                          input_names=["input_ids", "attention_mask", "position_ids", *past_names],
                          output_names=["logits", *present_names], dynamic_axes=dynamic)
    _externalise_if_large(path)
    return path


def _externalise_if_large(path: str) -> None:
    if os.path.getsize(path) < EXTERNAL_DATA_BYTES:
        return
    import onnx

    model = onnx.load(path)
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=os.path.basename(path) + "_data", size_threshold=1024)
