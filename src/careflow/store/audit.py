"""The append-only audit log: who did what and when, with SHA-256 of the content before and after."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from careflow.store.models import AuditEvent


def sha256(content: bytes | None) -> str | None:
    return hashlib.sha256(content).hexdigest() if content is not None else None


def record(
    db: Session,
    actor: str,
    action: str,
    target: str = "",
    workspace_id: int | None = None,
    before: bytes | None = None,
    after: bytes | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        target=target,
        workspace_id=workspace_id,
        user_id=user_id,
        before_sha256=sha256(before),
        after_sha256=sha256(after),
    )
    db.add(event)
    return event


def events(db: Session, workspace_id: int, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.workspace_id == workspace_id).order_by(AuditEvent.id.desc())
    return list(db.scalars(query.limit(limit)))
