"""Scenario documents: lever effects and parameter overrides as data (YAML/JSON), shared by every model.

A scenario names levers by id and gives each effect a central value and, optionally, a low–high range and
its provenance; the flow model also reads a phasing (share of the full effect reached in each year).
Effects are fractions (0.18 means 18%). Which effect names each lever accepts is checked by the
opportunity model, which owns the levers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from careflow.errors import InputError, Problem
from careflow.provenance import Provenance


class Effect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    central: float
    low: float | None = None
    high: float | None = None
    provenance: Provenance | None = None


def _as_effect(value: Any) -> Any:
    return {"central": value} if isinstance(value, int | float) and not isinstance(value, bool) else value


class LeverSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    effects: dict[str, Effect] = Field(default_factory=dict)
    phasing: list[float] | None = None  # share of the full effect in year 1, 2, ...; the last share continues

    @field_validator("effects", mode="before")
    @classmethod
    def _numbers_are_central_values(cls, value: Any) -> Any:
        return {k: _as_effect(v) for k, v in value.items()} if isinstance(value, dict) else value


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "scenario"
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


def parse_yaml(data: bytes | str, name: str) -> Any:
    """Parse a YAML (or JSON) document; the one place careflow turns YAML text into data. Problems name `name`."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError([Problem(name, "an unreadable file (UnicodeDecodeError)", "UTF-8 text")]) from None
    if not data.strip():
        raise InputError([Problem(name, "an empty file", "a YAML or JSON document")])
    try:
        return yaml.safe_load(data)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            [Problem(name, f"malformed YAML ({getattr(error, 'problem', error)})", "valid YAML", row=row)]
        ) from None


def load_yaml_document(path: Path) -> Any:
    """Read a YAML (or JSON) file; unreadable or malformed files become one located problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "no such file", "a YAML or JSON file")])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError([Problem(str(path), f"an unreadable file ({type(error).__name__})", "UTF-8 text")]) from None
    return parse_yaml(data, str(path))


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
