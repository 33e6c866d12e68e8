"""Published history for backtests: NHS Digital's ASC-FR/SALT 2021-22 year-on-year council tables and Table 4.

Tables are read with the importer's reader (`careflow.imports.tables.Publication`: tables by title, columns by
their printed headings, rows by ONS code). Northamptonshire (E10000021) split into North and West
Northamptonshire in April 2021; where a later year has only the two, they are added up so that the same area is
compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from careflow.errors import InputError, Problem

if TYPE_CHECKING:
    from careflow.imports.tables import Publication, PublishedTable

TABLES_FILE = "nhs-ascfr-salt-data-tables-2021-22.xlsx"
TABLES_TITLE = "NHS Digital, Adult Social Care Activity and Finance Report, England 2021-22 (ASC-FR and SALT tables)"
ENGLAND = "E92000001"
COUNCIL_PREFIXES = ("E06", "E08", "E09", "E10")
NORTHAMPTONSHIRE = "E10000021"
NORTHAMPTONSHIRE_PARTS = ("E06000061", "E06000062")


@dataclass
class CouncilTable:
    """One council table of the publication, as the backtest uses it: published values by area code."""

    table: PublishedTable

    @property
    def names(self) -> dict[str, str]:
        """Council and England names by ONS code."""
        column = self.table.name_column
        out = {}
        for code in self.table.codes():
            if code.startswith(COUNCIL_PREFIXES) or code == ENGLAND:
                _, values = self.table.index()[code]
                name = values[column] if column is not None and column < len(values) else None
                out[code] = str(name).strip() if name else ("England" if code == ENGLAND else code)
        return out

    def series(self, *labels: str) -> dict[str, float]:
        """Published values of one column by area code, Northamptonshire's two parts summed where it has none."""
        out: dict[str, float] = {}
        for code in self.names:
            value = self.table.cell(code, *labels).value  # None: not submitted or suppressed
            if value is not None:
                out[code] = value
        parts = [out.get(code) for code in NORTHAMPTONSHIRE_PARTS]
        if NORTHAMPTONSHIRE not in out and all(v is not None for v in parts):
            out[NORTHAMPTONSHIRE] = sum(v for v in parts if v is not None)
        return out


def locate(folder: Path) -> Path:
    path = Path(folder) / TABLES_FILE
    if not path.is_file():
        raise InputError([Problem(str(path), "no such file", f"{TABLES_TITLE}, saved as {TABLES_FILE}")])
    return path


@cache
def _publication(path: Path, _modified: int) -> Publication:
    from careflow.imports.tables import Publication

    return Publication(path)


def publication(folder: Path) -> Publication:
    path = locate(folder)
    return _publication(path, path.stat().st_mtime_ns)


def read_tables(folder: Path, numbers: tuple[int, ...]) -> dict[int, CouncilTable]:
    """The numbered council tables of the ASC-FR/SALT 2021-22 workbook in `folder` (read once, then cached)."""
    pub = publication(folder)
    return {n: CouncilTable(pub.table(n)) for n in numbers}


def england_series(folder: Path) -> dict[str, tuple[float, float]]:
    """Table 4: England's gross current expenditure by year, (cash £, real-terms £ at 2021-22 prices)."""
    table = publication(folder).table(4, "Gross Current Expenditure")
    series = {}
    for (year, *_), _, _ in table.labelled_rows(0):
        if len(year) == 7 and year[:2] == "20" and year[4] == "-":
            cash = table.row_cell((year,), "Cash Terms", label_columns=(0,)).value
            real = table.row_cell((year,), "Real Terms", label_columns=(0,)).value
            if cash is not None and real is not None:
                series[year] = (cash * 1000.0, real * 1000.0)  # published in £000
    return series
