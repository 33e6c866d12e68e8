"""Local evidence into the model: case-review results as lever effects, combined with the national values.

How the two are combined (stated in every scenario written):

- Shares (care-home admissions diverted, people with a learning disability moving out of residential care,
  people missing a short-term service) use a Beta prior centred on the national value with a strength of
  `PRIOR_STRENGTH` pseudo-cases: Beta(s·p0, s·(1−p0)). Adding k of n local cases gives the posterior
  Beta(s·p0 + k, s·(1−p0) + n − k); its mean is the central value and its 2.5th–97.5th percentiles the range.
  With few local cases the national value dominates; with hundreds the council's own evidence does.
- The short-term services uplift is not a share, so it is carried as one: among people who should have
  been offered a short-term service, q = share not offered; uplift = q / (1 − q) (0.40 ⇔ q = 0.2857).
- Hours reductions (1 − Σ ideal hours ÷ Σ actual hours, over cases whose ideal stays on the same rung) use
  credibility weighting: w = n / (n + s); central = w·local + (1 − w)·national, and the same weights on the
  ends of a seeded bootstrap interval of the local ratio (the national value is treated as fixed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from careflow.opportunity.parameters import LEVERS
from careflow.outcomes.analysis import BOOTSTRAP_DRAWS, BOOTSTRAP_SEED, wilson_interval
from careflow.outcomes.reviews import Review
from careflow.provenance import Local, Value
from careflow.scenario import Effect, LeverSettings, Scenario

PRIOR_STRENGTH = 20.0  # pseudo-cases behind the national value: an assumption, stated in every output
POSTERIOR_DRAWS = 200_000
POSTERIOR_SEED = 20240402

# The national values are the opportunity model's defaults (CCN/ACCE/Newton 2021, L633–693), so there is one source.
NATIONAL_SOURCES: dict[str, dict[str, Value]] = {lever.id: {lever.effect_name: lever.central} for lever in LEVERS}
NATIONAL: dict[str, dict[str, float]] = {
    lever: {name: value.value for name, value in effects.items()} for lever, effects in NATIONAL_SOURCES.items()
}
CARE_HOME_DECISIONS = ("front door", "hospital discharge", "end of short-term service", "annual review")


@dataclass(frozen=True)
class LeverEvidence:
    """What the reviews say about one lever effect, and the value after combining with the national one."""

    lever: str
    effect: str
    cases: int
    successes: int | None  # for shares
    local: float | None
    local_low: float | None
    local_high: float | None
    national: float
    central: float
    low: float
    high: float
    method: str
    group: str


def _beta_posterior(p0: float, k: int, n: int, strength: float) -> tuple[float, float, float]:
    alpha = strength * p0 + k
    beta = strength * (1 - p0) + (n - k)
    draws = np.random.default_rng(POSTERIOR_SEED).beta(alpha, beta, POSTERIOR_DRAWS)
    low, high = np.percentile(draws, [2.5, 97.5])
    return alpha / (alpha + beta), float(low), float(high)


def _share_evidence(
    lever: str, effect: str, group: str, cases: Sequence[Review], success: Callable[[Review], bool], p0: float, s: float
) -> LeverEvidence:
    n = len(cases)
    k = sum(1 for r in cases if success(r))
    central, low, high = _beta_posterior(p0, k, n, s)
    wl, wh = wilson_interval(k, n)
    return LeverEvidence(
        lever, effect, n, k, k / n if n else None, wl if n else None, wh if n else None, p0, central, low, high,
        f"Beta prior centred on the national {p0:g} with strength {s:g}", group,
    )  # fmt: skip


def _uplift_evidence(cases: Sequence[Review], u0: float, s: float) -> LeverEvidence:
    """Short-term services access: the share of people who should have had one but were not offered it."""
    n = len(cases)
    missed = sum(1 for r in cases if not r.short_term_offered)
    q0 = u0 / (1 + u0)
    q, q_low, q_high = _beta_posterior(q0, missed, n, s)

    def uplift(share: float | None) -> float | None:
        # Nobody offered a service among those who should have been: the uplift has no upper bound
        return None if share is None or share >= 1 else share / (1 - share)

    wl, wh = wilson_interval(missed, n)
    central, low, high = uplift(q), uplift(q_low), uplift(q_high)
    assert central is not None and low is not None and high is not None  # posterior draws are always below 1
    return LeverEvidence(
        "short_term_services", "access_uplift", n, missed, uplift(missed / n) if n else None,
        uplift(wl) if n else None, uplift(wh) if n else None, u0, central, low, high,
        f"uplift = q/(1−q), q = share not offered; Beta prior on q centred on {q0:.4f} (the national {u0:g}) "
        f"with strength {s:g}",
        "65+ who should have been offered a short-term service",
    )  # fmt: skip


def _hours_ratio(cases: Sequence[Review]) -> float:
    actual = sum(r.actual.hours for r in cases)
    return 1 - sum(r.ideal.hours for r in cases) / actual if actual > 0 else 0.0


def _hours_evidence(lever: str, group: str, cases: Sequence[Review], national: float, s: float) -> LeverEvidence:
    n = len(cases)
    clip = lambda x: min(1.0, max(0.0, x))  # noqa: E731 - an effect is a fraction 0–1
    if n == 0:
        return LeverEvidence(lever, "hours_reduction", 0, None, None, None, None, national, national, national,
                             national, "no local cases: national value kept", group)  # fmt: skip
    local = _hours_ratio(cases)
    actual = np.array([r.actual.hours for r in cases], dtype=float)
    ideal = np.array([r.ideal.hours for r in cases], dtype=float)
    picks = np.random.default_rng(BOOTSTRAP_SEED).integers(0, n, size=(BOOTSTRAP_DRAWS, n))
    sums = actual[picks].sum(axis=1)
    ratios = 1 - np.divide(ideal[picks].sum(axis=1), sums, out=np.ones_like(sums), where=sums > 0)
    low, high = (float(x) for x in np.percentile(ratios, [2.5, 97.5]))
    w = n / (n + s)
    return LeverEvidence(
        lever, "hours_reduction", n, None, local, low, high, national,
        clip(w * local + (1 - w) * national), clip(w * low + (1 - w) * national), clip(w * high + (1 - w) * national),
        f"credibility weight n/(n+{s:g}) = {w:.3f} on the local ratio, the rest on the national {national:g}",
        group,
    )  # fmt: skip


def lever_evidence(
    reviews: Sequence[Review], national: dict[str, dict[str, float]], prior_strength: float = PRIOR_STRENGTH
) -> list[LeverEvidence]:
    """The local evidence for each lever effect that case reviews can inform, combined with the national value."""
    s = prior_strength
    older = [r for r in reviews if r.age_band == "65+"]
    ld = [r for r in reviews if r.age_band == "18-64" and r.primary_support_reason == "learning disability support"]

    def same_rung_community(cases: Sequence[Review], rungs: tuple[int, ...]) -> list[Review]:
        return [r for r in cases if r.actual.rung in rungs and r.ideal.rung == r.actual.rung and r.actual.hours > 0]

    evidence: list[LeverEvidence] = []
    if "care_home_admissions" in national:
        cases = [r for r in older if r.actual.rung >= 5 and r.decision_point in CARE_HOME_DECISIONS]
        evidence.append(_share_evidence(
            "care_home_admissions", "share_diverted", "65+ whose actual outcome was a care home",
            cases, lambda r: r.ideal.rung <= 4, national["care_home_admissions"]["share_diverted"], s,
        ))  # fmt: skip
    if "ld_residential_moves" in national:
        cases = [r for r in ld if r.actual.rung == 5]
        evidence.append(_share_evidence(
            "ld_residential_moves", "share_moved", "18–64 with a learning disability in residential care",
            cases, lambda r: r.ideal.rung <= 4, national["ld_residential_moves"]["share_moved"], s,
        ))  # fmt: skip
    if "short_term_services" in national:
        cases = [r for r in older if r.short_term_should_have]
        evidence.append(_uplift_evidence(cases, national["short_term_services"]["access_uplift"], s))
    hours_groups = {
        "ld_community_hours": ("18–64 with a learning disability at home or in supported living", ld, (3, 4), None),
        "front_door_community": ("all adults at the front door with home care or a direct payment", reviews, (3,),
                                 "front door"),
        "trusted_providers": ("65+ at annual review with home care or a direct payment", older, (3,), "annual review"),
    }  # fmt: skip
    for lever, (group, pool, rungs, point) in hours_groups.items():
        if lever in national:
            cases = same_rung_community([r for r in pool if point is None or r.decision_point == point], rungs)
            evidence.append(_hours_evidence(lever, group, cases, national[lever]["hours_reduction"], s))
    return evidence


def _shown(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:.4f}"


def calibrate(
    reviews: Sequence[Review],
    national: dict[str, dict[str, float]],
    source: str = "case reviews",
    prior_strength: float = PRIOR_STRENGTH,
) -> Scenario:
    """A scenario whose lever effects are the council's review evidence combined with the national values.

    Levers with no relevant reviewed cases are left out, so the models keep their national defaults.
    """
    levers: dict[str, LeverSettings] = {}
    skipped = []
    for item in lever_evidence(reviews, national, prior_strength):
        if item.cases == 0:
            skipped.append(item.lever)
            continue
        local_part = (
            "local value unbounded: nobody in the group was offered one"
            if item.local is None
            else f"local {item.local:.4f} (95% interval {_shown(item.local_low)}–{_shown(item.local_high)})"
        )
        detail = (
            f"{item.group}: n = {item.cases}"
            + (f", k = {item.successes}" if item.successes is not None else "")
            + f"; {local_part}; combined with the national {item.national:g}: {item.method}"
        )
        effect = Effect(
            central=item.central, low=item.low, high=item.high, provenance=Local(source=source, detail=detail)
        )
        levers.setdefault(item.lever, LeverSettings()).effects[item.effect] = effect
    description = (
        f"Lever effects from {len(reviews)} case reviews ({source}), each combined with the national value. "
        f"Shares: Beta prior centred on the national value, strength {prior_strength:g} pseudo-cases; "
        f"hours reductions: credibility weight n/(n+{prior_strength:g}). "
        + (f"No relevant cases for: {', '.join(skipped)} (national defaults apply)." if skipped else "")
    )
    return Scenario(name="local evidence from case reviews", description=description.strip(), levers=levers)
