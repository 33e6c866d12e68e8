"""Commands for the official statistics: `careflow import`, `careflow benchmark` and `careflow atlas`."""

import time
from pathlib import Path

import typer
from rich.markup import escape

from careflow.console import out

NEIGHBOURS_HELP = "ONS 'Local authority statistical nearest neighbours, England' workbook (2025)"
ASCOF_HELP = "NHS Digital ASCOF open data: care-home admissions from 2A(1)/2A(2) instead of an estimate"
TABLES_HELP = "NHS Digital's ASC-FR and SALT data tables workbook (e.g. 'ASCFR and SALT Data Tables 2021-22.xlsx')"


def import_command(
    tables: Path = typer.Option(..., "--tables", help=TABLES_HELP),
    council: str | None = typer.Option(None, "--council", help="ONS code (E10000020), CASSR code (607) or exact name"),
    all_councils: bool = typer.Option(False, "--all", help="Every council in the tables, plus a summary and a report"),
    clients: str = typer.Option("year-end", "--clients", help="Long-term clients counted at year-end or during-year"),
    ascof: Path | None = typer.Option(None, "--ascof", help=ASCOF_HELP),
    population: Path | None = typer.Option(
        None, "--population", help="ONS mid-year estimates CSV: split 65+ into 65–74/75–84/85+ by the council's shares"
    ),
    neighbours: Path | None = typer.Option(
        None, "--neighbours", help=NEIGHBOURS_HELP + ": with --all, flag councils far above their neighbours"
    ),
    out_dir: Path = typer.Option(..., "--out", help="Folder for the baselines (and, with --all, summary and report)"),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist in --out"),
) -> None:
    """Build careflow baselines from the published ASC-FR and SALT tables, each figure quoted from its cell."""
    from careflow.files import refuse_existing_outputs, usable_folder, write_outputs
    from careflow.services import import_baselines, import_files

    started = time.perf_counter()
    made = import_baselines(tables, council, all_councils, clients, ascof, population)
    refuse_existing_outputs(out_dir, made.file_names, force)
    usable_folder(out_dir)  # before the workbooks are rendered, not after
    write_outputs(out_dir, import_files(made, neighbours), force)
    out.print(
        f"Imported {len(made.result.imported)} council(s) from {tables.name} ({made.result.publication.year}, "
        f"clients {clients}); refused {len(made.result.refused)}. Wrote {len(made.file_names)} file(s) to {out_dir} "
        f"in {time.perf_counter() - started:.1f} s."
    )
    for refusal in made.result.refused:
        out.print(f"  refused: {escape(refusal.reason)}")


def benchmark_command(
    tables: Path = typer.Option(..., "--tables", help=TABLES_HELP),
    neighbours: Path = typer.Option(..., "--neighbours", help=NEIGHBOURS_HELP),
    council: str = typer.Option(..., "--council", help="ONS code, CASSR code or exact name"),
    ascof: Path | None = typer.Option(None, "--ascof", help=ASCOF_HELP),
    clients: str = typer.Option("year-end", "--clients", help="Long-term clients counted at year-end or during-year"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table"),
) -> None:
    """Where a council sits among its 15 ONS nearest neighbours and in England: rates, unit costs, opportunity."""
    from rich.table import Table

    from careflow.console import emit_json
    from careflow.services import benchmark_among_peers

    found = benchmark_among_peers(tables, neighbours, council, ascof, clients)
    if as_json:
        emit_json(found)
        return
    title = (
        f"{found.council.name} ({found.council.code}) among its {len(found.peers)} ONS nearest neighbours, {found.year}"
    )
    table = Table(title=title, title_justify="left")
    for heading, justify in (
        ("Measure", "left"),
        ("Value", "right"),
        ("Peer median", "right"),
        ("Rank in peers", "right"),
        ("Quartile", "right"),
        ("England median", "right"),
        ("Rank in England", "right"),
        ("Quartile", "right"),
    ):
        table.add_column(heading, justify=justify, no_wrap=heading != "Measure")  # type: ignore[arg-type]

    def fmt(value: float | None, unit: str) -> str:
        if value is None:
            return "—"
        return f"£{value:,.0f}" if unit.startswith("£") else f"{value:,.1f}" if unit == "%" else f"{value:,.0f}"

    for p in found.measures.values():
        table.add_row(
            p.label,
            fmt(p.value, p.unit),
            fmt(p.peer_median, p.unit),
            f"{p.peer_rank} of {p.peer_count}" if p.peer_rank else "—",
            f"Q{p.peer_quartile}" if p.peer_quartile else "—",
            fmt(p.england_median, p.unit),
            f"{p.england_rank} of {p.england_count}" if p.england_rank else "—",
            f"Q{p.england_quartile}" if p.england_quartile else "—",
        )
    out.print(table)
    out.print("Peers: " + ", ".join(f"{p.name} ({p.code})" for p in found.peers))
    if found.peers_not_comparable:
        out.print(
            f"Not comparable ({len(found.peers_not_comparable)}): {', '.join(found.peers_not_comparable)} — in ONS's "
            f"2024 boundaries but not a row of the {found.year} tables (new councils since, or no return)."
        )
    out.print("Rank 1 is the highest value; Q1 the top quarter. " + found.note, style="dim")


def atlas_command(
    tables: Path = typer.Option(..., "--tables", help=TABLES_HELP),
    boundaries: Path = typer.Option(
        ..., "--boundaries", help="ONS Counties and Unitary Authorities boundaries (GeoJSON, British National Grid)"
    ),
    clients: str = typer.Option("year-end", "--clients", help="Long-term clients counted at year-end or during-year"),
    ascof: Path | None = typer.Option(None, "--ascof", help=ASCOF_HELP),
    out_dir: Path = typer.Option(..., "--out", help="Folder for atlas.html, atlas.csv and atlas.xlsx"),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist in --out"),
) -> None:
    """An offline HTML atlas of every council's opportunity: map, distribution, sortable table, plus CSV/XLSX."""
    from careflow.files import refuse_existing_outputs, write_outputs
    from careflow.services import ATLAS_FILES, atlas_files

    refuse_existing_outputs(out_dir, ATLAS_FILES, force)  # before the ten-second import
    started = time.perf_counter()
    made = atlas_files(tables, boundaries, ascof, clients)
    write_outputs(out_dir, made.files, force)
    out.print(
        f"Wrote the atlas of {made.councils} councils to {out_dir} in {time.perf_counter() - started:.1f} s "
        f"({', '.join(ATLAS_FILES)})."
    )


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("benchmark")(benchmark_command)
    app.command("atlas")(atlas_command)
