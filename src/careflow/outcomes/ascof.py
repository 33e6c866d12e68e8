"""Published ASCOF outcomes from DHSC's time series (.ods): England, council types and each council, by year.

DHSC's *Adult Social Care Outcomes Framework: time series of aggregated measures, 2015-16 to 2024-25* has one
sheet per measure ("Table_2c", "Table_3d(1a)" …). Each sheet has a few lines of description, then a header row
("Local authority code", "Local authority", "ONS area code", "2024 to 2025 - numerator", … "- outcome") and one
row per area: England, the council types (S, U, M, I, O), the regions and every council. Columns are found by
their header labels, never by position, because the years shown differ from sheet to sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from careflow.errors import InputError, Problem
from careflow.reference.bibliography import cite

SOURCE_ID = "dhsc-ascof-2024-25"
ENGLAND = "E92000001"
# Council-type rows carry a letter code and no ONS code; an upper-tier council's type follows from its ONS code.
COUNCIL_TYPE_ROWS = {"S": "Shire Counties", "U": "Unitary Authorities", "M": "Metropolitan Districts"}
TYPE_BY_ONS_PREFIX = {"E10": "S", "E06": "U", "E08": "M"}  # London boroughs (E09) are split Inner/Outer: not known
OUTCOME = re.compile(r"^(\d{4}) to (\d{4}) - outcome$")


def sheet_for(code: str) -> str:
    """'2D(1)' → 'Table_2d(1)': the sheet DHSC publishes the measure on."""
    return f"Table_{code.lower()}"


@dataclass(frozen=True)
class Published:
    """One published outcome: a measure for one area in one financial year, with where it was printed."""

    code: str  # refreshed ASCOF code, e.g. "2C"
    area: str  # "England", a council type's name, or the council's name
    ons_code: str  # ONS code, or the council-type letter for a council type
    year: str  # "2024-25"
    value: float
    row: int  # 1-based row on the sheet, for the machine pinpoint

    @property
    def financial_year_end(self) -> int:
        """The calendar year the financial year ends in (2024-25 → 2025)."""
        return int(self.year[:4]) + 1

    def cite(self) -> str:
        return cite(SOURCE_ID, location=f"Table {self.code.lower()}, {self.area}, {self.year} outcome")


class PublishedAscof:
    """Every outcome on the refreshed measures' sheets of the DHSC time series, by code and area."""

    def __init__(self, path: Path, codes: tuple[str, ...]):
        self.path = Path(path)
        self.values: dict[tuple[str, str], list[Published]] = {}  # (code, ONS code or type letter) → by year
        self.names: dict[str, str] = {}
        if not self.path.is_file():
            raise InputError([Problem(str(path), "no such file", "DHSC's ASCOF time series (.ods)")])
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(self.path))
        except (CalamineError, OSError, ValueError) as error:
            raise InputError(
                [Problem(str(path), f"a file that cannot be read as a spreadsheet ({type(error).__name__})",
                         "DHSC's ASCOF time series (.ods), as published")]
            ) from None  # fmt: skip
        problems = []
        for code in codes:
            sheet = sheet_for(code)
            if sheet not in workbook.sheet_names:
                problems.append(Problem(str(path), "no such sheet", f"a sheet '{sheet}' for ASCOF {code}", sheet))
                continue
            self._read(code, sheet, workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        if problems:
            raise InputError(problems)

    def _read(self, code: str, sheet: str, rows: Sequence[Sequence[object]]) -> None:
        header_at = next((i for i, r in enumerate(rows) if r and str(r[0]).strip() == "Local authority code"), None)
        if header_at is None:
            raise InputError([Problem(str(self.path), "no 'Local authority code' header", "DHSC's layout", sheet)])
        header = [str(h).strip() for h in rows[header_at]]
        outcome_columns = {i: OUTCOME.match(h) for i, h in enumerate(header)}
        ons = header.index("ONS area code") if "ONS area code" in header else 2
        for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
            if not row or not str(row[0]).strip():
                continue
            letter, area, ons_code = str(row[0]).strip(), str(row[1]).strip(), str(row[ons]).strip()
            key = letter if letter in COUNCIL_TYPE_ROWS else ons_code
            if not key or key.startswith("["):
                continue  # Inner / Outer London and other groups without a code careflow can match
            self.names[key] = area
            for column, found in outcome_columns.items():
                value = row[column] if column < len(row) else None
                if found is None or not isinstance(value, int | float) or isinstance(value, bool):
                    continue  # "[x]" not available, "[c]" suppressed, "[z]" not applicable
                year = f"{found.group(1)}-{found.group(2)[2:]}"
                self.values.setdefault((code, key), []).append(Published(code, area, key, year, float(value), number))

    def latest(self, code: str, area: str) -> Published | None:
        found = self.values.get((code, area), [])
        return max(found, key=lambda p: p.year) if found else None

    def in_year(self, code: str, area: str, year: str) -> Published | None:
        return next((p for p in self.values.get((code, area), []) if p.year == year), None)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float, codes: tuple[str, ...]) -> PublishedAscof:
    return PublishedAscof(Path(path), codes)


def published_ascof(path: Path, codes: tuple[str, ...]) -> PublishedAscof:
    """The time series, read once per process for each version of the file (it takes a few seconds to read)."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "no such file", "DHSC's ASCOF time series (.ods)")])
    return _cached(str(path.resolve()), path.stat().st_mtime, codes)


def council_type_of(ons_code: str) -> str | None:
    """The council-type row (S, U or M) that an upper-tier council belongs to, from its ONS code."""
    return TYPE_BY_ONS_PREFIX.get(ons_code[:3])
