"""Indicators show the refreshed ASCOF codes (2023/24 onward) beside the older ones, citing DHSC."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.outcomes.dashboard import ascof_label
from careflow.outcomes.indicators import ASCOF_CODES, BY_ID

PUBLIC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "public"
ODS = PUBLIC / "dhsc-ascof-time-series-2024-25.ods"


def test_admissions_show_both_numberings_with_dhsc_cited() -> None:
    label = ascof_label("admissions_65_plus")
    assert label.startswith("ASCOF 2C from 2023/24 (2A(2) before)") and "DHSC" in label
    assert ascof_label("delayed_days_social_care") == ""  # withdrawn: no refreshed code
    assert set(ASCOF_CODES) <= set(BY_ID)


def test_codes_agree_with_the_dhsc_renaming_notes() -> None:
    if not ODS.exists():
        pytest.skip(f"DHSC ASCOF time series not found at {ODS}")
    import re
    import zipfile

    text = zipfile.ZipFile(ODS).read("content.xml").decode("utf-8")
    notes = set(re.findall(r"Measure (\S+) was renamed to (\S+) in 2023 to 2024", text))
    for code in ASCOF_CODES.values():
        assert (code.older, code.refreshed) in notes, code


def test_delayed_transfers_only_where_the_council_has_that_data() -> None:
    from careflow.outcomes.indicators import MonthlyData, evaluate, month_index

    july = month_index("2017-07")
    assert july is not None
    without = MonthlyData(values={("reviews_due", ""): {july: 100.0}, ("reviews_overdue", ""): {july: 10.0}})
    assert "delayed_days_social_care" not in {r.indicator.id for r in evaluate(without)}
    with_delays = MonthlyData(values={**without.values, ("delayed_days_social_care", ""): {july: 912.0}})
    shown = {r.indicator.id: r for r in evaluate(with_delays)}
    assert shown["delayed_days_social_care"].latest.month == "2017-07"  # dated by the council's own data
