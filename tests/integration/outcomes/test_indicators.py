"""Indicators on hand-computed data: every definition, zero denominators, missing months, RAG both ways."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from careflow.errors import InputError
from careflow.outcomes.indicators import (
    BY_ID,
    MEASURES,
    REGISTRY,
    WEEKS,
    MonthlyData,
    evaluate,
    load_monthly,
    month_index,
    rag,
    reading,
)
from careflow.outcomes.references import REFERENCES, references_for
from cli_runner import run_careflow

FEB_2017 = month_index("2017-02")
assert FEB_2017 is not None


def data_for(month: int, values: dict[str, float], provider: str = "", into: MonthlyData | None = None) -> MonthlyData:
    data = into or MonthlyData()
    for measure, value in values.items():
        data.values.setdefault((measure, provider), {})[month] = value
    return data


def value_of(indicator: str, data: MonthlyData, month: int = FEB_2017, provider: str = "") -> float | None:
    return reading(BY_ID[indicator], data, month, provider).value


def test_registry_is_complete_and_consistent() -> None:
    assert len(REGISTRY) >= 13
    for indicator in REGISTRY:
        assert indicator.numerator in MEASURES
        assert indicator.denominator in (None, WEEKS) or indicator.denominator in MEASURES
        assert indicator.direction in ("higher", "lower")
        assert indicator.target is not None or indicator.target_measure in MEASURES
        assert indicator.source and indicator.unit and indicator.period


def test_quoted_figures_are_printed_where_cited(seed: Callable[[str, int], str]) -> None:
    values = [v for i in REGISTRY for v in (i.target_provenance, i.reference) if v is not None]
    values += [r.value for r in REFERENCES]
    quoted = [v for v in values if v.provenance.kind == "quoted"]
    # figures quoted from a published table (a cell, not a line of a report) are checked against the table
    # itself in test_indicators_current.py
    cells = [v for v in quoted if "!" in v.provenance.line]
    assert {v.provenance.document for v in cells} <= {"dhsc-ascof-time-series-2024-25.ods"}
    quoted = [v for v in quoted if v not in cells]
    assert len(quoted) >= 20
    for value in quoted:
        p = value.provenance
        line = seed(p.document, int(p.line.lstrip("L")))
        assert p.as_printed in line
        assert f"{value.value:g}" in p.as_printed.replace(",", "")


def test_rolling_admissions_rate_and_missing_months() -> None:
    data = MonthlyData()
    for month in range(FEB_2017 - 11, FEB_2017 + 1):
        data_for(month, {"permanent_admissions_65_plus": 10, "permanent_admissions_18_64": 1}, into=data)
    data_for(FEB_2017, {"population_65_plus": 200_000, "population_18_64": 500_000}, into=data)
    assert value_of("admissions_65_plus", data) == pytest.approx(120 / 200_000 * 100_000)  # 60.0
    assert value_of("admissions_18_64", data) == pytest.approx(12 / 500_000 * 100_000)  # 2.4
    assert reading(BY_ID["admissions_65_plus"], data, FEB_2017).rag == "green"  # 60 ≤ 600, lower is better
    del data.values[("permanent_admissions_65_plus", "")][FEB_2017 - 5]
    missing = reading(BY_ID["admissions_65_plus"], data, FEB_2017)
    assert missing.value is None and missing.rag == "no data"
    assert "2016-09" in missing.note


@pytest.mark.parametrize(
    ("indicator", "values", "expected", "colour"),
    [
        ("still_home_91_days", {"at_home_91_days": 45, "reablement_discharges_65_plus": 50}, 90.0, "green"),
        ("short_term_no_or_lower_support", {"short_term_no_or_lower_support": 300, "short_term_episodes_ended": 400},
         75.0, "amber"),  # 4 points short of 79, margin 4
        ("short_term_no_or_lower_support", {"short_term_no_or_lower_support": 280, "short_term_episodes_ended": 400},
         70.0, "red"),
        ("front_door_resolved", {"front_door_resolved_without_assessment": 620, "front_door_contacts": 1000}, 62.0,
         "green"),
        ("reviews_overdue", {"reviews_overdue": 50, "reviews_due": 1000}, 5.0, "green"),
        ("reviews_overdue", {"reviews_overdue": 160, "reviews_due": 1000}, 16.0, "red"),  # lower is better
        ("packages_reduced_on_review", {"packages_reduced": 6, "packages_reviewed": 30}, 20.0, "green"),
        ("packages_increased_on_review", {"packages_increased": 6, "packages_reviewed": 30}, 20.0, "amber"),
        ("reablement_finishing_per_week", {"reablement_finished": 100}, 25.0, "green"),  # Feb 2017: 4 weeks
        ("reablement_average_days", {"reablement_days_total": 2800, "reablement_finished": 100}, 28.0, "green"),
        ("reablement_average_days", {"reablement_days_total": 3600, "reablement_finished": 100}, 36.0, "red"),
        ("reablement_independent", {"reablement_independent": 55, "reablement_finished": 100}, 55.0, "amber"),
        ("reablement_ongoing_weekly_cost", {"ongoing_weekly_cost_total": 9000, "ongoing_packages_after_reablement": 40},
         225.0, "amber"),
        ("delayed_days_social_care", {"delayed_days_social_care": 560, "delayed_days_trajectory": 587.3}, 560.0,
         "green"),
        ("delayed_days_social_care", {"delayed_days_social_care": 600, "delayed_days_trajectory": 587.3}, 600.0,
         "amber"),
        ("delayed_days_social_care", {"delayed_days_social_care": 700, "delayed_days_trajectory": 587.3}, 700.0,
         "red"),
        # the refreshed ASCOF measures (default target: England's 2024-25 outcome)
        ("reablement_no_further_request", {"reablement_no_further_request": 80, "reablement_new_clients": 100}, 80.0,
         "green"),
        ("community_12_weeks_after_discharge", {"in_community_12_weeks": 58, "reablement_discharges_12_weeks_before":
         100}, 58.0, "amber"),  # 2.7 points short of 60.7, margin 3
        ("discharges_offered_reablement", {"discharged_to_reablement_65_plus": 30, "hospital_discharges_65_plus": 1000},
         3.0, "red"),  # 2.7 points short of 5.7, margin 1
        ("ld_living_at_home_18_64", {"long_term_support_ld_18_64_at_home": 850, "long_term_support_ld_18_64": 1000},
         85.0, "green"),
        ("living_at_home_18_64", {"long_term_support_18_64_at_home": 700, "long_term_support_18_64": 1000}, 70.0,
         "red"),
        ("living_at_home_65_plus", {"long_term_support_65_plus_at_home": 600, "long_term_support_65_plus": 1000},
         60.0, "amber"),
        ("self_directed_support", {"self_directed_support": 900, "long_term_community_support": 1000}, 90.0, "green"),
        ("direct_payments", {"direct_payments": 200, "long_term_community_support": 1000}, 20.0, "red"),
    ],
)  # fmt: skip
def test_each_indicator_on_hand_computed_data(
    indicator: str, values: dict[str, float], expected: float, colour: str
) -> None:
    result = reading(BY_ID[indicator], data_for(FEB_2017, values), FEB_2017)
    assert result.value == pytest.approx(expected)
    assert result.rag == colour


def test_every_indicator_has_a_hand_computed_case() -> None:
    import inspect

    source = inspect.getsource(sys.modules[__name__])
    for indicator in REGISTRY:
        assert f'"{indicator.id}"' in source, indicator.id


def test_division_by_zero_gives_no_value_and_says_why() -> None:
    result = reading(BY_ID["front_door_resolved"], data_for(FEB_2017, {
        "front_door_resolved_without_assessment": 0, "front_door_contacts": 0}), FEB_2017)  # fmt: skip
    assert result.value is None and result.rag == "no data"
    assert "zero" in result.note


def test_trajectory_missing_for_month_means_no_target() -> None:
    result = reading(BY_ID["delayed_days_social_care"], data_for(FEB_2017, {"delayed_days_social_care": 500}), FEB_2017)
    assert result.value == 500 and result.target is None and result.rag == "no data"


def test_rag_lower_is_better_mirrors_higher() -> None:
    assert rag(10, 12, "lower", 1) == "green"
    assert rag(12.5, 12, "lower", 1) == "amber"
    assert rag(14, 12, "lower", 1) == "red"
    assert rag(14, 12, "higher", 1) == "green"
    assert rag(11.5, 12, "higher", 1) == "amber"
    assert rag(None, 12, "higher", 1) == "no data"


def test_trend_previous_and_year_ago_and_local_targets() -> None:
    data = MonthlyData()
    for offset, overdue in ((-12, 200), (-1, 120), (0, 100)):
        data_for(FEB_2017 + offset, {"reviews_overdue": overdue, "reviews_due": 1000}, into=data)
    data.targets["reviews_overdue"] = (9.0, 2.0)
    (result,) = evaluate(data, [BY_ID["reviews_overdue"]])
    assert result.latest.value == pytest.approx(10.0)
    assert result.previous is not None and result.previous.value == pytest.approx(12.0)
    assert result.year_ago is not None and result.year_ago.value == pytest.approx(20.0)
    assert result.change == pytest.approx(-2.0)
    assert result.trend == "improving"  # fewer overdue reviews
    assert result.latest.target == 9.0 and result.latest.rag == "amber"
    # the months between are in the series, without a value, so gaps show in the trend line
    assert len(result.series) == 13
    assert result.series[5].value is None
    assert "improving" in result.commentary().lower()


def test_by_provider_breakdown() -> None:
    data = data_for(FEB_2017, {"packages_reduced": 9, "packages_reviewed": 60})
    data_for(FEB_2017, {"packages_reduced": 6, "packages_reviewed": 30}, "PRV-A", data)
    data_for(FEB_2017, {"packages_reduced": 3, "packages_reviewed": 30}, "PRV-B", data)
    (result,) = evaluate(data, [BY_ID["packages_reduced_on_review"]])
    assert result.latest.value == pytest.approx(15.0)
    assert {p.provider: (p.value, p.rag) for p in result.by_provider} == {
        "PRV-A": (pytest.approx(20.0), "green"),
        "PRV-B": (pytest.approx(10.0), "red"),
    }


def write_monthly(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["month", "measure", "value", "provider"])
        writer.writerows(rows)
    return path


def test_bad_monthly_file_lists_every_problem(tmp_path: Path) -> None:
    path = write_monthly(tmp_path / "monthly.csv", [
        ["2017-13", "reviews_due", 100, ""],
        ["2017-02", "reviews_due", "many", ""],
        ["2017-02", "reviews_overdue", 5, ""],
        ["2017-02", "reviews_overdue", 6, ""],
        ["2017-02", "bed_days", 6, ""],
        ["2017-02", "reviews_overdue", -1, "PRV-A"],
    ])  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_monthly(path)
    located = sorted((p.row, p.column) for p in caught.value.problems)
    assert located == [(2, "month"), (3, "value"), (5, "measure"), (6, "measure"), (7, "value")]


def test_cli_report_writes_dashboard_and_excel(tmp_path: Path, examples: Path) -> None:
    out = tmp_path / "dash"
    done = run_careflow("indicators", "report", str(examples / "indicators_synthetic.csv"),
         "--out", str(out), "--council-type", "county", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (out / "indicators.html").read_text(encoding="utf-8")
    assert "<svg" in page and "rag-" in page and "http" not in page.split("<svg")[0]
    assert "115" in page and "County (CCN member)" in page
    workbook = load_workbook(out / "indicators.xlsx", read_only=True)
    assert {"Latest", "Series", "By provider", "Definitions", "References"} <= set(workbook.sheetnames)
    assert workbook["Latest"].max_row == len(REGISTRY) + 1


def test_cli_report_bad_input_writes_nothing(tmp_path: Path) -> None:
    source = write_monthly(tmp_path / "monthly.csv", [["July", "reviews_due", 100, ""]])
    out = tmp_path / "dash"
    done = run_careflow("indicators", "report", str(source), "--out", str(out))  # fmt: skip
    assert done.returncode == 2
    assert "YYYY-MM" in done.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monthly.csv"]


def test_references_by_council_type() -> None:
    county = references_for("county")
    assert {r.council_type for r in county} == {"county", "england"}
    delayed = {r.council_type: r.value.value for r in REFERENCES if r.indicator == "delayed_days_social_care"}
    assert delayed == {"county": 115, "england": 88}
    growth = {r.council_type: r.value.value for r in REFERENCES if r.indicator == "delayed_growth"}
    assert growth == {"county": 68, "metropolitan": 49, "unitary": 48, "london": 38}


def test_template_reads_back_and_list_is_json(tmp_path: Path) -> None:
    import json

    template = tmp_path / "monthly.xlsx"
    done = run_careflow("indicators", "template", str(template))  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = load_monthly(template)  # the example row is valid
    assert data.get("delayed_days_social_care", month_index("2017-07") or 0) == 912
    listed = run_careflow("indicators", "list", "--json")  # fmt: skip
    ids = [i["id"] for i in json.loads(listed.stdout)["indicators"]]
    assert ids == [i.id for i in REGISTRY]


def test_local_targets_sheet_in_a_workbook(tmp_path: Path) -> None:
    from careflow.outcomes.indicators import MONTHLY, TARGETS
    from careflow.tabular import write_workbook

    path = tmp_path / "monthly.xlsx"
    write_workbook(path, [MONTHLY, TARGETS], "test", [], rows={
        "monthly": [["2017-02", "reviews_overdue", 80, None], ["2017-02", "reviews_due", 1000, None]],
        "targets": [["reviews_overdue", 7.5, 1]],
    })  # fmt: skip
    (result,) = evaluate(load_monthly(path), [BY_ID["reviews_overdue"]])
    assert result.latest.value == pytest.approx(8.0)
    assert (result.latest.target, result.latest.rag) == (7.5, "amber")
