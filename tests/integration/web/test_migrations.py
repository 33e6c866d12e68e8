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


def test_finance_packs_move_from_millions_to_pounds_and_back(database_url: str) -> None:
    """Revision 0005: a pack stored in £m (budget, forecast, every money cell and flag of its report) reads in £."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select

    from careflow.services import Upload, finance_report
    from careflow.store.models import FinancePackVersion
    from careflow.web.finance_actions import report_of

    norfolk = Path(__file__).resolve().parents[3] / "examples" / "norfolk-2017-18-p4.xlsx"
    report = finance_report(Upload(name="p4.xlsx", data=norfolk.read_bytes())).report
    total = report.department_total().values
    packs = Base.metadata.tables["finance_packs"]
    engine = make_engine(resolve(database_url))
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                insert(Base.metadata.tables["workspaces"]).values(id=1, name="W", created_at=datetime.now(UTC))
            )
            connection.execute(
                insert(packs).values(
                    id=1, workspace_id=1, number=1, period=4, financial_year="2017/18", council="N", department="D",
                    file_name="p4.xlsx", budget=total["budget"], forecast=total["forecast"], content=b"",
                    content_sha256="0" * 64, report_json=report.model_dump_json(), created_at=datetime.now(UTC),
                )
            )  # fmt: skip
        downgrade(engine, "0004")
        with engine.begin() as connection:
            old = connection.execute(select(packs.c.budget, packs.c.report_json)).one()
        assert old.budget == total["budget"] / 1e6
        assert '"unit": "£m"' in old.report_json and '"kind": "money"' in old.report_json
        upgrade(engine)
        with engine.begin() as connection:
            budget, forecast, stored = connection.execute(
                select(packs.c.budget, packs.c.forecast, packs.c.report_json)
            ).one()
        assert (budget, forecast) == (total["budget"], total["forecast"])  # whole pounds, so exactly
        again = report_of(FinancePackVersion(report_json=stored))
        assert again.model_dump().keys() == report.model_dump().keys() and len(again.flags) == 37
        for was, now in zip(report.tables, again.tables, strict=True):
            assert was.columns == now.columns
            for r, s in zip(was.rows, now.rows, strict=True):
                assert r.model_dump(exclude={"values", "flags"}) == s.model_dump(exclude={"values", "flags"})
                assert s.values == pytest.approx(r.values, abs=0.01)  # rounded to the penny
        for was_flag, now_flag in zip(report.flags, again.flags, strict=True):
            assert now_flag.kind == was_flag.kind and now_flag.printed == was_flag.printed
            assert now_flag.computed == pytest.approx(was_flag.computed, abs=0.01)
    finally:
        engine.dispose()
