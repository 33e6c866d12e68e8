"""Calibration: the baseline scenario's first projected year reproduces the council's baseline year."""

from __future__ import annotations

import numpy as np
import pytest

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.baseline.schema import CARE_HOME, SETTINGS, Baseline
from careflow.simulate.engine import simulate
from careflow.simulate.levers import lever_plan
from careflow.simulate.model import flow_model
from careflow.simulate.projection import per_run_series
from careflow.simulate.settings import ProjectionSettings

TOLERANCE = 0.02


def first_year(baseline: Baseline, runs: int, rng: np.random.Generator | None) -> dict[str, np.ndarray]:
    settings = ProjectionSettings()
    model = flow_model(baseline, settings)
    plan = lever_plan(baseline, model, None, settings)
    paths = simulate(model, plan, 1, runs, rng, growth=False, inflation=False)
    return {k: v[:, 0] for k, v in per_run_series(model, paths).items()}


def expected_flows(b: Baseline) -> dict[str, float]:
    flows = {
        "requests": b.total_requests(),
        "requests_65_plus": b.total_requests("65+"),
        "short_term_episodes": b.short_term_episodes(),
        "care_home_admissions": b.care_home_admissions(),
        "caseload": b.clients(),
        "net_spend_gbp": b.net_spend(),
        "gross_spend_gbp": b.gross_spend(),
    }
    for setting in SETTINGS:
        flows[f"caseload_{setting}"] = b.clients(None, (setting,))
    return flows


@pytest.mark.parametrize("builder", [demoshire, england_2019_20], ids=["demo", "england"])
def test_expected_first_year_reproduces_the_baseline(builder) -> None:
    baseline = builder()
    year = first_year(baseline, 1, None)
    for name, target in expected_flows(baseline).items():
        assert year[name][0] == pytest.approx(target, rel=TOLERANCE), name
    # Caseload by cohort too: every age band × support reason.
    for row in baseline.long_term:
        band = row.age_band.replace("-", "_").replace("+", "_plus")
        target = baseline.clients(row.age_band, SETTINGS, row.support_reason)
        assert year[f"caseload_{band}_{row.support_reason}"][0] == pytest.approx(target, rel=TOLERANCE)


def test_sampled_runs_reproduce_the_baseline_on_average() -> None:
    baseline = demoshire()
    year = first_year(baseline, 400, np.random.default_rng(20))
    for name, target in expected_flows(baseline).items():
        assert year[name].mean() == pytest.approx(target, rel=TOLERANCE), name
    # Chance matters: runs differ from one another, as a monthly history should.
    assert year["care_home_admissions"].std() > 0
    assert year["caseload"].std() > 0


def test_steady_state_rates_are_derived_and_keep_care_home_admissions() -> None:
    baseline = demoshire()
    model = flow_model(baseline, ProjectionSettings())
    assert model.notes["exit_rate.65+"].kind == "derived"
    assert model.notes["steady_state"].kind == "assumed"
    # Exits balance entries in the baseline year: caseload in care homes is unchanged after five years.
    plan = lever_plan(baseline, model, None, ProjectionSettings())
    paths = simulate(model, plan, 5, 1, None, growth=False, inflation=False)
    care_home = model.cells.mask(settings=CARE_HOME)
    assert paths.caseload[0, -1, care_home].sum() == pytest.approx(baseline.clients(None, CARE_HOME), rel=1e-9)


def test_population_projection_can_be_given_year_by_year() -> None:
    baseline = demoshire()
    settings = ProjectionSettings(
        population_growth={"18-64": [0.0, 0.10], "65-74": 0.0, "75-84": 0.0, "85+": 0.0},
        working_age_trend=0.0,
        older_trend=0.0,
    )
    model = flow_model(baseline, settings)
    plan = lever_plan(baseline, model, None, settings)
    paths = simulate(model, plan, 3, 1, None, inflation=False)
    working_age = paths.requests[0, :, 0]
    assert working_age[0] == pytest.approx(baseline.total_requests("18-64"))
    # Year 2 grows 10% through the year (months 13–24), year 3 carries on at 10% a year.
    months = np.arange(1, 13) / 12
    assert working_age[1] == pytest.approx(baseline.total_requests("18-64") * np.mean(1.1**months))
    assert working_age[2] == pytest.approx(baseline.total_requests("18-64") * np.mean(1.1 ** (1 + months)))
    assert paths.requests[0, :, 1] == pytest.approx([baseline.total_requests("65+")] * 3)


def test_need_per_head_trends_compound_on_demography() -> None:
    baseline = demoshire()
    flat = {"18-64": 0.0, "65-74": 0.0, "75-84": 0.0, "85+": 0.0}
    settings = ProjectionSettings(population_growth=flat, working_age_trend=0.02, older_trend=-0.01)
    model = flow_model(baseline, settings)
    paths = simulate(model, lever_plan(baseline, model, None, settings), 2, 1, None, inflation=False)
    months = np.arange(1, 13) / 12
    assert paths.requests[0, 1, 0] == pytest.approx(baseline.total_requests("18-64") * np.mean(1.02 ** (1 + months)))
    assert paths.requests[0, 1, 1] == pytest.approx(baseline.total_requests("65+") * np.mean(0.99 ** (1 + months)))
