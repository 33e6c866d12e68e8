"""Golden tests: Norfolk's Period 4 2017/18 tables, computed from the line-level example and compared with the seed."""

from __future__ import annotations

import re

import pytest

from careflow.finance.model import FinancePack
from careflow.finance.tables import FinanceReport


def fig(report: FinanceReport, table: str, item: str, measure: str) -> float:
    return float(report.figure(table, item, measure))


def test_table_2_1_total_from_lines(norfolk_report: FinanceReport) -> None:
    # The lines give 261.311 / 261.314: within the source's ±0.002 rounding of the printed 261.313 / 261.313.
    budget = fig(norfolk_report, "budget", "ASC", "budget")
    forecast = fig(norfolk_report, "budget", "ASC", "forecast")
    assert budget == pytest.approx(261.313, abs=0.002)
    assert forecast == pytest.approx(261.313, abs=0.002)
    assert round(budget, 3) == 261.311 and round(forecast, 3) == 261.314
    assert fig(norfolk_report, "budget", "ASC", "variance") == pytest.approx(forecast - budget)
    # the difference is shown and flagged, never forced
    assert norfolk_report.flags[("budget", "ASC", "budget")].nature == "rounding"
    assert norfolk_report.flags[("budget", "ASC", "variance")].printed == 0.0
    assert fig(norfolk_report, "budget", "ASC", "prior_year_actual") == pytest.approx(254.791, abs=1e-9)


def test_table_2_1_areas(norfolk_report: FinanceReport) -> None:
    expected = {  # printed at L452-456: budget, forecast, variance
        "BD": (4.001, 3.635, -0.365),
        "CS": (68.640, 69.342, 0.703),
        "EHP": (8.614, 8.438, -0.176),
        "STU": (186.524, 184.761, -1.763),
        "MFH": (-6.465, -4.863, 1.602),
    }
    for code, (budget, forecast, variance) in expected.items():
        assert fig(norfolk_report, "budget", code, "budget") == pytest.approx(budget, abs=0.0021)
        assert fig(norfolk_report, "budget", code, "forecast") == pytest.approx(forecast, abs=0.0021)
        # Early Help's printed variance is 0.003 from its own lines (see the test below); the rest are within 0.001
        tolerance = 0.0031 if code == "EHP" else 0.0011
        assert fig(norfolk_report, "budget", code, "variance") == pytest.approx(variance, abs=tolerance)
    assert [r.item for r in norfolk_report.table("summary").rows] == ["BD", "CS", "EHP", "STU", "MFH", "ASC"]


def test_table_2_7_1_services_to_users(norfolk_report: FinanceReport) -> None:
    assert round(fig(norfolk_report, "budget", "STU", "budget"), 3) == 186.523  # printed 186.524 (L455, L498)
    assert round(fig(norfolk_report, "budget", "STU", "forecast"), 3) == 184.761
    assert round(fig(norfolk_report, "budget", "STU", "variance"), 3) == -1.762  # printed (1.763)
    assert norfolk_report.flags[("budget", "STU", "budget")].nature == "rounding"
    assert ("budget", "STU", "forecast") not in norfolk_report.flags
    assert round(fig(norfolk_report, "budget", "STU.expenditure", "budget"), 3) == 267.583
    assert round(fig(norfolk_report, "budget", "STU.expenditure", "forecast"), 3) == 272.574
    assert round(fig(norfolk_report, "budget", "STU.expenditure", "prior_year_actual"), 3) == 258.751
    assert round(fig(norfolk_report, "budget", "STU", "prior_year_actual"), 3) == 168.243
    assert round(fig(norfolk_report, "budget", "POC", "budget"), 3) == 244.010
    assert round(fig(norfolk_report, "budget", "POC", "previous_variance"), 3) == -0.966
    assert round(fig(norfolk_report, "budget", "STU", "previous_variance"), 3) == -3.042
    detail = [r.item for r in norfolk_report.table("detail-STU").rows]
    assert detail.index("POC") < detail.index("STU.expenditure") < detail.index("STU-INC") < detail.index("STU")


def test_table_2_8_1_commissioned_services(norfolk_report: FinanceReport) -> None:
    assert round(fig(norfolk_report, "budget", "CS", "budget"), 3) == 68.640
    assert round(fig(norfolk_report, "budget", "CS", "forecast"), 3) == 69.342
    assert round(fig(norfolk_report, "budget", "CS", "variance"), 3) == 0.702  # printed 0.703 (L453, L518)
    assert round(fig(norfolk_report, "budget", "CS", "prior_year_actual"), 3) == 69.600
    assert round(fig(norfolk_report, "budget", "CS", "prior_year_variance"), 3) == 0.123
    assert round(fig(norfolk_report, "budget", "CS", "previous_variance"), 3) == 0.467
    assert norfolk_report.flags[("budget", "CS", "variance")].printed == 0.703


def test_appendix_a_percentages(norfolk_report: FinanceReport) -> None:
    pct = {p.item: p.value for p in norfolk_report.pack.printed if p.measure == "variance_percent"}
    # these agree with the printed percentage to 2 decimals
    for item in (
        "POC-OP",
        "POC-PD",
        "POC-LD",
        "POC-MH",
        "POC",
        "STU-HT",
        "STU.expenditure",
        "STU-INC",
        "CS-SLA",
        "CS-NORSE",
    ):
        assert round(fig(norfolk_report, "budget", item, "variance_percent"), 2) == pytest.approx(pct[item]), item
    # income: variance on magnitudes, so more income than budgeted is a positive % (printed 8.33%, L643)
    assert fig(norfolk_report, "budget", "STU-INC", "variance_percent") > 0
    # recomputed from the printed variance and budget these differ from what the source prints
    recomputed = {"CS-COM": 1.56, "CS": 1.02, "CS-ICES": -10.15, "CS-OTH": -2.96}
    for item, value in recomputed.items():
        assert round(fig(norfolk_report, "budget", item, "variance_percent"), 2) == pytest.approx(value), item
        assert ("budget", item, "variance_percent") in norfolk_report.flags


def test_early_help_lines_do_not_add_to_printed_total(norfolk_report: FinanceReport) -> None:
    # Appendix A's three lines (L655-657) add to 8.612 / 8.439 / (0.173); the source prints 8.614 / 8.438 / (0.176).
    flag = norfolk_report.flags[("budget", "EHP", "variance")]
    assert round(flag.computed or 0.0, 3) == -0.173
    assert flag.nature == "inconsistent"


def test_appendix_c_savings(norfolk_report: FinanceReport) -> None:
    s = norfolk_report.savings
    assert s is not None
    target, forecast, variance = s.total()
    assert (round(target, 3), round(forecast, 3), round(variance, 3)) == (-14.213, -10.626, 3.587)
    off = s.total(on_target=False)
    on = s.total(on_target=True)
    assert tuple(round(v, 3) for v in off) == (-7.092, -3.505, 3.587)  # L537
    assert tuple(round(v, 3) for v in on) == (-7.121, -7.121, 0.0)  # L538
    assert round(s.at_risk, 3) == 3.587
    rag = {r.saving.code: r.rag for r in s.results}
    assert rag["S02"] == "red" and rag["S04"] == "red" and rag["S06"] == "red"  # under half delivered
    assert rag["S07"] == "amber" and rag["S09"] == "amber" and rag["S12"] == "amber" and rag["S17"] == "amber"
    assert sum(1 for v in rag.values() if v == "green") == 11
    requirement = {r.year: r for r in s.requirements}
    assert round(requirement["2017/18"].net, 3) == -11.213  # gross 14.213 less the £3m reversal (L528)
    assert round(requirement["2018/19"].gross_agreed, 3) == -18.716  # L709
    assert round(requirement["2018/19"].target, 3) == -22.913  # L711
    assert round(fig(norfolk_report, "savings", "total-by-year", "2019/20"), 3) == -10.000


def test_savings_risk_links_to_contingency(norfolk_report: FinanceReport) -> None:
    rows = {r.item: r.values["amount"] for r in norfolk_report.table("savings-risk").rows}
    assert round(rows["at_risk"], 3) == 3.587
    assert rows["contingency"] == 1.575
    assert round(rows["uncovered"], 3) == round(3.587 - 1.575, 3)
    assert round(rows["contingency_line"], 3) == 1.602


def test_appendix_d_reserves(norfolk_report: FinanceReport) -> None:
    # The lines give 2.075 → 0.802; the source prints 2.074 → 0.801 (L760): flagged as rounding.
    assert round(fig(norfolk_report, "reserves", "reserve", "opening"), 3) == 2.075
    assert round(fig(norfolk_report, "reserves", "reserve", "planned_use"), 3) == -1.273
    assert round(fig(norfolk_report, "reserves", "reserve", "closing"), 3) == 0.802
    assert norfolk_report.flags[("reserves", "reserve", "closing")].printed == 0.801
    assert round(fig(norfolk_report, "reserves", "provision", "closing"), 3) == 4.157
    assert round(fig(norfolk_report, "reserves", "UGC", "closing"), 3) == 0.746


def test_appendix_e_capital(norfolk_report: FinanceReport) -> None:
    assert round(fig(norfolk_report, "capital", "total", "budget"), 3) == 19.648  # printed 19.647 (L781)
    assert round(fig(norfolk_report, "capital", "total", "next_year_budget"), 3) == 2.021
    assert norfolk_report.flags[("capital", "total", "budget")].nature == "rounding"


def test_mtfs_gap_and_respread(norfolk_report: FinanceReport) -> None:
    g = norfolk_report.gap
    assert g is not None
    assert round(sum(g.revised_gap.values()), 3) == 100.000
    assert [round(g.revised_gap[y], 3) for y in g.years] == [18.526, 18.526, 43.544, 19.404]
    assert [round(g.respread[y], 3) for y in g.years] == [3.881, 11.642, 3.881, -19.404]
    assert [round(g.to_find[y], 3) for y in g.years] == [22.407, 30.168, 47.425, 0.0]
    assert round(g.council_tax_increase["2020-21"], 3) == -7.657
    assert round(sum(g.tax_base_growth.values()), 3) == -3.877
    assert round(fig(norfolk_report, "mtfs", "gap_after_funding", "total"), 3) == 120.121  # L1088
    assert [round(c.council_tax, 3) for c in g.council_tax] == [373.535, 382.873, 392.445, 394.407]  # L880


def test_mtfs_allocation_with_exemption(norfolk_report: FinanceReport) -> None:
    g = norfolk_report.gap
    assert g is not None
    asc = g.allocation("ASC", "2018-19")
    assert asc.from_gap == 0.0  # exempt from the first year's new savings
    assert round(asc.from_respread, 3) == -1.477
    assert round(g.allocation("CHS", "2018-19").from_gap, 3) == -6.314
    assert round(g.allocation("ASC", "2019-20").total, 3) == -11.480
    assert round(fig(norfolk_report, "allocation", "total", "total"), 3) == -35.188
    assert round(fig(norfolk_report, "allocation", "ASC", "total"), 3) == -19.943


def test_every_printed_figure_is_reproduced_or_flagged(norfolk_report: FinanceReport) -> None:
    assert norfolk_report.unmatched == []
    assert len(norfolk_report.pack.printed) == 295
    for p in norfolk_report.pack.printed:
        key = (p.table, p.item, p.measure)
        computed = float(norfolk_report.figure(*key))
        decimals = 2 if p.measure == "variance_percent" else 3
        if key in norfolk_report.flags:
            assert round(computed, decimals) != pytest.approx(p.value)
        else:
            assert round(computed, decimals) == pytest.approx(p.value), key
    natures = [f.nature for f in norfolk_report.flags.values()]
    assert len(natures) == 37
    inconsistent = sorted((f.item, f.measure) for f in norfolk_report.flags.values() if f.nature == "inconsistent")
    assert inconsistent == [
        ("ASC", "variance"),
        ("CS-COM", "variance_percent"),
        ("CS-OTH", "variance_percent"),
        ("EHP", "variance"),
        ("EHP", "variance_percent"),
    ]


NUMBER = re.compile(r"\(?-?[\d,]+\.\d+%?\)?")


def _numbers_on(text: str) -> set[float]:
    found = set()
    for token in NUMBER.findall(text):
        negative = token.startswith("(") or token.startswith("-")
        value = float(token.strip("()%-").replace(",", ""))
        found.add(-value if negative else value)
    return found


def _first_line(source: str) -> int | None:
    match = re.match(r"L(\d+)(?!-)", source.strip())
    return int(match.group(1)) if match else None


def test_printed_figures_cite_their_seed_line(norfolk: FinancePack, seed) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for p in norfolk.printed:
        cited = [int(n) for n in re.findall(r"L(\d+)(?![\d-])", p.source)]
        assert cited, p
        on_lines = set().union(*(_numbers_on(seed(norfolk.document, n)) for n in cited))
        assert p.value in on_lines or (p.value == 0 and 0.0 in {abs(v) for v in on_lines}), (p, cited)
        checked += 1
    assert checked == len(norfolk.printed)


def test_entered_figures_cite_their_seed_line(norfolk: FinancePack, seed) -> None:  # type: ignore[no-untyped-def]
    def on(source: str) -> set[float]:
        cited = [int(n) for n in re.findall(r"L(\d+)(?![\d-])", source)]
        assert cited, source
        return set().union(*(_numbers_on(seed(norfolk.document, n)) for n in cited))

    for line in norfolk.lines:
        for value in (line.budget, line.prior_year_actual, line.prior_year_variance):
            if value is not None:
                assert value in on(line.source), (line.code, value)
    for position in norfolk.positions:
        for value in (position.forecast, position.previous_variance):
            if value is not None:
                assert value in on(position.source), (position.code, value)
    for saving in norfolk.savings:
        for value in (saving.target, saving.forecast):
            if value is not None:
                assert value in on(saving.source) or value == 0.0, (saving.code, value)
    for reserve in norfolk.reserves:
        assert {reserve.opening, reserve.planned_use} <= on(reserve.source) | {0.0}
    for scheme in norfolk.capital:
        assert {scheme.budget, scheme.forecast, scheme.next_year_budget} <= on(scheme.source) | {0.0}
    for item in norfolk.mtfs_lines:
        assert item.amount in on(item.source) or item.amount == 0.0, item
    for d in norfolk.departments:
        # the basis is the magnitude of the printed 2020-21 allocation (savings are printed negative)
        assert {-d.allocation_basis, d.previously_agreed_savings, d.new_changes} <= on(d.source) | {0.0}


def test_savings_by_workstream_and_year(norfolk_report: FinanceReport) -> None:
    rows = norfolk_report.table("savings-by-workstream").rows
    assert [r.label for r in rows] == [
        "Early Help and Prevention",
        "Entry Points",
        "Younger Adults",
        "Older Adults",
        "Commissioning",
        "Other",
        "Total",
    ]
    printed = {  # L716-721: 2017/18, 2018/19, 2019/20
        "Early Help and Prevention": (-1.500, -3.500, -0.800),
        "Younger Adults": (-2.581, -6.794, -5.307),
        "Older Adults": (-2.364, -2.665, -3.393),
        "Commissioning": (-3.658, -9.724, -0.500),
        "Other": (-4.110, -0.230, 0.000),
    }
    for r in rows:
        if r.label in printed:
            assert tuple(round(r.values[y], 3) for y in ("2017/18", "2018/19", "2019/20")) == printed[r.label]
