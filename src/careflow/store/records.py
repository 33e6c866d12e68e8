"""Versioned work in a workspace: baselines and scenarios (kept, never overwritten) and background jobs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from careflow.store.audit import record, sha256
from careflow.store.models import (
    BaselineVersion,
    FinancePackVersion,
    Job,
    JobArtefact,
    JobStatus,
    ReviewSet,
    ScenarioVersion,
    Workspace,
)

Numbered = type[BaselineVersion] | type[ScenarioVersion] | type[ReviewSet] | type[FinancePackVersion]


def _next_number(db: Session, model: Numbered, workspace_id: int) -> int:
    """The next version number in a workspace, with the workspace locked until commit so that two saves at the
    same moment cannot both take it (a no-op write: a row lock on PostgreSQL, the write lock on SQLite)."""
    db.execute(update(Workspace).where(Workspace.id == workspace_id).values(name=Workspace.name))
    latest = db.scalar(select(func.max(model.number)).where(model.workspace_id == workspace_id))
    return (latest or 0) + 1


def add_baseline(
    db: Session,
    workspace_id: int,
    file_name: str,
    content: bytes,
    council: str,
    financial_year: str,
    parsed_json: str,
    actor: str,
    user_id: int | None,
    action: str = "baseline.upload",
) -> BaselineVersion:
    """Keep an accepted upload (or import: `action`) as the workspace's next baseline version (bytes and parsed form)."""
    previous = latest_baseline(db, workspace_id)
    version = BaselineVersion(
        workspace_id=workspace_id,
        number=_next_number(db, BaselineVersion, workspace_id),
        file_name=file_name,
        council=council,
        financial_year=financial_year,
        content=content,
        content_sha256=sha256(content) or "",
        parsed_json=parsed_json,
        created_by=user_id,
    )
    db.add(version)
    db.flush()
    record(
        db,
        actor,
        action,
        f"baseline v{version.number}",
        workspace_id,
        before=previous.content if previous else None,
        after=content,
        user_id=user_id,
    )
    return version


def baselines(db: Session, workspace_id: int) -> list[BaselineVersion]:
    query = select(BaselineVersion).where(BaselineVersion.workspace_id == workspace_id)
    return list(db.scalars(query.order_by(BaselineVersion.number.desc())))


def latest_baseline(db: Session, workspace_id: int) -> BaselineVersion | None:
    query = select(BaselineVersion).where(BaselineVersion.workspace_id == workspace_id)
    return db.scalar(query.order_by(BaselineVersion.number.desc()).limit(1))


def baseline(db: Session, workspace_id: int, number: int) -> BaselineVersion | None:
    query = select(BaselineVersion).where(
        BaselineVersion.workspace_id == workspace_id, BaselineVersion.number == number
    )
    return db.scalar(query)


def add_scenario(
    db: Session,
    workspace_id: int,
    name: str,
    yaml_text: str,
    actor: str,
    user_id: int | None,
    review_set_id: int | None = None,
) -> ScenarioVersion:
    """Save a scenario document as the workspace's next scenario version; the previous one of that name stays."""
    previous = db.scalar(
        select(ScenarioVersion)
        .where(ScenarioVersion.workspace_id == workspace_id, ScenarioVersion.name == name)
        .order_by(ScenarioVersion.number.desc())
        .limit(1)
    )
    content = yaml_text.encode()
    version = ScenarioVersion(
        workspace_id=workspace_id,
        number=_next_number(db, ScenarioVersion, workspace_id),
        name=name,
        yaml_text=yaml_text,
        content_sha256=sha256(content) or "",
        created_by=user_id,
        review_set_id=review_set_id,
    )
    db.add(version)
    db.flush()
    record(
        db,
        actor,
        "scenario.save",
        f"scenario v{version.number} '{name}'",
        workspace_id,
        before=previous.yaml_text.encode() if previous else None,
        after=content,
        user_id=user_id,
    )
    return version


def scenarios(db: Session, workspace_id: int) -> list[ScenarioVersion]:
    query = select(ScenarioVersion).where(ScenarioVersion.workspace_id == workspace_id)
    return list(db.scalars(query.order_by(ScenarioVersion.number.desc())))


def scenario(db: Session, workspace_id: int, number: int) -> ScenarioVersion | None:
    query = select(ScenarioVersion).where(
        ScenarioVersion.workspace_id == workspace_id, ScenarioVersion.number == number
    )
    return db.scalar(query)


def add_job(
    db: Session,
    workspace_id: int,
    kind: str,
    baseline_id: int,
    scenario_id: int | None,
    parameters: dict[str, Any],
    actor: str,
    user_id: int | None,
) -> Job:
    job = Job(
        workspace_id=workspace_id,
        kind=kind,
        status=JobStatus.queued.value,
        baseline_version_id=baseline_id,
        scenario_version_id=scenario_id,
        parameters_json=json.dumps(parameters, sort_keys=True),
        done=0,
        total=0,
        progress=0.0,
        created_by=user_id,
    )
    db.add(job)
    db.flush()
    record(
        db,
        actor,
        "job.start",
        f"job {job.id} ({kind})",
        workspace_id,
        after=job.parameters_json.encode(),
        user_id=user_id,
    )
    return job


def jobs(db: Session, workspace_id: int, limit: int = 50) -> list[Job]:
    query = select(Job).where(Job.workspace_id == workspace_id).order_by(Job.id.desc())
    return list(db.scalars(query.limit(limit)))


def job(db: Session, workspace_id: int, job_id: int) -> Job | None:
    return db.scalar(select(Job).where(Job.workspace_id == workspace_id, Job.id == job_id))


def artefact(db: Session, job_id: int, name: str) -> JobArtefact | None:
    return db.scalar(select(JobArtefact).where(JobArtefact.job_id == job_id, JobArtefact.name == name))


def mark_interrupted(db: Session) -> int:
    """Jobs left queued or running by a stopped server: marked so people see them and can run them again."""
    result = db.execute(
        update(Job)
        .where(Job.status.in_([JobStatus.queued.value, JobStatus.running.value]))
        .values(status=JobStatus.interrupted.value, finished_at=datetime.now(UTC))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def add_review_set(
    db: Session, workspace_id: int, file_name: str, content: bytes, cases: int, actor: str, user_id: int | None
) -> ReviewSet:
    review_set = ReviewSet(
        workspace_id=workspace_id,
        number=_next_number(db, ReviewSet, workspace_id),
        file_name=file_name,
        cases=cases,
        content=content,
        content_sha256=sha256(content) or "",
        created_by=user_id,
    )
    db.add(review_set)
    db.flush()
    record(db, actor, "reviews.upload", f"review set {review_set.number}", workspace_id, after=content, user_id=user_id)
    return review_set


def review_sets(db: Session, workspace_id: int) -> list[ReviewSet]:
    query = select(ReviewSet).where(ReviewSet.workspace_id == workspace_id)
    return list(db.scalars(query.order_by(ReviewSet.number.desc())))


def review_set(db: Session, workspace_id: int, number: int) -> ReviewSet | None:
    return db.scalar(select(ReviewSet).where(ReviewSet.workspace_id == workspace_id, ReviewSet.number == number))


def add_finance_pack(
    db: Session, pack: FinancePackVersion, rolled_from: FinancePackVersion | None, actor: str
) -> FinancePackVersion:
    """Keep a checked finance pack as the workspace's next version, audited as an upload or a roll-forward."""
    pack.number = _next_number(db, FinancePackVersion, pack.workspace_id)
    pack.content_sha256 = sha256(pack.content) or ""
    pack.rolled_from_id = rolled_from.id if rolled_from else None
    db.add(pack)
    db.flush()
    record(
        db,
        actor,
        "finance.roll_forward" if rolled_from else "finance.upload",
        f"finance pack v{pack.number} (period {pack.period})"
        + (f" from v{rolled_from.number} (period {rolled_from.period})" if rolled_from else ""),
        pack.workspace_id,
        before=rolled_from.content if rolled_from else None,
        after=pack.content,
        user_id=pack.created_by,
    )
    return pack


def finance_packs(db: Session, workspace_id: int) -> list[FinancePackVersion]:
    query = select(FinancePackVersion).where(FinancePackVersion.workspace_id == workspace_id)
    return list(db.scalars(query.order_by(FinancePackVersion.number.desc())))


def finance_pack(db: Session, workspace_id: int, number: int) -> FinancePackVersion | None:
    return db.scalar(
        select(FinancePackVersion).where(
            FinancePackVersion.workspace_id == workspace_id, FinancePackVersion.number == number
        )
    )
