"""Plausibility warnings: the typing slips a trial user made read as valid numbers; validate must point at them."""

from __future__ import annotations

import json
from pathlib import Path

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.baseline.io import write_baseline_workbook
from careflow.baseline.plausibility import plausibility_warnings
from careflow.baseline.schema import Baseline
from cli_runner import run_careflow


def _changed(table: str, match: dict[str, object], **values: object) -> Baseline:
    base = demoshire()
    rows = [
        r.model_copy(update=values) if all(getattr(r, k) == v for k, v in match.items()) else r
        for r in getattr(base, table)
    ]
    return base.model_copy(update={table: rows})


def test_typical_councils_raise_no_warnings() -> None:
    assert plausibility_warnings(demoshire(), "demo") == []
    assert plausibility_warnings(england_2019_20(), "england") == []


def test_population_typed_a_hundred_times_too_small() -> None:
    people = next(r.people for r in demoshire().population if r.age_band == "18-64")
    warnings = plausibility_warnings(_changed("population", {"age_band": "18-64"}, people=people / 100), "x")
    assert any(w.sheet == "population" and w.column == "people" for w in warnings)
    assert any(w.sheet == "requests" and "aged 18-64" in w.found for w in warnings)


def test_older_peoples_episodes_raised_more_than_fivefold() -> None:
    base = demoshire()  # every 65+ row scaled as the trial user's 3,100 → 17,500
    rows = [
        r.model_copy(update={"episodes": r.episodes * 17_500 / 3_100}) if r.age_band == "65+" else r
        for r in base.short_term
    ]
    changed = base.model_copy(update={"short_term": rows})
    warnings = plausibility_warnings(changed, "x")
    assert any(w.sheet == "short_term" and "aged 65+" in w.found for w in warnings)


def test_request_outcomes_that_no_longer_add_up() -> None:
    base = demoshire()
    assert base.request_outcomes, "the demo council records request outcomes"
    first = base.request_outcomes[0]
    rows = [first.model_copy(update={"requests": first.requests + 5_000}), *base.request_outcomes[1:]]
    warnings = plausibility_warnings(base.model_copy(update={"request_outcomes": rows}), "x")
    assert any(w.sheet == "request_outcomes" and first.age_band in w.found for w in warnings)


def test_income_share_typed_as_a_fraction() -> None:
    warnings = plausibility_warnings(_changed("long_term", {"setting": "residential"}, income_share=0.0038), "x")
    shares = [w for w in warnings if w.column == "income_share"]
    assert shares and "type 38" in shares[0].found


def test_validate_prints_warnings_but_succeeds(tmp_path: Path) -> None:
    people = next(r.people for r in demoshire().population if r.age_band == "18-64")
    path = tmp_path / "slip.xlsx"
    write_baseline_workbook(path, _changed("population", {"age_band": "18-64"}, people=people / 100))
    result = run_careflow("validate", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["valid"] is True and any(w["sheet"] == "population" for w in data["warnings"])
