"""A projection as a self-contained HTML page (fan charts, caseload, waterfall, funding gap) and an Excel workbook."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from careflow.console import gbp_m
from careflow.report.excel import write_results
from careflow.report.html import Section, chart, escape, paragraphs, render_page, table
from careflow.report.svg import PALETTE, Chart
from careflow.simulate.projection import SERIES
from careflow.simulate.results import ProjectionResult
from careflow.vocabulary import SETTING_LABEL, SETTINGS


def m(value: float) -> str:
    return gbp_m(value, 3)


WIDTH, HEIGHT = 800, 380  # px of a chart's drawing; it scales to the page, so this sets the size of its text


def _m(values: Sequence[float]) -> list[float]:
    return [v / 1e6 for v in values]


def fan_chart(projection: ProjectionResult) -> str:
    """Net spend per scenario: median line, P10–P90 band, projected income, and Pixel's quick view for comparison."""
    plot = Chart(
        projection.years,
        "£m a year",
        title=f"Net spend, {projection.baseline}: median and P10–P90 band",
        width=WIDTH,
        height=HEIGHT,
    )
    for i, (name, result) in enumerate(projection.scenarios.items()):
        s = result.series["net_spend_gbp"]
        colour = PALETTE[i % len(PALETTE)]
        plot.band(_m(s.p10), _m(s.p90), colour).line(_m(s.p50), colour, f"{name} (median; band P10–P90)")
    quick = projection.funding_gap.quick.spend["central"]
    plot.line(_m(quick), "#555555", "quick view: demand + unit-cost growth", dash="2 3")
    plot.line(_m(projection.funding_gap.income.total), "#333333", "projected income", dash="6 3")
    return plot.svg()


def caseload_chart(projection: ProjectionResult, scenario: str) -> str:
    """People in long-term support at year end, stacked by setting, with the baseline's total beside a scenario."""
    series = projection.scenarios[scenario].series
    plot = Chart(
        projection.years,
        "people at year end (mean of runs)",
        title=f"Caseload by setting, {scenario}",
        width=WIDTH,
        height=HEIGHT,
    )
    level = [0.0] * len(projection.years)
    for i, setting in enumerate(SETTINGS):
        top = [a + b for a, b in zip(level, series[f"caseload_{setting}"].mean, strict=True)]
        plot.bars(top, level, [PALETTE[i % len(PALETTE)]] * len(top), labels=False, legend=SETTING_LABEL[setting])
        level = top
    if scenario != "baseline" and "baseline" in projection.scenarios:
        plot.line(projection.scenarios["baseline"].series["caseload"].mean, "#333333", "baseline total", dash="6 3")
    return plot.svg()


def waterfall_chart(projection: ProjectionResult) -> str:
    """From base-year net spend to the final year, step by step; the axis starts near the lowest level shown."""
    steps = projection.waterfall.steps
    level, tops, bottoms, colours = 0.0, [], [], []
    for step in steps:
        value = step.gbp / 1e6
        if step.kind in ("start", "end"):
            tops.append(value)
            bottoms.append(0.0)
            colours.append(PALETTE[0])
            level = value
        else:
            bottoms.append(level)
            level += value
            tops.append(level)
            colours.append(PALETTE[3] if value > 0 else PALETTE[2])
    low = min(s.gbp for s in steps if s.kind != "change") / 1e6
    plot = Chart(
        [textwrap.fill(s.step.replace("_", " "), 30) for s in steps],
        "£m net a year",
        title="From base year to final year",
        width=WIDTH,
        height=HEIGHT,
        y_min=low * 0.85 if low > 0 else None,
    )
    return plot.bars(tops, bottoms, colours).svg()


def gap_chart(projection: ProjectionResult) -> str:
    """Projected net spend less projected income per scenario (median, P10–P90), and the quick view's gap."""
    plot = Chart(
        projection.years,
        "£m a year (spend − income)",
        title="Funding gap: median and P10–P90 band",
        width=WIDTH,
        height=HEIGHT,
    )
    plot.zero_line()
    for i, (name, gap) in enumerate(projection.funding_gap.scenarios.items()):
        colour = PALETTE[i % len(PALETTE)]
        plot.band(_m(gap.p10), _m(gap.p90), colour).line(_m(gap.p50), colour, f"{name} (median, P10–P90)")
    plot.line(_m(projection.funding_gap.quick.gap["central"]), "#555555", "quick view", dash="2 3")
    return plot.svg()


def charts(projection: ProjectionResult) -> dict[str, str]:
    """The projection's four charts as SVG: net spend fan, caseload by setting, waterfall, funding gap."""
    return {
        "net_spend": fan_chart(projection),
        "caseload": caseload_chart(projection, projection.waterfall.scenario),
        "waterfall": waterfall_chart(projection),
        "funding_gap": gap_chart(projection),
    }


def summary_rows(projection: ProjectionResult) -> list[list[Any]]:
    rows = []
    last = len(projection.years) - 1
    for name, result in projection.scenarios.items():
        s = result.series["net_spend_gbp"]
        gap = projection.funding_gap.scenarios[name]
        rows.append(
            [
                name,
                m(s.mean[0]),
                m(s.mean[last]),
                f"{m(s.p10[last])} – {m(s.p90[last])}",
                f"{result.series['caseload'].mean[last]:,.0f}",
                m(gap.mean[last]),
            ]
        )
    return rows


SUMMARY_HEADERS = [
    "Scenario",
    "Net spend year 1 £m (mean)",
    "Net spend final year £m (mean)",
    "Final year P10 – P90 £m",
    "Caseload final year",
    "Funding gap final year £m",
]


def levers_in_use(projection: ProjectionResult) -> list[str]:
    """Which levers each scenario applies, and which it switched off, in words."""
    from careflow.opportunity.parameters import LEVERS

    lines = []
    for name, result in projection.scenarios.items():
        if not result.levers:
            lines.append(f"Scenario '{name}' applies no levers.")
            continue
        off = [lever.name for lever in LEVERS if lever.id not in result.levers]
        applied = f"Scenario '{name}' applies {len(result.levers)} of the {len(LEVERS)} levers"
        lines.append(applied + (f"; switched off: {'; '.join(off)}." if off else "."))
    return lines


def shocks_table(projection: ProjectionResult) -> str:
    """The scenario's one-off income and costs, by year; empty when there are none."""
    shocks = projection.funding_gap.shocks
    if not shocks:
        return ""
    rows = [[projection.years[s["year"] - 1], s["label"], s["kind"], m(s["amount_gbp"])] for s in shocks]
    return paragraphs("One-off shocks in the scenario (kept out of the trend; costs carry no model error):") + table(
        ["Year", "Shock", "Kind", "£m"], rows, numeric=(3,)
    )


# What each of a projection's assumptions is, in words; the id stays beside it in small type for machine checks.
ASSUMPTION_LABELS = {
    "exit_rate": "Leaving long-term support each year",
    "step_up": "Moving from community support into a care home",
    "steady_state": "The baseline year as a steady state",
    "short_term_avoided_share": "Long-term care avoided by short-term services",
    "divert_weekly_cost": "Weekly cost of a package instead of a care home",
    "benefit_years": "Years before a diverted person needs a care home",
    "population_growth": "Population growth",
    "unit_cost_growth": "Unit-cost growth",
    "demand_per_head_trends": "Demand per head beyond demography",
    "model_error": "Model error on spend",
    "income": "Income",
    "pixel_quick_mode": "Quick view: growth in spend a year",
}


def assumption_label(key: str) -> str:
    """'exit_rate.65+' → 'Leaving long-term support each year, aged 65+'."""
    name, _, band = key.partition(".")
    label = ASSUMPTION_LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{label}, aged {band.replace('-', '–')}" if band else label


def assumption_rows(assumptions: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, id, where it comes from in words) for each assumption, typed or as stored JSON."""
    from pydantic import TypeAdapter

    from careflow.provenance import Provenance

    reader: TypeAdapter[Any] = TypeAdapter(Provenance)
    return [
        (assumption_label(key), key, reader.validate_python(value).describe()) for key, value in assumptions.items()
    ]


def assumptions_html(assumptions: dict[str, Any]) -> str:
    """The appendix table: each assumption by its label, with its id in small type."""
    cells = "".join(
        f"<tr><td>{escape(label)}<br><small><code>{escape(key)}</code></small></td><td>{escape(text)}</td></tr>"
        for label, key, text in assumption_rows(assumptions)
    )
    return (
        f"<table><thead><tr><th>Assumption</th><th>Where it comes from</th></tr></thead><tbody>{cells}</tbody></table>"
    )


def html_page(projection: ProjectionResult) -> str:
    chosen = projection.waterfall.scenario
    years = len(projection.years)
    intro = paragraphs(
        projection.levers_statement(),
        *levers_in_use(projection),
        f"{projection.runs:,} runs of the flow model, monthly steps over {years} years from "
        f"{projection.financial_year}, random seed {projection.random_seed}. Bands show the 10th to 90th percentile of the runs; "
        "they come from chance in who flows where each month, each lever's effect drawn from its range, the "
        "growth drivers (population by age band, unit costs by setting, need per head) drawn from theirs, and a "
        f"model-error term on spend of σ = {projection.model_error_sigma_per_sqrt_year:.3f} per √year, sized from "
        "how far councils' and England's published spend departed from this model (NHS Digital ASC-FR 2021-22, "
        "Tables 4, 15 and 17). In a backtest, 79% of 148 councils' 2021-22 spend fell inside the P10–P90 band "
        'projected from 2020-21 (careflow documentation, "Projection growth, its uncertainty, and the backtest").',
        f"Base-year net spend £{m(projection.base_year.net_spend_gbp)}m.",
    )
    waterfall_rows = [[s.step.replace("_", " "), m(s.gbp)] for s in projection.waterfall.steps]
    gap = projection.funding_gap
    gap_rows = []
    for i, year in enumerate(projection.years):
        row: list[Any] = [year, m(gap.income.total[i])]
        for name in projection.scenarios:
            row.append(m(projection.scenarios[name].series["net_spend_gbp"].mean[i]))
            row.append(m(gap.scenarios[name].mean[i]))
        row.append(m(gap.quick.gap["central"][i]))
        gap_rows.append(row)
    gap_headers = ["Year", "Income £m"]
    for name in projection.scenarios:
        gap_headers += [f"{name} spend £m", f"{name} gap £m"]
    gap_headers.append("quick-view gap £m")
    sections = [
        Section(
            "Summary",
            intro
            + table(SUMMARY_HEADERS, summary_rows(projection), numeric=(1, 2, 3, 4, 5))
            + chart(fan_chart(projection), "Net spend a year by scenario, with projected income and the quick view"),
        ),
        Section(
            "Caseload by setting",
            chart(caseload_chart(projection, chosen), f"People in long-term support at year end — {chosen}"),
        ),
        Section(
            "What drives the change",
            chart(waterfall_chart(projection), f"From base-year net spend to year {years} — {chosen}")
            + table(["Step", "£m"], waterfall_rows, numeric=(1,))
            + paragraphs(projection.waterfall.note, css="note"),
        ),
        Section(
            "Funding gap",
            chart(gap_chart(projection), "Projected net spend less projected income")
            + table(gap_headers, gap_rows, numeric=tuple(range(1, len(gap_headers))))
            + paragraphs(gap.base_year.statement)
            + paragraphs(gap.quick.method, gap.note, css="note")
            + shocks_table(projection),
        ),
        Section("Assumptions and where the numbers come from", assumptions_html(projection.assumptions)),
    ]
    banner = "Demonstration council: synthetic figures." if projection.synthetic else ""
    return render_page(
        f"Projection — {projection.baseline}",
        sections,
        subtitle=f"careflow flow model, {projection.financial_year} baseline",
        banner=banner,
    )


def workbook_sheets(projection: ProjectionResult) -> dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]:
    """Every series with the years across the columns: means on one sheet, P10/P50/P90 on another."""
    years = list(projection.years)
    means: list[list[Any]] = []
    ranges: list[list[Any]] = []
    for name, result in projection.scenarios.items():
        for key, s in result.series.items():
            means.append([name, key, SERIES[key][1], s.unit, *s.mean])
            for label, values in (("P10", s.p10), ("P50", s.p50), ("P90", s.p90)):
                ranges.append([name, key, s.unit, label, *values])
    gap = projection.funding_gap
    gap_rows: list[list[Any]] = []
    for line, values in gap.income.lines.items():
        gap_rows.append(["income", line, "£", "mean", *values])
    for name, g in gap.scenarios.items():
        for label, series in (("mean", g.mean), ("P10", g.p10), ("P50", g.p50), ("P90", g.p90)):
            gap_rows.append(["gap", name, "£", label, *series])
    for label, values in gap.quick.gap.items():
        gap_rows.append(["quick-view gap", label, "£", "mean", *values])
    return {
        "Projection (mean)": (["Scenario", "Series", "Description", "Unit", *years], means),
        "Ranges": (["Scenario", "Series", "Unit", "Statistic", *years], ranges),
        "Waterfall": (["Step", "£"], [[s.step, s.gbp] for s in projection.waterfall.steps]),
        "Funding gap": (["Line", "Item", "Unit", "Statistic", *years], gap_rows),
        "Assumptions": (["Assumption", "Id", "Provenance"], [list(r) for r in assumption_rows(projection.assumptions)]),
    }


def render_outputs(projection: ProjectionResult) -> dict[str, bytes]:
    """projection.html and projection.xlsx as bytes."""
    from careflow.files import rendered_bytes

    workbook = rendered_bytes(lambda path: _write_workbook(projection, path), ".xlsx")
    return {"projection.html": html_page(projection).encode("utf-8"), "projection.xlsx": workbook}


def _write_workbook(projection: ProjectionResult, path: Path) -> None:
    write_results(
        path,
        workbook_sheets(projection),
        notes=[
            f"careflow projection — {projection.baseline}, {projection.financial_year} baseline",
            projection.levers_statement(),
            f"{projection.runs:,} runs, {len(projection.years)} years, random seed {projection.random_seed}",
            "£ are cash (after unit-cost inflation); P10/P50/P90 are percentiles over the runs.",
            "Years run across the columns; 'Projection (mean)' holds the mean of the runs, 'Ranges' the percentiles.",
        ],
        unit_column="Unit",
    )
