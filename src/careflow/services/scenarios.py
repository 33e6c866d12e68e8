"""Scenario use cases: read a scenario document from a path or an upload, and publish its JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careflow.scenario import Scenario
from careflow.services.inputs import Source, Upload


def load_scenario(source: Source) -> Scenario:
    """A scenario from a YAML/JSON file or upload; every problem is located by file and field."""
    from careflow import scenario

    if isinstance(source, Upload):
        return scenario.read_scenario(source.data, source.name)
    return scenario.load_scenario(Path(source))


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of scenario documents, for editors and for checking files in other tools."""
    return Scenario.model_json_schema()
