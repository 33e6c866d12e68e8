"""The national view: every council imported from NHS Digital's 2021-22 tables, its atlas and each council's baseline.

Importing the whole tables workbook takes about ten seconds, so the parsed import (every council's baseline,
review and opportunity) is kept per process, keyed by the SHA-256 of the files it was read from: a second page
view is fast, and a changed file is read again. The files come from the folder of published statistics
(`$CAREFLOW_PUBLIC_DATA`, else `../shared/data/public`); careflow never ships them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from careflow.imports import ImportResult
    from careflow.imports.peers import NearestNeighbours
    from careflow.imports.report import CouncilLine

BOUNDARIES = "ons-counties-unitary-authorities-dec-2023-buc.geojson"
NEIGHBOURS = "ons-statistical-nearest-neighbours-2025.xlsx"
SORT_KEYS = ("name", "code", "net", "total", "share", "flags")
SortKey = Literal["name", "code", "net", "total", "share", "flags"]


@dataclass(frozen=True)
class NationalFiles:
    """The published files the national pages read; optional ones are None when absent."""

    tables: Path
    ascof: Path | None
    boundaries: Path | None
    neighbours: Path | None


def national_files() -> NationalFiles:
    """The published files, or an InputError saying plainly which one is missing and where to put it."""
    from careflow.imports.england import ASCOF_2020_21, tables_2021_22

    tables = tables_2021_22()  # raises with the download address when the tables are absent
    folder = tables.parent

    def optional(name: str) -> Path | None:
        return folder / name if (folder / name).exists() else None

    return NationalFiles(tables, optional(ASCOF_2020_21), optional(BOUNDARIES), optional(NEIGHBOURS))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class NationalImport:
    """Every council of one publication, imported and reviewed, with the opportunity of each."""

    result: ImportResult
    lines: list[CouncilLine]
    seconds: float  # how long the import took when it was made


_CACHE: dict[tuple[str, str, str], NationalImport] = {}
_CACHE_LOCK = threading.Lock()  # one import at a time: two first page views must not both spend ten seconds
_CACHE_SIZE = 2


def national_import(tables: Path, ascof: Path | None = None, clients: str = "year-end") -> tuple[NationalImport, bool]:
    """(the import of every council, whether it came from this process's cache), keyed by the files' content."""
    from careflow.imports import import_councils
    from careflow.imports.report import council_lines

    if clients not in ("year-end", "during-year"):
        raise InputError([Problem("clients", repr(clients), "year-end or during-year")])
    # the same messages as the readers give, before hashing a file that is not there
    expected = {
        tables: "the ASC-FR and SALT data tables workbook (.xlsx)",
        ascof: "NHS Digital's ASCOF open data (.xlsx)",
    }
    missing = [Problem(str(p), "no such file", what) for p, what in expected.items() if p and not Path(p).is_file()]
    if missing:
        raise InputError(missing)
    key = (file_sha256(tables), file_sha256(ascof) if ascof else "", clients)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key], True
        started = time.perf_counter()
        result = import_councils(tables, None, clients, include_england=False, ascof=ascof)  # type: ignore[arg-type]
        made = NationalImport(result, council_lines(result), time.perf_counter() - started)
        while len(_CACHE) >= _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = made
        return made, False


ATLAS_FILES = ("atlas.html", "atlas.csv", "atlas.xlsx")


@dataclass
class AtlasFiles:
    """`careflow atlas`'s outputs ({file name: bytes}, named as in ATLAS_FILES) and how many councils they show."""

    councils: int
    files: dict[str, bytes]


def atlas_files(tables: Path, boundaries: Path, ascof: Path | None = None, clients: str = "year-end") -> AtlasFiles:
    """Every council's opportunity as an offline HTML atlas (map, distribution, sortable table), the table also as
    CSV and XLSX; `boundaries` is ONS's GeoJSON of counties and unitary authorities."""
    from careflow.imports.atlas import TABLE_COLUMNS, atlas_rows, read_boundaries, render_atlas, table_values
    from careflow.imports.report import table_files
    from careflow.services.imports import client_basis

    shapes = read_boundaries(boundaries)
    made, _ = national_import(tables, ascof, client_basis(clients))
    files = {"atlas.html": render_atlas(made.result, made.lines, shapes).encode("utf-8")}
    files |= table_files("atlas", TABLE_COLUMNS, table_values(atlas_rows(made.lines)))
    return AtlasFiles(councils=len(made.result.imported), files=files)


class AtlasCouncil(BaseModel):
    code: str
    name: str
    net_spend_gbp: float
    levers: dict[str, float]  # lever id → net £ a year
    total_gbp: float
    share: float  # total as a fraction of net spend
    flags: int


class NationalAtlas(BaseModel):
    """Every imported council's opportunity, sorted as asked, with the map and distribution drawn as SVG."""

    year: str
    clients_basis: str
    councils: list[AtlasCouncil]
    refused: list[str]
    map_svg: str  # inline SVG, no script: "" when the boundaries file is absent
    histogram_svg: str
    unmapped: list[str]
    sort: SortKey
    descending: bool
    import_seconds: float
    cached: bool


def _sort_value(council: AtlasCouncil, key: SortKey) -> str | float:
    values: dict[str, str | float] = {
        "name": council.name,
        "code": council.code,
        "net": council.net_spend_gbp,
        "total": council.total_gbp,
        "share": council.share,
        "flags": float(council.flags),
    }
    return values[key]


def national_atlas(
    files: NationalFiles | None = None, sort: SortKey = "share", descending: bool = True
) -> NationalAtlas:
    """The atlas of every council in the 2021-22 tables, as `careflow atlas` draws it."""
    from careflow.imports.atlas import SUCCESSORS, atlas_rows, histogram_svg, map_svg, read_boundaries

    if sort not in SORT_KEYS:
        raise InputError([Problem("sort", repr(sort)[:40], "one of " + ", ".join(SORT_KEYS))])
    files = files or national_files()
    made, cached = national_import(files.tables, files.ascof)
    rows = atlas_rows(made.lines)
    councils = [
        AtlasCouncil(
            code=r.code,
            name=r.name,
            net_spend_gbp=r.net_gbp,
            levers=r.levers,
            total_gbp=r.total_gbp,
            share=r.pct,
            flags=r.flags,
        )
        for r in rows
    ]
    councils.sort(key=lambda c: _sort_value(c, sort), reverse=descending)
    drawn, unmapped = "", []
    if files.boundaries is not None:
        shapes = read_boundaries(files.boundaries)
        drawn = str(map_svg(shapes, rows))
        codes = {r.code for r in rows}
        mapped = codes | {c for old, new in SUCCESSORS.items() if old in codes for c in new}
        unmapped = sorted(name for code, (name, _) in shapes.items() if code not in mapped)
    return NationalAtlas(
        year=str(made.result.publication.year),
        clients_basis=str(made.result.clients_basis),
        councils=councils,
        refused=[r.name for r in made.result.refused],
        map_svg=drawn,
        histogram_svg=str(histogram_svg([r.pct for r in rows])),
        unmapped=unmapped,
        sort=sort,
        descending=descending,
        import_seconds=made.seconds,
        cached=cached,
    )


class ImportFlag(BaseModel):
    what: str
    detail: str


class OnsNeighbour(BaseModel):
    rank: int
    code: str
    name: str
    imported: bool  # in the same year's tables, so it has a page of its own


class ImportedCouncil(BaseModel):
    """One council's baseline as imported from the published tables, with what the import noticed."""

    code: str
    cassr: str
    name: str
    year: str
    clients_basis: str
    baseline: Baseline
    warnings: list[str]
    adjustments: list[str]
    flags: list[ImportFlag]
    checks_total: int
    checks_within: int
    levers: dict[str, float]
    total_gbp: float
    share: float
    neighbours: list[OnsNeighbour]
    file_name: str  # what the baseline workbook is called when `careflow import` writes it


@lru_cache(maxsize=2)
def _neighbours(path: Path, sha256: str) -> NearestNeighbours:
    """ONS's nearest neighbours workbook, read once per content (reading it takes seconds)."""
    from careflow.imports.peers import NearestNeighbours

    return NearestNeighbours(path)


def imported_council(code: str, files: NationalFiles | None = None) -> ImportedCouncil:
    """The baseline of the council with this ONS code, from the (cached) import of every council."""
    from careflow.imports import workbook_name
    from careflow.imports.peers import PEER_COUNT

    files = files or national_files()
    made, _ = national_import(files.tables, files.ascof)
    line = next((x for x in made.lines if x.item.code == code), None)
    if line is None:
        # the code is not repeated back: it may be anything a visitor typed into the address bar
        raise InputError([Problem(files.tables.name, "no imported council with that ONS code", "a code in Table 1")])
    item = line.item
    neighbours: list[OnsNeighbour] = []
    if files.neighbours is not None:
        ons = _neighbours(files.neighbours, file_sha256(files.neighbours))
        imported = set(made.result.imported)
        neighbours = [
            OnsNeighbour(rank=rank, code=other, name=ons.names.get(other, other), imported=other in imported)
            for rank, other in enumerate(ons.neighbours(item.code, PEER_COUNT), start=1)
        ]
    return ImportedCouncil(
        code=item.code,
        cassr=item.cassr,
        name=item.name,
        year=str(made.result.publication.year),
        clients_basis=str(item.clients_basis),
        baseline=item.baseline,
        warnings=list(item.warnings),
        adjustments=list(item.adjustments),
        flags=[ImportFlag(what=f.what, detail=f.detail) for f in line.review.flags],
        checks_total=len(line.review.checks),
        checks_within=sum(1 for c in line.review.checks if c.holds),
        levers=line.levers,
        total_gbp=line.total,
        share=line.share,
        neighbours=neighbours,
        file_name=workbook_name(item.code, item.name),
    )


def imported_workbook(council: ImportedCouncil) -> bytes:
    """The council's baseline as the workbook `careflow import` writes, as bytes."""
    from careflow.services.baseline import baseline_workbook

    return baseline_workbook(council.baseline)
