"""The web's calls into `careflow.services`: the same use cases, checks and results as the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem
from careflow.opportunity.model import OpportunityResult
from careflow.scenario import Scenario

Progress = Callable[[int, int], None]


def check_baseline(data: bytes, name: str) -> Baseline:
    """A validated baseline from uploaded bytes; problems name the upload, not a temporary path."""
    from careflow.services import Upload, read_baseline

    return read_baseline(Upload(name=name, data=data))


def scenario_from_yaml(text: str, name: str) -> Scenario:
    """A scenario from the CLI's YAML; every problem located in the document (one model checks it all)."""
    from careflow.scenario import read_scenario

    return read_scenario(text, name)


def evaluate(baseline: Baseline, scenario: Scenario | None, name: str = "scenario") -> OpportunityResult:
    from careflow.opportunity import evaluate as evaluate_opportunity

    return evaluate_opportunity(baseline, scenario)


def opportunity_files(result: OpportunityResult, baseline: Baseline) -> dict[str, bytes]:
    from careflow.evidence.library import load_library
    from careflow.opportunity.report import render_report

    return render_report(result, baseline, load_library())


def project(
    baseline: Baseline, scenario: Scenario | None, runs: int, years: int, seed: int, on_progress: Progress
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(result as JSON-ready data, files: report HTML, workbook, chart SVGs) for a projection with progress."""
    from careflow.services import ScenarioChoice
    from careflow.services import project as run_projection
    from careflow.simulate.report import fan_chart, gap_chart, waterfall_chart
    from careflow.simulate.settings import ProjectionSettings

    base = scenario.projection if scenario is not None else ProjectionSettings()
    settings = ProjectionSettings.model_validate({**base.model_dump(), "years": years, "runs": runs, "seed": seed})
    name = scenario.name if scenario is not None else "baseline"
    choice = ScenarioChoice(name=name, scenario=scenario, settings=settings, file="scenario")
    made = run_projection(baseline, choice, on_progress=on_progress, render=True)
    files = {f.name: f.data for f in made.files}
    files["fan.svg"] = fan_chart(made.projection).encode()
    files["waterfall.svg"] = waterfall_chart(made.projection).encode()
    files["gap.svg"] = gap_chart(made.projection).encode()
    return made.projection.model_dump(mode="json"), files


def check_reviews(data: bytes, name: str) -> list[Any]:
    """Checked case reviews from an upload; identifying content is refused without being repeated back."""
    from careflow.services import Upload, load_reviews

    try:
        return load_reviews(Upload(name=name, data=data))
    except InputError as error:
        raise InputError([_without_cell_text(p) for p in error.problems]) from None


def _without_cell_text(problem: Problem) -> Problem:
    # A case-review cell may hold a name or an NHS number: say what kind of thing was found, never the thing.
    if not problem.found.startswith(("'", '"', "text ")):
        return problem
    kind = problem.found.split(", which ", 1)[1] if ", which " in problem.found else None
    return replace(problem, found=f"a value that {kind} (not shown)" if kind else "a value (not shown on this page)")


def calibrated_scenario(reviews: list[Any], label: str) -> Scenario:
    from careflow.outcomes.calibrate import NATIONAL, calibrate

    return calibrate(reviews, NATIONAL, source=f"case reviews in {label}")
