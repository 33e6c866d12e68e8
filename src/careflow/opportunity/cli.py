"""Commands for the opportunity model: `careflow opportunity`, `careflow report`, `careflow scenario-schema`."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from careflow.console import FORCE, emit_json, out, print_json
from careflow.files import usable_folder

if TYPE_CHECKING:
    from careflow.opportunity import OpportunityResult

BASELINE_HELP = "demo, england-2019-20, england-2021-22 (from the published tables), or a baseline workbook (.xlsx), CSV folder or YAML file"
SCENARIO_HELP = "YAML scenario overriding lever effects or parameters"


def _print_opportunity(result: "OpportunityResult") -> None:
    from careflow.console import gbp_m as m
    from careflow.opportunity import LEVER
    from careflow.opportunity.model import CAVEAT, evidence_warnings, switched_off_lines

    title = f"Optimised delivery opportunity — {result.baseline} {result.financial_year}"
    table = Table(title=title, title_justify="left")
    # Lever ids and figures never break mid-word: the cohort column takes up the slack, wrapping at spaces.
    table.add_column(
        "Lever", no_wrap=True, min_width=max(len(lever.id) for lever in result.levers) if result.levers else 8
    )
    table.add_column("Cohort", ratio=1, min_width=8)
    for heading, width in (("People", 6), ("Central £m", 7), ("Low–high £m", 11), ("Net of added cost £m", 7)):
        table.add_column(heading, justify="right", min_width=width)  # headings wrap at spaces; figures fit
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
    for line in switched_off_lines(result):
        out.print(line, style="yellow", markup=False)
    if result.synthetic:
        out.print("[yellow]Synthetic council: for demonstration only.[/yellow]")
    for warning in evidence_warnings(result):
        out.print(f"[yellow]Small sample — {warning}[/yellow]")
    out.print(CAVEAT, style="dim")


def opportunity(
    baseline: str = typer.Option("demo", "--baseline", help=BASELINE_HELP),
    scenario: Path | None = typer.Option(None, "--scenario", help=SCENARIO_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table"),
) -> None:
    """The six key service outcomes for a council: people affected and net £ a year, with ranges."""
    from careflow.services import evaluate_opportunity

    result = evaluate_opportunity(baseline, scenario)
    if as_json:
        emit_json(result)
    else:
        _print_opportunity(result)


def report(
    baseline: str = typer.Option("demo", "--baseline", help=BASELINE_HELP),
    scenario: Path | None = typer.Option(None, "--scenario", help=SCENARIO_HELP),
    out_dir: Path = typer.Option(
        Path("out"), "--out", help="Folder for the HTML and Excel reports", callback=usable_folder
    ),
    force: bool = FORCE,
) -> None:
    """Write the opportunity report (self-contained HTML and Excel) and print a summary."""
    from careflow.files import write_outputs
    from careflow.services import opportunity_report

    made = opportunity_report(baseline, scenario)
    paths = write_outputs(out_dir, {f.name: f.data for f in made.files}, force)
    _print_opportunity(made.opportunity)
    for path in paths:
        out.print(f"Wrote {path}")


def scenario_schema() -> None:
    """Print the JSON Schema of scenario documents, for editors and for checking files in other tools."""
    from careflow.services import scenario_schema as schema

    print_json(schema())


def register(app: typer.Typer) -> None:
    """Add the opportunity commands to the root command."""
    app.command("opportunity")(opportunity)
    app.command("report")(report)
    app.command("scenario-schema")(scenario_schema)
