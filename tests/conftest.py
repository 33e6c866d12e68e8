"""Shared test fixtures: access to the seed documents beside the project (../shared/seeds)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run, so a red build always means the code changed, never the dice.
settings.register_profile("careflow", derandomize=True, print_blob=True)
settings.load_profile("careflow")

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@cache
def seed_text_lines(document: str) -> list[str]:
    """The lines of a seed document (e.g. '001_cb6dbf76d77fc339.txt'); index 0 is line L1."""
    path = SEEDS / document
    if not path.exists():
        pytest.skip(f"seed documents not found at {SEEDS}")
    return path.read_text(encoding="utf-8").splitlines()


def seed_line(document: str, line: int) -> str:
    return seed_text_lines(document)[line - 1]


@pytest.fixture
def seed() -> Callable[[str, int], str]:
    """`seed(document, line)` → the text of that line, to check that a cited figure is printed there."""
    return seed_line
