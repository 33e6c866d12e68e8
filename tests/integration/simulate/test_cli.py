"""`careflow project` end to end: real processes, real files; bad input gives located problems, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from cli_runner import run_careflow

careflow = run_careflow


def test_project_json_html_and_excel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = careflow("project", "--baseline", "demo", "--scenario", "optimised", "--years", "3", "--runs", "50",
                   "--seed", "11", "--json", "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data["scenarios"]) == {"baseline", "optimised"}
    net = data["scenarios"]["optimised"]["series"]["net_spend_gbp"]
    assert {"p10", "p50", "p90", "mean"} <= set(net) and len(net["mean"]) == 3
    assert {"steps", "scenario"} <= set(data["waterfall"])
    assert {"income", "scenarios", "quick"} <= set(data["funding_gap"])
    page = (out / "projection.html").read_text(encoding="utf-8")
    for heading in ("Summary", "Caseload by setting", "What drives the change", "Funding gap"):
        assert f">{heading}</h2>" in page
    assert page.count("<svg") >= 4 and "<script" not in page
    book = openpyxl.load_workbook(out / "projection.xlsx")
    assert {"Series", "Waterfall", "Funding gap", "Assumptions"} <= set(book.sheetnames)
    rows = list(book["Series"].iter_rows(min_row=2, values_only=True))
    # Every series for every scenario and year is in the workbook, with the JSON's numbers.
    assert len(rows) == 2 * len(data["scenarios"]["optimised"]["series"]) * 3
    first = next(r for r in rows if r[0] == "optimised" and r[1] == "net_spend_gbp" and r[4] == data["years"][0])
    assert first[8] == pytest.approx(net["mean"][0])
    # Same seed, same output.
    again = careflow("project", "--years", "3", "--runs", "50", "--seed", "11", "--json", "--out", str(out), "--force")
    assert again.stdout == run.stdout


def test_project_table_for_people(tmp_path: Path) -> None:
    run = careflow("project", "--scenario", "baseline", "--years", "2", "--runs", "20", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert "Waterfall" in run.stdout and "baseline" in run.stdout and "optimised" not in run.stdout


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("document", "args", "expected"),
    [
        ("levers:\n  care_homes_typo: {effects: {share_diverted: 0.2}}\n", [], "care_homes_typo"),
        ("levers:\n  care_home_admissions: {effects: {share_diverted: 1.5}}\n", [], "share_diverted"),
        ("levers:\n  ld_community_hours: {effects: {hours_reduction: -0.1}}\n", [], "hours_reduction"),
        ("projection:\n  population_growth: {'85+': -1.5}\n", [], "85+"),
        ("projection:\n  years: 25\n", [], "years"),
        ("projection:\n  runs: 0\n", [], "runs"),
        ("name: ok\n", ["--years", "21"], "--years"),
        ("name: ok\n", ["--runs", "100001"], "--runs"),
        ("name: ok\n", ["--years", "0"], "--years"),
    ],
)
def test_bad_input_is_located_exits_non_zero_and_writes_nothing(tmp_path: Path, document, args, expected) -> None:
    scenario = write(tmp_path / "scenario.yaml", "name: bad\n" + document if "name:" not in document else document)
    out = tmp_path / "out"
    run = careflow("project", "--scenario", str(scenario), "--out", str(out), *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert expected in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_unknown_scenario_and_baseline_are_problems_not_tracebacks(tmp_path: Path) -> None:
    run = careflow("project", "--scenario", "nowhere.yaml", "--baseline", "demo", "--out", str(tmp_path / "o"))
    assert run.returncode == 2 and "nowhere.yaml" in run.stderr and "Traceback" not in run.stderr
    run = careflow("project", "--baseline", "no-such-council", "--out", str(tmp_path / "o"))
    assert run.returncode == 2 and "no-such-council" in run.stderr


def test_example_scenario_runs(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[3] / "examples" / "flow-scenario.yaml"
    run = careflow(
        "project", "--scenario", str(example), "--years", "2", "--runs", "20", "--json", "--out", str(tmp_path)
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data["scenarios"]) == {"baseline", "optimised, phased"}
    assert data["settings"]["unit_cost_inflation"] == {"central": 0.025, "low": 0.02, "high": 0.03}
