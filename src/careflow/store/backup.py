"""Backups of the team store as one portable archive (any database to any database), checked by content hashes.

A backup reads every table in one read transaction (a consistent snapshot under concurrent writes: SQLite's WAL
readers and PostgreSQL's REPEATABLE READ both see one moment) and writes a zip: a manifest with the schema
revision, row counts and a SHA-256 per table, and one JSON-lines file per table. A restore loads it into an
empty database at the same revision, then recomputes the hashes from the database and compares them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, LargeBinary, Table, func, insert, select, text

from careflow.errors import InputError, Problem
from careflow.store.database import current_revision
from careflow.store.models import Base

FORMAT = "careflow-store-backup/1"


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children, so a restore satisfies foreign keys


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat()  # the same text from either database
    return value


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    typed = {}
    for column in table.columns:
        value = row.get(column.name)
        kind = getattr(column.type, "impl", column.type)  # careflow's own column types wrap SQLAlchemy's
        if value is not None and isinstance(kind, LargeBinary):
            value = base64.b64decode(value["base64"])
        elif value is not None and isinstance(kind, DateTime):
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        typed[column.name] = value
    return typed


def _lines(connection: Any, table: Table) -> Iterable[str]:
    key = list(table.primary_key.columns)
    for row in connection.execute(select(table).order_by(*key)).mappings():
        yield json.dumps({name: _plain(value) for name, value in row.items()}, sort_keys=True, ensure_ascii=False)


def table_digests(engine: Engine) -> dict[str, tuple[int, str]]:
    """Rows and SHA-256 of each table's canonical content, read in one snapshot."""
    digests = {}
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        for table in _tables():
            digest, count = hashlib.sha256(), 0
            for line in _lines(connection, table):
                digest.update(line.encode() + b"\n")
                count += 1
            digests[table.name] = (count, digest.hexdigest())
    return digests


def backup(engine: Engine, archive: Path) -> dict[str, Any]:
    """Write the archive (to a temporary name first, so a failed backup never leaves a partial file)."""
    manifest: dict[str, Any] = {"format": FORMAT, "revision": current_revision(engine), "tables": {}}
    staged = archive.with_name(archive.name + ".partial")
    with zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as out, engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        for table in _tables():
            digest, count, buffer = hashlib.sha256(), 0, io.StringIO()
            for line in _lines(connection, table):
                digest.update(line.encode() + b"\n")
                buffer.write(line + "\n")
                count += 1
            out.writestr(f"{table.name}.jsonl", buffer.getvalue())
            manifest["tables"][table.name] = {"rows": count, "sha256": digest.hexdigest()}
        out.writestr("manifest.json", json.dumps(manifest, indent=2))
    staged.replace(archive)
    return manifest


def restore(engine: Engine, archive: Path) -> dict[str, Any]:
    """Load an archive into an empty database at the same migration, then verify every table's hash."""
    name = str(archive)
    try:
        bundle = zipfile.ZipFile(archive)
        manifest = json.loads(bundle.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError):
        raise InputError([Problem(name, "not a careflow backup", "a file made by 'careflow admin backup'")]) from None
    if manifest.get("format") != FORMAT:
        raise InputError([Problem(name, f"format {manifest.get('format')!r}", FORMAT)])
    revision = current_revision(engine)
    if revision != manifest["revision"]:
        raise InputError(
            [
                Problem(
                    "database",
                    f"migration {revision or 'none'}",
                    f"migration {manifest['revision']} (run 'careflow db upgrade')",
                )
            ]
        )
    with engine.begin() as connection:
        occupied = [t.name for t in _tables() if connection.execute(select(func.count()).select_from(t)).scalar_one()]
        if occupied:
            raise InputError(
                [Problem("database", f"data in {', '.join(occupied)}", "an empty database to restore into")]
            )
        for table in _tables():
            rows = [
                _typed(table, json.loads(line)) for line in bundle.read(f"{table.name}.jsonl").decode().splitlines()
            ]
            if rows:
                connection.execute(insert(table), rows)
            if engine.dialect.name == "postgresql" and rows:
                # Restored ids were given explicitly; move each sequence past them so new rows do not collide.
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
                    )
                )
    found = table_digests(engine)
    wrong = [t for t, entry in manifest["tables"].items() if found.get(t) != (entry["rows"], entry["sha256"])]
    if wrong:
        raise RuntimeError(f"restored tables differ from the backup: {', '.join(wrong)}")
    return manifest
