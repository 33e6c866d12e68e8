"""One vocabulary: baselines, case reviews and the flow model's series use the same terms, one spelling each."""

from __future__ import annotations

from careflow.baseline import io as baseline_io
from careflow.outcomes import reviews
from careflow.simulate.projection import SERIES
from careflow.vocabulary import SETTING_LABEL, SETTING_RUNG, SETTINGS, SUPPORT_REASON_LABEL, SUPPORT_REASONS


def test_baseline_columns_take_their_choices_from_the_vocabulary() -> None:
    long_term = next(t for t in baseline_io.TABLES if t.name == "long_term")
    assert long_term.column("setting").choices == SETTINGS
    assert long_term.column("support_reason").choices == SUPPORT_REASONS


def test_case_reviews_use_the_labels_of_the_same_terms() -> None:
    assert tuple(SUPPORT_REASON_LABEL[r] for r in SUPPORT_REASONS) == reviews.SUPPORT_REASONS
    assert {SETTING_LABEL[s] for s in SETTINGS} <= set(reviews.SETTINGS)
    assert [SETTING_RUNG[SETTING_LABEL[s]] for s in SETTINGS] == [3, 3, 4, 5, 6]  # the ladder's order


def test_flow_model_series_name_each_setting_by_its_label() -> None:
    for setting in SETTINGS:
        assert SETTING_LABEL[setting] in SERIES[f"caseload_{setting}"][1]
