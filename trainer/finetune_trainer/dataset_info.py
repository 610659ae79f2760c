"""LLaMA-Factory's dataset_info.json beside a dataset: the entry whose `file_name` is the file sets the format
(`formatting`), the column names (`columns`) and, for ShareGPT, the role and content keys and role names (`tags`).
Samples are renamed into the default layout data.py reads. Follows src/core/dataset/formats/datasetInfo.ts: once
`columns` is given, columns it leaves out are not read (as LLaMA-Factory's DatasetAttr sets them to None), so an
Alpaca entry with a prompt column only is pre-training text. Preference data (`ranking: true`, a `kto_tag` column)
is refused with the reason: this trainer trains supervised (SFT) and pre-training data only.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Optional

from .errors import DatasetError

Remap = Callable[[Any], Any]
SHAREGPT_TAGS = {"user_tag": "human", "assistant_tag": "gpt", "observation_tag": "observation", "function_tag": "function_call", "system_tag": "system"}


def find_entry(info: Any, file_name: str) -> Optional[Dict[str, Any]]:
    wanted = file_name.replace("\\", "/").removeprefix("./")
    for entry in info.values() if isinstance(info, dict) else []:
        name = entry.get("file_name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            name = name.replace("\\", "/").removeprefix("./")
            if name == wanted or name.rsplit("/", 1)[-1] == wanted.rsplit("/", 1)[-1]:
                return entry
    return None


def remapper_for(path: str) -> Optional[Remap]:
    """The renaming for `path` from the dataset_info.json in its folder; None when there is none or no entry."""
    info_path = os.path.join(os.path.dirname(os.path.abspath(path)), "dataset_info.json")
    try:
        with open(info_path, encoding="utf-8") as fh:
            info = json.load(fh)
    except (OSError, ValueError):
        return None
    entry = find_entry(info, os.path.basename(path))
    if entry is None:
        return None
    columns = entry.get("columns") if isinstance(entry.get("columns"), dict) else None
    kind = "ranking: true (DPO/ORPO pairs)" if entry.get("ranking") is True else ("a kto_tag column (KTO)" if isinstance((columns or {}).get("kto_tag"), str) else None)
    if kind:
        raise DatasetError(
            f"{os.path.basename(path)}: dataset_info.json marks it as preference data ({kind}); this trainer trains supervised "
            "(SFT) and pre-training data only, not preference methods yet: train on a supervised dataset, or use LLaMA-Factory's "
            "dpo/kto stage for this one",
            path,
        )
    media = [m for m in ("images", "videos", "audios") if isinstance((columns or {}).get(m), str)]
    if media:
        raise DatasetError(
            f"{os.path.basename(path)}: dataset_info.json gives it {' and '.join(media)} columns; this trainer trains text models "
            "on text only, so the <image>/<video>/<audio> tags would be learned as words: use a text dataset, or a vision-language "
            "trainer (LLaMA-Factory with a VL template) for this one",
            path,
        )
    if entry.get("formatting") in ("sharegpt", "openai"):
        return _chat(entry, columns)
    return _alpaca(columns)


def _str(v: Any, fallback: str) -> str:
    return v if isinstance(v, str) and v else fallback


def _optional(obj: Dict[str, Any], columns: Optional[Dict[str, Any]], names) -> Dict[str, Any]:
    return {name: obj[columns[name]] for name in names if columns and isinstance(columns.get(name), str) and columns[name] in obj}


def _alpaca(columns: Optional[Dict[str, Any]]) -> Remap:
    defaults = (("instruction", "prompt"), ("input", "query"), ("output", "response"))
    if columns is None:
        keys = {k: k for k, _ in defaults}
    else:  # only the columns it names are read; the prompt column keeps its default name
        keys = {k: columns[c] for k, c in defaults if isinstance(columns.get(c), str) and columns[c]}
        keys.setdefault("instruction", "instruction")
    pretraining = "output" not in keys

    def remap(obj: Any) -> Any:
        if not isinstance(obj, dict):
            return obj
        if pretraining:  # a prompt column only: LLaMA-Factory's pt stage trains on that text
            return {"text": obj.get(keys["instruction"])}
        out = {k: obj[v] for k, v in keys.items() if v in obj}
        return {**out, **_optional(obj, columns, ("system", "history"))}

    return remap


def _chat(entry: Dict[str, Any], columns: Optional[Dict[str, Any]]) -> Remap:
    tags = entry.get("tags") if isinstance(entry.get("tags"), dict) else None
    messages_key = _str((columns or {}).get("messages"), "conversations")
    openai_roles = entry.get("formatting") == "openai" and tags is None
    role_key = _str((tags or {}).get("role_tag"), "from" if tags is not None else ("role" if openai_roles else "from"))
    content_key = _str((tags or {}).get("content_tag"), "value" if tags is not None else ("content" if openai_roles else "value"))
    # the dataset's role name → the default ShareGPT tag data.py knows
    roles = {_str((tags or {}).get(name), default): default for name, default in SHAREGPT_TAGS.items()}

    def remap(obj: Any) -> Any:
        turns = obj.get(messages_key) if isinstance(obj, dict) else None
        if not isinstance(turns, list):
            return obj
        optional = _optional(obj, columns, ("system", "tools"))
        if openai_roles:
            renamed = [{**{k: v for k, v in t.items() if k not in (role_key, content_key)}, "role": t.get(role_key), "content": t.get(content_key)}
                       if isinstance(t, dict) else t for t in turns]
            return {"messages": renamed, **({"tools": optional["tools"]} if "tools" in optional else {})}
        renamed = [{"from": roles.get(t.get(role_key), t.get(role_key)), "value": t.get(content_key)} if isinstance(t, dict) else t for t in turns]
        return {"conversations": renamed, **optional}

    return remap
