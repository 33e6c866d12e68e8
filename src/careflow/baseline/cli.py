"""Commands for baselines and the opportunity model: template, validate, opportunity, report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from careflow.console import FORCE, out, print_json
from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from careflow.baseline.schema import Baseline
    from careflow.opportunity import OpportunityResult

BASELINE_HELP = "demo, england-2019-20, england-2021-22 (from the published tables), or a baseline workbook (.xlsx), CSV folder or YAML file"


def _load(baseline: str, scenario: Path | None) -> tuple[Baseline, OpportunityResult]:
    from careflow.baseline.io import load_baseline
    from careflow.opportunity import evaluate
    from careflow.scenario import load_scenario

    loaded = load_baseline(baseline)
    chosen = load_scenario(scenario) if scenario else None
    return loaded, evaluate(loaded, chosen, str(scenario) if scenario else "scenario")


def _print_opportunity(result: OpportunityResult) -> None:
    from careflow.console import gbp_m as m
    from careflow.opportunity import LEVER
    from careflow.opportunity.model import CAVEAT

    title = f"Optimised delivery opportunity — {result.baseline} {result.financial_year}"
    table = Table(title=title, title_justify="left")
    for heading, justify in (
        ("Lever", "left"),
        ("Cohort", "left"),
        ("People", "right"),
        ("Central £m", "right"),
        ("Low–high £m", "right"),
        ("Net of added cost £m", "right"),
    ):
        table.add_column(heading, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for lever in result.levers:
        table.add_row(
            lever.id,
            LEVER[lever.id].short_cohort,
            f"{lever.people_affected:,.0f}",
            m(lever.net_benefit_gbp),
            f"{m(lever.low_gbp)}–{m(lever.high_gbp)}",
            m(lever.net_of_added_cost_gbp),
        )
    table.add_row("overlap removed", "", "", f"({m(result.overlap_removed_gbp)})", "", "", style="dim")
    table.add_row(
        "total",
        "",
        "",
        m(result.total_net_benefit_gbp),
        f"{m(result.total_low_gbp)}–{m(result.total_high_gbp)}",
        m(result.total_net_of_added_cost_gbp),
        style="bold",
    )
    out.print(table)
    if result.synthetic:
        out.print("[yellow]Synthetic council: for demonstration only.[/yellow]")
    out.print(CAVEAT, style="dim")


def opportunity_json(result: OpportunityResult) -> dict[str, Any]:
    return {
        "baseline": result.baseline,
        "financial_year": result.financial_year,
        "synthetic": result.synthetic,
        "scenario": result.scenario,
        "levers": [
            {
                "id": lever.id,
                "name": lever.name,
                "cohort": lever.cohort,
                "people_affected": lever.people_affected,
                "gross_benefit_gbp": lever.gross_benefit_gbp,
                "overlap_removed_gbp": lever.overlap_removed_gbp,
                "net_benefit_gbp": lever.net_benefit_gbp,
                "added_cost_gbp": lever.added_cost_gbp,
                "net_of_added_cost_gbp": lever.net_of_added_cost_gbp,
                "low_gbp": lever.low_gbp,
                "high_gbp": lever.high_gbp,
                "inputs": {
                    name: {"value": value.value, "unit": value.unit, "provenance": value.provenance.model_dump()}
                    for name, value in lever.inputs.items()
                },
            }
            for lever in result.levers
        ],
        "overlap_removed_gbp": result.overlap_removed_gbp,
        "total_net_benefit_gbp": result.total_net_benefit_gbp,
        "total_added_cost_gbp": result.total_added_cost_gbp,
        "total_net_of_added_cost_gbp": result.total_net_of_added_cost_gbp,
        "total_low_gbp": result.total_low_gbp,
        "total_high_gbp": result.total_high_gbp,
    }


def template(
    path: Path = typer.Argument(..., help="Where to write the blank baseline workbook (.xlsx)"), force: bool = FORCE
) -> None:
    """Write a blank baseline workbook: an instructions sheet and one sheet per table, every column described."""
    from careflow.baseline.io import write_baseline_workbook
    from careflow.files import staged_file

    if path.suffix.lower() != ".xlsx":
        raise InputError([Problem(str(path), f"a file name ending '{path.suffix}'", "a name ending .xlsx")])
    with staged_file(path, force) as stage:
        write_baseline_workbook(stage)
    out.print(f"Wrote {path}")


def validate(
    path: Path = typer.Argument(..., help="Baseline workbook (.xlsx), CSV folder or YAML file"),
    as_json: bool = typer.Option(False, "--json", help="Print the located problems and warnings as JSON"),
) -> None:
    """Check a baseline: every problem (file, sheet, row, column) in one run, then figures unlike England's."""
    from careflow.baseline.io import read_baseline_file
    from careflow.baseline.plausibility import plausibility_warnings
    from careflow.console import print_validation_json, print_warnings
    from careflow.opportunity.report import baseline_glance

    try:
        baseline = read_baseline_file(path)
    except InputError as error:
        if not as_json:
            raise
        print_validation_json(error.problems)
        raise typer.Exit(2) from None
    warnings = plausibility_warnings(baseline, str(path))
    if as_json:
        print_validation_json(
            [], warnings, council=baseline.council.name, financial_year=baseline.council.financial_year
        )
        return
    table = Table(
        title=f"{baseline.council.name} {baseline.council.financial_year}: no problems found", title_justify="left"
    )
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    for row in baseline_glance(baseline):
        table.add_row(*row)
    out.print(table)
    print_warnings(warnings)


def opportunity(
    baseline: str = typer.Option("demo", "--baseline", help=BASELINE_HELP),
    scenario: Path | None = typer.Option(
        None, "--scenario", help="YAML scenario overriding lever effects or parameters"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table"),
) -> None:
    """The six key service outcomes for a council: people affected and net £ a year, with ranges."""
    _, result = _load(baseline, scenario)
    if as_json:
        print_json(opportunity_json(result))
    else:
        _print_opportunity(result)


def report(
    baseline: str = typer.Option("demo", "--baseline", help=BASELINE_HELP),
    scenario: Path | None = typer.Option(
        None, "--scenario", help="YAML scenario overriding lever effects or parameters"
    ),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Folder for the HTML and Excel reports"),
    force: bool = FORCE,
) -> None:
    """Write the opportunity report (self-contained HTML and Excel) and print a summary."""
    from careflow.opportunity.report import write_report

    loaded, result = _load(baseline, scenario)
    paths = write_report(out_dir, result, loaded, force=force)
    _print_opportunity(result)
    for path in paths:
        out.print(f"Wrote {path}")


def scenario_schema() -> None:
    """Print the JSON Schema of scenario documents, for editors and for checking files in other tools."""
    from careflow.scenario import Scenario

    print_json(Scenario.model_json_schema())


def register(app: typer.Typer) -> None:
    """Add the baseline and opportunity commands to the root command."""
    app.command("template")(template)
    app.command("validate")(validate)
    app.command("opportunity")(opportunity)
    app.command("report")(report)
    app.command("scenario-schema")(scenario_schema)
