"""Local unit costs and income drive every lever: a cohort with no net spend yields no benefit there, the national
per-person values scale to the council's own costs, and opportunity and projection agree in sign."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.baseline.schema import Baseline, LongTermRow
from careflow.opportunity import LEVER_IDS, evaluate
from careflow.opportunity.parameters import local_parameters, national_parameters

# The long-term rows whose net spend each lever acts on.
COHORT = {
    "short_term_services": lambda r: r.age_band == "65+",
    "ld_community_hours": lambda r: (
        r.age_band == "18-64"
        and r.support_reason == "learning_disability"
        and r.setting in ("home_care", "direct_payment", "supported_living")
    ),
    "care_home_admissions": lambda r: r.age_band == "65+" and r.setting in ("residential", "nursing", "home_care"),
    "front_door_community": lambda r: r.setting == "home_care",
    "ld_residential_moves": lambda r: (
        r.age_band == "18-64" and r.support_reason == "learning_disability" and r.setting == "residential"
    ),
    "trusted_providers": lambda r: r.age_band == "65+" and r.setting in ("home_care", "direct_payment"),
}


def with_rows(b: Baseline, change) -> Baseline:  # type: ignore[no-untyped-def]
    rows: list[LongTermRow] = [change(r) for r in b.long_term]
    return b.model_copy(update={"long_term": rows})


def fully_funded(b: Baseline, lever: str) -> Baseline:
    """The lever's cohort fully covered by income: net spend there is zero."""
    return with_rows(b, lambda r: r.model_copy(update={"income_share": 1.0}) if COHORT[lever](r) else r)


@settings(max_examples=12, deadline=None)
@given(lever=st.sampled_from(LEVER_IDS), other_income=st.floats(0.0, 0.9), cost_scale=st.floats(0.3, 3.0))
def test_zero_net_spend_in_a_cohort_gives_zero_benefit_there(
    lever: str, other_income: float, cost_scale: float
) -> None:
    base = with_rows(
        demoshire(),
        lambda r: r.model_copy(
            update={"income_share": other_income, "weekly_cost_gbp": r.weekly_cost_gbp * cost_scale}
        ),
    )
    result = {x.id: x for x in evaluate(fully_funded(base, lever)).levers}
    assert result[lever].gross_benefit_gbp == pytest.approx(0.0, abs=1e-6)


def test_no_older_long_term_clients_means_no_offset_from_short_term_services() -> None:
    baseline = with_rows(demoshire(), lambda r: r.model_copy(update={"clients": 0.0}) if r.age_band == "65+" else r)
    short_term = next(x for x in evaluate(baseline).levers if x.id == "short_term_services")
    assert short_term.gross_benefit_gbp == 0
    assert short_term.net_of_added_cost_gbp < 0  # the extra episodes still cost money


def test_national_values_scale_with_local_net_unit_costs_and_stay_national_for_england() -> None:
    national = national_parameters()
    england = local_parameters(england_2019_20(), dict(national))
    for name in ("short_term_effectiveness_current_gbp", "short_term_effectiveness_uq_gbp"):
        assert england[name] is national[name]  # England's golden figures keep the printed values
    dearer = with_rows(demoshire(), lambda r: r.model_copy(update={"weekly_cost_gbp": 2 * r.weekly_cost_gbp}))
    local = local_parameters(dearer, dict(national))
    base = local_parameters(demoshire(), dict(national))
    for name in ("short_term_effectiveness_current_gbp", "ld_residential_move_saving_gbp"):
        assert local[name].value == pytest.approx(2 * base[name].value)
        assert local[name].provenance.kind == "derived"


@pytest.mark.slow
@settings(max_examples=2, deadline=None)
@given(income=st.floats(0.0, 0.95), cost_scale=st.floats(0.5, 2.0))
def test_opportunity_and_projection_agree_in_sign_for_every_lever(income: float, cost_scale: float) -> None:
    from tests.unit.simulate.test_consistency import only, steady_saving

    baseline = with_rows(
        demoshire(),
        lambda r: r.model_copy(update={"income_share": income, "weekly_cost_gbp": r.weekly_cost_gbp * cost_scale}),
    )
    for lever in LEVER_IDS:
        opportunity = evaluate(baseline, only(lever)).levers[0].net_of_added_cost_gbp
        projection = steady_saving(baseline, cost_extra_short_term=True, levers=frozenset({lever}))
        tolerance = 1e-3 * max(abs(opportunity), 1.0)
        assert (opportunity > tolerance) == (projection > tolerance), (lever, opportunity, projection)
