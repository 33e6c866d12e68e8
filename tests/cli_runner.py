"""Run the `careflow` command as a user does: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_careflow(*args: str, cwd: Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "careflow", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )
