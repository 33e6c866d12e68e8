"""Smoke tests of the installed command in real processes: entry point, exit codes, stdout/stderr, files."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_careflow_process


def test_opportunity_json_for_england_in_a_real_process() -> None:
    run = run_careflow_process("opportunity", "--baseline", "england-2019-20", "--json")
    assert run.returncode == 0, run.stderr
    levers = {lever["id"]: round(lever["net_benefit_gbp"] / 1e6) for lever in json.loads(run.stdout)["levers"]}
    assert levers["short_term_services"] == 867 and levers["ld_community_hours"] == 261


def test_bad_input_exits_2_with_a_located_problem_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "scenario.yaml"
    bad.write_text("levers:\n  telecare: {}\n", encoding="utf-8")
    run = run_careflow_process("project", "--scenario", str(bad), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert "telecare" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_written_file_in_a_real_process(tmp_path: Path) -> None:
    target = tmp_path / "reviews.csv"
    run = run_careflow_process("reviews", "synthetic", "--out", str(target), "--count", "5")
    assert run.returncode == 0, run.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2 + 5  # label, header, five reviews
    assert [p.name for p in tmp_path.iterdir()] == ["reviews.csv"]  # no staging file left behind


def test_usage_errors_are_click_s_exit_2() -> None:
    run = run_careflow_process("project", "--years", "ten")
    assert run.returncode == 2 and "Traceback" not in run.stderr
