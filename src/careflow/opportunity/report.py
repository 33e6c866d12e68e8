"""The opportunity report: a self-contained HTML page a director can read, and the same results in Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careflow.baseline.glance import glance
from careflow.baseline.schema import Baseline
from careflow.console import gbp_m as m
from careflow.evidence.library import Library
from careflow.opportunity.model import CAVEAT, OpportunityResult, evidence_warnings, switched_off_lines
from careflow.opportunity.overlaps import RULES
from careflow.opportunity.parameters import LEVER, LEVERS, PARAMETER_DESCRIPTIONS
from careflow.provenance import named_quantity, quantity
from careflow.report import charts
from careflow.report.excel import write_results
from careflow.report.html import Section, chart, escape, paragraphs, render_page, table


def slug(result: OpportunityResult) -> str:
    text = "".join(ch if ch.isalnum() else "-" for ch in result.baseline.lower()).strip("-").replace("--", "-")
    return text[:60].strip("-") or "council"  # file names have a length limit (255 bytes on most systems)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def summary_lines(result: OpportunityResult) -> list[str]:
    levers = sorted(result.levers, key=lambda lever: lever.net_benefit_gbp, reverse=True)
    top = levers[0] if levers else None
    switched_off = switched_off_lines(result)
    outcomes = (
        f"the {NUMBER_WORDS[len(LEVERS)]} key service outcomes"
        if not switched_off
        else f"{NUMBER_WORDS[len(result.levers)]} of the {NUMBER_WORDS[len(LEVERS)]} key service outcomes"
    )
    lines = [
        f"If {result.baseline} adopted the optimised local delivery model{'' if switched_off else ' in full'}, "
        f"{outcomes} would be worth about £{m(result.total_net_benefit_gbp)}m a year (range "
        f"£{m(result.total_low_gbp)}m to £{m(result.total_high_gbp)}m), after removing "
        f"£{m(result.overlap_removed_gbp)}m counted twice between levers.",
        *switched_off,
    ]
    if result.total_added_cost_gbp > 0:
        lines.append(
            f"These are offsets on care spend, as the report defines them. Serving more people with short-term "
            f"services also costs about £{m(result.total_added_cost_gbp)}m a year for the extra episodes; net of "
            f"that, the opportunity is £{m(result.total_net_of_added_cost_gbp)}m a year, which is what the "
            "projection counts."
        )
    if top:
        lines.append(
            f"The largest is '{top.name.lower()}': £{m(top.net_benefit_gbp)}m a year, reaching about "
            f"{top.people_affected:,.0f} people."
        )
    lines += [f"Small sample — {warning}" for warning in evidence_warnings(result)]
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
            m(lever.added_cost_gbp),
            m(lever.net_of_added_cost_gbp),
        ]
        for lever in result.levers
    ]


def figure_label(name: str) -> str:
    """A figure's label for people: its description, else its id in words."""
    return PARAMETER_DESCRIPTIONS.get(name) or name.replace("_gbp", " (£)").replace("_", " ")


def provenance_rows(result: OpportunityResult, baseline: Baseline) -> list[list[str]]:
    """[used in, figure's label, figure's id, value in words, where it came from] for every figure the result used."""
    rows: list[list[str]] = []
    for lever in result.levers:
        for name, value in lever.inputs.items():
            rows.append([lever.name, figure_label(name), name, quantity(value.value, value.unit), value.describe()])
    for name, value in result.parameters.items():
        rows.append(["parameter", figure_label(name), name, quantity(value.value, value.unit), value.describe()])
    return rows + baseline_provenance_rows(baseline)


def baseline_provenance_rows(baseline: Baseline) -> list[list[str]]:
    """[table and row, figure's label, figure's id, value in words, where it came from] for every baseline figure."""
    rows: list[list[str]] = []
    for table_name in (
        "population",
        "requests",
        "request_outcomes",
        "short_term",
        "long_term",
        "admissions",
        "other_spend",
        "long_term_leavers",
    ):
        for index, row in enumerate(getattr(baseline, table_name), start=1):
            key = " / ".join(str(v) for k, v in row.model_dump().items() if isinstance(v, str))
            for field, source in row.sources.items():
                value = getattr(row, field)
                rows.append(
                    [
                        f"baseline {table_name.replace('_', ' ')}, row {index} ({key})",
                        field.replace("_", " "),
                        field,
                        named_quantity(field, value),
                        source.describe(),
                    ]
                )
    return rows


def provenance_html(rows: list[list[str]]) -> str:
    """The appendix table: each figure by its label, with its id in small type."""
    cells = "".join(
        f"<tr><td>{escape(used)}</td><td>{escape(label)}<br><small><code>{escape(name)}</code></small></td>"
        f'<td class="num">{escape(value)}</td><td>{escape(source)}</td></tr>'
        for used, label, name, value, source in rows
    )
    head = "".join(f"<th>{h}</th>" for h in ("Used in", "Figure", "Value", "Where it comes from"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"


def peer_evidence_rows(result: OpportunityResult, library: Library) -> list[list[str]]:
    """For each lever: the councils in the evidence library that pulled a linked lever (the LGA savings annex)."""
    from careflow.evidence.analysis import evidence_for_opportunity

    evidence = evidence_for_opportunity(library, {x.id: x.net_benefit_gbp for x in result.levers})
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
    "Added cost £m/yr",
    "Net of added cost £m/yr",
]


def render_html(result: OpportunityResult, baseline: Baseline, library: Library) -> str:
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
            m(result.total_added_cost_gbp),
            m(result.total_net_of_added_cost_gbp),
        ]
    ]
    sections = [
        Section("Summary", "<div class='summary'>" + paragraphs(*summary_lines(result)) + "</div>"),
        Section("The opportunity by lever", chart(by_lever, "Central estimate with its low–high range, £m a year.")),
        Section("Who it reaches", chart(by_cohort, "People affected by each lever, by the cohort it acts on.")),
        Section("The figures", table(LEVER_HEADERS, rows, numeric=(3, 4, 5, 6, 7, 8), total_rows=(len(rows) - 1,))),
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
                peer_evidence_rows(result, library),
                numeric=(1, 3),
            ),
        ),
        Section(
            "The council at a glance",
            table(["Measure", "Value"], [list(row) for row in glance(baseline)], numeric=(1,)),
        ),
        Section(
            "Appendix: where every number comes from",
            paragraphs(
                "A citation = printed in the named publication, at the page or section given; derived = computed, "
                "with the formula; calibrated = solved back so that a published result is reproduced (checks the "
                "arithmetic, not the model); assumed = a modelling choice, with the reason; local = the council's "
                "own data.",
                css="note",
            )
            + provenance_html(provenance_rows(result, baseline)),
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
            lever.added_cost_gbp,
            lever.net_of_added_cost_gbp,
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
            result.total_added_cost_gbp,
            result.total_net_of_added_cost_gbp,
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
                    "added_cost_gbp",
                    "net_of_added_cost_gbp",
                ],
                levers,
            ),
            "Provenance": (
                ["used in", "figure", "id", "value", "where it comes from"],
                provenance_rows(result, baseline),
            ),
        },
        notes=[f"Optimised delivery opportunity — {result.baseline}, {result.financial_year}", *summary_lines(result)],
    )


def render_report(result: OpportunityResult, baseline: Baseline, library: Library) -> dict[str, bytes]:
    """The HTML and Excel reports as bytes, named after the council."""
    from careflow.files import rendered_bytes

    name = f"opportunity-{slug(result)}"
    return {
        f"{name}.html": render_html(result, baseline, library).encode("utf-8"),
        f"{name}.xlsx": rendered_bytes(lambda path: write_excel(path, result, baseline), ".xlsx"),
    }
