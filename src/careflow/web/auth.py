"""Who is asking and what they may do: session cookies or API tokens, workspace roles, CSRF and sign-in limits."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from careflow.store import accounts
from careflow.store.models import Role, User, Workspace
from careflow.store.models import Session as BrowserSession

SESSION_COOKIE = "careflow_session"
SIGN_IN_CSRF_COOKIE = "careflow_signin_csrf"

READ = frozenset(Role)
WRITE = frozenset({Role.analyst, Role.admin})  # upload baselines, save scenarios, run projections
ADMIN = frozenset({Role.admin})
CASE_REVIEWS = frozenset({Role.practitioner, Role.admin})
FINANCE = frozenset({Role.finance, Role.admin})  # upload and roll packs; every member reads them


MAX_ID = 2**31 - 1  # ids and version numbers fit a 32-bit integer column on every database
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class NotSignedIn(Exception):
    """No valid session or token: pages send people to sign in, the API answers 401."""


class Forbidden(Exception):
    """Signed in and a member, but the role does not allow this."""


class NotFound(Exception):
    """Not there, or not theirs: other workspaces' data answers exactly as missing data does."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token."""


@dataclass
class Visitor:
    user: User
    session: BrowserSession | None  # None when signed in by API token (no cookie, so no CSRF risk)

    @property
    def actor(self) -> str:
        return self.user.email


@dataclass
class Member:
    visitor: Visitor
    workspace: Workspace
    role: Role

    @property
    def user(self) -> User:
        return self.visitor.user

    def require(self, allowed: frozenset[Role]) -> None:
        if self.role not in allowed:
            raise Forbidden(f"The {self.role.value} role cannot do this.")


def database(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back if it raises."""
    with request.app.state.sessions() as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


Db = Annotated[Session, Depends(database, scope="function")]  # committed before the response goes out


def optional_visitor(request: Request, db: Db) -> Visitor | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = accounts.user_for_api_token(db, header[7:].strip())
        if user is None:
            raise NotSignedIn("The API token is not valid.")
        return Visitor(user, None)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = accounts.find_session(db, token)
    if found is None or found.second_factor_pending:
        return None
    user = db.get(User, found.user_id)
    return Visitor(user, found) if user else None


def visitor(current: Annotated[Visitor | None, Depends(optional_visitor)]) -> Visitor:
    if current is None:
        raise NotSignedIn("Sign in to continue.")
    return current


def member(workspace_id: Id, db: Db, current: Annotated[Visitor, Depends(visitor)]) -> Member:
    role = accounts.roles_of(db, current.user.id).get(workspace_id)
    workspace = db.get(Workspace, workspace_id) if role else None
    if role is None or workspace is None:
        raise NotFound("No such workspace.")
    return Member(current, workspace, role)


async def check_csrf(request: Request, current: Visitor | None) -> None:
    """Cookie-signed-in requests that change state must carry the session's token (form field or header)."""
    if current is None or current.session is None:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get("csrf_token", ""))
    if not sent or not hmac.compare_digest(sent, current.session.csrf_token):
        raise CsrfRejected("The form had expired or did not come from careflow. Go back, reload and try again.")


async def csrf_protected(request: Request, current: Annotated[Visitor | None, Depends(optional_visitor)]) -> None:
    await check_csrf(request, current)


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(24)


class SignInLimiter:
    """At most `limit` failed sign-ins per client address in `window` seconds (on top of per-account lockout)."""

    def __init__(self, limit: int = 10, window: float = 300.0):
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str) -> deque[float]:
        failures = self.failures[client]
        cutoff = time.monotonic() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.limit

    def failed(self, client: str) -> None:
        self._recent(client).append(time.monotonic())


def allowed(roles: frozenset[Role]) -> Any:
    """A dependency giving the member if their role is one of these; checked before the request body is read, so
    others get 403, not 422."""

    def member_allowed(who: Annotated[Member, Depends(member)]) -> Member:
        who.require(roles)
        return who

    return Depends(member_allowed)


Membership = Annotated[Member, Depends(member)]
Writer = Annotated[Member, allowed(WRITE)]  # may change things
FinanceOfficer = Annotated[Member, allowed(FINANCE)]
Practitioner = Annotated[Member, allowed(CASE_REVIEWS)]
CurrentVisitor = Annotated[Visitor, Depends(visitor)]
