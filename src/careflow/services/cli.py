"""`careflow schema`: the JSON Schema of each result a command prints with --json."""

import typer
from rich.table import Table

from careflow.console import out, print_json


def schema_command(
    name: str | None = typer.Argument(None, help="A result name; leave out to list them with their commands"),
) -> None:
    """Print the JSON Schema of a --json result (e.g. `careflow schema opportunity`), or list every result."""
    from careflow.services.schemas import RESULTS, result_schema

    if name is not None:
        print_json(result_schema(name))
        return
    table = Table(title="Results with a published JSON Schema", title_justify="left")
    table.add_column("result")
    table.add_column("printed by")
    for result, (_, commands) in RESULTS.items():
        table.add_row(result, ", ".join(f"careflow {c} --json" for c in commands))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema_command)
