"""The indicators dashboard: a self-contained HTML page (RAG, sparklines, commentary) and an Excel export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from careflow.outcomes.comparisons import Comparison
from careflow.outcomes.indicators import IndicatorResult, format_value
from careflow.report.charts import PALETTE, figure, to_svg
from careflow.report.excel import write_results
from careflow.report.html import Section, escape, paragraphs, render_page, table

RAG_CLASS = {"green": "rag-green", "amber": "rag-amber", "red": "rag-red", "no data": ""}


def sparkline(values: list[float | None], target: list[float | None]) -> str:
    """A small trend line (gaps where months are missing) with the target dashed, as inline SVG."""
    fig, ax = figure(2.4, 0.7)
    xs = list(range(len(values)))
    ax.plot(xs, [float("nan") if v is None else v for v in values], color=PALETTE[0], linewidth=1.4)
    if any(t is not None for t in target):
        ax.plot(xs, [float("nan") if t is None else t for t in target], color=PALETTE[1], linewidth=0.9, ls="--")
    ax.axis("off")
    fig.patch.set_alpha(0)  # let the row's RAG colour show through
    return to_svg(fig)


def sparkline_text(result: IndicatorResult) -> str:
    """The trend line's text alternative: first and last values, lowest and highest, and the months with none."""
    unit = result.indicator.unit
    points = [(s.month, s.value) for s in result.series if s.value is not None]
    if not points:
        return "No values to draw."
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    gaps = len(result.series) - len(points)
    text = (
        f"From {format_value(points[0][1], unit)} in {points[0][0]} to {format_value(points[-1][1], unit)} in "
        f"{points[-1][0]}; lowest {format_value(low[1], unit)} ({low[0]}), highest {format_value(high[1], unit)} "
        f"({high[0]})"
    )
    return text + (f"; {gaps} month(s) without a value." if gaps else ".")


def ascof_label(indicator_id: str) -> str:
    """The indicator's ASCOF code under both numberings, citing DHSC; blank for local measures."""
    from careflow.outcomes.indicators import ASCOF_CODES, ASCOF_RENUMBERING_SOURCE, BY_ID

    code = ASCOF_CODES.get(indicator_id)
    if code:
        return f"{code.describe()}; {ASCOF_RENUMBERING_SOURCE}"
    refreshed = BY_ID[indicator_id].ascof if indicator_id in BY_ID else None
    return f"ASCOF {refreshed} (refreshed measure, 2023/24 onward); {ASCOF_RENUMBERING_SOURCE}" if refreshed else ""


def comparison_rows(comparisons: Sequence[Comparison], as_text: bool = True) -> list[list[Any]]:
    """Each comparison with both sides' period and definition; numbers stay numbers for the workbook."""
    rows = []
    for c in comparisons:
        yours: Any = format_value(c.yours.value, c.unit) if as_text else c.yours.value
        theirs: Any = format_value(c.theirs.value, c.unit) if as_text else c.theirs.value
        rows.append(
            [
                c.topic,
                yours,
                f"{c.yours.period}; {c.yours.definition}",
                c.theirs.who,
                theirs,
                f"{c.theirs.period}; {c.theirs.definition}",
                c.verdict(),
                c.peer_summary(),
                c.theirs.source,
            ]
        )
    return rows  # fmt: skip


COMPARISON_HEADERS = ["Indicator", "Yours", "Your period and definition", "Compared with", "Theirs",
                      "Their period and definition", "Like for like?", "Nearest neighbours", "Source"]  # fmt: skip


def render_dashboard(results: list[IndicatorResult], comparisons: Sequence[Comparison], council: str) -> str:
    latest_month = results[0].latest.month if results else ""
    counts = {k: sum(1 for r in results if r.latest.rag == k) for k in ("green", "amber", "red", "no data")}
    summary = (
        f'<div class="summary">{escape(council)}, {escape(latest_month)}: {counts["green"]} green, '
        f"{counts['amber']} amber, {counts['red']} red, {counts['no data']} without a value.</div>"
    )
    rows, classes = [], []
    for r in results:
        i, now = r.indicator, r.latest
        spark = sparkline([s.value for s in r.series], [s.target for s in r.series])
        spark = f'<div role="img" aria-label="{escape(sparkline_text(r))}">{spark}</div>'
        rows.append((i, now, spark, r))
        classes.append(RAG_CLASS[now.rag])
    body = ["<table><thead><tr><th>Indicator</th><th>Latest</th><th>Target</th><th>RAG</th><th>Previous</th>",
            "<th>Trend</th><th>Better</th><th>Last months</th></tr></thead><tbody>"]  # fmt: skip
    for (i, now, spark, r), css in zip(rows, classes, strict=True):
        previous = format_value(r.previous.value if r.previous else None, i.unit)
        body.append(
            f'<tr class="{escape(css)}"><td>{escape(r.dated_name())}</td><td class="num">{escape(format_value(now.value, i.unit))}</td>'
            f'<td class="num">{escape(format_value(now.target, i.unit))}</td><td>{escape(now.rag)}</td>'
            f'<td class="num">{escape(previous)}</td><td>{escape(r.trend)}</td><td>{escape(i.direction)}</td>'
            f'<td style="width:200px">{spark}</td></tr>'
        )
    body.append("</tbody></table>")
    commentary = "".join(f"<li>{escape(r.commentary())}</li>" for r in results)
    sections = [
        Section("Summary", summary + "".join(body)),
        Section("Commentary", f"<ul>{commentary}</ul>"),
    ]
    provider_rows = [
        [
            r.indicator.name,
            p.provider,
            format_value(p.value, r.indicator.unit),
            format_value(p.target, r.indicator.unit),
            p.rag,
        ]
        for r in results
        for p in r.by_provider
    ]
    if provider_rows:
        sections.append(
            Section(
                "By provider",
                table(
                    ["Indicator", "Provider", "Latest", "Target", "RAG"],
                    provider_rows,
                    numeric=(2, 3),
                    row_classes=[RAG_CLASS[p.rag] for r in results for p in r.by_provider],
                ),
            )  # fmt: skip
        )
    if comparisons:
        sections.append(
            Section(
                "Compared with published figures",
                paragraphs(
                    "Each comparison names both periods and definitions. It is like for like only when both are "
                    "the same; otherwise it says what differs.",
                    css="note",
                )
                + table(COMPARISON_HEADERS, comparison_rows(comparisons), numeric=(1, 4)),
            )  # fmt: skip
        )
    definitions = [
        [r.indicator.id, r.indicator.name, r.indicator.definition(), r.indicator.unit, r.indicator.period,
         f"{r.indicator.direction} is better", r.indicator.source,
         r.indicator.target_provenance.describe() if r.indicator.target_provenance else
         ("trajectory from the data file" if r.indicator.target_measure else ""), ascof_label(r.indicator.id)]
        for r in results
    ]  # fmt: skip
    sections.append(
        Section(
            "Definitions and sources",
            table(
                [
                    "Id",
                    "Name",
                    "Definition",
                    "Unit",
                    "Period",
                    "Direction",
                    "Source",
                    "Default target",
                    "ASCOF measure",
                ],
                definitions,
            ),  # fmt: skip
        )
    )
    return render_page(
        f"Performance indicators — {council}",
        sections,
        subtitle=f"Latest month {latest_month}. RAG: green on or better than target; amber within the margin; red beyond.",
    )


def dashboard_sheets(
    results: list[IndicatorResult], comparisons: Sequence[Comparison]
) -> dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]:
    latest = [
        [r.indicator.id, r.dated_name(), r.latest.month, r.latest.value, r.latest.target, r.latest.rag,
         r.previous.value if r.previous else None, r.change, r.trend,
         r.year_ago.value if r.year_ago else None, r.indicator.unit, r.latest.note, r.commentary()]
        for r in results
    ]  # fmt: skip
    series = [[s.indicator, s.month, s.value, s.target, s.rag, s.note] for r in results for s in r.series]
    providers = [
        [p.indicator, p.provider, p.month, p.value, p.target, p.rag, p.note] for r in results for p in r.by_provider
    ]
    definitions = [
        [r.indicator.id, r.indicator.name, r.indicator.numerator, r.indicator.denominator or "", r.indicator.scale,
         r.indicator.unit, r.indicator.period, r.indicator.direction, r.indicator.target, r.indicator.amber_margin,
         r.indicator.source, ascof_label(r.indicator.id)]
        for r in results
    ]  # fmt: skip
    return {
        "Latest": (["id", "indicator", "month", "value", "target", "RAG", "previous", "change", "trend", "year ago",
                    "unit", "note", "commentary"], latest),
        "Series": (["indicator", "month", "value", "target", "RAG", "note"], series),
        "By provider": (["indicator", "provider", "month", "value", "target", "RAG", "note"], providers),
        "Definitions": (["id", "name", "numerator", "denominator", "scale", "unit", "period", "direction",
                         "default target", "amber margin", "source", "ASCOF measure"], definitions),
        "Comparisons": ([h.lower() for h in COMPARISON_HEADERS], comparison_rows(comparisons, as_text=False)),
    }  # fmt: skip


def render_dashboard_files(
    results: list[IndicatorResult], comparisons: Sequence[Comparison], council: str
) -> dict[str, bytes]:
    """indicators.html and indicators.xlsx as bytes."""
    from careflow.files import rendered_bytes

    notes = [f"Performance indicators for {council}, computed by careflow from the monthly data file.",
             "Values are unrounded; RAG compares each value with its target and amber margin."]  # fmt: skip
    sheets = dashboard_sheets(results, comparisons)
    return {
        "indicators.html": render_dashboard(results, comparisons, council).encode("utf-8"),
        "indicators.xlsx": rendered_bytes(lambda path: write_results(path, sheets, notes=notes), ".xlsx"),
    }
