"""The built-in `demo` baseline: "Demoshire", a synthetic county of about 800,000 residents.

Demoshire is not a real council. Every figure is England's (the `england-2019-20` baseline) scaled by the
ratio of Demoshire's population to England's in the matching age band — a county's older age profile
means its older-people services scale up more than its working-age ones. Unit costs, income shares and
outcome shares are England's. It is built deterministically, so every run sees the same council.
"""

from __future__ import annotations

from functools import cache

from careflow.baseline.england import england_2019_20
from careflow.baseline.schema import AgeBand, Baseline, Council, PopulationBand, PopulationRow, SourcedRow
from careflow.provenance import Assumed, Derived

# Adults by age band: about 640,000 adults in a county of about 800,000 residents, with a larger share
# aged 65+ (27% of adults, against 23% for England) as county populations are older.
POPULATION: dict[PopulationBand, float] = {"18-64": 467_000, "65-74": 96_000, "75-84": 58_000, "85+": 22_000}
RESIDENTS = 800_000
SYNTHETIC = "Demoshire is a synthetic county for demonstration; it is not a real council."


def _ratio(england: Baseline, band: AgeBand) -> float:
    bands: tuple[PopulationBand, ...] = ("18-64",) if band == "18-64" else ("65-74", "75-84", "85+")
    return sum(POPULATION[b] for b in bands) / england.people(bands)


def _scaled(row: SourcedRow, count_fields: tuple[str, ...], ratio: float, band: AgeBand) -> SourcedRow:
    """Scale the named fields by the band's population ratio; counts of people are rounded to whole numbers."""
    updates: dict[str, object] = {}
    sources = dict(row.sources)
    for name in count_fields:
        value = getattr(row, name)
        if value is None:
            continue
        whole = not name.endswith("_gbp")
        updates[name] = round(value * ratio) if whole else value * ratio
        sources[name] = Derived(
            formula=f"England {name} × Demoshire population aged {band} ÷ England population aged {band}"
            + (", rounded to a whole number" if whole else ""),
            inputs={"england": value, "ratio": ratio},
        )
    updates["sources"] = sources
    return row.model_copy(update=updates)


@cache
def demoshire() -> Baseline:
    england = england_2019_20()
    ratio = {band: _ratio(england, band) for band in ("18-64", "65+")}

    def scale(rows: list, fields: tuple[str, ...]) -> list:
        return [_scaled(r, fields, ratio[r.age_band], r.age_band) for r in rows]

    population = [
        PopulationRow(
            age_band=band,
            people=people,
            sources={"people": Assumed(reason=f"synthetic county of about {RESIDENTS:,} residents; {SYNTHETIC}")},
        )
        for band, people in POPULATION.items()
    ]
    return Baseline(
        council=Council(
            name="Demoshire (synthetic)",
            council_type="county",
            financial_year="2019/20",
            synthetic=True,
            note=SYNTHETIC + " Built from England's 2019/20 rates per head of each age band.",
        ),
        population=population,
        requests=scale(england.requests, ("requests",)),
        request_outcomes=scale(england.request_outcomes, ("requests",)),
        short_term=scale(england.short_term, ("episodes",)),
        long_term=scale(england.long_term, ("clients",)),
        admissions=scale(england.admissions, ("admissions", "from_hospital")),
        other_spend=scale(england.other_spend, ("gross_gbp", "income_gbp")),
    )
