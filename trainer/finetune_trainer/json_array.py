"""The records of a JSON array dataset (LLaMA-Factory's `.json` files), in order, each with the line it starts on.

The linter reads such files the same way (src/core/dataset/parsing/jsonArray.ts): a record is a sample, known by
its first line; each record must parse as a JSONL line must (jsonl.py: no NaN, no integer over Python's limit, no
deep nesting, no lone surrogate). Records are yielded as they are read, so the first problem in the file is the
one reported, with its line.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Tuple

from .jsonl import MAX_DEPTH, TOO_MANY_DIGITS, BadLine, check_value, no_constant

_WHITESPACE = " \t\r\n"


class BadRecord(ValueError):
    """A record (or the array around it) that cannot be read; `line` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WHITESPACE:
        i += 1
    return i


def array_records(text: str) -> Iterator[Tuple[int, Any]]:
    """(first line, value) for each record of the array `text` (a BOM already removed); raises BadRecord."""
    decoder = json.JSONDecoder(parse_constant=no_constant)
    counted, line = 0, 1

    def line_at(pos: int) -> int:
        nonlocal counted, line
        line += text.count("\n", counted, pos)
        counted = pos
        return line

    n = len(text)
    i = _skip(text, 0)
    if i >= n or text[i] != "[":
        raise BadRecord("not a JSON array", line_at(min(i, n)))
    i = _skip(text, i + 1)
    if i < n and text[i] == "]":
        _closed(text, i, line_at)
        return
    while True:
        start = line_at(i)
        try:
            value, end = decoder.raw_decode(text, i)
            check_value(text[i:end], value)
        except json.JSONDecodeError as e:
            raise BadRecord(f"not valid JSON ({e.msg} at column {e.colno})", e.lineno) from None
        except RecursionError:
            raise BadRecord(f"nested more than {MAX_DEPTH} levels deep", start) from None
        except BadLine as e:
            raise BadRecord(str(e), start) from None
        except ValueError:  # Python's integer-string limit
            raise BadRecord(TOO_MANY_DIGITS, start) from None
        yield start, value
        i = _skip(text, end)
        if i < n and text[i] == ",":
            i = _skip(text, i + 1)
        elif i < n and text[i] == "]":
            _closed(text, i, line_at)
            return
        else:
            found = repr(text[i]) if i < n else "the end of the file"
            raise BadRecord(f"not valid JSON (expected ',' or ']' after a record, found {found})", line_at(min(i, n)))


def _closed(text: str, i: int, line_at) -> None:
    """Only white space may follow the array's closing ] at `i`."""
    j = _skip(text, i + 1)
    if j < len(text):
        raise BadRecord("not valid JSON (more text after the array's closing ])", line_at(j))
