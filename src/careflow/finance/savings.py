"""The savings programme: variance, on/off target and RAG status, roll-ups by workstream and year, gross and net."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from careflow.finance.model import FinancePack, Saving

Rag = Literal["green", "amber", "red"]


@dataclass(frozen=True)
class SavingResult:
    """One saving in the current year, in £. Savings are negative (a reduction in spend), as councils print them."""

    saving: Saving
    forecast_gbp: float
    variance_gbp: float  # forecast − target: positive is a shortfall
    delivered_percent: float | None
    on_target: bool
    rag: Rag


@dataclass(frozen=True)
class YearRequirement:
    """How a year's agreed gross savings become the service's target and its net savings, in £."""

    year: str
    target_gbp: float  # the sum of the savings' targets for the year
    in_target_adjustments_gbp: float  # added to the target beyond what was agreed (e.g. one-off funding to replace)
    reversals_gbp: float  # agreed savings reversed (e.g. moved to a later year); reduces the net saving
    gross_agreed_gbp: float
    net_gbp: float


@dataclass(frozen=True)
class SavingsProgramme:
    year: str
    results: tuple[SavingResult, ...]
    targets_gbp: dict[tuple[str, str, str], float]  # (programme, workstream, year) → target, £
    years: tuple[str, ...]
    requirements: tuple[YearRequirement, ...]

    def total(self, on_target: bool | None = None) -> tuple[float, float, float]:
        """(target, forecast, variance) in £, for the savings on or off target, or all of them."""
        chosen = [r for r in self.results if on_target is None or r.on_target == on_target]
        target = sum(r.saving.target_gbp for r in chosen)
        forecast = sum(r.forecast_gbp for r in chosen)
        return target, forecast, forecast - target

    def by_rag(self) -> dict[Rag, tuple[float, float, int]]:
        """RAG → (target £, forecast £, how many savings)."""
        out: dict[Rag, tuple[float, float, int]] = {}
        for rag in ("green", "amber", "red"):
            chosen = [r for r in self.results if r.rag == rag]
            out[rag] = (sum(r.saving.target_gbp for r in chosen), sum(r.forecast_gbp for r in chosen), len(chosen))
        return out

    @property
    def at_risk_gbp(self) -> float:
        """Savings not forecast to be delivered this year (a positive amount)."""
        return sum(max(r.variance_gbp, 0.0) for r in self.results)


def rag_status(
    target_gbp: float, forecast_gbp: float, green_percent: float, amber_percent: float
) -> tuple[float | None, Rag]:
    """Share of the target forecast to be delivered, and its RAG: green ≥ green%, amber ≥ amber%, else red."""
    if abs(target_gbp) < 1e-6:  # well under a penny
        return None, "green"  # nothing to deliver
    delivered = forecast_gbp / target_gbp * 100.0
    # a hair of tolerance so a forecast equal to its target on paper is never marked short by float noise
    if delivered >= green_percent - 1e-9:
        return delivered, "green"
    if delivered >= amber_percent - 1e-9:
        return delivered, "amber"
    return delivered, "red"


def savings_programme(pack: FinancePack) -> SavingsProgramme:
    settings = pack.settings
    year = settings.savings_year or settings.financial_year
    results = []
    for saving in pack.savings:
        if saving.year != year:
            continue
        forecast = saving.forecast_gbp if saving.forecast_gbp is not None else saving.target_gbp
        delivered, rag = rag_status(saving.target_gbp, forecast, settings.rag_green_percent, settings.rag_amber_percent)
        on_target = delivered is None or delivered >= 100.0 - 1e-9
        results.append(SavingResult(saving, forecast, forecast - saving.target_gbp, delivered, on_target, rag))
    years = tuple(sorted({s.year for s in pack.savings} | {a.year for a in pack.savings_adjustments}))
    grouped: dict[tuple[str, str, str], float] = {}
    for saving in pack.savings:
        key = (saving.programme, saving.workstream, saving.year)
        grouped[key] = grouped.get(key, 0.0) + saving.target_gbp
    requirements = []
    for y in years:
        target = sum(s.target_gbp for s in pack.savings if s.year == y)
        adjustments = [a for a in pack.savings_adjustments if a.year == y]
        added = sum(a.amount_gbp for a in adjustments if a.treatment == "in_target")
        reversed_ = sum(a.amount_gbp for a in adjustments if a.treatment == "reversal")
        gross = target - added
        requirements.append(YearRequirement(y, target, added, reversed_, gross, gross + reversed_))
    return SavingsProgramme(year, tuple(results), grouped, years, tuple(requirements))
