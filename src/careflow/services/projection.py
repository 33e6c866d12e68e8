"""Projection use cases: choose a scenario, project one council with progress, plan and run a sweep of many."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem
from careflow.scenario import Scenario
from careflow.services.baseline import load_baseline
from careflow.services.inputs import RenderedFile, Source, Upload, display_name
from careflow.simulate.results import ProjectionResult, SweepResult, SweepRow, SweepTaskResult
from careflow.simulate.settings import ProjectionSettings

Progress = Callable[[int, int], None]
"""Called as work advances with (runs or tasks done, total): a terminal bar or a web job's status."""

GRID_SETTINGS = ("unit_cost_inflation", "benefit_years", "step_up_share")


class ScenarioChoice(BaseModel):
    """A scenario ready to project: its name, the document (None for the no-lever baseline) and the settings."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    name: str
    scenario: Scenario | None
    settings: ProjectionSettings
    file: str


class SweepPlan(BaseModel):
    """Every baseline × scenario × grid point to project, checked before any work starts."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    baselines: list[Baseline]
    variants: list[ScenarioChoice]

    @property
    def size(self) -> int:
        return len(self.baselines) * len(self.variants)


# --- use cases -------------------------------------------------------------------------------------------------------


def _check_range(problems: list[Problem], name: str, value: int, low: int, high: int, unit: str) -> None:
    if not low <= value <= high:
        problems.append(Problem(f"--{name}", f"{value:,} {unit}", f"between {low:,} and {high:,} {unit}"))


def choose_scenario(
    spec: Source, years: int | None = None, runs: int | None = None, seed: int | None = None
) -> ScenarioChoice:
    """A built-in scenario (baseline, optimised) or a scenario file/upload, with settings; every problem at once."""
    from careflow.services.scenarios import load_scenario
    from careflow.simulate.projection import BUILT_IN_SCENARIOS, scenario_for
    from careflow.simulate.settings import MAX_RUNS, MAX_YEARS

    problems: list[Problem] = []
    if years is not None:
        _check_range(problems, "years", years, 1, MAX_YEARS, "years")
    if runs is not None:
        _check_range(problems, "runs", runs, 1, MAX_RUNS, "runs")
    file = display_name(spec)
    if not isinstance(spec, Upload) and str(spec) in BUILT_IN_SCENARIOS:
        name, scenario, settings = str(spec), scenario_for(str(spec)), ProjectionSettings()
    else:
        if not isinstance(spec, Upload) and not Path(spec).exists():
            problems.append(Problem(file, "no such file or built-in scenario", "baseline, optimised, or a path"))
            raise InputError(problems)
        try:
            scenario = load_scenario(spec)
        except InputError as error:
            raise InputError(problems + error.problems) from None
        name, settings = scenario.name, scenario.projection
    if problems:
        raise InputError(problems)
    overrides = {k: v for k, v in (("years", years), ("runs", runs), ("seed", seed)) if v is not None}
    if overrides:
        settings = _with_settings(settings, overrides, "--seed")
    return ScenarioChoice(name=name, scenario=scenario, settings=settings, file=file)


def _with_settings(settings: ProjectionSettings, updates: dict[str, Any], where: str) -> ProjectionSettings:
    """Settings with command-line values applied, checked by the same model as a scenario's projection block."""
    from pydantic import ValidationError

    from careflow.errors import problems_from_validation

    try:
        return ProjectionSettings.model_validate({**settings.model_dump(), **updates})
    except ValidationError as error:
        raise InputError(problems_from_validation(where, error)) from None


class ProjectionReport(BaseModel):
    """A projection and, when asked for, its files (projection.html with charts, projection.xlsx)."""

    projection: ProjectionResult
    files: list[RenderedFile] = Field(default_factory=list, exclude=True)  # bytes: written, never in JSON


def project(
    baseline: Source | Baseline = "demo",
    scenario: Source | ScenarioChoice = "optimised",
    years: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    on_progress: Progress | None = None,
    render: bool = False,
) -> ProjectionReport:
    """Project the baseline against the chosen scenario (and, with `render`, draw the report files).

    `on_progress(done, total)` is called after each block of runs, so a terminal or a web job can show progress.
    """
    from careflow.simulate.projection import project as run_projection

    choice = scenario if isinstance(scenario, ScenarioChoice) else choose_scenario(scenario, years, runs, seed)
    loaded = baseline if isinstance(baseline, Baseline) else load_baseline(baseline)
    scenarios: list[tuple[str, Scenario | None]] = [("baseline", None)]
    if choice.scenario is not None:
        scenarios.append((choice.name if choice.name != "baseline" else "scenario", choice.scenario))
    total = choice.settings.runs * len(scenarios)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, total)

    result = run_projection(loaded, scenarios, choice.settings, on_block=advance).result()
    files = []
    if render:
        from careflow.simulate.report import render_outputs

        files = [RenderedFile(name=name, data=data) for name, data in render_outputs(result).items()]
    return ProjectionReport(projection=result, files=files)


def _sweep_baselines(specs: list[str], england_variants: int) -> list[Baseline]:
    from careflow.simulate.sweep import scaled_england

    found: list[Baseline] = []
    problems: list[Problem] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir() and not (path / "council.csv").exists():
            # A folder of councils: every workbook, YAML file or CSV folder inside it.
            entries = sorted(p for p in path.iterdir() if p.suffix in (".xlsx", ".yaml", ".yml") or p.is_dir())
            if not entries:
                problems.append(
                    Problem(spec, "a folder with no baselines", "baseline workbooks, YAML files or folders")
                )
            for entry in entries:
                try:
                    found.append(load_baseline(str(entry)))
                except InputError as error:
                    problems.extend(error.problems)
        else:
            try:
                found.append(load_baseline(spec))
            except InputError as error:
                problems.extend(error.problems)
    if england_variants < 0 or england_variants > 10_000:
        problems.append(Problem("--england-variants", f"{england_variants}", "between 0 and 10,000"))
    elif england_variants:
        found.extend(scaled_england(england_variants))
    if not found and not problems:
        problems.append(Problem("--baseline", "no baselines", "at least one --baseline or --england-variants"))
    if problems:
        raise InputError(problems)
    return found


def parse_grid(items: list[str]) -> list[dict[str, float]]:
    """`NAME=V1,V2` items → every combination, as projection-block updates; problems name the item."""
    from careflow.baseline.schema import POPULATION_BANDS

    axes: list[list[tuple[str, float]]] = []
    problems: list[Problem] = []
    allowed = (*GRID_SETTINGS, *(f"population_growth.{b}" for b in POPULATION_BANDS))
    for item in items:
        name, _, values = item.partition("=")
        name = name.strip()
        if name not in allowed:
            problems.append(Problem("--grid", f"'{name}' in '{item}'", f"one of: {', '.join(allowed)}"))
            continue
        try:
            numbers = [float(v) for v in values.split(",") if v.strip()]
        except ValueError:
            problems.append(Problem("--grid", f"'{values}' in '{item}'", "numbers separated by commas, e.g. 0.02,0.03"))
            continue
        if not numbers:
            problems.append(Problem("--grid", f"no values in '{item}'", "NAME=V1,V2,…"))
            continue
        axes.append([(name, v) for v in numbers])
    if problems:
        raise InputError(problems)
    return [dict(combo) for combo in itertools.product(*axes)] if axes else [{}]


def _with_grid(block: dict[str, Any], point: dict[str, float]) -> dict[str, Any]:
    updated = dict(block)
    for name, value in point.items():
        if name.startswith("population_growth."):
            updated["population_growth"] = {**updated.get("population_growth", {}), name.split(".", 1)[1]: value}
        else:
            updated[name] = value
    return updated


def plan_sweep(
    baselines: list[str],
    scenarios: list[str],
    england_variants: int = 0,
    years: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    grid: list[str] | None = None,
) -> SweepPlan:
    """Check every input of a sweep and list its tasks: baselines × scenarios × grid points."""
    choices = [choose_scenario(s, years, runs, seed) for s in scenarios]
    points = parse_grid(grid or [])
    loaded = _sweep_baselines(baselines, england_variants)
    variants = []
    for choice in choices:
        block = choice.settings.model_dump(mode="json")
        for point in points:
            label = choice.name + (" [" + ", ".join(f"{k}={v:g}" for k, v in point.items()) + "]" if point else "")
            settings = _with_settings(choice.settings, _with_grid(block, point), "--grid")
            variants.append(ScenarioChoice(name=label, scenario=choice.scenario, settings=settings, file=choice.file))
    return SweepPlan(baselines=loaded, variants=variants)


def _final_year(task: SweepTaskResult) -> SweepRow:
    net = task.scenarios[task.scenario].series["net_spend_gbp"]
    gap = task.funding_gap.scenarios[task.scenario]
    return SweepRow(
        baseline=task.baseline,
        scenario=task.scenario,
        final_year=task.years[-1],
        net_spend_mean_gbp=net.mean[-1],
        net_spend_p10_gbp=net.p10[-1],
        net_spend_p90_gbp=net.p90[-1],
        funding_gap_mean_gbp=gap.mean[-1],
    )


def check_sweep_cluster(workers: int, scheduler: str | None) -> None:
    """A worker count from 1 to 256 and, if given, a Dask scheduler address."""
    if workers < 1 or workers > 256:
        raise InputError([Problem("--workers", f"{workers}", "between 1 and 256")])
    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise InputError([Problem("--scheduler", scheduler, "a scheduler address such as tcp://host:8786")])


def run_sweep(
    plan: SweepPlan, workers: int = 2, scheduler: str | None = None, on_progress: Progress | None = None
) -> SweepResult:
    """Project every task of the plan on a Dask cluster (local, or an existing scheduler); results in task order."""
    from careflow.simulate import sweep

    check_sweep_cluster(workers, scheduler)
    tasks = [sweep.Task(b, v.name, v.scenario, v.settings) for b in plan.baselines for v in plan.variants]
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, len(tasks))

    raw = sweep.run_sweep(tasks, workers=workers, scheduler=scheduler, on_done=advance)
    results = [SweepTaskResult.model_validate(r) for r in raw]
    return SweepResult(tasks=results, final_year=[_final_year(t) for t in results])


SWEEP_HEADERS = ["Baseline", "Scenario", "Final year", "Net spend £ (mean)", "P10", "P90", "Funding gap £ (mean)"]


def sweep_files(result: SweepResult) -> dict[str, bytes]:
    """sweep.json (every task) and sweep.xlsx (the final year of each) as bytes."""
    from careflow.files import rendered_bytes
    from careflow.report.excel import write_results

    rows = [
        [r.baseline, r.scenario, r.final_year, r.net_spend_mean_gbp, r.net_spend_p10_gbp, r.net_spend_p90_gbp,
         r.funding_gap_mean_gbp]
        for r in result.final_year
    ]  # fmt: skip
    return {
        "sweep.json": result.model_dump_json(indent=2).encode("utf-8"),
        "sweep.xlsx": rendered_bytes(lambda path: write_results(path, {"Sweep": (SWEEP_HEADERS, rows)}), ".xlsx"),
    }
