"""Case-review statistics: shares with Wilson intervals, a seeded bootstrap for £, and the review summary."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from careflow.outcomes.reviews import (
    DECISION_POINTS,
    GAP_REASONS,
    CaseReview,
    at_least_as_independent,
    more_independent,
)
from careflow.provenance import Value, quoted

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
SMALL_SAMPLE = 30  # below this many cases a share is shown with a warning
TOO_SMALL = 10  # below this many cases the share is too unstable to quote at all
BOOTSTRAP_DRAWS = 2000
BOOTSTRAP_SEED = 20240401  # fixed, so the same reviews always give the same interval

SEED_001 = "001_cb6dbf76d77fc339.txt"
REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT = quoted(0.996, SEED_001, "L1472", "99.6%")
REFERENCE_GAP_REASONS: dict[str, Value] = {
    "practitioner decision": quoted(0.33, SEED_001, "L922", "practitioner decision-making (33%)"),
    "service capacity": quoted(0.16, SEED_001, "L922", "service capacity (16%)"),
    "person or family preference": quoted(0.16, SEED_001, "L922", "the family or individual's preference (16%)"),
}
REFERENCE_SHORT_TERM_RATIO = quoted(
    2.0, SEED_001, "L922", "almost twice as many people could benefit from reablement", unit="× those receiving it"
)


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a binomial share; (0, 1) when there are no cases."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes the bound is exactly 0 or 1; floating-point rounding must not move it
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def sample_warning(n: int) -> str | None:
    if n < TOO_SMALL:
        return f"only {n} case(s): too few to support a figure"
    if n < SMALL_SAMPLE:
        return f"small sample ({n} cases): treat as indicative"
    return None


@dataclass(frozen=True)
class Share:
    """A share of reviewed cases with its 95% Wilson interval and any small-sample warning."""

    successes: int
    n: int
    share: float | None
    low: float
    high: float
    warning: str | None

    @classmethod
    def of(cls, successes: int, n: int) -> Share:
        low, high = wilson_interval(successes, n)
        return cls(successes, n, successes / n if n else None, low, high, sample_warning(n))


def share_where(reviews: Sequence[CaseReview], condition: Callable[[CaseReview], bool]) -> Share:
    return Share.of(sum(1 for r in reviews if condition(r)), len(reviews))


@dataclass(frozen=True)
class MeanWithInterval:
    mean: float | None
    low: float | None
    high: float | None
    n: int
    warning: str | None


def bootstrap_mean(
    values: Sequence[float], draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED
) -> MeanWithInterval:
    """Mean with a 95% percentile bootstrap interval; seeded, so it is the same on every run."""
    n = len(values)
    if n == 0:
        return MeanWithInterval(None, None, None, 0, sample_warning(0))
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, n, size=(draws, n))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return MeanWithInterval(float(data.mean()), float(low), float(high), n, sample_warning(n))


def gap(review: CaseReview) -> bool:
    """The MDT's ideal is more independent than what actually happened."""
    return more_independent(review.ideal, review.actual)


@dataclass
class ReviewSummary:
    cases: int
    more_independent: Share
    by_cohort: dict[str, Share]
    by_decision_point: dict[str, Share]
    mdt_at_least_as_independent: Share
    weekly_saving: MeanWithInterval  # actual − ideal weekly cost, £ per case (all cases)
    weekly_saving_where_gap: MeanWithInterval
    gap_reasons: dict[str, Share]  # share of gap cases by main reason
    short_term_missed: Share  # should have been offered a short-term service but was not, among all cases
    short_term_should_have: int
    short_term_offered: int
    short_term_ratio: float | None  # should have been offered ÷ offered (the national report: "almost twice")
    references: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(reviews: Sequence[CaseReview]) -> ReviewSummary:
    """The council's own evidence from its reviews: shares with intervals, £ difference, reasons for gaps."""
    cohorts = sorted({r.cohort for r in reviews})
    gap_cases = [r for r in reviews if gap(r)]
    should = sum(1 for r in reviews if r.short_term_should_have)
    offered = sum(1 for r in reviews if r.short_term_offered)
    return ReviewSummary(
        cases=len(reviews),
        more_independent=share_where(reviews, gap),
        by_cohort={c: share_where([r for r in reviews if r.cohort == c], gap) for c in cohorts},
        by_decision_point={
            d: share_where([r for r in reviews if r.decision_point == d], gap)
            for d in DECISION_POINTS
            if any(r.decision_point == d for r in reviews)
        },
        mdt_at_least_as_independent=share_where(reviews, lambda r: at_least_as_independent(r.ideal, r.proposed)),
        weekly_saving=bootstrap_mean([r.actual.weekly_cost - r.ideal.weekly_cost for r in reviews]),
        weekly_saving_where_gap=bootstrap_mean([r.actual.weekly_cost - r.ideal.weekly_cost for r in gap_cases]),
        gap_reasons={
            reason: Share.of(sum(1 for r in gap_cases if r.gap_reason == reason), len(gap_cases))
            for reason in GAP_REASONS
            if reason != "no gap"
        },
        short_term_missed=share_where(reviews, lambda r: r.short_term_should_have and not r.short_term_offered),
        short_term_should_have=should,
        short_term_offered=offered,
        short_term_ratio=should / offered if offered else None,
        references={
            "mdt_at_least_as_independent": REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT.model_dump(mode="json"),
            "gap_reasons": {k: v.model_dump(mode="json") for k, v in REFERENCE_GAP_REASONS.items()},
            "short_term_ratio": REFERENCE_SHORT_TERM_RATIO.model_dump(mode="json"),
        },
    )
