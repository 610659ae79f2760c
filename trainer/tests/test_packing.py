from finetune_trainer.encode import IGNORE, Encoded
from finetune_trainer.packing import LengthGroupedSampler, pack


def enc(n: int, tag: int) -> Encoded:
    return Encoded([tag] * n, [IGNORE] + [tag] * (n - 1))


def test_pack_fits_rows_and_restarts_positions():
    examples = [enc(n, i) for i, n in enumerate([6, 5, 4, 3, 2, 1, 7])]
    rows = pack(examples, max_length=8)
    assert all(len(r) <= 8 for r in rows)
    assert sum(r.samples for r in rows) == 7 and sum(len(r) for r in rows) == 28
    assert len(rows) == 4, "28 tokens in rows of 8: best fit needs 4"
    for r in rows:
        starts = [i for i, p in enumerate(r.position_ids) if p == 0]
        assert len(starts) == r.samples
        for s in starts:
            assert r.labels[s] == IGNORE, "no sample predicts its first token from the previous one"
    tokens = sorted(t for r in rows for t in r.input_ids)
    assert tokens == sorted(t for e in examples for t in e.input_ids)


def test_length_grouped_batches_are_similar_and_reproducible():
    lengths = [(i * 37) % 100 + 1 for i in range(400)]
    sampler = LengthGroupedSampler(lengths, group_size=4, seed=3, mega=10)
    order = list(sampler)
    assert sorted(order) == list(range(400)) and len(sampler) == 400
    assert lengths[order[0]] == max(lengths), "the longest batch comes first"
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in zip(*[iter(order)] * 4)) / 100
    assert spread < 10, f"batches mix lengths (mean spread {spread})"
    assert list(LengthGroupedSampler(lengths, 4, 3, 10)) == order
    sampler.set_epoch(1)
    assert list(sampler) != order, "each epoch reshuffles"
