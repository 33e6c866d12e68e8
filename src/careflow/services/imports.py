"""Use cases on the published returns: councils' baselines built from them, and where a council sits among its
ONS nearest neighbours and in England."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from careflow.errors import InputError, Problem
from careflow.imports.peers import Ranking

if TYPE_CHECKING:
    from careflow.baseline.schema import Baseline
    from careflow.imports import ImportResult
    from careflow.imports.build import ClientBasis

IMPORT_REPORT_FILES = ("summary.csv", "summary.xlsx", "import-report.html")  # what an import of every council adds


def client_basis(clients: str) -> ClientBasis:
    """The --clients option: long-term clients counted at year-end or during the year."""
    if clients == "year-end":
        return "year-end"
    if clients == "during-year":
        return "during-year"
    raise InputError([Problem("--clients", repr(clients), "year-end or during-year")])


@dataclass
class BaselineImport:
    """The councils asked for, imported from one publication, and the file each baseline is written to."""

    result: ImportResult
    every_council: bool  # England too, and a summary and a report beside the baselines
    workbook_names: dict[str, str]  # ONS code → the baseline workbook's file name
    seconds: float  # reading the tables and building every baseline

    @property
    def file_names(self) -> list[str]:
        return [*self.workbook_names.values(), *(IMPORT_REPORT_FILES if self.every_council else ())]


def import_baselines(
    tables: Path,
    council: str | None,
    every_council: bool,
    clients: str = "year-end",
    ascof: Path | None = None,
    population: Path | None = None,
) -> BaselineImport:
    """One council (ONS code, CASSR code or exact name) or every council from the ASC-FR and SALT tables; a council
    that did not submit both returns is refused when asked for by name, listed as refused otherwise."""
    from careflow.imports import import_councils, workbook_name

    if (council is None) == (not every_council):
        raise InputError([Problem("command line", "neither or both of --council and --all", "exactly one of them")])
    basis = client_basis(clients)
    started = time.perf_counter()
    result = import_councils(
        tables, [council] if council else None, basis, include_england=every_council, ascof=ascof, population=population
    )
    if council and result.refused:
        raise InputError([Problem(str(tables), result.refused[0].reason, "a council that submitted both returns")])
    names = {code: workbook_name(code, item.name) for code, item in result.imported.items()}
    if result.england is not None:
        names["E92000001"] = "E92000001-england.xlsx"
    return BaselineImport(result, every_council, names, time.perf_counter() - started)


def import_files(made: BaselineImport, neighbours: Path | None = None) -> dict[str, bytes]:
    """{file name: bytes}: every baseline as a workbook and, for every council, the summary (CSV and XLSX) and the
    HTML report; `neighbours` (ONS's workbook) flags councils far above their neighbours in the summary."""
    from careflow.imports.peers import NearestNeighbours
    from careflow.imports.report import council_lines, render_report, summary_files, summary_rows

    started = time.perf_counter()
    result = made.result
    items = [*result.imported.values(), *([result.england] if result.england else [])]
    workbooks = _workbooks([item.baseline for item in items])
    files = {made.workbook_names[item.code]: data for item, data in zip(items, workbooks, strict=True)}
    if made.every_council:
        rendered = time.perf_counter() - started
        started = time.perf_counter()
        lines = council_lines(result, NearestNeighbours(neighbours) if neighbours else None)
        timings = {
            "Reading and building every baseline": made.seconds,
            "Writing the baseline workbooks": rendered,
            "Reviews and opportunity for every council": time.perf_counter() - started,
        }
        files |= summary_files(summary_rows(result, lines))
        files["import-report.html"] = render_report(result, lines, timings).encode("utf-8")
    return files


def _workbooks(baselines: list[Baseline]) -> list[bytes]:
    """Each baseline as workbook bytes, on every core when there are many (saving with openpyxl is most of the time)."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    from careflow.services.baseline import baseline_workbook

    workers = min(os.cpu_count() or 1, 8)
    if len(baselines) < 8 or workers < 2:
        return [baseline_workbook(baseline) for baseline in baselines]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(baseline_workbook, baselines, chunksize=8))


class CouncilRef(BaseModel):
    code: str
    name: str


class MeasurePosition(BaseModel):
    """One measure for the council: its value, rank (1 = highest) and quartile among its peers and in England."""

    label: str
    unit: str
    value: float | None
    peer_rank: int | None
    peer_count: int
    peer_quartile: int | None
    peer_median: float | None
    england_rank: int | None
    england_count: int
    england_quartile: int | None
    england_median: float | None

    @classmethod
    def of(cls, label: str, unit: str, ranking: Ranking) -> MeasurePosition:
        return cls.model_validate({"label": label, "unit": unit, **asdict(ranking)})


class PeerBenchmark(BaseModel):
    """A council among its 15 ONS nearest neighbours and all councils in one year's published tables."""

    council: CouncilRef
    year: str
    councils: int  # councils in the tables with both returns
    peers: list[CouncilRef]
    peers_not_comparable: list[str]
    measures: dict[str, MeasurePosition]
    note: str


def benchmark_among_peers(
    tables: Path, neighbours: Path, council: str, ascof: Path | None = None, clients: str = "year-end"
) -> PeerBenchmark:
    """Import every council from the ASC-FR/SALT tables and place `council` among its ONS nearest neighbours."""
    from careflow.imports import import_councils, resolve_council
    from careflow.imports.peers import PEER_COUNT, NearestNeighbours, measures, position
    from careflow.imports.report import council_lines
    from careflow.imports.tables import Publication

    basis = client_basis(clients)
    pub = Publication(tables)
    code = resolve_council(pub, council)
    ons = NearestNeighbours(neighbours)
    result = import_councils(pub, None, basis, include_england=False, ascof=ascof)
    if code not in result.imported:
        reason = next((r.reason for r in result.refused if r.code == code), "not imported")
        raise InputError([Problem(str(tables), reason, "a council that submitted both returns")])
    peers = ons.neighbours(code, PEER_COUNT, set(result.imported))
    return PeerBenchmark(
        council=CouncilRef(code=code, name=result.imported[code].name),
        year=str(pub.year),
        councils=len(result.imported),
        peers=[CouncilRef(code=p, name=result.imported[p].name) for p in peers],
        peers_not_comparable=[c for c in ons.neighbours(code, PEER_COUNT) if c not in result.imported],
        measures={
            m.key: MeasurePosition.of(m.label, m.unit, position(m, code, peers))
            for m in measures(result, council_lines(result))
        },
        note=f"All money is {pub.year} cash from one publication; comparing it with another year's cash needs an "
        "inflation adjustment (NHS Digital's Table 4 gives real terms).",
    )
