"""Shared paths and the model-test gate. Pure tests run anywhere; model tests need torch, transformers and peft
and are skipped with a plain reason where they are missing (run pytest with -rs to see it)."""

import importlib.util
import os
import sys

import pytest

TRAINER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINER)
FIXTURES = os.path.join(REPO, "test", "fixtures", "trainer")
sys.path.insert(0, TRAINER)

ML_PACKAGES = ("torch", "transformers", "peft")
MISSING_ML = [p for p in ML_PACKAGES if importlib.util.find_spec(p) is None]
needs_ml = pytest.mark.skipif(
    bool(MISSING_ML),
    reason=f"{', '.join(MISSING_ML)} {'is' if len(MISSING_ML) == 1 else 'are'} not installed: the model tests did not run",
)
