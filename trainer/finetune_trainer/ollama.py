"""`export --format ollama`: a folder with a Modelfile that `ollama create <name> -f Modelfile` imports (Ollama reads
safetensors directly): FROM the base + ADAPTER for a LoRA adapter, or FROM the full fine-tuned model; TEMPLATE with
ChatML in Ollama's Go-template syntax for Qwen-family (ChatML) models; PARAMETER stop for each end-of-sequence token.
Writes no weights: the Modelfile points at the folders where they already are."""

from __future__ import annotations

import json
import os
import re
from typing import List, Optional

from .config import ConfigError, TrainConfig

# Qwen's ChatML in Ollama's template syntax (as Ollama's own qwen2.5 and qwen3 templates, without tool calls).
CHATML_TEMPLATE = """{{- if .Messages }}
{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}
{{- range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 -}}
<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ if and $last (ne .Role "assistant") }}<|im_start|>assistant
{{ end }}
{{- end }}
{{- else }}
{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{ if .Prompt }}<|im_start|>user
{{ .Prompt }}<|im_end|>
{{ end }}<|im_start|>assistant
{{ end }}{{ .Response }}{{ if .Response }}<|im_end|>{{ end }}"""


def model_name(config: TrainConfig) -> str:
    """A name for `ollama create`: the output folder's name (its parent's for a generic one such as a job's
    "output"), lower-case, in the characters Ollama accepts."""
    out = os.path.abspath(config.output_dir)
    job = os.path.basename(out)
    if job.lower() in ("output", "out", "outputs"):
        job = os.path.basename(os.path.dirname(out))
    slug = re.sub(r"[^a-z0-9._-]+", "-", job.lower()).strip("-._")
    return slug or "finetuned"


def _read_json(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.load(fh)
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def model_family(folder: str, tokenizer) -> Optional[str]:
    """"chatml" for Qwen-family models (or any whose chat template is ChatML); None when unknown."""
    model_type = str(_read_json(os.path.join(folder, "config.json")).get("model_type", ""))
    template = getattr(tokenizer, "chat_template", None) or ""
    if model_type.startswith("qwen") or "<|im_start|>" in str(template):
        return "chatml"
    return None


def stop_tokens(folders: List[str], tokenizer) -> List[str]:
    """The end-of-sequence tokens: generation_config.json's eos_token_id (one or a list) and the tokenizer's."""
    ids: List[int] = []
    for folder in folders:
        eos = _read_json(os.path.join(folder, "generation_config.json")).get("eos_token_id")
        ids += eos if isinstance(eos, list) else [eos] if isinstance(eos, int) else []
    tokens = [t for t in tokenizer.convert_ids_to_tokens(ids) if t] if ids else []
    if tokenizer.eos_token:
        tokens.append(tokenizer.eos_token)
    return list(dict.fromkeys(tokens))


def _path_line(keyword: str, path: str) -> str:
    if "\n" in path or '"' in path:
        raise ConfigError(f"{path}: a path with a line break or a double quote cannot be written into a Modelfile")
    return f'{keyword} "{path}"' if " " in path else f"{keyword} {path}"


def modelfile_text(base: str, adapter: Optional[str], family: Optional[str], stops: List[str]) -> str:
    lines = [_path_line("FROM", base)]
    if adapter:
        lines.append(_path_line("ADAPTER", adapter))
    if family == "chatml":
        lines.append(f'TEMPLATE """{CHATML_TEMPLATE}"""')
    lines += [f"PARAMETER stop {json.dumps(s, ensure_ascii=False)}" for s in stops]
    return "\n".join(lines) + "\n"


def write_ollama(config: TrainConfig, trained: str, out: str) -> dict:
    """Writes <out>/Modelfile and <out>/README.md; returns the done event's artifacts."""
    from .model import load_tokenizer

    base = config.model_name_or_path
    adapter = os.path.abspath(trained) if os.path.exists(os.path.join(trained, "adapter_config.json")) else None
    source = base if adapter else os.path.abspath(trained)
    if adapter and not os.path.isdir(base):
        raise ConfigError(f"The base model {base!r} is not a local folder: Ollama imports a base from safetensors on "
                          "disk, so download it to a folder and point the job's base model there (or export merged weights).")
    tokenizer = load_tokenizer(source)
    family = model_family(source, tokenizer)
    stops = stop_tokens([source, os.path.abspath(trained)], tokenizer)
    os.makedirs(out, exist_ok=True)
    modelfile = os.path.join(out, "Modelfile")
    with open(modelfile, "w", encoding="utf-8") as fh:
        fh.write(modelfile_text(source, adapter, family, stops))
    name = model_name(config)
    command = f'ollama create {name} -f "{modelfile}"'
    notes = [f"# {name} for Ollama", "", "Import it (Ollama reads the safetensors the Modelfile points at):", "",
             f"    {command}", "", f"then `ollama run {name}`."]
    if family is None:
        notes += ["", "The model family is not known here, so the Modelfile has no TEMPLATE: Ollama takes the chat "
                  "template from the model when it recognises it. If the answers ignore the chat format, add a TEMPLATE."]
    if adapter:
        notes += ["", "Ollama applies LoRA adapters to some architectures only; if `ollama create` refuses the ADAPTER, "
                  "export merged weights and put `FROM <merged folder>` in the Modelfile instead."]
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(notes) + "\n")
    return {"model": out, "modelfile": modelfile, "command": command, "template": family or "unknown"}
