"""What finance officers do in a workspace: keep a period's pack as a version, roll it forward, read the trend.

Each action checks the role, calls `careflow.services.finance` (the code behind `careflow finance report` and
`finance roll-forward`) and stores the result with its audit event; the pages only parse and render.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from careflow.services import (
    FinancePeriod,
    FinanceReportResult,
    RollForward,
    Upload,
    finance_period,
    finance_report,
    roll_forward_pack,
)
from careflow.store import records
from careflow.store.models import FinancePackVersion
from careflow.web.auth import FINANCE, READ, Member, NotFound
from careflow.web.uploads import WORKBOOK_SUFFIXES, check_upload, display_name

ROLL_FORM = "roll-forward form"
PAPER_FORMATS = {"html": "text/html; charset=utf-8", "docx": "application/vnd.openxmlformats-officedocument"
                 ".wordprocessingml.document", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def _upload(version: FinancePackVersion) -> Upload:
    return Upload(name=version.file_name, data=version.content)


def _keep(
    db: Any, who: Member, name: str, content: bytes, rolled_from: FinancePackVersion | None
) -> FinancePackVersion:
    """Check the pack as `careflow finance report` does; only a pack with no problems is kept, as a new version."""
    result = finance_report(Upload(name=name, data=content)).report
    total = result.department_total().values
    pack = FinancePackVersion(
        workspace_id=who.workspace.id,
        period=result.period,
        financial_year=result.financial_year,
        council=result.council,
        department=result.department,
        file_name=name,
        budget_gbp=total["budget"],
        forecast_gbp=total["forecast"],
        content=content,
        report_json=result.model_dump_json(),
        created_by=who.user.id,
    )
    return records.add_finance_pack(db, pack, rolled_from, who.visitor.actor)


def upload_pack(db: Any, who: Member, file_name: str | None, content: bytes) -> FinancePackVersion:
    who.require(FINANCE)
    name = display_name(file_name)
    check_upload(content, name, WORKBOOK_SUFFIXES)
    return _keep(db, who, name, content, None)


def pack_version(db: Any, who: Member, number: int) -> FinancePackVersion:
    who.require(READ)
    found = records.finance_pack(db, who.workspace.id, number)
    if found is None:
        raise NotFound("No such finance pack in this workspace.")
    return found


def report_of(version: FinancePackVersion) -> FinanceReportResult:
    return FinanceReportResult.model_validate_json(version.report_json)


def period_of(version: FinancePackVersion) -> FinancePeriod:
    """The pack's lines with this period's forecasts and explanations: what the roll-forward form starts from."""
    return _period(version.content_sha256, version.file_name, version.content)


@lru_cache(maxsize=16)
def _period(sha: str, name: str, content: bytes) -> FinancePeriod:
    # Versions never change, so the lines read once for a content hash stay right.
    return finance_period(Upload(name=name, data=content))


def rolled_name(version: FinancePackVersion, to_period: int) -> str:
    return f"{PurePath(version.file_name).stem[:80]}-period-{to_period}.xlsx"


def rolled_workbook(db: Any, who: Member, number: int, to_period: int) -> tuple[str, bytes]:
    """Next period's workbook with this period's forecasts carried over, to fill in offline and upload."""
    version = pack_version(db, who, number)
    return rolled_name(version, to_period), roll_forward_pack(
        _upload(version), RollForward(to_period=to_period), ROLL_FORM
    )


def roll_forward(db: Any, who: Member, number: int, asked: RollForward) -> FinancePackVersion:
    """Next period's pack from this one, with the new forecasts and explanations, kept as a new version."""
    who.require(FINANCE)
    version = pack_version(db, who, number)
    content = roll_forward_pack(_upload(version), asked, ROLL_FORM)
    return _keep(db, who, rolled_name(version, asked.to_period), content, version)


def paper(db: Any, who: Member, number: int, kind: str) -> tuple[str, str, bytes]:
    """The committee paper as .html, .docx or .xlsx: (file name, media type, bytes), from the same renderers as
    `careflow finance report --out`."""
    version = pack_version(db, who, number)
    if kind not in PAPER_FORMATS:
        raise NotFound("No such format for the committee paper.")
    files = _paper_files(version.content_sha256, version.file_name, version.content)
    name = f"finance-report.{kind}"
    return f"finance-report-p{version.period}-v{version.number}.{kind}", PAPER_FORMATS[kind], files[name]


@lru_cache(maxsize=4)
def _paper_files(sha: str, name: str, content: bytes) -> dict[str, bytes]:
    # Rendering the three formats takes a second or two; a version's paper is the same every time it is asked for.
    return {f.name: f.data for f in finance_report(Upload(name=name, data=content), render=True).files}


@dataclass
class TrendPoint:
    period: int
    number: int
    budget_gbp: float
    forecast_gbp: float

    @property
    def variance_gbp(self) -> float:
        return self.forecast_gbp - self.budget_gbp


def trend(db: Any, who: Member, financial_year: str) -> list[TrendPoint]:
    """The department's forecast outturn by period in one financial year: the latest version of each period."""
    who.require(READ)
    latest: dict[int, FinancePackVersion] = {}
    for version in records.finance_packs(db, who.workspace.id):  # newest first: the first seen per period wins
        if version.financial_year == financial_year:
            latest.setdefault(version.period, version)
    return [TrendPoint(p, v.number, v.budget_gbp, v.forecast_gbp) for p, v in sorted(latest.items())]


def trend_chart(points: list[TrendPoint], financial_year: str) -> str:
    """The trend as an SVG line chart (the page's table is its text alternative)."""
    from careflow.finance.money import millions_from_gbp
    from careflow.report.svg import PALETTE, Chart

    chart = Chart([f"P{p.period}" for p in points], "£m", title=f"Forecast outturn by period, {financial_year}")
    chart.line([millions_from_gbp(p.forecast_gbp) for p in points], PALETTE[0], "Forecast outturn")
    chart.line([millions_from_gbp(p.budget_gbp) for p in points], PALETTE[1], "Net budget", dash="6 4")
    return chart.svg()
