"""Performance analysts' pages: upload monthly indicator data, the RAG dashboard with trends and targets, the
indicators a workspace tracks, and comparison with published ASCOF outcomes and the council's nearest neighbours.

Routes only parse, call `careflow.services.indicator_dashboard` (the same use case as `careflow indicators
report`) and render; storage and audit are in `careflow.store.indicator_records`."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careflow.errors import InputError, Problem
from careflow.store import indicator_records
from careflow.web.auth import Db, Id, Membership, NotFound, Writer, csrf_protected
from careflow.web.pages import render, see_other
from careflow.web.uploads import MAX_UPLOAD_BYTES, check_upload, display_name

if TYPE_CHECKING:
    from careflow.services.indicators import IndicatorDashboard
    from careflow.store.models import IndicatorUpload

router = APIRouter(include_in_schema=False)
Csrf = Depends(csrf_protected)
INDICATOR_SUFFIXES = (".xlsx", ".csv")
ASCOF_FILE = "dhsc-ascof-time-series-2024-25.ods"
NEIGHBOURS_FILE = "ons-statistical-nearest-neighbours-2025.xlsx"
ONS_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")  # an upper-tier council: unitary, metropolitan, London, county


def public_data() -> Path | None:
    """The folder of published statistics (the importer's: $CAREFLOW_PUBLIC_DATA, else ../shared/data/public
    beside a checkout) if it holds the ASCOF time series; None when this server has not been given them."""
    from careflow.imports.england import public_data_folder

    folder = public_data_folder()
    return folder if folder is not None and (folder / ASCOF_FILE).is_file() else None


def dashboard_of(who: Any, content: bytes, file_name: str, tracked: list[str], code: str | None) -> IndicatorDashboard:
    """The indicator dashboard of an upload, compared with published ASCOF and the nearest neighbours where possible."""
    from careflow.services import Upload, indicator_dashboard
    from careflow.services.indicators import ComparisonSources

    folder = public_data()
    compare = None
    if folder is not None and code:
        neighbours = folder / NEIGHBOURS_FILE
        compare = ComparisonSources(
            ascof=folder / ASCOF_FILE, neighbours=neighbours if neighbours.is_file() else None, council_code=code
        )
    return indicator_dashboard(
        Upload(name=file_name, data=content), who.workspace.name, tracked=tracked or None, compare=compare
    )


def _trend_image(reading: Any) -> str:
    """The trend line with the target dashed, as a data: URI for an <img> (its alt text is `trend_text`)."""
    return _trend_uri(tuple(p.value for p in reading.series), tuple(p.target for p in reading.series))


@lru_cache(maxsize=512)
def _trend_uri(values: tuple[float | None, ...], targets: tuple[float | None, ...]) -> str:
    # Drawing takes ~40 ms a line: a dashboard viewed again draws nothing
    from careflow.outcomes.dashboard import sparkline

    svg = sparkline(list(values), list(targets))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@router.get("/w/{workspace_id}/indicators")
def indicators(request: Request, db: Db, who: Membership) -> Response:
    tracked, code = indicator_records.tracked(db, who.workspace.id)
    return _upload_page(request, db, who, [], tracked, code)


def _upload_page(
    request: Request, db: Any, who: Any, problems: list[Problem], tracked: list[str], code: str | None
) -> Response:
    from careflow.outcomes.indicators import BY_ID

    return render(
        request, "indicators.html", who, uploads=indicator_records.uploads(db, who.workspace.id), problems=problems,
        tracked=[BY_ID[t].name for t in tracked if t in BY_ID], council_code=code,
        status=422 if problems else 200,
    )  # fmt: skip


def stored_upload(db: Any, who: Any, number: int) -> tuple[IndicatorUpload, list[str], str | None]:
    """One upload of this workspace (404 if there is none) with the workspace's tracked indicators and council."""
    found = indicator_records.upload(db, who.workspace.id, number)
    if found is None:
        raise NotFound("No such indicator data in this workspace.")
    return (found, *indicator_records.tracked(db, who.workspace.id))


def store_upload(db: Any, who: Any, file_name: str | None, content: bytes) -> IndicatorUpload:
    """Check a month-by-month data file in full (every problem, located); only a file with none is kept."""
    name = display_name(file_name)
    check_upload(content, name, INDICATOR_SUFFIXES)
    dashboard = dashboard_of(who, content, name, [], None)
    series = dashboard.indicators[0].series if dashboard.indicators else []
    months = (series[0].month, series[-1].month) if series else ("", "")
    return indicator_records.add_upload(db, who.workspace.id, name, content, months, who.visitor.actor, who.user.id)


@router.post("/w/{workspace_id}/indicators", dependencies=[Csrf])
async def upload_indicators(request: Request, db: Db, who: Writer, data: Annotated[UploadFile, File()]) -> Response:
    content = await data.read(MAX_UPLOAD_BYTES + 1)
    try:
        # Off the event loop: the check is CPU work, and a SQLite write may wait for the lock.
        saved = await run_in_threadpool(store_upload, db, who, data.filename, content)
    except InputError as error:
        tracked, code = indicator_records.tracked(db, who.workspace.id)
        return _upload_page(request, db, who, error.problems, tracked, code)
    return see_other(f"/w/{who.workspace.id}/indicators/{saved.number}")


@router.get("/w/{workspace_id}/indicators/tracked")
def tracked_form(request: Request, db: Db, who: Membership, saved: int = 0) -> Response:
    tracked, code = indicator_records.tracked(db, who.workspace.id)
    return _tracked_page(request, who, tracked, code or "", [], bool(saved))


def _tracked_page(
    request: Request, who: Any, tracked: list[str], code: str, problems: list[Problem], saved: bool = False
) -> Response:
    from careflow.services import indicator_registry

    return render(
        request, "indicators_tracked.html", who, registry=indicator_registry().indicators, tracked=set(tracked),
        council_code=code, problems=problems, saved=saved, public=public_data() is not None,
        status=422 if problems else 200,
    )  # fmt: skip


@router.post("/w/{workspace_id}/indicators/tracked", dependencies=[Csrf])
def save_tracked(
    request: Request,
    db: Db,
    who: Writer,
    indicator: Annotated[list[str] | None, Form(max_length=60)] = None,
    council_code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    from careflow.outcomes.indicators import select_indicators

    ids = list(dict.fromkeys(indicator or []))
    code = council_code.strip().upper()
    problems = []
    try:
        select_indicators(ids, "indicator")
    except InputError:
        # Only a changed form can send an id that is not a checkbox: say so without repeating what was sent
        problems.append(Problem("form", "an indicator id careflow does not know", "the indicators listed on this page",
                                column="indicator"))  # fmt: skip
    if code and not ONS_CODE.match(code):
        problems.append(
            Problem("form", "a code that is not an upper-tier council's ONS code",
                    "9 characters such as E10000020 (Norfolk): E06, E08, E09 or E10 and six digits",
                    column="council_code")
        )  # fmt: skip
    if problems:
        return _tracked_page(request, who, [i for i in ids if len(i) <= 60], "", problems)
    indicator_records.save_tracked(db, who.workspace.id, ids, code or None, who.visitor.actor, who.user.id)
    return see_other(f"/w/{who.workspace.id}/indicators/tracked?saved=1")


@router.get("/w/{workspace_id}/indicators/{number}")
def indicator_dashboard_page(request: Request, db: Db, who: Membership, number: Id) -> Response:
    from careflow.outcomes.indicators import format_value

    found, tracked, code = stored_upload(db, who, number)
    try:
        dashboard = dashboard_of(who, found.content, found.file_name, tracked, code)
    except InputError as error:
        # e.g. a council code no longer in the published file: show the problem, never a traceback
        return render(request, "indicators_dashboard.html", who, found=found, dashboard=None, problems=error.problems,
                      trends={}, counts={}, public=public_data() is not None, fmt=format_value,
                      status=422)  # fmt: skip
    counts = {k: sum(1 for r in dashboard.indicators if r.rag == k) for k in ("green", "amber", "red", "no data")}
    return render(
        request, "indicators_dashboard.html", who, found=found, dashboard=dashboard, problems=[],
        trends={r.id: _trend_image(r) for r in dashboard.indicators}, counts=counts, council_code=code,
        public=public_data() is not None, fmt=format_value,
    )  # fmt: skip
