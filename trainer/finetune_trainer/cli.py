"""The thin entry point: parse arguments, load the config, run one command, turn failures into error events."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, List, Optional

from . import check as check_module
from .cancel import CancelFlag
from .config import ConfigError, TrainConfig
from .errors import Cancelled, MissingPackages, classify, traceback_tail
from .events import EventWriter

EXIT_CANCELLED = 143  # what a shell reports for SIGTERM
EXIT_STOPPED = 124  # stopped on the scheduler's warning (SIGUSR1), as timeout(1) reports a time limit: requeue me


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m finetune_trainer", description="Fine-tune Studio's trainer: events go to the config's events_file and stdout.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in (("train", "train with the job's config"), ("predict", "write generated_predictions.jsonl for the eval set"),
                       ("export", "merge LoRA into the base model and save safetensors with the tokenizer")):
        sub.add_parser(name, help=text).add_argument("--config", required=True, help="the job's config JSON (see config.py)")
    sub.add_parser("check", help="print one JSON line: Python, packages, GPUs")
    demo = sub.add_parser("demo-model", help="write a tiny random model with a real tokenizer (trains on a CPU in minutes)")
    demo.add_argument("--tokenizer", required=True, help="a folder with tokenizer.json (and its chat template)")
    demo.add_argument("--out", required=True, help="the model folder to write")
    demo.add_argument("--kind", choices=["qwen3", "qwen2"], default="qwen3")
    serve = sub.add_parser("serve", help="an OpenAI-compatible chat server on 127.0.0.1 (token from --token-file or $FINETUNE_SERVE_TOKEN)")
    serve.add_argument("--model", required=True, help="the base model folder (or hub id), or a merged model folder")
    serve.add_argument("--adapter", help="a PEFT adapter folder (LoRA or a prompt method) to serve on top of --model")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on: 127.0.0.1 (the default); a Slurm deployment "
                       "gives its compute node's name, for the login node to reach it (the token still guards it)")
    serve.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (0: any free one; the URL is printed)")
    serve.add_argument("--token-file", help="a file whose first line is the bearer token (never pass the token itself)")
    serve.add_argument("--served-model-name", help="the model name clients send (default: the folder's name)")
    serve.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    return p


def demo_model(args: argparse.Namespace) -> int:
    """One JSON line on stdout: {"folder", "parameters", "kind"}, or {"error", "fix"} (exit 1)."""
    try:
        require_packages()
        from .demo import make_demo_model
        print(json.dumps(make_demo_model(args.out, args.tokenizer, args.kind)))
        return 0
    except Exception as e:
        info = classify(e)
        print(json.dumps({"error": info.message, "fix": info.fix, "kind": info.kind}, ensure_ascii=False))
        return 1


def require_packages() -> None:
    missing = [p for p in check_module.PACKAGES if check_module.package_version(p) is None]
    if missing:
        raise MissingPackages(missing)


def command_function(name: str) -> Callable:
    require_packages()
    # Imported here: each pulls in torch and transformers lazily.
    if name == "train":
        from .trainer import train
        return train
    if name == "predict":
        from .predict import predict
        return predict
    from .export import export
    return export


def report(writer: EventWriter, error: BaseException) -> None:
    info = classify(error)
    writer.error(kind=info.kind, message=info.message, fix=info.fix, file=info.file, line=info.line,
                 traceback=None if info.kind in ("config", "dataset", "missing_package") else traceback_tail(error))


def _events_file_of(path: str) -> Optional[str]:
    """The events file of a config that failed to load, when it can still be read."""
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.load(fh).get("events_file")
        return value if isinstance(value, str) and value else None
    except Exception:
        return None


def run(command: str, config_path: str) -> int:
    try:
        config = TrainConfig.from_json_file(config_path)
    except ConfigError as e:
        report(EventWriter(_events_file_of(config_path)), e)
        return 1
    writer = EventWriter(config.events_file)
    cancel = CancelFlag().install()
    try:
        status = command_function(command)(config, writer, cancel)
        return {"cancelled": EXIT_CANCELLED, "stopped": EXIT_STOPPED}.get(status, 0)
    except Cancelled:
        writer.done(status="cancelled", artifacts={"output_dir": config.output_dir}, stop_reason=cancel.reason)
        return EXIT_STOPPED if cancel.reason == "time_limit" else EXIT_CANCELLED
    except Exception as e:
        report(writer, e)
        return 1
    finally:
        writer.close()


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        return check_module.main()
    if args.command == "demo-model":
        return demo_model(args)
    if args.command == "serve":
        require_packages()
        from .serve import main as serve_main
        return serve_main(args)
    return run(args.command, args.config)
