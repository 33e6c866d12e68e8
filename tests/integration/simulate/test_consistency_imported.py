"""One definition per lever on real councils: opportunity and projection agree within 5% lever by lever on two
councils imported from NHS Digital's 2021-22 tables (runs when ../shared/data/public is present)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.unit.simulate.test_consistency import only, steady_saving

from careflow.opportunity import evaluate
from careflow.simulate.levers import LEVERS

COUNCILS = ("Croydon", "Norfolk")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def imported(published_tables):  # type: ignore[no-untyped-def]
    from careflow.imports import import_councils

    result = import_councils(published_tables, list(COUNCILS), include_england=False)
    return {imp.name: imp.baseline for imp in result.imported.values()}


@pytest.mark.parametrize("council", COUNCILS)
@pytest.mark.parametrize("lever", LEVERS)
def test_each_lever_agrees_within_5_percent_on_imported_councils(imported, council: str, lever: str) -> None:  # type: ignore[no-untyped-def]
    baseline = next(b for name, b in imported.items() if name.startswith(council))
    opportunity = evaluate(baseline, only(lever)).levers[0].net_of_added_cost_gbp
    projection = steady_saving(baseline, cost_extra_short_term=True, levers=frozenset({lever}))
    assert projection == pytest.approx(opportunity, rel=0.05)


@pytest.mark.parametrize("council", COUNCILS)
def test_imported_stays_in_long_term_support_are_plausible(imported, council: str) -> None:
    """Exit rates come from published leavers (and care-home admissions from care-home leavers), not only from new
    clients' routes in: no compartment implies an average stay of decades (Croydon's used to imply 170 years)."""
    from careflow.simulate.model import flow_model
    from careflow.simulate.settings import ProjectionSettings

    baseline = next(b for name, b in imported.items() if name.startswith(council))
    model = flow_model(baseline, ProjectionSettings())
    live = (model.caseload > 0) & np.array([k == "baseline" for k in model.cells.kind])
    assert (1.0 / model.exit_rate[live]).max() < 15.0  # years
    # In the steady state the model's exits a year are the published leavers, or the entrants the request and
    # short-term counts show where those are more (Norfolk's working-age adults: 582 entrants, 525 leavers).
    for a, band in enumerate(("18-64", "65+")):
        cell = live & (model.cells.age == a)
        leavers = baseline.leavers(band)  # type: ignore[arg-type]
        assert leavers is not None and leavers > 0
        exits = (model.exit_rate[cell] * model.caseload[cell]).sum()
        if model.other_entrants[a] > 0:
            assert exits == pytest.approx(leavers, rel=0.01)
        else:
            assert exits >= leavers
