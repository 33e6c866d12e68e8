"""Fixtures for the web and store tests: a migrated database (SQLite file, or a private PostgreSQL schema), seeded
workspaces with one member per role, and an app with its worker running."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web_support import POSTGRES, Seeded, postgres_reachable, seed


@pytest.fixture(scope="session")
def demo_workbook() -> bytes:
    """The synthetic demonstration council as a baseline workbook, as a council would upload it."""
    import tempfile

    from careflow.baseline.io import builtin, write_baseline_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.xlsx"
        write_baseline_workbook(path, builtin("demo"))
        return path.read_bytes()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careflow.sqlite3'}"
        return
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"careflow_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def seeded(database_url: str, demo_workbook: bytes) -> Seeded:
    return seed(database_url, demo_workbook)


@pytest.fixture
def app(seeded: Seeded) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from careflow.store.database import database_url
    from careflow.web.app import WebConfig, create_app

    application = create_app(WebConfig(database_url(seeded.url), job_processes=False))
    with TestClient(application):  # runs the lifespan: interrupted jobs marked, worker started
        yield application


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_workbook: bytes) -> Iterator[tuple[object, Seeded]]:
    """One SQLite-backed app for a whole test module (the matrix, migration and backup tests cover PostgreSQL too)."""
    folder = tmp_path_factory.mktemp("site")
    seeded = seed(f"sqlite:///{folder / 'careflow.sqlite3'}", demo_workbook)
    from careflow.web.app import WebConfig, create_app

    application = create_app(WebConfig(seeded.url, job_processes=False))
    with TestClient(application):
        yield application, seeded
