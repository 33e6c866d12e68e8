"""Use cases for whoever runs the web app: its database's migrations, accounts and workspaces, backups.

Each takes the database as the user gave it (a URL, or None for $CAREFLOW_DATABASE_URL or the SQLite file in the
data folder) and opens its own engine: these run once per command, never per request.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from careflow.errors import InputError, NotMigrated, Problem

if TYPE_CHECKING:
    from sqlalchemy import Engine

DEMO_BASELINE_FILE = "demo-baseline.xlsx"


class DatabaseState(BaseModel):
    """Where the database is (password hidden) and its migration, next to the one this careflow needs."""

    address: str
    migration: str | None  # None: no careflow tables
    needed: str


class RoleGrant(BaseModel):
    """A person's role in a workspace, as granted."""

    email: str
    role: str
    workspace: str


class StoredBaseline(BaseModel):
    """A baseline kept as a workspace's numbered version."""

    workspace: str
    version: int


class BackupSummary(BaseModel):
    """What a backup holds (or a restore loaded and verified): tables, rows and the migration they are at."""

    tables: int
    rows: int
    migration: str | None


def web_database_url(database: str | None = None) -> str:
    """The database the web app serves: `database`, else $CAREFLOW_DATABASE_URL, else a SQLite file in the data
    folder (created if new)."""
    from careflow.store.database import database_url

    return database_url(database)


def _engine(database: str | None) -> Engine:
    from careflow.store.database import make_engine

    return make_engine(web_database_url(database))


def _state(engine: Engine) -> DatabaseState:
    from careflow.store.database import current_revision, head_revision

    return DatabaseState(
        address=engine.url.render_as_string(hide_password=True),
        migration=current_revision(engine),
        needed=head_revision(),
    )


def database_state(database: str | None = None) -> DatabaseState:
    """The database's migration, and the one this careflow needs."""
    return _state(_engine(database))


def upgrade_database(database: str | None = None, revision: str = "head") -> DatabaseState:
    """Create the tables, or bring them up to `revision`."""
    from careflow.store.database import upgrade

    engine = _engine(database)
    upgrade(engine, revision)
    return _state(engine)


def downgrade_database(database: str | None, revision: str) -> DatabaseState:
    """Undo migrations down to `revision` ('base' drops careflow's tables and their data)."""
    from careflow.store.database import downgrade

    engine = _engine(database)
    downgrade(engine, revision)
    return _state(engine)


def _migrated(database: str | None) -> Engine:
    """The database's engine, if its tables are at this careflow's migration; else a located problem saying how."""
    from careflow.store.database import require_current

    engine = _engine(database)
    try:
        require_current(engine)
    except NotMigrated as error:
        raise InputError(
            [Problem("database", str(error).split(";")[0], "a database made by 'careflow db upgrade'")]
        ) from None
    return engine


def grant_role(
    email: str, role: str, workspace: str, new_password: Callable[[], str], database: str | None = None
) -> RoleGrant:
    """Give a person a role in a workspace, creating the workspace if it is new, and the account if the e-mail
    address has none (only then is `new_password` asked for the account's password)."""
    from sqlalchemy import select

    from careflow.store import accounts
    from careflow.store.database import session_factory, transaction
    from careflow.store.models import Role, User

    problems = []
    if role not in {r.value for r in Role}:
        problems.append(Problem("--role", f"'{role}'", "one of: " + ", ".join(r.value for r in Role)))
    if "@" not in email or len(email) > 254:
        problems.append(Problem("EMAIL", f"'{email[:60]}'", "an e-mail address"))
    if not workspace.strip() or len(workspace) > 200:
        problems.append(Problem("--workspace", f"'{workspace[:60]}'", "a name of 1 to 200 characters"))
    if problems:
        raise InputError(problems)
    engine = _migrated(database)
    with transaction(session_factory(engine)) as db:
        user = db.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            user = accounts.create_user(db, email, _checked_password(new_password()))
        accounts.grant(db, user, accounts.workspace_named(db, workspace.strip()), Role(role))
    return RoleGrant(email=email, role=role, workspace=workspace.strip())


def _checked_password(password: str) -> str:
    from careflow.store.accounts import MIN_PASSWORD_LENGTH

    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            [Problem("password", f"{len(password)} characters", f"at least {MIN_PASSWORD_LENGTH} characters")]
        )
    return password


def load_demo_baseline(workspace: str, database: str | None = None) -> StoredBaseline:
    """Add the synthetic demonstration council's baseline to a workspace (created if new) as the next version."""
    from careflow.services.baseline import baseline_workbook, load_baseline, read_baseline
    from careflow.services.inputs import Upload
    from careflow.store import accounts, records
    from careflow.store.database import session_factory, transaction

    content = baseline_workbook(load_baseline("demo"))
    # read back from its workbook, so the version is stored exactly as an upload of that workbook would be
    baseline = read_baseline(Upload(name=DEMO_BASELINE_FILE, data=content))
    engine = _migrated(database)
    with transaction(session_factory(engine)) as db:
        space = accounts.workspace_named(db, workspace.strip())
        version = records.add_baseline(
            db,
            space.id,
            DEMO_BASELINE_FILE,
            content,
            baseline.council.name,
            baseline.council.financial_year,
            baseline.model_dump_json(),
            "command line",
            None,
        )
    return StoredBaseline(workspace=workspace.strip(), version=version.number)


def _summary(manifest: dict[str, Any]) -> BackupSummary:
    return BackupSummary(
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"].values()),
        migration=manifest["revision"],
    )


def back_up_database(archive: Path, database: str | None = None) -> BackupSummary:
    """Every table in one consistent snapshot, written to a new `archive` (.zip) with a SHA-256 per table; safe
    while the web app runs. An existing file is refused, never overwritten."""
    from careflow.store.backup import backup

    if archive.exists():
        raise InputError(
            [Problem(str(archive), "a file that already exists", "a new file name (nothing is overwritten)")]
        )
    return _summary(backup(_migrated(database), archive))


def restore_database(archive: Path, database: str | None = None) -> BackupSummary:
    """Load a backup into an empty database at the backup's migration, then check every table against its hash."""
    from careflow.store.backup import restore

    if not archive.is_file():
        raise InputError([Problem(str(archive), "no such file", "a backup made by 'careflow admin backup'")])
    return _summary(restore(_engine(database), archive))
