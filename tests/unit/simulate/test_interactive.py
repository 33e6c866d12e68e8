"""The web app's what-if: same numbers as `project`, cached set-up and baseline runs, charts as plain SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from careflow.baseline.demo import demoshire
from careflow.report.svg import nice_ticks
from careflow.simulate import interactive
from careflow.simulate.projection import project, scenario_for
from careflow.simulate.settings import ProjectionSettings

SETTINGS = ProjectionSettings(years=3, runs=40, seed=11)


@pytest.fixture(autouse=True)
def _fresh_caches():
    interactive.clear_caches()
    yield
    interactive.clear_caches()


def test_what_if_equals_a_projection_of_the_same_inputs() -> None:
    baseline, optimised = demoshire(), scenario_for("optimised")
    result = interactive.what_if(baseline, optimised, SETTINGS, name="optimised")
    expected = project(baseline, [("baseline", None), ("optimised", optimised)], SETTINGS)
    assert result.projection.as_dict() == expected.as_dict()


def test_a_second_what_if_reuses_the_baseline_runs_and_model(monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = demoshire()
    interactive.what_if(baseline, scenario_for("optimised"), SETTINGS)
    runs: list[int] = []
    models: list[int] = []
    real_run, real_model = interactive.run_scenarios, interactive.flow_model
    monkeypatch.setattr(
        interactive, "run_scenarios", lambda m, plans, s: runs.append(len(plans)) or real_run(m, plans, s)
    )
    monkeypatch.setattr(interactive, "flow_model", lambda b, s: models.append(1) or real_model(b, s))
    changed = scenario_for("optimised").model_copy(update={"description": "one lever changed"})
    interactive.what_if(demoshire().model_copy(), changed, SETTINGS)  # an equal baseline in another object
    assert runs == [1], "only the changed scenario should run; the baseline's runs come from the cache"
    assert models == []
    interactive.what_if(baseline, changed, SETTINGS)
    assert runs == [1], "the same what-if again runs nothing"


def test_charts_are_well_formed_svg_with_the_scenarios_named() -> None:
    result = interactive.what_if(demoshire(), scenario_for("optimised"), SETTINGS, name="optimised")
    assert set(result.charts) == {"net_spend", "caseload", "waterfall", "funding_gap"}
    for name, svg in result.charts.items():
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg"), name
    assert "optimised (median" in result.charts["net_spend"]
    assert "baseline (median" in result.charts["net_spend"]
    for year in result.projection.years:
        assert year in result.charts["net_spend"]
    assert "baseline total" in result.charts["caseload"], "the scenario's caseload is drawn beside the baseline's"
    shown = " ".join(ET.fromstring(result.charts["waterfall"]).itertext())
    for step in result.projection.waterfall["steps"]:
        assert all(word in shown for word in step["step"].replace("_", " ").split()), step["step"]


@pytest.mark.parametrize(("low", "high"), [(0.0, 1.0), (251.6, 360.2), (-17.9, 330.3), (5.0, 5.0), (-3e-7, 2e9)])
def test_axis_ticks_cover_the_data_in_round_steps(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
