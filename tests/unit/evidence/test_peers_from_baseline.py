"""The peer finder accepts a careflow council baseline as well as a peer profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.baseline.demo import demoshire
from careflow.evidence.library import load_library
from careflow.evidence.peers import find_peers, load_subject, profile_from_baseline

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_demo_baseline_becomes_a_county_profile_with_its_gross_spend() -> None:
    profile = profile_from_baseline(demoshire())
    assert profile.council_type == "county"
    assert profile.gross_spend == {"2019/20": pytest.approx(demoshire().gross_spend())}


@pytest.mark.parametrize("spec", ["demo", str(EXAMPLES / "demo-baseline.xlsx")])
def test_peers_for_a_baseline_are_deterministic_counties(spec: str) -> None:
    library = load_library()
    first = find_peers(library, load_subject(spec, library), 3)
    again = find_peers(library, load_subject(spec, library), 3)
    assert [m.council for m in first] == [m.council for m in again]
    assert all(m.reasons for m in first)
    assert all("county" in " ".join(m.reasons) for m in first)
