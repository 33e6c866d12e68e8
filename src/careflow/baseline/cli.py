"""Commands for baselines: the blank workbook (`careflow template`) and checking one (`careflow validate`)."""

from pathlib import Path

import typer
from rich.table import Table

from careflow.console import FORCE, emit_json, out, print_warnings
from careflow.errors import InputError


def template(
    path: Path = typer.Argument(..., help="Where to write the blank baseline workbook (.xlsx)"), force: bool = FORCE
) -> None:
    """Write a blank baseline workbook: an instructions sheet and one sheet per table, every column described."""
    from careflow.files import refuse_existing, write_output
    from careflow.services import baseline_template

    refuse_existing(path, force)
    write_output(path, baseline_template(path.name), force)
    out.print(f"Wrote {path}")


def validate(
    path: Path = typer.Argument(..., help="Baseline workbook (.xlsx), CSV folder or YAML file"),
    as_json: bool = typer.Option(False, "--json", help="Print the located problems and warnings as JSON"),
) -> None:
    """Check a baseline: every problem (file, sheet, row, column) in one run, then figures unlike England's."""
    from careflow.services import BaselineCheck, check_baseline

    try:
        checked = check_baseline(path)
    except InputError as error:
        if not as_json:
            raise
        emit_json(BaselineCheck.failed(error.problems))
        raise typer.Exit(2) from None
    if as_json:
        emit_json(checked)
        return
    table = Table(title=f"{checked.council} {checked.financial_year}: no problems found", title_justify="left")
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    for row in checked.measures:
        table.add_row(row.measure, row.value)
    out.print(table)
    print_warnings(checked.warnings)


def register(app: typer.Typer) -> None:
    """Add the baseline commands to the root command."""
    app.command("template")(template)
    app.command("validate")(validate)
