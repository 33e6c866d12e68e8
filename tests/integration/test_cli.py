"""The `careflow` command end to end, as a user runs it: real processes, real files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from cli_runner import run_careflow

careflow = run_careflow


def test_opportunity_json_for_england() -> None:
    run = careflow("opportunity", "--baseline", "england-2019-20", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) >= {"baseline", "levers", "overlap_removed_gbp", "total_net_benefit_gbp"}
    assert [x["id"] for x in data["levers"]] == [
        "short_term_services",
        "ld_community_hours",
        "care_home_admissions",
        "front_door_community",
        "ld_residential_moves",
        "trusted_providers",
    ]
    lever = data["levers"][0]
    assert set(lever) >= {"id", "name", "people_affected", "net_benefit_gbp", "low_gbp", "high_gbp", "inputs"}
    assert all({"value", "provenance"} <= set(i) for i in lever["inputs"].values())
    assert round(data["total_net_benefit_gbp"] / 1e6) == 1550


def test_report_is_self_contained_and_matches_excel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = careflow("report", "--baseline", "demo", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "total" in run.stdout
    html = (out / "opportunity-demoshire-synthetic.html").read_text()
    assert "<svg" in html and "Synthetic council" in html and "Appendix" in html
    assert "What other councils did" in html and "Reablement" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html
    workbook = openpyxl.load_workbook(out / "opportunity-demoshire-synthetic.xlsx")
    rows = list(workbook["Levers"].iter_rows(min_row=2, values_only=True))
    total = rows[-1][9]
    assert total == pytest.approx(sum(r[9] for r in rows[:-1]))
    data = json.loads(careflow("opportunity", "--baseline", "demo", "--json").stdout)
    assert total == pytest.approx(data["total_net_benefit_gbp"])
    assert f"{total / 1e6:,.1f}" in html


def test_broken_workbook_exits_non_zero_with_located_problems(tmp_path: Path) -> None:
    template = tmp_path / "blank.xlsx"
    assert careflow("template", str(template)).returncode == 0
    sheet_names = openpyxl.load_workbook(template).sheetnames
    assert sheet_names[0] == "Instructions" and "long_term" in sheet_names
    run = careflow("validate", str(template))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    assert "long_term" in run.stderr and "no rows" in run.stderr


def test_bad_scenario_writes_nothing(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("levers:\n  care_home_admissions:\n    effects:\n      share_diverted: 7\n")
    out = tmp_path / "never"
    run = careflow("report", "--baseline", "demo", "--scenario", str(scenario), "--out", str(out))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "share_diverted" in run.stderr
    assert not out.exists()


@pytest.mark.parametrize("args", [["opportunity", "--baseline", "nowhere.xlsx"], ["validate", "missing-folder"]])
def test_missing_inputs(args: list[str]) -> None:
    run = careflow(*args)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_scenario_schema_describes_levers() -> None:
    run = careflow("scenario-schema")
    schema = json.loads(run.stdout)
    assert run.returncode == 0 and "levers" in schema["properties"]


def test_a_missing_argument_is_a_usage_message() -> None:
    run = careflow("evidence", "council")
    assert run.returncode == 2 and "Traceback" not in run.stderr and "Missing argument" in run.stderr
