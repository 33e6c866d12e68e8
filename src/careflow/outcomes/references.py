"""Reference values by council type (county, unitary, metropolitan, London) printed in the source reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from careflow.provenance import Value, quoted

SEED_000 = "000_d3172df9c3520f0e.txt"
SEED_003 = "003_c7b7a883b0c478a3.txt"

CouncilType = Literal["county", "unitary", "metropolitan", "london"]
COUNCIL_TYPES: tuple[str, ...] = ("county", "unitary", "metropolitan", "london")
TYPE_LABEL = {
    "county": "County (CCN member)",
    "unitary": "Unitary (outside CCN)",
    "metropolitan": "Metropolitan borough",
    "london": "London borough",
    "england": "England / national average",
}


@dataclass(frozen=True)
class ReferenceValue:
    """A figure for one type of council on one topic, quoted from a source line."""

    topic: str
    council_type: str  # one of COUNCIL_TYPES or 'england'
    period: str
    value: Value
    indicator: str | None = None  # the careflow indicator it can be compared with, if any
    caveat: str = ""  # how its definition differs from careflow's indicator (blank: the same definition)
    definition: str = ""  # what the figure counts, in a few words, shown beside its period


def _funding(council_type: str, line: int, cells: tuple[str, str, str]) -> list[ReferenceValue]:
    topic = "Additional funding per head of the 65+ population (Better Care Fund and social care precept), £"
    years = ("2017/18", "2018/19", "2019/20")
    return [
        ReferenceValue(topic, council_type, year, quoted(float(cell.lstrip("£")), SEED_000, f"L{line}", cell))
        for year, cell in zip(years, cells, strict=True)
    ]


DELAYED_GROWTH = "Growth in delayed days within the month, April 2014 to July 2016, %"
DELAYED_DAYS = "Delayed transfer of care days in the month (all causes), average council"
GROWTH_CAVEAT = "growth in all delayed days; careflow compares your first and last month of social-care days"
DAYS_CAVEAT = "all delayed days in December 2014; careflow's indicator counts social-care days only"
ALL_CAUSES = "delayed days, all causes"
GROWTH_ALL_CAUSES = "growth in delayed days, all causes"

REFERENCES: tuple[ReferenceValue, ...] = (
    *_funding("county", 244, ("£79.58", "116.62", "254.11")),
    *_funding("metropolitan", 245, ("£110.69", "276.86", "428.04")),
    *_funding("london", 246, ("£137.17", "315.09", "466.51")),
    *_funding("unitary", 247, ("£95.32", "211.88", "324.47")),
    *_funding("england", 248, ("£93.67", "210.18", "322.56")),
    ReferenceValue(DELAYED_GROWTH, "county", "Apr 2014 – Jul 2016",
                   quoted(68, SEED_000, "L315", "CCN members have seen a 68% increase"), "delayed_growth", GROWTH_CAVEAT,
                   GROWTH_ALL_CAUSES),
    ReferenceValue(DELAYED_GROWTH, "metropolitan", "Apr 2014 – Jul 2016",
                   quoted(49, SEED_000, "L315", "Metropolitan Boroughs facing a 49% increase"), "delayed_growth",
                   GROWTH_CAVEAT, GROWTH_ALL_CAUSES),
    ReferenceValue(DELAYED_GROWTH, "unitary", "Apr 2014 – Jul 2016",
                   quoted(48, SEED_000, "L315", "non-CCN unitary councils (48%)"), "delayed_growth", GROWTH_CAVEAT,
                   GROWTH_ALL_CAUSES),
    ReferenceValue(DELAYED_GROWTH, "london", "Apr 2014 – Jul 2016",
                   quoted(38, SEED_000, "L315", "London (38%)"), "delayed_growth", GROWTH_CAVEAT,
                   GROWTH_ALL_CAUSES),
    ReferenceValue(DELAYED_DAYS, "county", "December 2014",
                   quoted(115, SEED_003, "L140", "a total of 115 delayed"), "delayed_days_social_care", DAYS_CAVEAT,
                   ALL_CAUSES),
    ReferenceValue(DELAYED_DAYS, "england", "December 2014",
                   quoted(88, SEED_003, "L142", "for local authorities of 88."), "delayed_days_social_care",
                   DAYS_CAVEAT, ALL_CAUSES),
    ReferenceValue("Short-term service users with no or lower ongoing support, %", "county", "2014/15",
                   quoted(79, SEED_000, "L946", "79%"), "short_term_no_or_lower_support", "",
                   "older ASCOF 2D, county areas: the highest of any council type"),
)  # fmt: skip


def references_for(council_type: str | None) -> list[ReferenceValue]:
    """Reference values for a council type and the national average (all types if none is given)."""
    if council_type is None:
        return list(REFERENCES)
    return [r for r in REFERENCES if r.council_type in (council_type, "england")]
