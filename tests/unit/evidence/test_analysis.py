"""Spend trends, normalised savings, search, lever pages, peers and benchmarks over the evidence library."""

from __future__ import annotations

import numpy as np
import pytest

from careflow.errors import InputError
from careflow.evidence.analysis import (
    describe,
    lever_page,
    percentile_rank,
    savings_per_year,
    search_levers,
    spend_series,
    spend_trend_pct,
)
from careflow.evidence.library import load_library
from careflow.evidence.peers import CouncilProfile, benchmarks, find_peers, load_profile, profile_of

LIBRARY = load_library()


def test_spend_trend_uses_first_and_last_comparable_years():
    barking = LIBRARY.council("Barking and Dagenham")
    assert spend_trend_pct(barking) == pytest.approx((53.472 - 54.87) / 54.87 * 100)
    # Wakefield's 2013/14 figure is marked not comparable by the source, so the trend stops at 2012/13
    wakefield = LIBRARY.council("Wakefield")
    assert [row.year for row in spend_series(wakefield)] == ["2011/12", "2012/13"]
    assert spend_trend_pct(wakefield) == pytest.approx((139.565 - 137.378) / 137.378 * 100)
    # Enfield uses the interpreted values of its comma-for-point typos, not £103,959m
    assert spend_trend_pct(LIBRARY.council("Enfield")) == pytest.approx((104.633 - 101.763) / 101.763 * 100)
    # budgets (Gateshead's second row) are not mixed into a spend trend
    assert len(spend_series(LIBRARY.council("Gateshead"))) == 3
    assert spend_trend_pct(LIBRARY.council("Staffordshire")) is None


def test_savings_are_normalised_per_year_and_as_share_of_spend():
    central = savings_per_year(LIBRARY.council("Central Bedfordshire"))
    assert central.per_year == pytest.approx(14e6 / 3)
    assert central.pct_of_spend == pytest.approx(14e6 / 3 / np.mean([79.570e6, 79.766e6, 84.425e6]) * 100)
    bradford = savings_per_year(LIBRARY.council("Bradford"))
    assert bradford.per_year == pytest.approx(7e6)
    wirral = savings_per_year(LIBRARY.council("Wirral"))  # no total stated: the mean of the yearly figures
    assert wirral.per_year == pytest.approx((16.857 + 2.643 + 5.967) / 3 * 1e6)
    liverpool = savings_per_year(LIBRARY.council("Liverpool"))  # cumulative £25.5m by 2013/14
    assert liverpool.per_year == pytest.approx(25.5e6 / 3)
    assert savings_per_year(LIBRARY.council("Staffordshire")).per_year is None


def test_search_answers_who_retendered_home_care_and_at_what_rate():
    hits = search_levers(LIBRARY, "home care", category="home_care_procurement")
    kent = next(h for h in hits if h.council == "Kent" and h.line == 734)
    assert kent.amount == pytest.approx(2.5e6)
    assert any(m["printed"] == "£13.77 per hour" for m in kent.related_metrics)
    assert all(h.category == "home_care_procurement" for h in hits)
    amounts = [h.amount for h in hits if h.amount is not None]
    assert amounts == sorted(amounts, reverse=True)


def test_search_filters_by_client_group_and_minimum_amount():
    big = search_levers(LIBRARY, min_gbp=5e6)
    assert big and all(h.amount is not None and h.amount >= 5e6 for h in big)
    ld = search_levers(LIBRARY, client_group="learning_disability")
    assert ld and all(h.client_group in ("learning_disability", "all") for h in ld)
    assert search_levers(LIBRARY, "retendered") == search_levers(LIBRARY, "retender")
    assert not search_levers(LIBRARY, "zzzz no such lever")


def test_lever_page_lists_councils_and_takes_opportunity_values_later():
    page = lever_page(LIBRARY, "reablement")
    assert page["opportunity_lever"] == "short_term_services"
    assert page["worth_for_you"] is None
    assert page["council_count"] >= 15
    assert "Richmond upon Thames" in {c["council"] for c in page["councils_that_pulled_it"]}
    priced = lever_page(LIBRARY, "reablement", {"short_term_services": 1_234_000.0, "trusted_providers": 5.0})
    assert priced["worth_for_you"]["net_gbp_per_year"] == 1_234_000.0
    # a category without an opportunity lever has nothing to price
    assert lever_page(LIBRARY, "telecare", {"short_term_services": 1.0})["worth_for_you"] is None
    with pytest.raises(InputError):
        lever_page(LIBRARY, "no_such_category")


def test_benchmark_quartiles_match_numpy_and_place_a_council():
    result = benchmarks(LIBRARY, "Kent")
    rates = result["home_care_hourly_rate"]
    values = [v["value"] for v in rates["councils"].values()]
    assert rates["n"] == len(values) >= 15
    assert rates["q1"] == pytest.approx(np.percentile(values, 25))
    assert rates["median"] == pytest.approx(np.median(values))
    assert rates["max"] == max(values)
    assert rates["you"]["value"] == pytest.approx(13.77)
    assert 0 < rates["you"]["percentile"] < 100
    reablement = result["reablement_no_further_service"]
    assert reablement["councils"]["Durham"]["value"] == 63
    assert reablement["min"] == pytest.approx(40)  # Southend's "about 40 per cent"
    assert result["savings_pct_of_spend"]["n"] >= 30


def test_describe_and_percentile_rank():
    assert describe([]) == {"n": 0, "min": None, "q1": None, "median": None, "q3": None, "max": None}
    assert describe([3.0])["median"] == 3.0
    assert percentile_rank([1.0, 2.0, 3.0, 4.0], 4.0) == pytest.approx(87.5)


def test_peers_are_deterministic_explained_and_exclude_the_council_itself():
    kent = profile_of(LIBRARY.council("Kent"))
    first = find_peers(LIBRARY, kent, top=5)
    again = find_peers(LIBRARY, kent, top=5)
    assert [p.as_dict() for p in first] == [p.as_dict() for p in again]
    assert len(first) == 5
    assert "Kent" not in {p.council for p in first}
    assert all(p.reasons for p in first)
    scores = [p.score for p in first]
    assert scores == sorted(scores, reverse=True)
    # Hampshire is the obvious peer: a county of similar size and trend with many of the same levers
    assert first[0].council == "Hampshire"
    assert any("in common" in reason for reason in first[0].reasons)


def test_peers_for_a_council_not_in_the_library(tmp_path):
    path = tmp_path / "demoshire.yaml"
    path.write_text(
        "name: Demoshire\ncouncil_type: county\n"
        "gross_spend: {2011/12: 300000000, 2013/14: 290000000}\n"
        "levers: [short_term_services, telecare, home_care_procurement]\n",
        encoding="utf-8",
    )
    profile = load_profile(path, LIBRARY)
    assert "reablement" in profile.levers  # opportunity lever id mapped onto its category
    peers = find_peers(LIBRARY, profile, top=3)
    assert len(peers) == 3
    assert all(p.score > 0 for p in peers)
    # no levers and no spend still works: it just matches on nothing but type
    bare = find_peers(LIBRARY, CouncilProfile(name="Nowhere"), top=2)
    assert [p.score for p in bare] == [0.0, 0.0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: X\ngross_spend: {2013/14: -5}\n", "above zero"),
        ("name: X\nlevers: [magic]\n", "magic"),
        ("- just a list\n", "mapping"),
        ("name: X\ncolour: blue\n", "colour"),
    ],
)
def test_bad_baseline_profiles_are_reported_with_where_and_what(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path, LIBRARY)
    message = str(caught.value)
    assert "bad.yaml" in message
    assert expected in message


def test_investments_are_found_but_never_counted_as_savings():
    from careflow.evidence.report import savings_by_category

    hits = search_levers(LIBRARY, "community chest")
    assert [h.council for h in hits] == ["Durham"] and hits[0].investment
    page = lever_page(LIBRARY, "community_prevention")
    durham = next(c for c in page["councils_that_pulled_it"] if c["council"] == "Durham")
    assert durham["total_with_amounts_gbp"] == 0
    counted = sum(
        h.amount or 0
        for h in search_levers(LIBRARY, category="community_prevention")
        if h.status == "delivered" and not h.investment
    )
    assert savings_by_category(LIBRARY).get("community_prevention", 0) == pytest.approx(counted)
    assert counted < 1e6  # Cumbria's £900,000 fund and Durham's £600,000 chest are left out


def test_evidence_for_each_opportunity_lever():
    from careflow.evidence.analysis import evidence_for_opportunity

    evidence = evidence_for_opportunity(LIBRARY, {"care_home_admissions": 178e6})
    assert set(evidence) == {
        "short_term_services",
        "ld_community_hours",
        "care_home_admissions",
        "front_door_community",
        "ld_residential_moves",
        "trusted_providers",
    }
    assert evidence["care_home_admissions"]["net_gbp_per_year"] == 178e6
    assert evidence["short_term_services"]["net_gbp_per_year"] is None
    assert "Tameside" in evidence["care_home_admissions"]["councils"]
    assert ("Cornwall", "Provider-led reviews (trusted providers)") in evidence["trusted_providers"]["case_studies"]
    assert "Leicestershire" in {c for c, _ in evidence["ld_residential_moves"]["case_studies"]}
