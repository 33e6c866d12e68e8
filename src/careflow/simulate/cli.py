"""Commands for projections (`careflow project`) and sweeps (`careflow sweep`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from careflow.console import FORCE, err, out, print_json
from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from careflow.baseline.schema import Baseline
    from careflow.scenario import Scenario
    from careflow.simulate.settings import ProjectionSettings

BASELINE_HELP = "demo, england-2019-20, or a baseline workbook (.xlsx), CSV folder or YAML file"
SCENARIO_HELP = "baseline, optimised, or a scenario file (YAML/JSON) with levers, phasing and a projection block"


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr that appears only once the work has taken more than a second."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    started = time.monotonic()
    done = 0
    bar: Progress | None = None
    task = None

    def advance(n: int) -> None:
        nonlocal done, bar, task
        done += n
        if bar is None and time.monotonic() - started > 1.0 and done < total:
            bar = Progress(
                TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
            )
            bar.start()
            task = bar.add_task(label, total=total, completed=done)
        elif bar is not None and task is not None:
            bar.update(task, completed=done)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.stop()


def load_scenario_spec(
    spec: str, years: int | None = None, runs: int | None = None, seed: int | None = None
) -> tuple[str, Scenario | None, ProjectionSettings, str]:
    """(name, scenario, settings, file label) for a built-in name or a scenario file; every problem at once."""
    from careflow.opportunity import lever_effects
    from careflow.scenario import load_scenario
    from careflow.simulate.projection import BUILT_IN_SCENARIOS, scenario_for
    from careflow.simulate.settings import MAX_RUNS, MAX_YEARS, check_range, projection_settings

    problems: list[Problem] = []
    if years is not None:
        check_range(problems, "years", years, 1, MAX_YEARS, "years")
    if runs is not None:
        check_range(problems, "runs", runs, 1, MAX_RUNS, "runs")
    if spec in BUILT_IN_SCENARIOS:
        name, scenario, block, file = spec, scenario_for(spec), {}, spec
    else:
        path = Path(spec)
        if not path.exists():
            problems.append(Problem(spec, "no such file or built-in scenario", "baseline, optimised, or a path"))
            raise InputError(problems)
        try:
            scenario = load_scenario(path)
        except InputError as error:
            raise InputError(problems + error.problems) from None
        name, block, file = scenario.name, scenario.projection, str(path)
        try:
            lever_effects(scenario, file)  # unknown levers, effects outside 0–100%, bad phasing
        except InputError as error:
            problems.extend(error.problems)
    try:
        # Out-of-range command-line values are reported above; don't report them again as the file's.
        settings = projection_settings(
            block,
            file,
            years=years if years is not None and 1 <= years <= MAX_YEARS else None,
            runs=runs if runs is not None and 1 <= runs <= MAX_RUNS else None,
            seed=seed,
        )
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return name, scenario, settings, file


def _print_summary(projection: Any) -> None:
    from careflow.simulate.report import SUMMARY_HEADERS, m, summary_rows

    table = Table(
        title=f"Projection — {projection.council}, {projection.settings.years} years from "
        f"{projection.financial_year}, {projection.settings.runs:,} runs, random seed {projection.settings.seed}",
        title_justify="left",
    )
    for i, heading in enumerate(SUMMARY_HEADERS):
        table.add_column(heading, justify="left" if i == 0 else "right", overflow="fold")
    for row in summary_rows(projection):
        table.add_row(*[str(v) for v in row])
    out.print(projection.levers_applied())
    out.print(table)
    steps = Table(title=f"Waterfall — {projection.waterfall['scenario']}", title_justify="left")
    steps.add_column("Step")
    steps.add_column("£m", justify="right")
    for step in projection.waterfall["steps"]:
        steps.add_row(step["step"].replace("_", " "), m(step["gbp"]))
    out.print(steps)


def project_command(
    baseline: str = typer.Option("demo", "--baseline", help=BASELINE_HELP),
    scenario: str = typer.Option("optimised", "--scenario", help=SCENARIO_HELP),
    years: int | None = typer.Option(None, "--years", help="Horizon in years, 1–20 (default 10)"),
    runs: int | None = typer.Option(None, "--runs", help="Monte Carlo runs, 1–100,000 (default 1,000)"),
    seed: int | None = typer.Option(None, "--seed", help="Random seed; the same random seed gives the same output"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables"),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Folder for projection.html and projection.xlsx"),
    population_data: Path | None = typer.Option(
        None,
        "--population-data",
        help="Folder with ONS's 2016-based projections (60+), the LTLA→UTLA lookup and mid-year estimates: "
        "the council's own population growth (by its ONS code) instead of England's",
    ),
    force: bool = FORCE,
) -> None:
    """Project demand, spend and the funding gap: baseline against a scenario, with uncertainty bands."""
    from careflow.baseline.io import load_baseline
    from careflow.files import staged_directory
    from careflow.simulate.projection import project
    from careflow.simulate.report import write_outputs

    name, chosen, settings, file = load_scenario_spec(scenario, years, runs, seed)
    loaded = load_baseline(baseline)
    if population_data is not None:
        settings = _council_demography(settings, loaded, population_data)
    scenarios: list[tuple[str, Scenario | None]] = [("baseline", None)]
    if chosen is not None:
        scenarios.append((name if name != "baseline" else "scenario", chosen))
    with progress(settings.runs * len(scenarios), "Projecting runs") as advance:
        result = project(loaded, scenarios, settings, file, on_block=advance)
    with staged_directory(out_dir, force) as stage:
        written = write_outputs(result, stage)
    if as_json:
        print_json(result.as_dict())
        return
    _print_summary(result)
    for path in written:
        out.print(f"Wrote {out_dir / path.name}")


def _council_demography(settings: ProjectionSettings, baseline: Baseline, folder: Path) -> ProjectionSettings:
    """The council's ONS population growth, unless the scenario fixes population growth itself."""
    from careflow.simulate.demography import LOOKUP_FILE, MYE_2016_FILE, MYE_2020_FILE, SNPP_FILE, council_rates

    missing = [n for n in (SNPP_FILE, LOOKUP_FILE, MYE_2016_FILE, MYE_2020_FILE) if not (folder / n).is_file()]
    if missing:
        raise InputError([Problem(str(folder / n), "no such file", "the ONS file of that name") for n in missing])
    if "population_growth" in settings.model_fields_set:
        err.print("The scenario sets population growth itself; --population-data is not used.")
        return settings
    code = baseline.council.ons_code
    first_year = int(baseline.council.financial_year[:4])
    rates = council_rates(folder, code, first_year, settings.years) if code else None
    if rates is None:
        err.print(
            f"No ONS projection for {code or 'a baseline without an ONS code'} from {first_year}; England's used."
        )
        return settings
    err.print(f"Population growth: ONS 2016-based projections for {code}, {first_year} onwards.")
    return settings.model_copy(update={"population_growth": rates})


def _baselines(specs: list[str], england_variants: int) -> list[Baseline]:
    from careflow.baseline.io import load_baseline
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


GRID_SETTINGS = ("unit_cost_inflation", "benefit_years", "step_up_share")


def parse_grid(items: list[str]) -> list[dict[str, Any]]:
    """`NAME=V1,V2` items → every combination, as projection-block updates; problems name the item."""
    import itertools

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


def sweep_command(
    baseline: list[str] = typer.Option([], "--baseline", help=BASELINE_HELP + ", or a folder of them (repeatable)"),
    england_variants: int = typer.Option(0, "--england-variants", help="Add N council-sized variants of England"),
    scenario: list[str] = typer.Option(["baseline", "optimised"], "--scenario", help=SCENARIO_HELP + " (repeatable)"),
    years: int | None = typer.Option(None, "--years", help="Horizon in years, 1–20 (default 10)"),
    runs: int | None = typer.Option(None, "--runs", help="Monte Carlo runs per task, 1–100,000 (default 1,000)"),
    seed: int | None = typer.Option(None, "--seed", help="Random seed, the same for every task"),
    grid: list[str] = typer.Option(
        [], "--grid", help="NAME=V1,V2,… a projection setting to vary, e.g. unit_cost_inflation=0.02,0.03 (repeatable)"
    ),
    workers: int = typer.Option(2, "--workers", help="Worker processes for the local Dask cluster"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Address of an existing Dask scheduler"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table"),
    out_dir: Path | None = typer.Option(None, "--out", help="Folder for sweep.json and sweep.xlsx"),
    force: bool = FORCE,
) -> None:
    """Project many baselines × scenarios on a Dask cluster; each result equals running it alone."""
    from careflow.files import staged_directory
    from careflow.report.excel import write_results
    from careflow.simulate.sweep import Task, run_sweep

    if workers < 1 or workers > 256:
        raise InputError([Problem("--workers", f"{workers}", "between 1 and 256")])
    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise InputError([Problem("--scheduler", scheduler, "a scheduler address such as tcp://host:8786")])
    from careflow.simulate.settings import projection_settings

    specs = [load_scenario_spec(s, years, runs, seed) for s in scenario]
    points = parse_grid(grid)
    baselines = _baselines(baseline, england_variants)
    variants = []
    for name, chosen, settings, _file in specs:
        block = settings.model_dump(mode="json")
        for point in points:
            label = name + (" [" + ", ".join(f"{k}={v:g}" for k, v in point.items()) + "]" if point else "")
            variants.append((label, chosen, projection_settings(_with_grid(block, point), "--grid")))
    tasks = [Task(b, label, chosen, settings) for b in baselines for label, chosen, settings in variants]
    with progress(len(tasks), "Sweeping") as advance:
        results = run_sweep(tasks, workers=workers, scheduler=scheduler, on_done=advance)
    rows = []
    for r in results:
        s = r["scenarios"][r["scenario"]]["series"]["net_spend_gbp"]
        gap = r["funding_gap"]["scenarios"][r["scenario"]]
        rows.append(
            [r["baseline"], r["scenario"], r["years"][-1], s["mean"][-1], s["p10"][-1], s["p90"][-1], gap["mean"][-1]]
        )
    headers = ["Baseline", "Scenario", "Final year", "Net spend £ (mean)", "P10", "P90", "Funding gap £ (mean)"]
    if out_dir is not None:
        from careflow.console import to_json

        with staged_directory(out_dir, force) as stage:
            (stage / "sweep.json").write_text(to_json({"tasks": results}), encoding="utf-8")
            write_results(stage / "sweep.xlsx", {"Sweep": (headers, rows)})
    if as_json:
        print_json({"tasks": results})
        return
    table = Table(title=f"Sweep — {len(tasks)} projections, £m in the final year", title_justify="left")
    for i, h in enumerate(["Baseline", "Scenario", "Year", "Net spend", "P10–P90", "Gap"]):
        table.add_column(h, justify="left" if i < 2 else "right", overflow="fold")
    for row in rows:
        table.add_row(
            row[0],
            row[1],
            row[2],
            f"{row[3] / 1e6:,.3f}",
            f"{row[4] / 1e6:,.1f}–{row[5] / 1e6:,.1f}",
            f"{row[6] / 1e6:,.3f}",
        )
    out.print(table)


def backtest_command(
    data: Path = typer.Option(
        ..., "--data", help="Folder holding NHS Digital's ASC-FR/SALT 2021-22 tables and the ONS population files"
    ),
    runs: int = typer.Option(1000, "--runs", help="Monte Carlo runs per area, 1–100,000"),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same random seed gives the same output"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables"),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Folder for backtest.html and backtest.json"),
) -> None:
    """Project councils from past published years to later ones and check the bands against what happened."""
    from careflow.files import staged_directory
    from careflow.simulate.backtest import run_backtest
    from careflow.simulate.backtest_report import SCORE_HEADERS, score_rows, write_outputs
    from careflow.simulate.demography import required_files
    from careflow.simulate.settings import MAX_RUNS, ProjectionSettings, check_range

    problems: list[Problem] = []
    check_range(problems, "runs", runs, 1, MAX_RUNS, "runs")
    if seed < 0:
        problems.append(Problem("--seed", f"{seed}", "a whole number, 0 or more"))
    problems.extend(
        Problem(str(data / name), "no such file", title)
        for name, title in required_files()
        if not (data / name).is_file()
    )
    if problems:
        raise InputError(problems)
    result = run_backtest(data, ProjectionSettings(), runs=runs, seed=seed)
    with staged_directory(out_dir) as stage:
        written = write_outputs(result, stage)
    if as_json:
        print_json(result.as_dict())
        return
    table = Table(title=f"Backtest — {runs:,} runs, random seed {seed}", title_justify="left")
    for i, heading in enumerate(SCORE_HEADERS):
        table.add_column(heading, justify="left" if i == 0 else "right", overflow="fold")
    for row in score_rows(result):
        table.add_row(*[str(v) for v in row])
    out.print(table)
    for path in written:
        out.print(f"Wrote {out_dir / path.name}")


def register(app: typer.Typer) -> None:
    """Add the projection commands to the root command."""
    app.command("project")(project_command)
    app.command("sweep")(sweep_command)
    app.command("backtest")(backtest_command)
