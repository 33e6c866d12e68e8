"""The savings programme: variance, on/off target and RAG status, roll-ups by workstream and year, gross and net."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from careflow.finance.model import FinancePack, Saving

Rag = Literal["green", "amber", "red"]


@dataclass(frozen=True)
class SavingResult:
    """One saving in the current year. Savings are negative (a reduction in spend), as councils print them."""

    saving: Saving
    forecast: float
    variance: float  # forecast − target: positive is a shortfall
    delivered_percent: float | None
    on_target: bool
    rag: Rag


@dataclass(frozen=True)
class YearRequirement:
    """How a year's agreed gross savings become the service's target and its net savings."""

    year: str
    target: float  # the sum of the savings' targets for the year
    in_target_adjustments: float  # amounts added to the target beyond what was agreed (e.g. one-off funding to replace)
    reversals: float  # agreed savings reversed (e.g. moved to a later year); reduces the net saving
    gross_agreed: float
    net: float


@dataclass(frozen=True)
class SavingsProgramme:
    year: str
    results: tuple[SavingResult, ...]
    by_workstream_year: dict[tuple[str, str, str], float]  # (programme, workstream, year) → target
    years: tuple[str, ...]
    requirements: tuple[YearRequirement, ...]

    def total(self, on_target: bool | None = None) -> tuple[float, float, float]:
        chosen = [r for r in self.results if on_target is None or r.on_target == on_target]
        target = sum(r.saving.target for r in chosen)
        forecast = sum(r.forecast for r in chosen)
        return target, forecast, forecast - target

    def by_rag(self) -> dict[Rag, tuple[float, float, int]]:
        out: dict[Rag, tuple[float, float, int]] = {}
        for rag in ("green", "amber", "red"):
            chosen = [r for r in self.results if r.rag == rag]
            out[rag] = (sum(r.saving.target for r in chosen), sum(r.forecast for r in chosen), len(chosen))
        return out

    @property
    def at_risk(self) -> float:
        """Savings not forecast to be delivered this year (a positive amount)."""
        return sum(max(r.variance, 0.0) for r in self.results)


def rag_status(target: float, forecast: float, green_percent: float, amber_percent: float) -> tuple[float | None, Rag]:
    """Share of the target forecast to be delivered, and its RAG: green ≥ green%, amber ≥ amber%, else red."""
    if abs(target) < 1e-12:
        return None, "green"  # nothing to deliver
    delivered = forecast / target * 100.0
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
        forecast = saving.forecast if saving.forecast is not None else saving.target
        delivered, rag = rag_status(saving.target, forecast, settings.rag_green_percent, settings.rag_amber_percent)
        on_target = delivered is None or delivered >= 100.0 - 1e-9
        results.append(SavingResult(saving, forecast, forecast - saving.target, delivered, on_target, rag))
    years = tuple(sorted({s.year for s in pack.savings} | {a.year for a in pack.savings_adjustments}))
    grouped: dict[tuple[str, str, str], float] = {}
    for saving in pack.savings:
        key = (saving.programme, saving.workstream, saving.year)
        grouped[key] = grouped.get(key, 0.0) + saving.target
    requirements = []
    for y in years:
        target = sum(s.target for s in pack.savings if s.year == y)
        added = sum(a.amount for a in pack.savings_adjustments if a.year == y and a.treatment == "in_target")
        reversed_ = sum(a.amount for a in pack.savings_adjustments if a.year == y and a.treatment == "reversal")
        gross = target - added
        requirements.append(YearRequirement(y, target, added, reversed_, gross, gross + reversed_))
    return SavingsProgramme(year, tuple(results), grouped, years, tuple(requirements))
