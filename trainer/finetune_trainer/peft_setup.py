"""The training method: LoRA (targets chosen per architecture), full, P-Tuning or Prefix-Tuning (peft)."""

from __future__ import annotations

from typing import Any, List, Optional, Union

from .config import TrainConfig

ATTN_MLP = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
# model_type → the linear layers LoRA adapts (attention and MLP projections, never the embeddings or lm_head).
LORA_TARGETS = {
    **{t: ATTN_MLP for t in ("llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2",
                              "gemma3_text", "deepseek_v2", "deepseek_v3", "internlm2", "yi", "baichuan", "olmo", "olmo2", "granite")},
    "phi": ["q_proj", "k_proj", "v_proj", "dense", "fc1", "fc2"],
    "phi3": ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"],
    "gpt2": ["c_attn", "c_proj", "c_fc"],
    "qwen": ["c_attn", "c_proj", "w1", "w2"],
    "chatglm": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "gpt_neox": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "falcon": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "bloom": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
}


def lora_targets(model_type: str, configured: Optional[List[str]]) -> Union[List[str], str]:
    """The configured modules, else the architecture's, else peft's "all-linear" (every linear layer but the head)."""
    if configured:
        return configured
    return LORA_TARGETS.get(model_type, "all-linear")


def apply_method(model: Any, config: TrainConfig) -> Any:
    if config.method == "full":
        return model
    from peft import LoraConfig, PrefixTuningConfig, PromptEncoderConfig, TaskType, get_peft_model

    if config.method == "lora":
        peft_config = LoraConfig(task_type=TaskType.CAUSAL_LM, r=config.lora_rank, lora_alpha=config.lora_alpha,
                                 lora_dropout=config.lora_dropout, target_modules=lora_targets(model.config.model_type, config.lora_target_modules))
    elif config.method == "p_tuning":
        peft_config = PromptEncoderConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=config.num_virtual_tokens,
                                          encoder_hidden_size=model.config.hidden_size)
    else:
        peft_config = PrefixTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=config.num_virtual_tokens)
    return get_peft_model(model, peft_config)


def is_prompt_method(method: str) -> bool:
    return method in ("p_tuning", "prefix_tuning")
