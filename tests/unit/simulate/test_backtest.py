"""Backtest on NHS Digital's and ONS's published files: readers, ONS roll-up, calibration, the command end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.baseline.schema import AGE_BANDS, POPULATION_BANDS
from careflow.simulate.backtest import Councils, calibrate_model_error, council_spend, growth_factors
from careflow.simulate.demography import SNPP_FILE, older_projection
from careflow.simulate.drivers import GROUP_OF_SETTING
from careflow.simulate.engine import simulate
from careflow.simulate.history import england_series, read_tables
from careflow.simulate.levers import lever_plan
from careflow.simulate.model import flow_model
from careflow.simulate.settings import MODEL_ERROR_COUNCIL, MODEL_ERROR_NATIONAL, UNIT_COST_GROUPS, ProjectionSettings
from cli_runner import run_careflow

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "public"
needs_data = pytest.mark.skipif(
    not (DATA / "nhs-ascfr-salt-data-tables-2021-22.xlsx").is_file(), reason=f"public data not found at {DATA}"
)


@needs_data
def test_table_15_england_total_agrees_with_table_4() -> None:
    """Two tables of the same publication, read by their headings, give England's 2021-22 spend alike."""
    t15 = read_tables(DATA, (15,))[15]
    total = t15.series("Total Gross Current Expenditure (GCE)", "2021-22")["E92000001"] * 1000
    assert total == pytest.approx(england_series(DATA)["2021-22"][0], rel=1e-9)
    assert len(england_series(DATA)) == 17  # 2005-06 … 2021-22
    # Northamptonshire's 2021-22 figure is its two new councils' sum (the area of 2020-21).
    parts = t15.series("Total Gross Current Expenditure (GCE)", "2021-22")
    assert parts["E10000021"] == pytest.approx(parts["E06000061"] + parts["E06000062"])


@needs_data
def test_older_people_roll_up_to_upper_tier_without_losing_anyone() -> None:
    """Every English lower-tier area's 65+ in ONS's 2016-based projection lands in exactly one upper tier."""
    total = np.zeros(3)
    with open(DATA / SNPP_FILE, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            age = int(row["AGE_GROUP"])
            if age >= 65 and row["AREA_CODE"].startswith("E"):
                total[0 if age < 75 else 1 if age < 85 else 2] += float(row["2020"])
    rolled = sum(v[4] for v in older_projection(DATA).values())
    np.testing.assert_allclose(rolled, total, rtol=1e-12)
    assert 150 <= len(older_projection(DATA)) <= 152


@pytest.mark.parametrize("builder", [demoshire, england_2019_20], ids=["demo", "england"])
def test_backtest_growth_matches_the_flow_engine_expected_path(builder) -> None:
    """The backtest applies the drivers to a spend split; over five years it stays within 0.2% of the engine."""
    baseline = builder()
    settings = ProjectionSettings().with_central_drivers()
    long_term = np.zeros((1, 2, len(UNIT_COST_GROUPS)))
    for r in baseline.long_term:
        long_term[0, AGE_BANDS.index(r.age_band), UNIT_COST_GROUPS.index(GROUP_OF_SETTING[r.setting])] += r.gross_gbp
    short_term, other = np.zeros((1, 2)), np.zeros(1)
    for r in baseline.other_spend:
        if r.category == "short_term":
            short_term[0, AGE_BANDS.index(r.age_band)] += r.gross_gbp
        else:
            other[0] += r.gross_gbp
    population = np.array([[baseline.people((b,)) for b in POPULATION_BANDS]])
    growth = np.array(settings.growth_path(5))[None]
    councils = Councils(["x"], ["x"], long_term, short_term, other, population, growth, np.ones(1), np.ones(1, bool))
    shortcut = growth_factors(councils, settings, 5, 1, None)[0, 0]
    model = flow_model(baseline, settings)
    engine = simulate(model, lever_plan(baseline, model, None, settings), 5, 1, None).gross[0] / baseline.gross_spend()
    np.testing.assert_allclose(shortcut, engine, rtol=0.002)
    assert shortcut[-1] > 1.2  # and both grow: the check is not trivially met


@needs_data
def test_shipped_model_error_is_what_the_published_history_gives() -> None:
    settings = ProjectionSettings()
    councils = council_spend(DATA, settings, "2020-21", "2021-22", 1)
    assert len(councils.codes) >= 145  # every council with spend in both years (Hackney did not submit)
    calibration = calibrate_model_error(DATA, settings, councils)
    assert calibration.national == pytest.approx(MODEL_ERROR_NATIONAL, abs=0.0005)
    assert calibration.council == pytest.approx(MODEL_ERROR_COUNCIL, abs=0.0005)


@needs_data
@pytest.mark.slow
def test_backtest_command_writes_scores_plot_and_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_careflow("backtest", "--data", str(DATA), "--runs", "150", "--seed", "3", "--json", "--out", str(out))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    spend = result["pairs"][0]
    assert spend["origin"] == "2020-21" and spend["target"] == "2021-22" and len(spend["councils"]) >= 145
    # The done-when target: 70–90% of councils' actual spend inside the P10–P90 band (stated in the docs).
    assert 0.70 <= spend["scores"]["coverage_p10_p90"] <= 0.90
    assert spend["scores"]["coverage_p25_p75"] < spend["scores"]["coverage_p10_p90"]
    clients = result["pairs"][1]
    assert clients["origin"] == "2019-20" and clients["target"] == "2021-22"
    page = (out / "backtest.html").read_text(encoding="utf-8")
    assert "Calibration" in page and page.count("<svg") >= 2 and "<script" not in page
    assert json.loads((out / "backtest.json").read_text(encoding="utf-8")) == result


def test_backtest_without_the_files_says_which_are_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_careflow("backtest", "--data", str(tmp_path / "nowhere"), "--runs", "0", "--out", str(out))
    assert run.returncode == 2
    assert "nhs-ascfr-salt" in run.stderr and "ons-snpp" in run.stderr and "--runs" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


@needs_data
def test_a_council_with_an_ons_code_gets_its_own_population_growth() -> None:
    from careflow.simulate.demography import council_demography, council_growth
    from careflow.simulate.settings import DEFAULT_GROWTH

    demo = demoshire()
    norfolk = demo.model_copy(update={"council": demo.council.model_copy(update={"ons_code": "E10000020"})})
    settings, message = council_demography(ProjectionSettings(years=5), norfolk, DATA)
    assert "E10000020" in message
    path = council_growth(DATA, "E10000020", 2019, 5)
    assert path is not None
    for band in POPULATION_BANDS:
        rate, default = settings.population_growth[band], DEFAULT_GROWTH[band]
        assert rate.central == pytest.approx(np.mean(path[band]))  # type: ignore[union-attr]
        assert rate.high - rate.central == pytest.approx(default.high - default.central)  # type: ignore[union-attr,operator]
    assert settings.population_growth["85+"].central != DEFAULT_GROWTH["85+"].central  # type: ignore[union-attr]
    # A scenario that fixes population growth keeps it.
    fixed = ProjectionSettings.model_validate({"years": 5, "population_growth": {"85+": 0.05}})
    assert council_demography(fixed, norfolk, DATA)[0].population_growth["85+"].central == 0.05  # type: ignore[union-attr]
