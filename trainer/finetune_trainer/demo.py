"""A demo base model that trains on a CPU in a couple of minutes: a tiny random-initialised Qwen3 (or Qwen2) with a
real tokenizer and its chat template copied in. Its answers are noise; the point is to go through the whole loop
(train, curve, evaluate, export) without a GPU or a download. The tests build their models with it too."""

from __future__ import annotations

import os

from .encode import copy_tokenizer_files

SHAPE = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
             max_position_embeddings=1024, tie_word_embeddings=False)
# A random head of the usual scale caps the logits near ±1 (a loss floor of ln(vocab) − 1 whatever is trained);
# a larger head lets the adapters, which cannot touch it, still move the loss.
HEAD_SCALE = 20.0


def make_demo_model(folder: str, tokenizer_dir: str, kind: str = "qwen3") -> dict:
    """Writes the model into `folder` (created if missing); returns {"folder", "parameters", "kind"}."""
    import torch
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM

    if not os.path.isfile(os.path.join(tokenizer_dir, "tokenizer.json")):
        raise FileNotFoundError(f"{tokenizer_dir} has no tokenizer.json: point --tokenizer at a model or tokenizer folder")
    copy_tokenizer_files(tokenizer_dir, folder)
    vocab = len(AutoTokenizer.from_pretrained(folder))
    torch.manual_seed(0)
    if kind == "qwen3":
        model = Qwen3ForCausalLM(Qwen3Config(vocab_size=vocab, head_dim=16, **SHAPE))
    else:
        model = Qwen2ForCausalLM(Qwen2Config(vocab_size=vocab, **SHAPE))
    with torch.no_grad():
        model.lm_head.weight.mul_(HEAD_SCALE)
    model.save_pretrained(folder)
    return {"folder": os.path.abspath(folder), "parameters": sum(p.numel() for p in model.parameters()), "kind": kind}
