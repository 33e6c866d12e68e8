"""Reserves and provisions rolled forward (opening → planned use → closing), and the capital programme."""

from __future__ import annotations

from careflow.finance.model import CapitalScheme, Reserve


def reserve_totals(reserves: tuple[Reserve, ...], kind: str | None = None) -> tuple[float, float, float]:
    """(opening, planned use, closing) in £ for one kind, or for all when kind is None."""
    chosen = [r for r in reserves if kind is None or r.kind == kind]
    opening = sum(r.opening_gbp for r in chosen)
    use = sum(r.planned_use_gbp for r in chosen)
    return opening, use, opening + use


def capital_totals(schemes: tuple[CapitalScheme, ...]) -> tuple[float, float, float]:
    """(current budget, forecast outturn, next year's draft budget) in £ for the programme."""
    return (
        sum(s.budget_gbp for s in schemes),
        sum(s.forecast_gbp for s in schemes),
        sum(s.next_year_budget_gbp for s in schemes),
    )
