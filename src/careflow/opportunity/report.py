"""The opportunity report: a self-contained HTML page a director can read, and the same results in Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careflow.baseline.schema import Baseline
from careflow.console import gbp_m as m
from careflow.opportunity.model import OpportunityResult
from careflow.opportunity.overlaps import RULES
from careflow.opportunity.parameters import LEVER, PARAMETER_DESCRIPTIONS
from careflow.report import charts
from careflow.report.excel import write_results
from careflow.report.html import Section, chart, escape, paragraphs, render_page, table

CAVEAT = (
    "These are opportunity figures, not guaranteed savings. They are net of income, and depend on the "
    "foundations of reform being in place; a council may see them as a fall in spend, as slower growth in "
    "spend, or both (seed 001, footnote 21, L613-621)."
)


def slug(result: OpportunityResult) -> str:
    text = "".join(ch if ch.isalnum() else "-" for ch in result.baseline.lower()).strip("-").replace("--", "-")
    return text[:60].strip("-") or "council"  # file names have a length limit (255 bytes on most systems)


def summary_lines(result: OpportunityResult) -> list[str]:
    levers = sorted(result.levers, key=lambda lever: lever.net_benefit_gbp, reverse=True)
    top = levers[0] if levers else None
    lines = [
        f"If {result.baseline} adopted the optimised local delivery model in full, the six key service outcomes "
        f"would be worth about £{m(result.total_net_benefit_gbp)}m a year (range £{m(result.total_low_gbp)}m "
        f"to £{m(result.total_high_gbp)}m), after removing £{m(result.overlap_removed_gbp)}m counted twice "
        "between levers.",
    ]
    if top:
        lines.append(
            f"The largest is '{top.name.lower()}': £{m(top.net_benefit_gbp)}m a year, reaching about "
            f"{top.people_affected:,.0f} people."
        )
    lines.append(CAVEAT)
    return lines


def lever_rows(result: OpportunityResult) -> list[list[Any]]:
    return [
        [
            lever.name,
            lever.cohort,
            f"{lever.effect:.1%} ({lever.effect_low:.1%}–{lever.effect_high:.1%})",
            f"{lever.people_affected:,.0f}",
            m(lever.net_benefit_gbp),
            f"{m(lever.low_gbp)}–{m(lever.high_gbp)}",
            m(lever.overlap_removed_gbp),
        ]
        for lever in result.levers
    ]


def provenance_rows(result: OpportunityResult, baseline: Baseline) -> list[list[str]]:
    rows: list[list[str]] = []
    for lever in result.levers:
        for name, value in lever.inputs.items():
            rows.append([f"lever: {lever.id}", name, f"{value.value:,.6g} {value.unit}".strip(), value.describe()])
    for name, value in result.parameters.items():
        label = PARAMETER_DESCRIPTIONS.get(name, name)
        rows.append([f"parameter: {label}", name, f"{value.value:,.6g} {value.unit}".strip(), value.describe()])
    for table_name in (
        "population",
        "requests",
        "request_outcomes",
        "short_term",
        "long_term",
        "admissions",
        "other_spend",
    ):
        for index, row in enumerate(getattr(baseline, table_name), start=1):
            key = " / ".join(str(v) for k, v in row.model_dump().items() if isinstance(v, str))
            for field, source in row.sources.items():
                value = getattr(row, field)
                rows.append([f"baseline: {table_name} {index} ({key})", field, f"{value:,.6g}", source.describe()])
    return rows


def baseline_glance(baseline: Baseline) -> list[list[str]]:
    return [
        ["Adults (18+)", f"{baseline.people():,.0f}"],
        ["Requests for support from new clients", f"{baseline.total_requests():,.0f}"],
        ["Completed short-term episodes", f"{baseline.short_term_episodes():,.0f}"],
        ["Clients in long-term support", f"{baseline.clients():,.0f}"],
        ["Permanent care-home admissions (65+)", f"{baseline.care_home_admissions('65+'):,.0f}"],
        ["Gross current expenditure (£m)", m(baseline.gross_spend())],
        ["Net current expenditure (£m)", m(baseline.net_spend())],
    ]


def peer_evidence_rows(result: OpportunityResult) -> list[list[str]]:
    """For each lever: the councils in the evidence library that pulled a linked lever (seed 002 annex)."""
    from careflow.evidence.analysis import evidence_for_opportunity
    from careflow.evidence.library import load_library

    evidence = evidence_for_opportunity(load_library(), {x.id: x.net_benefit_gbp for x in result.levers})
    rows = []
    for lever in result.levers:
        found = evidence.get(lever.id)
        if not found:
            continue
        councils = found["councils"]
        shown = ", ".join(councils[:8]) + (f" and {len(councils) - 8} more" if len(councils) > 8 else "")
        studies = "; ".join(f"{council}: {title}" for council, title in found["case_studies"][:3])
        labels = ", ".join(c["label"] for c in found["categories"])
        rows.append([lever.name, m(lever.net_benefit_gbp), labels, str(len(councils)), shown, studies])
    return rows


LEVER_HEADERS = [
    "Lever",
    "Cohort",
    "Effect (range)",
    "People affected",
    "Central £m/yr",
    "Low–high £m/yr",
    "Overlap removed £m",
]


def render_html(result: OpportunityResult, baseline: Baseline) -> str:
    names = [lever.name for lever in result.levers]
    by_lever = charts.bar_with_range(
        names,
        [lever.net_benefit_gbp / 1e6 for lever in result.levers],
        [lever.low_gbp / 1e6 for lever in result.levers],
        [lever.high_gbp / 1e6 for lever in result.levers],
        "£m a year, net of income (bar: central estimate; whisker: low–high range)",
    )
    by_cohort = charts.bars(
        [LEVER[lever.id].short_cohort for lever in result.levers],
        [lever.people_affected for lever in result.levers],
        "people affected",
        value_format="{:,.0f}",
    )
    overlap_text = "".join(
        f"<li><b>{escape(LEVER[rule.removed_from].name)}</b> and <b>{escape(LEVER[rule.shared_with].name)}</b>: "
        f"{escape(rule.rule)}. Removed: £{m(next((x.overlap_removed_gbp for x in result.levers if x.id == rule.removed_from), 0.0))}m.</li>"
        for rule in RULES
    )
    rows = lever_rows(result) + [
        [
            "Total",
            "",
            "",
            "",
            m(result.total_net_benefit_gbp),
            f"{m(result.total_low_gbp)}–{m(result.total_high_gbp)}",
            m(result.overlap_removed_gbp),
        ]
    ]
    sections = [
        Section("Summary", "<div class='summary'>" + paragraphs(*summary_lines(result)) + "</div>"),
        Section("The opportunity by lever", chart(by_lever, "Central estimate with its low–high range, £m a year.")),
        Section("Who it reaches", chart(by_cohort, "People affected by each lever, by the cohort it acts on.")),
        Section("The figures", table(LEVER_HEADERS, rows, numeric=(3, 4, 5, 6), total_rows=(len(rows) - 1,))),
        Section(
            "Counted once, not twice",
            "<ul>"
            + overlap_text
            + "</ul>"
            + paragraphs("The total's range assumes every lever lands at its low (or high) end together."),
        ),
        Section(
            "What other councils did",
            paragraphs(
                "Councils in the evidence library (2011–14 savings annex and case studies) that pulled a lever of "
                "the same kind. Browse them with careflow evidence lever CATEGORY, or careflow evidence report.",
                css="note",
            )
            + table(
                ["Lever", "Worth for you £m/yr", "Evidence categories", "Councils", "Who", "Case studies"],
                peer_evidence_rows(result),
                numeric=(1, 3),
            ),
        ),
        Section("The council at a glance", table(["Measure", "Value"], baseline_glance(baseline), numeric=(1,))),
        Section(
            "Appendix: where every number comes from",
            paragraphs(
                "quoted = printed in a named source (document and line); derived = computed, with the formula; "
                "assumed = a modelling choice, with the reason; local = the council's own data.",
                css="note",
            )
            + table(["Used in", "Figure", "Value", "Provenance"], provenance_rows(result, baseline)),
        ),
    ]
    banner = (
        "Synthetic council: Demoshire is made up for demonstration, built from England's rates."
        if result.synthetic
        else ""
    )
    return render_page(
        f"Optimised delivery opportunity — {result.baseline}",
        sections,
        subtitle=f"Financial year {result.financial_year}; scenario: {result.scenario}.",
        banner=banner,
    )


def write_excel(path: Path, result: OpportunityResult, baseline: Baseline) -> None:
    levers = [
        [
            lever.id,
            lever.name,
            lever.cohort,
            lever.effect,
            lever.effect_low,
            lever.effect_high,
            lever.people_affected,
            lever.gross_benefit_gbp,
            lever.overlap_removed_gbp,
            lever.net_benefit_gbp,
            lever.low_gbp,
            lever.high_gbp,
        ]
        for lever in result.levers
    ]
    levers.append(
        [
            "total",
            "",
            "",
            None,
            None,
            None,
            None,
            None,
            result.overlap_removed_gbp,
            result.total_net_benefit_gbp,
            result.total_low_gbp,
            result.total_high_gbp,
        ]
    )
    write_results(
        path,
        {
            "Levers": (
                [
                    "id",
                    "lever",
                    "cohort",
                    "effect",
                    "effect_low",
                    "effect_high",
                    "people_affected",
                    "gross_gbp",
                    "overlap_removed_gbp",
                    "net_benefit_gbp",
                    "low_gbp",
                    "high_gbp",
                ],
                levers,
            ),
            "Provenance": (["used_in", "figure", "value", "provenance"], provenance_rows(result, baseline)),
        },
        notes=[f"Optimised delivery opportunity — {result.baseline}, {result.financial_year}", *summary_lines(result)],
    )


def write_report(out: Path, result: OpportunityResult, baseline: Baseline) -> list[Path]:
    """Write the HTML and Excel reports into `out` (staged, so nothing is half-written)."""
    from careflow.files import staged_directory

    name = f"opportunity-{slug(result)}"
    with staged_directory(out) as stage:
        (stage / f"{name}.html").write_text(render_html(result, baseline), encoding="utf-8")
        write_excel(stage / f"{name}.xlsx", result, baseline)
    return [Path(out) / f"{name}.html", Path(out) / f"{name}.xlsx"]
