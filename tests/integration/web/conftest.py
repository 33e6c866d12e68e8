"""Fixtures for the web and store tests: a migrated database (SQLite file, or a private PostgreSQL schema), seeded
workspaces with one member per role, and an app with its worker running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web_support import CHROMIUM, PASSWORD, POSTGRES, Seeded, postgres_reachable, seed


@pytest.fixture(scope="session")
def demo_workbook() -> bytes:
    """The synthetic demonstration council as a baseline workbook, as a council would upload it."""
    import tempfile

    from careflow.baseline.io import builtin, write_baseline_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.xlsx"
        write_baseline_workbook(path, builtin("demo"))
        return path.read_bytes()


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file in the folder, or a fresh PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'careflow.sqlite3'}"
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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database(request.param, tmp_path) as url:
        yield url


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`careflow serve` as a person starts it: a migrated database (SQLite file or PostgreSQL schema), three
    accounts, worker processes, loopback only. Every browser journey runs once on each database."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')")
    with empty_database(request.param, tmp_path_factory.mktemp("browser")) as url:
        yield from _serve(url)


def _serve(url: str) -> Iterator[str]:
    from careflow.store import accounts
    from careflow.store.database import database_url, make_engine, session_factory, transaction, upgrade
    from careflow.store.models import Role

    engine = make_engine(database_url(url))
    upgrade(engine)  # the command's own path is tested in test_migrations; here only the server runs as a process
    with transaction(session_factory(engine)) as db:
        workspace = accounts.workspace_named(db, "Exampleshire")
        for email, role in (
            ("analyst@council.example", Role.analyst),
            ("admin@council.example", Role.admin),
            ("finance@council.example", Role.finance),
        ):
            accounts.grant(db, accounts.create_user(db, email, PASSWORD), workspace, role)
    engine.dispose()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "careflow", "serve", "--port", str(port), "--database", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
