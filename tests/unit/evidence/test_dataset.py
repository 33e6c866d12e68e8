"""The curated evidence dataset against its sources: every printed figure is on the line it cites."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careflow.evidence.analysis import quality_flags, sum_checks
from careflow.evidence.library import ANNEX, load_library, parse_printed

LIBRARY = load_library()
OPPORTUNITY_LEVERS = {
    "short_term_services",
    "ld_community_hours",
    "care_home_admissions",
    "front_door_community",
    "ld_residential_moves",
    "trusted_providers",
}

# One or more figures per council, typed here by hand from the seed (not read from the data file):
# council number → (printed text, seed line, value we expect it to be read as).
PINS: dict[int, list[tuple[str, int, float]]] = {
    1: [("£54.87 million", 22, 54.87e6), ("£0.9 million", 30, 0.9e6)],
    2: [("£198.266 million", 51, 198.266e6), ("£3.382 million", 70, 3.382e6)],
    3: [("£72.68 million", 97, 72.68e6), ("£1.205 million", 104, 1.205e6)],
    4: [("£79.570 million", 138, 79.57e6), ("£514,000", 144, 514_000)],
    5: [("£160 million", 165, 160e6), ("£800,000", 171, 800_000)],
    6: [("£101.757 million", 196, 101.757e6), ("£2.871million", 200, 2.871e6)],
    7: [("£115.404 million", 236, 115.404e6), ("£1.5 million", 257, 1.5e6)],
    8: [("£129.930 million", 276, 129.93e6), ("£4.69 million", 288, 4.69e6)],
    9: [("£188.15 million", 317, 188.15e6), ("£900,000", 321, 900_000)],
    10: [("£34.324 million", 363, 34.324e6), ("£5.1 million", 373, 5.1e6)],
    11: [("£57.695 million", 366, 57.695e6), ("£5.0 million", 374, 5.0e6)],
    12: [("£42.469 million", 369, 42.469e6), ("£4.2million", 375, 4.2e6)],
    13: [("£224.01 million", 423, 224.01e6), ("Sixty-three per cent", 433, 63)],
    14: [("£103,959 million", 458, 103.959e6), ("£104,633 million", 458, 104.633e6), ("£225,000", 480, 225_000)],
    15: [("£90.163 million (spend)", 501, 90.163e6), ("£11.48 per hour", 504, 11.48)],
    16: [("£131.1 million", 529, 131.1e6), ("£20.6 million", 537, 20.6e6)],
    17: [("£410 million", 575, 410e6), ("£7.769m", 581, 7.769e6), ("£1.000M", 593, 1.0e6)],
    18: [("£73.455 million", 642, 73.455e6), ("£750,000", 646, 750_000)],
    19: [("£68.379 million", 669, 68.379e6)],
    20: [("£425.144 million", 720, 425.144e6), ("£2.5 million", 734, 2.5e6), ("£13.77 per hour", 734, 13.77)],
    21: [("£68.092 million", 757, 68.092e6), ("£1,057,812", 770, 1_057_812), ("£ 52,210", 771, 52_210)],
    22: [("£96 million", 800, 96e6), ("£6 million", 828, 6e6)],
    23: [("£237.235 million", 843, 237.235e6), ("£25.5 m in 2013/14", 849, 25.5e6)],
    24: [("£130.639m", 884, 130.639e6), ("£8.4 million", 890, 8.4e6)],
    25: [("£73.675 million", 935, 73.675e6), ("£900.00 per week", 947, 900)],
    26: [("£134.108 million", 993, 134.108e6), ("£14.7 million", 984, 14.7e6)],
    27: [("£ 63.223 million", 1041, 63.223e6), ("£525,122", 1059, 525_122)],
    28: [("£51.735 million", 1084, 51.735e6), ("£1,141,000", 1118, 1_141_000)],
    29: [("£61.6 million", 1142, 61.6e6), ("£63,728.00", 1156, 63_728)],
    30: [("£86.048 million", 1190, 86.048e6), ("£12.50 per hour", 1196, 12.5)],
    31: [("£74.2 million", 1211, 74.2e6), ("£3.4 million", 1217, 3.4e6)],
    32: [("£93.514 million", 1264, 93.514e6), ("£11.649 million", 1306, 11.649e6)],
    33: [("£60.637 million", 1327, 60.637e6), ("£2.7 million", 1335, 2.7e6), ("924k", 1358, 924_000)],
    34: [("£77.3 million", 1385, 77.3e6), ("£15 million", 1389, 15e6)],
    35: [("£2,000,000", 1437, 2_000_000), ("£12.76 per hour", 1443, 12.76)],
    36: [("£49,348.58", 1471, 49_348.58)],
    37: [("£98 million", 1488, 98e6), ("£12.60", 1496, 12.6)],
    38: [("£64.472 million", 1526, 64.472e6), ("£10.9 million", 1528, 10.9e6)],
    39: [("£271.8 million", 1585, 271.8e6), ("£11.7 million", 1589, 11.7e6)],
    40: [("£58.869 million", 1626, 58.869e6), ("£1,240,000", 1638, 1_240_000), ("£3,394 million", 1660, 3.394e6)],
    41: [("£90.182 million", 1677, 90.182e6), ("60 per cent", 1696, 60)],
    42: [("£43.050 million", 1739, 43.05e6), ("£42.030 (actual spend)", 1740, 42.03e6)],
    43: [("£137.378 million", 1777, 137.378e6), ("£123,000 million", 1777, 123e6), ("£171,000", 1800, 171_000)],
    44: [("£81.1 million", 1817, 81.1e6), ("£34.55 per hour", 1831, 34.55)],
    45: [("£81.5 million", 1879, 81.5e6), ("£230,000", 1895, 230_000)],
    46: [("£139.695 million", 1924, 139.695e6), ("£11.644 million", 1947, 11.644e6)],
    47: [("£120.262 million", 1966, 120.262e6), ("£16.857 million", 1970, 16.857e6)],
    48: [("£42.328 million", 2000, 42.328e6), ("£400.000", 2004, 400_000)],
}


def test_all_48_councils_of_the_annex_are_in_the_library():
    numbers = sorted(c.number for c in LIBRARY.councils)
    assert numbers == list(range(1, 49))
    assert len({c.name for c in LIBRARY.councils}) == 48


@pytest.mark.parametrize("number", sorted(PINS))
def test_pinned_figures_are_printed_on_the_cited_line_and_read_correctly(number, seed):
    council = next(c for c in LIBRARY.councils if c.number == number)
    figures = council.figures()
    for printed, line, expected in PINS[number]:
        assert printed in seed(ANNEX, line), f"{council.name}: {printed!r} not on L{line}"
        matching = [f for _, f in figures if f.printed == printed and f.line == line]
        assert matching, f"{council.name}: no figure {printed!r} at L{line} in the dataset"
        assert matching[0].amount == pytest.approx(expected)


def test_every_council_figure_and_flag_is_printed_on_its_line(seed):
    checked = 0
    for council in LIBRARY.councils:
        assert council.figures() or council.flags, council.name
        for section, figure in council.figures():
            if figure.printed is not None:
                assert figure.printed in seed(ANNEX, figure.line), f"{council.name} {section}: {figure.printed!r}"
                checked += 1
            else:
                assert seed(ANNEX, figure.line).strip(), f"{council.name} {section}: blank line L{figure.line}"
        for flag in council.flags:
            if flag.printed:
                assert flag.printed in seed(ANNEX, flag.line), f"{council.name} flag {flag.printed!r}"
    assert checked > 300


def test_council_headings_are_on_the_cited_lines(seed):
    for council in LIBRARY.councils:
        heading = seed(ANNEX, council.line)
        assert re.match(rf"\s*[\d.]*{council.number}\.", heading), f"{council.name}: L{council.line} is {heading!r}"


def test_case_study_results_are_printed_on_their_lines(seed):
    for case in LIBRARY.case_studies:
        for result in case.results:
            assert result.printed in seed(case.document, result.line), f"{case.council}: {result.printed!r}"


def test_case_studies_cover_the_named_councils():
    named = {c.council for c in LIBRARY.case_studies}
    for council in ("Somerset", "Lancashire", "Cornwall", "Leicestershire", "Northamptonshire", "Kent"):
        assert council in named
    assert {"Oxfordshire", "Cheshire East"} <= named


def test_flagged_figures_keep_printed_and_interpreted_values():
    flags = {(f.council, f.printed): f for f in quality_flags(LIBRARY)}
    assert flags[("Enfield", "£103,959 million")].interpreted == pytest.approx(103.959e6)
    assert flags[("Wakefield", "£123,000 million")].interpreted == pytest.approx(123e6)
    assert flags[("Swindon", "£3,394 million")].interpreted == pytest.approx(3.394e6)
    assert flags[("Wokingham", "£400.000")].interpreted == pytest.approx(400_000)
    assert flags[("Solihull", "2900m")].interpreted == pytest.approx(2.9e6)
    coventry = flags[("Coventry", "£115.404 million")]
    assert "2010/11" in coventry.note


def test_richmond_levers_sum_to_the_stated_9_7m():
    richmond = LIBRARY.council("Richmond upon Thames")
    total = sum(lv.amount or 0 for lv in richmond.levers if lv.status == "delivered")
    assert total == pytest.approx(9.7e6)
    assert all(check.matches for check in sum_checks(richmond))
    assert not [f for f in quality_flags(LIBRARY) if f.council == "Richmond upon Thames"]


def test_croydon_levers_do_not_sum_to_19_27m_and_are_flagged():
    croydon = LIBRARY.council("Croydon")
    total = sum(lv.amount or 0 for lv in croydon.levers)
    assert total == pytest.approx(17.45e6)
    (check,) = sum_checks(croydon)
    assert not check.matches
    flag = next(f for f in quality_flags(LIBRARY) if f.council == "Croydon" and f.origin == "check")
    assert flag.printed == "£19.27 million"
    assert flag.interpreted == pytest.approx(17.45e6)


@pytest.mark.parametrize(
    "council, parts_sum, matches",
    [
        ("Northumberland", 17.7e6, False),  # yearly £7.5m + £6.5m + £3.7m against "£14.7 million"
        ("Portsmouth", 7.916e6, False),
        ("Poole", 4.816e6, False),  # the total is printed to £1,000, so an £11,000 gap counts
        ("Shropshire", 11.649e6, True),
        ("Central Bedfordshire", 14.0e6, True),
        ("Cheshire West and Chester", 11.277e6, True),  # "£11.3 million" is a rounded total
        ("Lincolnshire", 25.034e6, False),
    ],
)
def test_stated_totals_against_their_parts(council, parts_sum, matches):
    (check,) = sum_checks(LIBRARY.council(council))
    assert check.parts_sum == pytest.approx(parts_sum)
    assert check.matches is matches


def test_no_contact_names_or_email_addresses_are_shipped(seed):
    contacts = []
    for line in range(1, 2018):
        text = seed(ANNEX, line)
        contacts += re.findall(r"Contact:\s*([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)+)", text)
    assert len(contacts) > 30
    data = resources.files("careflow.evidence").joinpath("data")
    for name in ("councils.yaml", "case_studies.yaml", "taxonomy.yaml"):
        text = data.joinpath(name).read_text(encoding="utf-8")
        assert "@" not in text
        for contact in contacts:
            assert contact not in text, f"{contact} in {name}"


def test_taxonomy_links_every_lever_category_to_a_theme_and_the_six_levers():
    taxonomy = LIBRARY.taxonomy
    linked = {c.opportunity_lever for c in taxonomy.categories.values() if c.opportunity_lever}
    assert linked == OPPORTUNITY_LEVERS
    for name, category in taxonomy.categories.items():
        assert category.theme in taxonomy.themes, name
        assert (category.opportunity_lever is None) == (category.relation is None), name
    used = {lv.category for c in LIBRARY.councils for lv in c.levers}
    assert used <= set(taxonomy.categories)


@pytest.mark.parametrize(
    "printed, value",
    [
        ("£54.87 million", 54.87e6),
        ("£195.651million", 195.651e6),
        ("£7.769m", 7.769e6),
        ("£1.000M", 1e6),
        ("£848,000", 848_000),
        ("£12 per hour", 12),
        ("97.2 per cent", 97.2),
        ("110k", 110_000),
        ("£4.3 m", 4.3e6),
    ],
)
def test_parse_printed(printed, value):
    assert parse_printed(printed) == pytest.approx(value)


def test_parse_printed_refuses_text_without_a_number():
    with pytest.raises(ValueError):
        parse_printed("not available")


@given(st.integers(min_value=0, max_value=999_999_999))
def test_parse_printed_reads_back_formatted_amounts(pence):
    pounds = pence / 1000
    assert parse_printed(f"£{pounds:,.3f} million") == pytest.approx(pounds * 1e6)
    assert parse_printed(f"£{round(pounds):,}") == pytest.approx(round(pounds))


def test_repeated_keys_in_the_data_files_are_refused():
    from careflow.errors import InputError
    from careflow.safe_yaml import load_yaml_text  # the data files are read with careflow's one YAML reader

    assert load_yaml_text("a: 1\nb: 2\n", "data") == {"a": 1, "b": 2}
    with pytest.raises(InputError, match="repeated key"):
        load_yaml_text("flags: []\nflags: [1]\n", "data")


def test_councils_reporting_budgets_instead_of_gross_spend_are_flagged():
    flagged = {f.council for f in quality_flags(LIBRARY) if "not gross spend" in f.note}
    assert flagged == {c.name for c in LIBRARY.councils if c.spend_measure in ("budget", "outturn")}
    assert {"Hampshire", "Lincolnshire", "Luton", "Solihull", "Swindon", "Torbay"} <= flagged
