"""Commands for baselines: the blank workbook (`careflow template`) and checking one (`careflow validate`)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from careflow.console import emit_json, out


def template(path: Path = typer.Argument(..., help="Where to write the blank baseline workbook (.xlsx)")) -> None:
    """Write a blank baseline workbook: an instructions sheet and one sheet per table, every column described."""
    from careflow.files import write_output
    from careflow.services import baseline_template

    write_output(path, baseline_template(path.name))
    out.print(f"Wrote {path}")


def validate(
    path: Path = typer.Argument(..., help="Baseline workbook (.xlsx), CSV folder or YAML file"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table"),
) -> None:
    """Check a baseline and list every problem (file, sheet, row, column); exit non-zero if there are any."""
    from careflow.services import check_baseline

    checked = check_baseline(path)
    if as_json:
        emit_json(checked)
        return
    table = Table(title=f"{checked.council} {checked.financial_year}: no problems found", title_justify="left")
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    for row in checked.measures:
        table.add_row(row.measure, row.value)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the baseline commands to the root command."""
    app.command("template")(template)
    app.command("validate")(validate)
