"""England's default projection grows in real terms within the published anchors (docs/projection-calibration.md).

Anchors: NHS Digital ASC-FR 2021-22 Table 4, gross current expenditure 2016-17 → 2021-22 in real terms, about 2.3%
a year; CPEC/LSE (2020) about 3.3% a year to 2038; Health Foundation REAL Centre (2023) about 3.4% a year.
"""

from __future__ import annotations

import pytest

from careflow.baseline.england import england_2019_20
from careflow.simulate.projection import project
from careflow.simulate.settings import GDP_DEFLATOR_GROWTH, ProjectionSettings

TABLE_4_REAL = (21_958_360.129 / 19_563_535.018) ** (1 / 5) - 1  # T4 real terms, £000, 2021-22 ÷ 2016-17
ANCHOR_HIGH = 0.034  # Health Foundation REAL Centre (2023)


@pytest.mark.slow
def test_england_median_real_growth_is_within_the_anchors() -> None:
    baseline = england_2019_20()
    result = project(baseline, [("baseline", None)], ProjectionSettings(years=5, runs=200, seed=1))
    final = result.scenarios["baseline"].series["gross_spend_gbp"].p50[-1]
    cash = (final / result.base_gross_gbp) ** (1 / 5) - 1
    real = (1 + cash) / (1 + GDP_DEFLATOR_GROWTH) - 1
    assert TABLE_4_REAL <= real <= ANCHOR_HIGH
