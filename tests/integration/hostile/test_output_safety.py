"""Issue 12, findings 1, 2 and 8: no input text becomes a live formula or live markup; workbooks are reproducible."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from careflow.safety import formula_cells, neutralise, restore, risky_csv_cells
from cli_runner import invoke

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EVIL_FORMULA = '=HYPERLINK("http://evil.example","x")'
EVIL_CODE = 'CS"><img src=x onerror=alert(9)>'


def rewrite_csv(path: Path, change) -> None:
    """Apply `change(cell) -> cell` to every cell of a CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([[change(c) for c in row] for row in rows])


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_neutralise_follows_the_owasp_rule() -> None:
    for risky in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(risky) == "'" + risky
        assert restore(neutralise(risky)) == risky
    for plain in ("Team North", "'quoted", 12, -3.5, None, "1-2"):
        assert neutralise(plain) == plain


def test_hostile_finance_pack_gives_no_formula_and_no_markup(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES / "norfolk-2017-18-p4", pack)
    for file in pack.glob("*.csv"):
        rewrite_csv(file, lambda c: EVIL_CODE if c == "CS" else c)
    rewrite_csv(pack / "budget_lines.csv", lambda c: EVIL_FORMULA if c == "Business Development" else c)
    code, _, err = invoke("finance", "report", str(pack), "--out", str(tmp_path / "out"))
    assert code == 0, err
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "<img" not in html
    assert 'data-table="detail-CS&quot;&gt;&lt;img' in html  # the code is kept, as text
    for workbook in (tmp_path / "out").glob("*.xlsx"):
        assert formula_cells(workbook) == []


def test_scenario_name_is_not_a_formula_in_the_projection(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: '{EVIL_FORMULA}'\nlevers: {{}}\n", encoding="utf-8")
    code, _, err = invoke(
        "project", "--baseline", "demo", "--scenario", str(scenario), "--runs", "20", "--out", str(tmp_path / "o")
    )
    assert code == 0, err
    workbook = tmp_path / "o" / "projection.xlsx"
    assert formula_cells(workbook) == []
    import openpyxl

    texts = [c.value for s in openpyxl.load_workbook(workbook) for r in s.iter_rows() for c in r]
    assert "'" + EVIL_FORMULA in texts  # shown as text, not dropped


def test_review_export_csv_and_xlsx_neutralise_case_ids(tmp_path: Path) -> None:
    reviews = tmp_path / "reviews.csv"
    shutil.copy(EXAMPLES / "case_reviews_synthetic.csv", reviews)
    rewrite_csv(reviews, lambda c: "=1+2" if c == "SYN-0001" else ("@SUM(A1)" if c == "SYN-0002" else c))
    for name in ("out.csv", "out.xlsx"):
        code, _, err = invoke("reviews", "export", str(reviews), "--out", str(tmp_path / name))
        assert code == 0, err
    assert risky_csv_cells(csv_rows(tmp_path / "out.csv")) == []
    assert [r[0] for r in csv_rows(tmp_path / "out.csv") if r and r[0].endswith("=1+2")] == ["'=1+2"]
    assert formula_cells(tmp_path / "out.xlsx") == []
    # and the export reads back as the same case ids
    code, _, err = invoke("reviews", "export", str(tmp_path / "out.xlsx"), "--out", str(tmp_path / "again.csv"))
    assert code == 0, err
    assert csv_rows(tmp_path / "again.csv") == csv_rows(tmp_path / "out.csv")


def test_indicator_provider_is_not_a_formula(tmp_path: Path) -> None:
    data = tmp_path / "ind.csv"
    shutil.copy(EXAMPLES / "indicators_synthetic.csv", data)
    text = data.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("month,"))
    first = lines[header + 1].split(",")
    lines.insert(header + 1, ",".join([first[0], "care_home_admissions_65", "1", "=cmd|'/c calc'!A1"]))
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = invoke("indicators", "report", str(data), "--out", str(tmp_path / "o"))
    if code == 2:  # the measure may not take providers; then at least it is a located user error
        assert "Traceback" not in err
        return
    assert code == 0, err
    for workbook in (tmp_path / "o").glob("*.xlsx"):
        assert formula_cells(workbook) == []
    for page in (tmp_path / "o").glob("*.html"):
        assert not re.search(r"<img|<script", page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "command", [["report", "--baseline", "demo"], ["project", "--baseline", "demo", "--runs", "20"]]
)
def test_same_inputs_give_identical_workbook_bytes(tmp_path: Path, command: list[str]) -> None:
    written = []
    for run in ("a", "b"):
        code, _, err = invoke(*command, "--out", str(tmp_path / run))
        assert code == 0, err
        written.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).glob("*.xlsx"))})
    assert written[0] and written[0] == written[1]
