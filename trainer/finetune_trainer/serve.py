"""`serve`: an OpenAI-compatible chat server over transformers, for backends without vLLM and for what vLLM cannot
serve (prompt-tuning adapters). The standard library's ThreadingHTTPServer (no extra packages on the remote side),
bound to 127.0.0.1 (the editor reaches it through an SSH tunnel; only a Slurm deployment binds its compute node's
name, for the login node to reach), behind a bearer token read from a file or an environment variable (never argv,
which /proc shows to every user). One generation at a time, in arrival order.

    POST /v1/chat/completions (stream or not) · GET /v1/models · GET /health
"""

from __future__ import annotations

import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Optional, Tuple

from .encode import template_sha256
from .serve_protocol import (MAX_BODY, BadRequest, ChatRequest, chunk_body, completion_body, cut_at_stop, error_body,
                             held_back, models_body, new_id, parse_chat_request)

TOKEN_ENV = "FINETUNE_SERVE_TOKEN"


class FairLock:
    """A ticket lock: waiters get it in the order they asked (threading.Lock promises no order)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0

    def __enter__(self) -> "FairLock":
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                self._cond.wait()
        return self

    def __exit__(self, *exc: Any) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


def read_token(token_file: Optional[str]) -> str:
    """The bearer token: the file's first line, else $FINETUNE_SERVE_TOKEN; refusing to serve without one."""
    token = ""
    if token_file:
        with open(token_file, encoding="utf-8") as fh:
            token = fh.readline().strip()
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
    if len(token) < 16:
        raise ValueError(f"serve needs a bearer token of at least 16 characters in --token-file or ${TOKEN_ENV}")
    return token


class Generator:
    """The model and tokenizer; `stream` yields text pieces and ends with (finish_reason, prompt, completion tokens)."""

    def __init__(self, model_path: str, adapter: Optional[str], device: str):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from .model import check_model_path

        check_model_path(model_path)
        self.device = device if device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
        dtype = torch.float32 if self.device == "cpu" else (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
        tokenizer_from = adapter if adapter and os.path.exists(os.path.join(adapter, "tokenizer_config.json")) else model_path
        self.tokenizer = AutoTokenizer.from_pretrained(tokenizer_from)
        if not getattr(self.tokenizer, "chat_template", None):
            raise ValueError(f"the tokenizer of {tokenizer_from} has no chat template, so chat requests cannot be rendered")
        model = AutoModelForCausalLM.from_pretrained(model_path, dtype=dtype)
        if adapter:
            from peft import PeftModel  # LoRA and the prompt methods alike

            model = PeftModel.from_pretrained(model, adapter)
        self.model = model.to(self.device).eval()
        limit = getattr(self.model.config, "max_position_embeddings", None)
        self.max_new_tokens = int(min(limit or 4096, 4096))
        self.template_sha256 = template_sha256(self.tokenizer)

    def stream(self, req: ChatRequest, stop_now: Optional[threading.Event] = None) -> Iterator[Any]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        text = self.tokenizer.apply_chat_template(req.messages, tokenize=False, add_generation_prompt=True)
        inputs = self.tokenizer(text, return_tensors="pt", add_special_tokens=False).to(self.device)
        prompt_tokens = int(inputs["input_ids"].shape[1])
        stop_now = stop_now or threading.Event()

        class Stop(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                return torch.full((input_ids.shape[0],), stop_now.is_set(), dtype=torch.bool, device=input_ids.device)

        gen = self.model.generation_config
        temperature = req.temperature if req.temperature is not None else (gen.temperature if gen.do_sample else 0.0)
        sample = bool(temperature and temperature > 0)
        options = {"max_new_tokens": req.max_tokens, "do_sample": sample, "pad_token_id": self.tokenizer.pad_token_id or self.tokenizer.eos_token_id}
        if sample:
            options.update(temperature=temperature, top_p=req.top_p if req.top_p is not None else (gen.top_p or 1.0))
        else:
            options.update(temperature=None, top_p=None, top_k=None)
        if req.seed is not None:
            torch.manual_seed(req.seed)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        result: dict = {}

        def run() -> None:
            try:
                with torch.no_grad():
                    out = self.model.generate(**inputs, **options, streamer=streamer, stopping_criteria=StoppingCriteriaList([Stop()]))
                result["tokens"] = int(out.shape[1]) - prompt_tokens
            except BaseException as e:  # reported to the request below
                result["error"] = e
                streamer.end()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        try:
            yield from streamer
        finally:
            stop_now.set()  # a client gone mid-stream ends the generation too
            worker.join()
        if "error" in result:
            raise result["error"]
        tokens = result.get("tokens", 0)
        yield ("length" if tokens >= req.max_tokens else "stop", prompt_tokens, tokens)


def answer(gen: Generator, req: ChatRequest) -> Iterator[Any]:
    """Text pieces with the stop strings cut out (holding back what could begin one), then the (finish, p, c) tuple."""
    pending = ""
    stop_now = threading.Event()
    stopped = False
    for piece in gen.stream(req, stop_now):
        if isinstance(piece, tuple):
            if stopped:  # cut at a stop string: the counts are the generation's
                yield ("stop", piece[1], piece[2])
                return
            if pending:
                yield pending
            yield piece
            return
        if stopped:
            continue  # what the model said past the stop string, until it stops
        pending += piece
        cut = cut_at_stop(pending, req.stop) if req.stop else None
        if cut is not None:
            if cut:
                yield pending[:cut]
            stopped = True
            stop_now.set()  # the generation ends at its next step; its counts still come
            continue
        keep = held_back(pending, req.stop) if req.stop else 0
        if len(pending) > keep:
            yield pending[: len(pending) - keep]
            pending = pending[len(pending) - keep:]


def make_handler(gen: Generator, token: str, served_model: str, lock: FairLock, created: int) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "finetune-studio-serve"

        def log_message(self, fmt: str, *args: Any) -> None:  # one line per request on stderr (the run's log)
            sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

        def send_json(self, status: int, body: Any) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def authorized(self) -> bool:
            given = self.headers.get("Authorization", "")
            if given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode()):
                return True
            self.send_json(401, error_body("missing or wrong bearer token (Authorization: Bearer <token>)"))
            return False

        def do_GET(self) -> None:
            if self.path == "/health":
                return self.send_json(200, {"status": "ok", "model": served_model, "chat_template_sha256": gen.template_sha256})
            if not self.authorized():
                return
            if self.path in ("/v1/models", "/v1/models/"):
                return self.send_json(200, models_body(served_model, created))
            self.send_json(404, error_body(f"no such path: {self.path[:100]}"))

        def do_POST(self) -> None:
            if not self.authorized():
                return
            if self.path != "/v1/chat/completions":
                return self.send_json(404, error_body(f"no such path: {self.path[:100]}"))
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self.send_json(411, error_body("a Content-Length header is required"))
            if length < 0 or length > MAX_BODY:
                self.close_connection = True
                return self.send_json(413, error_body(f"the body is larger than {MAX_BODY} bytes"))
            try:
                req = parse_chat_request(self.rfile.read(length), served_model, gen.max_new_tokens)
            except BadRequest as e:
                return self.send_json(e.status, error_body(str(e)))
            with lock:
                try:
                    self.stream_answer(req) if req.stream else self.whole_answer(req)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        def whole_answer(self, req: ChatRequest) -> None:
            parts, finish, prompt, completion = [], "stop", 0, 0
            try:
                for piece in answer(gen, req):
                    if isinstance(piece, tuple):
                        finish, prompt, completion = piece
                    else:
                        parts.append(piece)
            except Exception as e:
                return self.send_json(500, error_body(f"generation failed: {type(e).__name__}: {e}"))
            self.send_json(200, completion_body(new_id(), served_model, "".join(parts), finish, prompt, completion))

        def stream_answer(self, req: ChatRequest) -> None:
            cid = new_id()
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True

            def event(body: Any) -> None:
                self.wfile.write(b"data: " + json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n\n")
                self.wfile.flush()

            event(chunk_body(cid, served_model, {"role": "assistant", "content": ""}))
            try:
                for piece in answer(gen, req):
                    if isinstance(piece, tuple):
                        event(chunk_body(cid, served_model, {}, piece[0]))
                    elif piece:
                        event(chunk_body(cid, served_model, {"content": piece}))
            except (BrokenPipeError, ConnectionResetError):
                raise
            except Exception as e:  # the status line is gone: the error travels as an event
                event(error_body(f"generation failed: {type(e).__name__}: {e}"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


def start_server(gen: Generator, token: str, served_model: str, port: int, host: str = "127.0.0.1") -> Tuple[ThreadingHTTPServer, threading.Thread]:
    """Serves on host:port (0: any free port) in a background thread."""
    server = ThreadingHTTPServer((host, port), make_handler(gen, token, served_model, FairLock(), int(time.time())))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def main(args: Any) -> int:
    """Prints one JSON line when it serves ({"url", "port", "model", "chat_template_sha256"}), or {"error", "fix"}."""
    from .errors import classify

    try:
        token = read_token(args.token_file)
        gen = Generator(args.model, args.adapter, args.device)
        served = args.served_model_name or os.path.basename(os.path.normpath(args.adapter or args.model))
        server, thread = start_server(gen, token, served, args.port, args.host)
    except Exception as e:
        info = classify(e)
        print(json.dumps({"error": info.message, "fix": info.fix, "kind": info.kind}, ensure_ascii=False), flush=True)
        return 1
    port = server.server_address[1]
    print(json.dumps({"url": f"http://{args.host}:{port}/v1", "port": port, "model": served, "chat_template_sha256": gen.template_sha256}), flush=True)
    try:
        while thread.is_alive():
            thread.join(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
