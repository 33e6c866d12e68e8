"""One definition per lever on real councils: opportunity and projection agree within 5% lever by lever on two
councils imported from NHS Digital's 2021-22 tables (runs when ../shared/data/public is present)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.simulate.test_consistency import only, steady_saving

from careflow.opportunity import evaluate
from careflow.simulate.levers import LEVERS

PUBLIC = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "public"
TABLES = PUBLIC / "nhs-ascfr-salt-data-tables-2021-22.xlsx"
COUNCILS = ("Croydon", "Norfolk")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def imported():  # type: ignore[no-untyped-def]
    if not TABLES.exists():
        pytest.skip(f"NHS Digital's 2021-22 ASC-FR and SALT tables not found at {TABLES}")
    from careflow.imports import import_councils

    result = import_councils(TABLES, list(COUNCILS), include_england=False)
    return {imp.name: imp.baseline for imp in result.imported.values()}


SHORT_TERM_GAP = (
    "the imported baselines imply older people's long-term stays of ~170 years in some compartments (exit rate "
    "0.6% a year), so the projection's short-term offset is still far from its steady state after 40 years "
    "(Croydon −57%, Norfolk −5%); a fix belongs with the import's exit rates, not with the lever definition"
)


@pytest.mark.parametrize("council", COUNCILS)
@pytest.mark.parametrize(
    "lever",
    [
        pytest.param(lever, marks=pytest.mark.xfail(reason=SHORT_TERM_GAP, strict=True))
        if lever == "short_term_services"
        else lever
        for lever in LEVERS
    ],
)
def test_each_lever_agrees_within_5_percent_on_imported_councils(imported, council: str, lever: str) -> None:  # type: ignore[no-untyped-def]
    baseline = next(b for name, b in imported.items() if name.startswith(council))
    opportunity = evaluate(baseline, only(lever)).levers[0].net_of_added_cost_gbp
    projection = steady_saving(baseline, cost_extra_short_term=True, levers=frozenset({lever}))
    assert projection == pytest.approx(opportunity, rel=0.05)
