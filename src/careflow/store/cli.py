"""Commands for the team store: `careflow db upgrade|downgrade|current`; `careflow admin create-user|load-demo|backup|restore`."""

import sys
from pathlib import Path

import typer

from careflow.console import out

db_app = typer.Typer(
    help="Create and upgrade the web app's database (SQLite file by default, or PostgreSQL).", no_args_is_help=True
)
admin_app = typer.Typer(help="Administer the web app: accounts and workspaces.", no_args_is_help=True)
DATABASE_HELP = (
    "Database URL (sqlite:///PATH or postgresql://USER@HOST/DB); default $CAREFLOW_DATABASE_URL or ./careflow-data"
)


@db_app.command("upgrade")
def upgrade(
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    revision: str = typer.Option("head", "--revision", help="Migration to upgrade to"),
) -> None:
    """Create the tables or bring them up to this version of careflow."""
    from careflow.services import upgrade_database

    state = upgrade_database(database, revision)
    out.print(f"Database at migration {state.migration} ({state.address})")


@db_app.command("downgrade")
def downgrade(
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    revision: str = typer.Option(..., "--revision", help="Migration to go back to ('base' removes every table)"),
) -> None:
    """Undo migrations down to REVISION ('base' drops careflow's tables and their data)."""
    from careflow.services import downgrade_database

    state = downgrade_database(database, revision)
    out.print(f"Database at migration {state.migration or 'base (no tables)'}")


@db_app.command("current")
def current(database: str | None = typer.Option(None, "--database", help=DATABASE_HELP)) -> None:
    """Print the database's migration and the one this careflow needs."""
    from careflow.services import database_state

    state = database_state(database)
    out.print(f"database: {state.migration or 'none'}; this careflow needs: {state.needed}")


@admin_app.command("create-user")
def create_user(
    email: str = typer.Argument(..., help="The person's e-mail address (their sign-in name)"),
    role: str = typer.Option(..., "--role", help="viewer, analyst, finance, practitioner or admin"),
    workspace: str = typer.Option(..., "--workspace", help="Workspace (council) name; created if new"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Create an account (or add an existing one to a workspace) with a role there."""
    from careflow.services import grant_role

    def new_password() -> str:
        if password_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))

    granted = grant_role(email, role, workspace, new_password, database)
    out.print(f"{granted.email} is {granted.role} in workspace '{granted.workspace}'")


@admin_app.command("load-demo")
def load_demo(
    workspace: str = typer.Option(..., "--workspace", help="Workspace to put the demonstration baseline in"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Add the synthetic demonstration council's baseline to a workspace, as a workbook version like any upload."""
    from careflow.services import load_demo_baseline

    stored = load_demo_baseline(workspace, database)
    out.print(f"Demonstration baseline is version {stored.version} in workspace '{stored.workspace}'")


@admin_app.command("backup")
def backup(
    archive: Path = typer.Argument(..., help="Backup file to write (.zip)"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Back up every table in one consistent snapshot, with a SHA-256 per table (safe while the app runs)."""
    from careflow.services import back_up_database

    made = back_up_database(archive, database)
    out.print(f"Backed up {made.tables} tables, {made.rows:,} rows, migration {made.migration} to {archive}")


@admin_app.command("restore")
def restore(
    archive: Path = typer.Argument(..., help="Backup file made by 'careflow admin backup'"),
    database: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
) -> None:
    """Restore a backup into an empty, migrated database and check every table against the backup's hashes."""
    from careflow.services import restore_database

    loaded = restore_database(archive, database)
    out.print(f"Restored and verified {loaded.tables} tables, {loaded.rows:,} rows: every table's SHA-256 matches")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(admin_app, name="admin")
