"""Migrations up and down on SQLite and PostgreSQL; the commands a person runs; serve refuses an old schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from careflow.errors import InputError
from careflow.store.cli import create_user
from careflow.store.database import (
    NotMigrated,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    require_current,
    upgrade,
)
from careflow.store.database import database_url as resolve
from careflow.store.models import Base
from cli_runner import run_careflow

TABLES = set(Base.metadata.tables)


def _tables(engine: object) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}  # type: ignore[arg-type]


def test_migrations_up_down_and_up_again(database_url: str) -> None:
    engine = make_engine(resolve(database_url))
    try:
        with pytest.raises(NotMigrated, match="careflow db upgrade"):
            require_current(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert _tables(engine) == TABLES  # the migration makes exactly the tables the models describe
        require_current(engine)
        downgrade(engine, "base")
        assert current_revision(engine) is None and _tables(engine) == set()
        upgrade(engine)
        assert _tables(engine) == TABLES
    finally:
        engine.dispose()


def test_commands_refuse_an_unmigrated_database_then_upgrade_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    refused = run_careflow("serve", "--database", url, "--port", "0")
    assert refused.returncode == 2
    assert "careflow db upgrade" in refused.stderr and "Traceback" not in refused.stderr
    up = run_careflow("db", "upgrade", "--database", url)
    assert up.returncode == 0 and head_revision() in up.stdout, up.stderr
    with pytest.raises(InputError, match="practitioner"):
        create_user("a@b.example", role="king", workspace="W", password_stdin=True, database=url)
    with pytest.raises(InputError, match="--database"):
        make_engine("nosuchdb://somewhere/x")
