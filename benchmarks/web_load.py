"""Load on loopback: N signed-in users for T seconds mixing page views, opportunity recomputation and scenario saves.

Starts `careflow serve` (one process, as a council would run it), creates N accounts, and runs N asyncio clients
that each loop: a page (workspace, baselines, scenarios, opportunity), the opportunity of the scenario the user
saved last through the API, and now and then a scenario saved; between actions a user thinks for a while (2 s on
average; --think 0 sends requests back to back, which measures capacity rather than people). Prints p50/p95/p99
per kind, errors, and 'database is locked' lines from the server log. `make bench-web-load` or
`.venv/bin/python benchmarks/web_load.py [--users 50] [--seconds 120] [--think 2] [--database URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from web_crash import database  # this folder is on the path when a benchmark runs as a script

PASSWORD = "load test password 1"
SAVE_SHARE = 0.1  # one action in ten is a scenario save


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def prepare(url: str, users: int) -> None:
    from careflow.store import accounts, records
    from careflow.store.database import database_url, make_engine, session_factory, transaction, upgrade
    from careflow.store.models import Role

    engine = make_engine(database_url(url))
    upgrade(engine)
    with transaction(session_factory(engine)) as db:
        workspace = accounts.workspace_named(db, "Loadshire")
        for i in range(users):
            accounts.grant(db, accounts.create_user(db, f"user{i}@load.example", PASSWORD), workspace, Role.analyst)
        records.add_scenario(db, workspace.id, "first", "name: first\n", "load test", None)
    engine.dispose()
    subprocess.run(
        [sys.executable, "-m", "careflow", "admin", "load-demo", "--workspace", "Loadshire", "--database", url],
        check=True,
        capture_output=True,
    )


async def user(
    base: str,
    index: int,
    until: float,
    think: float,
    timings: dict[str, list[float]],
    errors: collections.Counter[str],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/sign-in")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        await client.post(
            "/sign-in", data={"email": f"user{index}@load.example", "password": PASSWORD, "csrf_token": token}
        )
        account = await client.get("/account")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', account.text).group(1)  # type: ignore[union-attr]
        w = (await client.get("/api/v1/workspaces")).json()[0]["id"]
        pages = [f"/w/{w}", f"/w/{w}/baselines", f"/w/{w}/scenarios", f"/w/{w}/opportunity"]
        rng = random.Random(index)
        latest = 1  # the scenario version prepared for everyone
        while time.monotonic() < until:
            kind = "save" if rng.random() < SAVE_SHARE else rng.choice(["page", "recompute"])
            started = time.perf_counter()
            try:
                if kind == "page":
                    answer = await client.get(rng.choice(pages))
                elif kind == "recompute":  # the opportunity of the scenario this user saved last (new: not cached)
                    answer = await client.get(f"/api/v1/workspaces/{w}/opportunity", params={"scenario": latest})
                else:
                    body = {
                        "name": f"user {index}",
                        "levers": {
                            "short_term_services": {"effects": {"access_uplift": round(rng.uniform(0.3, 0.5), 3)}}
                        },
                    }
                    answer = await client.post(
                        f"/api/v1/workspaces/{w}/scenarios", json=body, headers={"X-CSRF-Token": csrf}
                    )
                    latest = answer.json()["number"] if answer.status_code == 201 else latest
                if answer.status_code >= 400:
                    errors[f"{kind} {answer.status_code}"] += 1
            except httpx.HTTPError as error:
                errors[f"{kind} {type(error).__name__}"] += 1
            timings[kind].append(time.perf_counter() - started)
            if think:  # a person reads the page before the next click: uniform over half to one and a half times
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def run(
    base: str, users: int, seconds: float, think: float
) -> tuple[dict[str, list[float]], collections.Counter[str]]:
    timings: dict[str, list[float]] = collections.defaultdict(list)
    errors: collections.Counter[str] = collections.Counter()
    until = time.monotonic() + seconds
    await asyncio.gather(*(user(base, i, until, think, timings, errors) for i in range(users)))
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds a user waits between actions (0: back-to-back requests, a saturation test)",
    )
    parser.add_argument("--database", default=None, help="default: a SQLite file in a temporary folder")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="careflow-load-"))
    with database(options.database, folder) as url:  # PostgreSQL: a schema of its own, dropped after the run
        measure(url, folder, options)


def measure(url: str, folder: Path, options: argparse.Namespace) -> None:
    prepare(url, options.users)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = folder / "server.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "careflow", "serve", "--port", str(port), "--database", url],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    httpx.get(base + "/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            timings, errors = asyncio.run(run(base, options.users, options.seconds, options.think))
        finally:
            server.terminate()
            server.wait(timeout=30)
    locked = sum("database is locked" in line for line in log.read_text(errors="replace").splitlines())
    faults = sum('"status": 500' in line for line in log.read_text(errors="replace").splitlines())
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"careflow web load: {options.users} users for {options.seconds:.0f} s on loopback ({database}, one server "
        f"process), think time {options.think:g} s on average"
    )
    for kind in ("page", "recompute", "save"):
        values = timings.get(kind, [])
        print(
            f"  {kind:9s} {len(values):6d} requests  p50 {percentile(values, 0.5) * 1000:7.0f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:7.0f} ms  p99 {percentile(values, 0.99) * 1000:7.0f} ms"
        )
    total = sum(len(v) for v in timings.values())
    print(
        f"  throughput {total / options.seconds:.1f} requests/s; errors {sum(errors.values())} {dict(errors)}; "
        f"'database is locked' in the server log: {locked}; server faults (500): {faults}"
    )


if __name__ == "__main__":
    main()
