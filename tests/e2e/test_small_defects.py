"""Small defects a trial user met: each fixed, each pinned."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_careflow

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-m", "careflow", *args], capture_output=True, text=True, env=env)


def test_lever_ids_do_not_wrap_mid_word_in_80_columns() -> None:
    shown = _run("opportunity").stdout
    for lever in ("short_term_services", "ld_community_hours", "care_home_admissions", "ld_residential_moves"):
        assert lever in shown


@pytest.mark.slow
def test_sweep_table_keeps_its_grid_labels() -> None:
    shown = _run("sweep", "--baseline", "demo", "--scenario", "baseline", "--years", "1", "--runs", "10",
                 "--grid", "unit_cost_inflation=0.02", "--workers", "1", columns=200)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "baseline [unit_cost_inflation=0.02]" in shown.stdout


def test_england_variants_help_states_their_size() -> None:
    text = " ".join(_run("sweep", "--help", columns=200).stdout.split())
    assert "17%–67% of England" in text and "council-sized variants" not in text


def test_evidence_lever_accepts_opportunity_json(tmp_path: Path) -> None:
    written = run_careflow("opportunity", "--json")
    path = tmp_path / "opportunity.json"
    path.write_text(written.stdout)
    result = run_careflow("evidence", "lever", "reablement", "--opportunity", str(path), "--json")
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    expected = {x["id"]: x["net_benefit_gbp"] for x in json.loads(written.stdout)["levers"]}
    assert page["worth_for_you"]["net_gbp_per_year"] == expected[page["opportunity_lever"]]


def test_readme_links_only_to_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in set(re.findall(r"`?([\w./-]+\.md)`?", readme)):
        if name in ("README.md",):
            continue
        assert (ROOT / name).exists(), f"README refers to {name}, which is not in the repository"
