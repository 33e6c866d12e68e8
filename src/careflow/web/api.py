"""The JSON API under /api/v1: the pages' actions for scripts, typed models in the OpenAPI document, RFC 9457 errors."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from careflow.opportunity.model import OpportunityResult
from careflow.scenario import Scenario
from careflow.store import accounts, records
from careflow.store.models import BaselineVersion, Job, ScenarioVersion, Workspace
from careflow.web import actions
from careflow.web.auth import (
    MAX_ID,
    READ,
    CurrentVisitor,
    Db,
    Id,
    Membership,
    NotFound,
    OptionalId,
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
    number: Id
    file_name: str
    council: str
    financial_year: str
    content_sha256: str
    created_at: datetime

    @classmethod
    def of(cls, row: BaselineVersion) -> BaselineOut:
        return cls(
            number=row.number,
            file_name=row.file_name,
            council=row.council,
            financial_year=row.financial_year,
            content_sha256=row.content_sha256,
            created_at=row.created_at,
        )


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
    return [BaselineOut.of(row) for row in records.baselines(db, who.workspace.id)]


@router.post("/workspaces/{workspace_id}/baselines", status_code=201, dependencies=[Csrf])
async def upload_baseline(db: Db, who: Writer, workbook: Annotated[UploadFile, File()]) -> BaselineOut:
    """Upload a baseline workbook; 422 with every located problem if it does not pass, and nothing is stored."""
    content = await workbook.read(MAX_UPLOAD_BYTES + 1)
    # Writes run off the event loop: a write waiting for SQLite's lock must not stop the loop that lets the
    # holder commit (that stall ended in 'database is locked' after 10 s under concurrent uploads and saves).
    return BaselineOut.of(await run_in_threadpool(actions.upload_baseline, db, who, workbook.filename, content))


@router.get("/workspaces/{workspace_id}/baselines/{number}")
def baseline(db: Db, who: Membership, number: Id) -> BaselineOut:
    return BaselineOut.of(actions.baseline_version(db, who, number))


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
