"""What `careflow import --all` writes besides the baselines: a summary table (CSV and XLSX) and an HTML report."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from careflow.imports import ImportResult
from careflow.imports.build import Imported
from careflow.imports.reconcile import ImportReview, england_norms, review
from careflow.opportunity.parameters import LEVERS

SUMMARY_COLUMNS = (
    "ons_code",
    "cassr_code",
    "council",
    "status",
    "reason",
    "gross_current_expenditure_gbp",
    "net_current_expenditure_gbp",
    "long_term_clients",
    *(f"{lever.id}_gbp" for lever in LEVERS),
    "opportunity_gbp",
    "opportunity_pct_of_net",
    "checks_not_within_0_5pct",
    "flags",
)


@dataclass
class CouncilLine:
    item: Imported
    review: ImportReview
    levers: dict[str, float]
    total: float
    share: float


def council_lines(result: ImportResult, neighbours: Any = None) -> list[CouncilLine]:
    """Review and opportunity for every imported council (England last, if imported).

    With ONS nearest neighbours (`careflow.imports.peers.NearestNeighbours`), each council's opportunity
    share is also compared with its 15 neighbours' median.
    """
    from careflow.opportunity import evaluate

    pub = result.publication
    norms = england_norms(pub, list(result.imported))
    items = list(result.imported.values()) + ([result.england] if result.england else [])
    lines = []
    for item in items:
        outcome = evaluate(item.baseline)
        net = item.baseline.net_spend()
        lines.append(
            CouncilLine(
                item,
                review(pub, item, norms),
                {lever.id: lever.net_benefit_gbp for lever in outcome.levers},
                outcome.total_net_benefit_gbp,
                outcome.total_net_benefit_gbp / net if net else 0.0,
            )
        )
    if neighbours is not None:
        _flag_against_neighbours(lines, neighbours)
    return lines


PEER_SHARE_LIMIT = 2.0  # × the neighbours' median opportunity share


def _flag_against_neighbours(lines: list[CouncilLine], neighbours: Any) -> None:
    from statistics import median

    from careflow.imports.peers import PEER_COUNT
    from careflow.imports.reconcile import PlausibilityFlag

    share = {line.item.code: line.share for line in lines}
    for line in lines:
        peers = neighbours.neighbours(line.item.code, PEER_COUNT, set(share))
        if not peers:
            continue
        typical = median(share[p] for p in peers)
        if typical > 0 and line.share > PEER_SHARE_LIMIT * typical:
            line.review.flags.append(
                PlausibilityFlag(
                    "Opportunity far above the ONS nearest neighbours",
                    f"{line.share * 100:.1f}% of net spend is {line.share / typical:.1f}× the median of its "
                    f"{len(peers)} nearest neighbours ({typical * 100:.1f}%; ONS statistical nearest "
                    "neighbours, 2025). Check the bases of the largest lever before relying on it.",
                )
            )


def summary_rows(result: ImportResult, lines: list[CouncilLine]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for line in lines:
        b = line.item.baseline
        rows.append(
            [
                line.item.code,
                line.item.cassr,
                line.item.name,
                "imported",
                "",
                round(b.gross_spend(), 2),
                round(b.net_spend(), 2),
                round(b.clients()),
                *(round(line.levers.get(lever.id, 0.0), 2) for lever in LEVERS),
                round(line.total, 2),
                round(line.share * 100, 3),
                sum(1 for c in line.review.checks if not c.holds),
                len(line.review.flags),
            ]
        )
    for refusal in result.refused:
        rows.append([refusal.code, "", refusal.name, "refused", refusal.reason] + [None] * (len(SUMMARY_COLUMNS) - 5))
    return rows


def table_files(name: str, columns: tuple[str, ...], rows: list[list[Any]]) -> dict[str, bytes]:
    """The same table as CSV and as XLSX: {`name`.csv: bytes, `name`.xlsx: bytes}."""
    from openpyxl import Workbook

    from careflow.safety import csv_writer, sheet_title, workbook_bytes

    text = io.StringIO(newline="")
    writer = csv_writer(text)  # council names and reasons cannot become spreadsheet formulas
    writer.writerow(columns)
    writer.writerows(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(name)
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "C2"
    return {f"{name}.csv": text.getvalue().encode("utf-8"), f"{name}.xlsx": workbook_bytes(workbook)}


def summary_files(rows: list[list[Any]]) -> dict[str, bytes]:
    return table_files("summary", SUMMARY_COLUMNS, rows)


def render_report(result: ImportResult, lines: list[CouncilLine], timings: dict[str, float]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    from careflow.console import gbp_m as m

    env = Environment(loader=PackageLoader("careflow.imports", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["m"] = m
    from careflow.reference.national import PRINTED_OPPORTUNITY

    pub = result.publication
    england = next((line for line in lines if line.item.code.startswith("E92")), None)
    printed = {lever_id: value.value for lever_id, value in PRINTED_OPPORTUNITY.items()}
    holds = sum(1 for line in lines for c in line.review.checks if c.holds)
    total = sum(len(line.review.checks) for line in lines)
    return env.get_template("import_report.html").render(
        pub=pub,
        result=result,
        lines=lines,
        levers=LEVERS,
        holds=holds,
        total_checks=total,
        unexplained=[(line, c) for line in lines for c in line.review.checks if not c.holds and not c.reason],
        timings=timings,
        england=england,
        printed=printed,
    )
