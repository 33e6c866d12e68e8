"""The importer on NHS Digital's real 2021-22 tables (runs when ../shared/data/public is present)."""

from __future__ import annotations

import pytest

from careflow.imports import import_councils
from careflow.imports.reconcile import england_norms, review

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result(published_tables):  # type: ignore[no-untyped-def]
    return import_councils(published_tables)


def test_every_council_that_submitted_is_imported_and_the_others_refused(result) -> None:
    assert len(result.imported) == 150
    assert {r.code: r.name for r in result.refused} == {"E09000012": "Hackney", "E06000030": "Swindon"}
    assert all("did not submit the ASC-FR return for 2021-22" in r.reason for r in result.refused)


def test_totals_reconcile_or_say_why(result) -> None:
    norms = england_norms(result.publication, list(result.imported))
    for item in [*result.imported.values(), result.england]:
        checks = review(result.publication, item, norms).checks
        spend = [c for c in checks if "Table 14" in c.what or "Table 17" in c.what]
        assert all(c.holds for c in spend), (item.name, [c for c in spend if not c.holds])
        assert all(c.holds or c.reason for c in checks), (item.name, [c for c in checks if not c.holds])


def test_northumberland_reablement_is_flagged(result) -> None:
    item = result.imported["E06000057"]
    flags = review(result.publication, item, england_norms(result.publication, list(result.imported))).flags
    assert any("Short-term episodes per 100,000" in f.what and "3,200" in f.detail for f in flags)


def test_england_2021_22_levers_use_the_published_bases(result) -> None:
    from careflow.opportunity import evaluate

    outcome = evaluate(result.england.baseline)
    bases = {k: v.value for lever in outcome.levers for k, v in lever.inputs.items()}
    t1 = result.publication.table(1)
    assert (
        bases["older_short_term_episodes"]
        == t1.cell("E92000001", "New clients with an episode of ST-Max care and a known sequel", "65 and over").value
    )
    # Without ASCOF, admissions are care-home leavers: clients in a care home during the year less at the year end.
    during, year_end = result.publication.table(34), result.publication.table(38)
    leavers = sum(
        during.cell("E92000001", "65 and over", c).value - year_end.cell("E92000001", "65 and over", c).value
        for c in ("Nursing", "Residential")
    )
    assert bases["older_care_home_admissions"] == leavers == 62230
    assert all(lever.net_benefit_gbp > 0 for lever in outcome.levers)


def test_calamine_reads_the_tables_as_openpyxl_does(published_tables) -> None:  # type: ignore[no-untyped-def]
    """The fast reader gives the same values as openpyxl, cell for cell, on three tables the importer leans on."""
    from openpyxl import load_workbook

    from careflow.imports.tables import read_sheets

    fast = dict(read_sheets(published_tables.path, "the data tables"))
    book = load_workbook(published_tables.path, read_only=True, data_only=True)
    try:
        for name in ("T1", "T33", "T44"):
            slow = [tuple(None if v == "" else v for v in row) for row in book[name].iter_rows(values_only=True)]
            for number, (theirs, ours) in enumerate(zip(slow, fast[name], strict=False), start=1):
                width = max(len(theirs), len(ours))
                padded = (tuple(theirs) + (None,) * width)[:width], (tuple(ours) + (None,) * width)[:width]
                assert [(type(v), v) for v in padded[0]] == [(type(v), v) for v in padded[1]], (name, number)
            assert all(v is None for row in slow[len(fast[name]) :] for v in row)  # only empty rows beyond
    finally:
        book.close()
