"""The bibliography: the agreed keys, titles checked against the documents, and lines mapped to pages/sections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import SEEDS, seed_text_lines

from careflow.provenance import Quoted
from careflow.reference.bibliography import cite, locate, record, record_for_document, records, references

KEYS = {
    "ccn-2016-challenging-times",
    "ccn-newton-2021-future-asc",
    "lga-asce-annex",
    "county-appg-counties-care",
    "norfolk-asc-committee-2017-09-04",
    "nhs-ascfr-salt-2021-22",
    "nhs-ascof-2020-21",
    "dhsc-ascof-2024-25",
    "ons-nearest-neighbours-2025",
    "ons-mye-2016",
    "ons-mye-2020",
    "ons-mye-2024",
    "ons-snpp-2016",
    "ons-ltla-utla-2022",
    "mhclg-iod-2019",
    "ons-ctyua-boundaries-2023",
}
SOURCE_TEXTS = sorted(r.id for r in records().values() if r.document.endswith(".txt"))
PUBLIC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "public"


def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_exactly_the_agreed_keys() -> None:
    assert set(records()) == KEYS


@pytest.mark.parametrize(
    ("key", "printed"),
    [
        ("ccn-2016-challenging-times", "DELIVERING ADULT SOCIAL CARE IN CHALLENGING TIMES"),
        ("ccn-newton-2021-future-asc", "The Future of Adult Social Care"),
        ("lga-asce-annex", "ASCE Final Report: Annex"),
        ("county-appg-counties-care", "The State of Care in Counties: Executive Summary"),
        ("norfolk-asc-committee-2017-09-04", "Adult Social Care Committee"),
    ],
)
def test_titles_are_printed_in_the_documents(key: str, printed: str) -> None:
    text = _flat("\n".join(seed_text_lines(record(key).document)))
    assert _flat(printed) in text and _flat(re.split(r"[:,]", record(key).title)[0]) in text


def test_norfolk_date_and_newton_authors_as_printed() -> None:
    norfolk = "\n".join(seed_text_lines(record("norfolk-asc-committee-2017-09-04").document)[:10])
    assert "04 September 2017" in norfolk and record("norfolk-asc-committee-2017-09-04").year == "2017"
    newton = "\n".join(seed_text_lines(record("ccn-newton-2021-future-asc").document)[:80])
    assert "Association of County Chief Executives" in newton and "Newton" in newton


@pytest.mark.parametrize("key", SOURCE_TEXTS)
def test_every_heading_anchor_sits_at_its_heading(key: str) -> None:
    lines = seed_text_lines(record(key).document)
    for anchor in record(key).anchors:
        assert 1 <= anchor.line <= len(lines)
        # an item, council or theme heading: its distinctive words are on the anchor line or within 3 lines after
        name = anchor.heading.split(": ")[-1].split(", ", 1)[-1]
        nearby = _flat(" ".join(lines[anchor.line - 1 : anchor.line + 3]))
        if key in ("lga-asce-annex", "norfolk-asc-committee-2017-09-04") and anchor.line > 1:
            assert _flat(name)[:25] in nearby, (key, anchor)


def test_every_public_data_record_names_a_file_in_the_public_folder() -> None:
    if not PUBLIC.exists():
        pytest.skip(f"public data not found at {PUBLIC}")
    for r in records().values():
        if not r.document.endswith(".txt"):
            assert (PUBLIC / r.document).exists(), r.id


@pytest.mark.parametrize(
    ("document", "line", "expected"),
    [
        # the Leicestershire case study sits on the page the document marks "42" (L1056)
        ("001_cb6dbf76d77fc339.txt", "L1050", "p. 42"),
        ("001_cb6dbf76d77fc339.txt", "L633", "Section D: the six key service outcomes"),
        ("001_cb6dbf76d77fc339.txt", "L877", "Theme 1 - Provision of services: 1.2 Short-term services"),
        ("001_cb6dbf76d77fc339.txt", "L1272", "Theme 2 - Pathways: 2.3 An effective front door"),
        ("004_b1b9453300d05414.txt", "L1171", "Item 13, Next steps for integration with the health service"),
        ("004_b1b9453300d05414.txt", "L502", "Item 11, Adult Social Care Finance Monitoring Report"),
        ("002_9f8a2094867af2e8.txt", "L30", "1. London Borough of Barking and Dagenham"),
        ("000_d3172df9c3520f0e.txt", "L946", "Key Statistics (back cover)"),
        ("003_c7b7a883b0c478a3.txt", "L140", "p. 4"),
    ],
)
def test_locate_known_lines(document: str, line: str, expected: str) -> None:
    assert (locate(document, line) or "").startswith(expected)


def test_known_lines_say_what_the_location_claims() -> None:
    lines = seed_text_lines("001_cb6dbf76d77fc339.txt")
    assert lines[1056 - 1].strip() == "42"  # the page marker the p. 42 mapping relies on
    assert "Leicestershire" in lines[1050 - 1]
    assert "Short-term services" in lines[702 - 1] and "What do we mean by short-term services?" in lines[885 - 1]
    norfolk = seed_text_lines("004_b1b9453300d05414.txt")
    assert "Strategic and Financial Planning" in norfolk[787 - 1]
    assert "front door" in lines[1240 - 1]


def test_cite_in_words() -> None:
    assert cite("ccn-newton-2021-future-asc", location="p. 12") == (
        "CCN/ACCE/Newton Europe (2021), *The Future of Adult Social Care*, p. 12"
    )
    assert cite("001_cb6dbf76d77fc339.txt", "L1050").endswith(", p. 42")
    assert record_for_document("004_b1b9453300d05414.txt") == record("norfolk-asc-committee-2017-09-04")


def test_quoted_describe_cites_in_words_and_keeps_the_machine_pinpoint() -> None:
    q = Quoted(document="001_cb6dbf76d77fc339.txt", line="L1050", as_printed="47%")
    assert q.describe() == "CCN/ACCE/Newton Europe (2021), *The Future of Adult Social Care*, p. 42 — printed as “47%”"
    assert q.machine() == "001_cb6dbf76d77fc339.txt L1050"
    table = Quoted(
        document="nhs-ascfr-salt-data-tables-2021-22.xlsx",
        line="T44!F23",
        as_printed="12,345",
        source_id="nhs-ascfr-salt-2021-22",
        location="Table 44, Norfolk (E10000020), 'Residential'",
        conversion="£000 × 1,000",
    )
    assert table.describe() == (
        "NHS Digital (2022), *Adult Social Care Activity and Finance Report, England 2021-22*, Table 44, "
        "Norfolk (E10000020), 'Residential' — printed as “12,345” (£000 × 1,000)"
    )


def test_references_list_is_sorted_and_unique() -> None:
    refs = references({"ons-mye-2016", "ccn-newton-2021-future-asc"})
    assert len(refs) == 2 and refs[0].startswith("County Councils Network (CCN), Association")
    assert SEEDS.name == "seeds"
