"""The importer's faithful rules, on a synthetic copy of the ASC-FR and SALT tables kept in the repository."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from careflow.baseline.io import read_baseline_file, write_baseline_workbook
from careflow.imports import import_councils, resolve_council
from careflow.imports.ipf import ipf, whole_numbers
from careflow.imports.reconcile import england_norms, review
from careflow.imports.tables import Publication
from careflow.provenance import Derived, Quoted
from cli_runner import run_careflow

from .synthetic import write_fixture


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("tables") / "ASCFR and SALT Data Tables 2021-22.xlsx")


@pytest.fixture(scope="module")
def result(tables: Path):
    return import_councils(tables)


def test_tables_are_found_by_title_and_columns_by_labels(tables: Path) -> None:
    pub = Publication(tables)
    assert pub.year == "2021-22" and pub.financial_year == "2021/22"
    cell = pub.table(44, "long term care for clients aged 65 and over").cell("E10000901", "Residential")
    assert (cell.line, cell.value) == ("T44!G12", 87300.0)
    # Three header rows, merged labels: the 2021-22 column, not 2020-21, of a year-on-year table.
    assert pub.table(17).cell("E10000901", "Long Term Care", "2021-22", "65 and Over").value == pytest.approx(
        sum((10300, 87300, 9400, 6000, 26200, 5200, 2900))
    )


def test_councils_are_matched_on_code_not_name(tables: Path, tmp_path: Path, result) -> None:
    # Reorder Table 44 and rename its councils: the money must still land with the right council.
    book = load_workbook(tables)
    sheet = book["T44"]
    rows = {r: [c.value for c in sheet[r]] for r in (12, 15)}
    for target, source in ((12, 15), (15, 12)):
        for col, value in enumerate(rows[source], start=1):
            sheet.cell(target, col, value)
    sheet.cell(15, 3, "A Different Name")
    moved = tmp_path / "moved.xlsx"
    book.save(moved)
    again = import_councils(moved, ["E10000901"], include_england=False)
    assert again.imported["E10000901"].baseline.long_term_gross("65+") == pytest.approx(
        result.imported["E10000901"].baseline.long_term_gross("65+")
    )
    pub = Publication(tables)
    assert resolve_council(pub, "901") == resolve_council(pub, "northshire") == "E10000901"


def test_money_in_thousands_becomes_pounds_and_is_quoted_with_its_cell(result) -> None:
    b = result.imported["E10000901"].baseline
    assert b.long_term_gross("65+", ("residential",)) == pytest.approx(87_300_000)
    short = next(r for r in b.other_spend if r.category == "short_term" and r.age_band == "65+")
    assert short.gross_gbp == pytest.approx(20_300_000)
    source = short.sources["gross_gbp"]
    assert isinstance(source, Quoted)
    assert source.conversion == "£000 × 1,000" and source.source_id == "nhs-ascfr-salt-2021-22"
    assert source.location == "Table 17, Northshire (E10000901), 'Short Term Care / 2021-22 / 65 and Over'"
    assert source.line.startswith("T17!") and source.as_printed == "20300"


def test_net_is_gross_less_client_contributions_only(result) -> None:
    b = result.imported["E10000901"].baseline
    contributions = (8800 + 34700 + 130 + 1170 + 2650) * 1000
    assert b.net_spend() == pytest.approx(b.gross_spend() - contributions)
    checks = {c.what: c for c in review(result.publication, result.imported["E10000901"], _norms(result)).checks}
    net = checks["Net total expenditure (Table 1)"]
    assert not net.holds and "capital spend of £14.0m" in net.reason and "unexplained" not in net.reason
    assert checks["Gross current expenditure (Table 14)"].holds


def _norms(result):
    return england_norms(result.publication, list(result.imported))


def test_clients_basis_is_chosen_and_recorded(tables: Path, result) -> None:
    during = import_councils(tables, ["E10000901"], "during-year", include_england=False).imported["E10000901"]
    year_end = result.imported["E10000901"]
    assert during.clients_basis == "during-year" and "during year" in during.baseline.council.note
    assert during.baseline.clients() > year_end.baseline.clients() * 1.15
    # Money is the same either way; only the clients it is shared among change.
    assert during.baseline.gross_spend() == pytest.approx(year_end.baseline.gross_spend())


def test_suppressed_cells_keep_their_bounds_and_warn_under_a_lever(result) -> None:
    item = result.imported["E09000901"]
    assert {c.line for c in item.suppressed} >= {"T38!G14", "T37!L14"}
    assert all(c.bounds == (0.0, 4.0) for c in item.suppressed)
    warnings = " ".join(item.warnings)
    assert "learning-disability clients aged 18-64 in residential care lever rests on a suppressed cell" in warnings
    assert "meaning 0–4" in warnings
    assert not any("rests on a suppressed cell" in w for w in result.imported["E10000901"].warnings)


def test_a_council_that_did_not_submit_is_refused_with_the_reason(result) -> None:
    assert [r.code for r in result.refused] == ["E06000901"]
    assert "did not submit the ASC-FR return for 2021-22" in result.refused[0].reason
    assert "[x]" in result.refused[0].reason


def test_negative_values_and_money_without_clients_are_kept_as_adjustments(result) -> None:
    item = result.imported["E06000902"]
    adjustment = {r.age_band: r.gross_gbp for r in item.baseline.other_spend if r.category == "adjustment"}
    assert adjustment["65+"] == pytest.approx(-25_000)
    assert adjustment["18-64"] == pytest.approx(1_200_000)  # nursing money, no nursing clients
    checks = review(result.publication, item, _norms(result)).checks
    assert all(c.holds for c in checks if "spend" in c.what or "Gross" in c.what)


def test_cross_tables_are_fitted_to_the_councils_margins_from_englands_seed(result) -> None:
    item = result.imported["E10000901"]
    fit = next(f for f in item.fits if f.what.startswith("long-term clients aged 18-64"))
    fitted = np.array(fit.fitted)
    assert fitted.sum(axis=1) == pytest.approx(fit.row_margin, abs=1e-3)
    assert fitted.sum(axis=0) == pytest.approx(fit.column_margin, abs=1e-3)
    assert "Table 39 (England" in fit.seed_source and np.array(fit.seed).shape == (6, 5)
    # The seed's association survives: learning disability leans further to supported living than physical support.
    reasons = ["physical_support", "sensory_support", "memory_and_cognition", "learning_disability"]
    ld, physical = fitted[reasons.index("learning_disability")], fitted[reasons.index("physical_support")]
    assert ld[2] / ld.sum() > physical[2] / physical.sum()


def test_ipf_matches_margins_and_whole_numbers_keep_totals() -> None:
    seed = np.array([[1.0, 2.0], [3.0, 4.0]])
    fit = ipf(seed, np.array([10.0, 20.0]), np.array([12.0, 18.0]))
    assert fit.table.sum(axis=1) == pytest.approx([10, 20]) and fit.table.sum(axis=0) == pytest.approx([12, 18])
    rounded = whole_numbers(np.array([0.4, 0.4, 1.2]))
    assert rounded.sum() == 2 and set(rounded) <= {0.0, 1.0}


def test_workbook_keeps_provenance_kinds_when_read_back(result, tmp_path: Path) -> None:
    baseline = result.imported["E10000901"].baseline
    path = tmp_path / "northshire.xlsx"
    write_baseline_workbook(path, baseline)
    back = read_baseline_file(path)
    kinds = {
        p.kind
        for t in ("population", "requests", "long_term", "other_spend")
        for r in getattr(back, t)
        for p in r.sources.values()
    }
    assert kinds == {"quoted", "derived", "assumed"}
    assert isinstance(back.long_term[0].sources["weekly_cost_gbp"], Derived)
    # A figure the user changes is the user's own from then on.
    book = load_workbook(path)
    assert "clients year end" in book["sources"]["F2"].value  # the clients basis is recorded in the workbook
    book["population"]["B4"] = 123_456
    book.save(path)
    edited = read_baseline_file(path)
    assert edited.population[0].sources["people"].kind == "local"
    assert edited.population[1].sources["people"].kind == "assumed"


def test_import_command_writes_baselines_summary_and_report_and_refuses_to_overwrite(
    tables: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = run_careflow("import", "--tables", str(tables), "--all", "--out", str(out))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "E10000901-northshire.xlsx" in names and "summary.csv" in names and "import-report.html" in names
    assert "E06000901-nosubmit.xlsx" not in names
    summary = (out / "summary.csv").read_text(encoding="utf-8")
    assert "refused" in summary and "did not submit the ASC-FR return" in summary
    report = (out / "import-report.html").read_text(encoding="utf-8")
    assert "Councils refused" in report and "Northshire" in report
    again = run_careflow("import", "--tables", str(tables), "--all", "--out", str(out))
    assert again.returncode == 2 and "7 problem(s)" in again.stderr  # 3 councils, England, summary ×2, report
    forced = run_careflow("import", "--tables", str(tables), "--council", "901", "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    refused = run_careflow("import", "--tables", str(tables), "--council", "E06000901", "--out", str(tmp_path / "x"))
    assert refused.returncode == 2 and "did not submit" in refused.stdout + refused.stderr


def test_ascof_admissions_replace_the_proxy_and_say_their_year(tables: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Geographical Code",
            "Geographical Description",
            "Geographical Level",
            "ONS Code",
            "ASCOF Measure Code",
            "Disaggregation Level",
            "Measure Type",
            "Measure Value",
        ]
    )
    sheet.append([901, "Northshire", "Council", "E10000901", "2A1", "Total", "Numerator", 80])
    sheet.append([901, "Northshire", "Council", "E10000901", "2A2", "Total", "Outcome", 553.8])
    sheet.append([901, "Northshire", "Council", "E10000901", "2A2", "Total", "Numerator", 1248])
    path = tmp_path / "ascof-2020-21.xlsx"
    book.save(path)
    result = import_councils(tables, ["E10000901", "E09000901"], ascof=path, include_england=False)
    northshire, southborough = result.imported["E10000901"], result.imported["E09000901"]
    assert northshire.baseline.care_home_admissions("65+") == 1248 and not northshire.admissions_proxy
    source = next(a for a in northshire.baseline.admissions if a.age_band == "65+").sources["admissions"]
    assert isinstance(source, Quoted) and source.line == "row 4" and source.source_id == "nhs-ascof-2020-21"
    assert any("ASCOF 2A for 2020-21" in w and "2021-22" in w for w in northshire.warnings)
    assert southborough.admissions_proxy  # not in the ASCOF file: the proxy, flagged


def test_population_file_splits_65_plus_by_the_councils_own_shares(tables: Path, tmp_path: Path) -> None:
    ages = [str(a) for a in range(0, 90)] + ["90+"]
    counts = {a: (100 if a in ("65", "66") else 50 if a == "90+" else 0) for a in ages}
    path = tmp_path / "mid-2024.csv"
    path.write_text(
        "Code,Name,Geography,All ages,"
        + ",".join(ages)
        + "\n"
        + "E10000901,Northshire,County,300,"
        + ",".join(str(counts[a]) for a in ages)
        + "\n",
        encoding="utf-8",
    )
    item = import_councils(tables, ["E10000901"], population=path, include_england=False).imported["E10000901"]
    bands = {p.age_band: p.people for p in item.baseline.population}
    older = 160_000  # Table 12's 65+ total is kept; the file gives only the shares (200 : 0 : 50)
    assert bands["65-74"] == 0.8 * older and bands["75-84"] == 0 and bands["85+"] == 0.2 * older
    assert "mid-2024" in item.baseline.population[1].sources["people"].describe()


def test_a_renamed_column_is_a_located_input_problem(tables: Path, tmp_path: Path) -> None:
    from careflow.errors import InputError

    book = load_workbook(tables)
    book["T44"]["G7"] = "Care homes"  # was "Residential"
    broken = tmp_path / "renamed.xlsx"
    book.save(broken)
    with pytest.raises(InputError) as caught:
        import_councils(broken, ["E10000901"], include_england=False)
    problem = caught.value.problems[0]
    assert problem.sheet == "T44" and "'Residential'" in problem.found and "Table 44" in problem.found
    done = run_careflow("import", "--tables", str(broken), "--council", "901", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and not (tmp_path / "o").exists()


def test_bad_options_and_a_missing_england_file_are_clear(tables: Path, tmp_path: Path, monkeypatch) -> None:
    from careflow.errors import InputError
    from careflow.imports import england

    done = run_careflow(
        "import", "--tables", str(tables), "--council", "901", "--clients", "sometimes", "--out", str(tmp_path)
    )
    assert done.returncode == 2 and "year-end or during-year" in done.stderr
    monkeypatch.setenv(england.PUBLIC_DATA_ENV, str(tmp_path / "nowhere"))
    england.england_2021_22.cache_clear()
    with pytest.raises(InputError) as caught:
        england.england_2021_22()
    assert "2021-22 ASC-FR and SALT data tables" in str(caught.value)
    england.england_2021_22.cache_clear()


def test_request_outcomes_come_from_what_happened_next(result) -> None:
    b = result.imported["E10000901"].baseline
    for age in ("18-64", "65+"):
        outcomes = sum(r.requests for r in b.request_outcomes if r.age_band == age)
        assert outcomes == pytest.approx(b.total_requests(age), rel=0.01)
    short = next(r for r in b.request_outcomes if r.age_band == "65+" and r.outcome == "short_term")
    assert isinstance(short.sources["requests"], Quoted) and short.sources["requests"].line.startswith("T11!")


def test_year_on_year_tables_give_a_series_per_council(tables: Path) -> None:
    series = Publication(tables).table(17).series("E10000901", "Long Term Care", "65 and Over")
    assert list(series) == ["2020-21", "2021-22"]
    assert series["2020-21"].value == pytest.approx(0.95 * series["2021-22"].value)
