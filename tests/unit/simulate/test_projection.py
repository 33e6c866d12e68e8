"""Projection outputs: percentiles per year, reproducibility by seed, waterfall by named steps, funding gap."""

from __future__ import annotations

import numpy as np
import pytest

from careflow.baseline.demo import demoshire
from careflow.console import to_json
from careflow.simulate.projection import BLOCK, SERIES, project, scenario_for
from careflow.simulate.settings import PIXEL_DEMAND_GROWTH, ProjectionSettings

SCENARIOS = [("baseline", None), ("optimised", scenario_for("optimised"))]


@pytest.fixture(scope="module")
def projection():
    return project(demoshire(), SCENARIOS, ProjectionSettings(years=6, runs=300, seed=7))


def test_every_series_has_ordered_percentiles_for_every_year(projection) -> None:
    for result in projection.scenarios.values():
        assert set(result.series) == set(SERIES)
        for name, s in result.series.items():
            assert len(s.p10) == len(s.p50) == len(s.p90) == len(s.mean) == 6, name
            assert all(lo <= mid <= hi for lo, mid, hi in zip(s.p10, s.p50, s.p90, strict=True)), name
    assert projection.years[0] == "2020/21" and projection.years[-1] == "2025/26"


def test_optimised_costs_less_and_has_more_independent_outcomes(projection) -> None:
    base = projection.scenarios["baseline"].series
    opt = projection.scenarios["optimised"].series
    assert opt["net_spend_gbp"].mean[-1] < base["net_spend_gbp"].mean[-1]
    assert opt["caseload_residential"].mean[-1] < base["caseload_residential"].mean[-1]
    assert opt["short_term_episodes"].mean[-1] > base["short_term_episodes"].mean[-1]
    assert base["more_independent_outcomes"].mean[-1] == 0
    assert opt["more_independent_outcomes"].mean[-1] > 0
    # Demand grows with an ageing population, so the baseline's requests rise year on year.
    assert base["requests"].mean[-1] > base["requests"].mean[0]


def test_waterfall_steps_add_up_and_point_the_right_way(projection) -> None:
    steps = {s["step"]: s["gbp"] for s in projection.waterfall["steps"]}
    kinds = [s["kind"] for s in projection.waterfall["steps"]]
    assert kinds[0] == "start" and kinds[-1] == "end"
    changes = sum(s["gbp"] for s in projection.waterfall["steps"] if s["kind"] == "change")
    assert steps["base-year net spend"] + changes == pytest.approx(steps["net spend in year 6"])
    assert steps["demography and need per head"] > 0 and steps["unit-cost growth"] > 0
    for lever in projection.scenarios["optimised"].levers:
        assert steps[lever] < 0, lever
    # The bridge ends exactly at the summary's final-year figure (the mean of the runs); the runs' variation
    # around the expected path is its own step (with sampled growth drivers the mean sits above the central path).
    assert steps["net spend in year 6"] == projection.scenarios["optimised"].series["net_spend_gbp"].mean[-1]
    # the short-term lever shows its offset and the cost of its extra episodes, as the opportunity model does
    assert steps["short-term services: cost of the extra episodes"] > 0
    # With the growth drivers fixed at their central values the runs vary only by chance and the levers' ranges,
    # so the mean of the runs is close to the expected path.
    central = project(demoshire(), SCENARIOS, ProjectionSettings(years=6, runs=300, seed=7).with_central_drivers())
    central_steps = {s["step"]: s["gbp"] for s in central.waterfall["steps"]}
    variation = central_steps["variation across runs (their mean less the expected path)"]
    assert abs(variation) < 0.01 * central_steps["net spend in year 6"]


def test_growth_drivers_and_model_error_widen_the_band(projection) -> None:
    """The default band carries growth uncertainty and model error; fixing them leaves only chance and levers."""
    central = project(demoshire(), SCENARIOS[:1], ProjectionSettings(years=6, runs=300, seed=7).with_central_drivers())

    def relative_width(series) -> float:
        return (series.p90[-1] - series.p10[-1]) / series.p50[-1]

    wide = relative_width(projection.scenarios["baseline"].series["net_spend_gbp"])
    narrow = relative_width(central.scenarios["baseline"].series["net_spend_gbp"])
    assert narrow < 0.05 < wide  # chance alone is a few per cent for a council; the drivers add much more


def test_funding_gap_is_spend_less_income_and_quick_view_grows_at_pixels_rates(projection) -> None:
    gap = projection.funding_gap
    income = np.array(gap["income"]["total"])
    lines = np.sum([np.array(v) for v in gap["income"]["lines"].values()], axis=0)
    np.testing.assert_allclose(income, lines)
    assert income[0] == pytest.approx(projection.base_net_gbp * (1 + 0.6 * 0.039 + 0.25 * 0.01 + 0.15 * 0.02))
    for name, result in projection.scenarios.items():
        np.testing.assert_allclose(
            np.array(gap["scenarios"][name]["mean"]), np.array(result.series["net_spend_gbp"].mean) - income
        )
    quick = np.array(gap["quick"]["spend"]["central"])
    assert quick[1] / quick[0] == pytest.approx(1 + PIXEL_DEMAND_GROWTH + 0.025)
    assert gap["quick"]["spend"]["low"][0] < quick[0] < gap["quick"]["spend"]["high"][0]


def test_same_seed_same_output_and_another_seed_differs() -> None:
    settings = ProjectionSettings(years=2, runs=BLOCK + 20, seed=3)
    first = to_json(project(demoshire(), SCENARIOS, settings).as_dict())
    again = to_json(project(demoshire(), SCENARIOS, settings).as_dict())
    other = to_json(project(demoshire(), SCENARIOS, settings.model_copy(update={"seed": 4})).as_dict())
    assert first == again
    assert first != other


def test_runs_are_the_same_whatever_the_run_count_block_by_block() -> None:
    # Block b always has the same random stream, so the first block's runs do not depend on how many follow.
    small = project(demoshire(), SCENARIOS[:1], ProjectionSettings(years=1, runs=BLOCK, seed=5))
    large = project(demoshire(), SCENARIOS[:1], ProjectionSettings(years=1, runs=2 * BLOCK, seed=5))
    np.testing.assert_array_equal(small.scenarios["baseline"].runs_net, large.scenarios["baseline"].runs_net[:BLOCK])


def test_funding_gap_states_its_base_year_assumption_and_can_be_overridden(projection) -> None:
    base = projection.funding_gap["base_year"]
    assert base["assumed"] and base["income_gbp"] == projection.base_net_gbp
    assert "assumed to equal base-year net spend" in base["statement"]
    settings = ProjectionSettings(years=2, runs=20, seed=7, base_year_income_gbp=0.9 * projection.base_net_gbp)
    lower = project(demoshire(), SCENARIOS, settings).funding_gap
    assert not lower["base_year"]["assumed"]
    assert lower["income"]["total"][0] == pytest.approx(0.9 * projection.funding_gap["income"]["total"][0])
