"""No trap: a scenario file holding only projection settings applies no levers, and every output says which
levers each scenario applies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

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


def test_one_off_shocks_reach_spend_income_waterfall_and_page(tmp_path: Path) -> None:
    scenario = tmp_path / "shocks.yaml"
    scenario.write_text(
        "name: with shocks\nprojection:\n  years: 3\n  seed: 2\n  shocks:\n"
        "    - {year: 2, amount_gbp: 5000000, label: winter grant, kind: income}\n"
        "    - {year: 3, amount_gbp: 2000000, label: new system, kind: cost}\n",
        encoding="utf-8",
    )
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: with shocks\nprojection:\n  years: 3\n  seed: 2\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_careflow("project", "--scenario", str(scenario), "--runs", "20", "--json", "--out", str(out))
    base = run_careflow("project", "--scenario", str(plain), "--runs", "20", "--json", "--out", str(tmp_path / "b"))
    assert run.returncode == 0 and base.returncode == 0, run.stderr + base.stderr
    data, without = json.loads(run.stdout), json.loads(base.stdout)
    income, income_before = data["funding_gap"]["income"]["total"], without["funding_gap"]["income"]["total"]
    assert income[1] - income_before[1] == pytest.approx(5_000_000) and income[0] == income_before[0]
    spend = data["scenarios"]["with shocks"]["series"]["net_spend_gbp"]["mean"]
    spend_before = without["scenarios"]["with shocks"]["series"]["net_spend_gbp"]["mean"]
    assert spend[2] - spend_before[2] == pytest.approx(2_000_000) and spend[1] == spend_before[1]
    steps = {s["step"]: s["gbp"] for s in data["waterfall"]["steps"]}
    assert steps["one-off cost: new system"] == 2_000_000
    page = (out / "projection.html").read_text(encoding="utf-8")
    assert "winter grant" in page and "new system" in page


@pytest.mark.parametrize(
    ("shock", "expected"),
    [
        ("{year: 5, amount_gbp: 1000, label: late grant, kind: income}", ("late grant", "horizon")),
        ("{year: 1, amount_gbp: 1000, label: typo, kind: incme}", ("kind", "'income'", "'cost'")),
        ("{year: 1, amount_gbp: -5, label: negative, kind: cost}", ("amount_gbp", "greater", "than")),
    ],
)
def test_a_bad_shock_is_located_and_nothing_is_written(tmp_path: Path, shock: str, expected: tuple[str, ...]) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(f"name: bad\nprojection:\n  years: 3\n  shocks:\n    - {shock}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_careflow("project", "--scenario", str(scenario), "--runs", "5", "--out", str(out))
    assert run.returncode == 2 and "Traceback" not in run.stderr and not out.exists()
    words = " ".join(re.sub(r"[│┃]", " ", run.stderr).split())  # the problem table wraps long cells over lines
    assert all(w in words for w in ("projection", "shocks", *expected))
