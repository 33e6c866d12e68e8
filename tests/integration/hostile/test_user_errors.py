"""Issue 12, finding 6: problems the user can fix are reported as such (exit 2, located), never as faults (exit 3)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from cli_runner import invoke

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PACK = EXAMPLES / "norfolk-2017-18-p4"
REVIEWS = EXAMPLES / "case_reviews_synthetic.csv"
INDICATORS = EXAMPLES / "indicators_synthetic.csv"

# Every command that writes: its arguments up to --out, and whether --out names a folder or a file.
WRITERS = [
    (["report", "--baseline", "demo"], "folder"),
    (["project", "--baseline", "demo", "--runs", "5"], "folder"),
    (["finance", "report", str(PACK)], "folder"),
    (["reviews", "summary", str(REVIEWS)], "folder"),
    (["indicators", "report", str(INDICATORS)], "folder"),
    (["evidence", "report"], "folder"),
    (["reviews", "export", str(REVIEWS)], "out.csv"),
    (["reviews", "calibrate", str(REVIEWS), "--baseline", "demo"], "out.yaml"),
    (["reviews", "synthetic", "--count", "5"], "out.csv"),
]


def user_error(*args: str) -> str:
    code, stdout, stderr = invoke(*args)
    assert code == 2, stdout + stderr
    assert "Traceback" not in stderr and "fault in careflow" not in stderr
    return stderr


@pytest.mark.parametrize(("command", "kind"), WRITERS, ids=lambda v: v if isinstance(v, str) else " ".join(v[:2]))
def test_every_out_problem_is_a_user_error(tmp_path: Path, command: list[str], kind: str) -> None:
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    name = "out" if kind == "folder" else kind
    targets = [a_file / name, Path("/proc/careflow-cannot-write") / name]  # under a file; a folder nobody can make
    if kind == "folder":
        targets.append(a_file)  # a file where a folder is wanted
    else:
        (tmp_path / "folder").mkdir()
        targets.append(tmp_path / "folder")  # a folder where a file is wanted
    for target in targets:
        message = user_error(*command, "--out", str(target))
        assert target.name in message
    assert a_file.read_text(encoding="utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a-file.txt", *(["folder"] if kind != "folder" else [])]
    )


def _rewrite(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(change(rows))


@pytest.mark.parametrize("odd", list("/:[]*?\\"))
def test_group_codes_that_cannot_name_a_sheet(tmp_path: Path, odd: str) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    for file in pack.glob("*.csv"):
        _rewrite(file, lambda rows: [[f"C{odd}S" if c == "CS" else c for c in r] for r in rows])
    message = user_error("finance", "report", str(pack), "--out", str(tmp_path / "out"))
    assert "budget_lines" in message and "row 4" in message and "column 'code'" in message
    assert not (tmp_path / "out").exists()


def test_a_second_commentary_row_is_reported_not_silently_used(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    _rewrite(pack / "commentary.csv", lambda rows: [*rows, [*rows[1][:2], "A second explanation", "L1"]])
    message = user_error("finance", "validate", str(pack))
    assert "a second explanation for 'BD' at period 4" in message


def test_an_all_zero_baseline_is_refused_before_projecting(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(EXAMPLES / "demo-baseline.xlsx")
    for name in ("population", "long_term"):
        sheet = workbook[name]
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if isinstance(cell.value, int | float):
                    cell.value = 0
    workbook.save(tmp_path / "zero.xlsx")
    message = user_error("project", "--baseline", str(tmp_path / "zero.xlsx"), "--runs", "5")
    assert "0 in every row" in message and "sheet 'population'" in message


def test_a_council_name_of_300000_characters(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(EXAMPLES / "demo-baseline.xlsx")
    workbook["council"]["A4"] = "N" * 300_000
    workbook.save(tmp_path / "long.xlsx")
    for command in (["validate", str(tmp_path / "long.xlsx")], ["report", "--baseline", str(tmp_path / "long.xlsx")]):
        message = user_error(*command, *(["--out", str(tmp_path / "out")] if command[0] == "report" else []))
        assert "column 'name'" in message and "N" * 100 not in message
    assert not (tmp_path / "out").exists()


def test_a_long_but_acceptable_name_still_gives_a_short_file_name(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(EXAMPLES / "demo-baseline.xlsx")
    workbook["council"]["A4"] = "Long " * 39
    workbook.save(tmp_path / "long.xlsx")
    code, _, stderr = invoke("report", "--baseline", str(tmp_path / "long.xlsx"), "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    assert all(len(p.name) < 100 for p in (tmp_path / "out").iterdir())
