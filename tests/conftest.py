"""Shared test fixtures: tiers by folder (unit, integration, e2e), and the seed documents beside the project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings

from careflow.outcomes.reviews import SETTING_RUNG, CaseReview, Outcome

# The same examples on every run, so a red build always means the code changed, never the dice.
settings.register_profile("careflow", derandomize=True, print_blob=True)
settings.load_profile("careflow")

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TESTS = Path(__file__).resolve().parent
TIERS = ("unit", "integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test is marked with its tier, taken from its folder: `pytest -m unit` runs the fast ones.

    Modules with slow tests run first, each kept whole and in its own order: spread over workers (`make test`),
    the longest jobs start at once instead of leaving one worker busy at the end while the other waits."""
    for item in items:
        parts = item.path.relative_to(TESTS).parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_modules)  # a stable sort: only whole modules move


@cache
def seed_text_lines(document: str) -> list[str]:
    """The lines of a seed document (e.g. '001_cb6dbf76d77fc339.txt'); index 0 is line L1."""
    path = SEEDS / document
    if not path.exists():
        pytest.skip(f"needs the seed documents in ../shared/seeds beside the repository; not found at {SEEDS}")
    return path.read_text(encoding="utf-8").splitlines()


def seed_line(document: str, line: int) -> str:
    return seed_text_lines(document)[line - 1]


PUBLIC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "public"


@pytest.fixture(scope="session")
def published_tables():  # type: ignore[no-untyped-def]
    """NHS Digital's 2021-22 ASC-FR and SALT tables in ../shared/data/public, parsed once for the whole run (~2 s).

    Through the backtest's own cached reader, so the backtest tests share this parse too; nothing changes a parsed
    publication (its tables are filled in only while it is read)."""
    from careflow.simulate.history import TABLES_FILE, publication

    if not (PUBLIC / TABLES_FILE).is_file():
        pytest.skip(f"NHS Digital's 2021-22 ASC-FR and SALT tables not found at {PUBLIC / TABLES_FILE}")
    return publication(PUBLIC)


@pytest.fixture
def seed() -> Callable[[str, int], str]:
    """`seed(document, line)` → the text of that line, to check that a cited figure is printed there."""
    return seed_line


# --- case reviews: the shipped synthetic examples and a review builder (unit and integration tests use them) ------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


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
) -> CaseReview:
    from careflow.outcomes.reviews import more_independent

    gap = more_independent(ideal, actual)
    return CaseReview(
        case_id, age, psr, point, dt.date(2024, 5, 1), actual, proposed or actual, ideal,
        reason or ("practitioner decision" if gap else "no gap"), offered, should,
    )  # fmt: skip


@pytest.fixture
def make_outcome():  # type: ignore[no-untyped-def]
    return outcome


@pytest.fixture
def make_review():  # type: ignore[no-untyped-def]
    return review
