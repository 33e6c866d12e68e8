"""Scenario documents: lever effects and parameter overrides as data (YAML/JSON), shared by every model.

A scenario names levers by id and gives each effect a central value and, optionally, a low–high range and
its provenance; the flow model also reads a phasing (share of the full effect reached in each year).
Effects are fractions (0.18 means 18%). Which effect names each lever accepts is checked by the
opportunity model, which owns the levers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from careflow.errors import InputError, Problem
from careflow.limits import MAX_NAME_CHARS, Finite
from careflow.provenance import Provenance


class Effect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    central: Finite
    low: Finite | None = None
    high: Finite | None = None
    provenance: Provenance | None = None


def _as_effect(value: Any) -> Any:
    return {"central": value} if isinstance(value, int | float) and not isinstance(value, bool) else value


class LeverSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    effects: dict[str, Effect] = Field(default_factory=dict)
    phasing: list[Finite] | None = None  # share of the full effect in year 1, 2, ...; the last share continues

    @field_validator("effects", mode="before")
    @classmethod
    def _numbers_are_central_values(cls, value: Any) -> Any:
        return {k: _as_effect(v) for k, v in value.items()} if isinstance(value, dict) else value


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="scenario", max_length=MAX_NAME_CHARS)
    description: str = ""
    levers: dict[str, LeverSettings] = Field(default_factory=dict)
    parameters: dict[str, Effect] = Field(default_factory=dict)  # model parameters by id, e.g. unit costs
    projection: dict[str, Any] = Field(default_factory=dict)  # flow-model settings, checked by careflow.simulate

    @field_validator("parameters", mode="before")
    @classmethod
    def _numbers_are_central_values(cls, value: Any) -> Any:
        return {k: _as_effect(v) for k, v in value.items()} if isinstance(value, dict) else value


def problems_from_validation(file: str, error: ValidationError, sheet: str | None = None) -> list[Problem]:
    """Translate pydantic's errors into located problems ('levers → care_home_admissions → effects …')."""
    problems = []
    for item in error.errors():
        where = " → ".join(str(p) for p in item["loc"])
        found = repr(item.get("input"))[:80]
        problems.append(Problem(file, f"{found} at {where}", item["msg"], sheet))
    return problems


def load_yaml_document(path: Path) -> Any:
    """Read a YAML (or JSON) file through careflow's one safe reader; problems become located InputErrors."""
    from careflow.safe_yaml import load_yaml_file

    return load_yaml_file(path)


def load_scenario(path: Path) -> Scenario:
    data = load_yaml_document(path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), f"a {type(data).__name__}", "a mapping with 'name' and 'levers'")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(str(path), error)) from None
