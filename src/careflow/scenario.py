"""Scenario documents: lever effects, parameter overrides and projection settings as data (YAML/JSON), one model.

A scenario names levers by id and gives each effect a central value and, optionally, a low–high range and
its provenance, and a phasing (share of the full effect reached in each year); it may override the opportunity
model's national parameters and set the flow model's projection settings. Effects are fractions (0.18 means 18%).
`Scenario.model_validate` is the one validation entry point: every front end and model relies on it, and
`scenario_from_document` turns its errors into located problems. The JSON Schema (`careflow scenario-schema`)
is closed (`additionalProperties: false`) and versioned by `schema_version`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from careflow.errors import FieldProblems, InputError, Problem, problems_from_validation
from careflow.limits import MAX_NAME_CHARS, Finite
from careflow.provenance import Provenance
from careflow.simulate.settings import ProjectionSettings

SCHEMA_VERSION = 1

# What a scenario may name. The opportunity model owns the levers' meaning and defaults; a test checks that its
# levers, effects, upper bounds and parameters are exactly these.
LEVER_EFFECTS: dict[str, tuple[str, float]] = {  # lever id → (its effect, the largest value it may take)
    "short_term_services": ("access_uplift", 3.0),  # an increase in access: may exceed 100%
    "ld_community_hours": ("hours_reduction", 1.0),
    "care_home_admissions": ("share_diverted", 1.0),
    "front_door_community": ("hours_reduction", 1.0),
    "ld_residential_moves": ("share_moved", 1.0),
    "trusted_providers": ("hours_reduction", 1.0),
}
EFFECT_NAMES = tuple(sorted({effect for effect, _ in LEVER_EFFECTS.values()}))
PARAMETER_IDS = (
    "short_term_effectiveness_current_gbp",
    "short_term_effectiveness_uq_gbp",
    "upper_quartile_package_ratio",
    "short_term_care_home_overlap",
    "ld_residential_move_saving_gbp",
)

__all__ = [
    "EFFECT_NAMES",
    "LEVER_EFFECTS",
    "PARAMETER_IDS",
    "SCHEMA_VERSION",
    "Effect",
    "LeverSettings",
    "Scenario",
    "load_scenario",
    "load_yaml_document",
    "parse_yaml",
    "problems_from_validation",
    "read_scenario",
    "scenario_from_document",
]


def expected_effect(maximum: float) -> str:
    if maximum == 1.0:
        return "a fraction from 0 to 1 (0–100%)"
    return f"a value from 0 to {maximum:g} (an increase of 0–{maximum:.0%})"


class Effect(BaseModel):
    """A value with an optional low–high range and where it came from; a bare number is the central value."""

    model_config = ConfigDict(extra="forbid")
    central: Finite
    low: Finite | None = None
    high: Finite | None = None
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effect:
        low = self.central if self.low is None else self.low
        high = self.central if self.high is None else self.high
        if not low <= self.central <= high:
            raise ValueError(f"low {low:g}, central {self.central:g}, high {high:g}: expected low ≤ central ≤ high")
        return self


def _as_effect(value: Any) -> Any:
    return {"central": value} if isinstance(value, int | float) and not isinstance(value, bool) else value


Share = Annotated[Finite, Field(ge=0.0, le=1.0)]


class LeverSettings(BaseModel):
    """One lever: on or off, its effect (see LEVER_EFFECTS for each lever's) and how fast it is phased in."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    effects: dict[str, Effect] = Field(
        default_factory=dict, json_schema_extra={"propertyNames": {"enum": list(EFFECT_NAMES)}}
    )
    # Share of the full effect reached in year 1, 2, …; the last share continues. None: the projection's default.
    phasing: list[Share] | None = Field(default=None, min_length=1)

    @field_validator("effects", mode="before")
    @classmethod
    def _numbers_are_central_values(cls, value: Any) -> Any:
        return {k: _as_effect(v) for k, v in value.items()} if isinstance(value, dict) else value


class Scenario(BaseModel):
    """A scenario document: which levers, how strong, which parameters, and the projection's settings."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal[1] = 1  # SCHEMA_VERSION; files without it are version 1
    name: str = Field(default="scenario", max_length=MAX_NAME_CHARS)
    description: str = ""
    levers: dict[str, LeverSettings] = Field(
        default_factory=dict, json_schema_extra={"propertyNames": {"enum": list(LEVER_EFFECTS)}}
    )
    parameters: dict[str, Effect] = Field(  # the opportunity model's national parameters, by id
        default_factory=dict, json_schema_extra={"propertyNames": {"enum": list(PARAMETER_IDS)}}
    )
    projection: ProjectionSettings = Field(default_factory=ProjectionSettings)  # the flow model's settings

    @field_validator("parameters", mode="before")
    @classmethod
    def _numbers_are_central_values(cls, value: Any) -> Any:
        return {k: _as_effect(v) for k, v in value.items()} if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _levers_and_parameters_known(self) -> Scenario:
        items = lever_problems(self.levers) + parameter_problems(self.parameters)
        if items:
            raise FieldProblems(items)
        return self


def lever_problems(levers: dict[str, LeverSettings]) -> list[tuple[str, str, str]]:
    """Unknown levers, an effect the lever does not have, values outside the lever's bounds: (where, found, expected)."""
    items = []
    for lever_id, settings in levers.items():
        if lever_id not in LEVER_EFFECTS:
            items.append(("levers", f"lever '{lever_id}'", f"one of: {', '.join(LEVER_EFFECTS)}"))
            continue
        effect_name, maximum = LEVER_EFFECTS[lever_id]
        for name, effect in settings.effects.items():
            where = f"levers → {lever_id} → effects → {name}"
            if name != effect_name:
                items.append((where, f"effect '{name}'", f"'{effect_name}'"))
                continue
            for label, value in (("central", effect.central), ("low", effect.low), ("high", effect.high)):
                if value is not None and not 0.0 <= value <= maximum:
                    items.append((f"{where} → {label}", f"{value:g}", expected_effect(maximum)))
    return items


def parameter_problems(parameters: dict[str, Effect]) -> list[tuple[str, str, str]]:
    items = []
    for name, effect in parameters.items():
        if name not in PARAMETER_IDS:
            items.append(("parameters", f"parameter '{name}'", f"one of: {', '.join(sorted(PARAMETER_IDS))}"))
        elif effect.central < 0:
            items.append((f"parameters → {name}", f"{effect.central:g}", "a value of at least 0"))
    return items


def parse_yaml(data: bytes | str, name: str) -> Any:
    """Parse the bytes or text of a YAML (or JSON) document (an upload) with careflow's one safe reader."""
    from careflow.safe_yaml import load_yaml_text

    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError([Problem(name, "an unreadable file (UnicodeDecodeError)", "UTF-8 text")]) from None
    if not data.strip():
        raise InputError([Problem(name, "an empty file", "a YAML or JSON document")])
    return load_yaml_text(data, name)


def load_yaml_document(path: Path) -> Any:
    """Read a YAML (or JSON) file through careflow's one safe reader; problems become located InputErrors."""
    from careflow.safe_yaml import load_yaml_file

    return load_yaml_file(path)


def scenario_from_document(data: Any, name: str) -> Scenario:
    """Validate a parsed scenario document; every problem is located by `name` and the field's path."""
    if not isinstance(data, dict):
        raise InputError([Problem(name, f"a {type(data).__name__}", "a mapping with 'name' and 'levers'")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(name, error)) from None


def read_scenario(data: bytes | str, name: str) -> Scenario:
    """A scenario from the bytes of a YAML/JSON document (an upload) and the name to report problems by."""
    return scenario_from_document(parse_yaml(data, name), name)


def load_scenario(path: Path) -> Scenario:
    return scenario_from_document(load_yaml_document(path), str(path))
