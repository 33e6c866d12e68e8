"""The indicators dashboard: a self-contained HTML page (RAG, sparklines, commentary) and an Excel export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from careflow.outcomes.indicators import IndicatorResult, MonthlyData, format_value
from careflow.outcomes.references import TYPE_LABEL, ReferenceValue
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


def delayed_growth(data: MonthlyData) -> float | None:
    """Growth in social-care delayed days from the first to the last month with a value, as a %."""
    series = data.values.get(("delayed_days_social_care", ""), {})
    if len(series) < 2:
        return None
    first, last = series[min(series)], series[max(series)]
    return (last - first) / first * 100 if first else None


def own_value(reference: ReferenceValue, results: list[IndicatorResult], data: MonthlyData) -> float | None:
    if reference.indicator == "delayed_growth":
        return delayed_growth(data)
    for result in results:
        if result.indicator.id == reference.indicator:
            return result.latest.value
    return None


def reference_rows(
    references: list[ReferenceValue], results: list[IndicatorResult], data: MonthlyData
) -> list[list[Any]]:
    rows = []
    for r in references:
        mine = own_value(r, results, data)
        rows.append(
            [r.topic, TYPE_LABEL[r.council_type], r.period, f"{r.value.value:,.2f}",
             "" if mine is None else f"{mine:,.1f}", r.caveat, r.value.describe()]
        )  # fmt: skip
    return rows


def render_dashboard(
    results: list[IndicatorResult], data: MonthlyData, references: list[ReferenceValue], council: str
) -> str:
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
        rows.append((i, now, spark, r))
        classes.append(RAG_CLASS[now.rag])
    body = ["<table><thead><tr><th>Indicator</th><th>Latest</th><th>Target</th><th>RAG</th><th>Previous</th>",
            "<th>Trend</th><th>Better</th><th>Last months</th></tr></thead><tbody>"]  # fmt: skip
    for (i, now, spark, r), css in zip(rows, classes, strict=True):
        previous = format_value(r.previous.value if r.previous else None, i.unit)
        body.append(
            f'<tr class="{escape(css)}"><td>{escape(i.name)}</td><td class="num">{escape(format_value(now.value, i.unit))}</td>'
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
    if references:
        sections.append(
            Section(
                "Compared with similar councils",
                paragraphs(
                    "Reference values by council type as printed in the source reports. Periods and definitions "
                    "differ from yours; the caveat says how.",
                    css="note",
                )
                + table(
                    ["Topic", "Council type", "Period", "Reference", "Yours", "Caveat", "Source"],
                    reference_rows(references, results, data),
                    numeric=(3, 4),
                ),
            )  # fmt: skip
        )
    definitions = [
        [r.indicator.id, r.indicator.name, r.indicator.definition(), r.indicator.unit, r.indicator.period,
         f"{r.indicator.direction} is better", r.indicator.source,
         r.indicator.target_provenance.describe() if r.indicator.target_provenance else
         ("trajectory from the data file" if r.indicator.target_measure else "")]
        for r in results
    ]  # fmt: skip
    sections.append(
        Section(
            "Definitions and sources",
            table(["Id", "Name", "Definition", "Unit", "Period", "Direction", "Source", "Default target"], definitions),
        )
    )
    return render_page(
        f"Performance indicators — {council}",
        sections,
        subtitle=f"Latest month {latest_month}. RAG: green on or better than target; amber within the margin; red beyond.",
    )


def dashboard_sheets(
    results: list[IndicatorResult], data: MonthlyData, references: list[ReferenceValue]
) -> dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]:
    latest = [
        [r.indicator.id, r.indicator.name, r.latest.month, r.latest.value, r.latest.target, r.latest.rag,
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
         r.indicator.source]
        for r in results
    ]  # fmt: skip
    return {
        "Latest": (["id", "indicator", "month", "value", "target", "RAG", "previous", "change", "trend", "year ago",
                    "unit", "note", "commentary"], latest),
        "Series": (["indicator", "month", "value", "target", "RAG", "note"], series),
        "By provider": (["indicator", "provider", "month", "value", "target", "RAG", "note"], providers),
        "Definitions": (["id", "name", "numerator", "denominator", "scale", "unit", "period", "direction",
                         "default target", "amber margin", "source"], definitions),
        "References": (["topic", "council type", "period", "reference", "yours", "caveat", "source"],
                       reference_rows(references, results, data)),
    }  # fmt: skip


def render_dashboard_files(
    results: list[IndicatorResult], data: MonthlyData, references: list[ReferenceValue], council: str
) -> dict[str, bytes]:
    """indicators.html and indicators.xlsx as bytes."""
    from careflow.files import rendered_bytes

    notes = [f"Performance indicators for {council}, computed by careflow from the monthly data file.",
             "Values are unrounded; RAG compares each value with its target and amber margin."]  # fmt: skip
    sheets = dashboard_sheets(results, data, references)
    return {
        "indicators.html": render_dashboard(results, data, references, council).encode("utf-8"),
        "indicators.xlsx": rendered_bytes(lambda path: write_results(path, sheets, notes=notes), ".xlsx"),
    }
