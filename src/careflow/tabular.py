"""Typed tables in Excel workbooks and CSV folders: reading with located problems, and blank templates.

Every input format in careflow (baselines, budget lines, case reviews, indicator data) is a set of named
tables. A table spec says which columns it has and what each may hold; `read_tables` checks every cell
and reports every problem at once (file, sheet, row, column), so a user can fix a workbook in one pass.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from careflow.errors import Problem, Problems
from careflow.limits import (
    MAX_TABLE_FILE_BYTES,
    MAX_TABLE_ROWS,
    MAX_TEXT_CHARS,
    MAX_WORKBOOK_UNZIPPED_BYTES,
    number_problem,
)
from careflow.safety import restore

ColumnKind = Literal["text", "integer", "number", "percent", "financial_year", "month"]
InputRow = dict[str, Any]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
EXAMPLE_NOTE = "EXAMPLE ROW: replace it with your own figures or delete it (validate refuses it if left in)"
HEADER_SEARCH_ROWS = 6  # templates put a description line and a column-description line above the header


@dataclass(frozen=True)
class InputColumn:
    name: str
    description: str
    kind: ColumnKind = "number"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = 0.0
    maximum: float | None = None
    meaning: str = ""  # what the expected values mean, in words, e.g. "periods run 1–12, April to March"

    def expected(self) -> str:
        text = self._expected()
        return f"{text} ({self.meaning})" if self.meaning else text

    def _expected(self) -> str:
        if self.choices:
            return "one of: " + ", ".join(self.choices)
        if self.kind == "percent":
            return "a percentage from 0 to 100"
        if self.kind == "financial_year":
            return "a financial year in the 2019/20 format"
        if self.kind == "month":
            return "a month as YYYY-MM (e.g. 2017-07), or a date in that month"
        if self.kind == "integer":
            if self.minimum is not None and self.maximum is not None:
                return f"a whole number from {self.minimum:g} to {self.maximum:g}"
            low = "" if self.minimum is None else f" of at least {self.minimum:g}"
            return f"a whole number{low}"
        if self.kind == "number":
            low = "" if self.minimum is None else f" of at least {self.minimum:g}"
            high = "" if self.maximum is None else f" and at most {self.maximum:g}"
            return f"a number{low}{high}"
        return "text"


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[InputColumn, ...]
    required: bool = True
    example_rows: tuple[tuple[Any, ...], ...] = field(default=())
    # Personal-data tables (case reviews): refuse columns not in the spec rather than silently drop them
    # (they may hold identifying notes), and never repeat a cell's text in a problem, only its kind.
    private: bool = False

    # the column whose example value marks a row as the template's example, refused if left in (e.g. 'R-0001')
    example_key: str | None = None

    def is_example(self, row: InputRow) -> bool:
        if self.example_key is None:
            return False
        index = [c.name for c in self.columns].index(self.example_key)
        value = normalise_header(row.get(self.example_key))
        return any(value == normalise_header(example[index]) for example in self.example_rows)

    def column(self, name: str) -> InputColumn:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def normalise_header(text: Any) -> str:
    return str(text).strip().lower().replace(" ", "_").replace("-", "_") if text is not None else ""


@cache
def _choice_lookup(choices: tuple[str, ...]) -> dict[str, str]:
    """Normalised spelling → the choice, built once per column (every cell of a 50,000-row table uses it)."""
    return {normalise_header(choice): choice for choice in choices}


FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$")


def parse_financial_year(value: Any) -> str | None:
    """'2019/20' (also written 2019-20 or 2019/2020) as '2019/20'; None when it is not a financial year."""
    match = FINANCIAL_YEAR.match(str(value).strip())
    if match is None:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100 or (end >= 100 and end != start + 1):
        return None  # the year must run from one April to the next
    return f"{start}/{(start + 1) % 100:02d}"


MONTH_FORMATS = ("%Y-%m", "%Y-%m-%d", "%Y/%m", "%m/%Y", "%b %Y", "%B %Y", "%b-%y", "%Y-%m-%d %H:%M:%S")


def parse_month(value: Any) -> str | None:
    """A month as 'YYYY-MM' from an Excel date, '2017-07', '2017-07-01', 'Jul 2017' or '07/2017'; else None."""
    import datetime as dt

    if isinstance(value, dt.date):  # Excel stores dates as dates (datetime is a date too)
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    for form in MONTH_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, form)
        except ValueError:
            continue
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return None


THOUSANDS = re.compile(r"^[^\d]*\d{1,3}(,\d{3})+(\.\d+)?[^\d]*$")
NUMBER_SPACES = ("\u00a0", "\u202f", "\u2009", " ")  # thousands written with (non-breaking or thin) spaces


def number_text(value: Any) -> str:
    """A number typed or pasted as text, tidied: thousands commas and spaces, £, a leading apostrophe
    (Excel's 'store as text'), a Unicode minus. Ambiguous forms such as 1.234,5 are left to fail."""
    text = str(value).strip().lstrip("'").replace("£", "").replace("\u2212", "-")
    for space in NUMBER_SPACES:
        text = text.replace(space, "")
    if "," in text and not THOUSANDS.search(text):
        return text  # a comma that is not a thousands separator (12,5 or 1.234,5): let it fail, not guess
    return text.replace(",", "")


def parse_cell(value: Any, column: InputColumn, percent_format: bool = False) -> tuple[Any, str | None]:
    """Return (parsed value, None) or (None, description of what was found)."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None, None
    if column.kind == "month":
        month = parse_month(value)
        return (month, None) if month is not None else (None, f"'{value}'")
    if column.kind == "financial_year":
        year = parse_financial_year(value)
        return (year, None) if year is not None else (None, f"'{value}'")
    if column.kind == "text":
        text = restore(str(value).strip())  # careflow's own exports quote risky text; read it back as typed
        if len(text) > MAX_TEXT_CHARS:
            return None, f"text of {len(text):,} characters (at most {MAX_TEXT_CHARS:,})"
        if column.choices:
            choice = _choice_lookup(column.choices).get(normalise_header(text))
            return (choice, None) if choice is not None else (None, f"'{text}'")
        return text, None
    if isinstance(value, bool):
        return None, f"'{value}'"
    if isinstance(value, int | float):
        number = float(value)
        if column.kind == "percent" and percent_format:
            number *= 100.0
    else:
        text = number_text(value)
        is_percent = text.endswith("%")
        if is_percent:
            text = text[:-1].strip()
        if text.startswith("(") and text.endswith(")"):  # accountants' negatives
            text = "-" + text[1:-1]
        try:
            number = float(text)
        except ValueError:
            return None, f"text '{value}'"
    wrong = number_problem(number)
    if wrong is not None:
        return None, wrong
    if column.kind == "integer":
        if abs(number - round(number)) > 1e-9:
            return None, f"{number:g} (not a whole number)"
        number = float(round(number))
    high = 100.0 if column.kind == "percent" and column.maximum is None else column.maximum
    if column.minimum is not None and number < column.minimum:
        return None, f"{number:g}"
    if high is not None and number > high:
        return None, f"{number:g}"
    return (int(number) if column.kind == "integer" else number), None


def check_rows(
    file: str,
    table: Table,
    raw_rows: Iterable[tuple[int, dict[str, Any]]],
    problems: Problems,
    percent_cells: set[tuple[int, str]] | None = None,
) -> list[InputRow]:
    """Check raw rows (row number, header → cell) against a table spec; add problems, return good rows."""
    rows: list[InputRow] = []
    for row_number, raw in raw_rows:
        if all(v is None or str(v).strip() == "" for v in raw.values()):
            continue
        parsed: InputRow = {"_row": row_number}
        ok = True
        for column in table.columns:
            cell = raw.get(column.name)
            value, bad = parse_cell(cell, column, (row_number, column.name) in (percent_cells or set()))
            if bad is not None and table.private:
                bad = f"a value that is not allowed here ({'text' if isinstance(cell, str) else 'a number'})"
            if bad is not None:
                problems.add(Problem(file, bad, column.expected(), table.name, row_number, column.name))
                ok = False
            elif value is None and column.required:
                problems.add(Problem(file, "an empty cell", column.expected(), table.name, row_number, column.name))
                ok = False
            parsed[column.name] = value
        if ok and table.is_example(parsed):
            problems.add(
                Problem(
                    file,
                    f"the template's example row ('{parsed[table.example_key or '']}')",
                    "your own data: replace or delete the example row",
                    table.name,
                    row_number,
                    table.example_key,
                )
            )
            ok = False
        if ok:
            rows.append(parsed)
        else:
            problems.rejected_rows.setdefault(table.name, []).append(parsed)
    return rows


def _locate_header(rows: Sequence[Sequence[Any]], table: Table) -> tuple[int, dict[str, int]] | None:
    """Find the header row among the first few rows: the one naming the most of the table's columns."""
    wanted = {c.name for c in table.columns}
    best: tuple[int, dict[str, int]] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions = {normalise_header(v): i for i, v in enumerate(cells) if normalise_header(v) in wanted}
        if positions and (best is None or len(positions) > len(best[1])):
            best = (index, positions)
    return best


def _table_from_grid(
    file: str,
    table: Table,
    grid: list[list[Any]],
    problems: Problems,
    percent_cells_by_index: set[tuple[int, int]] | None = None,
) -> list[InputRow]:
    located = _locate_header(grid, table)
    if located is None:
        names = ", ".join(c.name for c in table.columns)
        problems.add(Problem(file, "no header row", f"a header row naming the columns: {names}", table.name, 1))
        return []
    header_index, positions = located
    missing = [c.name for c in table.columns if c.required and c.name not in positions]
    for name in missing:
        problems.add(Problem(file, "no such column", f"a column headed '{name}'", table.name, header_index + 1, name))
    if missing:
        return []
    if table.private:
        known = {c.name for c in table.columns}
        for cell in grid[header_index]:
            name = normalise_header(cell)
            if name and name not in known:
                problems.add(
                    Problem(
                        file,
                        f"a column careflow does not know ('{str(cell).strip()[:40]}')",
                        "only the template's columns: remove it, as it may hold personal data",
                        table.name,
                        header_index + 1,
                    )
                )
    percent_cells: set[tuple[int, str]] = set()
    raw_rows = []
    for index in range(header_index + 1, len(grid)):
        cells = grid[index]
        raw = {name: (cells[pos] if pos < len(cells) else None) for name, pos in positions.items()}
        raw_rows.append((index + 1, raw))
        if percent_cells_by_index:
            for name, pos in positions.items():
                if (index, pos) in percent_cells_by_index:
                    percent_cells.add((index + 1, name))
    return check_rows(file, table, raw_rows, problems, percent_cells)


def _too_big(path: Path, problems: Problems, sheet: str | None = None) -> bool:
    """Add a problem and return True when a file is over the size limit; checked before anything reads it."""
    size = path.stat().st_size
    if size <= MAX_TABLE_FILE_BYTES:
        return False
    problems.add(
        Problem(
            str(path), f"a file of {size:,} bytes", f"at most {MAX_TABLE_FILE_BYTES:,} bytes (docs/limits.md)", sheet
        )
    )
    return True


def _too_many_rows(path: Path, problems: Problems, sheet: str | None) -> None:
    problems.add(
        Problem(
            str(path), f"more than {MAX_TABLE_ROWS:,} rows", f"at most {MAX_TABLE_ROWS:,} rows (docs/limits.md)", sheet
        )
    )


def _unzipped_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0  # not a zip: openpyxl reports it as a corrupt workbook


def _open_workbook(path: Path, problems: Problems) -> Any | None:
    import openpyxl

    if _too_big(path, problems):
        return None
    unzipped = _unzipped_size(path)
    if unzipped > MAX_WORKBOOK_UNZIPPED_BYTES:  # a small file can expand enormously (a "zip bomb")
        problems.add(
            Problem(
                str(path),
                f"a workbook that expands to {unzipped:,} bytes",
                f"at most {MAX_WORKBOOK_UNZIPPED_BYTES:,} bytes unzipped (docs/limits.md)",
            )
        )
        return None

    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        found = "an old-format (.xls) workbook"
        try:
            import msoffcrypto  # optional (careflow[excel]); without it the message names the old format

            with path.open("rb") as handle:
                if msoffcrypto.OfficeFile(handle).is_encrypted():
                    found = "a password-protected workbook"
        except Exception:  # an unreadable OLE file is reported as the old format; the advice is the same
            pass
        problems.add(Problem(str(path), found, "an unprotected .xlsx workbook (remove the password, save as .xlsx)"))
        return None
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises a wide range of errors (BadZipFile, KeyError, …) on damaged archives
        problems.add(unreadable_workbook(path))
        return None


def unreadable_workbook(path: Path) -> Problem:
    """A damaged or mislabelled workbook, described in words a user can act on (not 'BadZipFile')."""
    return Problem(
        str(path),
        "a file that may be damaged, or is not an Excel workbook",
        "an .xlsx that opens in Excel (save it again, or export CSV)",
    )


def _sheet_lookup(names: Iterable[str]) -> dict[str, str]:
    return {normalise_header(n): n for n in names}


def _read_workbook(path: Path, tables: Sequence[Table], problems: Problems) -> dict[str, list[InputRow]]:
    workbook = _open_workbook(path, problems)
    if workbook is None:
        return {}
    result: dict[str, list[InputRow]] = {}
    try:
        sheets = _sheet_lookup(workbook.sheetnames)
        for table in tables:
            sheet_name = sheets.get(normalise_header(table.name))
            if sheet_name is None:
                if table.required:
                    problems.add(Problem(str(path), "no such sheet", f"a sheet named '{table.name}'", table.name))
                continue
            grid: list[list[Any]] = []
            percent: set[tuple[int, int]] = set()
            for r, row in enumerate(workbook[sheet_name].iter_rows()):  # read-only mode streams the rows
                if r >= MAX_TABLE_ROWS + HEADER_SEARCH_ROWS:
                    _too_many_rows(path, problems, table.name)
                    break
                values = []
                for c, cell in enumerate(row):
                    value = getattr(cell, "value", None)
                    values.append(value)
                    if isinstance(value, int | float) and "%" in str(getattr(cell, "number_format", "")):
                        percent.add((r, c))
                grid.append(values)
            else:  # every row read: check them (a table over the limit is not checked at all)
                result[table.name] = _table_from_grid(str(path), table, grid, problems, percent)
    except Exception:  # damaged sheet XML surfaces only while iterating
        problems.add(unreadable_workbook(path))
    finally:
        workbook.close()
    return result


def read_csv_grid(path: Path, problems: Problems, sheet: str | None = None) -> list[list[Any]] | None:
    if _too_big(path, problems, sheet):
        return None
    data = path.read_bytes()
    if not data.strip():
        problems.add(Problem(str(path), "an empty file", "a CSV file with a header row", sheet))
        return None
    if b"\x00" in data[:4096]:
        problems.add(Problem(str(path), "binary data", "a text CSV file", sheet))
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        problems.add(Problem(str(path), "text in an unknown encoding", "UTF-8 text", sheet))
        return None
    grid: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text)):
            if len(grid) >= MAX_TABLE_ROWS + HEADER_SEARCH_ROWS:
                _too_many_rows(path, problems, sheet)
                return None
            grid.append(row)
        return grid
    except csv.Error as error:
        problems.add(Problem(str(path), f"malformed CSV ({error})", "comma-separated values", sheet))
        return None


def _read_csv_folder(path: Path, tables: Sequence[Table], problems: Problems) -> dict[str, list[InputRow]]:
    files = {normalise_header(p.stem): p for p in path.glob("*.csv")}
    if not files:
        problems.add(Problem(str(path), "a folder with no CSV files", "one CSV file per table"))
        return {}
    result: dict[str, list[InputRow]] = {}
    for table in tables:
        file = files.get(normalise_header(table.name))
        if file is None:
            if table.required:
                problems.add(
                    Problem(str(path / f"{table.name}.csv"), "no such file", f"a CSV file for table '{table.name}'")
                )
            continue
        grid = read_csv_grid(file, problems, table.name)
        if grid is not None:
            result[table.name] = _table_from_grid(str(file), table, grid, problems)
    return result


def read_tables(path: Path, tables: Sequence[Table], problems: Problems) -> dict[str, list[InputRow]]:
    """Read every table from a workbook (one sheet per table) or a folder of CSV files (one per table).

    A format with a single table may also come as one CSV file. Problems are added to `problems`; the caller decides when to raise (after its own cross-checks).
    """
    path = Path(path)
    if not path.exists():
        problems.add(Problem(str(path), "nothing at this path", "an .xlsx workbook or a folder of CSV files"))
        return {}
    if path.is_dir():
        return _read_csv_folder(path, tables, problems)
    if path.stat().st_size == 0:
        problems.add(Problem(str(path), "an empty file", "an .xlsx workbook or a folder of CSV files"))
        return {}
    with path.open("rb") as handle:
        head = handle.read(8)
    if path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        return _read_workbook(path, tables, problems)
    if path.suffix.lower() == ".csv" and len(tables) == 1:
        grid = read_csv_grid(path, problems, tables[0].name)
        return {} if grid is None else {tables[0].name: _table_from_grid(str(path), tables[0], grid, problems)}
    problems.add(
        Problem(str(path), f"a file of type '{path.suffix or 'unknown'}'", "an .xlsx workbook or a folder of CSV files")
    )
    return {}


def rows_from_mapping(
    file: str, tables: Sequence[Table], data: dict[str, Any], problems: Problems
) -> dict[str, list[InputRow]]:
    """Check tables given as lists of mappings (YAML/JSON documents); row numbers count from 1 per table."""
    result: dict[str, list[InputRow]] = {}
    for table in tables:
        raw = data.get(table.name)
        if raw is None:
            if table.required:
                problems.add(Problem(file, "no such table", f"a list named '{table.name}'", table.name))
            continue
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            problems.add(
                Problem(file, f"a {type(raw).__name__}", "a list of rows (mappings of column to value)", table.name)
            )
            continue
        raw_rows = [(i + 1, {normalise_header(k): v for k, v in r.items()}) for i, r in enumerate(raw)]
        result[table.name] = check_rows(file, table, raw_rows, problems)
    return result


def write_workbook(
    path: Path,
    tables: Sequence[Table],
    title: str,
    instructions: Sequence[str],
    rows: dict[str, Sequence[Sequence[Any]]] | None = None,
    extra: Callable[[Any], None] | None = None,
) -> None:
    """Write a workbook: an Instructions sheet, then one sheet per table (description, column notes, header, rows).

    With no rows it is a blank template (plus each table's example rows, if any). It reads back with `read_tables`.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from careflow.safety import save_workbook, sheet_title

    workbook = Workbook()
    guide = workbook.active
    guide.title = "Instructions"
    guide["A1"] = title
    guide["A1"].font = Font(bold=True, size=14)
    line = 3
    for text in instructions:
        guide.cell(line, 1, text)
        line += 1
    line += 1
    for heading, col in (("Sheet", 1), ("Column", 2), ("Type", 3), ("Required", 4), ("What it holds", 5)):
        guide.cell(line, col, heading).font = Font(bold=True)
    for table in tables:
        for column in table.columns:
            line += 1
            guide.cell(line, 1, table.name)
            guide.cell(line, 2, column.name)
            guide.cell(line, 3, column.expected())
            guide.cell(line, 4, "yes" if column.required else "no")
            guide.cell(line, 5, column.description)
    for letter, width in (("A", 22), ("B", 26), ("C", 40), ("D", 10), ("E", 90)):
        guide.column_dimensions[letter].width = width

    note_fill = PatternFill("solid", fgColor="F2F2F2")
    example_fill = PatternFill("solid", fgColor="FFEB9C")  # Excel's "neutral" yellow: stands out, reads as a note
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.name))
        sheet.cell(1, 1, table.description + ("" if table.required else " (optional sheet)")).font = Font(italic=True)
        for index, column in enumerate(table.columns, start=1):
            note = sheet.cell(2, index, column.description)
            note.font = Font(italic=True, color="555555", size=9)
            note.fill = note_fill
            note.alignment = Alignment(wrap_text=True, vertical="top")
            header = sheet.cell(3, index, column.name)
            header.font = Font(bold=True)
            header.comment = Comment(f"{column.description}\nExpected: {column.expected()}", "careflow")
            sheet.column_dimensions[header.column_letter].width = max(14, len(column.name) + 4)
            if column.choices:
                listed = ",".join(column.choices)
                if len(listed) < 250:  # Excel's limit for an inline list
                    check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=not column.required)
                    sheet.add_data_validation(check)
                    check.add(f"{header.column_letter}4:{header.column_letter}2000")
        sheet.row_dimensions[2].height = 60
        sheet.freeze_panes = "A4"
        for data_row in (rows or {}).get(table.name, ()):
            sheet.append(list(data_row))
        if rows is None:
            for example in table.example_rows:
                sheet.append(list(example))
                for cell in sheet[sheet.max_row]:
                    cell.fill = example_fill
                sheet.cell(sheet.max_row, 1).comment = Comment(EXAMPLE_NOTE, "careflow")
                sheet.cell(sheet.max_row, len(table.columns) + 1, EXAMPLE_NOTE).font = Font(italic=True, color="9C5700")
    if extra is not None:  # e.g. a baseline's `sources` sheet
        extra(workbook)
    save_workbook(workbook, path)
