"""Fuzz the JSON API with schemathesis from its own OpenAPI document; count cases, server errors and schema breaks.

Each operation gets `--examples` generated requests (valid and invalid, from the typed models), sent with an
admin's bearer token (an admin may do what every role may) to the app in-process on a fresh SQLite store with the demo baseline, a finance pack and
indicator data. Checks: no 5xx, and
every response matches the status codes, content types and schemas the document declares.
Run with `make fuzz-api` or `.venv/bin/python benchmarks/fuzz_api.py [--examples N]`.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' seeding helpers


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def stock(client: Any, seeded: Any) -> None:
    """A finance pack and a month of indicator data, so the finance and indicator reads have something to return."""
    from web_support import sign_in

    for role, form, field, name in (
        ("finance", "finance", "pack", "norfolk-2017-18-p4.xlsx"),
        ("analyst", "indicators", "data", "indicators_synthetic.csv"),
    ):
        csrf = sign_in(client, seeded.emails[role])
        files = {field: (name, (EXAMPLES / name).read_bytes())}
        stored = client.post(f"/w/{seeded.own}/{form}", data={"csrf_token": csrf}, files=files)
        assert stored.status_code == 200, f"{name} was not stored: {stored.status_code}"
    client.cookies.clear()  # the fuzzer calls with the admin's token only


def main() -> int:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from careflow.baseline.io import builtin, write_baseline_workbook
    from careflow.store import accounts
    from careflow.store.database import make_engine, session_factory, transaction
    from careflow.store.models import User
    from careflow.web.app import WebConfig, create_app
    from web_support import seed

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=50, help="generated requests per operation")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="careflow-fuzz-"))
    workbook = folder / "demo.xlsx"
    write_baseline_workbook(workbook, builtin("demo"))
    seeded = seed(f"sqlite:///{folder / 'careflow.sqlite3'}", workbook.read_bytes())
    with transaction(session_factory(make_engine(seeded.url))) as db:
        admin = db.query(User).filter(User.email == seeded.emails["admin"]).one()
        token = accounts.create_api_token(db, admin, "fuzz", "fuzz")
    app = create_app(WebConfig(seeded.url, job_processes=True))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    cases: collections.Counter[str] = collections.Counter()
    failures: dict[str, list[str]] = collections.defaultdict(list)
    from fastapi.testclient import TestClient

    def fuzz(operation: Any, label: str) -> Callable[[], None]:
        """One operation's test (made here, not in the loop: hypothesis refuses a test with default arguments)."""

        @settings(
            max_examples=options.examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case: Any) -> None:
            if "workspace_id" in (case.path_parameters or {}):
                case.path_parameters["workspace_id"] = seeded.own
            cases[label] += 1
            try:
                case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)
            except Exception as error:  # a failed check: keep the first line of its report
                failures[label].append(str(error).strip().splitlines()[0][:200])

        return exercise

    with TestClient(app) as client:  # the lifespan: the job worker runs while fuzzing
        stock(client, seeded)
        for result in schema.get_all_operations():
            operation = result.ok()
            fuzz(operation, f"{operation.method.upper()} {operation.path}")()
    total = sum(cases.values())
    print(f"schemathesis {schemathesis.SCHEMATHESIS_VERSION}: {total} cases over {len(cases)} operations")
    for label, count in sorted(cases.items()):
        found = failures.get(label, [])
        print(f"  {label}: {count} cases, {len(found)} failed" + (f" — e.g. {found[0]}" if found else ""))
    failed = sum(len(v) for v in failures.values())
    print(f"failed checks: {failed} (server errors and schema breaks must be 0)")
    sys.stdout.flush()
    os._exit(1 if failed else 0)  # leave at once: queued fuzz projections need not run to the end
    return 0


if __name__ == "__main__":
    main()
