"""Property tests: people are conserved and spend is never negative, whatever the settings and effects."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from careflow.baseline.demo import demoshire
from careflow.scenario import LeverSettings, Scenario
from careflow.simulate.engine import simulate
from careflow.simulate.levers import EFFECT_OF, LEVERS, lever_plan
from careflow.simulate.model import flow_model
from careflow.simulate.projection import scenario_for
from careflow.simulate.settings import ProjectionSettings
from careflow.simulate.sweep import scale_baseline

fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@cache
def baseline(share: float):
    return scale_baseline(demoshire(), share, "scaled Demoshire")


@settings(max_examples=30, deadline=None)
@given(
    share=st.sampled_from([0.05, 0.3, 1.0, 2.0]),
    growth=st.lists(st.floats(min_value=-1.0, max_value=0.2), min_size=4, max_size=4),
    inflation=st.floats(min_value=-0.05, max_value=0.2),
    effects=st.lists(fraction, min_size=6, max_size=6),
    phasing=st.lists(fraction, min_size=1, max_size=3),
    benefit_years=st.floats(min_value=0.1, max_value=10.0),
    seed=st.integers(min_value=0, max_value=2**32),
    years=st.integers(min_value=1, max_value=3),
)
def test_people_are_conserved_and_spend_is_not_negative(
    share, growth, inflation, effects, phasing, benefit_years, seed, years
) -> None:
    b = baseline(share)
    projection = ProjectionSettings(
        population_growth=dict(zip(("18-64", "65-74", "75-84", "85+"), growth, strict=True)),
        unit_cost_inflation=inflation,
        benefit_years=benefit_years,
    )
    scenario = Scenario(
        name="random",
        levers={
            lever: LeverSettings(effects={EFFECT_OF[lever]: {"central": e, "low": e, "high": e}}, phasing=phasing)
            for lever, e in zip(LEVERS, effects, strict=True)
        },
    )
    model = flow_model(b, projection)
    plan = lever_plan(b, model, scenario, projection)
    paths = simulate(model, plan, years, 4, np.random.default_rng(seed))

    # No one appears or disappears except by a modelled entry or exit: the stock at each year end is the start
    # plus everyone who started long-term support less everyone who left it.
    entered = np.cumsum(paths.entrants.sum(axis=2), axis=1)
    left = np.cumsum(paths.exits, axis=1)
    stock = paths.caseload.sum(axis=2)
    np.testing.assert_array_equal(stock, paths.start_people[:, None] + entered - left)
    assert (paths.caseload >= 0).all()
    assert (paths.caseload == np.round(paths.caseload)).all()  # whole people
    # Spend is never negative in any run, in any year.
    assert (paths.gross >= 0).all()
    assert (paths.net >= 0).all()
    assert (paths.net <= paths.gross + 1e-6).all()


@settings(max_examples=15, deadline=None)
@given(low=fraction, high=fraction)
def test_more_short_term_access_never_costs_more_long_term_care(low, high) -> None:
    low, high = sorted((low, high))
    b = demoshire()
    projection = ProjectionSettings(cost_extra_short_term=False, default_phasing=[1.0])
    model = flow_model(b, projection)

    def final_net(uplift: float) -> float:
        scenario = Scenario(
            name="access",
            levers={"short_term_services": LeverSettings(effects={"access_uplift": {"central": uplift}})},
        )
        plan = lever_plan(b, model, scenario, projection)
        paths = simulate(model, plan, 3, 1, None, active=frozenset({"short_term_services"}))
        return float(paths.net[0, -1])

    assert final_net(high) <= final_net(low) + 1e-6


def test_fractional_baseline_clients_become_whole_people_in_sampled_runs() -> None:
    from careflow.baseline.england import england_2019_20

    b = england_2019_20()
    assert any(r.clients != round(r.clients) for r in b.long_term)  # England's split gives fractions
    projection = ProjectionSettings()
    model = flow_model(b, projection)
    plan = lever_plan(b, model, scenario_for("optimised"), projection)
    paths = simulate(model, plan, 1, 3, np.random.default_rng(1))
    assert (paths.start_people == np.round(paths.start_people)).all()
    assert abs(paths.start_people[0] - b.clients()) <= len(b.long_term) / 2
    end = paths.start_people + paths.entrants.sum(axis=2)[:, 0] - paths.exits[:, 0]
    np.testing.assert_array_equal(paths.caseload[:, 0].sum(axis=1), end)
