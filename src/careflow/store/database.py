"""Where the store lives and how it is opened: SQLite (WAL) in a data folder by default, PostgreSQL by URL.

Migrations are Alembic scripts shipped inside the package and run programmatically, so `careflow db upgrade`
works from an installed wheel without an alembic.ini beside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from careflow.errors import InputError, NotMigrated, Problem

DATABASE_ENV = "CAREFLOW_DATABASE_URL"
DATA_DIR_ENV = "CAREFLOW_DATA_DIR"
MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 10_000  # writers queue behind each other instead of failing with "database is locked"


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or Path.cwd() / "careflow-data")


def database_url(given: str | None = None) -> str:
    """The option if given, else CAREFLOW_DATABASE_URL, else a SQLite file in the data folder."""
    url = given or os.environ.get(DATABASE_ENV)
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")  # psycopg 3, not psycopg2
        return url
    folder = default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'careflow.sqlite3'}"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at each checkpoint, safe against corruption
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as error:  # an unknown dialect or driver: the user's URL, not a fault
        raise InputError(
            [Problem("--database", f"'{_redacted(url)}' ({error})", "sqlite:///PATH or postgresql://…")]
        ) from None


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "an unreadable URL"


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()  # type: ignore[arg-type]
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current(engine: Engine) -> None:
    """Refuse to serve a database whose schema is not at the latest migration, saying how to fix it."""
    try:
        current = current_revision(engine)
    except Exception as error:
        raise NotMigrated(f"cannot open the database ({type(error).__name__}: {error})") from None
    head = head_revision()
    if current != head:
        state = (
            "has no careflow tables"
            if current is None and not inspect(engine).get_table_names()
            else (f"is at migration {current or 'none'}")
        )
        raise NotMigrated(
            f"the database {state}; this careflow needs migration {head}. Run: careflow db upgrade"
            + (" --database URL" if not str(engine.url).startswith("sqlite") else "")
        )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed if the block finishes, rolled back if it raises."""
    with factory() as session, session.begin():
        yield session
