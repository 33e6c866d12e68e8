"""Change one line of the Norfolk example and check that every total and variance depending on it moves, and nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careflow.finance.model import FinancePack
from careflow.finance.monitoring import monitor
from careflow.finance.mtfs import medium_term_gap
from careflow.finance.savings import savings_programme
from careflow.finance.tables import build_report


def with_forecast(pack: FinancePack, code: str, delta_gbp: float) -> FinancePack:
    positions = tuple(
        replace(p, forecast_gbp=p.forecast_gbp + delta_gbp) if p.code == code else p for p in pack.positions
    )
    return replace(pack, positions=positions)


def with_budget(pack: FinancePack, code: str, delta_gbp: float) -> FinancePack:
    lines = tuple(
        replace(line, budget_gbp=(line.budget_gbp or 0.0) + delta_gbp) if line.code == code else line
        for line in pack.lines
    )
    return replace(pack, lines=lines)


def test_one_forecast_moves_every_ancestor_and_nothing_else(norfolk: FinancePack) -> None:
    before = monitor(norfolk)
    after = monitor(with_forecast(norfolk, "POC-OP", 1_000_000))
    ancestors = {"POC-OP", "POC", "STU", "ASC"}
    for code, line in after.lines.items():
        moved = line.net.forecast_gbp - before.lines[code].net.forecast_gbp
        expected = 1_000_000 if code in ancestors else 0.0
        assert moved == pytest.approx(expected), code
        assert line.net.variance_gbp - before.lines[code].net.variance_gbp == pytest.approx(expected)
        assert line.net.budget_gbp == pytest.approx(before.lines[code].net.budget_gbp)
    # the expenditure subtotal moves, the income subtotal does not; movement since last period moves too
    after_stu, before_stu = after.lines["STU"], before.lines["STU"]
    assert after_stu.expenditure.forecast_gbp - before_stu.expenditure.forecast_gbp == pytest.approx(1_000_000)  # type: ignore[union-attr]
    assert after_stu.income.forecast_gbp == pytest.approx(before_stu.income.forecast_gbp)  # type: ignore[union-attr]
    assert after_stu.net.movement_gbp - before_stu.net.movement_gbp == pytest.approx(1_000_000)  # type: ignore[operator]
    assert after.lines["POC-OP"].variance_percent != before.lines["POC-OP"].variance_percent


def test_one_income_budget_moves_net_and_income_totals(norfolk: FinancePack) -> None:
    before = build_report(norfolk)
    after = build_report(with_budget(norfolk, "STU-INC", -500_000))
    for item in ("STU-INC", "STU.income", "STU", "ASC"):
        assert after.figure("budget", item, "budget") - before.figure("budget", item, "budget") == pytest.approx(
            -500_000
        )
        assert after.figure("budget", item, "variance") - before.figure("budget", item, "variance") == pytest.approx(
            500_000
        )
    assert after.figure("budget", "STU.expenditure", "budget") == pytest.approx(
        before.figure("budget", "STU.expenditure", "budget")
    )
    # a bigger income budget with the same forecast is a smaller over-recovery on magnitudes
    assert after.figure("budget", "STU-INC", "variance_percent") < before.figure(
        "budget", "STU-INC", "variance_percent"
    )
    # the printed total now differs by more than rounding, so it is flagged as inconsistent
    assert after.flags[("budget", "STU", "budget")].nature == "inconsistent"


def test_one_saving_moves_status_totals_and_risk(norfolk: FinancePack) -> None:
    savings = tuple(
        replace(s, forecast_gbp=s.target_gbp) if s.code == "S02" and s.year == "2017/18" else s for s in norfolk.savings
    )
    before = savings_programme(norfolk)
    after = savings_programme(replace(norfolk, savings=savings))
    assert after.total()[1] - before.total()[1] == pytest.approx(-2_581_000 + 1_158_000)
    assert after.at_risk_gbp == pytest.approx(before.at_risk_gbp - 1_423_000)
    assert after.total(on_target=False)[0] == pytest.approx(before.total(on_target=False)[0] + 2_581_000)
    assert next(r.rag for r in after.results if r.saving.code == "S02") == "green"
    assert after.by_rag()["red"][2] == before.by_rag()["red"][2] - 1


def test_rag_thresholds_are_inputs(norfolk: FinancePack) -> None:
    strict = replace(norfolk, settings=replace(norfolk.settings, rag_amber_percent=65.0))
    rag = {r.saving.code: r.rag for r in savings_programme(strict).results}
    assert rag["S07"] == "red" and rag["S17"] == "amber"  # 60% and 69% of target


def test_one_reserve_and_one_scheme_move_their_totals(norfolk: FinancePack) -> None:
    reserves = tuple(
        replace(r, planned_use_gbp=r.planned_use_gbp - 100_000) if r.code == "PF" else r for r in norfolk.reserves
    )
    capital = tuple(
        replace(c, forecast_gbp=c.forecast_gbp + 200_000) if c.code == "C09" else c for c in norfolk.capital
    )
    before = build_report(norfolk)
    after = build_report(replace(norfolk, reserves=reserves, capital=capital))
    for item in ("PF", "reserve", "total"):
        assert after.figure("reserves", item, "closing") - before.figure("reserves", item, "closing") == pytest.approx(
            -100_000
        )
    assert after.figure("reserves", "provision", "closing") == pytest.approx(
        before.figure("reserves", "provision", "closing")
    )
    assert after.figure("capital", "total", "variance") - before.figure(
        "capital", "total", "variance"
    ) == pytest.approx(200_000)


def test_one_final_year_pressure_moves_gap_respread_and_allocations(norfolk: FinancePack) -> None:
    lines = tuple(
        replace(x, amount_gbp=x.amount_gbp + 1_000_000) if x.code == "P09" and x.year == "2021-22" else x
        for x in norfolk.mtfs_lines
    )
    before = medium_term_gap(norfolk)
    after = medium_term_gap(replace(norfolk, mtfs_lines=lines))
    assert after.revised_gap_gbp["2021-22"] - before.revised_gap_gbp["2021-22"] == pytest.approx(1_000_000)
    shares = {"2018-19": 200_000, "2019-20": 600_000, "2020-21": 200_000}
    for year, share in shares.items():
        assert after.respread_gbp[year] - before.respread_gbp[year] == pytest.approx(share)
        assert after.to_find_gbp[year] - before.to_find_gbp[year] == pytest.approx(share)
    assert after.to_find_gbp["2021-22"] == pytest.approx(0.0)
    # ASC is exempt from the first year's gap but still takes its share of the re-spread
    moved = after.allocation("ASC", "2018-19").total_gbp - before.allocation("ASC", "2018-19").total_gbp
    assert moved < 0 and after.allocation("ASC", "2018-19").from_gap_gbp == 0.0
    total = sum(a.total_gbp for a in after.allocations if a.year == "2019-20")
    assert total == pytest.approx(-after.to_find_gbp["2019-20"])


def test_council_tax_rate_is_an_input(norfolk: FinancePack) -> None:
    taxes = tuple(replace(c, increase_percent=1.99) if c.year == "2020-21" else c for c in norfolk.council_tax)
    gap = medium_term_gap(replace(norfolk, council_tax=taxes))
    assert round(gap.council_tax_increase_gbp["2020-21"], -3) == round(-382_873_000 * 0.0199, -3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-50e6, max_value=50e6, allow_nan=False), min_size=19, max_size=19))
def test_roll_ups_always_add_up(norfolk: FinancePack, deltas: list[float]) -> None:
    leaves = [line.code for line in norfolk.lines if line.kind != "group"]
    pack = norfolk
    for code, delta in zip(leaves, deltas, strict=False):
        pack = with_forecast(pack, code, delta)
    m = monitor(pack)
    root = m.lines[m.root]
    assert root.net.forecast_gbp == pytest.approx(sum(m.lines[c].net.forecast_gbp for c in leaves))
    for line in m.lines.values():
        if line.children:
            assert line.net.variance_gbp == pytest.approx(sum(m.lines[c].net.variance_gbp for c in line.children))


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=-20e6, max_value=-1_000),
    st.floats(min_value=0, max_value=1.5),
    st.floats(min_value=0, max_value=100),
)
def test_rag_follows_the_share_delivered(target: float, share: float, amber: float) -> None:
    from careflow.finance.savings import rag_status

    delivered, rag = rag_status(target, target * share, 100.0, amber)
    assert delivered == pytest.approx(share * 100.0)
    expected = "green" if share * 100 >= 100 - 1e-9 else "amber" if share * 100 >= amber - 1e-9 else "red"
    assert rag == expected


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=100), min_size=3, max_size=3), st.floats(min_value=-30e6, max_value=30e6)
)
def test_respread_and_allocation_conserve_the_gap(
    norfolk: FinancePack, weights: list[float], final_pressure: float
) -> None:
    from careflow.finance.model import MtfsLine, RespreadShare

    total = sum(weights)
    if total < 1e-6:
        return
    years = ["2018-19", "2019-20", "2020-21"]
    shares = tuple(RespreadShare(y, w / total * 100.0) for y, w in zip(years, weights, strict=True))
    extra = MtfsLine("X", "pressure", "test pressure", "2021-22", final_pressure)
    gap = medium_term_gap(replace(norfolk, respread=shares, mtfs_lines=(*norfolk.mtfs_lines, extra)))
    assert sum(gap.to_find_gbp.values()) == pytest.approx(sum(gap.revised_gap_gbp.values()))
    assert gap.to_find_gbp["2021-22"] == pytest.approx(0.0, abs=1e-3)  # a thousandth of a pound (1e-9 £m)
    for year in gap.years:
        allocated = sum(a.total_gbp for a in gap.allocations if a.year == year)
        assert allocated == pytest.approx(-gap.to_find_gbp[year])
