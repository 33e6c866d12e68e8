"""Local evidence into the model: case-review results as lever effects, combined with the national values.

One stated Bayesian rule for every effect (written into every scenario produced):

- Each effect is a fraction p with a Beta prior centred on the national value p0, Beta(s·p0, s·(1−p0)). The
  prior's strength s is an effective sample size: by default the number of cases whose Beta interval is as
  wide as the opportunity model's own low–high range for that effect (s = p0(1−p0)/σ² − 1, σ = range ÷ 3.92),
  so the prior says no more than the model already assumes; `prior_strength` overrides it.
- Shares (care-home admissions diverted, people with a learning disability moving out of residential care,
  people missing a short-term service): k of n local cases give the posterior Beta(s·p0 + k, s·(1−p0) + n − k).
- Hours reductions: each reviewed case counts as one trial whose success is its share of hours saved, so n cases
  with pooled reduction r add n·r successes and n·(1−r) failures.
- The short-term services uplift is carried as the share q not offered among those who should have been:
  uplift = q / (1 − q) (0.40 ⇔ q = 0.2857).
- Central value = posterior mean; range = exact 2.5th and 97.5th Beta percentiles (scipy). A lever with no cases
  keeps its prior. Fewer than `SMALL_SAMPLE` cases carry a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy.stats import beta as beta_distribution

from careflow.opportunity.parameters import LEVER, LEVERS
from careflow.outcomes.analysis import wilson_interval
from careflow.outcomes.reviews import CaseReview
from careflow.provenance import Assumed, Derived, Local, Provenance, Value
from careflow.scenario import Effect, LeverSettings, Scenario

Z95 = 1.959964  # the normal 97.5th percentile: a 95% interval spans ±1.96 standard deviations
SMALL_SAMPLE = 30  # fewer local cases than this: the interval is wide and the prior carries most of the weight

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
    successes: float | None  # shares: cases with the outcome; hours: cases × pooled reduction
    local: float | None
    local_low: float | None
    local_high: float | None
    national: float
    central: float
    low: float
    high: float
    method: str
    group: str
    prior_cases: float = 0.0  # the prior's effective sample size
    warning: str = ""


def _as_share(lever: str, value: float) -> float:
    """An effect on the fraction scale the Beta works on (the uplift as the share not offered)."""
    return value / (1 + value) if lever == "short_term_services" else value


def prior_strength(lever: str) -> Value:
    """Effective sample size of the national prior: the cases whose Beta interval is as wide as the model's range."""
    info = LEVER[lever]
    p0, low, high = (_as_share(lever, v.value) for v in (info.central, info.low, info.high))
    sigma = (high - low) / (2 * Z95)
    cases = max(p0 * (1 - p0) / sigma**2 - 1, 1.0) if sigma > 0 else 1.0
    return Value(
        value=cases,
        unit="cases",
        provenance=Derived(
            formula="p0(1 − p0) ÷ σ² − 1, σ = (high − low) ÷ 3.92: the cases a Beta prior centred on the national "
            "value needs for its 95% interval to span the opportunity model's low–high range",
            inputs={"national_share": p0, "low_share": low, "high_share": high},
        ),
    )


def _strength(lever: str, override: float | None) -> tuple[float, Provenance]:
    if override is None:
        value = prior_strength(lever)
        return value.value, value.provenance
    return override, Assumed(reason=f"prior strength set to {override:g} cases by the user")


def beta_posterior(p0: float, successes: float, n: int, strength: float) -> tuple[float, float, float]:
    """Posterior mean and exact 95% interval of Beta(s·p0 + k, s·(1−p0) + n − k)."""
    a = max(strength * p0 + successes, 1e-9)
    b = max(strength * (1 - p0) + (n - successes), 1e-9)
    low, high = beta_distribution.ppf([0.025, 0.975], a, b)
    return a / (a + b), float(low), float(high)


def _warning(n: int) -> str:
    if n == 0:
        return "no local cases: the national prior is kept"
    if n < SMALL_SAMPLE:
        return f"only {n} local case{'s' if n != 1 else ''}: the interval is wide and the national prior carries most weight"
    return ""


def _share_evidence(
    lever: str,
    effect: str,
    group: str,
    cases: Sequence[CaseReview],
    success: Callable[[CaseReview], bool],
    p0: float,
    override: float | None,
) -> LeverEvidence:
    n = len(cases)
    k = sum(1 for r in cases if success(r))
    s, _ = _strength(lever, override)
    central, low, high = beta_posterior(p0, k, n, s)
    wl, wh = wilson_interval(k, n)
    return LeverEvidence(
        lever, effect, n, k, k / n if n else None, wl if n else None, wh if n else None, p0, central, low, high,
        f"Beta prior centred on the national {p0:g}, worth {s:,.0f} cases; plus {k} of {n} local cases", group,
        prior_cases=s, warning=_warning(n),
    )  # fmt: skip


def _uplift_evidence(cases: Sequence[CaseReview], u0: float, override: float | None) -> LeverEvidence:
    """Short-term services access: the share of people who should have had one but were not offered it."""
    n = len(cases)
    missed = sum(1 for r in cases if not r.short_term_offered)
    q0 = u0 / (1 + u0)
    s, _ = _strength("short_term_services", override)
    q, q_low, q_high = beta_posterior(q0, missed, n, s)

    def uplift(share: float | None) -> float | None:
        # Nobody offered a service among those who should have been: the uplift has no upper bound
        return None if share is None or share >= 1 else share / (1 - share)

    wl, wh = wilson_interval(missed, n)
    central, low, high = uplift(q), uplift(q_low), uplift(q_high)
    assert central is not None and low is not None and high is not None  # Beta quantiles below 1 when b > 0
    return LeverEvidence(
        "short_term_services", "access_uplift", n, missed, uplift(missed / n) if n else None,
        uplift(wl) if n else None, uplift(wh) if n else None, u0, central, low, high,
        f"uplift = q/(1−q), q = share not offered; Beta prior on q centred on {q0:.4f} (the national {u0:g}), "
        f"worth {s:,.0f} cases; plus {missed} of {n} local cases",
        "65+ who should have been offered a short-term service", prior_cases=s, warning=_warning(n),
    )  # fmt: skip


def _hours_ratio(cases: Sequence[CaseReview]) -> float:
    actual = sum(r.actual.hours for r in cases)
    return min(1.0, max(0.0, 1 - sum(r.ideal.hours for r in cases) / actual)) if actual > 0 else 0.0


def _hours_evidence(
    lever: str, group: str, cases: Sequence[CaseReview], national: float, override: float | None
) -> LeverEvidence:
    n = len(cases)
    s, _ = _strength(lever, override)
    local = _hours_ratio(cases) if n else None
    successes = n * local if local is not None else 0.0
    central, low, high = beta_posterior(national, successes, n, s)
    local_low, local_high = beta_posterior(0.5, successes, n, 0.0)[1:] if n else (None, None)
    return LeverEvidence(
        lever, "hours_reduction", n, successes if n else None, local, local_low, local_high, national,
        central, low, high,
        f"Beta prior centred on the national {national:g}, worth {s:,.0f} cases; each of the {n} local cases "
        "counts as one trial whose success is its share of hours saved",
        group, prior_cases=s, warning=_warning(n),
    )  # fmt: skip


def lever_evidence(
    reviews: Sequence[CaseReview], national: dict[str, dict[str, float]], prior_strength: float | None = None
) -> list[LeverEvidence]:
    """The local evidence for each lever effect that case reviews can inform, combined with the national value."""
    s = prior_strength
    older = [r for r in reviews if r.age_band == "65+"]
    ld = [r for r in reviews if r.age_band == "18-64" and r.primary_support_reason == "learning disability support"]

    def same_rung_community(cases: Sequence[CaseReview], rungs: tuple[int, ...]) -> list[CaseReview]:
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
    reviews: Sequence[CaseReview],
    national: dict[str, dict[str, float]],
    source: str = "case reviews",
    prior_strength: float | None = None,
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
            + (f", k = {item.successes:g}" if item.successes is not None else "")
            + f"; {local_part}; combined with the national {item.national:g}: {item.method}"
            + (f". Warning: {item.warning}" if item.warning else "")
        )
        effect = Effect(
            central=item.central, low=item.low, high=item.high, provenance=Local(source=source, detail=detail)
        )
        levers.setdefault(item.lever, LeverSettings()).effects[item.effect] = effect
    strength = (
        "worth as many cases as make its 95% interval span the model's low–high range"
        if prior_strength is None
        else f"worth {prior_strength:g} cases"
    )
    description = (
        f"Lever effects from {len(reviews)} case reviews ({source}), each combined with the national value by "
        f"one rule: a Beta prior centred on the national value, {strength}; local cases added as trials; central "
        "value the posterior mean, range its exact 2.5th–97.5th percentiles. "
        + (f"No relevant cases for: {', '.join(skipped)} (national defaults apply)." if skipped else "")
    )
    return Scenario(name="local evidence from case reviews", description=description.strip(), levers=levers)
