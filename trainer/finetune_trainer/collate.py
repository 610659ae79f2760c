"""Batches: right padding to the longest row (a multiple of 8 on GPU), labels padded with -100.

Packed rows (with position_ids) get no attention mask, so transformers keeps attention within each packed
sample; their padding gets position ids from 0, which makes it one more sequence that nothing attends to.
Each batch also carries `num_tokens` (tokens that are not padding), which the trainer pops for tokens/s.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .encode import IGNORE


class Collator:
    def __init__(self, pad_token_id: int, multiple_of: Optional[int] = None):
        self.pad = pad_token_id
        self.multiple_of = multiple_of

    def __call__(self, features: List[Dict[str, List[int]]]) -> Dict[str, Any]:
        import torch

        longest = max(len(f["input_ids"]) for f in features)
        if self.multiple_of:
            longest = -(-longest // self.multiple_of) * self.multiple_of
        packed = "position_ids" in features[0]
        batch: Dict[str, List[List[int]]] = {"input_ids": [], "labels": [], "position_ids" if packed else "attention_mask": []}
        for f in features:
            n, gap = len(f["input_ids"]), longest - len(f["input_ids"])
            batch["input_ids"].append(f["input_ids"] + [self.pad] * gap)
            batch["labels"].append(f["labels"] + [IGNORE] * gap)
            if packed:
                batch["position_ids"].append(f["position_ids"] + list(range(gap)))
            else:
                batch["attention_mask"].append([1] * n + [0] * gap)
        out: Dict[str, Any] = {k: torch.tensor(v, dtype=torch.long) for k, v in batch.items()}
        out["num_tokens"] = torch.tensor(sum(len(f["input_ids"]) for f in features))
        return out
