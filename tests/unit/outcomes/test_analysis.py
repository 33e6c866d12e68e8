"""Review statistics: Wilson intervals against hand-computed values, the seeded bootstrap, and the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careflow.outcomes.analysis import (
    REFERENCE_GAP_REASONS,
    REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT,
    Share,
    bootstrap_mean,
    summarise,
    wilson_interval,
)
from careflow.outcomes.reviews import Outcome, at_least_as_independent, more_independent

# Hand-computed with z = 1.96: centre = (p + z²/2n)/(1 + z²/n), half = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n)
HAND_WILSON = [
    (8, 10, 0.4902, 0.9433),
    (0, 10, 0.0, 0.2775),
    (50, 100, 0.4038, 0.5962),
    (10, 10, 0.7225, 1.0),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), HAND_WILSON)
def test_wilson_matches_hand_computation(k: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson_interval(k, n)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_wilson_with_no_cases_is_uninformative() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_small_sample_warnings() -> None:
    assert "too few" in (Share.of(3, 8).warning or "")
    assert "small sample" in (Share.of(10, 20).warning or "")
    assert Share.of(10, 30).warning is None


def test_bootstrap_is_seeded_and_sensible() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0] * 8
    first, second = bootstrap_mean(values), bootstrap_mean(values)
    assert first == second
    assert first.mean == pytest.approx(30.0)
    assert first.low is not None and first.high is not None
    assert first.low < 30.0 < first.high
    # the interval should be close to mean ± 1.96·sd/√n (sd = 14.14, n = 40 → ±4.38)
    assert first.high - first.low == pytest.approx(2 * 1.96 * 14.142 / 40**0.5, rel=0.15)
    flat = bootstrap_mean([100.0] * 12)
    assert (flat.low, flat.high) == (100.0, 100.0)
    assert bootstrap_mean([]).mean is None


def test_summary_on_hand_built_cases(make_review: Callable[..., Any], make_outcome: Callable[..., Any]) -> None:
    care_home = make_outcome("residential care", 0, 800)
    home = make_outcome("home care", 10, 174.8)
    fewer = make_outcome("home care", 6, 104.88)
    reviews = [
        make_review(care_home, home, reason="service capacity", should=True),  # gap, £625.20
        make_review(home, fewer, point="annual review", reason="provider"),  # gap, £69.92
        make_review(home, home, point="annual review"),  # no gap
        make_review(care_home, care_home, proposed=home),  # MDT less independent than the practitioner
    ]
    summary = summarise(reviews)
    assert summary.more_independent.successes == 2 and summary.more_independent.n == 4
    assert summary.by_decision_point["annual review"].successes == 1
    assert summary.by_decision_point["hospital discharge"].n == 2
    assert summary.mdt_at_least_as_independent.successes == 3
    assert summary.weekly_saving.mean == pytest.approx((625.2 + 69.92) / 4)
    assert summary.weekly_saving_where_gap.mean == pytest.approx((625.2 + 69.92) / 2)
    assert summary.gap_reasons["service capacity"].successes == 1
    assert summary.gap_reasons["provider"].n == 2
    assert summary.short_term_missed.successes == 1


def test_reference_figures_are_printed_where_cited(seed: Callable[[str, int], str]) -> None:
    for value in [REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT, *REFERENCE_GAP_REASONS.values()]:
        provenance = value.provenance
        assert provenance.kind == "quoted"
        assert provenance.as_printed in seed(provenance.document, int(provenance.line.lstrip("L")))
        assert f"{value.value * 100:g}%" in provenance.as_printed


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_contains_the_share_and_stays_in_range(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    # more cases at the same share never widen the interval
    wider_low, wider_high = wilson_interval(k, n)
    narrower_low, narrower_high = wilson_interval(4 * k, 4 * n)
    assert narrower_high - narrower_low <= wider_high - wider_low + 1e-12


rungs = st.integers(min_value=1, max_value=6)
hours = st.floats(min_value=0, max_value=80, allow_nan=False)


@given(rungs, hours, rungs, hours)
def test_more_independent_is_a_strict_order(r1: int, h1: float, r2: int, h2: float) -> None:
    a, b = Outcome(r1, "x", h1, 0.0), Outcome(r2, "x", h2, 0.0)
    assert not more_independent(a, a)
    assert not (more_independent(a, b) and more_independent(b, a))
    assert at_least_as_independent(a, b) or at_least_as_independent(b, a)
