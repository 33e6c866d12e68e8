"""Golden tests of arithmetic, not of the model: the England 2019/20 baseline's £ bases are *calibrated* (solved
back from the six printed figures of CCN/ACCE/Newton Europe 2021), so reproducing £867m/£261m/£178m/£95m/£74m/£75m
checks that the levers' formulas and the back-solving agree. An independent check needs data the printed figures
were not solved from (the imported `england-2021-22` baseline)."""

from __future__ import annotations

import pytest

from careflow.baseline.england import england_2019_20
from careflow.opportunity import evaluate
from careflow.reference.national import PRINTED_OPPORTUNITY

PRINTED_M = {
    "short_term_services": 867,
    "ld_community_hours": 261,
    "care_home_admissions": 178,
    "front_door_community": 95,
    "ld_residential_moves": 74,
    "trusted_providers": 75,
}


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return evaluate(england_2019_20())


@pytest.mark.parametrize(("lever_id", "printed_m"), PRINTED_M.items())
def test_each_lever_reproduces_the_printed_figure(result, lever_id: str, printed_m: int) -> None:  # type: ignore[no-untyped-def]
    lever = next(x for x in result.levers if x.id == lever_id)
    assert abs(lever.net_benefit_gbp - printed_m * 1e6) < 1e6
    assert PRINTED_OPPORTUNITY[lever_id].value == printed_m * 1e6


def test_total_is_the_sum_of_the_six_printed_figures(result) -> None:  # type: ignore[no-untyped-def]
    assert abs(result.total_net_benefit_gbp - 1_550e6) < 1e6
    assert result.total_low_gbp < result.total_net_benefit_gbp < result.total_high_gbp


def test_people_affected_match_the_seed_volumes(result) -> None:  # type: ignore[no-untyped-def]
    people = {x.id: x.people_affected for x in result.levers}
    assert people["short_term_services"] == pytest.approx(90_000)  # L633
    assert people["ld_community_hours"] == pytest.approx(104_000)  # L641
    assert people["care_home_admissions"] == pytest.approx(60_000 * 0.18)  # L649
    assert people["ld_residential_moves"] == pytest.approx(11_610)  # 27,000 × 43%, "over 11,000" (L667)
    assert people["trusted_providers"] == pytest.approx(225_000)  # L687


def test_the_two_overlaps_are_removed_and_reported(result) -> None:  # type: ignore[no-untyped-def]
    levers = {x.id: x for x in result.levers}
    assert levers["short_term_services"].overlap_removed_gbp == pytest.approx(178e6 / 3)
    assert levers["front_door_community"].overlap_removed_gbp > 0
    assert levers["care_home_admissions"].overlap_removed_gbp == 0
    assert levers["trusted_providers"].overlap_removed_gbp == 0
    removed = sum(x.overlap_removed_gbp for x in result.levers)
    assert result.overlap_removed_gbp == pytest.approx(removed)
    gross = sum(x.gross_benefit_gbp for x in result.levers)
    assert gross - removed == pytest.approx(result.total_net_benefit_gbp)


def test_england_baseline_holds_the_quoted_totals() -> None:
    england = england_2019_20()
    assert england.clients() == pytest.approx(838_530)  # L161
    assert england.short_term_episodes() == pytest.approx(261_605)  # L161
    assert england.total_requests() == pytest.approx(1_900_000)  # L157
    assert england.total_requests(route="community") == pytest.approx(1_400_000)  # L663
    assert england.gross_spend() == pytest.approx(19.7e9)  # L994
    assert england.long_term_gross() == pytest.approx(15.4e9)  # L994
    assert england.care_home_admissions("65+") == pytest.approx(60_000)  # L649
    assert england.clients("18-64", ("residential",), "learning_disability") == pytest.approx(27_000)  # L673
    assert england.clients("65+", ("home_care", "direct_payment")) == pytest.approx(225_000)  # L687


def test_back_solved_bases_are_labelled_calibrated(result) -> None:  # type: ignore[no-untyped-def]
    for name in ("short_term_effectiveness_uq_gbp", "ld_residential_move_saving_gbp"):
        assert result.parameters[name].provenance.kind == "calibrated", name
    england = england_2019_20()
    kinds: dict[tuple[str, str], set[str]] = {}
    for r in england.long_term:
        kinds.setdefault((r.age_band, r.setting), set()).add(r.sources["weekly_cost_gbp"].kind)
    for cell in (("65+", "home_care"), ("65+", "residential"), ("65+", "nursing"), ("18-64", "supported_living")):
        assert "calibrated" in kinds[cell], cell
    described = result.parameters["short_term_effectiveness_uq_gbp"].describe()
    assert "solved so that £867 million a year" in described and "The Future of Adult Social Care" in described
