"""Cutting padding: packing samples into rows of max_length, or batching samples of similar length.

Packed rows carry `position_ids` that restart at 0 for each sample and no attention mask: transformers v5
(masking_utils.find_packed_sequence_indices) then keeps attention within each sample under SDPA.
Pure Python, so both are tested without torch.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from typing import Iterator, List, Sequence

from .encode import Encoded


@dataclass
class PackedRow:
    input_ids: List[int]
    labels: List[int]
    position_ids: List[int]
    samples: int

    def __len__(self) -> int:
        return len(self.input_ids)


def pack(examples: Sequence[Encoded], max_length: int) -> List[PackedRow]:
    """Best-fit decreasing: longest first, each into the fullest row it still fits in."""
    order = sorted(range(len(examples)), key=lambda i: -len(examples[i]))
    rows: List[List[int]] = []
    free: List[tuple] = []  # sorted (space left, row index)
    for i in order:
        size = len(examples[i])
        at = bisect.bisect_left(free, (size, -1))
        if at < len(free):
            space, row = free.pop(at)
        else:
            space, row = max_length, len(rows)
            rows.append([])
        rows[row].append(i)
        if space - size > 0:
            bisect.insort(free, (space - size, row))
    return [_row([examples[i] for i in members]) for members in rows]


def _row(members: List[Encoded]) -> PackedRow:
    row = PackedRow([], [], [], len(members))
    for e in members:
        row.input_ids += e.input_ids
        row.labels += e.labels
        row.position_ids += list(range(len(e)))
    return row


class LengthGroupedSampler:
    """Shuffles with the seed each epoch, then sorts within mega-batches by length, so each batch holds samples of
    similar length (less padding) while the order stays random at the scale of mega-batches. The batch holding
    the longest sample goes first, so an out-of-memory shows at step 1, not hours in."""

    def __init__(self, lengths: Sequence[int], group_size: int, seed: int, mega: int = 50):
        self.lengths = list(lengths)
        self.group_size = max(1, group_size)
        self.seed = seed
        self.mega = mega
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self) -> Iterator[int]:
        order = list(range(len(self.lengths)))
        random.Random(self.seed + self.epoch).shuffle(order)
        size = self.group_size * self.mega
        megas = [sorted(order[i:i + size], key=lambda j: -self.lengths[j]) for i in range(0, len(order), size)]
        if megas:
            longest = max(range(len(megas)), key=lambda m: self.lengths[megas[m][0]])
            megas[0], megas[longest] = megas[longest], megas[0]  # sorted descending: its first batch is the longest
        return iter([i for m in megas for i in m])
