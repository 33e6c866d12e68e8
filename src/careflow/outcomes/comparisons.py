"""Comparisons of a council's indicators with published figures, like for like or saying plainly why not.

Each comparison labels both sides with their period and definition ("Yours 644.7 (2017-07, social-care delayed
days) vs 115 (December 2014, all delayed days, average county council)"). A comparison is like for like only
when the period and the definition are the same; otherwise each difference is named.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from careflow.outcomes.ascof import COUNCIL_TYPE_ROWS, ENGLAND, Published, PublishedAscof, council_type_of
from careflow.outcomes.indicators import (
    BY_ID,
    Indicator,
    IndicatorResult,
    MonthlyData,
    financial_year_value,
    format_value,
    month_label,
)
from careflow.outcomes.references import TYPE_LABEL, ReferenceValue


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a value with its period, its definition, and who it belongs to."""

    who: str
    value: float | None
    period: str
    definition: str
    source: str = ""


@dataclass(frozen=True)
class Comparison:
    indicator: str  # careflow indicator id, or the reference's topic when no indicator matches
    topic: str
    unit: str
    yours: Side
    theirs: Side
    differences: tuple[str, ...] = ()  # empty: like for like
    peers: tuple[Side, ...] = field(default=())  # nearest neighbours' published values, nearest first

    @property
    def like_for_like(self) -> bool:
        return not self.differences

    def verdict(self) -> str:
        if self.yours.value is None:
            return "not comparable: you have no value for this period"
        if self.like_for_like:
            return "like for like: same period and definition"
        return "not like for like: " + "; ".join(self.differences)

    def sentence(self) -> str:
        """'Yours 644.7 (2017-07, …) vs 115 (December 2014, …)', then the verdict."""
        mine = format_value(self.yours.value, self.unit)
        theirs = format_value(self.theirs.value, self.unit)
        return (
            f"Yours {mine} ({self.yours.period}, {self.yours.definition}) vs {theirs} "
            f"({self.theirs.who}, {self.theirs.period}, {self.theirs.definition}) — {self.verdict()}."
        )

    def peer_summary(self) -> str:
        values = sorted(p.value for p in self.peers if p.value is not None)
        if not values:
            return ""
        text = (
            f"{len(values)} nearest neighbours: median {format_value(statistics.median(values), self.unit)}, "
            f"range {format_value(values[0], self.unit)} to {format_value(values[-1], self.unit)}"
        )
        if self.yours.value is not None and self.like_for_like:
            higher = sum(1 for v in values if v > self.yours.value)
            text += f"; yours would rank {higher + 1} of {len(values) + 1} (1 = highest)"
        return text


def reference_comparisons(
    references: Sequence[ReferenceValue], results: Sequence[IndicatorResult], own: dict[str, Side]
) -> list[Comparison]:
    """The printed reference values (by council type) beside the council's latest value, each difference named.

    `own` holds the council's side for references that are not indicators (e.g. growth in delayed days)."""
    latest = {r.indicator.id: r for r in results}
    out = []
    for ref in references:
        if ref.indicator is None:
            continue
        result = latest.get(ref.indicator)
        if result is not None:
            i = result.indicator
            yours = Side("yours", result.latest.value, result.latest.month, i.name.lower())
            unit = i.unit
        elif ref.indicator in own:
            yours, unit = own[ref.indicator], "%"
        else:
            continue  # the council does not track the indicator this reference is for
        theirs = Side(TYPE_LABEL[ref.council_type], ref.value.value, ref.period, ref.definition or ref.topic,
                      ref.value.describe())  # fmt: skip
        differences = []
        if yours.period != theirs.period:
            differences.append(f"different period (yours {yours.period}, theirs {theirs.period})")
        if ref.caveat:
            differences.append(f"different definition ({ref.caveat})")
        out.append(Comparison(ref.indicator, ref.topic, unit, yours, theirs, tuple(differences)))
    return out


def ascof_comparisons(
    results: Sequence[IndicatorResult],
    data: MonthlyData,
    published: PublishedAscof,
    council_code: str | None,
    peers: Sequence[str] = (),
) -> list[Comparison]:
    """Each tracked refreshed-ASCOF indicator beside DHSC's published outcomes: the council's own published value
    (a check on the monthly data), England and the council's type, with its nearest neighbours' values.

    Like for like when careflow can compute the council's value over the published financial year from the
    monthly data; otherwise the council's latest value is shown and the period difference named."""
    out = []
    for result in results:
        i = result.indicator
        if i.ascof is None:
            continue
        areas = [(council_code, published.names.get(council_code or "", "your council's published value")),
                 (ENGLAND, "England")]  # fmt: skip
        kind = council_type_of(council_code or "")
        if kind:
            areas.append((kind, f"{COUNCIL_TYPE_ROWS[kind]} (average)"))
        first = True
        for area, who in areas:
            found = published.latest(i.ascof, area) if area else None
            if found is None:
                continue
            # the nearest neighbours go with the first comparator shown, once per indicator
            out.append(_ascof_comparison(i, result, data, found, who, published, peers if first else ()))
            first = False
    return out


def _ascof_comparison(
    i: Indicator,
    result: IndicatorResult,
    data: MonthlyData,
    found: Published,
    who: str,
    published: PublishedAscof,
    peers: Sequence[str],
) -> Comparison:
    theirs = Side(who, found.value, f"financial year {found.year}", f"ASCOF {i.ascof} as published", found.cite())
    value, why = financial_year_value(i, data, found.financial_year_end)
    differences: list[str] = []
    if value is not None:
        yours = Side("yours", value, f"financial year {found.year}", f"ASCOF {i.ascof} from your monthly data")
    else:
        yours = Side("yours", result.latest.value, result.latest.month, f"ASCOF {i.ascof} from your monthly data")
        differences.append(
            f"different period: yours is {_period_of(i, result.latest.month)}, theirs the financial year "
            f"{found.year} ({why})"
        )
    if i.basis == "stock" and str(i.ascof).startswith("2E"):
        # DHSC counts people supported at any time in the year; a month-end count is the nearest monthly figure
        differences.append("different definition: yours counts people at 31 March, theirs anyone supported in the year")
    peer_sides = tuple(
        Side(published.names.get(code, code), p.value, f"financial year {p.year}", f"ASCOF {i.ascof} as published")
        for code in peers
        if (p := published.in_year(str(i.ascof), code, found.year)) is not None
    )
    return Comparison(i.id, i.name, i.unit, yours, theirs, tuple(differences), peer_sides)


def _period_of(indicator: Indicator, month: str) -> str:
    if indicator.window == 12:
        return f"the 12 months to {month}"
    return f"the month {month}" if indicator.basis == "flow" else f"the end of {month}"


def delayed_growth(data: MonthlyData) -> Side | None:
    """Growth in social-care delayed days from the council's first to its last month with a value, as a %."""
    series = data.values.get(("delayed_days_social_care", ""), {})
    if len(series) < 2 or not series[min(series)]:
        return None
    first, last = series[min(series)], series[max(series)]
    period = f"{month_label(min(series))} – {month_label(max(series))}"
    return Side("yours", (last - first) / first * 100, period, "growth in social-care delayed days")


def ascof_codes(tracked: Sequence[str] | None = None) -> tuple[str, ...]:
    """The refreshed ASCOF codes among the tracked indicators (all when none are named)."""
    chosen = [BY_ID[t] for t in tracked] if tracked else list(BY_ID.values())
    return tuple(i.ascof for i in chosen if i.ascof)
