import json
import os

import pytest
from conftest import FIXTURES

from finetune_trainer.config import ConfigError, TrainConfig


def fixture() -> dict:
    with open(os.path.join(FIXTURES, "config.json"), encoding="utf-8") as fh:
        return json.load(fh)


def test_shared_fixture_loads_with_every_field():
    data = fixture()
    config = TrainConfig.from_dict(data)
    assert config.to_dict() == data  # 3 == 3.0: whole numbers in float fields compare equal
    assert isinstance(config.num_train_epochs, float) and isinstance(config.lora_rank, int)
    assert set(data) == set(TrainConfig.help()), "the fixture names every field (the TS schema is strict too)"


def test_every_field_has_help_text():
    assert all(len(text) > 10 for text in TrainConfig.help().values())


def test_unknown_key_is_rejected_by_name():
    with pytest.raises(ConfigError, match=r"unknown key 'lora_rnak'"):
        TrainConfig.from_dict({**fixture(), "lora_rnak": 8})


@pytest.mark.parametrize("key,value,expected", [
    ("lora_rank", "8", r"lora_rank must be a whole number, found the string '8'"),
    ("lora_rank", 8.5, r"lora_rank must be a whole number"),
    ("packing", 1, r"packing must be true or false, found the number 1"),
    ("learning_rate", None, r"learning_rate must be a number, found null"),
    ("method", "qlora", r"method must be one of 'lora', 'full', 'p_tuning', 'prefix_tuning'"),
    ("lora_target_modules", ["q_proj", 3], r"lora_target_modules\[1\] must be a non-empty string"),
    ("eval_share", 0.9, r"eval_share must be between 0 and 0.5"),
    ("per_device_train_batch_size", 0, r"per_device_train_batch_size must be greater than 0"),
])
def test_wrong_types_and_ranges_say_which_key(key, value, expected):
    with pytest.raises(ConfigError, match=expected):
        TrainConfig.from_dict({**fixture(), key: value}, where="job.json")


def test_missing_required_key():
    data = fixture()
    del data["train_file"]
    with pytest.raises(ConfigError, match="missing required key 'train_file'"):
        TrainConfig.from_dict(data)


def test_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        TrainConfig.from_json_file(str(tmp_path / "nope.json"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"method": "lora",\n oops}')
    with pytest.raises(ConfigError, match=r"not valid JSON \(line 2"):
        TrainConfig.from_json_file(str(bad))
