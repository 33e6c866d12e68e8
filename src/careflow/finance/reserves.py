"""Reserves and provisions rolled forward (opening → planned use → closing), and the capital programme."""

from __future__ import annotations

from dataclasses import dataclass

from careflow.finance.model import CapitalScheme, Reserve


@dataclass(frozen=True)
class ReserveResult:
    reserve: Reserve

    @property
    def closing(self) -> float:
        return self.reserve.opening + self.reserve.planned_use


def reserve_totals(reserves: tuple[Reserve, ...], kind: str | None = None) -> tuple[float, float, float]:
    """(opening, planned use, closing) for one kind, or for all when kind is None."""
    chosen = [r for r in reserves if kind is None or r.kind == kind]
    opening = sum(r.opening for r in chosen)
    use = sum(r.planned_use for r in chosen)
    return opening, use, opening + use


def capital_totals(schemes: tuple[CapitalScheme, ...]) -> tuple[float, float, float]:
    """(current budget, forecast outturn, next year's draft budget) for the programme."""
    return (
        sum(s.budget for s in schemes),
        sum(s.forecast for s in schemes),
        sum(s.next_year_budget for s in schemes),
    )
