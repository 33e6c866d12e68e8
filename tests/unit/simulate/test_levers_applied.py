"""No trap: a scenario file holding only projection settings applies no levers, and every output says which
levers each scenario applies."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from careflow.baseline.demo import demoshire
from careflow.errors import InputError
from careflow.simulate.levers import LEVERS
from careflow.simulate.projection import project, scenario_for
from careflow.simulate.report import html_page
from careflow.simulate.settings import ProjectionSettings
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
    demo = demoshire()
    optimised = project(demo, [("optimised", scenario_for("optimised"))], ProjectionSettings(years=1, runs=5))
    assert optimised.scenarios["optimised"].levers == list(LEVERS)


def test_one_off_shocks_reach_spend_income_waterfall_and_page() -> None:
    shocks = [
        {"year": 2, "amount_gbp": 5_000_000, "label": "winter grant", "kind": "income"},
        {"year": 3, "amount_gbp": 2_000_000, "label": "new system", "kind": "cost"},
    ]
    scenarios = [("baseline", None)]
    with_shocks = project(
        demoshire(), scenarios, ProjectionSettings.model_validate({"years": 3, "runs": 20, "shocks": shocks})
    )
    without = project(demoshire(), scenarios, ProjectionSettings.model_validate({"years": 3, "runs": 20}))
    income = with_shocks.funding_gap["income"]["total"]
    income_before = without.funding_gap["income"]["total"]
    assert income[1] - income_before[1] == pytest.approx(5_000_000) and income[0] == income_before[0]
    spend = with_shocks.scenarios["baseline"].series["net_spend_gbp"].mean
    spend_before = without.scenarios["baseline"].series["net_spend_gbp"].mean
    assert spend[2] - spend_before[2] == pytest.approx(2_000_000) and spend[1] == spend_before[1]
    steps = {s["step"]: s["gbp"] for s in with_shocks.waterfall["steps"]}
    assert steps["one-off cost: new system"] == 2_000_000
    page = html_page(with_shocks.result())
    assert "winter grant" in page and "new system" in page


@pytest.mark.parametrize(
    ("shock", "expected"),
    [
        ({"year": 5, "amount_gbp": 1000, "label": "late grant", "kind": "income"}, ("late grant", "horizon")),
        ({"year": 1, "amount_gbp": 1000, "label": "typo", "kind": "incme"}, ("kind", "'income'", "'cost'")),
        ({"year": 1, "amount_gbp": -5, "label": "negative", "kind": "cost"}, ("amount_gbp", "greater than 0")),
    ],
)
def test_a_bad_shock_is_located(tmp_path: Path, shock: dict, expected: tuple[str, ...]) -> None:
    import yaml

    from careflow.services.scenarios import load_scenario

    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump({"name": "bad", "projection": {"years": 3, "shocks": [shock]}}), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_scenario(path)
    (problem,) = error.value.problems
    words = f"{problem.found} {problem.expected}"
    assert problem.file == str(path) and "projection → shocks" in words
    assert all(w in words for w in expected)


def test_a_bad_shock_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(
        "name: bad\nprojection:\n  years: 3\n  shocks:\n    - {year: 5, amount_gbp: 1, label: late, kind: income}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run = run_careflow("project", "--scenario", str(scenario), "--runs", "5", "--out", str(out))
    assert run.returncode == 2 and "Traceback" not in run.stderr and not out.exists()
    assert "horizon" in run.stderr
