"""The headline figures of a baseline, for a person to recognise their own council in."""

from __future__ import annotations

from careflow.baseline.schema import Baseline
from careflow.console import gbp_m


def glance(baseline: Baseline) -> list[tuple[str, str]]:
    """(measure, value as shown) for the council's headline figures."""
    return [
        ("Adults (18+)", f"{baseline.people():,.0f}"),
        ("Requests for support from new clients", f"{baseline.total_requests():,.0f}"),
        ("Completed short-term episodes", f"{baseline.short_term_episodes():,.0f}"),
        ("Clients in long-term support", f"{baseline.clients():,.0f}"),
        ("Permanent care-home admissions (65+)", f"{baseline.care_home_admissions('65+'):,.0f}"),
        ("Gross current expenditure (£m)", gbp_m(baseline.gross_spend())),
        ("Net current expenditure (£m)", gbp_m(baseline.net_spend())),
    ]
