"""A scenario that switches a lever off says so; a lone central value gets a range around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.baseline.demo import demoshire
from careflow.errors import InputError
from careflow.opportunity import evaluate
from careflow.opportunity.report import summary_lines
from careflow.scenario import Scenario, load_scenario


def test_a_disabled_lever_is_named_and_never_the_six_of_five() -> None:
    scenario = Scenario(name="no front door", levers={"front_door_community": {"enabled": False}})
    result = evaluate(demoshire(), scenario)
    text = " ".join(summary_lines(result))
    assert "model, five of the six key service outcomes would be worth" in text and ", the six key" not in text
    assert "Switched off in scenario 'no front door': Community and voluntary-sector support" in text
    assert "in full" not in text


def test_all_levers_on_reads_as_before() -> None:
    text = " ".join(summary_lines(evaluate(demoshire())))
    assert "adopted the optimised local delivery model in full, the six key service outcomes" in text
    assert "Switched off" not in text


def test_an_overridden_central_value_gets_a_range_around_it() -> None:
    # the national range is 30%–50% around 40%; a council's 20% must not sit below a range it is not in
    scenario = Scenario(levers={"short_term_services": {"effects": {"access_uplift": 0.2}}})
    lever = next(x for x in evaluate(demoshire(), scenario).levers if x.id == "short_term_services")
    assert lever.effect == 0.2
    assert lever.effect_low == pytest.approx(0.2 * 0.30 / 0.40) and lever.effect_high == pytest.approx(
        0.2 * 0.50 / 0.40
    )
    assert lever.effect_low < lever.effect < lever.effect_high


def test_lever_and_parameter_problems_in_one_round(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("levers:\n  nonsense_lever: {}\nparameters:\n  no_such_parameter: 1\n")
    with pytest.raises(InputError) as caught:
        evaluate(demoshire(), load_scenario(path), str(path))
    found = " ".join(p.found for p in caught.value.problems)
    assert "nonsense_lever" in found and "no_such_parameter" in found
