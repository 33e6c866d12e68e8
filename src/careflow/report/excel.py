"""Results as Excel workbooks: one sheet per table, headers bold, numbers left as numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from careflow.safety import save_workbook, sheet_title


def write_results(
    path: Path, sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]], notes: Sequence[str] = ()
) -> None:
    """Write `{sheet name: (headers, rows)}`; optional notes go on a first 'About' sheet."""
    workbook = Workbook()
    first = workbook.active
    if notes:
        first.title = "About"
        for i, note in enumerate(notes, start=1):
            first.cell(i, 1, note)
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
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for i, header in enumerate(headers, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(12, min(60, len(str(header)) + 4))
        sheet.freeze_panes = "A2"
    save_workbook(workbook, path)
