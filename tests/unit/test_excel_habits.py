"""Excel habits that must not be punished: real dates in month columns, numbers stored as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from careflow.outcomes.indicators import MONTHLY, load_monthly, month_index
from careflow.tabular import InputColumn, parse_cell, parse_month


@pytest.mark.parametrize(
    "value",
    [dt.datetime(2017, 7, 1), dt.date(2017, 7, 31), "2017-07", "2017-07-01", "Jul 2017", "July 2017", "07/2017"],
)
def test_month_cells_accept_dates_and_text(value: object) -> None:
    assert parse_month(value) == "2017-07"


def test_a_month_that_is_not_a_month_is_refused_in_words() -> None:
    column = MONTHLY.column("month")
    assert parse_cell("Julember", column) == (None, "'Julember'")
    assert "YYYY-MM" in column.expected()


@pytest.mark.parametrize(
    ("text", "number"),
    [("1,234", 1234.0), ("'1234", 1234.0), ("1\u00a0234", 1234.0), ("\u22125", -5.0), (" 12 ", 12.0), ("(3)", -3.0)],
)
def test_unambiguous_text_numbers_are_read(text: str, number: float) -> None:
    assert parse_cell(text, InputColumn("n", "n", minimum=None)) == (number, None)


def test_ambiguous_text_numbers_are_refused() -> None:
    value, found = parse_cell("1.234,5", InputColumn("n", "n", minimum=None))
    assert value is None and found == "text '1.234,5'"


def test_monthly_workbook_with_real_excel_dates(tmp_path: Path) -> None:
    path = tmp_path / "monthly.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "monthly"
    sheet.append(["month", "measure", "value", "provider"])
    sheet.append([dt.datetime(2017, 7, 1), "delayed_days_social_care", 912, None])
    sheet.append(["2017-08", "delayed_days_social_care", "  1,005 ", None])  # a number stored as text
    sheet["A2"].number_format = "mmm-yy"
    workbook.save(path)
    data = load_monthly(path)
    index = month_index("2017-07")
    assert index is not None
    assert data.get("delayed_days_social_care", index) == 912
    assert data.get("delayed_days_social_care", index + 1) == 1005
