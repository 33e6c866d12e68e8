"""Run the `careflow` command as a user does: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_careflow(*args: str, cwd: Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "careflow", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `careflow ARGS` in this process, as `main()` does (exit codes 0/2/3): (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from careflow.cli import main

    saved = sys.argv
    with CliRunner().isolation(env={"COLUMNS": "1000"}) as (stdout, stderr, *_):  # no wrapping in tables
        sys.argv = ["careflow", *args]
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        finally:
            sys.argv = saved
        return code, stdout.getvalue().decode(errors="replace"), stderr.getvalue().decode(errors="replace")
