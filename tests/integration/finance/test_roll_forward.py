"""Finance across periods: rolling a pack forward keeps its structure, and printed check figures stay with
the period whose paper printed them (so a rolled pack shows no false † marks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.errors import InputError
from careflow.finance.model import FinancePack
from careflow.finance.tables import FinanceReport, build_report
from careflow.finance.workbook import load, roll_forward, write_pack_rows
from cli_runner import run_careflow

from .conftest import EXAMPLE


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> FinancePack:
    path = tmp_path_factory.mktemp("roll") / "p5.xlsx"
    write_pack_rows(path, roll_forward(EXAMPLE, 5))
    return load(path)


def test_structure_and_forecasts_carry_over(rolled: FinancePack, norfolk: FinancePack) -> None:
    assert rolled.settings.period == 5 and rolled.settings.previous_period == 4
    assert [line.code for line in rolled.lines] == [line.code for line in norfolk.lines]
    assert len(rolled.savings) == len(norfolk.savings) and len(rolled.reserves) == len(norfolk.reserves)
    at_4 = {p.code: p.forecast_gbp for p in norfolk.positions if p.period == 4}
    at_5 = {p.code: p.forecast_gbp for p in rolled.positions if p.period == 5}
    assert at_5 == at_4


def test_printed_figures_belong_to_their_period(rolled: FinancePack, norfolk_report: FinanceReport) -> None:
    assert norfolk_report.flags  # the period-4 paper's own differences
    assert build_report(rolled).flags == {}  # period 5: nothing printed yet, so nothing to differ from
    again = build_report(rolled, period=4)  # the period-4 figures still check against period 4
    assert set(again.flags) == set(norfolk_report.flags)


def test_roll_forward_refuses_going_backwards() -> None:
    with pytest.raises(InputError) as caught:
        roll_forward(EXAMPLE, 3)
    assert "later period than 4" in caught.value.problems[0].expected


def test_roll_forward_command(tmp_path: Path) -> None:
    out = tmp_path / "p5.xlsx"
    done = run_careflow("finance", "roll-forward", str(EXAMPLE), "--to-period", "5", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = run_careflow("finance", "report", str(out))
    assert report.returncode == 0 and "†" not in report.stdout
    assert run_careflow("finance", "roll-forward", str(EXAMPLE), "--to-period", "5", "--out", str(out)).returncode == 2


def test_ledger_export_updates_budgets_and_forecasts(tmp_path: Path, norfolk: FinancePack) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("Cost Centre,Period,Budget,Actual,Forecast\nBD,5,4.101,1.2,3.900\nCS-COM,5,68.640,20.1,69.000\n")
    out = tmp_path / "p5.xlsx"
    write_pack_rows(out, roll_forward(EXAMPLE, 5))
    updated = tmp_path / "updated.xlsx"
    done = run_careflow("finance", "import-ledger", str(out), str(ledger), "--out", str(updated))
    assert done.returncode == 0, done.stderr
    pack = load(updated)
    assert next(line.budget_gbp for line in pack.lines if line.code == "BD") == 4_101_000  # exactly, from 4.101
    at_5 = {p.code: p.forecast_gbp for p in pack.positions if p.period == 5}
    assert at_5["BD"] == 3_900_000 and at_5["CS-COM"] == 69_000_000
    assert len(at_5) == len([p for p in norfolk.positions if p.period == 4])  # other lines keep their carry


def test_ledger_problems_are_located(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("cost_centre,period,budget,actual,forecast\nNOPE,5,1,0,1\nASC,13,1,0,1\n")
    with pytest.raises(InputError) as caught:
        from careflow.finance.workbook import import_ledger

        import_ledger(EXAMPLE, ledger)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert (2, "cost_centre") in found and (3, "period") in found
