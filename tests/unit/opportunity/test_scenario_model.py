"""The one scenario model: closed, versioned schema; the same names as the models; old files still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.errors import InputError
from careflow.opportunity.parameters import LEVERS, national_parameters
from careflow.scenario import LEVER_EFFECTS, PARAMETER_IDS, Scenario, read_scenario, scenario_from_document

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_scenario_names_are_the_opportunity_models() -> None:
    assert {lever.id: (lever.effect_name, lever.maximum) for lever in LEVERS} == LEVER_EFFECTS
    assert set(national_parameters()) == set(PARAMETER_IDS)


def test_schema_is_closed_and_versioned() -> None:
    schema = Scenario.model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["schema_version"]["const"] == 1
    assert schema["properties"]["levers"]["propertyNames"]["enum"] == list(LEVER_EFFECTS)
    assert schema["properties"]["parameters"]["propertyNames"]["enum"] == list(PARAMETER_IDS)
    definitions = schema["$defs"]
    for name in ("LeverSettings", "Effect", "ProjectionSettings"):
        assert definitions[name]["additionalProperties"] is False, name
    assert "years" in definitions["ProjectionSettings"]["properties"]  # the projection block is no longer open


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*scenario*.yaml")))
def test_shipped_scenario_files_without_a_version_still_load(example: str) -> None:
    scenario = read_scenario((EXAMPLES / example).read_bytes(), example)
    assert scenario.schema_version == 1


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"schema_version": 2}, "schema_version"),
        ({"lever": {}}, "lever"),  # a misspelt top-level field is named
        ({"projection": {"yeras": 3}}, "projection → yeras"),
        ({"levers": {"care_home_admissions": {"phasing": [0.5, 1.5]}}}, "levers → care_home_admissions → phasing → 1"),
        ({"levers": {"short_term_services": {"effects": {"access_uplift": 3.5}}}}, "access_uplift → central"),
    ],
)
def test_each_problem_names_the_field_to_change(document: dict, where: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as caught:
        scenario_from_document(document, "old.yaml")
    assert any(where in p.found for p in caught.value.problems), caught.value.problems


def test_scenarios_built_in_code_are_checked_by_the_same_model() -> None:
    with pytest.raises(ValueError, match="telecare"):
        Scenario.model_validate({"levers": {"telecare": {}}})
