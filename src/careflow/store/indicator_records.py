"""Stored performance-indicator data: uploaded monthly workbooks (numbered versions) and each workspace's tracked
indicators. Every change is audited with content hashes, like the other versioned inputs."""

from __future__ import annotations

import json

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from careflow.store.audit import record, sha256
from careflow.store.models import IndicatorSet, IndicatorUpload, Workspace, now


def add_upload(
    db: Session,
    workspace_id: int,
    file_name: str,
    content: bytes,
    months: tuple[str, str],
    actor: str,
    user_id: int | None,
) -> IndicatorUpload:
    # Lock the workspace until commit so that two uploads at the same moment cannot take the same number
    db.execute(update(Workspace).where(Workspace.id == workspace_id).values(name=Workspace.name))
    latest = db.scalar(select(func.max(IndicatorUpload.number)).where(IndicatorUpload.workspace_id == workspace_id))
    upload = IndicatorUpload(
        workspace_id=workspace_id,
        number=(latest or 0) + 1,
        file_name=file_name,
        first_month=months[0],
        last_month=months[1],
        content=content,
        content_sha256=sha256(content) or "",
        created_by=user_id,
    )
    db.add(upload)
    db.flush()
    record(db, actor, "indicators.upload", f"indicator data {upload.number}", workspace_id, after=content,
           user_id=user_id)  # fmt: skip
    return upload


def uploads(db: Session, workspace_id: int) -> list[IndicatorUpload]:
    query = select(IndicatorUpload).where(IndicatorUpload.workspace_id == workspace_id)
    return list(db.scalars(query.order_by(IndicatorUpload.number.desc())))


def upload(db: Session, workspace_id: int, number: int) -> IndicatorUpload | None:
    return db.scalar(
        select(IndicatorUpload).where(IndicatorUpload.workspace_id == workspace_id, IndicatorUpload.number == number)
    )


def indicator_set(db: Session, workspace_id: int) -> IndicatorSet | None:
    return db.scalar(select(IndicatorSet).where(IndicatorSet.workspace_id == workspace_id))


def tracked(db: Session, workspace_id: int) -> tuple[list[str], str | None]:
    """The workspace's tracked indicator ids ([] = every indicator) and its council's ONS code, if set."""
    found = indicator_set(db, workspace_id)
    return (list(json.loads(found.tracked_json)), found.council_code) if found else ([], None)


def save_tracked(
    db: Session, workspace_id: int, ids: list[str], council_code: str | None, actor: str, user_id: int | None
) -> IndicatorSet:
    """Store the choice (one row per workspace) and audit it with the choice's hash before and after."""
    found = indicator_set(db, workspace_id)
    before = found.tracked_json.encode() + (found.council_code or "").encode() if found else None
    if found is None:
        found = IndicatorSet(workspace_id=workspace_id)
        db.add(found)
    found.tracked_json = json.dumps(ids)
    found.council_code = council_code
    found.updated_by = user_id
    found.updated_at = now()
    db.flush()
    after = found.tracked_json.encode() + (council_code or "").encode()
    record(db, actor, "indicators.track", f"{len(ids) or 'all'} indicator(s) tracked", workspace_id, before, after,
           user_id)  # fmt: skip
    return found
