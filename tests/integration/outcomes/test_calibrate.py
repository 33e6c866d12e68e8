"""Calibration: review evidence into lever effects, in the right direction, with the stated prior."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from careflow.outcomes.calibrate import (
    NATIONAL,
    NATIONAL_SOURCES,
    beta_posterior,
    calibrate,
    lever_evidence,
    prior_strength,
)
from careflow.outcomes.synthetic import generate_reviews
from careflow.scenario import Scenario, load_scenario
from cli_runner import run_careflow

LEVERS = {
    "short_term_services": "access_uplift",
    "ld_community_hours": "hours_reduction",
    "care_home_admissions": "share_diverted",
    "front_door_community": "hours_reduction",
    "ld_residential_moves": "share_moved",
    "trusted_providers": "hours_reduction",
}


def effects(scenario: Scenario) -> dict[str, float]:
    return {lever: s.effects[LEVERS[lever]].central for lever, s in scenario.levers.items()}


def test_national_values_are_the_seed_figures(seed: Callable[[str, int], str]) -> None:
    assert NATIONAL == {
        "short_term_services": {"access_uplift": 0.40},
        "ld_community_hours": {"hours_reduction": 0.08},
        "care_home_admissions": {"share_diverted": 0.18},
        "front_door_community": {"hours_reduction": 0.047},
        "ld_residential_moves": {"share_moved": 0.43},
        "trusted_providers": {"hours_reduction": 0.05},
    }
    for lever in NATIONAL_SOURCES.values():
        for value in lever.values():
            assert value.provenance.kind == "quoted"
            line = seed(value.provenance.document, int(value.provenance.line.lstrip("L")))
            assert value.provenance.as_printed.replace("**", "") in line.replace("**", "")


def test_more_independent_sample_moves_effects_up_and_less_moves_them_down() -> None:
    generous = calibrate(generate_reviews(1500, seed=11, gap_rate=0.9, short_term_missed=0.7), NATIONAL)
    sparing = calibrate(generate_reviews(1500, seed=11, gap_rate=0.02, short_term_missed=0.05), NATIONAL)
    up, down = effects(generous), effects(sparing)
    assert set(up) == set(down) == set(LEVERS)
    for lever, effect in LEVERS.items():
        national = NATIONAL[lever][effect]
        assert up[lever] > national, lever
        assert down[lever] < national, lever


def test_share_uses_beta_posterior_mean() -> None:
    reviews = generate_reviews(300, seed=2024)
    (care_home,) = [e for e in lever_evidence(reviews, NATIONAL) if e.lever == "care_home_admissions"]
    assert care_home.successes is not None
    s = care_home.prior_cases
    assert s == pytest.approx(prior_strength("care_home_admissions").value)
    expected = (s * 0.18 + care_home.successes) / (s + care_home.cases)
    assert care_home.central == pytest.approx(expected)
    # exact Beta quantiles of the posterior
    a, b = s * 0.18 + care_home.successes, s * 0.82 + care_home.cases - care_home.successes
    assert (care_home.low, care_home.high) == pytest.approx(tuple(beta.ppf([0.025, 0.975], a, b)))
    assert care_home.low < care_home.central < care_home.high
    # with a negligible prior the central value is the local share
    (alone,) = [e for e in lever_evidence(reviews, NATIONAL, 1e-9) if e.lever == "care_home_admissions"]
    assert alone.central == pytest.approx(care_home.successes / care_home.cases)


def test_no_local_cases_leaves_lever_to_national_default(make_review, make_outcome) -> None:  # type: ignore[no-untyped-def]
    home = make_outcome("home care", 10, 174.8)
    scenario = calibrate([make_review(home, home, point="front door")], NATIONAL)
    assert set(scenario.levers) == {"front_door_community"}
    s = prior_strength("front_door_community").value
    assert scenario.levers["front_door_community"].effects["hours_reduction"].central == pytest.approx(
        s * 0.047 / (s + 1)  # one case with no hours saved
    )
    assert "care_home_admissions" in scenario.description


def test_cli_writes_a_scenario_that_validates(tmp_path: Path, examples: Path) -> None:
    target = tmp_path / "local.yaml"
    done = run_careflow("reviews", "calibrate", str(examples / "case_reviews_synthetic.csv"),
         "--baseline", "demo", "--out", str(target), "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["opportunity_local_gbp"] != report["opportunity_national_gbp"]
    scenario = load_scenario(target)
    assert set(scenario.levers) == set(LEVERS)
    for lever_settings in scenario.levers.values():
        for effect in lever_settings.effects.values():
            assert effect.provenance is not None and effect.provenance.kind == "local"
            assert effect.low is not None and effect.high is not None
            assert 0 <= effect.low <= effect.central <= effect.high <= 1 or effect.central > 1
            assert "n = " in effect.provenance.detail
    assert yaml.safe_load(target.read_text())["name"] == "local evidence from case reviews"


def test_uplift_when_nobody_was_offered_a_service(make_review, make_outcome) -> None:  # type: ignore[no-untyped-def]
    care_home = make_outcome("residential care", 0, 800)
    reviews = [make_review(care_home, care_home, should=True, offered=False, case_id=f"R-{i}") for i in range(5)]
    (uplift,) = [e for e in lever_evidence(reviews, NATIONAL) if e.lever == "short_term_services"]
    assert uplift.local is None and uplift.local_high is None  # unbounded locally
    assert uplift.central > NATIONAL["short_term_services"]["access_uplift"]
    scenario = calibrate(reviews, NATIONAL)
    assert "unbounded" in (scenario.levers["short_term_services"].effects["access_uplift"].provenance.detail or "")  # type: ignore[union-attr]


def test_calibrating_moves_the_opportunity_in_the_expected_direction() -> None:
    """Reviews showing more independent outcomes raise the opportunity; reviews showing fewer lower it."""
    from careflow.baseline.demo import demoshire
    from careflow.opportunity import evaluate

    council = demoshire()
    national = evaluate(council)
    generous = evaluate(
        council, calibrate(generate_reviews(1500, seed=11, gap_rate=0.9, short_term_missed=0.7), NATIONAL)
    )
    sparing = evaluate(
        council, calibrate(generate_reviews(1500, seed=11, gap_rate=0.02, short_term_missed=0.05), NATIONAL)
    )
    assert sparing.total_net_benefit_gbp < national.total_net_benefit_gbp < generous.total_net_benefit_gbp
    for lever in national.levers:
        up = next(x for x in generous.levers if x.id == lever.id)
        down = next(x for x in sparing.levers if x.id == lever.id)
        assert down.gross_benefit_gbp < lever.gross_benefit_gbp < up.gross_benefit_gbp, lever.id
        assert up.inputs[lever.effect_name].provenance.kind == "local"


def test_a_lever_with_no_cases_keeps_its_prior_and_interval() -> None:
    (ld,) = [e for e in lever_evidence([], NATIONAL) if e.lever == "ld_community_hours"]
    assert ld.cases == 0 and ld.central == pytest.approx(0.08)
    assert ld.low < 0.08 < ld.high  # the prior's own interval, never zero width
    # the prior's strength is set so its 95% interval spans the model's range (6%–10%), within rounding
    assert (ld.low, ld.high) == pytest.approx((0.06, 0.10), abs=0.004)
    assert "no local cases" in ld.warning


def test_small_samples_warn_and_large_ones_do_not() -> None:
    few = {e.lever: e for e in lever_evidence(generate_reviews(20, seed=5), NATIONAL)}
    many = {e.lever: e for e in lever_evidence(generate_reviews(3000, seed=5), NATIONAL)}
    assert all(e.warning for e in few.values())
    assert not many["care_home_admissions"].warning


@settings(max_examples=80, deadline=None)
@given(
    p0=st.floats(0.02, 0.9),
    strength=st.floats(1.0, 500.0),
    rate=st.floats(0.0, 1.0),
    extra=st.integers(0, 400),
    more=st.integers(2, 10),
)
def test_more_local_data_narrows_the_interval_and_moves_toward_the_local_rate(
    p0: float, strength: float, rate: float, extra: int, more: int
) -> None:
    """Once the local cases at least match the prior's strength, more cases at the same rate narrow the interval
    (before that, data far from the prior can widen it: the posterior moves toward 0.5, where a Beta is widest)
    and always move the posterior toward the local rate."""
    n = int(strength) + 1 + extra
    mean1, low1, high1 = beta_posterior(p0, rate * n, n, strength)
    mean2, low2, high2 = beta_posterior(p0, rate * n * more, n * more, strength)
    assert high2 - low2 < high1 - low1
    assert abs(mean2 - rate) <= abs(mean1 - rate) + 1e-12
    assert min(p0, rate) - 1e-9 <= mean2 <= max(p0, rate) + 1e-9


def test_data_far_from_a_weak_prior_may_widen_the_interval_at_first() -> None:
    """Why the property above starts once local cases match the prior: one surprising case can widen it."""
    _, low0, high0 = beta_posterior(0.0625, 0, 0, 3.0)
    _, low1, high1 = beta_posterior(0.0625, 1, 1, 3.0)
    assert high1 - low1 > high0 - low0


def test_small_sample_warnings_reach_the_opportunity_report() -> None:
    from careflow.baseline.demo import demoshire
    from careflow.opportunity import evaluate
    from careflow.opportunity.report import summary_lines

    result = evaluate(demoshire(), calibrate(generate_reviews(20, seed=5), NATIONAL))
    warned = [line for line in summary_lines(result) if line.startswith("Small sample")]
    assert warned and all("local case" in line for line in warned)
    large = evaluate(demoshire(), calibrate(generate_reviews(3000, seed=5), NATIONAL))
    assert len([x for x in summary_lines(large) if x.startswith("Small sample")]) < len(warned)
