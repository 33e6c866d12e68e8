"""A projection as a self-contained HTML page (fan charts, caseload, waterfall, funding gap) and an Excel workbook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from careflow.console import gbp_m
from careflow.report.charts import PALETTE, figure, to_svg
from careflow.report.excel import write_results
from careflow.report.html import Section, chart, escape, paragraphs, render_page, table
from careflow.simulate.projection import SERIES
from careflow.simulate.results import ProjectionResult
from careflow.vocabulary import SETTING_LABEL, SETTINGS


def m(value: float) -> str:
    return gbp_m(value, 3)


def fan_chart(projection: ProjectionResult) -> str:
    """Net spend per scenario: median line, P10–P90 band, and Pixel's quick view for comparison."""
    fig, ax = figure(8.0, 4.2)
    x = np.arange(1, len(projection.years) + 1)
    for i, (name, result) in enumerate(projection.scenarios.items()):
        s = result.series["net_spend_gbp"]
        colour = PALETTE[i % len(PALETTE)]
        ax.fill_between(x, np.array(s.p10) / 1e6, np.array(s.p90) / 1e6, color=colour, alpha=0.25, linewidth=0)
        ax.plot(x, np.array(s.p50) / 1e6, color=colour, label=f"{name} (median; band P10–P90)")
    quick = projection.funding_gap.quick.spend["central"]
    ax.plot(x, np.array(quick) / 1e6, color="#555555", linestyle=":", label="quick view: demand + unit-cost growth")
    income = projection.funding_gap.income.total
    ax.plot(x, np.array(income) / 1e6, color="#333333", linestyle="--", label="projected income")
    ax.set_xticks(x, projection.years, rotation=45, ha="right")
    ax.set_ylabel("£m a year")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return to_svg(fig)


def caseload_chart(projection: ProjectionResult, scenario: str) -> str:
    fig, ax = figure(8.0, 4.0)
    x = np.arange(1, len(projection.years) + 1)
    series = projection.scenarios[scenario].series
    bottom = np.zeros(len(x))
    for i, setting in enumerate(SETTINGS):
        values = np.array(series[f"caseload_{setting}"].mean)
        ax.bar(x, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=SETTING_LABEL[setting])
        bottom += values
    ax.set_xticks(x, projection.years, rotation=45, ha="right")
    if scenario != "baseline" and "baseline" in projection.scenarios:
        baseline_total = projection.scenarios["baseline"].series["caseload"].mean
        ax.plot(x, baseline_total, color="#333333", linestyle="--", marker="o", markersize=3, label="baseline total")
    ax.set_ylim(top=max(bottom.max(), max(projection.scenarios[scenario].series["caseload"].mean)) * 1.3)
    ax.set_ylabel("people at year end (mean of runs)")
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncol=3)
    return to_svg(fig)


def waterfall_chart(projection: ProjectionResult) -> str:
    steps = projection.waterfall.steps
    fig, ax = figure(8.0, 4.2)
    level = 0.0
    for i, step in enumerate(steps):
        value = step.gbp / 1e6
        if step.kind in ("start", "end"):
            ax.bar(i, value, color=PALETTE[0])
            level = value
        else:
            colour = PALETTE[3] if value > 0 else PALETTE[2]
            ax.bar(i, value, bottom=level, color=colour)
            level += value
        below = step.kind == "change" and value < 0  # a reduction's label sits under its bar
        top = level if step.kind == "change" else value
        ax.text(i, top, f"{value:,.1f}", ha="center", va="top" if below else "bottom", fontsize=7)
    ax.set_xticks(range(len(steps)), [s.step.replace("_", " ") for s in steps], rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("£m net a year")
    low = min(s.gbp for s in steps if s.kind != "change") / 1e6
    ax.set_ylim(bottom=low * 0.85)
    return to_svg(fig)


def gap_chart(projection: ProjectionResult) -> str:
    fig, ax = figure(8.0, 4.0)
    x = np.arange(1, len(projection.years) + 1)
    for i, (name, gap) in enumerate(projection.funding_gap.scenarios.items()):
        colour = PALETTE[i % len(PALETTE)]
        ax.fill_between(x, np.array(gap.p10) / 1e6, np.array(gap.p90) / 1e6, color=colour, alpha=0.25, linewidth=0)
        ax.plot(x, np.array(gap.p50) / 1e6, color=colour, label=f"{name} (median, P10–P90)")
    quick = projection.funding_gap.quick.gap["central"]
    ax.plot(x, np.array(quick) / 1e6, color="#555555", linestyle=":", label="quick view")
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(x, projection.years, rotation=45, ha="right")
    ax.set_ylabel("£m a year (spend − income)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return to_svg(fig)


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
