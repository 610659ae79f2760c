"""Fine-tune Studio's trainer: `python -m finetune_trainer {train,predict,export,check} --config job.json`.

Structure after huggingface/trl: config.py (TrainConfig, help on every field), trainer.py (built on transformers'
Trainer), callbacks.py (events), cli.py (the thin entry point). torch, transformers and peft are imported only
inside the functions that need them, so config, events, data conversion and `check` work without them.
"""

__version__ = "0.1.0"
