"""Finance officers' pages: a period's pack uploaded and checked, the committee tables, the paper in three formats,
roll-forward to the next period, and the trend of the forecast outturn. Routes parse, call and render only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careflow.errors import InputError, Problem
from careflow.finance.money import gbp_from_millions, millions_from_gbp
from careflow.finance.report import format_value
from careflow.services import FinanceReportResult, RollForward
from careflow.store import records
from careflow.web import finance_actions as actions
from careflow.web.auth import Db, FinanceOfficer, Id, Member, Membership, NotFound, csrf_protected
from careflow.web.pages import render, see_other
from careflow.web.uploads import MAX_UPLOAD_BYTES

router = APIRouter(include_in_schema=False)
Csrf = Depends(csrf_protected)
MAX_COMMENTARY = 2000  # characters: a committee paper's explanation is a paragraph, not a report
Period = Annotated[int, Query(ge=1, le=12)]


def _index(request: Request, db: Any, who: Member, problems: list[Problem], status: int = 200) -> Response:
    versions = records.finance_packs(db, who.workspace.id)
    year = versions[0].financial_year if versions else ""
    return render(
        request,
        "finance.html",
        who,
        versions=versions,
        trend=actions.trend(db, who, year) if versions else [],
        latest=versions[0] if versions else None,
        problems=problems,
        FINANCE=actions.FINANCE,
        shown=format_value,
        status=status,
    )


@router.get("/w/{workspace_id}/finance")
def finance(request: Request, db: Db, who: Membership) -> Response:
    return _index(request, db, who, [])


@router.post("/w/{workspace_id}/finance", dependencies=[Csrf])
async def upload_pack(request: Request, db: Db, who: FinanceOfficer, pack: Annotated[UploadFile, File()]) -> Response:
    content = await pack.read(MAX_UPLOAD_BYTES + 1)
    try:
        # Checking a pack is a second or two of CPU: off the event loop, so other requests go on meanwhile.
        version = await run_in_threadpool(actions.upload_pack, db, who, pack.filename, content)
    except InputError as error:
        return _index(request, db, who, error.problems, 422)
    return see_other(f"/w/{who.workspace.id}/finance/{version.number}?saved=1")


@router.get("/w/{workspace_id}/finance/trend.svg")
def trend_chart(db: Db, who: Membership) -> Response:
    versions = records.finance_packs(db, who.workspace.id)
    if not versions:
        raise NotFound("No finance pack in this workspace yet.")
    year = versions[0].financial_year
    return Response(actions.trend_chart(actions.trend(db, who, year), year), media_type="image/svg+xml")


def differences(report: FinanceReportResult) -> list[dict[str, str]]:
    """The flagged figures as a reader finds them in the tables: row label and column heading, in council style."""
    labels: dict[tuple[str, str], str] = {}
    columns: dict[tuple[str, str], tuple[str, str]] = {}
    for t in report.tables:
        for r in t.rows:
            labels.setdefault((t.namespace, r.item), r.label)
        for c in t.columns:
            columns.setdefault((t.namespace, c.measure), (c.heading, c.kind))
    rows = []
    for f in report.flags:
        heading, kind = columns.get((f.table, f.measure), (f.measure, f.kind))
        rows.append(
            {
                "figure": f"{labels.get((f.table, f.item), f.item)}: {heading}",
                "printed": format_value(f.printed, kind),
                "computed": format_value(f.computed, kind),
                "difference": format_value(f.difference, kind),
                "nature": f.nature,
                "source": f.source,
            }
        )
    return rows


@router.get("/w/{workspace_id}/finance/{number}")
def pack(request: Request, db: Db, who: Membership, number: Id) -> Response:
    version = actions.pack_version(db, who, number)
    report = actions.report_of(version)
    marked = {(f.table, f.item, f.measure) for f in report.flags}
    return render(
        request,
        "finance_pack.html",
        who,
        version=version,
        report=report,
        marked=marked,
        differences=differences(report),
        shown=format_value,
        rolled_from=next(
            (v for v in records.finance_packs(db, who.workspace.id) if v.id == version.rolled_from_id), None
        ),
        FINANCE=actions.FINANCE,
    )


@router.get("/w/{workspace_id}/finance/{number}/paper.{kind}")
def paper(db: Db, who: Membership, number: Id, kind: str) -> Response:
    name, media_type, content = actions.paper(db, who, number, kind)
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/w/{workspace_id}/finance/{number}/file")
def pack_file(db: Db, who: Membership, number: Id) -> Response:
    version = actions.pack_version(db, who, number)
    return Response(
        version.content,
        media_type=actions.PAPER_FORMATS["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="finance-pack-v{version.number}.xlsx"'},
    )


def _roll_page(
    request: Request,
    who: Member,
    version: Any,
    to_period: int,
    entered: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
) -> Response:
    period = actions.period_of(version)
    return render(
        request,
        "finance_roll.html",
        who,
        version=version,
        period=period,
        to_period=to_period,
        entered=entered or {},
        problems=problems or [],
        status=422 if problems else 200,
        millions=millions_from_gbp,
    )


@router.get("/w/{workspace_id}/finance/{number}/roll")
def roll_form(request: Request, db: Db, who: FinanceOfficer, number: Id, to_period: Period | None = None) -> Response:
    version = actions.pack_version(db, who, number)
    if version.period >= 12:
        detail = "Period 12 is the year's last: next year's pack starts from the template (careflow finance template)."
        return render(request, "error.html", who, title="Nothing to roll forward to", detail=detail, status=422)
    return _roll_page(request, who, version, to_period or version.period + 1)


@router.get("/w/{workspace_id}/finance/{number}/rolled.xlsx")
def rolled_workbook(db: Db, who: Membership, number: Id, to_period: Period) -> Response:
    name, content = actions.rolled_workbook(db, who, number, to_period)
    return Response(
        content,
        media_type=actions.PAPER_FORMATS["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _gbp(text: str, code: str, problems: list[Problem]) -> float | None:
    """A forecast typed in £m, as committee papers print it, in £."""
    cleaned = text.strip().replace(",", "").replace("£", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")  # (1.234) as committee papers print a credit
    try:
        value = float(cleaned.strip("()"))
    except ValueError:
        value = None
    if value is None or value != value or abs(value) > 1e9:
        shown = f"'{text[:40]}'" if text.strip() else "nothing"
        problems.append(
            Problem(actions.ROLL_FORM, shown, "a forecast in £m, e.g. 12.345", column=f"forecast for {code}")
        )
        return None
    return gbp_from_millions(-value if negative else value)


def roll_request(form: Any, codes: list[str]) -> tuple[RollForward, dict[str, str]]:
    """The roll-forward asked for in the form: every line's forecast and explanation, each problem located."""
    problems: list[Problem] = []
    entered = {key: str(value) for key, value in form.items() if isinstance(value, str) and key != "csrf_token"}
    to_period_text = entered.get("to_period", "").strip()
    to_period = int(to_period_text) if to_period_text.isdigit() and len(to_period_text) <= 2 else 0
    if not 1 <= to_period <= 12:
        problems.append(
            Problem(actions.ROLL_FORM, f"'{to_period_text[:20]}'", "a period from 1 to 12", column="period")
        )
    forecasts: dict[str, float] = {}
    commentary: dict[str, str] = {}
    for code in codes:
        value = _gbp(entered.get(f"forecast.{code}", ""), code, problems)
        if value is not None:
            forecasts[code] = value
        text = entered.get(f"commentary.{code}", "").strip()
        if len(text) > MAX_COMMENTARY:
            problems.append(
                Problem(
                    actions.ROLL_FORM,
                    f"{len(text):,} characters",
                    f"at most {MAX_COMMENTARY:,}",
                    column=f"explanation for {code}",
                )
            )
        elif text:
            commentary[code] = text
    if problems:
        raise InputError(problems)
    return RollForward(to_period=to_period, forecasts_gbp=forecasts, commentary=commentary), entered


@router.post("/w/{workspace_id}/finance/{number}/roll", dependencies=[Csrf])
async def roll_forward(request: Request, db: Db, who: FinanceOfficer, number: Id) -> Response:
    version = actions.pack_version(db, who, number)
    form = await request.form()  # already read (and capped at 1,000 fields) by the CSRF check
    codes = [line.code for line in (await run_in_threadpool(actions.period_of, version)).lines]
    entered: dict[str, str] = {}
    try:
        asked, entered = roll_request(form, codes)
        rolled = await run_in_threadpool(actions.roll_forward, db, who, number, asked)
    except InputError as error:
        entered = entered or {k: str(v) for k, v in form.items() if isinstance(v, str)}
        to_period = version.period + 1
        return _roll_page(request, who, version, to_period, entered, error.problems)
    return see_other(f"/w/{who.workspace.id}/finance/{rolled.number}?rolled=1")
