"""JSON array datasets (LLaMA-Factory's .json files): records in order, each known by the line it starts on, as the
linter reports them (src/core/dataset/checks/array/arrayLinter.ts)."""

import json
import os

import pytest

from finetune_trainer.data import read_samples
from finetune_trainer.errors import DatasetError
from finetune_trainer.json_array import BadRecord, array_records

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "datasets", "arrays")

PRETTY = [
    {"instruction": "Explain a[0] and {x}", "input": "", "output": "Brackets ] and } in strings are text."},
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]},
    {"prompt": "c", "completion": "d"},
]


def write(tmp_path, text, name="data.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_pretty_array_samples_know_their_first_line(tmp_path):
    samples = read_samples(write(tmp_path, json.dumps(PRETTY, indent=2)))
    assert [s.line for s in samples] == [2, 7, 19]
    assert samples[0].messages[-1]["content"] == "Brackets ] and } in strings are text."
    assert [m["content"] for m in samples[1].messages] == ["Hi", "Hello"]


def test_compact_array_and_crlf(tmp_path):
    assert [s.line for s in read_samples(write(tmp_path, json.dumps(PRETTY)))] == [1, 1, 1]
    crlf = json.dumps(PRETTY, indent=2).replace("\n", "\r\n")
    assert [s.line for s in read_samples(write(tmp_path, "\ufeff" + crlf))] == [2, 7, 19]


def test_registered_fixture_reads_with_dataset_info():
    # sharegpt_compact.json's second record has the role "gtp": refused with the line it starts on.
    with pytest.raises(DatasetError) as err:
        read_samples(os.path.join(FIXTURES, "sharegpt_compact.json"))
    assert err.value.line == 1 and "sharegpt_compact.json line 1" in str(err.value)


@pytest.mark.parametrize("text, line, problem", [
    # A missing comma between records 2 and 3: the error is at record 3's line, records before it were read.
    ('[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c", "completion": "d"}\n  {"prompt": "e", "completion": "f"}\n]', 4, "expected ',' or ']'"),
    ('[\n  {"prompt": "a", "completion": "b"},\n]\n', 3, "Expecting value"),
    ('[\n  {"prompt": "a",\n   "completion": NaN}\n]', 2, "NaN is not a JSON value"),
    ('[\n  {"prompt": "a", "completion": "b"}\n] extra', 3, "more text after"),
    ('[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c", "completion": "d"', 3, "Expecting"),
    ('[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c"}\n]', 3, "`completion` must be"),
])
def test_errors_say_the_record_line(tmp_path, text, line, problem):
    path = write(tmp_path, text)
    with pytest.raises(DatasetError) as err:
        read_samples(path)
    assert err.value.line == line, str(err.value)
    assert f"{path} line {line}: " in str(err.value) and problem in str(err.value)


def test_empty_array_has_no_samples(tmp_path):
    with pytest.raises(DatasetError, match="no samples"):
        read_samples(write(tmp_path, "[ ]\n"))


def test_array_records_is_lazy_and_in_order():
    records = array_records('[1, {"a": "]"},\n "x" ,]')
    assert next(records) == (1, 1)
    assert next(records) == (1, {"a": "]"})
    assert next(records) == (2, "x")
    with pytest.raises(BadRecord) as err:
        next(records)
    assert err.value.line == 2
