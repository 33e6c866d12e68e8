"""The committee report in three formats (HTML, Word, Excel) from the same tables, plus its charts and JSON form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from careflow.finance.money import millions_from_gbp
from careflow.finance.tables import (
    DECIMALS,
    FinanceReport,
    PrintedFigureFlag,
    ReportColumn,
    ReportRow,
    ReportTable,
    shown_number,
)
from careflow.reference.bibliography import cite, references_for
from careflow.report import html as page
from careflow.report.charts import PALETTE, figure, to_png, to_svg
from careflow.report.word import CommitteePaper, HouseStyle, is_wide

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RAG_COLOURS = {"green": "#4a9d5b", "amber": "#e0a030", "red": "#b8434a"}
DOCX_RAG_FILL = {"green": "D9F2DD", "amber": "FDEBC8", "red": "F8D4D4"}


def format_value(value: Any, kind: str) -> str:
    """Council style: money (held in £) as £m to 3 decimals, negatives in brackets; percentages to 2 decimals."""
    if value is None:
        return ""
    if kind in ("text",):
        return str(value)
    if kind == "count":
        return f"{int(value)}"
    decimals = DECIMALS.get(kind, 3)
    number = round(shown_number(float(value), kind), decimals)
    suffix = "%" if kind == "percent" else ""
    if number == 0:
        return f"{0:.{decimals}f}{suffix}"
    text = f"{abs(number):,.{decimals}f}{suffix}"
    return f"({text})" if number < 0 else text


def flag_numbers(report: FinanceReport) -> dict[tuple[str, str, str], int]:
    """A stable footnote number for each flag, in the order the tables show them."""
    numbers: dict[tuple[str, str, str], int] = {}
    for t in report.tables:
        for r in t.rows:
            for c in t.columns:
                key = (t.namespace, r.item, c.measure)
                if key in report.flags and key not in numbers:
                    numbers[key] = len(numbers) + 1
    return numbers


def in_millions(gbp: float) -> str:
    """An amount in £ as the paper writes it in a sentence: £m to 3 decimals, e.g. 1,234.567."""
    return f"{millions_from_gbp(gbp):,.3f}"


def headline(report: FinanceReport) -> list[str]:
    """The executive summary in sentences, every figure computed."""
    s = report.pack.settings
    m = report.monitoring
    root = m.lines[m.root]
    v = root.net.variance_gbp
    # figures entered to £0.001m carry rounding, so a few thousand pounds either way is reported as on budget
    if abs(v) < 5_000:
        direction = (
            f"an outturn to budget (the computed difference of £{in_millions(v)}m is within the rounding of the lines)"
        )
    else:
        direction = f"{'an overspend' if v > 0 else 'an underspend'} of £{in_millions(abs(v))}m"
    text = [
        f"At period {m.period} of {s.financial_year}, {s.department} forecasts an outturn of "
        f"£{in_millions(root.net.forecast_gbp)}m against a net budget of £{in_millions(root.net.budget_gbp)}m: "
        f"{direction}.",
    ]
    # an area is over or under when the paper would show it so: by more than half of £0.001m
    over = [a for a in m.areas() if a.net.variance_gbp > 500]
    under = [a for a in m.areas() if a.net.variance_gbp < -500]
    if over:
        text.append("Overspends: " + "; ".join(f"{a.name} £{in_millions(a.net.variance_gbp)}m" for a in over) + ".")
    if under:
        text.append("Underspends: " + "; ".join(f"{a.name} £{in_millions(-a.net.variance_gbp)}m" for a in under) + ".")
    if report.savings:
        t, f, var = report.savings.total()
        text.append(
            f"Savings {report.savings.year}: target £{in_millions(-t)}m, forecast £{in_millions(-f)}m, "
            f"£{in_millions(var)}m at risk of not being delivered."
        )
    if report.pack.reserves:
        reserves = report.table("reserves").rows
        row = next(r for r in reserves if r.item == "reserve")
        text.append(
            f"Reserves: £{in_millions(row.values['opening'])}m at the start of the year, "
            f"£{in_millions(row.values['closing'])}m forecast at the end."
        )
    if report.gap:
        total = sum(report.gap.revised_gap_gbp.values())
        text.append(f"Medium-term gap over {report.gap.years[0]} to {report.gap.years[-1]}: £{in_millions(total)}m.")
    if report.flags:
        text.append(
            f"{len(report.flags)} figure(s) computed here differ from the source as printed; each is marked † and "
            "listed under 'Differences from the printed source'."
        )
    return text


# ---------------------------------------------------------------- HTML


def _html_table(t: ReportTable, report: FinanceReport, numbers: dict[tuple[str, str, str], int]) -> str:
    head = f"<th>{page.escape(t.label_heading)}</th>" + "".join(f"<th>{page.escape(c.heading)}</th>" for c in t.columns)
    body = []
    for r in t.rows:
        classes: list[str] = ["total"] if r.style == "total" else []
        if r.rag:
            classes.append(f"rag-{r.rag}")
        cls = f' class="{page.escape(" ".join(classes))}"' if classes else ""
        label = ("&nbsp;&nbsp;" * r.indent) + page.escape(r.label)
        if r.style == "subtotal":
            label = f"<strong>{label}</strong>"
        where = _cited(report, r.source) if r.source else "computed"
        cells = [f'<td title="{page.escape(where)}">{label}</td>']
        for c in t.columns:
            key = (t.namespace, r.item, c.measure)
            text = page.escape(format_value(r.values.get(c.measure), c.kind))
            css = "num" if c.kind != "text" else ""
            if key in report.flags:
                text += (
                    f' <span class="flag" title="{page.escape(report.flags[key].describe())}">†{numbers[key]}</span>'
                )
                css += " flagged"
            cells.append(f'<td class="{page.escape(css.strip())}">{text}</td>')
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    note = f'<p class="note">{page.escape(t.note)}</p>' if t.note else ""
    return (
        f'<h3 id="{page.escape(t.key)}">{page.escape(t.title)}</h3>'
        f'<table data-table="{page.escape(t.key)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}'
    )


def variance_chart(report: FinanceReport) -> Figure:
    areas = report.monitoring.areas()
    fig, ax = figure(10.0, 0.45 * len(areas) + 1.4)
    y = list(range(len(areas)))[::-1]
    values = [millions_from_gbp(a.net.variance_gbp) for a in areas]
    ax.barh(y, values, color=[PALETTE[3] if v > 0 else PALETTE[2] for v in values])
    ax.set_yticks(y, [a.name for a in areas])
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_xlabel("Forecast variance, £m (overspend positive)")
    for yi, v in zip(y, values, strict=True):
        ax.text(v, yi, f" {v:,.3f}", va="center", fontsize=8)
    return fig


def savings_chart(report: FinanceReport) -> Figure:
    assert report.savings is not None
    by_rag = report.savings.by_rag()
    fig, ax = figure(8.0, 2.8)
    labels = [f"{rag.capitalize()} ({n})" for rag, (_, _, n) in by_rag.items()]
    targets = [-millions_from_gbp(t) for t, _, _ in by_rag.values()]
    forecasts = [-millions_from_gbp(f) for _, f, _ in by_rag.values()]
    y = list(range(len(labels)))[::-1]
    ax.barh([v + 0.2 for v in y], targets, height=0.4, color="#bbbbbb", label="Target")
    ax.barh([v - 0.2 for v in y], forecasts, height=0.4, color=[RAG_COLOURS[r] for r in by_rag], label="Forecast")
    ax.set_yticks(y, labels)
    ax.set_xlabel("Savings, £m")
    ax.legend(loc="lower right", frameon=False)
    return fig


def reserves_chart(report: FinanceReport) -> Figure:
    rows = [r for r in report.table("reserves").rows if r.style == "line"]
    fig, ax = figure(8.0, 0.45 * len(rows) + 1.4)
    y = list(range(len(rows)))[::-1]
    opening = [millions_from_gbp(r.values["opening"]) for r in rows]
    closing = [millions_from_gbp(r.values["closing"]) for r in rows]
    ax.barh([v + 0.2 for v in y], opening, height=0.4, color=PALETTE[0], label="Opening")
    ax.barh([v - 0.2 for v in y], closing, height=0.4, color=PALETTE[1], label="Closing")
    ax.set_yticks(y, [r.label for r in rows])
    ax.set_xlabel("£m")
    ax.legend(loc="lower right", frameon=False)
    return fig


def report_charts(report: FinanceReport) -> list[tuple[str, Figure, str]]:
    """Each chart with the section it belongs to and its caption (the same in HTML and Word)."""
    charts = [("Summary by area", variance_chart(report), "Forecast variance by area (£m)")]
    if report.savings:
        charts.append(("Savings programme", savings_chart(report), "Savings by RAG status: target and forecast (£m)"))
    if report.pack.reserves:
        charts.append(
            (
                "Reserves and provisions",
                reserves_chart(report),
                "Reserves and provisions: opening and closing balances (£m)",
            )
        )
    return charts


SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Summary by area", ("summary", "periods")),
    ("Detail by service", ()),  # filled with the detail-* tables
    ("Explanation of variances", ("commentary",)),
    (
        "Savings programme",
        (
            "savings-summary",
            "savings-risk",
            "savings-rag",
            "savings-detail",
            "savings-by-workstream",
            "savings-requirement",
        ),
    ),
    ("Reserves and provisions", ("reserves",)),
    ("Capital programme", ("capital",)),
    (
        "Medium-term financial strategy",
        ("mtfs-gap", "mtfs-detail", "council-tax", "allocation-first-year", "allocation-by-year"),
    ),
)


def section_tables(report: FinanceReport) -> list[tuple[str, list[ReportTable]]]:
    keys = {t.key for t in report.tables}
    out = []
    for heading, wanted in SECTIONS:
        if heading == "Detail by service":
            chosen = [t for t in report.tables if t.key.startswith("detail-")]
        else:
            chosen = [report.table(k) for k in wanted if k in keys]
        if chosen:
            out.append((heading, chosen))
    return out


def flag_rows(report: FinanceReport, numbers: dict[tuple[str, str, str], int]) -> list[list[str]]:
    rows = []
    for key, n in numbers.items():
        f: PrintedFigureFlag = report.flags[key]
        rows.append(
            [
                f"†{n}",
                f"{f.namespace}: {f.item}, {f.measure}",
                format_value(f.printed, f.kind),
                format_value(f.computed, f.kind),
                format_value(f.difference, f.kind),
                f.nature,
                _cited(report, f.source),
            ]
        )
    return rows


SOURCE_HEADERS = ["Table", "Row", "Source"]


def _cited(report: FinanceReport, line: str) -> str:
    """Where a figure was printed, in words: the publication and its page or section (or the council's own file)."""
    if not report.pack.document:
        return line
    return cite(report.pack.document, line)


def _cited_text(report: FinanceReport) -> str:
    """Every citation the report makes, for its references list."""
    parts = [row[-1] for row in source_rows(report)] + [_cited(report, f.source) for f in report.flags.values()]
    return " ".join(parts) + (f" {cite(report.pack.document)}" if report.pack.document else "")


def source_rows(report: FinanceReport) -> list[list[str]]:
    """Each entered row once, with the document and line its figures were taken from."""
    seen: set[tuple[str, str]] = set()
    rows = []
    for t in report.tables:
        for r in t.rows:
            if r.source and (t.namespace, r.item) not in seen:
                seen.add((t.namespace, r.item))
                rows.append([t.title, r.label, _cited(report, r.source)])
    return rows


FLAG_HEADERS = ["Mark", "Figure", "Printed", "Computed", "Difference", "Nature", "Source line"]


def render_html(report: FinanceReport) -> str:
    numbers = flag_numbers(report)
    s = report.pack.settings
    sections = [page.Section("Executive summary", f'<div class="summary">{page.paragraphs(*headline(report))}</div>')]
    charts = {heading: page.chart(to_svg(fig), caption) for heading, fig, caption in report_charts(report)}
    for heading, tables in section_tables(report):
        body = "".join(_html_table(t, report, numbers) for t in tables) + charts.get(heading, "")
        sections.append(page.Section(heading, body))
    if numbers:
        sections.append(
            page.Section(
                "Differences from the printed source",
                page.paragraphs(
                    "Every figure above is computed from the lines. Where the source prints a different figure, the computed "
                    "one is shown and marked †; 'rounding' means within the source's rounding (±0.002 £m, ±0.02%)."
                )
                + page.table(FLAG_HEADERS, flag_rows(report, numbers), numeric=(2, 3, 4)),
            )
        )
    sources = source_rows(report)
    if sources:
        sections.append(
            page.Section(
                "Where the figures came from",
                page.paragraphs(
                    "Totals, variances and percentages are computed; these rows were entered from the source."
                )
                + page.table(SOURCE_HEADERS, sources),
            )
        )
    document = f" Source: {cite(report.pack.document)}." if report.pack.document else ""
    return page.render_page(
        f"{s.department}: finance monitoring, period {report.monitoring.period} {s.financial_year}",
        sections,
        subtitle=f"{s.council}. £m unless stated; negatives in brackets.{document}",
    )


# ---------------------------------------------------------------- Word


def render_docx(report: FinanceReport, path: Path, style: HouseStyle | None = None) -> None:
    """The committee paper in Word: A4 portrait, wide tables on landscape pages, charts as captioned images."""
    numbers = flag_numbers(report)
    s = report.pack.settings
    style = style or HouseStyle()
    if style.council is None:
        style = style.model_copy(update={"council": s.council})
    paper = CommitteePaper(
        f"{s.department}: finance monitoring, period {report.monitoring.period} {s.financial_year}",
        f"{s.council}. £m unless stated; negatives in brackets.",
        style,
    )
    paper.heading("Executive summary")
    for sentence in headline(report):
        paper.paragraph(sentence)
    charts = {heading: (fig, caption) for heading, fig, caption in report_charts(report)}
    for heading, tables in section_tables(report):
        paper.heading(heading, wide=is_wide(["", *(c.heading for c in tables[0].columns)]))
        for t in tables:
            rows, bold, fills = [], [], {}
            for n, r in enumerate(t.rows):
                cells = [("  " * r.indent) + r.label]
                for c in t.columns:
                    text = format_value(r.values.get(c.measure), c.kind)
                    if (t.namespace, r.item, c.measure) in report.flags:
                        text += f" †{numbers[(t.namespace, r.item, c.measure)]}"
                    cells.append(text)
                rows.append(cells)
                if r.style != "line":
                    bold.append(n)
                if r.rag:
                    fills[n] = DOCX_RAG_FILL[r.rag]
            numeric = [i for i, c in enumerate(t.columns, start=1) if c.kind != "text"]
            headers = [t.label_heading, *(c.heading for c in t.columns)]
            paper.table(t.title, headers, rows, numeric, bold, fills, t.note)
        if heading in charts:
            fig, caption = charts.pop(heading)
            paper.figure(to_png(fig), caption)
    if numbers:
        paper.heading("Differences from the printed source")
        paper.table(None, FLAG_HEADERS, flag_rows(report, numbers), numeric=(2, 3, 4))
    sources = source_rows(report)
    if sources:
        paper.heading("Where the figures came from")
        paper.table(None, SOURCE_HEADERS, sources)
    cited = references_for(_cited_text(report))
    if cited:
        paper.heading("References")
        for entry in cited:
            paper.paragraph(entry.replace("*", ""))
    paper.save(path)


# ---------------------------------------------------------------- Excel


def render_xlsx(report: FinanceReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    from careflow.safety import formula, save_workbook, sheet_title

    numbers = flag_numbers(report)
    workbook = Workbook()
    about = workbook.active
    about.title = "Executive summary"
    for i, sentence in enumerate(headline(report), start=1):
        about.cell(i, 1, sentence)
    about.column_dimensions["A"].width = 130
    money_format = "#,##0.000;(#,##0.000);0.000"
    percent_format = '0.00"%";(0.00"%");0.00"%"'
    for t in report.tables:
        sheet = workbook.create_sheet(sheet_title(t.key))
        sheet.cell(1, 1, t.title).font = Font(bold=True, size=12)
        headers = [t.label_heading or "Item", *(c.heading for c in t.columns)]
        for i, h in enumerate(headers, start=1):
            sheet.cell(3, i, h).font = Font(bold=True)
        line_rows: list[int] = []  # the line rows since the last total, for live =SUM() totals
        for n, r in enumerate(t.rows, start=4):
            sheet.cell(n, 1, ("  " * r.indent) + r.label).font = Font(bold=r.style != "line")
            for i, c in enumerate(t.columns, start=2):
                value = r.values.get(c.measure)
                if isinstance(value, float) and c.kind in DECIMALS:
                    # stored as shown (money in £m); + 0.0 turns -0.0 into 0.0
                    value = round(shown_number(value, c.kind), DECIMALS[c.kind]) + 0.0
                parts = [sheet.cell(p, i).value for p in line_rows]
                if (
                    r.style != "line"
                    and c.kind == "gbp"
                    and isinstance(value, float)
                    and parts
                    and all(isinstance(p, int | float) for p in parts)
                    and round(sum(parts), DECIMALS["gbp"]) == value  # shows the same as the paper's total
                ):
                    letter = sheet.cell(n, i).column_letter
                    value = f"=SUM({letter}{line_rows[0]}:{letter}{line_rows[-1]})"
                if isinstance(value, str) and value.startswith("=SUM("):
                    cell = formula(sheet, n, i, value)  # careflow's own total: kept live when saved
                else:
                    cell = sheet.cell(n, i, value)
                if c.kind == "gbp":
                    cell.number_format = money_format
                elif c.kind == "percent":
                    cell.number_format = percent_format
                if r.style != "line":
                    cell.font = Font(bold=True)
                key = (t.namespace, r.item, c.measure)
                if key in report.flags:
                    cell.comment = Comment(f"†{numbers[key]}: {report.flags[key].describe()}", "careflow")
                    cell.fill = PatternFill("solid", fgColor="FFF4E5")
                if r.rag and c.measure == "rag":
                    cell.fill = PatternFill("solid", fgColor=DOCX_RAG_FILL[r.rag])
            if r.style == "line":
                if line_rows and line_rows[-1] != n - 1:
                    line_rows = []  # only a contiguous run of lines is summed
                line_rows.append(n)
            else:
                line_rows = []
        if t.note:
            sheet.cell(len(t.rows) + 5, 1, t.note).font = Font(italic=True)
        sheet.column_dimensions["A"].width = 60
        for i in range(2, len(headers) + 1):
            sheet.column_dimensions[sheet.cell(3, i).column_letter].width = 16
        sheet.freeze_panes = "B4"
    if numbers:
        sheet = workbook.create_sheet("differences")
        for i, h in enumerate(FLAG_HEADERS, start=1):
            sheet.cell(1, i, h).font = Font(bold=True)
        for n, (key, mark) in enumerate(numbers.items(), start=2):
            f = report.flags[key]
            for i, v in enumerate(
                [
                    f"†{mark}",
                    f"{f.namespace}: {f.item}, {f.measure}",
                    shown_number(f.printed, f.kind),  # as the paper prints it: £m for money
                    None if f.computed is None else shown_number(f.computed, f.kind),
                    None if f.difference is None else shown_number(f.difference, f.kind),
                    f.nature,
                    _cited(report, f.source),
                ],
                start=1,
            ):
                sheet.cell(n, i, v)
    sources = source_rows(report)
    if sources:
        sheet = workbook.create_sheet("sources")
        sheet.append(SOURCE_HEADERS)
        for row in sources:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 50
        sheet.column_dimensions["B"].width = 60
        sheet.column_dimensions["C"].width = 50
    cited = references_for(_cited_text(report))
    if cited:
        sheet = workbook.create_sheet("References")
        sheet.append(["reference"])
        for entry in cited:
            sheet.append([entry])
        sheet.column_dimensions["A"].width = 120
    save_workbook(workbook, path)


# ---------------------------------------------------------------- JSON


def report_json(report: FinanceReport) -> dict[str, Any]:
    """Every table as data: unrounded values (money in £, as a column of kind "gbp" says), the printed figure where
    it differs, and the flags."""

    def row_json(t: ReportTable, r: ReportRow) -> dict[str, Any]:
        out: dict[str, Any] = {"label": r.label, "item": r.item, "style": r.style, "values": r.values}
        out["source"] = _cited(report, r.source) if r.source else "computed from the rows it totals"
        if r.rag:
            out["rag"] = r.rag
        flags = {
            c.measure: _flag_json(report.flags[(t.namespace, r.item, c.measure)])
            for c in t.columns
            if (t.namespace, r.item, c.measure) in report.flags
        }
        if flags:
            out["flags"] = flags
        return out

    s = report.pack.settings
    return {
        "council": s.council,
        "department": s.department,
        "financial_year": s.financial_year,
        "period": report.monitoring.period,
        "previous_period": report.monitoring.previous_period,
        "summary": headline(report),
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "namespace": t.namespace,
                "label_heading": t.label_heading,
                "columns": [_column_json(c) for c in t.columns],
                "rows": [row_json(t, r) for r in t.rows],
                "note": t.note,
            }
            for t in report.tables
        ],
        "flags": [
            _flag_json(f) | {"table": f.namespace, "item": f.item, "measure": f.measure} for f in report.flags.values()
        ],
    }


def _column_json(c: ReportColumn) -> dict[str, str]:
    return {"heading": c.heading, "measure": c.measure, "kind": c.kind}


def _flag_json(f: PrintedFigureFlag) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "printed": f.printed,
        "computed": f.computed,
        "difference": f.difference,
        "nature": f.nature,
        "source": f.source,
    }


def render_report(
    report: FinanceReport, stem: str = "finance-report", style: HouseStyle | None = None
) -> dict[str, bytes]:
    """The three formats as bytes: HTML, Word (in the council's house style, if given) and Excel, from the same tables."""
    from careflow.files import rendered_bytes

    return {
        f"{stem}.html": render_html(report).encode("utf-8"),
        f"{stem}.docx": rendered_bytes(lambda path: render_docx(report, path, style), ".docx"),
        f"{stem}.xlsx": rendered_bytes(lambda path: render_xlsx(report, path), ".xlsx"),
    }
