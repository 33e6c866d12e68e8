"""Validation in one round: cell problems, cross-checks, the council sheet and the financial year together."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from careflow.baseline.demo import demoshire
from careflow.baseline.io import read_baseline_file, write_baseline_workbook
from careflow.errors import InputError
from careflow.tabular import parse_financial_year
from cli_runner import run_careflow


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    write_baseline_workbook(path, demoshire())
    return path


def _edit(source: Path, target: Path, edits: dict[tuple[str, str], object]) -> Path:
    workbook = openpyxl.load_workbook(source)
    for (sheet, cell), value in edits.items():
        workbook[sheet][cell] = value
    workbook.save(target)
    return target


def test_every_kind_of_problem_in_one_run(demo_workbook: Path, tmp_path: Path) -> None:
    broken = _edit(
        demo_workbook,
        tmp_path / "broken.xlsx",
        {
            ("long_term", "D4"): -5,  # a cell problem
            ("council", "G4"): 99,  # a stated total that contradicts the clean 'requests' sheet
            ("council", "C4"): "2019-2021",  # not a financial year
            ("population", "A8"): "18-64",  # a second row for a band
            ("population", "B8"): 1000,
        },
    )
    with pytest.raises(InputError) as caught:
        read_baseline_file(broken)
    problems = caught.value.problems
    by_column = {(p.sheet, p.column) for p in problems}
    assert ("long_term", "clients") in by_column
    assert ("council", "total_requests") in by_column
    year = next(p for p in problems if p.column == "financial_year")
    assert (year.sheet, year.row) == ("council", 4)
    assert "2019/20 format" in year.expected and "^" not in year.expected and "\\d" not in year.expected
    assert any(p.sheet == "population" and "second row for 18-64" in p.found for p in problems)


def test_financial_year_forgives_common_spellings() -> None:
    assert parse_financial_year("2019-20") == "2019/20"
    assert parse_financial_year("2019/2020") == "2019/20"
    assert parse_financial_year(" 2019/20 ") == "2019/20"
    assert parse_financial_year("1999/00") == "1999/00"
    assert parse_financial_year("2019/21") is None
    assert parse_financial_year("19/20") is None


def test_template_example_row_is_refused(tmp_path: Path) -> None:
    demo = tmp_path / "demo.xlsx"
    write_baseline_workbook(demo, demoshire())
    left_in = _edit(demo, tmp_path / "example.xlsx", {("council", "A4"): "Exampleshire"})
    with pytest.raises(InputError) as caught:
        read_baseline_file(left_in)
    assert any(p.column == "name" and "example" in p.found for p in caught.value.problems)


def test_validate_json_lists_located_problems(demo_workbook: Path, tmp_path: Path) -> None:
    broken = _edit(demo_workbook, tmp_path / "j.xlsx", {("council", "C4"): "twenty-nineteen"})
    result = run_careflow("validate", str(broken), "--json")
    assert result.returncode == 2, result.stderr
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"][0] | {"file": None} == {
        "file": None,
        "sheet": "council",
        "row": 4,
        "column": "financial_year",
        "found": "'twenty-nineteen'",
        "expected": "a financial year in the 2019/20 format",
        "where": data["problems"][0]["where"],
    }
