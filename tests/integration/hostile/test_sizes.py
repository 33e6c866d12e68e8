"""Issue 12, finding 7: size limits checked before parsing, row limits while streaming, error lists capped."""

from __future__ import annotations

import resource
import time
import zipfile
from pathlib import Path

import pytest

from careflow.errors import MAX_PROBLEMS_LISTED
from careflow.limits import MAX_TABLE_FILE_BYTES, MAX_TABLE_ROWS, MAX_WORKBOOK_UNZIPPED_BYTES
from cli_runner import invoke

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
REVIEW_LINES = (EXAMPLES / "case_reviews_synthetic.csv").read_text(encoding="utf-8").splitlines()


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # costs no disk and no time: the size check must come before any reading
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{d}"],
        ["validate", "{f}.xlsx"],
        ["finance", "validate", "{f}.xlsx"],
        ["reviews", "summary", "{f}.csv"],
        ["indicators", "report", "{f}.csv", "--out", "{o}"],
        ["evidence", "peers", "--baseline", "{f}.yaml"],
        ["project", "--baseline", "demo", "--scenario", "{f}.yaml"],
    ],
)
def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path, command: list[str]) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    args = []
    for part in command:
        if part.startswith("{f}"):
            part = str(sparse(tmp_path / f"big{part[3:]}", 50 * 1024 * 1024))
        elif part == "{d}":  # a baseline as a folder of CSV files, one of them huge
            (tmp_path / "folder").mkdir()
            sparse(tmp_path / "folder" / "long_term.csv", 50 * 1024 * 1024)
            part = str(tmp_path / "folder")
        elif part == "{o}":
            part = str(tmp_path / "out")
        args.append(part)
    code, stdout, stderr = invoke(*args)
    assert code == 2, stdout + stderr
    assert "52,428,800 bytes" in stderr and "at most" in stderr
    assert time.perf_counter() - start < 5
    assert not (tmp_path / "out").exists()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB


def test_the_table_limit_is_above_real_inputs() -> None:
    assert 100 * (EXAMPLES / "case_reviews_synthetic.csv").stat().st_size < MAX_TABLE_FILE_BYTES
    assert 100 * (len(REVIEW_LINES) - 2) < MAX_TABLE_ROWS


def test_rows_over_the_limit_are_refused_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    body = REVIEW_LINES[2]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(REVIEW_LINES[1] + "\n")
        handle.write((body + "\n") * (MAX_TABLE_ROWS + 10))
    assert path.stat().st_size < MAX_TABLE_FILE_BYTES
    start = time.perf_counter()
    code, _, stderr = invoke("reviews", "validate", str(path))
    assert code == 2
    assert f"more than {MAX_TABLE_ROWS:,} rows" in stderr
    assert time.perf_counter() - start < 20


def test_a_zip_bomb_workbook_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_WORKBOOK_UNZIPPED_BYTES + 1))
    assert path.stat().st_size < 1024 * 1024
    code, _, stderr = invoke("validate", str(path))
    assert code == 2 and "expands to" in stderr


def test_the_error_list_is_capped_with_a_count(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("\n".join([REVIEW_LINES[1], *([REVIEW_LINES[2]] * 1500)]) + "\n", encoding="utf-8")
    code, _, stderr = invoke("reviews", "summary", str(path))
    assert code == 2
    assert f"1,499 problem(s) in the input; the first {MAX_PROBLEMS_LISTED} are listed" in stderr
    assert "… and 1,299 more problem(s) not listed" in stderr
    assert stderr.count("a second review of") == MAX_PROBLEMS_LISTED
