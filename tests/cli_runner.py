"""Run the `careflow` command as a user does: its exit code, stdout and stderr, in-process or in a real process.

In-process (typer's CliRunner isolation) is the default: the same root command group, the same exit codes (2 for
input problems, 3 for faults) and the same output, without starting Python again for every call. The real-process
runner is for the few end-to-end smoke tests that check the installed entry point itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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


@cache
def _root_command() -> Any:
    """The click command tree typer builds from `careflow.cli.app`, built once per test process.

    Building it takes ~35 ms and typer's `CliRunner.invoke` rebuilds it on every call (a real process builds it
    once and runs it once); a run only reads the tree, so sharing it changes nothing a test sees.
    """
    import typer.main

    from careflow.cli import app

    return typer.main.get_command(app)


def _text(stream: Any) -> str:
    return stream.getvalue().decode("utf-8", "replace").replace("\r\n", "\n")


def run_careflow(*args: str, cwd: Path | None = None, timeout: int = 120) -> Ran:
    """The command in this process; `timeout` is accepted for the same signature as the real-process runner.

    As typer's `CliRunner.invoke` does, but on the shared command tree: stdin, stdout and stderr swapped for
    buffers, click's standalone mode turning every ending into `SystemExit` with the exit code.
    """
    with _cwd(cwd), CliRunner().isolation() as (stdout, stderr, _):
        try:
            _root_command().main(args=list(args), prog_name="careflow")
            code = 0  # not reached in standalone mode, which always exits; kept so `code` is always bound
        except SystemExit as exit:
            code = 0 if exit.code is None else exit.code
            if not isinstance(code, int):  # `sys.exit("message")`: the message printed, exit 1, as typer's runner does
                sys.stdout.write(f"{code}\n")
                code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        # any other exception propagates: a test should see the real error, not exit code 1
        return Ran(list(args), code, _text(stdout), _text(stderr))


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
