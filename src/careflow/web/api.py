"""The JSON API under /api/v1: the pages' actions for scripts, typed models in the OpenAPI document, RFC 9457 errors."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from careflow.errors import InputError
from careflow.evidence.library import ClientGroup
from careflow.opportunity.model import OpportunityResult
from careflow.scenario import Scenario
from careflow.services.evidence import EvidenceSearch
from careflow.services.finance import FinanceReportResult
from careflow.services.indicators import IndicatorDashboard
from careflow.services.inputs import Upload
from careflow.services.national import NationalAtlas, SortKey
from careflow.services.reviews import ReviewSummaryResult, summarise_reviews
from careflow.store import accounts, indicator_records, records
from careflow.store.models import FinancePackVersion, Job, ScenarioVersion, Workspace
from careflow.web import actions, finance_actions
from careflow.web.auth import (
    MAX_ID,
    READ,
    CurrentVisitor,
    Db,
    FinanceOfficer,
    Id,
    Membership,
    NotFound,
    OptionalId,
    Practitioner,
    Writer,
    csrf_protected,
)
from careflow.web.uploads import MAX_UPLOAD_BYTES

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
router = APIRouter(
    prefix="/api/v1",
    tags=["careflow"],
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
Csrf = Depends(csrf_protected)  # only cookie sessions need it; API tokens are not sent by browsers on their own


class WorkspaceOut(BaseModel):
    id: int
    name: str
    role: str


class BaselineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # read from the stored row: BaselineOut.model_validate(row)
    number: Id
    file_name: str
    council: str
    financial_year: str
    content_sha256: str
    created_at: datetime


class ScenarioOut(BaseModel):
    number: Id
    name: str
    content_sha256: str
    created_at: datetime
    document: Scenario

    @classmethod
    def of(cls, row: ScenarioVersion) -> ScenarioOut:
        return cls(
            number=row.number,
            name=row.name,
            content_sha256=row.content_sha256,
            created_at=row.created_at,
            document=actions.scenario_of(row),
        )


class FinancePackOut(BaseModel):
    number: Id
    file_name: str
    council: str
    department: str
    financial_year: str
    period: int
    net_budget_gbp: float = Field(description="the department's net budget, £")
    forecast_outturn_gbp: float = Field(description="the department's forecast outturn, £")
    rolled_from: int | None = Field(description="the version this one was rolled forward from, if any")
    content_sha256: str
    created_at: datetime

    @classmethod
    def of(cls, row: FinancePackVersion, numbers: dict[int, int]) -> FinancePackOut:
        return cls(
            number=row.number,
            file_name=row.file_name,
            council=row.council,
            department=row.department,
            financial_year=row.financial_year,
            period=row.period,
            net_budget_gbp=row.budget_gbp,
            forecast_outturn_gbp=row.forecast_gbp,
            rolled_from=numbers.get(row.rolled_from_id) if row.rolled_from_id else None,
            content_sha256=row.content_sha256,
            created_at=row.created_at,
        )


class IndicatorUploadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: Id
    file_name: str
    first_month: str
    last_month: str
    content_sha256: str
    created_at: datetime


class ReviewSetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: Id
    file_name: str
    cases: int
    content_sha256: str
    created_at: datetime


class ProjectionIn(BaseModel):
    baseline: int | None = Field(default=None, ge=1, le=MAX_ID, description="baseline version; the latest if left out")
    scenario: int | None = Field(default=None, ge=1, le=MAX_ID, description="scenario version; none: no levers")
    runs: int = Field(default=100, ge=1, le=actions.MAX_WEB_RUNS)
    years: int = Field(default=10, ge=1, le=actions.MAX_WEB_YEARS)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


class JobOut(BaseModel):
    id: int
    status: str
    done: int
    total: int
    progress: float
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    files: list[str]
    result: dict[str, Any] | None = None

    @classmethod
    def of(cls, row: Job, db: Any, with_result: bool = False) -> JobOut:
        from careflow.store.models import JobArtefact

        names = list(db.scalars(select(JobArtefact.name).where(JobArtefact.job_id == row.id)))
        return cls(
            id=row.id,
            status=row.status,
            done=row.done,
            total=row.total,
            progress=row.progress,
            error=row.error,
            created_at=row.created_at,
            finished_at=row.finished_at,
            files=names,
            result=json.loads(row.result_json) if with_result and row.result_json else None,
        )


@router.get("/workspaces")
def workspaces(db: Db, who: CurrentVisitor) -> list[WorkspaceOut]:
    roles = accounts.roles_of(db, who.user.id)
    spaces = db.scalars(select(Workspace).where(Workspace.id.in_(roles)).order_by(Workspace.name))
    return [WorkspaceOut(id=w.id, name=w.name, role=roles[w.id].value) for w in spaces]


@router.get("/workspaces/{workspace_id}/baselines")
def baselines(db: Db, who: Membership) -> list[BaselineOut]:
    who.require(READ)
    return [BaselineOut.model_validate(row) for row in records.baselines(db, who.workspace.id)]


@router.post("/workspaces/{workspace_id}/baselines", status_code=201, dependencies=[Csrf])
async def upload_baseline(db: Db, who: Writer, workbook: Annotated[UploadFile, File()]) -> BaselineOut:
    """Upload a baseline workbook; 422 with every located problem if it does not pass, and nothing is stored."""
    content = await workbook.read(MAX_UPLOAD_BYTES + 1)
    # Writes run off the event loop: a write waiting for SQLite's lock must not stop the loop that lets the
    # holder commit (that stall ended in 'database is locked' after 10 s under concurrent uploads and saves).
    return BaselineOut.model_validate(
        await run_in_threadpool(actions.upload_baseline, db, who, workbook.filename, content)
    )


@router.get("/workspaces/{workspace_id}/baselines/{number}")
def baseline(db: Db, who: Membership, number: Id) -> BaselineOut:
    return BaselineOut.model_validate(actions.baseline_version(db, who, number))


@router.get("/workspaces/{workspace_id}/opportunity")
def opportunity(db: Db, who: Membership, baseline: OptionalId = None, scenario: OptionalId = None) -> OpportunityResult:
    if records.latest_baseline(db, who.workspace.id) is None and baseline is None:
        raise NotFound("This workspace has no baseline yet.")
    return actions.opportunity(db, who, baseline, scenario)[2]


@router.get("/workspaces/{workspace_id}/scenarios")
def scenarios(db: Db, who: Membership) -> list[ScenarioOut]:
    who.require(READ)
    return [ScenarioOut.of(row) for row in records.scenarios(db, who.workspace.id)]


@router.post("/workspaces/{workspace_id}/scenarios", status_code=201, dependencies=[Csrf])
def save_scenario(db: Db, who: Writer, scenario: Scenario) -> ScenarioOut:
    """Save a scenario document (the CLI's YAML as JSON) as the next version."""
    return ScenarioOut.of(actions.save_scenario(db, who, scenario))


@router.get("/workspaces/{workspace_id}/scenarios/{number}")
def scenario(db: Db, who: Membership, number: Id) -> ScenarioOut:
    return ScenarioOut.of(actions.scenario_version(db, who, number))


@router.post("/workspaces/{workspace_id}/projections", status_code=202, dependencies=[Csrf])
def start_projection(request: Request, db: Db, who: Writer, asked: ProjectionIn) -> JobOut:
    """Queue a projection; poll the job until its status is succeeded, failed or interrupted."""
    request_ = actions.ProjectionRequest(asked.baseline, asked.scenario, asked.runs, asked.years, asked.seed)
    return JobOut.of(actions.start_projection(db, who, request_, request.app.state.runner), db)


@router.get("/workspaces/{workspace_id}/projections/{job_id}")
def projection(db: Db, who: Membership, job_id: Id, result: bool = False) -> JobOut:
    who.require(READ)
    job = records.job(db, who.workspace.id, job_id)
    if job is None:
        raise NotFound("No such projection in this workspace.")
    return JobOut.of(job, db, with_result=result)


@router.get("/workspaces/{workspace_id}/finance")
def finance_packs(db: Db, who: Membership) -> list[FinancePackOut]:
    """Every finance pack version, newest first."""
    who.require(READ)
    rows = records.finance_packs(db, who.workspace.id)
    numbers = {row.id: row.number for row in rows}
    return [FinancePackOut.of(row, numbers) for row in rows]


@router.post("/workspaces/{workspace_id}/finance", status_code=201, dependencies=[Csrf])
async def upload_finance_pack(db: Db, who: FinanceOfficer, pack: Annotated[UploadFile, File()]) -> FinancePackOut:
    """Upload a period's finance pack (finance officers); 422 with every located problem, and nothing is stored."""
    content = await pack.read(MAX_UPLOAD_BYTES + 1)
    version = await run_in_threadpool(finance_actions.upload_pack, db, who, pack.filename, content)
    return FinancePackOut.of(version, {})


@router.get("/workspaces/{workspace_id}/finance/{number}")
def finance_report(db: Db, who: Membership, number: Id) -> FinanceReportResult:
    """The committee tables of one pack version: monitoring, savings, reserves, capital, the MTFS and every check."""
    return finance_actions.report_of(finance_actions.pack_version(db, who, number))


@router.get("/workspaces/{workspace_id}/indicators")
def indicator_uploads(db: Db, who: Membership) -> list[IndicatorUploadOut]:
    who.require(READ)
    return [IndicatorUploadOut.model_validate(row) for row in indicator_records.uploads(db, who.workspace.id)]


@router.post("/workspaces/{workspace_id}/indicators", status_code=201, dependencies=[Csrf])
async def upload_indicator_data(db: Db, who: Writer, data: Annotated[UploadFile, File()]) -> IndicatorUploadOut:
    """Upload month-by-month indicator data (.csv or .xlsx); 422 with every located problem, and nothing is stored."""
    from careflow.web.performance_pages import store_upload

    content = await data.read(MAX_UPLOAD_BYTES + 1)
    return IndicatorUploadOut.model_validate(await run_in_threadpool(store_upload, db, who, data.filename, content))


@router.get("/workspaces/{workspace_id}/indicators/{number}")
def indicator_dashboard(db: Db, who: Membership, number: Id) -> IndicatorDashboard:
    """The tracked indicators of one upload by month, against target, with RAG (and published comparisons)."""
    from careflow.web.performance_pages import dashboard_of, stored_upload

    who.require(READ)
    found, tracked, code = stored_upload(db, who, number)
    return dashboard_of(who, found.content, found.file_name, tracked, code)


Text = Annotated[str, Query(max_length=200)]


@router.get("/workspaces/{workspace_id}/evidence")
def evidence(
    who: Membership,
    q: Text = "",
    lever: Text = "",
    client_group: ClientGroup | None = None,
    min_gbp: Annotated[float | None, Query(ge=0, le=1e12)] = None,
) -> EvidenceSearch:
    """Levers and case studies in the evidence library matching the words and filters (422 for an unknown lever)."""
    from careflow.services import evidence as service

    who.require(READ)
    return service.search_evidence(q, lever or None, client_group, min_gbp)


@router.get("/workspaces/{workspace_id}/atlas")
def atlas(who: Membership, sort: SortKey = "share", descending: bool = True) -> NationalAtlas:
    """Every imported council's opportunity from the published returns (404 if this server does not have them)."""
    from careflow.services.national import national_atlas, national_files

    who.require(READ)
    try:
        files = national_files()
    except InputError as error:
        wanted = "; ".join(p.expected for p in error.problems)
        raise NotFound(f"This server does not have the published statistics the atlas needs: {wanted}") from None
    return national_atlas(files, sort, descending)


@router.get("/workspaces/{workspace_id}/reviews")
def review_sets(db: Db, who: Practitioner) -> list[ReviewSetOut]:
    """Sets of case reviews (practitioners and admins only)."""
    return [ReviewSetOut.model_validate(row) for row in records.review_sets(db, who.workspace.id)]


@router.post("/workspaces/{workspace_id}/reviews", status_code=201, dependencies=[Csrf])
async def upload_reviews(db: Db, who: Practitioner, reviews: Annotated[UploadFile, File()]) -> ReviewSetOut:
    """Upload pseudonymous case reviews; 422 with located problems (an identifier is refused, never repeated)."""
    content = await reviews.read(MAX_UPLOAD_BYTES + 1)
    return ReviewSetOut.model_validate(
        await run_in_threadpool(actions.upload_reviews, db, who, reviews.filename, content)
    )


@router.get("/workspaces/{workspace_id}/reviews/{number}")
def review_summary(db: Db, who: Practitioner, number: Id) -> ReviewSummaryResult:
    """Shares with 95% intervals, the weekly £ with bootstrap intervals, reasons and small-sample warnings."""
    found, _ = actions.review_set(db, who, number)
    return summarise_reviews(Upload(name=found.file_name, data=found.content)).summary


@router.post("/workspaces/{workspace_id}/reviews/{number}/calibrate", status_code=201, dependencies=[Csrf])
def calibrate_from_reviews(db: Db, who: Practitioner, number: Id) -> ScenarioOut:
    """A new scenario version whose lever effects come from this review set, linked to it."""
    return ScenarioOut.of(actions.calibrate(db, who, number))
