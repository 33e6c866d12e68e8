"""The use cases the web calls, until `careflow.services` lands in main (then this module shrinks to imports).

MERGE HAZARD: the services helper is building the same calls (check a baseline from bytes, evaluate, project
with progress, render reports to bytes). This file is the thinnest bridge to the engine meanwhile.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem
from careflow.opportunity.model import OpportunityResult
from careflow.scenario import Scenario, problems_from_validation

Progress = Callable[[int, int], None]


@contextmanager
def _as_file(data: bytes, name: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="careflow-upload-"))
    try:
        path = folder / name
        path.write_bytes(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_baseline(data: bytes, name: str) -> Baseline:
    """A validated baseline from uploaded bytes; problems name the upload, not a temporary path."""
    from careflow.baseline.io import read_baseline_file

    with _as_file(data, name) as path:
        try:
            return read_baseline_file(path)
        except InputError as error:
            raise InputError([replace(p, file=p.file.replace(str(path), name)) for p in error.problems]) from None


def scenario_from_yaml(text: str, name: str) -> Scenario:
    """A scenario from the CLI's YAML; every problem located in the document."""
    import yaml

    from careflow.opportunity import lever_effects

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(
            [
                Problem(
                    name,
                    f"malformed YAML ({getattr(error, 'problem', error)})",
                    "valid YAML",
                    row=mark.line + 1 if mark else None,
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise InputError([Problem(name, f"a {type(data).__name__}", "a mapping with 'name' and 'levers'")])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(name, error)) from None
    from careflow.simulate.settings import projection_settings

    problems = []
    for check in (lambda: lever_effects(scenario, name), lambda: projection_settings(scenario.projection, name)):
        try:
            check()  # unknown levers, effects outside their range; projection settings out of range
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return scenario


def evaluate(baseline: Baseline, scenario: Scenario | None, name: str = "scenario") -> OpportunityResult:
    from careflow.opportunity import evaluate as evaluate_opportunity

    return evaluate_opportunity(baseline, scenario, name)


def opportunity_files(result: OpportunityResult, baseline: Baseline) -> dict[str, bytes]:
    from careflow.opportunity.report import write_report

    folder = Path(tempfile.mkdtemp(prefix="careflow-report-"))
    try:
        paths = write_report(folder / "out", result, baseline)
        return {path.name: path.read_bytes() for path in paths}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def project(
    baseline: Baseline, scenario: Scenario | None, runs: int, years: int, seed: int, on_progress: Progress
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(result as JSON-ready data, files: report HTML, workbook, chart SVGs) for a projection with progress."""
    from careflow.simulate.projection import project as run_projection
    from careflow.simulate.report import fan_chart, gap_chart, waterfall_chart, write_outputs
    from careflow.simulate.settings import projection_settings

    settings = projection_settings(
        scenario.projection if scenario else {}, "scenario", years=years, runs=runs, seed=seed
    )
    scenarios: list[tuple[str, Scenario | None]] = [("baseline", None)]
    if scenario is not None:
        scenarios.append((scenario.name if scenario.name != "baseline" else "scenario", scenario))
    total, done = settings.runs * len(scenarios), 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        on_progress(done, total)

    projection = run_projection(baseline, scenarios, settings, "scenario", on_block=advance)
    folder = Path(tempfile.mkdtemp(prefix="careflow-projection-"))
    try:
        files = {path.name: path.read_bytes() for path in write_outputs(projection, folder)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    files["fan.svg"] = fan_chart(projection).encode()
    files["waterfall.svg"] = waterfall_chart(projection).encode()
    files["gap.svg"] = gap_chart(projection).encode()
    return projection.as_dict(), files


def check_reviews(data: bytes, name: str) -> list[Any]:
    """Checked case reviews from an upload; identifying content is refused without being repeated back."""
    from careflow.outcomes.reviews import load_reviews

    with _as_file(data, name) as path:
        try:
            return load_reviews(path)
        except InputError as error:
            raise InputError(
                [_without_cell_text(replace(p, file=p.file.replace(str(path), name))) for p in error.problems]
            ) from None


def _without_cell_text(problem: Problem) -> Problem:
    # A case-review cell may hold a name or an NHS number: say what kind of thing was found, never the thing.
    if not problem.found.startswith(("'", '"', "text ")):
        return problem
    kind = problem.found.split(", which ", 1)[1] if ", which " in problem.found else None
    return replace(problem, found=f"a value that {kind} (not shown)" if kind else "a value (not shown on this page)")


def calibrated_scenario(reviews: list[Any], label: str) -> Scenario:
    from careflow.outcomes.calibrate import NATIONAL, calibrate

    return calibrate(reviews, NATIONAL, source=f"case reviews in {label}")
