"""A character-level tokenizer with a ChatML-like template, for tests of masking without transformers.
`think_last=True` imitates Qwen3: the last assistant turn gets an empty think block, earlier ones do not.
`trailing_header=True` imitates Llama 3: every rendering ends with an assistant header."""

IGNORE = -100


class FakeTokenizer:
    eos_token_id = 0

    def __init__(self, think_last: bool = False, trailing_header: bool = False):
        self.think_last = think_last
        self.trailing_header = trailing_header  # like Llama 3's template: an assistant header after every conversation
        self.chat_template = "fake"

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False, tools=None):
        out = "<tools>" if tools else ""
        for i, m in enumerate(messages):
            content = m["content"]
            if self.think_last and m["role"] == "assistant" and i == len(messages) - 1:
                content = "<think></think>" + content
            out += f"<|{m['role']}|>{content}<|end|>\n"
        return out + ("<|assistant|>" if add_generation_prompt or self.trailing_header else "")

    def encode(self, text, add_special_tokens=False):
        return [ord(c) for c in text]


def learned_text(labels) -> str:
    """The labelled characters, with a | where a masked stretch separates two labelled ones."""
    out, gap = "", False
    for t in labels:
        if t == IGNORE:
            gap = bool(out)
            continue
        out += ("|" if gap else "") + chr(t)
        gap = False
    return out
