"""The documentation covers what exists: every command and every scenario field is described in docs/."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main
from pydantic import BaseModel

from careflow.cli import app
from careflow.scenario import LEVER_EFFECTS, PARAMETER_IDS, Scenario

ROOT = Path(__file__).resolve().parents[3]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def command_names() -> list[str]:
    names = []

    def walk(command: object, prefix: str) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            if hasattr(sub, "commands"):
                walk(sub, f"{prefix} {name}")
            else:
                names.append(f"{prefix} {name}")

    walk(typer.main.get_command(app), "careflow")
    return sorted(names)


def model_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    """Every field name of a model and of the models inside it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for inner in re.findall(r"[\w.]+", repr(field.annotation)):
            candidate = _models().get(inner.rsplit(".", 1)[-1])
            if candidate is not None:
                names |= model_fields(candidate, seen)
    return names


def _models() -> dict[str, type[BaseModel]]:
    from careflow import scenario
    from careflow.simulate import settings

    found = {}  # provenance's own fields are described with its kinds, in the effect table
    for module in (scenario, settings):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found[name] = value
    return found


def test_every_command_is_documented() -> None:
    missing = [name for name in command_names() if f"`{name}" not in DOCS]
    assert missing == []
    assert len(command_names()) > 25


def test_every_scenario_field_lever_effect_and_parameter_is_documented() -> None:
    scenario_doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    names = model_fields(Scenario)
    names |= set(LEVER_EFFECTS) | {effect for effect, _ in LEVER_EFFECTS.values()} | set(PARAMETER_IDS)
    missing = sorted(name for name in names if f"`{name}`" not in scenario_doc)
    assert missing == []
    assert {"years", "population_growth", "phasing", "central", "share"} <= names  # the walk reaches nested models


def test_the_readme_stays_short_and_links_the_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 120
    for link in re.findall(r"\]\((docs/[\w.-]+\.md)", readme):
        assert (ROOT / link).exists(), link
