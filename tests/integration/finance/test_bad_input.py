"""Broken inputs: every problem located (file, sheet, row, column), exit code 2, no traceback, nothing written."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from careflow.errors import InputError, Problem
from careflow.finance.workbook import load
from cli_runner import run_careflow

from .conftest import EXAMPLE


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(folder: Path, table: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / f"{table}.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def problems_for(folder: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load(folder)
    return caught.value.problems


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_careflow("finance", *args)


def test_duplicate_code(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "budget_lines", lambda rows: rows[5].__setitem__(0, "CS-COM"))  # row 6 reuses row 5's code
    found = problems_for(folder)
    dup = [p for p in found if "second line coded 'CS-COM'" in p.found]
    assert dup and dup[0].sheet == "budget_lines" and dup[0].row == 6 and dup[0].column == "code"
    assert "first on row 5" in dup[0].found


def test_missing_parent(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "budget_lines", lambda rows: rows[4].__setitem__(2, "NOPE"))
    found = problems_for(folder)
    assert any(p.found == "'NOPE'" and p.row == 5 and p.column == "parent" for p in found)


def test_cycle(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)

    def loop(rows: list[list[str]]) -> None:
        rows[3][2] = "POC"  # CS under Purchase of care, which sits under Services to Users...
        rows[15][2] = "CS"  # ...and Services to Users under CS: a loop

    edit(folder, "budget_lines", loop)
    found = problems_for(folder)
    assert any("a cycle" in p.found and "CS" in p.found and "STU" in p.found for p in found)


def test_text_in_number_cell_and_period_out_of_range(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "positions", lambda rows: rows[2].__setitem__(2, "about 1.7"))
    edit(folder, "positions", lambda rows: rows[3].__setitem__(1, "13"))
    found = problems_for(folder)
    assert any(
        p.found == "text 'about 1.7'" and p.row == 3 and p.column == "forecast" and p.sheet == "positions"
        for p in found
    )
    assert any(p.found == "13" and p.row == 4 and p.column == "period" for p in found)


def test_saving_with_no_target_year(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "savings", lambda rows: rows[1].__setitem__(4, ""))
    found = problems_for(folder)
    assert any(p.sheet == "savings" and p.row == 2 and p.column == "year" for p in found)


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "positions", lambda rows: rows[2].__setitem__(2, "n/a"))
    edit(folder, "reserves", lambda rows: rows[1].__setitem__(3, "lots"))
    edit(folder, "respread", lambda rows: rows[1].__setitem__(1, "30"))
    found = problems_for(folder)
    assert {p.sheet for p in found} >= {"positions", "reserves"}
    # cross-row checks run only once every cell is readable, so fix the cells and the share total is reported
    edit(folder, "positions", lambda rows: rows[2].__setitem__(2, "1.0"))
    edit(folder, "reserves", lambda rows: rows[1].__setitem__(3, "4.157"))
    assert any(p.sheet == "respread" and "110%" in p.found for p in problems_for(folder))


def test_hierarchy_and_reference_checks(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "positions", lambda rows: rows.append(["GHOST", "4", "1.0", "", ""]))
    edit(folder, "exemptions", lambda rows: rows.append(["XYZ", "2018-19", "gap", ""]))
    edit(folder, "budget_lines", lambda rows: rows[1].__setitem__(4, "4.0"))  # the department group given a budget
    found = {(p.sheet, p.column) for p in problems_for(folder)}
    assert {("positions", "code"), ("exemptions", "department"), ("budget_lines", "budget")} <= found


def test_printed_figure_that_is_not_computed(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "printed", lambda rows: rows.append(["budget", "NOPE", "budget", "1.0", "L1"]))
    result = run("validate", str(folder))
    assert result.returncode == 2
    assert "NOPE" in result.stderr and "printed" in result.stderr


@pytest.mark.parametrize("content", [b"", b"this is not a workbook", b"PK\x03\x04broken zip"])
def test_corrupt_or_empty_workbook_exits_2_without_traceback(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "pack.xlsx"
    bad.write_bytes(content)
    out = tmp_path / "out"
    result = run("report", str(bad), "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "pack.xlsx" in result.stderr
    assert not out.exists()


def test_bad_folder_writes_nothing(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "settings.csv").write_text("")
    out = tmp_path / "out"
    result = run("report", str(folder), "--out", str(out))
    assert result.returncode == 2
    assert "settings.csv" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    assert run("validate", str(folder)).returncode == 2


def test_settings_period_checks(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "settings", lambda rows: rows[1].__setitem__(4, "4"))  # compared with itself
    found = problems_for(folder)
    assert any(p.sheet == "settings" and p.column == "previous_period" and p.row == 2 for p in found)
    edit(folder, "settings", lambda rows: rows[1].__setitem__(3, "0"))
    assert any(p.column == "period" and p.found == "0" for p in problems_for(folder))
