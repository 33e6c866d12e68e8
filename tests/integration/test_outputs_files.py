"""No silent overwrite: every template and --out refuses an existing file without --force; files respect the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from careflow.errors import InputError
from careflow.files import staged_directory, staged_file


def run_careflow(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in a terminal wide enough that problem tables do not fold."""
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "careflow", *args], capture_output=True, text=True, env=env)


def _words(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize(
    "command",
    [
        ("template", "{out}.xlsx"),
        ("finance", "template", "{out}.xlsx"),
        ("reviews", "template", "{out}.xlsx"),
        ("indicators", "template", "{out}.xlsx"),
    ],
)
def test_templates_refuse_to_overwrite_without_force(tmp_path: Path, command: tuple[str, ...]) -> None:
    target = tmp_path / "existing.xlsx"
    target.write_bytes(b"the user's own work")
    args = [a.replace("{out}", str(tmp_path / "existing")) for a in command]
    refused = run_careflow(*args)
    assert refused.returncode == 2 and "already exists" in _words(refused.stderr) and "force" in refused.stderr
    assert target.read_bytes() == b"the user's own work"
    assert run_careflow(*args, "--force").returncode == 0
    assert target.read_bytes() != b"the user's own work"


def test_report_folder_refuses_to_replace_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_careflow("report", "--baseline", "demo", "--out", str(out)).returncode == 0
    written = sorted(out.iterdir())
    before = {p: p.stat().st_mtime_ns for p in written}
    again = run_careflow("report", "--baseline", "demo", "--out", str(out))
    assert again.returncode == 2 and "already exists" in _words(again.stderr)
    assert {p: p.stat().st_mtime_ns for p in sorted(out.iterdir())} == before
    assert run_careflow("report", "--baseline", "demo", "--out", str(out), "--force").returncode == 0


def test_outputs_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with staged_file(tmp_path / "one.xlsx") as stage:
            stage.write_bytes(b"x")
        with staged_directory(tmp_path / "folder") as stage:
            (stage / "page.html").write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "one.xlsx").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "folder" / "page.html").stat().st_mode) == 0o644


def test_staged_file_refuses_before_doing_any_work(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_text("keep")
    with pytest.raises(InputError), staged_file(target):
        raise AssertionError("the block must not run")  # pragma: no cover
    assert target.read_text() == "keep"


def test_template_example_row_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    assert run_careflow("template", str(path)).returncode == 0
    sheet = openpyxl.load_workbook(path)["council"]
    assert sheet["A4"].value == "Exampleshire"
    assert sheet["A4"].fill.fgColor.rgb.endswith("FFEB9C")
    assert any("EXAMPLE ROW" in str(c.value) for c in sheet[4])
    refused = run_careflow("validate", str(path))
    assert refused.returncode == 2 and "example row" in _words(refused.stderr)
