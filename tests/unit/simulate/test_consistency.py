"""Consistency: with no growth, no inflation and levers fully phased, the flow model's steady-state saving
matches the opportunity model's total for the same baseline."""

from __future__ import annotations

import pytest

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.opportunity import evaluate
from careflow.scenario import Scenario
from careflow.simulate.engine import simulate
from careflow.simulate.levers import LEVERS, lever_plan
from careflow.simulate.model import flow_model
from careflow.simulate.projection import scenario_for
from careflow.simulate.settings import ProjectionSettings

STEADY_YEARS = 40  # long enough for the slowest cohort (working-age adults) to settle


def steady_saving(baseline, cost_extra_short_term: bool = False, levers: frozenset[str] | None = None) -> float:
    settings = ProjectionSettings(cost_extra_short_term=cost_extra_short_term, default_phasing=[1.0])
    model = flow_model(baseline, settings)
    base = lever_plan(baseline, model, None, settings)
    optimised = lever_plan(baseline, model, scenario_for("optimised"), settings)
    kwargs = {"growth": False, "inflation": False}
    before = simulate(model, base, STEADY_YEARS, 1, None, **kwargs).net[0, -1]
    after = simulate(model, optimised, STEADY_YEARS, 1, None, active=levers, **kwargs).net[0, -1]
    return float(before - after)


@pytest.mark.parametrize("builder", [demoshire, england_2019_20], ids=["demo", "england"])
def test_steady_state_saving_matches_the_opportunity_total_within_5_percent(builder) -> None:
    baseline = builder()
    opportunity = evaluate(baseline).total_net_benefit_gbp
    saving = steady_saving(baseline)
    assert saving == pytest.approx(opportunity, rel=0.05)
    # Both value the care-home lever net of income now; what remains is how the overlaps are removed (a rule in
    # the opportunity model, the flow's structure in the projection).


def test_levers_that_cut_spend_on_todays_caseload_match_lever_by_lever() -> None:
    baseline = demoshire()
    result = {lever.id: lever for lever in evaluate(baseline).levers}
    for lever in ("ld_community_hours", "front_door_community", "trusted_providers", "ld_residential_moves"):
        saving = steady_saving(baseline, levers=frozenset({lever}))
        assert saving == pytest.approx(result[lever].gross_benefit_gbp, rel=0.005), lever
    # Short-term services: avoided long-term care equals the lever's gross value (the flow removes the overlap).
    saving = steady_saving(baseline, levers=frozenset({"short_term_services"}))
    assert saving == pytest.approx(result["short_term_services"].gross_benefit_gbp, rel=0.02)


def test_extra_short_term_services_cost_money_when_counted() -> None:
    baseline = demoshire()
    with_cost = steady_saving(baseline, cost_extra_short_term=True)
    without = steady_saving(baseline, cost_extra_short_term=False)
    older_short_term = sum(
        r.net_gbp for r in baseline.other_spend if r.category == "short_term" and r.age_band == "65+"
    )
    extra = 0.40 * older_short_term  # the default 40% more older people served
    assert without - with_cost == pytest.approx(extra, rel=0.01)


def test_every_lever_saves_money_on_its_own() -> None:
    baseline = demoshire()
    for lever in LEVERS:
        assert steady_saving(baseline, levers=frozenset({lever})) > 0, lever


def only(lever: str) -> Scenario:
    """A scenario with one lever on and the rest off, so both models value that lever alone."""
    return Scenario(name=lever, levers={other: {"enabled": other == lever} for other in LEVERS})  # type: ignore[misc]


@pytest.mark.parametrize("lever", LEVERS)
def test_opportunity_and_projection_agree_on_each_lever_with_the_same_defaults(lever: str) -> None:
    """One definition per lever: the opportunity's figure net of what the lever adds (extra short-term episodes)
    equals the projection's steady-state saving with its default costing (extra episodes charged), within 5%."""
    baseline = demoshire()
    opportunity = evaluate(baseline, only(lever)).levers[0]
    projection = steady_saving(baseline, cost_extra_short_term=True, levers=frozenset({lever}))
    assert projection == pytest.approx(opportunity.net_of_added_cost_gbp, rel=0.05)
    if lever == "short_term_services":  # the offset is what the projection saves when extra episodes are free
        offset = steady_saving(baseline, cost_extra_short_term=False, levers=frozenset({lever}))
        assert offset == pytest.approx(opportunity.net_benefit_gbp, rel=0.05)


def test_short_term_lever_shows_offset_and_added_cost_separately() -> None:
    baseline = demoshire()
    short_term = next(x for x in evaluate(baseline).levers if x.id == "short_term_services")
    older_short_term = sum(
        r.net_gbp for r in baseline.other_spend if r.category == "short_term" and r.age_band == "65+"
    )
    assert short_term.added_cost_gbp == pytest.approx(0.40 * older_short_term)
    assert short_term.net_of_added_cost_gbp == pytest.approx(short_term.net_benefit_gbp - short_term.added_cost_gbp)
    assert 0 < short_term.net_of_added_cost_gbp < short_term.net_benefit_gbp
