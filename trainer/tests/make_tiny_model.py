"""Writes a tiny random Qwen2/Qwen3 model folder (config, safetensors, the real Qwen3 tokenizer and its chat template)
for end-to-end tests outside pytest, e.g. test/integration/suite/realTrainer.test.ts. Needs torch and transformers.

    python trainer/tests/make_tiny_model.py <folder> [--kind qwen3|qwen2]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tiny_models import TOKENIZER_DIR, build  # noqa: E402  (after the path above)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where to write the model (created if missing)")
    parser.add_argument("--kind", choices=["qwen3", "qwen2"], default="qwen3")
    args = parser.parse_args(argv)
    if not os.path.isdir(TOKENIZER_DIR):
        print(f"make_tiny_model: the Qwen3 tokenizer is not at {TOKENIZER_DIR} (run npm ci)", file=sys.stderr)
        return 2
    os.makedirs(args.folder, exist_ok=True)
    print(build(args.kind, args.folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
