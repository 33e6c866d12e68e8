"""Every command's --json output validates against the JSON Schema its result model publishes (`careflow schema`)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from careflow.services.schemas import RESULTS
from cli_runner import run_careflow

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PUBLIC = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "public"  # published files, not in the repo


def _commands(tmp: Path) -> dict[str, list[str]]:
    """Arguments for every command that prints a result with --json, keyed by the result's name."""
    return {
        "baseline-check": ["validate", str(EXAMPLES / "demo-baseline.xlsx")],
        "opportunity": ["opportunity", "--baseline", "england-2019-20"],
        "projection": ["project", "--years", "2", "--runs", "20", "--out", str(tmp / "projection")],
        "finance-check": ["finance", "validate", str(EXAMPLES / "norfolk-2017-18-p4.xlsx")],
        "finance-report": ["finance", "report", str(EXAMPLES / "norfolk-2017-18-p4")],
        "review-check": ["reviews", "validate", str(EXAMPLES / "case_reviews_synthetic.csv")],
        "review-summary": ["reviews", "summary", str(EXAMPLES / "case_reviews_synthetic.csv")],
        "review-calibration": ["reviews", "calibrate", str(EXAMPLES / "case_reviews_synthetic.csv"),
                               "--baseline", "demo", "--out", str(tmp / "local.yaml")],
        "indicator-registry": ["indicators", "list"],
        "indicator-dashboard": ["indicators", "report", str(EXAMPLES / "indicators_synthetic.csv"),
                                "--out", str(tmp / "dashboard")],
        "evidence-councils": ["evidence", "councils"],
        "evidence-search": ["evidence", "search", "reablement"],
        "evidence-council": ["evidence", "council", "Croydon"],
        "evidence-peers": ["evidence", "peers", "Kent", "--top", "3"],
        "evidence-benchmarks": ["evidence", "benchmarks", "--council", "Kent"],
        "evidence-quality": ["evidence", "quality"],
        "evidence-taxonomy": ["evidence", "taxonomy"],
        "evidence-lever": ["evidence", "lever", "reablement"],
        "backtest": ["backtest", "--data", str(PUBLIC), "--runs", "50", "--out", str(tmp / "backtest")],
    }  # fmt: skip


# The sweep starts a Dask cluster; its output is checked against the schema in tests/simulate/test_sweep.py.
# ONS peers need the ONS nearest-neighbours workbook, which is not in the repository.
# `benchmark` reads the published tables: tests/imports/test_atlas_and_benchmark.py checks it on its own files.
IN_PROCESS = [name for name in RESULTS if name not in ("sweep", "evidence-ons-peers", "benchmark")]


def test_every_result_has_a_command_here() -> None:
    assert set(_commands(Path("."))) == set(IN_PROCESS)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_json_output_validates_against_the_published_schema(name: str, tmp_path: Path) -> None:
    if name == "backtest" and not PUBLIC.is_dir():
        pytest.skip(f"the backtest reads the published tables, not found in {PUBLIC}")
    schema_run = run_careflow("schema", name)
    assert schema_run.returncode == 0, schema_run.stderr
    schema = json.loads(schema_run.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    run = run_careflow(*_commands(tmp_path)[name], "--json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    jsonschema.validate(document, schema)


def test_schemas_forbid_nothing_silently_open_in_the_scenario() -> None:
    schema = json.loads(run_careflow("scenario-schema").stdout)
    assert schema["additionalProperties"] is False


def test_unknown_schema_name_is_a_located_problem() -> None:
    run = run_careflow("schema", "no-such-result")
    assert run.returncode == 2
    assert "no-such-result" in run.stderr
