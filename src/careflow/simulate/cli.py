"""Commands for projections (`careflow project`), sweeps (`careflow sweep`) and the backtest (`careflow backtest`)."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from careflow.console import FORCE, emit_json, err, out, progress
from careflow.files import usable_folder

if TYPE_CHECKING:
    from careflow.simulate.results import ProjectionResult

BASELINE_HELP = "demo, england-2019-20, england-2021-22 (from the published tables), or a baseline workbook (.xlsx), CSV folder or YAML file"
SCENARIO_HELP = "baseline, optimised, or a scenario file (YAML/JSON) with levers, phasing and a projection block"


def _print_summary(projection: "ProjectionResult") -> None:
    from careflow.console import gbp_m
    from careflow.simulate.report import SUMMARY_HEADERS, summary_rows

    table = Table(
        title=f"Projection — {projection.baseline}, {len(projection.years)} years from "
        f"{projection.financial_year}, {projection.runs:,} runs, random seed {projection.random_seed}",
        title_justify="left",
    )
    for i, heading in enumerate(SUMMARY_HEADERS):
        table.add_column(heading, justify="left" if i == 0 else "right", overflow="fold")
    for row in summary_rows(projection):
        table.add_row(*[str(v) for v in row])
    out.print(projection.levers_statement())
    out.print(table)
    steps = Table(title=f"Waterfall — {projection.waterfall.scenario}", title_justify="left")
    steps.add_column("Step")
    steps.add_column("£m", justify="right")
    for step in projection.waterfall.steps:
        steps.add_row(step.step.replace("_", " "), gbp_m(step.gbp, 3))
    out.print(steps)
    out.print(projection.funding_gap.base_year.statement, style="dim")


def project_command(
    baseline: str = typer.Option("demo", "--baseline", help=BASELINE_HELP),
    scenario: str = typer.Option("optimised", "--scenario", help=SCENARIO_HELP),
    years: int | None = typer.Option(None, "--years", help="Horizon in years, 1–20 (default 10)"),
    runs: int | None = typer.Option(None, "--runs", help="Monte Carlo runs, 1–100,000 (default 1,000)"),
    seed: int | None = typer.Option(None, "--seed", help="Random seed; the same random seed gives the same output"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables"),
    out_dir: Path = typer.Option(
        Path("out"), "--out", help="Folder for projection.html and projection.xlsx", callback=usable_folder
    ),
    force: bool = FORCE,
    population_data: Path | None = typer.Option(
        None,
        "--population-data",
        help="Folder with ONS's 2016-based projections (60+), the LTLA→UTLA lookup and mid-year estimates: "
        "the council's own population growth (by its ONS code) instead of England's",
    ),
) -> None:
    """Project demand, spend and the funding gap: baseline against a scenario, with uncertainty bands."""
    from careflow.files import write_outputs
    from careflow.services import choose_scenario, project
    from careflow.services.baseline import load_baseline

    choice = choose_scenario(scenario, years, runs, seed)
    loaded: Any = baseline
    if population_data is not None:
        from careflow.simulate.demography import council_demography

        loaded = load_baseline(baseline)
        settings, message = council_demography(choice.settings, loaded, population_data)
        err.print(message)
        choice = choice.model_copy(update={"settings": settings})
    with progress("Projecting runs") as advance:
        made = project(loaded, choice, on_progress=advance, render=True)
    written = write_outputs(out_dir, {f.name: f.data for f in made.files}, force)
    if as_json:
        emit_json(made.projection)
        return
    _print_summary(made.projection)
    for path in written:
        out.print(f"Wrote {path}")


def sweep_command(
    baseline: list[str] = typer.Option([], "--baseline", help=BASELINE_HELP + ", or a folder of them (repeatable)"),
    england_variants: int = typer.Option(
        0,
        "--england-variants",
        help="Add N scaled copies of England, sized from half to twice 1/N of England each "
        "(3 copies: 17%–67% of England; council-sized only when N is near 150)",
    ),
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
    out_dir: Path | None = typer.Option(
        None, "--out", help="Folder for sweep.json and sweep.xlsx", callback=usable_folder
    ),
    force: bool = FORCE,
) -> None:
    """Project many baselines × scenarios on a Dask cluster; each result equals running it alone."""
    from careflow.files import write_outputs
    from careflow.services import check_sweep_cluster, plan_sweep, run_sweep, sweep_files

    check_sweep_cluster(workers, scheduler)
    plan = plan_sweep(baseline, scenario, england_variants, years, runs, seed, grid)
    with progress("Sweeping") as advance:
        result = run_sweep(plan, workers=workers, scheduler=scheduler, on_progress=advance)
    if out_dir is not None:
        write_outputs(out_dir, sweep_files(result), force)
    if as_json:
        emit_json(result)
        return
    table = Table(title=f"Sweep — {plan.size} projections, £m in the final year", title_justify="left")
    for i, h in enumerate(["Baseline", "Scenario", "Year", "Net spend", "P10–P90", "Gap"]):
        table.add_column(h, justify="left" if i < 2 else "right", overflow="fold")
    for row in result.final_year:
        table.add_row(
            escape(row.baseline),  # grid labels such as [unit_cost_inflation=0.02] are text, not rich markup
            escape(row.scenario),
            row.final_year,
            f"{row.net_spend_mean_gbp / 1e6:,.3f}",
            f"{row.net_spend_p10_gbp / 1e6:,.1f}–{row.net_spend_p90_gbp / 1e6:,.1f}",
            f"{row.funding_gap_mean_gbp / 1e6:,.3f}",
        )
    out.print(table)


def backtest_command(
    data: Path = typer.Option(
        ..., "--data", help="Folder holding NHS Digital's ASC-FR/SALT 2021-22 tables and the ONS population files"
    ),
    runs: int = typer.Option(1000, "--runs", help="Monte Carlo runs per area, 1–100,000"),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same random seed gives the same output"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables"),
    out_dir: Path = typer.Option(
        Path("out"), "--out", help="Folder for backtest.html and backtest.json", callback=usable_folder
    ),
    force: bool = FORCE,
) -> None:
    """Project councils from past published years to later ones and check the bands against what happened."""
    from careflow.files import write_outputs
    from careflow.services.backtest import run_backtest

    run = run_backtest(data, runs=runs, seed=seed)
    written = write_outputs(out_dir, run.files, force)
    if as_json:
        emit_json(run.result)
        return
    table = Table(title=f"Backtest — {runs:,} runs, random seed {seed}", title_justify="left")
    for i, heading in enumerate(run.headers):
        table.add_column(heading, justify="left" if i == 0 else "right", overflow="fold")
    for row in run.rows:
        table.add_row(*[str(v) for v in row])
    out.print(table)
    for path in written:
        out.print(f"Wrote {path}")


def register(app: typer.Typer) -> None:
    """Add the projection commands to the root command."""
    app.command("project")(project_command)
    app.command("sweep")(sweep_command)
    app.command("backtest")(backtest_command)
