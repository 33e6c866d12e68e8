"""Budget monitoring: variances, roll-ups at every level of the hierarchy and movement since the last period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from careflow.finance.model import BudgetLine, FinancePack, ForecastPosition, LineKind


@dataclass(frozen=True)
class Figures:
    """The money columns of one line or roll-up, in £ (None where the inputs do not give that column)."""

    budget_gbp: float
    forecast_gbp: float
    prior_year_actual_gbp: float | None
    prior_year_variance_gbp: float | None
    previous_variance_gbp: float | None

    @property
    def variance_gbp(self) -> float:
        return self.forecast_gbp - self.budget_gbp

    @property
    def movement_gbp(self) -> float | None:
        return None if self.previous_variance_gbp is None else self.variance_gbp - self.previous_variance_gbp


@dataclass(frozen=True)
class LineResult:
    """A budget line or group at the reporting period, with its roll-ups."""

    code: str
    name: str
    kind: LineKind
    parent: str | None
    depth: int
    children: tuple[str, ...]
    net: Figures
    expenditure: Figures | None  # groups only: the expenditure lines beneath
    income: Figures | None  # groups only: the income lines beneath
    commentary: str
    entered_at_group: tuple[str, ...]  # columns taken as entered on the group because its lines lack them
    source: str

    @property
    def variance_percent(self) -> float | None:
        return variance_percent(
            self.net.budget_gbp, self.net.forecast_gbp, "income" if self.kind == "income" else "net"
        )


@dataclass(frozen=True)
class Monitoring:
    period: int
    previous_period: int | None
    root: str
    order: tuple[str, ...]  # tree order: each group before its lines
    lines: dict[str, LineResult]

    def areas(self) -> list[LineResult]:
        return [self.lines[c] for c in self.lines[self.root].children]

    def descendants(self, code: str) -> list[LineResult]:
        result: list[LineResult] = []
        for child in self.lines[code].children:
            result.append(self.lines[child])
            result.extend(self.descendants(child))
        return result


def variance_percent(budget_gbp: float, forecast_gbp: float, basis: str) -> float | None:
    """Variance as a % of budget; for income on magnitudes, so more income collected shows as a positive %."""
    if abs(budget_gbp) < 1e-6:  # well under a penny: no budget to be a % of
        return None
    if basis == "income":
        return (abs(forecast_gbp) - abs(budget_gbp)) / abs(budget_gbp) * 100.0
    return (forecast_gbp - budget_gbp) / abs(budget_gbp) * 100.0


def _sum_optional(values: Iterable[float | None]) -> float | None:
    values = list(values)
    if not values or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _add(figures: list[Figures]) -> Figures | None:
    if not figures:
        return None
    return Figures(
        budget_gbp=sum(f.budget_gbp for f in figures),
        forecast_gbp=sum(f.forecast_gbp for f in figures),
        prior_year_actual_gbp=_sum_optional(f.prior_year_actual_gbp for f in figures),
        prior_year_variance_gbp=_sum_optional(f.prior_year_variance_gbp for f in figures),
        previous_variance_gbp=_sum_optional(f.previous_variance_gbp for f in figures),
    )


def reporting_periods(pack: FinancePack, period: int | None = None) -> tuple[int, int | None]:
    """The period reported and the one compared with (the settings' choice, else the latest earlier one recorded)."""
    current = period if period is not None else pack.settings.period
    previous = pack.settings.previous_period if period is None else None
    if previous is None:
        earlier = sorted({p.period for p in pack.positions if p.period < current})
        previous = earlier[-1] if earlier else None
    return current, previous


def monitor(pack: FinancePack, period: int | None = None) -> Monitoring:
    """Compute every line and roll-up for a period. Inputs are assumed validated (see `workbook.load`)."""
    current, previous = reporting_periods(pack, period)
    by_code: dict[str, BudgetLine] = {line.code: line for line in pack.lines}
    children: dict[str, list[str]] = {line.code: [] for line in pack.lines}
    for line in pack.lines:
        if line.parent:
            children[line.parent].append(line.code)
    positions: dict[tuple[str, int], ForecastPosition] = {(p.code, p.period): p for p in pack.positions}
    notes: dict[tuple[str, int], str] = {(c.code, c.period): c.text for c in pack.commentary}
    root = next(line.code for line in pack.lines if not line.parent)
    results: dict[str, LineResult] = {}
    order: list[str] = []
    # leaves' figures by kind, gathered per group for the expenditure / income split
    leaves_below: dict[str, list[tuple[LineKind, Figures]]] = {}

    def visit(code: str, depth: int) -> Figures:
        line = by_code[code]
        order.append(code)
        if line.kind != "group":
            position = positions[(code, current)]
            budget = line.budget_gbp or 0.0
            previous_variance = position.previous_variance_gbp
            if previous is not None and (code, previous) in positions:
                previous_variance = positions[(code, previous)].forecast_gbp - budget
            figures = Figures(
                budget,
                position.forecast_gbp,
                line.prior_year_actual_gbp,
                line.prior_year_variance_gbp,
                previous_variance,
            )
            results[code] = LineResult(
                code,
                line.name,
                line.kind,
                line.parent,
                depth,
                (),
                figures,
                None,
                None,
                notes.get((code, current), ""),
                (),
                line.source,
            )
            leaves_below[code] = [(line.kind, figures)]
            return figures
        child_figures = [visit(child, depth + 1) for child in children[code]]
        summed = _add(child_figures)
        assert summed is not None  # validation guarantees every group has lines
        entered: list[str] = []
        prior_actual, prior_variance = summed.prior_year_actual_gbp, summed.prior_year_variance_gbp
        # Some sources give a column only at group level (e.g. last year's actual for a whole area).
        if prior_actual is None and line.prior_year_actual_gbp is not None:
            prior_actual = line.prior_year_actual_gbp
            entered.append("prior_year_actual")
        if prior_variance is None and line.prior_year_variance_gbp is not None:
            prior_variance = line.prior_year_variance_gbp
            entered.append("prior_year_variance")
        net = Figures(
            summed.budget_gbp, summed.forecast_gbp, prior_actual, prior_variance, summed.previous_variance_gbp
        )
        below = [item for child in children[code] for item in leaves_below[child]]
        leaves_below[code] = below
        expenditure = _add([f for kind, f in below if kind == "expenditure"])
        income = _add([f for kind, f in below if kind == "income"])
        commentary = notes.get((code, current), "")
        results[code] = LineResult(
            code,
            line.name,
            "group",
            line.parent,
            depth,
            tuple(children[code]),
            net,
            expenditure,
            income,
            commentary,
            tuple(entered),
            line.source,
        )
        return net

    visit(root, 0)
    return Monitoring(current, previous, root, tuple(order), results)


def recorded_periods(pack: FinancePack) -> list[int]:
    return sorted({p.period for p in pack.positions})
