"""Baseline validation: every problem located and reported at once; no input, however broken, escapes as a crash."""

from __future__ import annotations

import io
import pickle
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careflow.baseline.demo import demoshire
from careflow.baseline.io import TABLES, baseline_rows, read_baseline_file, write_baseline_workbook
from careflow.errors import InputError
from careflow.opportunity import evaluate


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    write_baseline_workbook(path, demoshire())
    return path


@pytest.fixture(scope="module")
def demo_loaded(demo_workbook: Path) -> bytes:
    """The demo workbook as openpyxl loads it, pickled: an example unpickles its own fresh copy (~10 ms) instead of
    parsing the .xlsx again (~100 ms, 40% of the mangling test); `test_a_pickled_copy_saves_as_a_fresh_load` checks
    that the copy is the same workbook."""
    return pickle.dumps(openpyxl.load_workbook(demo_workbook))


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_baseline_file(path)
    return [str(p) for p in caught.value.problems]


def test_workbook_round_trip_gives_the_same_opportunity(demo_workbook: Path) -> None:
    loaded = read_baseline_file(demo_workbook)
    assert evaluate(loaded).total_net_benefit_gbp == pytest.approx(evaluate(demoshire()).total_net_benefit_gbp)
    # The workbook's `sources` sheet keeps each figure's provenance (issue 10): it is no longer all "local".
    source = loaded.long_term[0].sources["clients"]
    assert source == demoshire().long_term[0].sources["clients"] and source.kind == "derived"


def test_shipped_example_matches_the_built_in_demo() -> None:
    example = Path(__file__).resolve().parents[3] / "examples" / "demo-baseline.xlsx"
    loaded = read_baseline_file(example)
    assert loaded.clients() == demoshire().clients()
    source = loaded.long_term[0].sources["clients"]  # a workbook with no `sources` sheet is the council's own data
    assert source.kind == "local" and "row 4" in source.describe()
    assert loaded.net_spend() == pytest.approx(demoshire().net_spend())


def _edit(source: Path, target: Path, edits: dict[tuple[str, str], object]) -> Path:
    workbook = openpyxl.load_workbook(source)
    for (sheet, cell), value in edits.items():
        workbook[sheet][cell] = value
    workbook.save(target)
    return target


def test_every_kind_of_cell_problem_is_reported_together(demo_workbook: Path, tmp_path: Path) -> None:
    broken = _edit(
        demo_workbook,
        tmp_path / "broken.xlsx",
        {
            ("long_term", "D4"): -5,  # negative count
            ("long_term", "E5"): "about 400",  # text in a number cell
            ("long_term", "C6"): "hospice",  # unknown setting
            ("long_term", "G7"): 140,  # percentage over 100
            ("council", "F4"): 1,  # a stated total that contradicts the rows
        },
    )
    problems = _problems(broken)
    assert any("row 4, column 'clients'" in p and "-5" in p for p in problems)
    assert any("row 5, column 'weekly_cost_gbp'" in p and "about 400" in p for p in problems)
    assert any("row 6, column 'setting'" in p and "hospice" in p and "home_care" in p for p in problems)
    assert any("row 7, column 'income_share'" in p and "140" in p for p in problems)
    assert len(problems) >= 4


def test_totals_that_contradict_their_parts(demo_workbook: Path, tmp_path: Path) -> None:
    broken = _edit(demo_workbook, tmp_path / "totals.xlsx", {("council", "F4"): 1, ("council", "G4"): 99})
    problems = _problems(broken)
    assert any("total_long_term_clients" in p and "12,835" in p for p in problems)
    assert any("total_requests" in p for p in problems)


def test_missing_required_sheet(demo_workbook: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(demo_workbook)
    del workbook["admissions"]
    path = tmp_path / "missing.xlsx"
    workbook.save(path)
    problems = _problems(path)
    assert any("sheet 'admissions'" in p and "no such sheet" in p for p in problems)


def test_duplicate_rows_are_named_alongside_cell_problems(demo_workbook: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(demo_workbook)
    sheet = workbook["population"]
    sheet.append([cell.value for cell in sheet[4]])
    workbook["long_term"]["D5"] = "many"
    path = tmp_path / "dupe.xlsx"
    workbook.save(path)
    problems = _problems(path)
    assert any("a second row for 18-64" in p and "first at row 4" in p for p in problems)
    assert any("row 5, column 'clients'" in p and "many" in p for p in problems)


def test_csv_folder_and_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    rows = baseline_rows(demoshire())
    for table in TABLES:
        lines = [",".join(c.name for c in table.columns)]
        lines += [",".join("" if v is None else str(v) for v in row) for row in rows[table.name]]
        (folder / f"{table.name}.csv").write_text("\n".join(lines) + "\n")
    assert read_baseline_file(folder).clients() == demoshire().clients()
    (folder / "population.csv").write_text("age_band,people\n18-64,lots\n")
    assert any("population.csv" in p and "lots" in p for p in _problems(folder))

    yaml_path = tmp_path / "b.yaml"
    yaml_path.write_text(
        "council: {name: Testshire, council_type: unitary, financial_year: 2024/25}\n"
        "population: [{age_band: 18-64, people: 1000}]\n"
        "requests: [{route: community, age_band: 65+, requests: 10}]\n"
        "short_term: [{age_band: 65+, outcome: no_further_need, episodes: 4}]\n"
        "long_term: [{age_band: 65+, support_reason: physical_support, setting: home_care, clients: 5, weekly_cost_gbp: 200}]\n"
        "admissions: [{age_band: 65+, admissions: 2}]\n"
    )
    loaded = read_baseline_file(yaml_path)
    assert loaded.council.council_type == "unitary" and loaded.clients() == 5


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.xlsx", b"", "empty file"),
        ("corrupt.xlsx", b"PK\x03\x04 this is not a workbook", "corrupt"),
        ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "old-format"),
        ("notes.pdf", b"%PDF-1.4", "type '.pdf'"),
        ("baseline.yaml", b"- just\n- a list\n", "a list"),
    ],
)
def test_unreadable_inputs_are_one_clear_problem(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    problems = _problems(path)
    assert len(problems) == 1 and fragment in problems[0]


CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),  # what a workbook can hold
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from([t.name for t in TABLES]),
            st.integers(min_value=1, max_value=12),
            st.integers(min_value=1, max_value=8),
            CELL_VALUES,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_mangled_workbooks_give_problems_never_crashes(demo_loaded: bytes, tmp_path: Path, edits: list) -> None:  # type: ignore[type-arg]
    workbook = pickle.loads(demo_loaded)
    for sheet, row, column, value in edits:
        workbook[sheet].cell(row, column).value = value
    path = tmp_path / "mangled.xlsx"
    workbook.save(path)
    try:
        baseline = read_baseline_file(path)
    except InputError as error:
        assert error.problems and all(p.file == str(path) for p in error.problems)
    else:
        assert baseline.clients() >= 0


def test_a_pickled_copy_saves_as_a_fresh_load(demo_workbook: Path, demo_loaded: bytes) -> None:
    def parts(workbook: openpyxl.Workbook) -> dict[str, bytes]:
        workbook["long_term"].cell(12, 8).value = "=1+1"  # a mangling edit, in a cell the demo leaves empty
        saved = io.BytesIO()
        workbook.save(saved)
        with zipfile.ZipFile(saved) as archive:  # all but docProps/core.xml, which holds the time of saving
            return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}

    assert parts(pickle.loads(demo_loaded)) == parts(openpyxl.load_workbook(demo_workbook))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), table=st.sampled_from([t.name for t in TABLES]))
def test_mangled_csv_gives_problems_never_crashes(tmp_path: Path, text: str, table: str) -> None:
    folder = tmp_path / "mangled"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        read_baseline_file(folder)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_workbook(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError):
        read_baseline_file(path)
