"""Finance packs: cell problems and cross-checks in one round; periods explained in words."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_careflow

from .test_bad_input import copy_example, edit, problems_for


def test_period_13_and_cross_checks_in_one_round(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "positions", lambda rows: rows[2].__setitem__(1, "13"))  # a cell problem on row 3
    edit(folder, "budget_lines", lambda rows: rows[5].__setitem__(0, "CS-COM"))  # a duplicate code (cross-check)
    edit(folder, "settings", lambda rows: rows[1].__setitem__(2, "2017-2019"))  # not a financial year
    found = problems_for(folder)
    period = next(p for p in found if p.column == "period")
    assert (period.sheet, period.row) == ("positions", 3)
    assert "periods run 1–12" in period.expected and "from 1 to 12" in period.expected
    assert any("second line coded 'CS-COM'" in p.found for p in found)
    year = next(p for p in found if p.column == "financial_year")
    assert year.sheet == "settings" and year.row == 2 and "2019/20 format" in year.expected
    # the position that did not read is not also reported as a missing position
    assert not any("no position for line" in p.found for p in found)


def test_finance_validate_json(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    edit(folder, "settings", lambda rows: rows[1].__setitem__(3, "13"))
    result = run_careflow("finance", "validate", str(folder), "--json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"][0]["sheet"] == "settings" and data["problems"][0]["column"] == "period"
