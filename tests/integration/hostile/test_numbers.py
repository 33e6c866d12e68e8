"""Issue 12, finding 3: NaN, ±infinity and absurd magnitudes are refused, with a location, in every numeric input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from careflow.baseline.io import TABLES, baseline_rows, builtin
from cli_runner import invoke

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
BAD_NUMBERS = [".nan", ".inf", "-.inf", "1e308"]


def demo_baseline_document() -> dict:
    rows = baseline_rows(builtin("demo"))
    return {
        t.name: [dict(zip((c.name for c in t.columns), r, strict=False)) for r in rows.get(t.name, [])] for t in TABLES
    }


def refused(*args: str) -> str:
    code, stdout, stderr = invoke(*args)
    assert code == 2, stdout + stderr
    assert "Traceback" not in stderr and "fault in careflow" not in stderr
    return stderr


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_baseline_yaml_numbers(tmp_path: Path, bad: str) -> None:
    document = demo_baseline_document()
    table = next(name for name, rows in document.items() if rows and name != "council")
    column = next(k for k, v in document[table][0].items() if isinstance(v, int | float) and not isinstance(v, bool))
    document[table][0][column] = "__BAD__"
    text = yaml.safe_dump(document).replace("'__BAD__'", bad)
    path = tmp_path / "baseline.yaml"
    path.write_text(text, encoding="utf-8")
    message = refused("validate", str(path))
    assert f"column '{column}'" in message and f"sheet '{table}'" in message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e308, -1e13])
def test_numeric_workbook_cells(tmp_path: Path, bad: float) -> None:
    workbook = openpyxl.load_workbook(EXAMPLES / "demo-baseline.xlsx")
    sheet = workbook["long_term"]
    header_row = next(r for r in range(1, 7) if sheet.cell(r, 1).value == "age_band")
    column = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header_row, c).value == "clients")
    sheet.cell(header_row + 1, column, bad)
    workbook.save(tmp_path / "b.xlsx")
    message = refused("validate", str(tmp_path / "b.xlsx"))
    assert f"row {header_row + 1}" in message and "column 'clients'" in message


@pytest.mark.parametrize("bad", BAD_NUMBERS)
@pytest.mark.parametrize(
    "document",
    [
        "levers:\n  care_home_admissions:\n    effects: {share_diverted: BAD}\n",
        "levers:\n  care_home_admissions:\n    phasing: [0.5, BAD]\n",
        "parameters:\n  upper_quartile_package_ratio: BAD\n",
        "projection:\n  population_growth: {'85+': BAD}\n",
        "projection:\n  unit_cost_inflation: BAD\n",
    ],
)
def test_scenario_values(tmp_path: Path, bad: str, document: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\n" + document.replace("BAD", bad), encoding="utf-8")
    for command in (["opportunity", "--baseline", "demo"], ["project", "--baseline", "demo", "--runs", "5"]):
        if "projection" in document and command[0] == "opportunity":
            continue
        refused(*command, "--scenario", str(path))


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_evidence_profile_spend(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"name: Example\ngross_spend:\n  2013/14: {bad}\n", encoding="utf-8")
    refused("evidence", "peers", "--baseline", str(path))


@pytest.mark.parametrize("bad", ["nan", "inf", "1e308"])
def test_finance_and_review_cells(tmp_path: Path, bad: str) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES / "norfolk-2017-18-p4", pack)
    lines = (pack / "budget_lines.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",4.001,", f",{bad},")
    (pack / "budget_lines.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "row 3" in refused("finance", "validate", str(pack))
    reviews = (EXAMPLES / "case_reviews_synthetic.csv").read_text(encoding="utf-8").splitlines()
    reviews[2] = reviews[2].replace(",524.4,", f",{bad},")
    (tmp_path / "r.csv").write_text("\n".join(reviews) + "\n", encoding="utf-8")
    assert "row 3" in refused("reviews", "summary", str(tmp_path / "r.csv"))


def test_json_output_never_holds_a_bare_nan() -> None:
    code, stdout, stderr = invoke("opportunity", "--baseline", "demo", "--json")
    assert code == 0, stderr
    json.loads(stdout, parse_constant=lambda token: pytest.fail(f"bare {token} in JSON"))
