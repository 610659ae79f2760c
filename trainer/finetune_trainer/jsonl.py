"""What a line of a JSONL dataset is and when it parses: the same definition as the extension's linter.

Lines break at \\n only, and one \\r before it is dropped (src/core/dataset/parsing/utf8Lines.ts); `str.splitlines()`
would also break at U+2028, U+2029, U+0085, \\x0b, \\x0c, \\x1c-\\x1e and a lone \\r, which are valid inside
JSON strings, and number the lines after them differently. A line parses when `json.loads` takes it and it
has no NaN/Infinity, no integer over Python's 4300-digit limit, no nesting deeper than MAX_DEPTH and no lone
surrogate escape (src/core/dataset/checks/lineLinter.ts checks the same: MAX_DEPTH, MAX_INT_DIGITS there).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator, Tuple

# Shared with the linter (lineLinter.ts MAX_DEPTH, MAX_INT_DIGITS; a test checks that they are equal).
MAX_DEPTH = 500
MAX_INT_DIGITS = 4300

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BadLine(ValueError):
    """A line that is not a usable JSON value; the message says why (without file and line)."""


def jsonl_lines(text: str) -> Iterator[Tuple[int, str]]:
    """(1-based number, line) for each line of `text`, without its line break; none after a final break."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        yield number, line[:-1] if line.endswith("\r") else line


def cr_only_lines(line: str) -> bool:
    """Whether lone \\r split the line into pieces of which two or more look like whole JSON values: a file saved
    with CR line endings (the linter's crOnlyPieces in src/core/dataset/parsing/rawText.ts)."""
    if "\r" not in line:
        return False
    pieces = [p.strip() for p in line.split("\r")]
    return sum(1 for p in pieces if (p[:1], p[-1:]) in (("{", "}"), ("[", "]"))) >= 2


def no_constant(name: str) -> Any:
    raise BadLine(f"{name} is not a JSON value")


def parse_line(line: str) -> Any:
    """Parses one line as the linter does; raises BadLine with the cause."""
    try:
        value = json.loads(line, parse_constant=no_constant)
    except json.JSONDecodeError as e:
        hint = "; its lines end with a lone CR (old Mac line endings): convert them to LF" if cr_only_lines(line) else ""
        raise BadLine(f"not valid JSON ({e.msg} at column {e.colno}){hint}") from None
    except RecursionError:
        raise BadLine(f"nested more than {MAX_DEPTH} levels deep") from None
    except BadLine:
        raise
    except ValueError:  # Python's integer-string limit (sys.get_int_max_str_digits(), 4300 by default)
        raise BadLine(TOO_MANY_DIGITS) from None
    check_value(line, value)
    return value


TOO_MANY_DIGITS = f"an integer with more than {MAX_INT_DIGITS} digits (Python cannot read it)"


def check_value(text: str, value: Any) -> None:
    """The linter's checks that json.loads does not make, on a value parsed from `text`; raises BadLine."""
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        raise BadLine(f"nested more than {MAX_DEPTH} levels deep")
    if _SURROGATE_ESCAPE.search(text) is not None and _has_lone_surrogate(value):
        raise BadLine("a lone surrogate escape (such as \\ud800 without its pair): not valid Unicode text")


def _depth(value: Any) -> int:
    """How deep containers nest (iteratively, so any depth is safe)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            children = v.values()
        elif isinstance(v, list):
            children = v
        else:
            continue
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _LONE_SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False
