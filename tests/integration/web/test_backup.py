"""Backup under write load and restore into an empty database (SQLite and PostgreSQL), checked by counts and hashes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from careflow.errors import InputError
from careflow.store import records
from careflow.store.backup import backup, restore, table_digests
from careflow.store.database import database_url as resolve
from careflow.store.database import downgrade, make_engine, session_factory, transaction, upgrade
from careflow.store.models import ScenarioVersion
from web_support import Seeded


def test_backup_while_writing_then_restore_into_an_empty_database(seeded: Seeded, tmp_path: Path) -> None:
    engine = make_engine(resolve(seeded.url))
    sessions = session_factory(engine)
    stop = threading.Event()
    written = []

    def keep_writing() -> None:
        while not stop.is_set():
            with transaction(sessions) as db:
                version = records.add_scenario(
                    db, seeded.own, "load", f"name: load\ndescription: '{len(written)}'\n", "test", None
                )
                written.append(version.number)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            time.sleep(0.01)
        archive = tmp_path / "backup.zip"
        manifest = backup(engine, archive)
    finally:
        stop.set()
        writer.join()
    assert len(written) > 5  # writes went on around the backup
    saved = manifest["tables"]["scenario_versions"]["rows"]
    assert 1 + 5 <= saved <= 1 + len(written)  # a snapshot: some writes in, none half-in
    downgrade(engine, "base")
    upgrade(engine)
    assert restore(engine, archive) == manifest
    assert {t: v for t, v in table_digests(engine).items()} == {
        t: (e["rows"], e["sha256"]) for t, e in manifest["tables"].items()
    }
    with transaction(sessions) as db:  # the restored database takes new writes (sequences moved on)
        records.add_scenario(db, seeded.own, "after", "name: after\n", "test", None)
        assert db.scalar(select(func.count()).select_from(ScenarioVersion)) == saved + 1
    with pytest.raises(InputError, match="an empty database"):
        restore(engine, archive)
    engine.dispose()


def test_saves_at_the_same_moment_get_distinct_version_numbers(seeded: Seeded) -> None:
    """Found by the load benchmark: two saves could both read the latest number and collide."""
    engine = make_engine(resolve(seeded.url))
    sessions = session_factory(engine)
    numbers: list[int] = []
    failures: list[str] = []
    start = threading.Barrier(8)

    def save(i: int) -> None:
        start.wait()
        try:
            with transaction(sessions) as db:
                numbers.append(records.add_scenario(db, seeded.own, f"s{i}", f"name: s{i}\n", "test", None).number)
        except Exception as error:
            failures.append(f"{type(error).__name__}: {error}"[:200])

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert not failures
    assert sorted(numbers) == list(range(2, 10))  # after the seeded version 1
