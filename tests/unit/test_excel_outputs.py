"""Excel outputs a user can work in: number formats, widths, frozen headers, live totals, values as shown."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from careflow.report.excel import write_results


def test_formats_rounding_and_live_totals(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    rows = [
        ["a", 0.1 + 0.2, 1234.567, 10],
        ["b", 0.05, -0.3660000000000005, 20],
        ["total", 0.35, 1235.0, 30],  # the £ total is the sum of the parts as stored
    ]
    write_results(path, {"Levers": (["id", "effect", "net_gbp", "people_affected"], rows)}, notes=["About it"])
    sheet = openpyxl.load_workbook(path)["Levers"]
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].number_format == "0.0%" and sheet["C2"].number_format.startswith("£")
    assert sheet["D2"].number_format == "#,##0"
    assert sheet["C2"].value == 1235 and sheet["C3"].value == 0  # whole pounds: no -0.366 under a £ format
    assert sheet["B2"].value == 0.3  # not 0.30000000000000004
    assert sheet["C4"].value == "=SUM(C2:C3)"  # a user who edits a part sees the total move
    assert sheet["D4"].value == "=SUM(D2:D3)"
    assert sheet.column_dimensions["A"].width >= 10


def test_totals_that_are_not_sums_stay_values(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    rows = [["a", 10.0], ["b", 20.0], ["total", 25.0]]  # an overlap-adjusted total is not the sum
    write_results(path, {"S": (["id", "net_gbp"], rows)})
    assert openpyxl.load_workbook(path)["S"]["B4"].value == 25
