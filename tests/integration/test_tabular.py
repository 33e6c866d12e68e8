"""Reading typed tables: every problem located, all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.errors import Problems
from careflow.tabular import InputColumn, Table, read_tables, write_workbook

PEOPLE = Table(
    "people",
    "People by age band",
    (
        InputColumn("age_band", "Age band", kind="text", choices=("18-64", "65+")),
        InputColumn("clients", "Number of clients", kind="integer"),
        InputColumn("share", "Share of clients", kind="percent"),
    ),
    example_rows=(("18-64", 10, 40.0),),
)


def test_template_round_trips_its_example_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_workbook(path, [PEOPLE], "Test", ["Fill in the sheet."])
    problems = Problems()
    tables = read_tables(path, [PEOPLE], problems)
    assert not problems
    assert tables["people"] == [{"_row": 4, "age_band": "18-64", "clients": 10, "share": 40.0}]


def test_every_bad_cell_is_reported_with_its_location(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "people.csv").write_text("age_band,clients,share\n18-64,-3,40\nchildren,ten,140\n65+,5,50%\n")
    problems = Problems()
    tables = read_tables(folder, [PEOPLE], problems)
    found = {(p.row, p.column) for p in problems.items}
    assert found == {(2, "clients"), (3, "age_band"), (3, "clients"), (3, "share")}
    assert tables["people"] == [{"_row": 4, "age_band": "65+", "clients": 5, "share": 50.0}]


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "empty.xlsx", "empty file"),
        (b"PK\x03\x04garbage", "broken.xlsx", "may be damaged"),
        (b"hello", "notes.txt", "type '.txt'"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls", "old-format"),
    ],
)
def test_unreadable_files_are_one_clear_problem(tmp_path: Path, content: bytes, name: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    problems = Problems()
    assert read_tables(path, [PEOPLE], problems) == {}
    assert len(problems.items) == 1 and fragment in problems.items[0].found
    assert "BadZipFile" not in str(problems.items[0]) and "Error" not in str(problems.items[0])
