"""Finance use cases: check a finance pack, build the committee report and its files, write the workbook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from careflow.errors import InputError, Problem
from careflow.finance.tables import FinanceReport
from careflow.services.inputs import RenderedFile, Source, Upload, Validation, display_name, read_source


class FinanceCheck(Validation):
    """A finance pack's check: every problem, or how much it holds and how many printed figures differ."""

    lines: int | None = None
    savings: int | None = None
    printed: int | None = None
    flags: int | None = None


class FinanceColumn(BaseModel):
    heading: str
    measure: str  # the column's name on the `printed` sheet too: budget, forecast, variance, a year, …
    kind: str = Field(description="gbp (money in £), percent, text or count")


class FinanceFlag(BaseModel):
    """A printed figure that differs from careflow's computed one (rounding or inconsistent), in the column's unit:
    £ when `kind` is gbp (the printed £m converted), % when it is percent."""

    kind: str
    printed: float
    computed: float | None
    difference: float | None
    nature: str
    source: str


class LocatedFinanceFlag(FinanceFlag):
    table: str
    item: str
    measure: str


class FinanceRow(BaseModel):
    label: str
    item: str
    style: str
    values: dict[str, Any]  # measure → value, in its column's unit (gbp: £)
    source: str
    rag: str | None = None
    flags: dict[str, FinanceFlag] | None = None


class FinanceTable(BaseModel):
    key: str
    title: str
    namespace: str
    label_heading: str
    columns: list[FinanceColumn]
    rows: list[FinanceRow]
    note: str


class FinanceReportResult(BaseModel):
    """Every table of the committee report as data (unrounded values; money in £), the headline sentences and the
    flags."""

    council: str
    department: str
    financial_year: str
    period: int
    previous_period: int | None
    summary: list[str]
    tables: list[FinanceTable]
    flags: list[LocatedFinanceFlag]
    written: list[str] = []

    def table(self, key: str) -> FinanceTable:
        return next(t for t in self.tables if t.key == key)

    def department_total(self) -> FinanceRow:
        """The department's total row of the summary (net budget, forecast outturn, variance)."""
        return next(r for r in self.table("summary").rows if r.style == "total")


class FinancePackReport(BaseModel):
    """The typed report and, when asked for, its HTML, Word and Excel files."""

    report: FinanceReportResult
    files: list[RenderedFile] = Field(default_factory=list, exclude=True)  # bytes: written, never in JSON


def build_finance_report(source: Source, period: int | None = None) -> FinanceReport:
    """Read and check a finance workbook, CSV folder or upload, and build every table; located problems otherwise."""
    from careflow.finance.tables import build_report
    from careflow.finance.workbook import load

    pack = read_source(source, load)
    name = display_name(source)
    if period is not None and not any(p.period == period for p in pack.positions):
        raise InputError(
            [Problem(name, f"no positions recorded for period {period}", "a period with a forecast for every line",
                     "positions")]
        )  # fmt: skip
    report = build_report(pack, period)
    if report.unmatched:
        is_folder = not isinstance(source, Upload) and Path(source).is_dir()
        where = str(Path(name) / "printed.csv") if is_folder else name
        raise InputError(
            [
                Problem(where, f"no computed figure '{p.measure}' for '{p.item}' in table '{p.table}'",
                        "a table, item and measure the report shows (see docs/finance.md)", "printed", p.row, "item")
                for p in report.unmatched
            ]
        )  # fmt: skip
    return report


def check_finance(source: Source) -> FinanceCheck:
    """Check a finance pack: every problem located (file, sheet, row, column), or what it holds."""
    report = build_finance_report(source)
    return FinanceCheck(
        valid=True,
        lines=len(report.pack.lines),
        savings=len(report.pack.savings),
        printed=len(report.pack.printed),
        flags=len(report.flags),
    )


def finance_report(
    source: Source, period: int | None = None, render: bool = False, style: Path | None = None
) -> FinancePackReport:
    """The committee report's tables as data and, with `render`, as HTML, Word (in `style`, a house-style YAML
    file) and Excel files."""
    from careflow.finance.report import render_report, report_json
    from careflow.report.word import load_style

    house_style = load_style(style)  # a bad style file is reported before the pack is read
    report = build_finance_report(source, period)
    rendered = render_report(report, style=house_style) if render else {}
    files = [RenderedFile(name=n, data=d) for n, d in rendered.items()]
    return FinancePackReport(report=FinanceReportResult.model_validate(report_json(report)), files=files)


def finance_template(source: Source | None = None) -> bytes:
    """The blank finance workbook, or a filled copy of an existing workbook or CSV folder."""
    from careflow.files import rendered_bytes
    from careflow.finance.workbook import copy_to_workbook, write_template

    if source is None:
        return rendered_bytes(write_template, ".xlsx")
    return read_source(source, lambda path: rendered_bytes(lambda out: copy_to_workbook(path, out), ".xlsx"))


class FinanceLineForecast(BaseModel):
    """A budget line (not a group) as next period's pack asks about it: this period's forecast and explanation."""

    code: str
    name: str
    area: str
    budget_gbp: float
    forecast_gbp: float
    commentary: str


class FinancePeriod(BaseModel):
    """What a pack reports (its period) and the lines whose forecasts a roll-forward carries over."""

    period: int
    lines: list[FinanceLineForecast]


class RollForward(BaseModel):
    """A roll-forward to a later period, with new forecasts (£) and explanations by line code; lines not given
    keep this period's forecast, as `careflow finance roll-forward` carries them."""

    to_period: int  # checked against the pack's own period, with a located problem
    forecasts_gbp: dict[str, float] = Field(default_factory=dict)
    commentary: dict[str, str] = Field(default_factory=dict)


def finance_period(source: Source) -> FinancePeriod:
    """The lines of a checked pack with their forecast and explanation at the pack's own period."""
    report = build_finance_report(source)
    m = report.monitoring
    lines = [
        FinanceLineForecast(
            code=code,
            name=m.lines[code].name,
            area=m.lines[m.lines[code].parent or m.root].name,
            budget_gbp=m.lines[code].net.budget_gbp,
            forecast_gbp=m.lines[code].net.forecast_gbp,
            commentary=m.lines[code].commentary,
        )
        for code in m.order
        if m.lines[code].kind != "group"
    ]
    return FinancePeriod(period=m.period, lines=lines)


def roll_forward_pack(source: Source, asked: RollForward, asked_in: str = "--to-period") -> bytes:
    """Next period's workbook: the pack's structure carried over (`careflow finance roll-forward`), with the new
    forecasts and explanations written in; printed check figures stay with the period that printed them. The
    result is checked as an upload would be, so a rolled pack with problems is refused, never written."""
    from careflow.files import rendered_bytes
    from careflow.finance.workbook import roll_forward, write_pack_rows

    def rolled(path: Path) -> dict[str, Sequence[Sequence[Any]]]:
        return roll_forward(path, asked.to_period, asked.forecasts_gbp, asked.commentary, asked_in)

    rows = read_source(source, rolled)
    data = rendered_bytes(lambda path: write_pack_rows(path, rows), ".xlsx")
    if asked.forecasts_gbp or asked.commentary:
        build_finance_report(Upload(name=display_name(source), data=data))  # the form's figures pass every check
    return data
