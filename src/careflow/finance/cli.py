"""Commands for the finance area (`careflow finance ...`)."""

from pathlib import Path

import typer
from rich.table import Table

from careflow.console import FORCE, emit_json, out
from careflow.errors import InputError
from careflow.files import usable_folder

app = typer.Typer(help="Budget monitoring, savings, reserves, capital and the medium-term gap.", no_args_is_help=True)


@app.command()
def template(
    out_file: Path = typer.Argument(..., metavar="OUT.xlsx", help="Where to write the workbook"),
    from_pack: Path | None = typer.Option(
        None, "--from", help="Fill it from an existing workbook or CSV folder (e.g. to turn CSVs into Excel)"
    ),
    force: bool = FORCE,
) -> None:
    """Write a blank finance workbook (one sheet per table, with column notes and instructions), or a filled copy."""
    from careflow.files import refuse_existing, write_output
    from careflow.services import finance_template

    refuse_existing(out_file, force)  # before the pack is read
    write_output(out_file, finance_template(from_pack), force)
    out.print(f"Wrote the finance workbook to {out_file}")


@app.command("roll-forward")
def roll_forward(
    pack: Path = typer.Argument(..., metavar="PACK", help="A checked finance workbook (.xlsx) or CSV folder"),
    to_period: int = typer.Option(..., "--to-period", help="The period to roll the pack forward to (1–12)"),
    out_file: Path = typer.Option(..., "--out", help="Where to write the rolled workbook (.xlsx)"),
    force: bool = FORCE,
) -> None:
    """Start next period's pack from this one: same lines, savings and tables; forecasts carried to the new period."""
    from careflow.files import write_output
    from careflow.services import RollForward, roll_forward_pack

    write_output(out_file, roll_forward_pack(pack, RollForward(to_period=to_period)), force)
    out.print(f"Wrote the period {to_period} workbook to {out_file}: update each line's forecast, then report it.")


@app.command("import-ledger")
def import_ledger(
    pack: Path = typer.Argument(..., metavar="PACK", help="A checked finance workbook (.xlsx) or CSV folder"),
    ledger: Path = typer.Argument(
        ..., metavar="LEDGER.csv", help="Ledger export: cost_centre, period, budget, actual, forecast"
    ),
    out_file: Path = typer.Option(..., "--out", help="Where to write the updated workbook (.xlsx)"),
    force: bool = FORCE,
) -> None:
    """Take budgets and forecasts for the budget lines from a ledger export (one row per cost centre and period)."""
    from careflow.files import rendered_bytes, write_output
    from careflow.finance.workbook import import_ledger as take
    from careflow.finance.workbook import write_pack_rows

    rows = take(pack, ledger)
    write_output(out_file, rendered_bytes(lambda path: write_pack_rows(path, rows), ".xlsx"), force)
    out.print(f"Wrote {out_file} with the ledger's budgets and forecasts.")


@app.command()
def validate(
    input_path: Path = typer.Argument(..., metavar="FILE", help="A finance workbook (.xlsx) or a folder of CSV files"),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Check a finance workbook or CSV folder and report every problem with file, sheet, row and column."""
    from careflow.services import FinanceCheck, check_finance

    try:
        checked = check_finance(input_path)
    except InputError as error:
        if not json_output:
            raise
        emit_json(FinanceCheck.failed(error.problems))
        raise typer.Exit(2) from None
    if json_output:
        emit_json(checked)
        return
    out.print(
        f"[green]{input_path} is valid[/green]: {checked.lines} budget lines, {checked.savings} savings rows, "
        f"{checked.printed} printed figures checked, {checked.flags} differ from the computed figure."
    )


@app.command()
def report(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="A finance workbook (.xlsx) or a folder of CSV files"),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Folder for the HTML, Word and Excel report", callback=usable_folder
    ),
    period: int | None = typer.Option(
        None, "--period", min=1, max=12, help="Report this period instead of the settings' one"
    ),
    json_output: bool = typer.Option(False, "--json", help="Print every table as one JSON object"),
    style_file: Path | None = typer.Option(
        None,
        "--style",
        help="House style for the Word paper (YAML: council, logo, primary_colour, accent_colour, font)",
    ),
    force: bool = FORCE,
) -> None:
    """Produce the committee report (HTML, .docx, .xlsx) and print the summary; --json prints every table."""
    from careflow.files import write_outputs
    from careflow.finance.report import format_value
    from careflow.services import finance_report

    made = finance_report(input_path, period, render=out_dir is not None, style=style_file)
    written = write_outputs(out_dir, {f.name: f.data for f in made.files}, force) if out_dir is not None else []
    result = made.report
    result.written = [str(p) for p in written]
    if json_output:
        emit_json(result)
        return
    summary = result.table("summary")
    flagged = {(f.table, f.item, f.measure) for f in result.flags}
    table = Table(title=summary.title)
    table.add_column(summary.label_heading)
    # the terminal shows this year's columns; last year's are in the report
    shown = [c for c in summary.columns if not c.measure.startswith("prior_year")]
    for c in shown:
        table.add_column(c.heading, justify="right")
    for r in summary.rows:
        cells = []
        for c in shown:
            text = format_value(r.values.get(c.measure), c.kind)
            if (summary.namespace, r.item, c.measure) in flagged:
                text += " †"
            cells.append(text)
        table.add_row(r.label, *cells, style="bold" if r.style == "total" else None)
    out.print(table)
    if result.flags:
        out.print(f"† {len(result.flags)} computed figure(s) differ from the source as printed (listed in the report).")
    for p in written:
        out.print(f"Wrote {p}")
