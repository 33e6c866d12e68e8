"""The finance workbook's table specs agree with the finance model's records: one column per field, checked.

Money is entered in £m and held in £, so a money column `x` fills the field `x_gbp`."""

from __future__ import annotations

import dataclasses

from careflow.finance import model
from careflow.finance.workbook import TABLES

RECORD = {
    "settings": model.Settings,
    "budget_lines": model.BudgetLine,
    "positions": model.ForecastPosition,
    "commentary": model.Commentary,
    "savings": model.Saving,
    "savings_adjustments": model.SavingsAdjustment,
    "reserves": model.Reserve,
    "capital": model.CapitalScheme,
    "mtfs_lines": model.MtfsLine,
    "council_tax": model.CouncilTaxYear,
    "respread": model.RespreadShare,
    "departments": model.Department,
    "exemptions": model.Exemption,
    "printed": model.PrintedFigure,
}
# A row's `source_line` (with the pack's source document) becomes the record's `source`; printed figures also keep
# the spreadsheet row they were read from, to locate a problem with them later.
ENTERED_AS = {"source_line": "source", "source_document": None, "value": "as_printed"}
READ_NOT_ENTERED = {"printed": {"row"}}


def test_every_table_has_a_record_and_every_column_a_field() -> None:
    assert [t.name for t in TABLES] == list(RECORD)
    for table in TABLES:
        fields = {f.name for f in dataclasses.fields(RECORD[table.name])} - READ_NOT_ENTERED.get(table.name, set())
        columns = {
            f"{c.name}_gbp" if "(£m;" in c.description else ENTERED_AS.get(c.name, c.name) for c in table.columns
        } - {None}
        assert columns == fields, table.name
