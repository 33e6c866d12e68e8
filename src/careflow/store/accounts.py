"""People and access: users with argon2id password hashes, workspaces, roles, sessions and API tokens."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from careflow.store.audit import record
from careflow.store.models import ApiToken, Membership, Role, User, Workspace
from careflow.store.models import Session as BrowserSession

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 0.15 s per sign-in on a busy 2-core
# server, which keeps sign-in responsive under load while making offline guessing costly.
PASSWORDS = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
MIN_PASSWORD_LENGTH = 12
LOCKOUT_AFTER = 5  # failed sign-ins in a row
LOCKOUT_FOR = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
# A fixed hash to verify against when the e-mail is unknown, so that timing does not reveal which accounts exist.
_DUMMY_HASH = PASSWORDS.hash("careflow-no-such-account")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything careflow stores is UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def create_user(db: Session, email: str, password: str, actor: str = "command line") -> User:
    user = User(email=email.strip().lower(), password_hash=PASSWORDS.hash(password))
    db.add(user)
    db.flush()
    record(db, actor, "user.create", f"user {user.id}", after=user.email.encode())
    return user


def workspace_named(db: Session, name: str, actor: str = "command line") -> Workspace:
    """The workspace with this name, created if it does not exist yet."""
    workspace = db.scalar(select(Workspace).where(Workspace.name == name))
    if workspace is None:
        workspace = Workspace(name=name)
        db.add(workspace)
        db.flush()
        record(db, actor, "workspace.create", f"workspace {workspace.id}", workspace.id, after=name.encode())
    return workspace


def grant(db: Session, user: User, workspace: Workspace, role: Role, actor: str = "command line") -> Membership:
    membership = db.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == workspace.id)
    )
    before = membership.role.encode() if membership else None
    if membership is None:
        membership = Membership(user_id=user.id, workspace_id=workspace.id, role=role.value)
        db.add(membership)
    else:
        membership.role = role.value
    db.flush()
    record(db, actor, "membership.grant", f"user {user.id}", workspace.id, before=before, after=role.value.encode())
    return membership


def roles_of(db: Session, user_id: int) -> dict[int, Role]:
    rows = db.execute(select(Membership.workspace_id, Membership.role).where(Membership.user_id == user_id))
    return {workspace_id: Role(role) for workspace_id, role in rows}


class SignInRefused(Exception):
    """Wrong e-mail or password, or the account is locked; the message never says which account exists."""


def check_password(db: Session, email: str, password: str, moment: datetime | None = None) -> User:
    """The user if the password is right and the account is not locked; counts failures towards a lockout."""
    moment = moment or datetime.now(UTC)
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        with contextlib.suppress(VerificationError):
            PASSWORDS.verify(_DUMMY_HASH, password)
        raise SignInRefused("The e-mail address or password is not right.")
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > moment:
        raise SignInRefused("This account is locked after repeated failed sign-ins. Try again in 15 minutes.")
    try:
        PASSWORDS.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= LOCKOUT_AFTER:
            user.locked_until = moment + LOCKOUT_FOR
            user.failed_sign_ins = 0
            record(db, user.email, "user.locked", f"user {user.id}")
        raise SignInRefused("The e-mail address or password is not right.") from None
    user.failed_sign_ins = 0
    user.locked_until = None
    if PASSWORDS.check_needs_rehash(user.password_hash):
        user.password_hash = PASSWORDS.hash(password)
    return user


def start_session(db: Session, user: User, replacing: str | None, second_factor_pending: bool) -> str:
    """A new random session token (the cookie value); any session presented at sign-in is ended (no fixation)."""
    if replacing:
        db.execute(delete(BrowserSession).where(BrowserSession.token_hash == digest(replacing)))
    token = secrets.token_urlsafe(32)
    db.add(
        BrowserSession(
            token_hash=digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            second_factor_pending=second_factor_pending,
            expires_at=datetime.now(UTC) + SESSION_LIFETIME,
        )
    )
    db.flush()
    return token


def find_session(db: Session, token: str) -> BrowserSession | None:
    found = db.scalar(select(BrowserSession).where(BrowserSession.token_hash == digest(token)))
    if found is None:
        return None
    expires = _aware(found.expires_at)
    if expires is None or expires <= datetime.now(UTC):
        db.delete(found)
        return None
    return found


def end_session(db: Session, token: str) -> None:
    db.execute(delete(BrowserSession).where(BrowserSession.token_hash == digest(token)))


def create_api_token(db: Session, user: User, name: str, actor: str) -> str:
    """A new token for scripts; the caller shows it once, careflow keeps only its hash."""
    token = "cf_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=digest(token))
    db.add(row)
    db.flush()
    record(db, actor, "token.create", f"token {row.id}", after=digest(token).encode())
    return token


def user_for_api_token(db: Session, token: str) -> User | None:
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None)))
    return db.get(User, row.user_id) if row else None
