"""Scenario overrides: effects and parameters change the result as expected; bad scenarios are rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.errors import InputError
from careflow.opportunity import evaluate
from careflow.scenario import Scenario, load_scenario, scenario_from_document


def _lever(result, lever_id):  # type: ignore[no-untyped-def]
    return next(x for x in result.levers if x.id == lever_id)


def test_care_home_share_scales_its_benefit() -> None:
    scenario = Scenario.model_validate({"levers": {"care_home_admissions": {"effects": {"share_diverted": 0.36}}}})
    result = evaluate(england_2019_20(), scenario)
    assert _lever(result, "care_home_admissions").net_benefit_gbp == pytest.approx(2 * 178e6)
    # The short-term lever gives up a third of the larger care-home benefit.
    assert _lever(result, "short_term_services").overlap_removed_gbp == pytest.approx(2 * 178e6 / 3)


def test_disabling_trusted_providers_removes_the_front_door_overlap() -> None:
    scenario = Scenario.model_validate({"levers": {"trusted_providers": {"enabled": False}}})
    result = evaluate(england_2019_20(), scenario)
    assert "trusted_providers" not in {x.id for x in result.levers}
    front_door = _lever(result, "front_door_community")
    assert front_door.overlap_removed_gbp == 0
    assert front_door.net_benefit_gbp == pytest.approx(front_door.gross_benefit_gbp)
    assert front_door.net_benefit_gbp > 95e6


def test_parameter_override_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: local saving\nparameters:\n  ld_residential_move_saving_gbp:\n    central: 12000\n"
        "    provenance: {kind: local, source: placement reviews 2024}\n"
    )
    result = evaluate(demoshire(), load_scenario(path))
    lever = _lever(result, "ld_residential_moves")
    assert lever.net_benefit_gbp == pytest.approx(lever.people_affected * 12_000)
    assert lever.inputs["ld_residential_move_saving_gbp"].provenance.kind == "local"


def test_larger_effects_never_reduce_a_lever() -> None:
    base = evaluate(demoshire())
    for lever in base.levers:
        assert lever.low_gbp <= lever.net_benefit_gbp <= lever.high_gbp


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({"levers": {"telecare": {"effects": {"x": 0.1}}}}, "lever 'telecare'"),
        ({"levers": {"care_home_admissions": {"effects": {"share_diverted": 1.5}}}}, "1.5"),
        ({"levers": {"care_home_admissions": {"effects": {"hours_reduction": 0.1}}}}, "effect 'hours_reduction'"),
        ({"parameters": {"unknown_cost": 3}}, "parameter 'unknown_cost'"),
        (
            {"levers": {"front_door_community": {"effects": {"hours_reduction": {"central": 0.05, "low": 0.06}}}}},
            "low ≤ central",
        ),
    ],
)
def test_bad_scenarios_are_rejected_with_where_and_what(document: dict, fragment: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as caught:
        scenario_from_document(document, "s.yaml")
    assert any(fragment in str(p) for p in caught.value.problems)
    assert all(p.file == "s.yaml" for p in caught.value.problems)


def test_malformed_yaml_is_one_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("levers:\n  care_home_admissions: [unclosed\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert "malformed YAML" in caught.value.problems[0].found


def test_demo_is_a_plausible_county_share_of_england() -> None:
    demo, england = evaluate(demoshire()), evaluate(england_2019_20())
    share = demo.total_net_benefit_gbp / england.total_net_benefit_gbp
    # Demoshire has 1.4% of England's working-age adults and 1.7% of its older people.
    assert 0.013 < share < 0.018
    assert 0.05 < demo.total_net_benefit_gbp / demoshire().net_spend() < 0.15


def test_shipped_example_scenario_applies() -> None:
    path = Path(__file__).resolve().parents[3] / "examples" / "scenario-local-evidence.yaml"
    result = evaluate(demoshire(), load_scenario(path))
    assert "trusted_providers" not in {x.id for x in result.levers}
    care_homes = _lever(result, "care_home_admissions")
    assert care_homes.effect == 0.25 and care_homes.inputs["share_diverted"].provenance.kind == "local"
