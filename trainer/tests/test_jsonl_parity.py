"""The trainer reads the same lines, with the same verdicts, as the extension's linter.

test/fixtures/datasets/parity/ holds lines that str.splitlines(), big integers, deep nesting and lone surrogates
used to make the two disagree on; test/unit/security/lintgaps.test.ts checks the linter against the same
expected.json.
"""

import json
import re
from pathlib import Path

import pytest

from finetune_trainer.data import read_samples, to_sample
from finetune_trainer.errors import DatasetError, classify
from finetune_trainer.jsonl import MAX_DEPTH, MAX_INT_DIGITS, BadLine, jsonl_lines, parse_line

ROOT = Path(__file__).resolve().parents[2]
PARITY = ROOT / "test" / "fixtures" / "datasets" / "parity"
EXPECTED = json.loads((PARITY / "expected.json").read_text(encoding="utf-8"))


def fixture_text():
    with open(PARITY / EXPECTED["file"], encoding="utf-8", newline="") as fh:  # keeps \r as it is
        return fh.read()


def verdicts():
    text = fixture_text()
    out = {}
    for number, line in jsonl_lines(text):
        if not line.strip():
            out[str(number)] = "blank"
            continue
        try:
            to_sample(parse_line(line))
            out[str(number)] = "valid"
        except (BadLine, ValueError) as e:
            out[str(number)] = "invalid"
            assert str(e), "every rejected line says why"
    return out


def test_same_lines_and_verdicts_as_the_linter():
    assert verdicts() == {n: e["verdict"] for n, e in EXPECTED["lines"].items()}


def test_limits_are_the_linters():
    source = (ROOT / "src" / "core" / "dataset" / "checks" / "lineLinter.ts").read_text(encoding="utf-8")
    hazards = (ROOT / "src" / "core" / "dataset" / "checks" / "textHazards.ts").read_text(encoding="utf-8")
    assert int(re.search(r"export const MAX_DEPTH = (\d+)", source).group(1)) == MAX_DEPTH
    assert int(re.search(r"export const MAX_INT_DIGITS = (\d+)", hazards).group(1)) == MAX_INT_DIGITS


def test_read_samples_names_the_first_bad_line_with_its_linter_number(tmp_path):
    text = fixture_text()
    first_bad = min(int(n) for n, e in EXPECTED["lines"].items() if e["verdict"] == "invalid")
    path = tmp_path / "d.jsonl"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(DatasetError) as err:
        read_samples(str(path))
    assert err.value.line == first_bad


@pytest.mark.parametrize("line, cause", [
    ('{"text": "x", "n": ' + "1" * (MAX_INT_DIGITS + 1) + "}", "more than 4300 digits"),
    ('{"text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 500 levels"),
    ('{"text": "x", "n": ' + "[" * 600 + "]" * 600 + "}", "nested more than 500 levels"),
    ('{"text": "a \\udc00 b"}', "lone surrogate"),
    ('{"text": "x", "n": Infinity}', "Infinity is not a JSON value"),
    ('{"text": "a"}\r{"text": "b"}\r{"text": "c"}', "lone CR"),
])
def test_each_cause_is_a_dataset_error_with_file_and_line(tmp_path, line, cause):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "ok"}\n' + line + "\n", encoding="utf-8", newline="")
    with pytest.raises(DatasetError, match=cause) as err:
        read_samples(str(path))
    assert (err.value.file, err.value.line) == (str(path), 2)
    info = classify(err.value)
    assert (info.kind, info.line) == ("dataset", 2)


def test_only_a_line_feed_breaks_lines(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a\u2028b\u0085c"}\r\n{"text": "d\u2029e"}\n', encoding="utf-8", newline="")
    samples = read_samples(str(path))
    assert [(s.line, s.text) for s in samples] == [(1, "a\u2028b\u0085c"), (2, "d\u2029e")]


def test_utf16_file_is_named_as_such(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes('{"text": "hi"}\n'.encode("utf-16"))
    with pytest.raises(DatasetError, match="UTF-16 encoded text: convert it to UTF-8"):
        read_samples(str(path))
