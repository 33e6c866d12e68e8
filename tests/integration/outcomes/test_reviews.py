"""Case-review import: pseudonymity checks, located problems, round trips, and the shipped synthetic set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from careflow.errors import InputError
from careflow.outcomes.reviews import (
    REVIEWS,
    identifying_content,
    load_reviews,
    nhs_check_digit_valid,
    review_row,
)
from careflow.outcomes.synthetic import generate_reviews
from cli_runner import run_careflow

HEADER = [c.name for c in REVIEWS.columns]
GOOD = ["R-0101", "65+", "physical support", "hospital discharge", "2024-04-15",
        5, "residential care", 0, 850, 5, "residential care", 0, 850, 3, "home care", 14, 245,
        "service capacity", "no", "yes"]  # fmt: skip


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


careflow = run_careflow


def test_nhs_check_digit() -> None:
    assert nhs_check_digit_valid("9434765919")
    assert not nhs_check_digit_valid("9434765918")
    assert not nhs_check_digit_valid("943476591")


@pytest.mark.parametrize(
    ("case_id", "phrase"),
    [
        ("943 476 5919", "valid NHS number"),
        ("9434765919", "valid NHS number"),
        ("1234567890", "ten digits"),
        ("SW1A 1AA", "postcode"),
        ("case NR4 6DH", "postcode"),
        ("John Smith", "name"),
        ("Smith, John", "name"),
        ("someone@example.org", "e-mail"),
    ],
)
def test_identifying_case_ids_are_named(case_id: str, phrase: str) -> None:
    found = identifying_content(case_id)
    assert found is not None and phrase in found


@pytest.mark.parametrize("case_id", ["R-0001", "SYN-0300", "MDT-2024-ABC", "hd/17/004"])
def test_pseudonymous_ids_pass(case_id: str) -> None:
    assert identifying_content(case_id) is None


def test_every_problem_is_located(tmp_path: Path) -> None:
    bad_rung = GOOD.copy()
    bad_rung[5] = 3  # residential care is rung 5
    no_gap = GOOD.copy()
    no_gap[17] = "no gap"
    rows = [
        ["John Smith", *GOOD[1:]],
        ["943 476 5919", *GOOD[1:]],
        ["R-2", *GOOD[1:4], "31/02/2024", *GOOD[5:]],
        ["R-3", *bad_rung[1:]],
        ["R-4", *no_gap[1:]],
        ["R-5", *GOOD[1:7], "lots", *GOOD[8:]],
        GOOD,
        GOOD,  # duplicate of the row above
    ]
    with pytest.raises(InputError) as caught:
        load_reviews(write_csv(tmp_path / "reviews.csv", rows))
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {
        (2, "case_id"),
        (3, "case_id"),
        (4, "review_date"),
        (5, "actual_rung"),
        (6, "gap_reason"),
        (7, "actual_hours"),
        (9, "case_id"),
    }
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "looks like a person's name" in messages and "valid NHS number" in messages
    assert "first at row 8" in messages


def test_cli_rejects_identifying_data_and_writes_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "reviews.csv", [["NR4 6DH", *GOOD[1:]]])
    target = tmp_path / "scenario.yaml"
    done = careflow("reviews", "calibrate", str(source), "--baseline", str(source), "--out", str(target))
    assert done.returncode == 2
    assert "postcode" in done.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_missing_column_and_wrong_file_type(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([HEADER[:-1], GOOD[:-1]])
    with pytest.raises(InputError) as caught:
        load_reviews(path)
    assert any("no such column" in p.found and "short_term_should_have" in p.expected for p in caught.value.problems)
    other = tmp_path / "reviews.txt"
    other.write_text("hello")
    with pytest.raises(InputError):
        load_reviews(other)


def test_workbook_round_trip(tmp_path: Path) -> None:
    reviews = generate_reviews(40, seed=7)
    workbook = tmp_path / "reviews.xlsx"
    done = careflow("reviews", "synthetic", "--out", str(tmp_path / "s.csv"), "--count", "40", "--seed", "7")
    assert done.returncode == 0
    done = careflow("reviews", "export", str(tmp_path / "s.csv"), "--out", str(workbook))
    assert done.returncode == 0, done.stderr
    assert load_reviews(workbook) == reviews


@pytest.mark.parametrize("name", ["template.xlsx", "template.csv"])
def test_template_example_row_is_refused_if_left_in(tmp_path: Path, name: str) -> None:
    template = tmp_path / name
    assert careflow("reviews", "template", str(template)).returncode == 0
    with pytest.raises(InputError) as caught:  # the example row reads, but must not pass as a real case
        load_reviews(template)
    (problem,) = caught.value.problems
    assert problem.column == "case_id" and "example row ('R-0001')" in problem.found
    assert problem.row == (4 if name.endswith(".xlsx") else 2)


def test_shipped_synthetic_reviews(examples: Path) -> None:
    path = examples / "case_reviews_synthetic.csv"
    assert "SYNTHETIC" in path.read_text(encoding="utf-8").splitlines()[0]
    reviews = load_reviews(path)
    assert len(reviews) >= 300
    assert reviews == generate_reviews(300, seed=2024)  # regenerating gives the same file: deterministic
    assert [review_row(r)[0] for r in reviews[:2]] == ["SYN-0001", "SYN-0002"]


def test_future_dates_and_impossible_transitions_are_rejected(tmp_path: Path) -> None:
    future = ["R-7", *GOOD[1:4], "2999-01-01", *GOOD[5:]]
    transition = ["R-8", "65+", "physical support", "transition to adulthood", *GOOD[4:]]
    with pytest.raises(InputError) as caught:
        load_reviews(write_csv(tmp_path / "reviews.csv", [future, transition]))
    assert sorted((p.row, p.column) for p in caught.value.problems) == [(2, "review_date"), (3, "decision_point")]


def test_summary_cli_writes_page_and_workbook(tmp_path: Path, examples: Path) -> None:
    import json

    out = tmp_path / "summary"
    done = careflow("reviews", "summary", str(examples / "case_reviews_synthetic.csv"), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["cases"] == 300
    assert result["more_independent"]["low"] < result["more_independent"]["share"] < result["more_independent"]["high"]
    page = (out / "reviews_summary.html").read_text(encoding="utf-8")
    assert "Wilson" in page and "<svg" in page and "The Future of Adult Social Care" in page and "L1472" not in page
    assert (out / "reviews_summary.xlsx").stat().st_size > 0


def test_excel_dates_and_numeric_nhs_numbers(tmp_path: Path) -> None:
    import datetime as dt

    from careflow.tabular import write_workbook

    dated = ["R-9", *GOOD[1:4], dt.datetime(2024, 6, 3), *GOOD[5:]]
    numeric_id = [9434765919, *GOOD[1:]]  # typed into Excel as a number
    path = tmp_path / "reviews.xlsx"
    write_workbook(path, [REVIEWS], "test", [], rows={"reviews": [dated]})
    (only,) = load_reviews(path)
    assert only.review_date == dt.date(2024, 6, 3)
    write_workbook(path, [REVIEWS], "test", [], rows={"reviews": [dated, numeric_id]})
    with pytest.raises(InputError) as caught:
        load_reviews(path)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("reviews", 5, "case_id")
    assert "valid NHS number" in problem.found
