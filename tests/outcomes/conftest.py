"""Fixtures for the outcomes tests: paths to the shipped synthetic examples and a review builder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from careflow.outcomes.reviews import SETTING_RUNG, Outcome, Review

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


def outcome(setting: str, hours: float = 0.0, cost: float = 0.0) -> Outcome:
    return Outcome(SETTING_RUNG[setting], setting, hours, cost)


def review(
    actual: Outcome,
    ideal: Outcome,
    proposed: Outcome | None = None,
    *,
    case_id: str = "R-1",
    age: str = "65+",
    psr: str = "physical support",
    point: str = "hospital discharge",
    reason: str | None = None,
    offered: bool = False,
    should: bool = False,
) -> Review:
    from careflow.outcomes.reviews import more_independent

    gap = more_independent(ideal, actual)
    return Review(
        case_id, age, psr, point, dt.date(2024, 5, 1), actual, proposed or actual, ideal,
        reason or ("practitioner decision" if gap else "no gap"), offered, should,
    )  # fmt: skip


@pytest.fixture
def make_outcome():  # type: ignore[no-untyped-def]
    return outcome


@pytest.fixture
def make_review():  # type: ignore[no-untyped-def]
    return review
