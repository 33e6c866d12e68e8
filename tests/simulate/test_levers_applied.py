"""No trap: a scenario file holding only projection settings applies no levers, and every output says which
levers each scenario applies."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from cli_runner import run_careflow


def test_projection_only_scenario_applies_no_levers_and_says_so(tmp_path: Path) -> None:
    scenario = tmp_path / "settings-only.yaml"
    scenario.write_text("name: my settings\nprojection:\n  years: 3\n  seed: 4\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_careflow("project", "--scenario", str(scenario), "--runs", "30", "--json", "--out", str(out))
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["levers_applied"] == {"baseline": [], "my settings": []}
    # Do-nothing: the same random streams and no levers give the baseline's spend exactly.
    ours = data["scenarios"]["my settings"]["series"]["net_spend_gbp"]
    assert ours == data["scenarios"]["baseline"]["series"]["net_spend_gbp"]
    page = (out / "projection.html").read_text(encoding="utf-8")
    statement = "Levers applied — baseline: no levers; my settings: no levers."
    assert statement in page
    assert page.index(statement) < page.index("<svg")  # at the top, before any chart
    about = [row[0] for row in openpyxl.load_workbook(out / "projection.xlsx")["About"].iter_rows(values_only=True)]
    assert statement in about


def test_a_scenario_applies_the_levers_it_names_and_the_table_says_so(tmp_path: Path) -> None:
    scenario = tmp_path / "one-lever.yaml"
    scenario.write_text("name: one\nlevers:\n  care_home_admissions: {}\n", encoding="utf-8")
    run = run_careflow("project", "--scenario", str(scenario), "--years", "2", "--runs", "20", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert "Levers applied — baseline: no levers; one: care home admissions." in run.stdout
    optimised = run_careflow(
        "project", "--scenario", "optimised", "--years", "2", "--runs", "20", "--json", "--out", str(tmp_path / "o")
    )
    assert len(json.loads(optimised.stdout)["levers_applied"]["optimised"]) == 6
