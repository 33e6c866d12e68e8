"""Output safety: no text from an input can become a live spreadsheet formula, and workbooks are reproducible.

Every .xlsx and .csv that careflow writes goes through this module. The rule is OWASP's for CSV injection:
a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so that
Excel, LibreOffice and Google Sheets show it as text instead of running it. Numbers stay numbers. A formula
that careflow itself writes (a live total, say) is declared with `formula()` and is the only kind kept.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

OWN_TOTAL = re.compile(r"^=SUM\([A-Z]{1,3}\d+:[A-Z]{1,3}\d+\)$")  # the only formula careflow writes
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
SHEET_NAME_FORBIDDEN = "/:[]*?\\"  # characters Excel refuses in a sheet name
# A fixed time for workbook properties and zip entries, so the same inputs give the same bytes.
FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TRUSTED = "_careflow_trusted_formulas"


def neutralise(value: Any) -> Any:
    """The value as safe to put in a spreadsheet cell: risky text gets a leading `'`; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def restore(text: str) -> str:
    """Undo `neutralise` on text read back from a careflow file, so a round trip keeps the user's text."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


class SafeCsvWriter:
    """A `csv.writer` whose every cell passes through `neutralise`."""

    def __init__(self, handle: Any, **options: Any) -> None:
        import csv

        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: Any, **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(handle, **options)


def sheet_title(name: str) -> str:
    """A valid Excel sheet name from any text: forbidden characters replaced, at most 31 characters."""
    cleaned = "".join("_" if ch in SHEET_NAME_FORBIDDEN else ch for ch in name).strip("'")[:31]
    return cleaned or "Sheet"


def formula(sheet: Any, row: int, column: int, expression: str) -> Any:
    """Write a formula careflow itself composed (e.g. '=SUM(B4:B9)'); `save_workbook` keeps it live."""
    cell = sheet.cell(row, column, expression)
    trusted: set[tuple[str, str]] = getattr(sheet.parent, _TRUSTED, set())
    trusted.add((sheet.title, cell.coordinate))
    setattr(sheet.parent, _TRUSTED, trusted)
    return cell


def neutralise_workbook(workbook: Any) -> int:
    """Neutralise every text cell of every sheet except declared formulas; return how many cells changed."""
    trusted: set[tuple[str, str]] = getattr(workbook, _TRUSTED, set())
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    if (sheet.title, cell.coordinate) in trusted:
                        continue
                    cell.value = QUOTE + value  # assigning text resets the cell's type from formula to string
                    changed += 1
    return changed


def save_workbook(workbook: Any, path: Path) -> None:
    """Save an openpyxl workbook safely (no stray formulas) and reproducibly (fixed times, same bytes each run)."""
    Path(path).write_bytes(workbook_bytes(workbook))


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook as `save_workbook` saves it, as bytes."""
    neutralise_workbook(workbook)
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save(), which stamps the current time as 'modified'
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip archive with every entry dated `_ZIP_TIME`, in the same order and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def formula_cells(path: Path) -> list[str]:
    """Where a saved workbook holds a formula or risky text: 'sheet!A1' for each (for tests and checks)."""
    import openpyxl

    found = []
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and OWN_TOTAL.match(cell.value):
                    continue  # a live total careflow composed itself (declared with `formula`), not input text
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)):
                    found.append(f"{sheet.title}!{cell.coordinate}")
    return found


def risky_csv_cells(rows: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """(row, column) of CSV cells that a spreadsheet would run as a formula."""
    return [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v.startswith(FORMULA_STARTS)]
