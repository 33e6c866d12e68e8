"""Commands for the team store: `careflow db upgrade|downgrade|current`; `careflow admin create-user|load-demo|backup|restore`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from careflow.console import out
from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(
    help="Create and upgrade the web app's database (SQLite file by default, or PostgreSQL).", no_args_is_help=True
)
admin_app = typer.Typer(help="Administer the web app: accounts and workspaces.", no_args_is_help=True)
DATABASE_HELP = (
    "Database URL (sqlite:///PATH or postgresql://USER@HOST/DB); default $CAREFLOW_DATABASE_URL or ./careflow-data"
)


def _engine(database: str | None) -> Engine:
    from careflow.store.database import database_url, make_engine

    return make_engine(database_url(database))


@db_app.command("upgrade")
def upgrade(
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    revision: str = typer.Option("head", "--revision", help="Migration to upgrade to"),
) -> None:
    """Create the tables or bring them up to this version of careflow."""
    from careflow.store.database import current_revision, upgrade

    engine = _engine(database)
    upgrade(engine, revision)
    out.print(f"Database at migration {current_revision(engine)} ({engine.url.render_as_string(hide_password=True)})")


@db_app.command("downgrade")
def downgrade(
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    revision: str = typer.Option(..., "--revision", help="Migration to go back to ('base' removes every table)"),
) -> None:
    """Undo migrations down to REVISION ('base' drops careflow's tables and their data)."""
    from careflow.store.database import current_revision, downgrade

    engine = _engine(database)
    downgrade(engine, revision)
    out.print(f"Database at migration {current_revision(engine) or 'base (no tables)'}")


@db_app.command("current")
def current(database: str | None = typer.Option(None, "--database", help=DATABASE_HELP)) -> None:
    """Print the database's migration and the one this careflow needs."""
    from careflow.store.database import current_revision, head_revision

    out.print(f"database: {current_revision(_engine(database)) or 'none'}; this careflow needs: {head_revision()}")


@admin_app.command("create-user")
def create_user(
    email: str = typer.Argument(..., help="The person's e-mail address (their sign-in name)"),
    role: str = typer.Option(..., "--role", help="viewer, analyst, finance, practitioner or admin"),
    workspace: str = typer.Option(..., "--workspace", help="Workspace (council) name; created if new"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Create an account (or add an existing one to a workspace) with a role there."""
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
    engine = _engine(database)
    _require_migrated(engine)
    with transaction(session_factory(engine)) as db:
        user = db.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            password = _read_password(password_stdin)
            user = accounts.create_user(db, email, password)
        accounts.grant(db, user, accounts.workspace_named(db, workspace.strip()), Role(role))
    out.print(f"{email} is {role} in workspace '{workspace.strip()}'")


def _require_migrated(engine: Engine) -> None:
    from careflow.store.database import NotMigrated, require_current

    try:
        require_current(engine)
    except NotMigrated as error:
        raise InputError(
            [Problem("database", str(error).split(";")[0], "a database made by 'careflow db upgrade'")]
        ) from None


def _read_password(from_stdin: bool) -> str:
    from careflow.store.accounts import MIN_PASSWORD_LENGTH

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            [Problem("password", f"{len(password)} characters", f"at least {MIN_PASSWORD_LENGTH} characters")]
        )
    return password


@admin_app.command("load-demo")
def load_demo(
    workspace: str = typer.Option(..., "--workspace", help="Workspace to put the demonstration baseline in"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Add the synthetic demonstration council's baseline to a workspace, as a workbook version like any upload."""
    import tempfile

    from careflow.baseline.io import builtin, write_baseline_workbook
    from careflow.store import accounts, records
    from careflow.store.database import session_factory, transaction
    from careflow.web.usecases import check_baseline

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-baseline.xlsx"
        write_baseline_workbook(path, builtin("demo"))
        content = path.read_bytes()
    baseline = check_baseline(content, "demo-baseline.xlsx")  # stored exactly as an upload of that workbook would be
    engine = _engine(database)
    _require_migrated(engine)
    with transaction(session_factory(engine)) as db:
        space = accounts.workspace_named(db, workspace.strip())
        version = records.add_baseline(
            db,
            space.id,
            "demo-baseline.xlsx",
            content,
            baseline.council.name,
            baseline.council.financial_year,
            baseline.model_dump_json(),
            "command line",
            None,
        )
    out.print(f"Demonstration baseline is version {version.number} in workspace '{workspace.strip()}'")


@admin_app.command("backup")
def backup(
    archive: Path = typer.Argument(..., help="Backup file to write (.zip)"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Back up every table in one consistent snapshot, with a SHA-256 per table (safe while the app runs)."""
    from careflow.store.backup import backup as write_backup

    if archive.exists():
        raise InputError(
            [Problem(str(archive), "a file that already exists", "a new file name (nothing is overwritten)")]
        )
    engine = _engine(database)
    _require_migrated(engine)
    manifest = write_backup(engine, archive)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    out.print(
        f"Backed up {len(manifest['tables'])} tables, {rows:,} rows, migration {manifest['revision']} to {archive}"
    )


@admin_app.command("restore")
def restore(
    archive: Path = typer.Argument(..., help="Backup file made by 'careflow admin backup'"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Restore a backup into an empty, migrated database and check every table against the backup's hashes."""
    from careflow.store.backup import restore as load_backup

    if not archive.is_file():
        raise InputError([Problem(str(archive), "no such file", "a backup made by 'careflow admin backup'")])
    engine = _engine(database)
    manifest = load_backup(engine, archive)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    out.print(f"Restored and verified {len(manifest['tables'])} tables, {rows:,} rows: every table's SHA-256 matches")
