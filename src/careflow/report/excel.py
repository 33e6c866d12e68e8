"""Results as Excel workbooks a finance officer can use: formatted, sized, frozen, with live totals.

One sheet per table. Each numeric column gets a number format from its heading (or, on sheets that mix
units, from a unit column): £ as whole pounds, people and other counts as whole numbers, effects and
shares as percentages. Stored values are rounded to the precision shown, so a cell never holds
-0.3660000000000005 under a format that shows -0.366. A row labelled 'total' whose figures are the sum of
the rows above it gets live `=SUM()` formulas, so a user who edits a part sees the total move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from careflow.safety import formula, save_workbook, sheet_title


@dataclass(frozen=True)
class NumberFormat:
    code: str
    decimals: int  # stored values are rounded to this many places (of the stored unit)


MONEY = NumberFormat('£#,##0;-£#,##0;"–"', 0)
MONEY_M = NumberFormat("#,##0.000;(#,##0.000);0.000", 3)
WHOLE = NumberFormat("#,##0", 0)
PERCENT = NumberFormat("0.0%", 4)  # fractions shown as percentages
DECIMAL = NumberFormat("#,##0.00", 2)
RATE = NumberFormat("#,##0.0", 1)

COUNT_WORDS = ("people", "clients", "requests", "admissions", "episodes", "count", "cases", "runs", "reviews")
UNIT_FORMATS = {
    "£": MONEY,
    "gbp": MONEY,
    "£m": MONEY_M,
    "people": WHOLE,
    "requests": WHOLE,
    "episodes": WHOLE,
    "clients": WHOLE,
    "admissions": WHOLE,
    "share": PERCENT,
    "fraction": PERCENT,
    "%": RATE,
    "per 100k": RATE,
}
HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")


def format_for(heading: str) -> NumberFormat | None:
    """The number format a column's heading implies, or None to leave the column as it is."""
    h = heading.lower()
    if "£m" in h:
        return MONEY_M
    if "gbp" in h or "£" in h:
        return MONEY
    if h.startswith("effect") or "share" in h:
        return PERCENT
    if any(word in h for word in COUNT_WORDS):
        return WHOLE
    return None


def _rounded(value: Any, fmt: NumberFormat | None) -> Any:
    if fmt is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    number = round(float(value), fmt.decimals)
    number = 0.0 if number == 0 else number  # no "-0" under the format
    return int(number) if fmt.decimals == 0 else number


def _total_formulas(sheet: Worksheet, first: int, total_row: int, columns: int) -> None:
    """Turn a total row's figures into =SUM() over the rows above, where they are that sum (else leave them)."""
    for col in range(2, columns + 1):
        cell = sheet.cell(total_row, col)
        parts = [sheet.cell(r, col).value for r in range(first, total_row)]
        numbers = [p for p in parts if isinstance(p, int | float) and not isinstance(p, bool)]
        if not isinstance(cell.value, int | float) or not numbers or len(numbers) != len(parts):
            continue
        # Parts stored to the pound may each be half a pound off the unrounded total: that is still their sum.
        rounding = 0.5 * len(numbers) if all(float(n).is_integer() for n in [*numbers, cell.value]) else 0.0
        if abs(sum(numbers) - cell.value) <= rounding + 1e-9 * max(1.0, abs(cell.value)):
            letter = get_column_letter(col)
            formula(sheet, total_row, col, f"=SUM({letter}{first}:{letter}{total_row - 1})")  # kept live on save


def _width(values: Sequence[Any], heading: str) -> float:
    longest = max([len(str(heading))] + [len(f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in values])
    return max(10.0, min(60.0, longest + 3))


def write_results(
    path: Path,
    sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]],
    notes: Sequence[str] = (),
    unit_column: str | None = None,
) -> None:
    """Write `{sheet name: (headers, rows)}`; optional notes go on a first 'About' sheet.

    `unit_column` names a column holding each row's unit (e.g. '£' or 'people') on sheets that mix units;
    the row's figures then take that unit's format.
    """
    workbook = Workbook()
    first = workbook.active
    if notes:
        first.title = "About"
        for i, note in enumerate(notes, start=1):
            first.cell(i, 1, note)
        first["A1"].font = Font(bold=True, size=12)
        first.column_dimensions["A"].width = 120
    else:
        workbook.remove(first)
    from careflow.reference.bibliography import references_for

    cited = references_for(
        " ".join(str(v) for _, rows in sheets.values() for row in rows for v in row) + " ".join(notes)
    )
    if cited:  # a workbook that cites a publication carries the full references on its own sheet
        sheets = {**sheets, "References": (["reference"], [[r] for r in cited])}
    for name, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(sheet_title(name))
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        formats = [format_for(str(h)) for h in headers]
        unit_index = list(headers).index(unit_column) if unit_column is not None and unit_column in headers else None
        total_row = None
        for row in rows:
            row_unit = UNIT_FORMATS.get(str(row[unit_index])) if unit_index is not None else None
            values = []
            for value, fmt in zip(row, formats, strict=False):
                chosen = row_unit if row_unit is not None and isinstance(value, int | float) else fmt
                values.append(_rounded(value, chosen))
            sheet.append(values)
            for col, (value, fmt) in enumerate(zip(row, formats, strict=False), start=1):
                chosen = row_unit if row_unit is not None and isinstance(value, int | float) else fmt
                if chosen is not None and isinstance(value, int | float):
                    sheet.cell(sheet.max_row, col).number_format = chosen.code
            if row and str(row[0]).strip().lower() == "total":
                total_row = sheet.max_row
                for cell in sheet[total_row]:
                    cell.font = Font(bold=True)
        if total_row is not None and total_row > 2:
            _total_formulas(sheet, 2, total_row, len(headers))
        for i, header in enumerate(headers, start=1):
            column_values = [row[i - 1] for row in rows if i - 1 < len(row)]
            sheet.column_dimensions[get_column_letter(i)].width = _width(column_values[:500], str(header))
        sheet.freeze_panes = "B2" if unit_index is not None else "A2"
    save_workbook(workbook, path)
