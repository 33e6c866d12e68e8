"""Plausibility warnings: a baseline's rates per head, unit costs and shares set against England's.

These are warnings, not errors: a council may really be unusual. They exist to catch typing slips that
read as valid numbers (a population typed as 3,520 for 352,000; an income share of 0.38 meant as 38%;
request outcomes that no longer add up to the requests), which otherwise flow silently into the money.

England's figures come from the built-in `england-2019-20` baseline (NHS Digital, ASC-FR and SALT
2019-20, quoted there line by line). Councils' rates per head spread widely around England's; a rate
outside a third to three times England's is rare enough to be worth a second look (an assumption, stated
in every warning, not a published range).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from careflow.baseline import schema as s
from careflow.errors import Problem

LOW_FACTOR, HIGH_FACTOR = 1 / 3, 3.0
PARTS_TOLERANCE = 0.005  # parts may differ from their whole by rounding, up to 0.5%
ADULTS_18_64_SHARE = (0.55, 0.90)  # assumed bounds on the share of adults aged 18-64 (England 2019/20: about 76%)
PER = 100_000
ENGLAND = "England 2019/20 (NHS Digital, ASC-FR and SALT 2019-20)"


@lru_cache(maxsize=1)
def _england() -> s.Baseline:
    from careflow.baseline.england import england_2019_20

    return england_2019_20()


def _people(b: s.Baseline, band: s.AgeBand) -> float:
    return b.people(("18-64",)) if band == "18-64" else b.people(("65-74", "75-84", "85+"))


def _row_number(row: s.SourcedRow) -> int | None:
    """The spreadsheet row a figure was read from, when it came from a council's file."""
    for source in row.sources.values():
        match = re.search(r"row (\d+)", getattr(source, "detail", "") or "")
        if match:
            return int(match.group(1))
    return None


RATES: tuple[tuple[str, str, str, Callable[[s.Baseline, s.AgeBand], float]], ...] = (
    ("requests", "requests", "requests for support", lambda b, band: b.total_requests(band)),
    ("short_term", "episodes", "short-term (reablement) episodes", lambda b, band: b.short_term_episodes(band)),
    ("long_term", "clients", "clients in long-term support", lambda b, band: b.clients(age_band=band)),
    ("admissions", "admissions", "permanent care home admissions", lambda b, band: b.care_home_admissions(band)),
)


def _rate_warnings(b: s.Baseline, file: str) -> list[Problem]:
    england = _england()
    warnings = []
    for sheet, column, what, count in RATES:
        for band in s.AGE_BANDS:
            people, national_people = _people(b, band), _people(england, band)
            if people <= 0 or national_people <= 0:
                continue
            rate = count(b, band) / people * PER
            national = count(england, band) / national_people * PER
            low, high = national * LOW_FACTOR, national * HIGH_FACTOR
            if national > 0 and not low <= rate <= high:
                warnings.append(
                    Problem(
                        file,
                        f"{rate:,.0f} {what} per 100,000 aged {band} ({count(b, band):,.0f} ÷ {people:,.0f} people"
                        " on sheet 'population'): check both figures",
                        f"{ENGLAND}: {national:,.0f} per 100,000; {low:,.0f}–{high:,.0f} is a third to three"
                        " times that",
                        sheet,
                        None,
                        column,
                    )
                )
    return warnings


def _population_share(b: s.Baseline, file: str) -> list[Problem]:
    adults = b.people()
    if adults <= 0:
        return []
    share = _people(b, "18-64") / adults
    low, high = ADULTS_18_64_SHARE
    if low <= share <= high:
        return []
    row = next((_row_number(r) for r in b.population if r.age_band == "18-64"), None)
    england = _people(_england(), "18-64") / _england().people()
    return [
        Problem(
            file,
            f"{share:.0%} of adults aged 18-64 ({_people(b, '18-64'):,.0f} of {adults:,.0f})",
            f"{low:.0%}–{high:.0%} (assumed bounds; {ENGLAND}: {england:.0%})",
            "population",
            row,
            "people",
        )
    ]


def _unit_cost_warnings(b: s.Baseline, file: str) -> list[Problem]:
    england = _england()
    warnings = []
    for band in s.AGE_BANDS:
        for setting in s.SETTINGS:
            cost = b.average_weekly_cost(settings=(setting,), age_band=band)
            national = england.average_weekly_cost(settings=(setting,), age_band=band)
            if cost <= 0 or national <= 0:
                continue
            low, high = national * LOW_FACTOR, national * HIGH_FACTOR
            if not low <= cost <= high:
                row = next((_row_number(r) for r in b.long_term if r.age_band == band and r.setting == setting), None)
                warnings.append(
                    Problem(
                        file,
                        f"£{cost:,.0f} a week on average for {setting.replace('_', ' ')}, aged {band}",
                        f"{ENGLAND}: £{national:,.0f}; £{low:,.0f}–£{high:,.0f} is a third to three times that",
                        "long_term",
                        row,
                        "weekly_cost_gbp",
                    )
                )
    return warnings


def _income_share_warnings(b: s.Baseline, file: str) -> list[Problem]:
    """A share typed as a fraction (0.38) reads as 0.38%: flag shares under 1% where England's are far higher."""
    england = _england()
    warnings = []
    for row in b.long_term:
        national = england.long_term_net(settings=(row.setting,), age_band=row.age_band)
        gross = england.long_term_gross(settings=(row.setting,), age_band=row.age_band)
        national_share = 1 - national / gross if gross else 0.0
        if 0 < row.income_share < 0.01 and national_share >= 0.05:
            warnings.append(
                Problem(
                    file,
                    f"an income share of {row.income_share * 100:g}% (if you meant {row.income_share * 100:g} × 100"
                    f" = {row.income_share * 10_000:g}%, type {row.income_share * 10_000:g})",
                    f"a percentage from 0 to 100; {ENGLAND} recovers {national_share:.0%} for"
                    f" {row.setting.replace('_', ' ')}, aged {row.age_band}",
                    "long_term",
                    _row_number(row),
                    "income_share",
                )
            )
    return warnings


def _parts_warnings(b: s.Baseline, file: str) -> list[Problem]:
    """Request outcomes are the same requests split another way: their totals should agree, band by band."""
    if not b.request_outcomes:
        return []
    warnings = []
    for band in s.AGE_BANDS:
        whole = b.total_requests(band)
        parts = sum(r.requests for r in b.request_outcomes if r.age_band == band)
        if abs(parts - whole) > PARTS_TOLERANCE * max(whole, 1.0):
            warnings.append(
                Problem(
                    file,
                    f"request outcomes for {band} adding up to {parts:,.0f}",
                    f"{whole:,.0f}, the requests for {band} on sheet 'requests'",
                    "request_outcomes",
                    None,
                    "requests",
                )
            )
    return warnings


def plausibility_warnings(b: s.Baseline, file: str) -> list[Problem]:
    """Every figure worth a second look, located as far as the baseline knows; empty for a typical council."""
    if b.council.council_type == "national":
        return []
    return [
        *_population_share(b, file),
        *_rate_warnings(b, file),
        *_parts_warnings(b, file),
        *_unit_cost_warnings(b, file),
        *_income_share_warnings(b, file),
    ]
