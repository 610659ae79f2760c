import json

import pytest

from finetune_trainer.data import load_splits, read_samples, split_eval, to_sample
from finetune_trainer.errors import DatasetError


def roles(sample):
    return [(m["role"], m["content"]) for m in sample.messages]


def test_openai_messages_with_weights_parts_and_developer():
    s = to_sample({"messages": [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "image_url", "image_url": {}}, {"type": "text", "text": "there"}]},
        {"role": "assistant", "content": "draft", "weight": 0},
        {"role": "user", "content": "again"},
        {"role": "assistant", "content": "final"},
    ]})
    assert roles(s) == [("system", "Be brief."), ("user", "Hi there"), ("assistant", "draft"), ("user", "again"), ("assistant", "final")]
    assert s.weights == [1, 1, 0, 1, 1]
    assert all("weight" not in m for m in s.messages), "weight is not passed to the chat template"


def test_openai_tool_calls_and_tools():
    s = to_sample({"messages": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
        {"role": "assistant", "content": "Sunny."},
    ], "tools": [{"type": "function", "function": {"name": "w", "parameters": {}}}]})
    assert s.messages[1]["content"] == "" and s.messages[1]["tool_calls"][0]["function"]["name"] == "w"
    assert s.messages[2]["tool_call_id"] == "c1" and s.tools[0]["function"]["name"] == "w"


def test_sharegpt_with_system_function_call_and_observation():
    s = to_sample({"system": "You are a doctor.", "tools": json.dumps([{"name": "lookup", "parameters": {}}]), "conversations": [
        {"from": "human", "value": "Q"},
        {"from": "function_call", "value": json.dumps({"name": "lookup", "arguments": {"q": "x"}})},
        {"from": "observation", "value": "R"},
        {"from": "gpt", "value": "A"},
    ]})
    assert [m["role"] for m in s.messages] == ["system", "user", "assistant", "tool", "assistant"]
    call = s.messages[2]["tool_calls"][0]
    assert call["function"] == {"name": "lookup", "arguments": '{"q": "x"}'} and s.messages[3]["tool_call_id"] == call["id"]
    assert s.tools == [{"type": "function", "function": {"name": "lookup", "parameters": {}}}]


def test_alpaca_joins_instruction_and_input_and_keeps_history():
    s = to_sample({"system": "S", "instruction": "Translate", "input": "猫", "output": "cat", "history": [["hi", "hello"]]})
    assert roles(s) == [("system", "S"), ("user", "hi"), ("assistant", "hello"), ("user", "Translate\n猫"), ("assistant", "cat")]


def test_prompt_completion_strings_and_message_lists():
    assert roles(to_sample({"prompt": "P", "completion": "C"})) == [("user", "P"), ("assistant", "C")]
    s = to_sample({"prompt": [{"role": "system", "content": "S"}, {"role": "user", "content": "P"}],
                   "completion": [{"role": "assistant", "content": "C", "weight": 1}]})
    assert roles(s) == [("system", "S"), ("user", "P"), ("assistant", "C")]


def test_text_samples():
    assert to_sample({"text": "plain text"}).text == "plain text"


@pytest.mark.parametrize("line,problem", [
    ('{"messages": [{"role": "user", "content": "only a question"}]}', "no assistant turn"),
    ('{"messages": [{"role": "robot", "content": "x"}]}', "message 1: role must be one of"),
    ('{"conversations": [{"from": "human"}]}', "turn 1: needs `from`"),
    ('{"instruction": "x", "output": ""}', "`output` must be a non-empty string"),
    ('{"foo": 1}', "unknown format"),
    ('[1, 2]', "a sample must be a JSON object"),
    ('{"messages": [', "not valid JSON"),
    ('{"messages": [{"role": "assistant", "content": "a", "weight": 0.5}]}', "weight must be 0 or 1"),
    ('{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": [{"type": "text", "value": "a"}]}]}',
     "message 2, content part 1: unknown content-part format"),
    ('{"messages": [{"role": "user", "content": [{"text": "q"}]}, {"role": "assistant", "content": "a"}]}',
     "message 1, content part 1: unknown content-part format"),
    ('{"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}, {"role": "assistant", "content": "a"}]}',
     "message 1, content part 1: `text` must be a string"),
])
def test_a_bad_line_names_file_and_line(tmp_path, line, problem):
    path = tmp_path / "train.jsonl"
    path.write_text('{"prompt": "p", "completion": "c"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        read_samples(str(path))
    assert err.value.file == str(path) and err.value.line == 3
    assert f"{path} line 3: " in str(err.value) and problem in str(err.value)


def test_missing_file_and_json_array(tmp_path):
    with pytest.raises(DatasetError, match="dataset file not found"):
        read_samples(str(tmp_path / "none.jsonl"))
    path = tmp_path / "data.json"
    path.write_text(json.dumps([{"instruction": "a", "output": "b"}, {"prompt": "c", "completion": "d"}]), encoding="utf-8")
    # A record is known by the line it starts on: both are on line 1 (test_json_array.py has pretty ones).
    assert [s.line for s in read_samples(str(path))] == [1, 1]


def test_eval_split_is_held_out_with_the_seed(tmp_path):
    samples = [to_sample({"prompt": str(i), "completion": "x"}) for i in range(20)]
    train, held = split_eval(samples, 0.1, seed=7)
    assert len(train) == 18 and len(held) == 2
    assert {id(s) for s in train}.isdisjoint(id(s) for s in held)
    again, held_again = split_eval(samples, 0.1, seed=7)
    assert [s.messages for s in held_again] == [s.messages for s in held]
    _, other = split_eval(samples, 0.1, seed=8)
    assert [s.messages for s in other] != [s.messages for s in held]
    assert split_eval(samples, 0.0, seed=7) == (samples, [])
    assert len(split_eval(samples[:3], 0.01, seed=1)[1]) == 1, "a share above 0 holds out at least one sample"


def test_eval_file_wins_over_share(tmp_path):
    (tmp_path / "t.jsonl").write_text('{"prompt": "a", "completion": "b"}\n' * 5)
    (tmp_path / "e.jsonl").write_text('{"prompt": "c", "completion": "d"}\n')
    train, held = load_splits(str(tmp_path / "t.jsonl"), str(tmp_path / "e.jsonl"), 0.4, 1)
    assert len(train) == 5 and roles(held[0]) == [("user", "c"), ("assistant", "d")]


def write_with_info(tmp_path, name, lines, info):
    (tmp_path / name).write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    (tmp_path / "dataset_info.json").write_text(json.dumps(info), encoding="utf-8")
    return read_samples(str(tmp_path / name))


def test_dataset_info_renames_alpaca_columns(tmp_path):
    [s] = write_with_info(tmp_path, "qa.jsonl", [{"question": "Q", "answer": "A", "sys": "S", "system": "not read"}],
                          {"qa": {"file_name": "qa.jsonl", "columns": {"prompt": "question", "response": "answer", "system": "sys"}}})
    assert roles(s) == [("system", "S"), ("user", "Q"), ("assistant", "A")]


def test_dataset_info_renames_sharegpt_keys_and_roles(tmp_path):
    line = {"dialog": [{"role": "user", "text": "Q"}, {"role": "bot", "text": "A"}], "sys_prompt": "S"}
    [s] = write_with_info(tmp_path, "chat.jsonl", [line], {"chat": {
        "file_name": "./chat.jsonl", "formatting": "sharegpt", "columns": {"messages": "dialog", "system": "sys_prompt"},
        "tags": {"role_tag": "role", "content_tag": "text", "user_tag": "user", "assistant_tag": "bot"}}})
    assert roles(s) == [("system", "S"), ("user", "Q"), ("assistant", "A")]


def test_dataset_info_openai_formatting_keeps_weights(tmp_path):
    line = {"conversations": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "draft", "weight": 0},
                              {"role": "user", "content": "Q2"}, {"role": "assistant", "content": "A"}]}
    [s] = write_with_info(tmp_path, "o.jsonl", [line], {"o": {"file_name": "o.jsonl", "formatting": "openai"}})
    assert [m["role"] for m in s.messages] == ["user", "assistant", "user", "assistant"] and s.weights == [1, 0, 1, 1]


def test_a_dataset_info_without_this_file_changes_nothing(tmp_path):
    [s] = write_with_info(tmp_path, "plain.jsonl", [{"instruction": "I", "output": "O"}],
                          {"other": {"file_name": "other.jsonl", "columns": {"prompt": "q"}}})
    assert roles(s) == [("user", "I"), ("assistant", "O")]


def test_content_parts_fixture_reads_as_the_linter_reads_it():
    """test/fixtures/datasets/content-parts.jsonl: lines 1-4 valid (text parts joined, media left out), 5-6 FT010."""
    from pathlib import Path
    fixture = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "datasets" / "content-parts.jsonl"
    lines = [json.loads(line) for line in fixture.read_text(encoding="utf-8").splitlines()]
    first = to_sample(lines[0])
    assert roles(first) == [
        ("system", "You are a vision assistant for a herbal pharmacy."),
        ("user", "Which herb is in this photo?"),
        ("assistant", "Dried ginseng root: pale, forked, ringed near the top."),
    ]
    assert roles(to_sample(lines[1]))[0] == ("user", "Name the plant in one word.")
    assert roles(to_sample(lines[2])) == [("user", "Is ginger warming or cooling?"), ("assistant", "Warming.")]
    assert roles(to_sample(lines[3]))[0] == ("user", "And chrysanthemum tea?")
    for bad in lines[4:]:
        with pytest.raises(Exception, match="unknown content-part format"):
            to_sample(bad)


def test_dataset_info_prompt_column_only_is_pretraining_text(tmp_path):
    """LLaMA-Factory's c4_demo shape: `columns: {prompt: text}` and no response column: plain text to train on."""
    [s] = write_with_info(tmp_path, "c4.jsonl", [{"text": "Some web text."}],
                          {"c4_demo": {"file_name": "c4.jsonl", "columns": {"prompt": "text"}}})
    assert s.text == "Some web text." and s.messages == []


def test_dataset_info_columns_leave_out_what_they_do_not_name(tmp_path):
    [s] = write_with_info(tmp_path, "q.jsonl", [{"instruction": "I", "input": "not read", "output": "O"}],
                          {"q": {"file_name": "q.jsonl", "columns": {"prompt": "instruction", "response": "output"}}})
    assert roles(s) == [("user", "I"), ("assistant", "O")]


@pytest.mark.parametrize("entry", [
    {"file_name": "p.jsonl", "ranking": True, "columns": {"prompt": "instruction", "chosen": "chosen", "rejected": "rejected"}},
    {"file_name": "p.jsonl", "columns": {"prompt": "instruction", "response": "output", "kto_tag": "label"}},
])
def test_preference_data_is_refused_with_the_reason(tmp_path, entry):
    with pytest.raises(DatasetError, match=r"preference data .*DPO/ORPO|preference data .*KTO"):
        write_with_info(tmp_path, "p.jsonl", [{"instruction": "I", "chosen": "a", "rejected": "b", "output": "o", "label": True}], {"p": entry})


def test_media_columns_are_refused_with_the_reason(tmp_path):
    entry = {"file_name": "mm.jsonl", "formatting": "sharegpt", "columns": {"messages": "messages", "images": "images"}}
    with pytest.raises(DatasetError, match=r"images columns; this trainer trains text models"):
        write_with_info(tmp_path, "mm.jsonl", [{"messages": [], "images": ["a.jpg"]}], {"mm": entry})


def test_file_sha256_is_the_content_hash(tmp_path):
    import hashlib
    from finetune_trainer.data import file_sha256
    data = b'{"messages": []}\n' * 100_000  # more than one read block
    path = tmp_path / "train.jsonl"
    path.write_bytes(data)
    assert file_sha256(str(path)) == hashlib.sha256(data).hexdigest()
    path.write_bytes(data + b"x")
    assert file_sha256(str(path)) != hashlib.sha256(data).hexdigest()
