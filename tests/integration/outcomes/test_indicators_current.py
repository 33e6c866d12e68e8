"""Indicators that are current (issue 11 §11): refreshed ASCOF measures beside the older ones, a withdrawn measure
dated by the council's data, the indicators a council tracks, provider rows that add up to the council-wide
figure, and comparisons that say whether they are like for like."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from careflow.errors import InputError
from careflow.outcomes.indicators import (
    BY_ID,
    REGISTRY,
    MonthlyData,
    evaluate,
    financial_year_value,
    load_monthly,
    month_index,
)
from cli_runner import run_careflow
from integration.outcomes.test_indicators import write_monthly

PUBLIC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "public"
ODS = PUBLIC / "dhsc-ascof-time-series-2024-25.ods"
NEIGHBOURS = PUBLIC / "ons-statistical-nearest-neighbours-2025.xlsx"
NORFOLK = "E10000020"
REFRESHED = {"2A", "2B", "2C", "2D(1)", "2D(2)", "2E(1)", "2E(2a)", "2E(2b)", "3D(1a)", "3D(2a)"}


def month(text: str) -> int:
    index = month_index(text)
    assert index is not None
    return index


def need_public(*paths: Path) -> None:
    for path in paths:
        if not path.exists():
            pytest.skip(f"published file not found at {path} (shared data is absent in a fresh clone)")


# --- the refreshed ASCOF measures ----------------------------------------------------------------------------------


def test_every_refreshed_measure_has_an_indicator_beside_the_older_ones() -> None:
    assert {i.ascof for i in REGISTRY if i.ascof} == REFRESHED
    # the older measures stay, labelled as older, and point at their redefined successor
    from careflow.outcomes.dashboard import ascof_label

    assert ascof_label("short_term_no_or_lower_support").startswith("older ASCOF 2D; renamed 2A")
    assert "reablement_no_further_request" in ascof_label("short_term_no_or_lower_support")
    assert ascof_label("self_directed_support").startswith("ASCOF 3D(1a) (refreshed measure")
    for indicator in REGISTRY:
        if indicator.ascof and indicator.ascof not in ("2B", "2C"):
            assert "DHSC (2025), *ASCOF time series to 2024-25*" in indicator.source
            assert indicator.target_provenance is not None
            assert indicator.target_provenance.value == indicator.target


def test_default_targets_are_englands_published_2024_25_outcomes() -> None:
    need_public(ODS)
    from careflow.outcomes.ascof import ENGLAND, published_ascof

    codes = tuple(sorted(REFRESHED - {"2B", "2C"}))
    published = published_ascof(ODS, codes)
    for indicator in REGISTRY:
        if indicator.ascof in codes:
            england = published.in_year(str(indicator.ascof), ENGLAND, "2024-25")
            assert england is not None and indicator.target is not None
            assert england.value == pytest.approx(indicator.target, abs=0.05), indicator.id
            provenance = indicator.target_provenance.provenance  # type: ignore[union-attr]
            assert provenance.line == f"Table_{indicator.ascof.lower()}!F{england.row}"  # type: ignore[union-attr]


def test_financial_year_flows_add_up_and_stocks_are_read_at_march() -> None:
    data = MonthlyData()
    for m in range(month("2024-04"), month("2025-03") + 1):
        # 100 new reablement clients a month, 70 with no further request except 100 of 100 in March
        no_request = 100.0 if m == month("2025-03") else 70.0
        data.values.setdefault(("reablement_new_clients", ""), {})[m] = 100.0
        data.values.setdefault(("reablement_no_further_request", ""), {})[m] = no_request
        data.values.setdefault(("direct_payments", ""), {})[m] = 200.0 + (m - month("2024-04"))
        data.values.setdefault(("long_term_community_support", ""), {})[m] = 1000.0
    flow, _ = financial_year_value(BY_ID["reablement_no_further_request"], data, 2025)
    assert flow == pytest.approx((11 * 70 + 100) / 1200 * 100)  # 72.5%, not March's 100%
    stock, _ = financial_year_value(BY_ID["direct_payments"], data, 2025)
    assert stock == pytest.approx(21.1)  # 211 of 1,000 at 31 March
    del data.values[("reablement_new_clients", "")][month("2024-09")]
    missing, why = financial_year_value(BY_ID["reablement_no_further_request"], data, 2025)
    assert missing is None and "2024-09" in why  # a part-year is not a year


def test_a_full_financial_year_is_compared_like_for_like_with_the_published_value() -> None:
    need_public(ODS, NEIGHBOURS)
    from careflow.outcomes.ascof import published_ascof
    from careflow.outcomes.comparisons import ascof_comparisons

    data = MonthlyData()
    for m in range(month("2024-04"), month("2025-03") + 1):
        data.values.setdefault(("self_directed_support", ""), {})[m] = 950.0
        data.values.setdefault(("long_term_community_support", ""), {})[m] = 1000.0
    results = evaluate(data, [BY_ID["self_directed_support"]])
    published = published_ascof(ODS, ("3D(1a)",))
    from careflow.imports.peers import NearestNeighbours

    peers = NearestNeighbours(NEIGHBOURS).neighbours(NORFOLK)
    (own, england, county) = ascof_comparisons(results, data, published, NORFOLK, peers)
    assert own.like_for_like and own.yours.period == own.theirs.period == "financial year 2024-25"
    assert own.theirs.who == "Norfolk" and own.yours.value == pytest.approx(95.0)
    assert own.theirs.value == pytest.approx(95.4)  # Norfolk's published 2024-25 outcome, Table 3d(1a)
    assert england.theirs.who == "England" and county.theirs.who.startswith("Shire Counties")
    assert "Table 3d(1a), Norfolk, 2024-25 outcome" in own.theirs.source
    assert len(own.peers) == 15 and "15 nearest neighbours" in own.peer_summary()
    assert not england.peers  # the neighbours are listed once per indicator

    # the same indicator with only the latest month: the period difference is named, never hidden
    short = MonthlyData(values={k: {month("2025-06"): 1.0} for k in data.values})
    (own_short, *_) = ascof_comparisons(evaluate(short, [BY_ID["self_directed_support"]]), short, published, NORFOLK)
    assert not own_short.like_for_like
    assert "different period: yours is the end of 2025-06, theirs the financial year 2024-25" in own_short.verdict()


# --- a withdrawn measure, dated by the council's own data -------------------------------------------------------


def test_withdrawn_delayed_transfers_are_dated_by_the_councils_last_value() -> None:
    data = MonthlyData()
    for m in range(month("2017-04"), month("2018-03") + 1):
        data.values.setdefault(("reviews_due", ""), {})[m] = 100.0
        data.values.setdefault(("reviews_overdue", ""), {})[m] = 10.0
    for m in range(month("2017-04"), month("2017-07") + 1):
        data.values.setdefault(("delayed_days_social_care", ""), {})[m] = 900.0
    shown = {r.indicator.id: r for r in evaluate(data)}
    delayed = shown["delayed_days_social_care"]
    # before: the newest month of any data (2018-03), where the council has no delayed days, so "no value"
    assert delayed.latest.month == "2017-07" and delayed.latest.value == 900.0
    assert "withdrawn measure" in delayed.dated_name() and "your data to 2017-07" in delayed.dated_name()
    assert "collected nationally until March 2020" in delayed.commentary()
    assert shown["reviews_overdue"].latest.month == "2018-03"


# --- the indicators a council tracks ----------------------------------------------------------------------------


def test_cli_track_shows_only_the_chosen_indicators(tmp_path: Path, examples: Path) -> None:
    done = run_careflow(
        "indicators", "report", str(examples / "indicators_synthetic.csv"), "--out", str(tmp_path / "d"),
        "--track", "reviews_overdue,admissions_65_plus", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert [r["id"] for r in answer["indicators"]] == ["reviews_overdue", "admissions_65_plus"]
    page = (tmp_path / "d" / "indicators.html").read_text(encoding="utf-8")
    assert "Long-term support reviews overdue" in page and "Average time to reable" not in page


def test_cli_unknown_indicator_is_a_located_problem_and_writes_nothing(tmp_path: Path, examples: Path) -> None:
    done = run_careflow(
        "indicators", "report", str(examples / "indicators_synthetic.csv"), "--out", str(tmp_path / "d"),
        "--track", "reviews_overdue", "--track", "admissions_65",
    )  # fmt: skip
    assert done.returncode != 0
    assert "--track" in (done.stdout + done.stderr) and "'admissions_65', which is not an indicator careflow knows" in (
        done.stdout + done.stderr
    )
    assert "admissions_65_plus" in (done.stdout + done.stderr)  # the expected list names the real ids
    assert "Traceback" not in (done.stdout + done.stderr) and not (tmp_path / "d").exists()


def test_workbook_tracked_sheet_chooses_the_indicators(tmp_path: Path) -> None:
    book = Workbook()
    monthly = book.active
    assert monthly is not None
    monthly.title = "monthly"
    monthly.append(["month", "measure", "value", "provider"])
    monthly.append(["2017-02", "reviews_due", 100, None])
    monthly.append(["2017-02", "reviews_overdue", 12, None])
    tracked = book.create_sheet("tracked")
    tracked.append(["indicator"])
    tracked.append(["reviews_overdue"])
    tracked.append(["direct_payments"])
    book.save(tmp_path / "monthly.xlsx")
    data = load_monthly(tmp_path / "monthly.xlsx")
    assert data.tracked == ("reviews_overdue", "direct_payments")
    assert [r.indicator.id for r in evaluate(data)] == ["reviews_overdue", "direct_payments"]

    tracked.append(["bed_days"])
    book.save(tmp_path / "monthly.xlsx")
    with pytest.raises(InputError) as caught:
        load_monthly(tmp_path / "monthly.xlsx")
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("tracked", 4, "indicator")


# --- provider rows add up to the council-wide figure ----------------------------------------------------------


def test_provider_rows_that_do_not_add_up_are_located(tmp_path: Path) -> None:
    path = write_monthly(tmp_path / "monthly.csv", [
        ["2017-02", "packages_reviewed", 60, ""],
        ["2017-02", "packages_reviewed", 30, "PRV-A"],
        ["2017-02", "packages_reviewed", 25, "PRV-B"],
        ["2017-02", "packages_reduced", 9, ""],
        ["2017-02", "packages_reduced", 6, "PRV-A"],
        ["2017-02", "packages_reduced", 3, "PRV-B"],
    ])  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_monthly(path)
    (problem,) = caught.value.problems  # the reductions add up; the reviews do not
    assert (problem.sheet, problem.row, problem.column) == ("monthly", 2, "value")
    assert "council-wide value is 60 but the providers add up to 55" in problem.found
    assert "PRV-B 25 (row 4)" in problem.found


def test_provider_rows_make_the_council_wide_figure_when_it_is_absent(tmp_path: Path) -> None:
    path = write_monthly(tmp_path / "monthly.csv", [
        ["2017-02", "packages_reviewed", 30, "PRV-A"],
        ["2017-02", "packages_reviewed", 30, "PRV-B"],
        ["2017-02", "packages_reduced", 6, "PRV-A"],
        ["2017-02", "packages_reduced", 3, "PRV-B"],
    ])  # fmt: skip
    (result,) = evaluate(load_monthly(path), [BY_ID["packages_reduced_on_review"]])
    assert result.latest.value == pytest.approx(15.0)  # 9 of 60; before, the council-wide value was missing
    assert "sum of the provider rows" in result.latest.note


# --- comparisons say whether they are like for like -------------------------------------------------------------


def test_reference_comparisons_label_both_periods_and_definitions(tmp_path: Path) -> None:
    from careflow.services import indicator_dashboard

    path = write_monthly(tmp_path / "monthly.csv", [
        ["2017-07", "delayed_days_social_care", 644.7, ""],
        ["2017-07", "delayed_days_trajectory", 860.3, ""],
    ])  # fmt: skip
    dashboard = indicator_dashboard(path, council_type="county", tracked=["delayed_days_social_care"], render=True)
    county = next(c for c in dashboard.comparisons if c.theirs.value == 115)
    assert county.sentence.startswith(
        "Yours 644.7 (2017-07, delayed transfer of care days attributable to social care, against trajectory) vs "
        "115.0 (County (CCN member), December 2014, delayed days, all causes) — not like for like"
    )
    assert not county.like_for_like and any("different period" in d for d in county.differences)
    assert any("social-care days only" in d for d in county.differences)
    page = next(f for f in dashboard.files if f.name == "indicators.html").data.decode()
    assert "December 2014; delayed days, all causes" in page and "not like for like" in page


def test_cli_compares_with_published_ascof_and_nearest_neighbours(tmp_path: Path, examples: Path) -> None:
    need_public(ODS, NEIGHBOURS)
    done = run_careflow(
        "indicators", "report", str(examples / "indicators_synthetic.csv"), "--out", str(tmp_path / "d"),
        "--track", "admissions_65_plus", "--ascof", str(ODS), "--neighbours", str(NEIGHBOURS),
        "--council-code", NORFOLK, "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    compared = json.loads(done.stdout)["comparisons"]
    assert [c["theirs"]["who"] for c in compared] == ["Norfolk", "England", "Shire Counties (average)"]
    assert compared[1]["theirs"]["value"] == pytest.approx(592.5)  # England 2024-25, Table 2c
    assert all(not c["like_for_like"] for c in compared)  # the synthetic data are 2016-18, not 2024-25
    assert "12 months to 2018-03" in compared[0]["differences"][0]
    assert len(compared[0]["peers"]) == 15

    refused = run_careflow(
        "indicators", "report", str(examples / "indicators_synthetic.csv"), "--out", str(tmp_path / "e"),
        "--ascof", str(ODS), "--council-code", "E99999999",
    )  # fmt: skip
    assert (
        refused.returncode != 0
        and "--council-code" in (refused.stdout + refused.stderr)
        and not (tmp_path / "e").exists()
    )
