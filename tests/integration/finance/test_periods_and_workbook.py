"""Positions for several periods are compared; the Norfolk pack reads the same from an .xlsx workbook as from CSVs."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from careflow.finance.model import FinancePack, ForecastPosition
from careflow.finance.tables import build_report
from careflow.finance.workbook import TABLES, load, write_pack_rows
from cli_runner import run_careflow

from .conftest import EXAMPLE


def with_period_5(pack: FinancePack, delta_gbp: float) -> FinancePack:
    """Every line's forecast at period 5 = period 4's plus `delta_gbp` on older people's care."""
    extra = tuple(
        ForecastPosition(p.code, 5, p.forecast_gbp + (delta_gbp if p.code == "POC-OP" else 0.0), None, "test")
        for p in pack.positions
        if p.period == 4
    )
    return replace(
        pack, positions=pack.positions + extra, settings=replace(pack.settings, period=5, previous_period=None)
    )


def test_movement_uses_the_recorded_previous_period(norfolk: FinancePack) -> None:
    report = build_report(with_period_5(norfolk, 250_000))
    m = report.monitoring
    assert (m.period, m.previous_period) == (5, 4)
    assert m.lines["POC-OP"].net.movement_gbp == pytest.approx(250_000)
    assert m.lines["STU"].net.movement_gbp == pytest.approx(250_000)
    assert m.lines["CS"].net.movement_gbp == pytest.approx(0.0)
    periods = report.table("periods")
    stu = next(r for r in periods.rows if r.item == "STU")
    assert stu.values["P5"] - stu.values["P4"] == pytest.approx(250_000)


def test_an_earlier_period_can_be_reported(norfolk: FinancePack) -> None:
    pack = with_period_5(norfolk, 1_000_000)
    at_4 = build_report(pack, period=4)
    at_5 = build_report(pack, period=5)
    assert at_5.figure("budget", "ASC", "forecast") - at_4.figure("budget", "ASC", "forecast") == pytest.approx(
        1_000_000
    )


def test_period_option_rejects_an_unrecorded_period(tmp_path: Path) -> None:
    result = run_careflow("finance", "report", str(EXAMPLE), "--period", "7", "--json")
    assert result.returncode == 2 and "period 7" in result.stderr and "Traceback" not in result.stderr
    outside = run_careflow("finance", "report", str(EXAMPLE), "--period", "13")
    assert outside.returncode != 0 and "Traceback" not in outside.stderr


def _csv_rows(name: str) -> list[list[object]]:
    path = EXAMPLE / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        table = next(t for t in TABLES if t.name == name)
        rows = []
        for raw in reader:
            row: list[object] = []
            for column in table.columns:
                text = raw.get(column.name, "")
                if column.kind not in ("text", "financial_year") and text not in ("", None):
                    row.append(float(text))
                else:
                    row.append(text or None)
            rows.append(row)
        return rows


def test_workbook_and_csv_folder_give_the_same_report(tmp_path: Path, norfolk: FinancePack) -> None:
    workbook = tmp_path / "norfolk.xlsx"
    write_pack_rows(workbook, {t.name: _csv_rows(t.name) for t in TABLES})
    from_xlsx = build_report(load(workbook))
    from_csv = build_report(norfolk)
    for t in from_csv.tables:
        other = from_xlsx.table(t.key)
        assert [r.values for r in other.rows] == [r.values for r in t.rows], t.key
    assert from_xlsx.flags.keys() == from_csv.flags.keys()


def test_workbook_problems_name_the_sheet_row_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = {t.name: _csv_rows(t.name) for t in TABLES}
    data["positions"][2][2] = "twelve"  # forecast column, third data row: spreadsheet row 6 (3 header rows)
    workbook = tmp_path / "bad.xlsx"
    write_pack_rows(workbook, data)
    monkeypatch.setenv("COLUMNS", "250")  # one problem per line, unwrapped
    result = run_careflow("finance", "validate", str(workbook))
    assert result.returncode == 2
    assert "sheet 'positions', row 6, column 'forecast'" in " ".join(result.stderr.split())


def test_shipped_workbook_matches_the_csv_folder(norfolk: FinancePack) -> None:
    # examples/norfolk-2017-18-p4.xlsx is made with `careflow finance template OUT --from examples/norfolk-2017-18-p4`
    shipped = load(EXAMPLE.with_suffix(".xlsx"))
    assert replace(shipped, printed=()) == replace(norfolk, printed=())
    assert [(p.table, p.item, p.measure, p.as_printed, p.source) for p in shipped.printed] == [
        (p.table, p.item, p.measure, p.as_printed, p.source) for p in norfolk.printed
    ]
