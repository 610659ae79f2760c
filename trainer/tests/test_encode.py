import pytest
from fake_tokenizer import IGNORE, FakeTokenizer, learned_text

from finetune_trainer.data import to_sample
from finetune_trainer.encode import ChatEncoder, encode_all

TWO_TURNS = {"messages": [
    {"role": "system", "content": "S"},
    {"role": "user", "content": "q1"},
    {"role": "assistant", "content": "a1"},
    {"role": "user", "content": "q2"},
    {"role": "assistant", "content": "a2"},
]}


def encode(sample, **kw):
    return ChatEncoder(FakeTokenizer(**kw)).encode(to_sample(sample))


def test_labels_cover_every_assistant_turn_and_its_end_marker():
    enc = encode(TWO_TURNS)
    assert len(enc.input_ids) == len(enc.labels)
    assert "".join(map(chr, enc.input_ids)) == "<|system|>S<|end|>\n<|user|>q1<|end|>\n<|assistant|>a1<|end|>\n<|user|>q2<|end|>\n<|assistant|>a2<|end|>\n"
    assert learned_text(enc.labels) == "a1<|end|>|a2<|end|>"


def test_weight_zero_turns_are_context_only():
    sample = {"messages": [dict(m) for m in TWO_TURNS["messages"]]}
    sample["messages"][2]["weight"] = 0
    assert learned_text(encode(sample).labels) == "a2<|end|>"


def test_templates_that_change_the_last_turn_fall_back_to_content_and_end_marker():
    enc = encode(TWO_TURNS, think_last=True)
    text = "".join(map(chr, enc.input_ids))
    assert "<|assistant|>a1<|end|>" in text and "<|assistant|><think></think>a2<|end|>\n" in text
    assert learned_text(enc.labels) == "a1<|end|>|<think></think>a2<|end|>"


def test_templates_that_always_append_an_assistant_header():
    enc = encode(TWO_TURNS, trailing_header=True)
    assert "".join(map(chr, enc.input_ids)).endswith("a2<|end|>\n<|assistant|>")
    assert learned_text(enc.labels) == "a1<|end|>|a2<|end|>", "the trailing header is not learned"


def test_tool_call_turns_are_learned_up_to_their_end_marker():
    class ToolTemplate(FakeTokenizer):
        def apply_chat_template(self, messages, **kw):
            shown = [dict(m, content=m["content"] or "CALL " + m["tool_calls"][0]["function"]["name"]) if m.get("tool_calls") else m for m in messages]
            return super().apply_chat_template(shown, **kw)

    sample = to_sample({"messages": [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c", "content": "r"},
        {"role": "assistant", "content": "done"},
    ]})
    enc = ChatEncoder(ToolTemplate()).encode(sample)
    assert learned_text(enc.labels) == "CALL f<|end|>|done<|end|>"


def test_first_label_is_always_masked():
    enc = encode({"text": "abc"})
    assert enc.input_ids == [97, 98, 99, 0] and enc.labels == [IGNORE, 98, 99, 0]


def test_prompt_for_predict():
    prompt, label = ChatEncoder(FakeTokenizer()).encode_prompt(to_sample(TWO_TURNS))
    assert prompt.endswith("<|user|>q2<|end|>\n<|assistant|>") and label == "a2"


@pytest.mark.parametrize("over_length,kept,dropped,truncated", [("drop", 1, 1, 0), ("truncate", 2, 0, 1)])
def test_over_length_drop_or_truncate_is_counted(over_length, kept, dropped, truncated):
    short = to_sample({"prompt": "q", "completion": "a"})
    long = to_sample({"prompt": "q", "completion": "a" * 100})
    out, stats = encode_all(ChatEncoder(FakeTokenizer()), [short, long], max_length=60, over_length=over_length)
    assert (len(out), stats.dropped, stats.truncated, stats.samples) == (kept, dropped, truncated, kept)
    assert all(len(e) <= 60 for e in out)
    assert stats.tokens == sum(len(e) for e in out)


def test_samples_with_nothing_to_learn_are_left_out_and_counted():
    all_zero = to_sample({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "weight": 0}]})
    truncated_away = to_sample({"prompt": "q" * 50, "completion": "a"})
    out, stats = encode_all(ChatEncoder(FakeTokenizer()), [all_zero, truncated_away], 30, "truncate")
    assert out == [] and stats.no_target == 2


def test_a_tokenizer_without_template_gets_chatml():
    tok = FakeTokenizer()
    tok.chat_template = None

    ChatEncoder(tok)
    assert "<|im_start|>" in tok.chat_template


def test_a_sample_the_template_refuses_is_a_dataset_error_with_its_line():
    from finetune_trainer.errors import DatasetError

    class Strict(FakeTokenizer):
        def apply_chat_template(self, messages, **kw):
            if not any(m["role"] == "user" for m in messages) and messages and messages[-1]["role"] == "assistant":
                raise ValueError("No user query found in messages.")
            return super().apply_chat_template(messages, **kw)

    sample = to_sample({"messages": [{"role": "system", "content": "S"}, {"role": "assistant", "content": "A"}]})
    sample.line = 7
    with pytest.raises(DatasetError, match=r"/d/t.jsonl line 7: the model's chat template cannot render this sample: No user query") as err:
        encode_all(ChatEncoder(Strict()), [sample], 100, "drop", "/d/t.jsonl")
    assert (err.value.file, err.value.line) == ("/d/t.jsonl", 7)
