"""Commands for the official statistics: `careflow import`, `careflow benchmark` and `careflow atlas`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from careflow.console import out
from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from careflow.baseline.schema import Baseline
    from careflow.imports.build import ClientBasis

NEIGHBOURS_HELP = "ONS 'Local authority statistical nearest neighbours, England' workbook (2025)"
ASCOF_HELP = "NHS Digital ASCOF open data: care-home admissions from 2A(1)/2A(2) instead of an estimate"
TABLES_HELP = "NHS Digital's ASC-FR and SALT data tables workbook (e.g. 'ASCFR and SALT Data Tables 2021-22.xlsx')"


def _refuse_existing(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise InputError(
            [
                Problem(str(p), "a file that already exists", "a new file name, or --force to replace it")
                for p in existing[:10]
            ]
        )


def _basis(clients: str) -> ClientBasis:
    if clients == "year-end":
        return "year-end"
    if clients == "during-year":
        return "during-year"
    raise InputError([Problem("--clients", repr(clients), "year-end or during-year")])


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
    from careflow.files import staged_directory
    from careflow.imports import import_councils, workbook_name
    from careflow.imports.peers import NearestNeighbours
    from careflow.imports.report import council_lines, render_report, summary_rows, write_summary

    if (council is None) == (not all_councils):
        raise InputError([Problem("command line", "neither or both of --council and --all", "exactly one of them")])
    started = time.perf_counter()
    result = import_councils(
        tables,
        [council] if council else None,
        _basis(clients),
        include_england=all_councils,
        ascof=ascof,
        population=population,
    )
    imported = time.perf_counter() - started
    if council and result.refused:
        raise InputError([Problem(str(tables), result.refused[0].reason, "a council that submitted both returns")])
    names = {code: workbook_name(code, item.name) for code, item in result.imported.items()}
    if result.england is not None:
        names["E92000001"] = "E92000001-england.xlsx"
    extra = ["summary.csv", "summary.xlsx", "import-report.html"] if all_councils else []
    _refuse_existing([out_dir / n for n in [*names.values(), *extra]], force)
    with staged_directory(out_dir, force) as stage:
        items = list(result.imported.values()) + ([result.england] if result.england else [])
        _write_baselines([(stage / names[item.code], item.baseline) for item in items])
        written = time.perf_counter() - started - imported
        if all_councils:
            t0 = time.perf_counter()
            lines = council_lines(result, NearestNeighbours(neighbours) if neighbours else None)
            opportunity = time.perf_counter() - t0
            write_summary(stage, summary_rows(result, lines))
            timings = {
                "Reading and building every baseline": imported,
                "Writing the baseline workbooks": written,
                "Reviews and opportunity for every council": opportunity,
            }
            (stage / "import-report.html").write_text(render_report(result, lines, timings), encoding="utf-8")
    out.print(
        f"Imported {len(result.imported)} council(s) from {tables.name} ({result.publication.year}, clients "
        f"{clients}); refused {len(result.refused)}. Wrote {len(names) + len(extra)} file(s) to {out_dir} "
        f"in {time.perf_counter() - started:.1f} s."
    )
    for refusal in result.refused:
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
    from careflow.services.imports import benchmark_among_peers

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
    from careflow.files import staged_directory
    from careflow.imports.atlas import TABLE_COLUMNS, atlas_rows, read_boundaries, render_atlas, table_values
    from careflow.imports.report import write_table
    from careflow.services.national import national_import

    names = ["atlas.html", "atlas.csv", "atlas.xlsx"]
    _refuse_existing([out_dir / n for n in names], force)
    shapes = read_boundaries(boundaries)
    started = time.perf_counter()
    made, _ = national_import(tables, ascof, _basis(clients))
    result, lines = made.result, made.lines
    with staged_directory(out_dir, force) as stage:
        (stage / "atlas.html").write_text(render_atlas(result, lines, shapes), encoding="utf-8")
        write_table(stage / "atlas", TABLE_COLUMNS, table_values(atlas_rows(lines)))
    out.print(
        f"Wrote the atlas of {len(result.imported)} councils to {out_dir} in {time.perf_counter() - started:.1f} s "
        f"({', '.join(names)})."
    )


def _write_one(job: tuple[Path, Baseline]) -> None:
    from careflow.baseline.io import write_baseline_workbook

    write_baseline_workbook(*job)


def _write_baselines(jobs: list[tuple[Path, Baseline]]) -> None:
    """Write the workbooks, on every core when there are many (saving with openpyxl is most of the time)."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < 8 or workers < 2:
        for job in jobs:
            _write_one(job)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_write_one, jobs, chunksize=8))


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("benchmark")(benchmark_command)
    app.command("atlas")(atlas_command)
