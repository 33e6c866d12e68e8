"""The `careflow evidence` commands: tables for people, one JSON object with --json, clean errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from careflow.evidence.cli import app
from cli_runner import run_careflow

runner = CliRunner()


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_command_gives_one_json_object():
    assert len(run_json("councils")["councils"]) == 48
    search = run_json("search", "reablement", "--min-gbp", "1000000")
    assert search["levers"] and all(h["amount"] >= 1e6 for h in search["levers"])
    council = run_json("council", "Croydon")
    assert council["savings"]["stated"]["printed"] == "£19.27 million"
    assert any(f["origin"] == "check" for f in council["flags"])
    assert run_json("council", "31")["council"] == "Richmond upon Thames"
    peers = run_json("peers", "Kent", "--top", "3")
    assert len(peers["peers"]) == 3
    assert set(run_json("benchmarks", "--council", "Kent")["benchmarks"]) == {
        "home_care_hourly_rate",
        "reablement_no_further_service",
        "savings_pct_of_spend",
    }
    flags = run_json("quality")["flags"]
    assert any(f["printed"] == "£103,959 million" for f in flags)
    assert len(run_json("taxonomy")["categories"]) > 20
    assert run_json("lever", "front_door")["opportunity_lever"] == "front_door_community"


def test_council_profile_shows_trend_savings_and_sources():
    result = runner.invoke(app, ["council", "Enfield"])
    assert result.exit_code == 0
    assert "£103,959 million" in result.stdout
    assert "Adult Social Care Efficiency programme" in result.stdout and "002_" not in result.stdout
    assert "of average spend" in result.stdout


def test_lever_page_with_opportunity_values(tmp_path):
    values = tmp_path / "opportunity.json"
    values.write_text(json.dumps({"short_term_services": 2500000}), encoding="utf-8")
    page = run_json("lever", "reablement", "--opportunity", str(values))
    assert page["worth_for_you"]["net_gbp_per_year"] == 2_500_000


def test_peers_from_a_baseline_file(tmp_path):
    path = tmp_path / "demoshire.json"
    path.write_text(
        json.dumps({"name": "Demoshire", "council_type": "unitary", "gross_spend": {"2011/12": 9e7, "2013/14": 8.5e7}}),
        encoding="utf-8",
    )
    peers = run_json("peers", "--baseline", str(path), "--top", "4")
    assert peers["subject"]["name"] == "Demoshire"
    assert len(peers["peers"]) == 4


def test_report_writes_a_self_contained_page(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "evidence.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 2
    assert "Croydon" in page and "Wokingham" in page
    assert "self-reported" in page
    assert "http://" not in page.split("<body>")[0] and "<script" not in page


def test_bad_input_exits_2_with_a_located_message_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\ngross_spend: {2013/14: lots}\n", encoding="utf-8")
    for args in (
        ["peers", "--baseline", str(bad)],
        ["council", "Atlantis"],
        ["search", "--lever", "wishful_thinking"],
    ):
        done = run_careflow("evidence", *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        assert "problem" in done.stderr


def test_council_page_states_its_sum_checks():
    assert "add up to £9.700m, which matches" in runner.invoke(app, ["council", "Richmond upon Thames"]).stdout
    assert "add up to £17.450m, which does NOT match" in runner.invoke(app, ["council", "Croydon"]).stdout
