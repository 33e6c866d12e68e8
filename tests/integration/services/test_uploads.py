"""Services take uploads (bytes plus the name the user knows): same results as from a path, problems by that name."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from careflow.errors import InputError
from careflow.services import (
    Upload,
    check_baseline,
    check_finance,
    choose_scenario,
    evaluate_opportunity,
    load_scenario,
    project,
    summarise_reviews,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def upload(name: str) -> Upload:
    with (EXAMPLES / name).open("rb") as handle:
        return Upload.from_file(handle, f"my documents/{name}")


def test_an_uploaded_baseline_gives_the_same_opportunity_as_the_file() -> None:
    from_file = evaluate_opportunity(EXAMPLES / "demo-baseline.xlsx")
    from_upload = evaluate_opportunity(upload("demo-baseline.xlsx"))
    assert from_upload.total_net_benefit_gbp == from_file.total_net_benefit_gbp
    assert check_baseline(upload("demo-baseline.xlsx")).council == from_file.baseline


def test_problems_in_an_upload_name_the_upload_sheet_row_and_column() -> None:
    book = openpyxl.load_workbook(EXAMPLES / "demo-baseline.xlsx")
    sheet = book["long_term"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "age_band")
    column = next(c for c in range(1, 20) if sheet.cell(header_row, c).value == "clients")
    sheet.cell(header_row + 1, column).value = "lots"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InputError) as caught:
        check_baseline(Upload(name="Council baseline v2.xlsx", data=buffer.getvalue()))
    problem = caught.value.problems[0]
    assert problem.file == "Council baseline v2.xlsx"
    assert (problem.sheet, problem.row, problem.column) == ("long_term", header_row + 1, "clients")
    assert all("careflow-upload" not in str(p) for p in caught.value.problems)


def test_uploaded_scenario_and_finance_pack() -> None:
    scenario = load_scenario(upload("flow-scenario.yaml"))
    assert scenario.name == "optimised, phased"
    with pytest.raises(InputError) as caught:
        load_scenario(Upload(name="typo.yaml", data=b"levers:\n  telecare: {}\n"))
    assert caught.value.problems[0].file == "typo.yaml"
    assert check_finance(upload("norfolk-2017-18-p4.xlsx")).lines > 0
    assert summarise_reviews(upload("case_reviews_synthetic.csv")).summary.cases > 0


def test_projection_reports_progress_per_block_of_runs() -> None:
    seen: list[tuple[int, int]] = []
    made = project(
        "demo", choose_scenario("optimised", years=2, runs=600, seed=3), on_progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (1200, 1200)  # two scenarios × 600 runs
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) == 6  # blocks of 250 runs
    assert made.files == [] and set(made.projection.scenarios) == {"baseline", "optimised"}
