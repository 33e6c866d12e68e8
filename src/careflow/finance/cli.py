"""Commands for the finance area (`careflow finance ...`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from careflow.console import FORCE, out, print_json
from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from careflow.finance.tables import FinanceReport

app = typer.Typer(help="Budget monitoring, savings, reserves, capital and the medium-term gap.", no_args_is_help=True)


def _load_report(path: Path, period: int | None = None) -> FinanceReport:
    from careflow.finance.tables import build_report
    from careflow.finance.workbook import load

    pack = load(path)
    if period is not None and not any(p.period == period for p in pack.positions):
        raise InputError(
            [
                Problem(
                    str(path),
                    f"no positions recorded for period {period}",
                    "a period with a forecast for every line",
                    "positions",
                )
            ]
        )
    report = build_report(pack, period)
    if report.unmatched:
        where = str(path / "printed.csv") if path.is_dir() else str(path)
        raise InputError(
            [
                Problem(
                    where,
                    f"no computed figure '{p.measure}' for '{p.item}' in table '{p.table}'",
                    "a table, item and measure the report shows (see the README)",
                    "printed",
                    p.row,
                    "item",
                )
                for p in report.unmatched
            ]
        )
    return report


@app.command()
def template(
    out_file: Path = typer.Argument(..., metavar="OUT.xlsx", help="Where to write the workbook"),
    from_pack: Path | None = typer.Option(
        None, "--from", help="Fill it from an existing workbook or CSV folder (e.g. to turn CSVs into Excel)"
    ),
    force: bool = FORCE,
) -> None:
    """Write a blank finance workbook (one sheet per table, with column notes and instructions), or a filled copy."""
    from careflow.files import staged_file
    from careflow.finance.workbook import copy_to_workbook, write_template

    with staged_file(out_file, force) as tmp:
        if from_pack is None:
            write_template(tmp)
        else:
            copy_to_workbook(from_pack, tmp)
    out.print(f"Wrote the finance workbook to {out_file}")


@app.command()
def validate(
    input_path: Path = typer.Argument(..., metavar="FILE", help="A finance workbook (.xlsx) or a folder of CSV files"),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Check a finance workbook or CSV folder and report every problem with file, sheet, row and column."""
    from careflow.console import print_validation_json

    try:
        report = _load_report(input_path)
    except InputError as error:
        if not json_output:
            raise
        print_validation_json(error.problems)
        raise typer.Exit(2) from None
    if json_output:
        print_validation_json([], lines=len(report.pack.lines), flags=len(report.flags))
        return
    out.print(
        f"[green]{input_path} is valid[/green]: {len(report.pack.lines)} budget lines, {len(report.pack.savings)} savings rows, "
        f"{len(report.pack.printed)} printed figures checked, {len(report.flags)} differ from the computed figure."
    )


@app.command()
def report(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="A finance workbook (.xlsx) or a folder of CSV files"),
    out_dir: Path | None = typer.Option(None, "--out", help="Folder for the HTML, Word and Excel report"),
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
    from careflow.files import staged_directory
    from careflow.finance.report import format_value, report_json, write_report
    from careflow.report.word import load_style

    style = load_style(style_file)
    result = _load_report(input_path, period)
    written: list[Path] = []
    if out_dir is not None:
        with staged_directory(out_dir, force) as stage:
            written = [out_dir / p.name for p in write_report(result, stage, style=style)]
    if json_output:
        data = report_json(result)
        data["written"] = [str(p) for p in written]
        print_json(data)
        return
    summary = result.table("summary")
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
            if (summary.namespace, r.item, c.measure) in result.flags:
                text += " †"
            cells.append(text)
        table.add_row(r.label, *cells, style="bold" if r.style == "total" else None)
    out.print(table)
    if result.flags:
        out.print(f"† {len(result.flags)} computed figure(s) differ from the source as printed (listed in the report).")
    for p in written:
        out.print(f"Wrote {p}")
