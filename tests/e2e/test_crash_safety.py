"""Crash safety in real processes: `careflow serve` and its job workers killed with SIGKILL in the middle of uploads,
scenario saves and projection jobs, three times on SQLite (the full 20 rounds on both databases is
`make bench-web-crash`). No acknowledged write may be lost, the database must pass its integrity check, and every
job in flight must come back marked interrupted and run again to the end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "web_crash.py"
pytestmark = pytest.mark.slow


def test_three_kill_9_rounds_lose_nothing_and_corrupt_nothing() -> None:
    run = subprocess.run(
        [sys.executable, str(BENCHMARK), "--rounds", "3", "--json", "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    figures = json.loads(run.stdout)
    assert figures["rounds"] == 3 and figures["database"] == "SQLite"
    assert sum(figures["acknowledged"].values()) >= 6, figures  # the rounds did write before each kill
    assert figures["lost"] == 0 and figures["corrupted"] == 0, figures["problems"]
    assert figures["not_marked"] == 0 and figures["reruns_failed"] == 0, figures["problems"]
    assert figures["marked_interrupted"] == figures["jobs_in_flight"]
    assert figures["server_errors"] == 0 and figures["locked"] == 0  # writers queue for SQLite's lock, never fail
    assert run.returncode == 0, run.stderr[-2000:]
