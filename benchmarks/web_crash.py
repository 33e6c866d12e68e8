"""Crash safety of the web app: kill -9 the server and its job workers in the middle of writes, restart, and count.

Starts a real `careflow serve` on loopback (a SQLite file, or PostgreSQL with --database: a private schema made for
the run and dropped after), signs in and, in parallel, uploads finance packs and baselines, saves scenarios and
starts projection jobs. At a random moment it sends SIGKILL to the server's whole process group (the server and its
worker processes), then, with nothing running:

- counts the acknowledged writes (HTTP 201/202/303 received) that are missing or differ after the crash — must be 0;
- checks the database: SQLite `PRAGMA integrity_check` and `foreign_key_check`; PostgreSQL, every table read in
  full — and counts corrupted databases (must be 0);
- notes the jobs left queued or running.

It then restarts the server, checks that each of those jobs is marked *interrupted*, re-runs one and waits for it to
finish, makes one write of each kind (so that the next kill lands among steady writes, not in the server's
start-up), and goes on to the next round. Run with `make bench-web-crash` or
`.venv/bin/python benchmarks/web_crash.py [--rounds 20] [--database postgresql://…] [--seed N] [--json]`.
This is a process crash, not a power cut: SQLite runs in WAL mode with synchronous=NORMAL, which keeps every
committed transaction through a process crash (a power cut may lose the last ones, never corrupt the file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "examples" / "norfolk-2017-18-p4.xlsx"
PASSWORD = "crash benchmark password"
EMAIL = "crash@example.org"
WORKSPACE = "Crashshire"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACKNOWLEDGED = (201, 202, 303)


def careflow(*args: str, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "careflow", *args], input=stdin, check=True, capture_output=True, text=True)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class Figures:
    """What a run found; `lost`, `corrupted` and `not_marked` must all be 0."""

    database: str
    rounds: int = 0
    acknowledged: dict[str, int] = field(default_factory=lambda: {"finance": 0, "baseline": 0, "scenario": 0, "job": 0})
    lost: int = 0
    corrupted: int = 0
    server_errors: int = 0  # 5xx answers to the writes (a write refused by the server is not lost, but is a fault)
    locked: int = 0  # "database is locked" in the server's log
    cut_off: dict[str, int] = field(default_factory=dict)  # requests under way when the kill came, by kind
    jobs_in_flight: int = 0  # queued or running when the server was killed
    marked_interrupted: int = 0
    not_marked: int = 0
    reruns_succeeded: int = 0
    reruns_failed: int = 0
    kill_after_s: list[float] = field(default_factory=list)
    warm_up_s: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Acknowledged:
    """Every write the server acknowledged, with what it should hold, across all rounds."""

    finance: dict[int, str] = field(default_factory=dict)  # version number → SHA-256 of the uploaded workbook
    baselines: dict[int, str] = field(default_factory=dict)
    scenarios: dict[int, str] = field(default_factory=dict)  # version number → scenario name
    jobs: set[int] = field(default_factory=set)
    server_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _running_in_group(group: int) -> bool:
    """Whether a process of the group is still running. The workers, orphaned when the server dies, are reaped by
    init; until then they are zombies, which run nothing and hold no files or locks, so they count as gone. (Some
    container inits reap only every second or two, which `os.killpg(group, 0)` alone would wait for every round.)"""
    try:
        os.killpg(group, 0)  # raises once no process of the group is left, zombie or not
    except ProcessLookupError:
        return False
    proc = Path("/proc")
    if not proc.is_dir():  # no /proc to tell zombies apart (macOS): wait for init to reap them
        return True
    for entry in proc.iterdir():
        try:  # /proc/PID/stat: "pid (name) state ppid pgrp …"; the name may hold spaces and parentheses
            state, _, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError, IndexError):
            continue  # not a process, or one that has just gone
        if int(pgrp) == group and state != "Z":
            return True
    return False


class Server:
    """`careflow serve` in its own process group, so one SIGKILL reaches the server and its worker processes."""

    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "careflow", "serve", "--port", str(port), "--database", self.url],
                stdout=log,
                stderr=log,
                start_new_session=True,  # a process group of its own: the server and the workers it spawns
                cwd=ROOT,
            )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"careflow serve stopped at start (exit {self.process.returncode}); see {self.log}")
            time.sleep(0.1)
        raise RuntimeError("careflow serve did not answer /health within 2 minutes")

    def kill(self) -> None:
        """SIGKILL to the whole group (server and workers), then wait until none of them is left running."""
        assert self.process is not None
        group = self.process.pid  # the group's id is the server's pid (start_new_session)
        os.killpg(group, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if not _running_in_group(group):
                return
            time.sleep(0.05)
        raise RuntimeError("worker processes outlived SIGKILL")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def signed_in(base: str) -> tuple[httpx.Client, str, int]:
    client = httpx.Client(base_url=base, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)  # type: ignore[union-attr]
    workspace = int(client.get("/api/v1/workspaces").json()[0]["id"])
    return client, csrf, workspace


def writers(
    client: httpx.Client, csrf: str, workspace: int, baseline: bytes, acked: Acknowledged, tag: str
) -> list[Callable[[int], None]]:
    """One function per kind of write; each sends one write and records it only if the server acknowledged it."""
    w = f"/w/{workspace}"
    api = f"/api/v1/workspaces/{workspace}"
    pack = PACK.read_bytes()

    def counted(answer: httpx.Response) -> httpx.Response:
        if answer.status_code >= 500:
            with acked.lock:
                acked.server_errors += 1
        return answer

    def finance_pack(i: int) -> None:
        answer = counted(
            client.post(
                f"{w}/finance",
                data={"csrf_token": csrf},
                files={"pack": ("pack.xlsx", pack, XLSX)},
                follow_redirects=False,
            )
        )
        if answer.status_code in ACKNOWLEDGED:
            number = int(answer.headers["location"].split("/")[-1].split("?")[0])
            with acked.lock:
                acked.finance[number] = sha(pack)

    def upload_baseline(i: int) -> None:
        answer = counted(
            client.post(
                f"{api}/baselines", headers={"X-CSRF-Token": csrf}, files={"workbook": ("demo.xlsx", baseline, XLSX)}
            )
        )
        if answer.status_code in ACKNOWLEDGED:
            with acked.lock:
                acked.baselines[answer.json()["number"]] = sha(baseline)

    def scenario_save(i: int) -> None:
        name = f"crash {tag} {i}"
        answer = counted(client.post(f"{api}/scenarios", headers={"X-CSRF-Token": csrf}, json={"name": name}))
        if answer.status_code in ACKNOWLEDGED:
            with acked.lock:
                acked.scenarios[answer.json()["number"]] = name

    def projection_job(i: int) -> None:
        answer = counted(
            client.post(
                f"{api}/projections", headers={"X-CSRF-Token": csrf}, json={"runs": 100, "years": 10, "seed": i}
            )
        )
        if answer.status_code in ACKNOWLEDGED:
            with acked.lock:
                acked.jobs.add(int(answer.json()["id"]))

    return [finance_pack, upload_baseline, scenario_save, projection_job]


def drive(write: Callable[[int], None], stop: threading.Event, pause: float, cut_off: list[str]) -> None:
    i = 0
    while not stop.is_set():
        try:
            write(i)
        except httpx.ConnectError:
            return  # the server was already gone: this request never reached it
        except httpx.TransportError:
            cut_off.append(write.__name__)  # the kill came mid-request: this write was never acknowledged
            return
        i += 1
        stop.wait(pause)


def warm_up(writes: list[Callable[[int], None]], figures: Figures) -> None:
    """One write of each kind, one after another, before the round's clock starts. A fresh server's first uploads
    import the workbook readers and the finance report (about 11 s when all four kinds arrive at once on this
    machine); without a warm-up most kills would land in that start-up, not among steady writes. These writes are
    acknowledged and checked like the others."""
    started = time.monotonic()
    for write in writes:
        write(0)
    figures.warm_up_s.append(round(time.monotonic() - started, 2))


def check_store(url: str, acked: Acknowledged, figures: Figures) -> set[int]:
    """With the server dead: lost acknowledged writes, the database's integrity, and the jobs left in flight."""
    from sqlalchemy import select, text

    from careflow.store.database import make_engine
    from careflow.store.models import Base, BaselineVersion, FinancePackVersion, Job, ScenarioVersion

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if url.startswith("sqlite"):
                verdict = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
                dangling = list(connection.execute(text("PRAGMA foreign_key_check")))
                if verdict != ["ok"] or dangling:
                    figures.corrupted += 1
                    figures.problems.append(f"integrity_check {verdict[:3]}, {len(dangling)} dangling reference(s)")
            for table in Base.metadata.sorted_tables:  # every row of every table must read back
                for _ in connection.execute(select(table)):
                    pass
            finance = dict(
                connection.execute(select(FinancePackVersion.number, FinancePackVersion.content_sha256)).all()
            )
            baselines = dict(connection.execute(select(BaselineVersion.number, BaselineVersion.content_sha256)).all())
            scenarios = dict(connection.execute(select(ScenarioVersion.number, ScenarioVersion.name)).all())
            jobs = dict(connection.execute(select(Job.id, Job.status)).all())
    except Exception as error:  # a database that cannot be read is a corrupted one
        figures.corrupted += 1
        figures.problems.append(f"unreadable database: {type(error).__name__}: {error}")
        return set()
    finally:
        engine.dispose()
    with acked.lock:
        missing = [f"finance v{n}" for n, h in acked.finance.items() if finance.get(n) != h]
        missing += [f"baseline v{n}" for n, h in acked.baselines.items() if baselines.get(n) != h]
        missing += [f"scenario v{n}" for n, name in acked.scenarios.items() if scenarios.get(n) != name]
        missing += [f"job {j}" for j in acked.jobs if j not in jobs]
    figures.lost = len(missing)  # cumulative: every write acknowledged in any round so far must still be there
    if missing:
        figures.problems.append("lost: " + ", ".join(missing[:10]))
    return {j for j, status in jobs.items() if status in ("queued", "running")}


def rerun_one(client: httpx.Client, csrf: str, workspace: int, in_flight: set[int], figures: Figures) -> None:
    """The interrupted jobs are marked; one of them is run again to the end from its page's button."""
    api = f"/api/v1/workspaces/{workspace}/projections"
    for job_id in sorted(in_flight):
        status = client.get(f"{api}/{job_id}").json()["status"]
        if status == "interrupted":
            figures.marked_interrupted += 1
        else:
            figures.not_marked += 1
            figures.problems.append(f"job {job_id} was in flight at the crash but is '{status}' after restart")
    if not in_flight:
        return
    again = client.post(
        f"/w/{workspace}/projections/{min(in_flight)}/rerun", data={"csrf_token": csrf}, follow_redirects=False
    )
    new_id = int(again.headers["location"].rsplit("/", 1)[1])
    deadline = time.monotonic() + 300
    status = "queued"
    while status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.25)
        status = client.get(f"{api}/{new_id}").json()["status"]
    if status == "succeeded":
        figures.reruns_succeeded += 1
    else:
        figures.reruns_failed += 1
        figures.problems.append(f"re-run job {new_id} ended '{status}'")


@contextmanager
def database(given: str | None, folder: Path) -> Iterator[str]:
    """A SQLite file in the run's folder, or a private schema in the given PostgreSQL database, dropped after."""
    if not given:
        yield f"sqlite:///{folder / 'careflow.sqlite3'}"
        return
    import psycopg

    schema = f"careflow_crash_{uuid.uuid4().hex[:10]}"
    plain = given.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{plain}{'&' if '?' in plain else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def demo_baseline(folder: Path) -> bytes:
    from careflow.baseline.io import builtin, write_baseline_workbook

    path = folder / "demo.xlsx"
    write_baseline_workbook(path, builtin("demo"))
    return path.read_bytes()


def run(rounds: int, given: str | None, seed: int, window: tuple[float, float]) -> Figures:
    rng = random.Random(seed)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="careflow-crash-"))
    with database(given, folder) as url:
        figures = Figures("PostgreSQL" if url.startswith("postgresql") else "SQLite")
        careflow("db", "upgrade", "--database", url)
        careflow(
            "admin", "create-user", EMAIL, "--role", "admin", "--workspace", WORKSPACE, "--password-stdin",
            "--database", url, stdin=PASSWORD + "\n",
        )  # fmt: skip
        careflow("admin", "load-demo", "--workspace", WORKSPACE, "--database", url)
        baseline = demo_baseline(folder)
        acked = Acknowledged()
        server = Server(url, folder / "serve.log")
        server.start()
        try:
            for number in range(1, rounds + 1):
                client, csrf, workspace = signed_in(server.base)
                if number == 1:
                    warm_up(writers(client, csrf, workspace, baseline, acked, "warm-up 1"), figures)
                stop = threading.Event()
                cut_off: list[str] = []
                threads = [
                    threading.Thread(target=drive, args=(write, stop, 0.05, cut_off), daemon=True)
                    for write in writers(client, csrf, workspace, baseline, acked, f"r{number}")
                ]
                for thread in threads:
                    thread.start()
                wait = rng.uniform(*window)
                figures.kill_after_s.append(round(wait, 2))
                time.sleep(wait)
                server.kill()
                stop.set()
                for thread in threads:
                    thread.join(timeout=60)
                client.close()
                for kind in cut_off:
                    figures.cut_off[kind] = figures.cut_off.get(kind, 0) + 1
                in_flight = check_store(url, acked, figures)
                figures.jobs_in_flight += len(in_flight)
                server.start()
                client, csrf, workspace = signed_in(server.base)
                rerun_one(client, csrf, workspace, in_flight, figures)
                warm_up(writers(client, csrf, workspace, baseline, acked, f"warm-up {number + 1}"), figures)
                client.close()
                figures.rounds = number
        finally:
            server.stop()
        figures.server_errors = acked.server_errors
        figures.locked = (
            (folder / "serve.log").read_text(encoding="utf-8", errors="replace").count("database is locked")
        )
        figures.acknowledged = {
            "finance": len(acked.finance),
            "baseline": len(acked.baselines),
            "scenario": len(acked.scenarios),
            "job": len(acked.jobs),
        }
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--database", default=None, help="a PostgreSQL URL; default a SQLite file in a temporary folder"
    )
    parser.add_argument("--seed", type=int, default=2026, help="for the random kill moments")
    parser.add_argument("--earliest", type=float, default=0.5, help="seconds of writing before a kill, at least")
    parser.add_argument("--latest", type=float, default=4.0, help="seconds of writing before a kill, at most")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    figures = run(options.rounds, options.database, options.seed, (options.earliest, options.latest))
    if options.json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        acked = figures.acknowledged
        print(f"careflow crash safety ({figures.database}): {figures.rounds} rounds of kill -9, {figures.seconds} s")
        print(
            f"  acknowledged writes: {sum(acked.values())} ({acked['finance']} finance packs, {acked['baseline']} "
            f"baselines, {acked['scenario']} scenarios, {acked['job']} projection jobs)"
        )
        cut = ", ".join(f"{n} {kind}" for kind, n in sorted(figures.cut_off.items())) or "none"
        print(f"  requests cut off by the kill (never acknowledged): {sum(figures.cut_off.values())} ({cut})")
        print(
            f"  server errors (5xx) answering writes: {figures.server_errors}; 'database is locked': {figures.locked}"
        )
        print(f"  lost after restart: {figures.lost}")
        print(f"  corrupted databases: {figures.corrupted}")
        print(
            f"  jobs in flight at the kill: {figures.jobs_in_flight}; marked interrupted: {figures.marked_interrupted}; "
            f"not marked: {figures.not_marked}; re-run to success: {figures.reruns_succeeded} of "
            f"{figures.reruns_succeeded + figures.reruns_failed}"
        )
        for problem in figures.problems:
            print(f"  problem: {problem}")
    bad = figures.lost or figures.corrupted or figures.not_marked or figures.reruns_failed or figures.server_errors
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
