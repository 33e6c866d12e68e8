"""Run the `careflow` command as a user does: its exit code, stdout and stderr, in-process or in a real process.

In-process (typer's CliRunner) is the default: the same root command group, the same exit codes (2 for input
problems, 3 for faults) and the same output, without starting Python again for every call. The real-process
runner is for the few end-to-end smoke tests that check the installed entry point itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner


@dataclass(frozen=True)
class Ran:
    """What a run of the command gave: the same fields as `subprocess.CompletedProcess`."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def _cwd(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_careflow(*args: str, cwd: Path | None = None, timeout: int = 120) -> Ran:
    """The command in this process; `timeout` is accepted for the same signature as the real-process runner."""
    from careflow.cli import app

    with _cwd(cwd):
        result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a test should see the real error, not exit code 1
    return Ran(list(args), result.exit_code, result.stdout, result.stderr)


def run_careflow_process(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """The installed command in a real process (`python -m careflow`), for end-to-end smoke tests."""
    return subprocess.run(
        [sys.executable, "-m", "careflow", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


def invoke(*args: str) -> tuple[int, str, str]:
    """`run_careflow` with tables printed full width (no wrapping inside messages): (exit code, stdout, stderr)."""
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "1000"
    try:
        ran = run_careflow(*args)
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return ran.returncode, ran.stdout, ran.stderr
