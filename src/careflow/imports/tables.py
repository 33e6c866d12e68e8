"""Reading NHS Digital's ASC-FR and SALT data tables: tables found by title, columns by header labels, rows by code.

The publication's workbook has one sheet per table. A table's title ("Table 44: Gross Current Expenditure …")
sits in the first rows; its header is one to three rows of labels, merged across the columns they cover,
starting at the row that holds "Geography code" (council tables) or "Age band" (England-only tables).
Nothing here depends on a sheet name or a column letter, so the same reader serves other years of the
publication as long as titles and labels keep their wording (tested on 2021-22).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from careflow.errors import InputError, Problem

SUPPRESSED = "[c]"  # a count of 0–4, hidden to protect people
NOT_SUBMITTED = "[x]"  # the council did not submit this return
SUPPRESSED_BOUNDS = (0.0, 4.0)
SUPPRESSED_MIDPOINT = 2.0
CODE = re.compile(r"^E\d{8}$")
TITLE = re.compile(r"^\s*Table\s+(\d+)\s*:\s*(.+?)\s*$", re.S)
YEAR = re.compile(r"(\d{4})-(\d{2})")
HEADER_ANCHORS = ("geography code", "age band", "year")
TITLE_ROWS = 8
IDENTIFICATION_COLUMNS = 5  # geography code, LA code, LA name, region code, region name

CellStatus = Literal["value", "suppressed", "not_submitted", "blank"]


def label(text: Any) -> str:
    """A header label as compared: lower case, one space between words, no line breaks."""
    # Colons are dropped: the same label is printed "Physical Support: Personal Care Support" in one table
    # and "Physical Support" over "Personal Care Support" in another.
    return " ".join(str(text).replace("\n", " ").replace(":", " ").split()).lower() if text is not None else ""


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@dataclass(frozen=True)
class Cell:
    """One published cell, with where it is and what was printed there."""

    table: int
    sheet: str
    ref: str  # "J96"
    column: tuple[str, ...]  # the header labels above it, as printed
    row_name: str  # council name (or England-only table's row labels)
    row_code: str
    printed: Any
    status: CellStatus
    value: float | None

    @property
    def line(self) -> str:
        return f"{self.sheet}!{self.ref}"

    @property
    def shown(self) -> str:
        if isinstance(self.printed, float):
            return f"{self.printed:.6g}" if abs(self.printed) < 1e6 else f"{self.printed:.10g}"
        return str(self.printed)

    @property
    def bounds(self) -> tuple[float, float] | None:
        if self.status == "suppressed":
            return SUPPRESSED_BOUNDS
        return None if self.value is None else (self.value, self.value)

    def estimate(self) -> float:
        """The value used in arithmetic: the printed number, the midpoint of 0–4 if suppressed, else 0."""
        if self.status == "suppressed":
            return SUPPRESSED_MIDPOINT
        return self.value or 0.0


def parse_value(printed: Any) -> tuple[CellStatus, float | None]:
    if printed is None or (isinstance(printed, str) and printed.strip() == ""):
        return "blank", None
    if isinstance(printed, bool):
        return "blank", None
    if isinstance(printed, int | float):
        return "value", float(printed)
    text = str(printed).strip().lower()
    if text == SUPPRESSED:
        return "suppressed", None
    if text == NOT_SUBMITTED:
        return "not_submitted", None
    try:
        return "value", float(text.replace(",", ""))
    except ValueError:
        return "blank", None


@dataclass
class PublishedTable:
    """One table of the publication: its title, header paths per column and data rows keyed by code."""

    number: int
    title: str
    sheet: str
    unit: str
    columns: list[tuple[str, ...]]  # per column index, header labels from the top row down (as printed)
    rows: list[tuple[int, tuple[Any, ...]]]  # (sheet row number, values) below the header
    code_columns: tuple[int | None, ...] = ()
    name_column: int | None = None
    _by_code: dict[str, tuple[int, tuple[Any, ...]]] = field(default_factory=dict)
    # An import asks for the same column once per council: 25,000 look-ups of 150-odd header paths each.
    _found_columns: dict[tuple[str, ...], int] = field(default_factory=dict)
    _labelled: dict[tuple[int, ...], list[tuple[tuple[str, ...], int, tuple[Any, ...]]]] = field(default_factory=dict)

    @property
    def money_in_thousands(self) -> bool:
        return "£ thousands" in label(self.unit)

    def series(self, code: str, *labels: str) -> dict[str, Cell]:
        """A year-on-year table's cells for one row: year ("2020-21") → cell under these labels and that year.

        Tables 2, 5, 15, 16, 17 and 52 print two or three years side by side; the year may sit at any level
        of the header (Table 17: care type / year / age; Table 2: measure / age / year).
        """
        wanted = [label(x) for x in labels]
        out: dict[str, Cell] = {}
        for index, path in enumerate(self.columns):
            parts = [label(p) for p in path if label(p)]
            years = [p for p in parts if YEAR.fullmatch(p)]
            rest = [p for p in parts if not YEAR.fullmatch(p)]
            if len(years) == 1 and rest == wanted:
                number, values = self.index()[code]
                out[years[0]] = self._cell(number, values, index, code)
        return dict(sorted(out.items()))

    def find_column(self, *labels: str, where: str = "") -> int:
        """The one column whose header path contains these labels in this order (case and spacing ignored)."""
        if labels not in self._found_columns:
            self._found_columns[labels] = self._find_column(labels, where)
        return self._found_columns[labels]

    def _find_column(self, labels: tuple[str, ...], where: str) -> int:
        wanted = [label(x) for x in labels]
        matches = []
        for index, path in enumerate(self.columns):
            parts = [label(p) for p in path if label(p)]
            if _contains_in_order(parts, wanted) and len(parts) >= len(wanted):
                matches.append((len(parts), index))
        if not matches:
            raise InputError(
                [
                    Problem(
                        where or self.sheet,
                        f"no column headed {' / '.join(repr(x) for x in labels)} in Table {self.number}",
                        "the column labels of the NHS Digital data tables (see docs/import.md for the tested years)",
                        self.sheet,
                    )
                ]
            )
        # Prefer the column whose path is exactly the labels asked for (a total rather than a sub-column).
        exact = [i for n, i in matches if n == len(wanted)]
        return exact[0] if exact else matches[0][1]

    def index(self) -> dict[str, tuple[int, tuple[Any, ...]]]:
        """Rows by code: a council's row by its ONS and its CASSR code; England's and regions' by theirs."""
        if not self._by_code:
            geography, cassr, region = (tuple(self.code_columns) + (None, None, None))[:3]
            for number, values in self.rows:
                keys = [_text(values, geography), _text(values, cassr)]
                if not CODE.match(keys[0]):
                    keys = [_text(values, region)]
                for key in keys:
                    if key and (CODE.match(key) or key.isdigit()):
                        self._by_code.setdefault(key, (number, values))
        return self._by_code

    def codes(self) -> list[str]:
        return [c for c in self.index() if CODE.match(c)]

    def has_row(self, code: str) -> bool:
        return code in self.index()

    def cell(self, code: str, *labels: str) -> Cell:
        """The cell in the row of this ONS (or CASSR) code under the column with these labels."""
        column = self.find_column(*labels)
        if code not in self.index():
            raise KeyError(code)
        number, values = self.index()[code]
        return self._cell(number, values, column, code)

    def _cell(self, number: int, values: tuple[Any, ...], column: int, code: str) -> Cell:
        printed = values[column] if column < len(values) else None
        status, value = parse_value(printed)
        name = _text(values, self.name_column) or _text(values, self.name_column + 2 if self.name_column else None)
        return Cell(
            table=self.number,
            sheet=self.sheet,
            ref=f"{column_letter(column)}{number}",
            column=tuple(p for p in self.columns[column] if p),
            row_name=name or code,
            row_code=code,
            printed=printed,
            status=status,
            value=value,
        )

    def labelled_rows(self, *label_columns: int) -> list[tuple[tuple[str, ...], int, tuple[Any, ...]]]:
        """England-only tables: each data row with its row labels carried down from the rows above."""
        if label_columns not in self._labelled:
            self._labelled[label_columns] = self._carry_labels(label_columns)
        return self._labelled[label_columns]

    def _carry_labels(self, label_columns: tuple[int, ...]) -> list[tuple[tuple[str, ...], int, tuple[Any, ...]]]:
        carried = [""] * len(label_columns)
        out = []
        for number, values in self.rows:
            for i, col in enumerate(label_columns):
                text = label(values[col]) if col < len(values) else ""
                if text:
                    carried[i] = text
                    for j in range(i + 1, len(carried)):
                        carried[j] = ""
            out.append((tuple(carried), number, values))
        return out

    def row_cell(self, row_labels: tuple[str, ...], *labels: str, label_columns: tuple[int, ...] = (0, 1)) -> Cell:
        """An England-only table's cell by its row labels (e.g. ('18 to 64', 'learning disability support'))."""
        wanted = tuple(label(x) for x in row_labels)
        column = self.find_column(*labels)
        for carried, number, values in self.labelled_rows(*label_columns):
            if carried == wanted:
                return self._cell(number, values, column, " / ".join(row_labels))
        raise InputError(
            [
                Problem(
                    self.sheet,
                    f"no row labelled {' / '.join(row_labels)} in Table {self.number}",
                    "the row labels of the NHS Digital data tables",
                    self.sheet,
                )
            ]
        )


def _text(values: tuple[Any, ...], column: int | None) -> str:
    if column is None or column >= len(values) or values[column] is None:
        return ""
    return str(values[column]).strip()


def read_sheets(path: Path, what: str, first_only: bool = False) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet's name and rows of values from row 1 (cached results, not formulas), read as openpyxl reads them:
    an empty cell is None and a whole number an int, so a cell prints as the publication printed it.

    python-calamine reads NHS Digital's 2021-22 tables in 0.4 s where openpyxl takes 3.3 s, and the ASCOF open
    data in 1.6 s against 5.2 s; with these two rules the values read are the same, cell for cell.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if not path.is_file():
        raise InputError([Problem(str(path), "no such file", what)])
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names[:1] if first_only else workbook.sheet_names
        sheets = [(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in names]
    except (CalamineError, OSError, ValueError) as error:
        raise InputError(
            [Problem(str(path), f"a file Excel cannot open ({type(error).__name__}: {error})", what)]
        ) from None
    return [(name, [tuple(map(_as_openpyxl_reads, row)) for row in rows]) for name, rows in sheets]


def _as_openpyxl_reads(value: Any) -> Any:
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)  # Excel keeps 611505 as a number; openpyxl (and the publication) prints no ".0"
    return value


def _contains_in_order(parts: list[str], wanted: list[str]) -> bool:
    position = 0
    for part in parts:
        if position < len(wanted) and part == wanted[position]:
            position += 1
    return position == len(wanted)


def _parse_sheet(name: str, grid: list[tuple[Any, ...]]) -> PublishedTable | None:
    title_match = None
    for row in grid[:TITLE_ROWS]:
        for value in row[:3]:
            if isinstance(value, str) and (title_match := TITLE.match(value)):
                break
        if title_match:
            break
    if not title_match:
        return None
    header_at = None
    for i, row in enumerate(grid[: TITLE_ROWS + 6]):
        if row and label(row[0]) in HEADER_ANCHORS:
            header_at = i
            break
    if header_at is None:
        return None
    unit = ""
    for row in grid[1:header_at]:
        texts = [
            str(v) for v in row if isinstance(v, str) and ("£" in v or "number" in v.lower() or "rate" in v.lower())
        ]
        if texts:
            unit = texts[-1]
    end = header_at + 1
    while end < len(grid) and any(label(v) for v in grid[end]):
        end += 1
    width = max(len(r) for r in grid) if grid else 0
    columns: list[list[str]] = [[] for _ in range(width)]
    cleaned = [[" ".join(str(v).split()) if v not in (None, "") else "" for v in row] for row in grid[header_at:end]]
    for depth, labels in enumerate(cleaned):
        current = ""
        for col in range(width):
            text = labels[col] if col < len(labels) else ""
            # A label merged across columns applies to each of them, but never past the start of a new
            # label in a row above (its parent's span) and never in the identification columns.
            new_parent = any(col < len(cleaned[d]) and cleaned[d][col] for d in range(depth))
            if text:
                current = text
            elif new_parent or col < IDENTIFICATION_COLUMNS:
                current = ""
            columns[col].append(current)
    headers = [label(v) for v in grid[header_at]]
    positions = {h: i for i, h in enumerate(headers) if h}
    region = "region code" if "region code" in positions else "region / type code"
    code_columns = tuple(positions.get(h) for h in ("geography code", "la code", region))
    name_column = next((i for i, h in enumerate(headers) if h == "la name"), None)
    data = [(number + 1, tuple(row)) for number, row in enumerate(grid) if number >= end]
    return PublishedTable(
        number=int(title_match.group(1)),
        title=" ".join(title_match.group(0).split()),
        sheet=name,
        unit=unit,
        columns=[tuple(c) for c in columns],
        rows=data,
        code_columns=code_columns,
        name_column=name_column,
    )


class Publication:
    """The ASC-FR and SALT data tables workbook: every table by its number, and the publication year."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.tables: dict[int, PublishedTable] = {}
        for name, grid in read_sheets(self.path, "the ASC-FR and SALT data tables workbook (.xlsx)"):
            table = _parse_sheet(name, grid)
            if table is not None and table.number not in self.tables:
                self.tables[table.number] = table
        first = self.tables.get(1)
        found = YEAR.search(first.title) if first else None
        if not found:
            raise InputError(
                [
                    Problem(
                        str(path),
                        "no 'Table 1: Summary figures … YYYY-YY' title",
                        "NHS Digital's Adult Social Care Activity and Finance data tables",
                    )
                ]
            )
        self.year = found.group(0)  # "2021-22"

    @property
    def document(self) -> str:
        return self.path.name

    @property
    def financial_year(self) -> str:
        """The year as careflow writes it: 2021/22."""
        return self.year.replace("-", "/")

    @property
    def source_id(self) -> str:
        return f"nhs-ascfr-salt-{self.year}"

    def table(self, number: int, must_mention: str = "") -> PublishedTable:
        table = self.tables.get(number)
        if table is None or (must_mention and label(must_mention) not in label(table.title)):
            found = f"Table {number}: {table.title}" if table else f"no sheet titled 'Table {number}: …'"
            raise InputError(
                [
                    Problem(
                        str(self.path),
                        found,
                        f"a sheet titled 'Table {number}: …{must_mention}…' (tested on the 2021-22 publication)",
                    )
                ]
            )
        return table
