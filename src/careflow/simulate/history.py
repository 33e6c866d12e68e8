"""Published history for backtests: NHS Digital's ASC-FR/SALT 2021-22 year-on-year council tables and Table 4.

Tables are found by their sheet name and columns by their printed headings (e.g. "Long Term Support GCE" /
"2020-21"), not by position, so a reader can check each figure against the publication. Councils are keyed by
ONS code. Northamptonshire (E10000021) split into North and West Northamptonshire in April 2021; where a later
year has only the two, they are added up so that the same area is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from careflow.errors import InputError, Problem

TABLES_FILE = "nhs-ascfr-salt-data-tables-2021-22.xlsx"
TABLES_TITLE = "NHS Digital, Adult Social Care Activity and Finance Report, England 2021-22 (ASC-FR and SALT tables)"
ENGLAND = "E92000001"
COUNCIL_PREFIXES = ("E06", "E08", "E09", "E10")
NORTHAMPTONSHIRE = "E10000021"
NORTHAMPTONSHIRE_PARTS = ("E06000061", "E06000062")
SUPPRESSED = ("[x]", "[c]", "[z]", "[low]")


@dataclass
class Table:
    """One council table: each column's heading parts, and each area's values by column (None if not published)."""

    sheet: str
    title: str
    headings: list[tuple[str, ...]]
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, list[float | None]] = field(default_factory=dict)

    def column(self, *parts: str) -> int:
        """The one column whose heading holds every part (case-insensitive)."""
        wanted = [p.lower() for p in parts]
        found = [
            i for i, heading in enumerate(self.headings) if all(any(w == h.lower() for h in heading) for w in wanted)
        ]
        if len(found) != 1:
            raise InputError(
                [Problem(TABLES_FILE, f"{len(found)} columns headed {' / '.join(parts)}", "exactly one", self.sheet)]
            )
        return found[0]

    def series(self, *parts: str) -> dict[str, float]:
        """Published values of one column by area code, Northamptonshire's two parts summed where it has none."""
        i = self.column(*parts)
        out = {code: row[i] for code, row in self.values.items() if row[i] is not None}
        parts_found = [out.get(code) for code in NORTHAMPTONSHIRE_PARTS]
        if NORTHAMPTONSHIRE not in out and all(v is not None for v in parts_found):
            out[NORTHAMPTONSHIRE] = sum(v for v in parts_found if v is not None)
        return {code: float(v) for code, v in out.items() if v is not None}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None  # "[x]" not submitted, "[c]" suppressed, blank


def read_table(rows: list[tuple[Any, ...]], sheet: str) -> Table:
    """Parse one sheet's rows: the heading block under 'Geography code', then one row per area."""
    top = next((i for i, r in enumerate(rows) if r and _text(r[0]) == "Geography code"), None)
    if top is None:
        raise InputError([Problem(TABLES_FILE, "no 'Geography code' heading", "an NHS Digital council table", sheet)])
    title = next((_text(r[0]) for r in rows[:top] if r and _text(r[0]).startswith("Table")), sheet)
    width = max(len(r) for r in rows[top : top + 4])
    # Heading rows until the first area row; merged cells are blank to the right, so carry each part along.
    block = []
    for r in rows[top : top + 4]:
        cells = [_text(c) for c in r] + [""] * (width - len(r))
        if any(c.startswith("E9") or c.startswith("E1") or c.startswith("E0") for c in cells[:5]):
            break
        block.append(cells)
    headings: list[tuple[str, ...]] = []
    carried = [""] * len(block)
    for col in range(width):
        parts = []
        for level, cells in enumerate(block):
            if cells[col]:
                carried[level] = cells[col]
                for deeper in range(level + 1, len(block)):
                    carried[deeper] = ""
            parts.append(carried[level] if col >= 5 else cells[col])
        headings.append(tuple(p for p in parts if p))
    table = Table(sheet, title, headings)
    for r in rows[top + len(block) :]:
        code, name = _text(r[0]), _text(r[2]) if len(r) > 2 else ""
        if not code.startswith(COUNCIL_PREFIXES) and len(r) > 4 and _text(r[3]) == ENGLAND:
            code, name = ENGLAND, _text(r[4])
        if code.startswith(COUNCIL_PREFIXES) or code == ENGLAND:
            table.names[code] = name
            table.values[code] = [_number(v) for v in list(r) + [None] * (width - len(r))]
    return table


def locate(folder: Path) -> Path:
    path = Path(folder) / TABLES_FILE
    if not path.is_file():
        raise InputError([Problem(str(path), "no such file", f"{TABLES_TITLE}, saved as {TABLES_FILE}")])
    return path


def read_tables(folder: Path, sheets: tuple[str, ...]) -> dict[str, Table]:
    """Read the named council tables from the ASC-FR/SALT 2021-22 workbook in `folder` (read-only, streamed)."""
    path = locate(folder)
    return _read_tables(path, path.stat().st_mtime_ns, sheets)


@cache
def _read_tables(path: Path, _modified: int, sheets: tuple[str, ...]) -> dict[str, Table]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        missing = [s for s in sheets if s not in workbook.sheetnames]
        if missing:
            raise InputError([Problem(TABLES_FILE, f"no sheet {', '.join(missing)}", "the 2021-22 tables T1–T55")])
        return {s: read_table(list(workbook[s].iter_rows(values_only=True)), s) for s in sheets}
    finally:
        workbook.close()


def england_series(folder: Path) -> dict[str, tuple[float, float]]:
    """Table 4: England's gross current expenditure by year, (cash £, real-terms £ at 2021-22 prices)."""
    import openpyxl

    workbook = openpyxl.load_workbook(locate(folder), read_only=True, data_only=True)
    try:
        series = {}
        for r in workbook["T4"].iter_rows(values_only=True):
            year = _text(r[0]) if r else ""
            if len(year) == 7 and year[:2] == "20" and year[4] == "-":
                cash, real = _number(r[1]), _number(r[2])
                if cash is not None and real is not None:
                    series[year] = (cash * 1000.0, real * 1000.0)  # published in £000
        return series
    finally:
        workbook.close()
