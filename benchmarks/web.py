"""Web app timings on loopback: the opportunity page (median, p95) and a 100-run projection job from submit to done.

Starts `careflow serve` as a person would (SQLite file, worker process), signs in, uploads the demo baseline and
measures. Run with `make bench-web` or `.venv/bin/python benchmarks/web.py [--pages N] [--jobs N] [--database URL]`.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from web_crash import database  # this folder is on the path when a benchmark runs as a script

PASSWORD = "benchmark password 1"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def careflow(*args: str, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "careflow", *args], input=stdin, check=True, capture_output=True, text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=5)
    parser.add_argument("--database", default=None, help="default: a SQLite file in a temporary folder")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="careflow-bench-web-"))
    with database(options.database, folder) as url:  # PostgreSQL: a schema of its own, dropped after the run
        measure(url, options)


def measure(url: str, options: argparse.Namespace) -> None:
    careflow("db", "upgrade", "--database", url)
    careflow(
        "admin",
        "create-user",
        "bench@example.org",
        "--role",
        "analyst",
        "--workspace",
        "Bench",
        "--password-stdin",
        "--database",
        url,
        stdin=PASSWORD + "\n",
    )
    careflow("admin", "load-demo", "--workspace", "Bench", "--database", url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "careflow", "serve", "--port", str(port), "--database", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(600):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            time.sleep(3)  # let the worker process finish importing the engine before timing
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
            client.post("/sign-in", data={"email": "bench@example.org", "password": PASSWORD, "csrf_token": token})
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)  # type: ignore[union-attr]
            workspace = client.get("/api/v1/workspaces").json()[0]["id"]
            pages = []
            client.get(f"/w/{workspace}/opportunity")  # first request warms caches and imports
            for _ in range(options.pages):
                started = time.perf_counter()
                answer = client.get(f"/w/{workspace}/opportunity")
                pages.append(time.perf_counter() - started)
                assert answer.status_code == 200
            jobs = []
            for seed in range(options.jobs):
                started = time.perf_counter()
                job = client.post(
                    f"/api/v1/workspaces/{workspace}/projections",
                    json={"runs": 100, "years": 10, "seed": seed},
                    headers={"X-CSRF-Token": csrf},
                ).json()
                while job["status"] in ("queued", "running"):
                    time.sleep(0.05)
                    job = client.get(f"/api/v1/workspaces/{workspace}/projections/{job['id']}").json()
                assert job["status"] == "succeeded", job
                jobs.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"careflow web timings on loopback ({kind}, 1 worker process)")
    print(
        f"  opportunity page, {len(pages)} requests: median {statistics.median(pages) * 1000:.0f} ms, "
        f"p95 {percentile(pages, 0.95) * 1000:.0f} ms"
    )
    print(
        f"  projection job, 100 runs × 10 years, {len(jobs)} jobs (submit → results and reports stored): "
        f"median {statistics.median(jobs):.2f} s, p95 {percentile(jobs, 0.95):.2f} s"
    )


if __name__ == "__main__":
    main()
