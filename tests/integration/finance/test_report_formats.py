"""The committee report: HTML, Word and Excel open and carry the same numbers; --json prints every table."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from careflow.finance.money import gbp_from_millions
from careflow.finance.report import format_value, section_tables
from careflow.finance.tables import FinanceReport
from cli_runner import run_careflow

from .conftest import EXAMPLE

MARK = re.compile(r"\s*†\d+$")


class TableParser(HTMLParser):
    """Collects the text of every cell of every `<table data-table=...>`."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = dict(attrs).get("data-table")
            if self.current:
                self.tables[self.current] = []
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.current and self.in_body:
            self.tables[self.current].append([])
        elif tag == "td" and self.current and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None and self.current:
            self.tables[self.current][-1].append("".join(self.cell).replace("\xa0", " ").strip())
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    result = run_careflow("finance", "report", str(EXAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def expected_rows(report: FinanceReport, key: str) -> list[list[str]]:
    t = report.table(key)
    return [[r.label.strip(), *(format_value(r.values.get(c.measure), c.kind) for c in t.columns)] for r in t.rows]


def test_html_is_self_contained_and_has_every_table(written: Path, norfolk_report: FinanceReport) -> None:
    text = (written / "finance-report.html").read_text(encoding="utf-8")
    # nothing fetched: no scripts, stylesheets or images from elsewhere (SVG namespace URIs are names, not fetches)
    assert "<script" not in text and "<link" not in text and 'src="http' not in text and "url(http" not in text
    for heading in (
        "Executive summary",
        "Summary by area",
        "Detail by service",
        "Explanation of variances",
        "Savings programme",
        "Reserves and provisions",
        "Capital programme",
        "Medium-term financial strategy",
        "Differences from the printed source",
        "Where the figures came from",
    ):
        assert f"<h2>{heading}</h2>" in text
    assert text.count("<svg") == 3  # variance by area, savings by status, reserves
    parser = TableParser()
    parser.feed(text)
    for t in norfolk_report.tables:
        got = [[MARK.sub("", cell) for cell in row] for row in parser.tables[t.key]]
        assert got == expected_rows(norfolk_report, t.key), t.key
    flagged_cells = sum(
        (t.namespace, r.item, c.measure) in norfolk_report.flags
        for t in norfolk_report.tables
        for r in t.rows
        for c in t.columns
    )
    assert flagged_cells > len(norfolk_report.flags)  # a figure shown in two tables is marked in both
    assert text.count('class="flag"') == flagged_cells


def test_docx_has_the_same_numbers(written: Path, norfolk_report: FinanceReport) -> None:
    doc = Document(str(written / "finance-report.docx"))
    ordered = [t.key for _, tables in section_tables(norfolk_report) for t in tables]
    assert len(doc.tables) == len(ordered) + 2  # plus the tables of differences and of sources
    for key, table in zip(ordered, doc.tables, strict=False):
        got = [[MARK.sub("", c.text).strip() for c in row.cells] for row in table.rows[1:]]
        assert got == expected_rows(norfolk_report, key), key
    differences = doc.tables[-2]
    assert len(differences.rows) - 1 == len(norfolk_report.flags)
    sources = doc.tables[-1]
    assert any(
        "Norfolk County Council (2017)" in row.cells[2].text and "Item 11" in row.cells[2].text for row in sources.rows
    )
    assert not any("004_b1b9453300d05414" in row.cells[2].text for row in sources.rows)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "£3.587m at risk" in body


def _evaluated(sheet: Any, row: int, column: int) -> Any:
    """A cell's value, with the workbook's live =SUM(B4:B8) totals worked out as Excel would."""
    value = sheet.cell(row, column).value
    if isinstance(value, str) and value.startswith("=SUM("):
        first, last = value[5:-1].split(":")
        return sum(_evaluated(sheet, r, column) for r in range(int(first[1:]), int(last[1:]) + 1))
    return value


def test_xlsx_has_the_same_numbers(written: Path, norfolk_report: FinanceReport) -> None:
    workbook = load_workbook(written / "finance-report.xlsx")
    formulas = 0
    for t in norfolk_report.tables:
        sheet = workbook[t.key[:31]]
        for n, expected in enumerate(expected_rows(norfolk_report, t.key), start=4):
            cells = [_evaluated(sheet, n, i) for i in range(1, len(t.columns) + 2)]
            formulas += sum(str(sheet.cell(n, i).value).startswith("=SUM(") for i in range(2, len(t.columns) + 2))
            # stored to the precision shown: no 0.3660000000000005 under a 0.000 format
            stored = [sheet.cell(n, i).value for i in range(2, len(t.columns) + 2)]
            assert all(not isinstance(v, float) or v == round(v, 3) for v in stored)
            assert str(cells[0]).strip() == expected[0]
            for c, value, text in zip(t.columns, cells[1:], expected[1:], strict=True):
                if c.kind == "gbp" and isinstance(value, int | float):
                    value = gbp_from_millions(value)  # the workbook holds £m, as the paper prints it
                assert format_value(value, c.kind) == text, (t.key, n, c.measure)
    assert formulas > 50  # totals a user would see move when editing a line
    assert workbook["differences"].max_row - 1 == len(norfolk_report.flags)
    assert workbook["sources"].max_row > 80  # every entered line, saving, reserve, scheme and MTFS line
    # a flagged cell carries the printed figure as a comment
    summary = workbook["summary"]
    stu_row = next(r for r in range(4, 12) if summary.cell(r, 1).value == "Services to Users")
    assert "186.524" in summary.cell(stu_row, 4).comment.text


def test_json_prints_every_table(norfolk_report: FinanceReport) -> None:
    result = run_careflow("finance", "report", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["key"] for t in data["tables"]] == [t.key for t in norfolk_report.tables]
    summary = next(t for t in data["tables"] if t["key"] == "summary")
    total = next(r for r in summary["rows"] if r["item"] == "ASC")
    assert total["values"]["budget"] == pytest.approx(norfolk_report.figure("budget", "ASC", "budget"))
    assert total["flags"]["budget"]["printed"] == 261_313_000  # £, as every money value in the JSON
    assert total["flags"]["budget"]["kind"] == "gbp"
    assert {c["kind"] for c in summary["columns"]} == {"gbp", "percent"}
    assert len(data["flags"]) == len(norfolk_report.flags)


def test_validate_and_template(tmp_path: Path) -> None:
    ok = run_careflow("finance", "validate", str(EXAMPLE))
    assert ok.returncode == 0 and "valid" in ok.stdout
    template = tmp_path / "finance.xlsx"
    made = run_careflow("finance", "template", str(template))
    assert made.returncode == 0
    sheets = load_workbook(template).sheetnames
    assert sheets[0] == "Instructions" and {"settings", "budget_lines", "positions", "savings", "printed"} <= set(
        sheets
    )
    # a blank template is not a valid pack: it says so, with a location, and exits 2
    blank = run_careflow("finance", "validate", str(template))
    assert blank.returncode == 2 and "settings" in blank.stderr
