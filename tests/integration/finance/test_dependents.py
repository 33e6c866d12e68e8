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


def with_forecast(pack: FinancePack, code: str, delta: float) -> FinancePack:
    positions = tuple(replace(p, forecast=p.forecast + delta) if p.code == code else p for p in pack.positions)
    return replace(pack, positions=positions)


def with_budget(pack: FinancePack, code: str, delta: float) -> FinancePack:
    lines = tuple(
        replace(line, budget=(line.budget or 0.0) + delta) if line.code == code else line for line in pack.lines
    )
    return replace(pack, lines=lines)


def test_one_forecast_moves_every_ancestor_and_nothing_else(norfolk: FinancePack) -> None:
    before = monitor(norfolk)
    after = monitor(with_forecast(norfolk, "POC-OP", 1.0))
    ancestors = {"POC-OP", "POC", "STU", "ASC"}
    for code, line in after.lines.items():
        moved = line.net.forecast - before.lines[code].net.forecast
        assert moved == pytest.approx(1.0 if code in ancestors else 0.0), code
        assert line.net.variance - before.lines[code].net.variance == pytest.approx(1.0 if code in ancestors else 0.0)
        assert line.net.budget == pytest.approx(before.lines[code].net.budget)
    # the expenditure subtotal moves, the income subtotal does not; movement since last period moves too
    assert after.lines["STU"].expenditure.forecast - before.lines["STU"].expenditure.forecast == pytest.approx(1.0)  # type: ignore[union-attr]
    assert after.lines["STU"].income.forecast == pytest.approx(before.lines["STU"].income.forecast)  # type: ignore[union-attr]
    assert after.lines["STU"].net.movement - before.lines["STU"].net.movement == pytest.approx(1.0)  # type: ignore[operator]
    assert after.lines["POC-OP"].variance_percent != before.lines["POC-OP"].variance_percent


def test_one_income_budget_moves_net_and_income_totals(norfolk: FinancePack) -> None:
    before = build_report(norfolk)
    after = build_report(with_budget(norfolk, "STU-INC", -0.5))
    for item in ("STU-INC", "STU.income", "STU", "ASC"):
        assert after.figure("budget", item, "budget") - before.figure("budget", item, "budget") == pytest.approx(-0.5)
        assert after.figure("budget", item, "variance") - before.figure("budget", item, "variance") == pytest.approx(
            0.5
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
        replace(s, forecast=s.target) if s.code == "S02" and s.year == "2017/18" else s for s in norfolk.savings
    )
    before = savings_programme(norfolk)
    after = savings_programme(replace(norfolk, savings=savings))
    assert after.total()[1] - before.total()[1] == pytest.approx(-2.581 + 1.158)
    assert after.at_risk == pytest.approx(before.at_risk - 1.423)
    assert after.total(on_target=False)[0] == pytest.approx(before.total(on_target=False)[0] + 2.581)
    assert next(r.rag for r in after.results if r.saving.code == "S02") == "green"
    assert after.by_rag()["red"][2] == before.by_rag()["red"][2] - 1


def test_rag_thresholds_are_inputs(norfolk: FinancePack) -> None:
    strict = replace(norfolk, settings=replace(norfolk.settings, rag_amber_percent=65.0))
    rag = {r.saving.code: r.rag for r in savings_programme(strict).results}
    assert rag["S07"] == "red" and rag["S17"] == "amber"  # 60% and 69% of target


def test_one_reserve_and_one_scheme_move_their_totals(norfolk: FinancePack) -> None:
    reserves = tuple(replace(r, planned_use=r.planned_use - 0.1) if r.code == "PF" else r for r in norfolk.reserves)
    capital = tuple(replace(c, forecast=c.forecast + 0.2) if c.code == "C09" else c for c in norfolk.capital)
    before = build_report(norfolk)
    after = build_report(replace(norfolk, reserves=reserves, capital=capital))
    for item in ("PF", "reserve", "total"):
        assert after.figure("reserves", item, "closing") - before.figure("reserves", item, "closing") == pytest.approx(
            -0.1
        )
    assert after.figure("reserves", "provision", "closing") == pytest.approx(
        before.figure("reserves", "provision", "closing")
    )
    assert after.figure("capital", "total", "variance") - before.figure(
        "capital", "total", "variance"
    ) == pytest.approx(0.2)


def test_one_final_year_pressure_moves_gap_respread_and_allocations(norfolk: FinancePack) -> None:
    lines = tuple(
        replace(x, amount=x.amount + 1.0) if x.code == "P09" and x.year == "2021-22" else x for x in norfolk.mtfs_lines
    )
    before = medium_term_gap(norfolk)
    after = medium_term_gap(replace(norfolk, mtfs_lines=lines))
    assert after.revised_gap["2021-22"] - before.revised_gap["2021-22"] == pytest.approx(1.0)
    shares = {"2018-19": 0.2, "2019-20": 0.6, "2020-21": 0.2}
    for year, share in shares.items():
        assert after.respread[year] - before.respread[year] == pytest.approx(share)
        assert after.to_find[year] - before.to_find[year] == pytest.approx(share)
    assert after.to_find["2021-22"] == pytest.approx(0.0)
    # ASC is exempt from the first year's gap but still takes its share of the re-spread
    moved = after.allocation("ASC", "2018-19").total - before.allocation("ASC", "2018-19").total
    assert moved < 0 and after.allocation("ASC", "2018-19").from_gap == 0.0
    total = sum(a.total for a in after.allocations if a.year == "2019-20")
    assert total == pytest.approx(-after.to_find["2019-20"])


def test_council_tax_rate_is_an_input(norfolk: FinancePack) -> None:
    taxes = tuple(replace(c, increase_percent=1.99) if c.year == "2020-21" else c for c in norfolk.council_tax)
    gap = medium_term_gap(replace(norfolk, council_tax=taxes))
    assert round(gap.council_tax_increase["2020-21"], 3) == round(-382.873 * 0.0199, 3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-50, max_value=50, allow_nan=False), min_size=19, max_size=19))
def test_roll_ups_always_add_up(norfolk: FinancePack, deltas: list[float]) -> None:
    leaves = [line.code for line in norfolk.lines if line.kind != "group"]
    pack = norfolk
    for code, delta in zip(leaves, deltas, strict=False):
        pack = with_forecast(pack, code, delta)
    m = monitor(pack)
    root = m.lines[m.root]
    assert root.net.forecast == pytest.approx(sum(m.lines[c].net.forecast for c in leaves))
    for line in m.lines.values():
        if line.children:
            assert line.net.variance == pytest.approx(sum(m.lines[c].net.variance for c in line.children))


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=-20, max_value=-0.001),
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
@given(st.lists(st.floats(min_value=0, max_value=100), min_size=3, max_size=3), st.floats(min_value=-30, max_value=30))
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
    assert sum(gap.to_find.values()) == pytest.approx(sum(gap.revised_gap.values()))
    assert gap.to_find["2021-22"] == pytest.approx(0.0, abs=1e-9)
    for year in gap.years:
        allocated = sum(a.total for a in gap.allocations if a.year == year)
        assert allocated == pytest.approx(-gap.to_find[year])
