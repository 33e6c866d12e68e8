"""Every table of the committee report, computed from the pack, with printed figures compared and differences flagged.

Money cells hold £ (columns of kind "gbp"); the renderers show them as £m to three decimals, as the source prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from careflow.finance.model import FinancePack, PrintedFigure
from careflow.finance.money import gbp_from_millions, millions_from_gbp
from careflow.finance.monitoring import Figures, LineResult, Monitoring, monitor, variance_percent
from careflow.finance.mtfs import CATEGORY_ORDER, MediumTermGap, medium_term_gap
from careflow.finance.reserves import capital_totals, reserve_totals
from careflow.finance.savings import SavingsProgramme, savings_programme

ColumnKind = Literal["gbp", "percent", "text", "count"]  # gbp: money, held in £
RowStyle = Literal["line", "subtotal", "total"]
# The source rounds each figure to £0.001m (or 0.01%), so its sums can drift this far, in the column's unit.
ROUNDING_TOLERANCE = {"gbp": 2_000.0, "percent": 0.02}
DECIMALS = {"gbp": 3, "percent": 2}  # as printed and shown: money in £m to 3 decimals, percentages to 2


def shown_number(value: float, kind: str) -> float:
    """A cell's value in the unit the paper prints it in: £m for money, as it is for anything else."""
    return millions_from_gbp(value) if kind == "gbp" else value


@dataclass(frozen=True)
class ReportColumn:
    heading: str
    measure: str
    kind: ColumnKind = "gbp"


@dataclass
class ReportRow:
    label: str
    item: str
    values: dict[str, Any]
    style: RowStyle = "line"
    rag: str | None = None
    indent: int = 0
    source: str = ""  # where an entered row's figures came from; blank for computed totals


@dataclass
class ReportTable:
    key: str
    title: str
    namespace: str  # the `table` name used on the printed sheet
    label_heading: str
    columns: list[ReportColumn]
    rows: list[ReportRow]
    note: str = ""


@dataclass(frozen=True)
class PrintedFigureFlag:
    """A printed figure that differs from the computed one once both are shown to the printed precision.

    Both are in the column's unit: £ for money (the printed £m converted), % for percentages."""

    namespace: str
    item: str
    measure: str
    printed: float
    computed: float | None
    source: str
    kind: ColumnKind

    @property
    def difference(self) -> float | None:
        return None if self.computed is None else self.computed - self.printed

    @property
    def nature(self) -> str:
        if self.difference is None:
            return "not computed"
        tolerance = ROUNDING_TOLERANCE.get(self.kind, 0.002)
        # a hair more for float noise, so a difference of exactly the tolerance is still rounding: £0.001 or 1e-9%
        margin = 1e-3 if self.kind == "gbp" else 1e-9
        return "rounding" if abs(self.difference) <= tolerance + margin else "inconsistent"

    def describe(self) -> str:
        unit = "%" if self.kind == "percent" else ""
        decimals = DECIMALS.get(self.kind, 3)
        computed = self.computed
        shown = "not computed" if computed is None else f"{shown_number(computed, self.kind):,.{decimals}f}{unit}"
        where = f" ({self.source})" if self.source else ""
        difference = self.difference
        diff = (
            ""
            if difference is None
            else f"; difference {shown_number(difference, self.kind):+.{decimals}f} ({self.nature})"
        )
        return f"printed {shown_number(self.printed, self.kind):,.{decimals}f}{unit}{where}; computed {shown}{diff}"


@dataclass
class FinanceReport:
    """All the tables, the flags on them and the headline facts for the executive summary."""

    pack: FinancePack
    monitoring: Monitoring
    savings: SavingsProgramme | None
    gap: MediumTermGap | None
    tables: list[ReportTable]
    flags: dict[tuple[str, str, str], PrintedFigureFlag] = field(default_factory=dict)
    unmatched: list[PrintedFigure] = field(default_factory=list)

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)

    def figure(self, namespace: str, item: str, measure: str) -> Any:
        for t in self.tables:
            if t.namespace != namespace:
                continue
            for r in t.rows:
                if r.item == item and measure in r.values:
                    return r.values[measure]
        raise KeyError((namespace, item, measure))


MONITORING_COLUMNS = [
    ReportColumn("Actual last year", "prior_year_actual"),
    ReportColumn("Over/(under) at last outturn", "prior_year_variance"),
    ReportColumn("Budget", "budget"),
    ReportColumn("Forecast outturn", "forecast"),
    ReportColumn("Variance", "variance"),
    ReportColumn("Variance %", "variance_percent", "percent"),
    ReportColumn("Variance at previous period", "previous_variance"),
    ReportColumn("Movement", "movement"),
]


def _figures_values(f: Figures, basis: str) -> dict[str, Any]:
    return {
        "prior_year_actual": f.prior_year_actual_gbp,
        "prior_year_variance": f.prior_year_variance_gbp,
        "budget": f.budget_gbp,
        "forecast": f.forecast_gbp,
        "variance": f.variance_gbp,
        "variance_percent": variance_percent(f.budget_gbp, f.forecast_gbp, basis),
        "previous_variance": f.previous_variance_gbp,
        "movement": f.movement_gbp,
    }


def _line_row(line: LineResult, style: RowStyle = "line", indent: int = 0, label: str | None = None) -> ReportRow:
    basis = "income" if line.kind == "income" else "net"
    source = line.source if line.kind != "group" else ""
    return ReportRow(
        label or line.name, line.code, _figures_values(line.net, basis), style, indent=indent, source=source
    )


def monitoring_tables(m: Monitoring, period_label: str) -> list[ReportTable]:
    root = m.lines[m.root]
    summary = [_line_row(area) for area in m.areas()]
    summary.append(_line_row(root, "total", label=f"Total net expenditure — {root.name}"))
    tables = [
        ReportTable(
            "summary",
            f"Summary by area, {period_label}",
            "budget",
            "Area",
            MONITORING_COLUMNS,
            summary,
            "Variance = forecast − budget. Variance % is of the budget; for income it is on magnitudes, so more "
            "income than budgeted shows as a positive %.",
        )
    ]
    for area in m.areas():
        if not area.children:
            continue
        rows: list[ReportRow] = []
        mixed = area.expenditure is not None and area.income is not None
        for child in area.children:
            _detail_rows(m, child, 0, "expenditure", rows)
        if mixed and area.expenditure is not None:
            rows.append(
                ReportRow(
                    "Total expenditure",
                    f"{area.code}.expenditure",
                    _figures_values(area.expenditure, "net"),
                    "subtotal",
                )
            )
        for child in area.children:
            _detail_rows(m, child, 0, "income", rows)
        if mixed and area.income is not None:
            rows.append(
                ReportRow("Total income", f"{area.code}.income", _figures_values(area.income, "income"), "subtotal")
            )
        rows.append(_line_row(area, "total", label=f"Net expenditure — {area.name}" if mixed else f"Total {area.name}"))
        tables.append(
            ReportTable(
                f"detail-{area.code}",
                f"{area.name}: detail, {period_label}",
                "budget",
                "Line",
                MONITORING_COLUMNS,
                rows,
            )
        )
    commentary = [
        ReportRow(m.lines[c].name, c, {"variance": m.lines[c].net.variance_gbp, "commentary": m.lines[c].commentary})
        for c in m.order
        if m.lines[c].commentary
    ]
    if commentary:
        tables.append(
            ReportTable(
                "commentary",
                "Explanation of variances",
                "budget",
                "Line or area",
                [ReportColumn("Variance", "variance"), ReportColumn("Explanation", "commentary", "text")],
                commentary,
            )
        )
    return tables


def _detail_rows(m: Monitoring, code: str, depth: int, kind: str, rows: list[ReportRow]) -> None:
    """Lines of one kind in tree order; a group's subtotal follows its lines when they are all of that kind."""
    line = m.lines[code]
    if line.kind == "group":
        for child in line.children:
            if _has_kind(m, child, kind):
                _detail_rows(m, child, depth + 1, kind, rows)
        if _pure(m, code, kind):
            rows.append(_line_row(line, "subtotal", depth, f"Total {line.name}"))
    elif line.kind == kind:
        rows.append(_line_row(line, "line", depth))


def _has_kind(m: Monitoring, code: str, kind: str) -> bool:
    line = m.lines[code]
    if line.kind != "group":
        return line.kind == kind
    return any(_has_kind(m, c, kind) for c in line.children)


def _pure(m: Monitoring, code: str, kind: str) -> bool:
    """A group whose lines are all of one kind, so its net total is that kind's subtotal."""
    line = m.lines[code]
    return (line.income is None) if kind == "expenditure" else (line.expenditure is None)


def period_comparison(pack: FinancePack, m: Monitoring) -> ReportTable | None:
    """Variance by area at each period recorded in full (every line has a forecast)."""
    leaves = {line.code for line in pack.lines if line.kind != "group"}
    complete = [
        p
        for p in sorted({x.period for x in pack.positions})
        if leaves <= {x.code for x in pack.positions if x.period == p}
    ]
    if len(complete) < 2:
        return None
    by_period = {p: monitor(pack, p) for p in complete}
    rows = []
    for code in [*m.lines[m.root].children, m.root]:
        values = {f"P{p}": by_period[p].lines[code].net.variance_gbp for p in complete}
        rows.append(ReportRow(m.lines[code].name, code, values, "total" if code == m.root else "line"))
    columns = [ReportColumn(f"Variance at P{p}", f"P{p}") for p in complete]
    return ReportTable("periods", "Variance by period", "budget-periods", "Area", columns, rows)


def savings_tables(s: SavingsProgramme, pack: FinancePack, m: Monitoring) -> list[ReportTable]:
    tables: list[ReportTable] = []
    money3 = [
        ReportColumn("Target", "target"),
        ReportColumn("Forecast", "forecast"),
        ReportColumn("Variance", "variance"),
    ]
    rows = []
    for label, item, flag in (("Savings off target", "off_target", False), ("Savings on target", "on_target", True)):
        t, f, v = s.total(flag)
        rows.append(ReportRow(label, item, {"target": t, "forecast": f, "variance": v}))
    t, f, v = s.total()
    rows.append(ReportRow("Total savings", "total", {"target": t, "forecast": f, "variance": v}, "total"))
    tables.append(
        ReportTable(
            "savings-summary",
            f"Savings {s.year}: on and off target",
            "savings",
            "Savings",
            money3,
            rows,
            "Savings are negative (a reduction in spend). Variance = forecast − target; a positive variance is a shortfall.",
        )
    )
    detail: list[ReportRow] = []
    workstreams: list[str] = []
    for r in s.results:
        if r.saving.workstream not in workstreams:
            workstreams.append(r.saving.workstream)
    for ws in workstreams:
        chosen = [r for r in s.results if r.saving.workstream == ws]
        for r in chosen:
            detail.append(
                ReportRow(
                    r.saving.description,
                    r.saving.code,
                    {
                        "workstream": ws,
                        "target": r.saving.target_gbp,
                        "forecast": r.forecast_gbp,
                        "variance": r.variance_gbp,
                        "delivered_percent": r.delivered_percent,
                        "status": "on target" if r.on_target else "off target",
                        "rag": r.rag.upper(),
                    },
                    rag=r.rag,
                    source=r.saving.source,
                )
            )
        t = sum(r.saving.target_gbp for r in chosen)
        f = sum(r.forecast_gbp for r in chosen)
        detail.append(
            ReportRow(
                f"Total {ws}",
                f"workstream:{ws}",
                {"workstream": ws, "target": t, "forecast": f, "variance": f - t},
                "subtotal",
            )
        )
    t, f, v = s.total()
    detail.append(ReportRow("Total", "total", {"target": t, "forecast": f, "variance": v}, "total"))
    green, amber = pack.settings.rag_green_percent, pack.settings.rag_amber_percent
    tables.append(
        ReportTable(
            "savings-detail",
            f"Savings appendix: delivery status {s.year}",
            "savings",
            "Saving",
            [
                ReportColumn("Workstream", "workstream", "text"),
                *money3,
                ReportColumn("Forecast as % of target", "delivered_percent", "percent"),
                ReportColumn("Status", "status", "text"),
                ReportColumn("RAG", "rag", "text"),
            ],
            detail,
            f"RAG: green when the forecast is at least {green:g}% of the target, amber at least {amber:g}%, red below.",
        )
    )
    rag_rows = [
        ReportRow(rag.capitalize(), f"rag:{rag}", {"count": n, "target": t, "forecast": f, "variance": f - t}, rag=rag)
        for rag, (t, f, n) in s.by_rag().items()
    ]
    tables.append(
        ReportTable(
            "savings-rag",
            "Savings by RAG status",
            "savings",
            "Status",
            [ReportColumn("Savings", "count", "count"), *money3],
            rag_rows,
        )
    )
    years = list(s.years)
    ws_rows = []
    keys: list[tuple[str, str]] = []
    for programme, workstream, _year in s.targets_gbp:
        if (programme, workstream) not in keys:
            keys.append((programme, workstream))
    for programme, workstream in keys:
        values: dict[str, Any] = {y: s.targets_gbp.get((programme, workstream, y), 0.0) for y in years}
        values["programme"] = programme
        ws_rows.append(ReportRow(workstream, f"{programme}/{workstream}", values))
    totals: dict[str, Any] = {y: sum(v for (_, _, yy), v in s.targets_gbp.items() if yy == y) for y in years}
    ws_rows.append(ReportRow("Total", "total-by-year", totals, "total"))
    year_columns = [ReportColumn(y, y) for y in years]
    tables.append(
        ReportTable(
            "savings-by-workstream",
            "Savings targets by programme, workstream and year",
            "savings",
            "Workstream",
            [ReportColumn("Programme", "programme", "text"), *year_columns],
            ws_rows,
        )
    )
    req = {r.year: r for r in s.requirements}
    tables.append(
        ReportTable(
            "savings-requirement",
            "Gross and net savings requirement",
            "savings",
            "",
            year_columns,
            [
                ReportRow("Agreed gross savings", "gross", {y: req[y].gross_agreed_gbp for y in years}),
                ReportRow(
                    "Add: further savings in the target (e.g. replacing one-off funding)",
                    "in_target",
                    {y: req[y].in_target_adjustments_gbp for y in years},
                ),
                ReportRow("Target service savings", "target", {y: req[y].target_gbp for y in years}, "total"),
                ReportRow(
                    "Agreed savings reversed (reduce the net saving)",
                    "reversal",
                    {y: req[y].reversals_gbp for y in years},
                ),
                ReportRow("Net savings", "net", {y: req[y].net_gbp for y in years}, "total"),
            ],
            "Net savings = agreed gross savings + reversals (reversed savings are positive amounts).",
        )
    )
    settings = pack.settings
    risk_rows = [ReportRow("Savings at risk this year (forecast shortfall)", "at_risk", {"amount": s.at_risk_gbp})]
    if settings.contingency_amount_gbp is not None:
        risk_rows.append(
            ReportRow(
                "Contingency held in the forecast for savings at risk",
                "contingency",
                {"amount": settings.contingency_amount_gbp},
            )
        )
        risk_rows.append(
            ReportRow(
                "Savings at risk not covered by the contingency",
                "uncovered",
                {"amount": s.at_risk_gbp - settings.contingency_amount_gbp},
                "total",
            )
        )
    if settings.contingency_line and settings.contingency_line in m.lines:
        line = m.lines[settings.contingency_line]
        risk_rows.append(
            ReportRow(
                f"Forecast variance on {line.name}, where the contingency sits",
                "contingency_line",
                {"amount": line.net.variance_gbp},
            )
        )
    tables.append(
        ReportTable(
            "savings-risk",
            "Savings at risk and the forecast's contingency",
            "savings",
            "",
            [ReportColumn("£m", "amount")],
            risk_rows,
            "The forecast outturn already allows for savings off target; a contingency covers part of the risk that more slips.",
        )
    )
    return tables


def reserves_table(pack: FinancePack) -> ReportTable:
    columns = [
        ReportColumn("Opening balance", "opening"),
        ReportColumn("Planned use", "planned_use"),
        ReportColumn("Closing balance", "closing"),
    ]
    rows: list[ReportRow] = []
    for kind, label in (("provision", "provisions"), ("reserve", "reserves")):
        for r in pack.reserves:
            if r.kind == kind:
                rows.append(
                    ReportRow(
                        r.name,
                        r.code,
                        {
                            "opening": r.opening_gbp,
                            "planned_use": r.planned_use_gbp,
                            "closing": r.opening_gbp + r.planned_use_gbp,
                        },
                        source=r.source,
                    )
                )
        o, u, c = reserve_totals(pack.reserves, kind)
        rows.append(ReportRow(f"Total {label}", kind, {"opening": o, "planned_use": u, "closing": c}, "subtotal"))
    o, u, c = reserve_totals(pack.reserves)
    rows.append(
        ReportRow("Total reserves and provisions", "total", {"opening": o, "planned_use": u, "closing": c}, "total")
    )
    return ReportTable(
        "reserves",
        "Reserves and provisions",
        "reserves",
        "Reserve or provision",
        columns,
        rows,
        "Closing = opening + planned use.",
    )


def capital_table(pack: FinancePack) -> ReportTable:
    columns = [
        ReportColumn("Current budget", "budget"),
        ReportColumn("Forecast outturn", "forecast"),
        ReportColumn("Variance", "variance"),
        ReportColumn("Next year's draft budget", "next_year_budget"),
        ReportColumn("Programme (this year + next)", "programme"),
    ]
    rows = [
        ReportRow(
            s.scheme,
            s.code,
            {
                "budget": s.budget_gbp,
                "forecast": s.forecast_gbp,
                "variance": s.forecast_gbp - s.budget_gbp,
                "next_year_budget": s.next_year_budget_gbp,
                "programme": s.budget_gbp + s.next_year_budget_gbp,
            },
            source=s.source,
        )
        for s in pack.capital
    ]
    b, f, n = capital_totals(pack.capital)
    rows.append(
        ReportRow(
            "Total",
            "total",
            {"budget": b, "forecast": f, "variance": f - b, "next_year_budget": n, "programme": b + n},
            "total",
        )
    )
    return ReportTable("capital", "Capital programme", "capital", "Scheme", columns, rows)


CATEGORY_LABELS = {
    "previous_gap": "Gap brought forward",
    "pressure": "New pressures",
    "funding": "Funding changes",
    "savings_change": "Changes to agreed savings",
    "new_savings": "New savings identified",
}


def mtfs_tables(g: MediumTermGap, pack: FinancePack) -> list[ReportTable]:
    years = list(g.years)
    columns = [*(ReportColumn(y, y) for y in years), ReportColumn("Total", "total")]

    def values(by_year: dict[str, float]) -> dict[str, Any]:
        out: dict[str, Any] = {y: by_year.get(y, 0.0) for y in years}
        out["total"] = sum(by_year.get(y, 0.0) for y in years)
        return out

    by_category = g.by_category_gbp
    savings = {y: by_category["savings_change"][y] + by_category["new_savings"][y] for y in years}
    summary = [
        ReportRow(CATEGORY_LABELS["previous_gap"], "previous_gap", values(by_category["previous_gap"])),
        ReportRow(CATEGORY_LABELS["pressure"], "pressure", values(by_category["pressure"])),
        ReportRow(CATEGORY_LABELS["funding"], "funding", values(by_category["funding"])),
        ReportRow("Savings changes", "savings", values(savings)),
        ReportRow("Council tax increase", "council_tax_increase", values(g.council_tax_increase_gbp)),
        ReportRow("Council tax base growth", "tax_base_growth", values(g.tax_base_growth_gbp)),
        ReportRow("Revised gap", "revised_gap", values(g.revised_gap_gbp), "total"),
    ]
    shares = ", ".join(f"{r.year} {r.share_percent:g}%" for r in pack.respread)
    if pack.respread:
        summary.append(ReportRow(f"Final year's gap re-spread ({shares})", "respread", values(g.respread_gbp)))
        summary.append(ReportRow("Total new savings to find", "to_find", values(g.to_find_gbp), "total"))
    tables = [ReportTable("mtfs-gap", "Medium-term gap, year by year", "mtfs", "", columns, summary)]

    detail: list[ReportRow] = []
    running = dict.fromkeys(years, 0.0)
    checkpoints = {
        "funding": ("Revised gap after pressures and funding", "gap_after_funding"),
        "savings_change": ("Revised gap after changes to agreed savings", "gap_after_savings_changes"),
        "new_savings": ("Revised gap after new savings identified", "gap_after_new_savings"),
    }
    for category in CATEGORY_ORDER:
        lines = [line for line in pack.mtfs_lines if line.category == category]
        codes: list[str] = []
        for line in lines:
            if line.code not in codes:
                codes.append(line.code)
        for code in codes:
            by_year = {line.year: line.amount_gbp for line in lines if line.code == code}
            description = next(line.description for line in lines if line.code == code)
            source = next(line.source for line in lines if line.code == code)
            detail.append(
                ReportRow(
                    description, code, values(by_year), indent=0 if category == "previous_gap" else 1, source=source
                )
            )
        if category != "previous_gap" and codes:
            detail.append(
                ReportRow(
                    f"Total {CATEGORY_LABELS[category].lower()}",
                    f"total_{category}",
                    values(by_category[category]),
                    "subtotal",
                )
            )
        for y in years:
            running[y] += by_category[category][y]
        if category in checkpoints and codes:
            label, item = checkpoints[category]
            detail.append(ReportRow(label, item, values(running), "subtotal"))
    detail.append(ReportRow("Council tax increase", "council_tax_increase", values(g.council_tax_increase_gbp)))
    detail.append(ReportRow("Council tax base growth", "tax_base_growth", values(g.tax_base_growth_gbp)))
    detail.append(ReportRow("Final revised gap", "revised_gap", values(g.revised_gap_gbp), "total"))
    if pack.respread:
        detail.append(ReportRow("Re-spread of the final year's gap", "respread", values(g.respread_gbp)))
        detail.append(ReportRow("Total savings to find", "to_find", values(g.to_find_gbp), "total"))
    tables.append(ReportTable("mtfs-detail", "Medium-term gap: detail", "mtfs", "Line", columns, detail))

    if g.council_tax:
        year_cols = [ReportColumn(c.year, c.year) for c in g.council_tax]
        tax_rows = [
            ReportRow("Forecast council tax", "council_tax", {c.year: c.council_tax_gbp for c in g.council_tax}),
            ReportRow(
                "Increase from rate and precept", "rate_increase", {c.year: c.rate_increase_gbp for c in g.council_tax}
            ),
            ReportRow(
                "Increase from tax-base growth", "base_growth", {c.year: c.base_growth_gbp for c in g.council_tax}
            ),
            ReportRow(
                "Total increase",
                "total_increase",
                {
                    c.year: None if c.rate_increase_gbp is None else c.rate_increase_gbp + (c.base_growth_gbp or 0.0)
                    for c in g.council_tax
                },
                "total",
            ),
        ]
        tables.append(
            ReportTable(
                "council-tax",
                "Council-tax assumptions",
                "council_tax",
                "",
                year_cols,
                tax_rows,
                "Each year's council tax = the year before × (1 + rate increase + precept + base growth). "
                "Only years marked as new changes reduce the gap.",
            )
        )
    if pack.departments and years:
        first = years[0]
        exempt = ", ".join(f"{e.department} ({e.component}, {e.year})" for e in pack.exemptions) or "none"
        rows = []
        for d in pack.departments:
            a = g.allocation(d.code, first)
            rows.append(
                ReportRow(
                    d.name,
                    d.code,
                    {
                        "previously_agreed": d.previously_agreed_savings_gbp,
                        "share_of_gap": a.from_gap_gbp,
                        "share_of_respread": a.from_respread_gbp,
                        "new_to_find": a.total_gbp,
                        "new_changes": d.new_changes_gbp,
                        "total": d.previously_agreed_savings_gbp + a.total_gbp + d.new_changes_gbp,
                    },
                )
            )
        rows.append(ReportRow("Total", "total", _sum_rows(rows), "total"))
        tables.append(
            ReportTable(
                "allocation-first-year",
                f"Allocation of {first} savings by department",
                "allocation",
                "Department",
                [
                    ReportColumn("a: agreed savings", "previously_agreed"),
                    ReportColumn("b: share of new savings", "share_of_gap"),
                    ReportColumn("c: share of final-year re-spread", "share_of_respread"),
                    ReportColumn("b+c: new savings to find", "new_to_find"),
                    ReportColumn("d: new savings and changes", "new_changes"),
                    ReportColumn("a+b+c+d: net savings to deliver", "total"),
                ],
                rows,
                f"New savings are shared in proportion to each department's allocation basis; exemptions: {exempt}.",
            )
        )
        by_year_rows = []
        for d in pack.departments:
            vals: dict[str, Any] = {y: g.allocation(d.code, y).total_gbp for y in years}
            vals["total"] = sum(vals[y] for y in years)
            by_year_rows.append(ReportRow(d.name, d.code, vals))
        by_year_rows.append(ReportRow("Total", "total", _sum_rows(by_year_rows), "total"))
        tables.append(
            ReportTable(
                "allocation-by-year",
                "New savings by department and year",
                "allocation-years",
                "Department",
                columns,
                by_year_rows,
            )
        )
    return tables


def _sum_rows(rows: list[ReportRow]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in rows:
        for k, v in r.values.items():
            if isinstance(v, int | float):
                out[k] = out.get(k, 0.0) + v
    return out


def build_report(pack: FinancePack, period: int | None = None) -> FinanceReport:
    """Compute every table for the period (the settings' period by default) and flag printed figures that differ."""
    m = monitor(pack, period)
    label = f"period {m.period} {pack.settings.financial_year}"
    tables = monitoring_tables(m, label)
    comparison = period_comparison(pack, m)
    if comparison:
        tables.append(comparison)
    s = savings_programme(pack) if pack.savings else None
    if s:
        tables.extend(savings_tables(s, pack, m))
    if pack.reserves:
        tables.append(reserves_table(pack))
    if pack.capital:
        tables.append(capital_table(pack))
    g = medium_term_gap(pack) if pack.mtfs_lines else None
    if g:
        tables.extend(mtfs_tables(g, pack))
    report = FinanceReport(pack, m, s, g, tables)
    _compare_printed(report)
    return report


def _compare_printed(report: FinanceReport) -> None:
    cells: dict[tuple[str, str, str], tuple[Any, ColumnKind]] = {}
    for t in report.tables:
        kinds = {c.measure: c.kind for c in t.columns}
        for r in t.rows:
            for measure, value in r.values.items():
                cells.setdefault((t.namespace, r.item, measure), (value, kinds.get(measure, "gbp")))
    for p in report.pack.printed:
        if p.period is not None and p.period != report.monitoring.period:
            continue  # a check figure belongs to the paper of its own period
        key = (p.table, p.item, p.measure)
        if key not in cells:
            report.unmatched.append(p)
            continue
        value, kind = cells[key]
        decimals = DECIMALS.get(kind, 3)
        # compared as printed (money in £m to 3 decimals), so a figure is flagged exactly when the paper would differ
        if (
            value is None
            or abs(round(shown_number(float(value), kind), decimals) - p.as_printed) > 0.5 * 10**-decimals + 1e-9
        ):
            printed = gbp_from_millions(p.as_printed) if kind == "gbp" else p.as_printed
            report.flags[key] = PrintedFigureFlag(p.table, p.item, p.measure, printed, value, p.source, kind)
