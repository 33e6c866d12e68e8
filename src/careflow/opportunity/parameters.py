"""The opportunity model's levers, their default effects and ranges, and its national parameters.

Effects are fractions. Where the report gives a range it is used; where it gives a single figure the range
is assumed and the reason stated. National parameters the report does not print are back-calculated from
the England baseline so that it reproduces the printed figures (and marked derived).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from careflow.baseline.schema import Baseline, LongTermRow
from careflow.provenance import Value, assumed, calibrated, derived
from careflow.reference import national as n
from careflow.reference.bibliography import cite
from careflow.reference.national import OPTIMISED
from careflow.scenario import Effect


@dataclass(frozen=True)
class LeverInfo:
    id: str
    name: str
    cohort: str
    base: str
    effect_name: str
    central: Value
    low: Value
    high: Value
    theme: str
    short_cohort: str
    maximum: float = 1.0  # shares and reductions are at most 100%; an access uplift is an increase and may exceed it

    def expected(self) -> str:
        if self.maximum == 1.0:
            return "a fraction from 0 to 1 (0–100%)"
        return f"a value from 0 to {self.maximum:g} (an increase of 0–{self.maximum:.0%})"


def _range(value: float, reason: str) -> Value:
    return assumed(value, reason)


LEVERS: tuple[LeverInfo, ...] = (
    LeverInfo(
        "short_term_services",
        "More and better short-term services",
        "Older people (65+) leaving a short-term service to maximise independence",
        "older people receiving short-term services a year, and the long-term care each one avoids",
        "access_uplift",
        n.SHORT_TERM_ACCESS_UPLIFT,
        _range(0.30, "the report says 'at least' 40% more; a council short of capacity may reach a quarter less"),
        _range(0.50, "assumed a quarter above the report's 40%, since 40% is printed as a floor"),
        "1.2 Short-term services",
        "65+ short-term services",
        3.0,  # the report's case reviews found almost twice as many could benefit (L922); 4× today is a generous cap
    ),
    LeverInfo(
        "ld_community_hours",
        "Fewer formal support hours for working-age adults with a learning disability",
        "Working-age adults (18–64) with a learning disability supported in the community",
        "net spend on their non-residential long-term support (home care, direct payments, supported living)",
        "hours_reduction",
        n.LD_HOURS_REDUCTION,
        _range(0.06, "the report gives only the 8% average; a quarter either side is assumed"),
        _range(0.10, "the report gives only the 8% average; a quarter either side is assumed"),
        "4 Practice",
        "18–64 LD, community",
    ),
    LeverInfo(
        "care_home_admissions",
        "Older people supported in a more independent setting than a care home",
        "Older people (65+) admitted permanently to residential or nursing care",
        "permanent admissions a year × (care-home weekly cost − upper-quartile home-care package)",
        "share_diverted",
        n.CARE_HOME_SHARE_DIVERTED,
        n.CARE_HOME_SHARE_DIVERTED,
        n.CARE_HOME_SHARE_DIVERTED_HIGH,
        "2 Pathways",
        "65+ care-home admissions",
    ),
    LeverInfo(
        "front_door_community",
        "Community and voluntary-sector support at the front door",
        "All adults; the community front door",
        "net spend on commissioned home care for all adults",
        "hours_reduction",
        n.FRONT_DOOR_HOURS_REDUCTION,
        n.FRONT_DOOR_RANGE_LOW,
        n.FRONT_DOOR_RANGE_HIGH,
        "2.3 Front door",
        "all adults, home care",
    ),
    LeverInfo(
        "ld_residential_moves",
        "Working-age adults with a learning disability moving from residential care to supported living",
        "Working-age adults (18–64) with a learning disability in residential care",
        "adults in residential care × the yearly package difference between settings",
        "share_moved",
        n.LD_RESIDENTIAL_SHARE_MOVED,
        _range(
            0.215,
            "half the report's 'up to 43%': Leicestershire's review found 47% could have been placed in supported "
            "living, but only 4% of reviews resulted in a move (" + cite(OPTIMISED, "L1050") + "); separately, 42 "
            "people moved in the programme's first year (" + cite(OPTIMISED, "L1052") + ")",
        ),
        n.LD_RESIDENTIAL_SHARE_MOVED,
        "1.3 Long-term services",
        "18–64 LD, residential",
    ),
    LeverInfo(
        "trusted_providers",
        "Trusted providers adjusting home-care packages",
        "Older people (65+) on long-term home care or direct payments",
        "net spend on older adults' domiciliary care (home care and direct payments)",
        "hours_reduction",
        n.TRUSTED_HOURS_REDUCTION,
        _range(0.04, "the report gives only the 5% average; the front door's ±1 point is assumed"),
        _range(0.06, "the report gives only the 5% average; the front door's ±1 point is assumed"),
        "3 Partner and provider relationships",
        "65+ home care and DPs",
    ),
)
LEVER = {lever.id: lever for lever in LEVERS}
LEVER_IDS = tuple(LEVER)


def default_effects() -> dict[str, dict[str, Effect]]:
    return {
        lever.id: {
            lever.effect_name: Effect(
                central=lever.central.value,
                low=lever.low.value,
                high=lever.high.value,
                provenance=lever.central.provenance,
            )
        }
        for lever in LEVERS
    }


@cache
def national_parameters() -> dict[str, Value]:
    """Parameters that are the same for every council unless a scenario overrides them."""
    from careflow.baseline.england import SHORT_TERM_CARE_HOME_OVERLAP, UPPER_QUARTILE_PACKAGE_RATIO, england_2019_20
    from careflow.opportunity.levers import care_home_admissions_gross

    england = england_2019_20()
    ld_moved = n.LD_RESIDENTIAL_PEOPLE.value * n.LD_RESIDENTIAL_SHARE_MOVED.value
    params: dict[str, Value] = {
        "short_term_effectiveness_current_gbp": n.REABLEMENT_AVOIDED_COST,
        "upper_quartile_package_ratio": UPPER_QUARTILE_PACKAGE_RATIO,
        "short_term_care_home_overlap": SHORT_TERM_CARE_HOME_OVERLAP,
        "ld_residential_move_saving_gbp": calibrated(
            n.LD_RESIDENTIAL_PRINTED.value / ld_moved,
            "£74m ÷ (27,000 adults × 43%): yearly package difference per person who moves",
            "£/person",
            target=f"£74 million a year from learning-disability moves ({cite(OPTIMISED, 'L673')})",
            printed_gbp=n.LD_RESIDENTIAL_PRINTED.value,
            people_moved=ld_moved,
        ),
    }
    # The upper-quartile effectiveness is the one unknown in the short-term lever: solve for it so that
    # England reproduces £867m after the overlap with care homes is removed.
    older = england.short_term_episodes("65+")
    uplift = n.SHORT_TERM_ACCESS_UPLIFT.value
    overlap = SHORT_TERM_CARE_HOME_OVERLAP.value * care_home_admissions_gross(
        england, n.CARE_HOME_SHARE_DIVERTED.value, UPPER_QUARTILE_PACKAGE_RATIO.value
    )
    current = n.REABLEMENT_AVOIDED_COST.value
    params["short_term_effectiveness_uq_gbp"] = calibrated(
        ((n.SHORT_TERM_PRINTED.value + overlap) / older + current) / (1 + uplift),
        "((£867m + overlap with care homes) ÷ older people in short-term services + £8,700) ÷ (1 + 40%): "
        f"long-term care avoided per person by an upper-quartile service ({cite(OPTIMISED, 'L633; L877')})",
        "£/person",
        target=f"£867 million a year from short-term services ({cite(OPTIMISED, 'L633')})",
        printed_gbp=n.SHORT_TERM_PRINTED.value,
        overlap_gbp=overlap,
        older_people=older,
        current_gbp=current,
        uplift=uplift,
    )
    return params


# Per-person £ values printed for England that scale with the council's own unit costs and income: the care a
# short-term service avoids is older people's long-term care; an LD move saves on working-age LD care. The LD
# price level is read from community LD care, whose England cost is solved from the printed £261m; England's
# working-age residential cost is only a balancing figure (see README), so it cannot be the yardstick.
LOCALISED = {
    "short_term_effectiveness_current_gbp": "older",
    "short_term_effectiveness_uq_gbp": "older",
    "ld_residential_move_saving_gbp": "ld_community",
}
COHORT_LABEL = {
    "older": "older people's long-term care (65+)",
    "ld_community": "community care for working-age adults with a learning disability",
}


def _net_weekly(rows: list[LongTermRow]) -> float:
    clients = sum(r.clients for r in rows)
    return sum(r.clients * r.weekly_cost_gbp * (1 - r.income_share) for r in rows) / clients if clients else 0.0


def _net_share(rows: list[LongTermRow]) -> float:
    """Share of gross left after income (1 when there is no spend to read it from)."""
    gross = sum(r.gross_gbp for r in rows)
    return sum(r.net_gbp for r in rows) / gross if gross else 1.0


def cohort_net_weekly(b: Baseline, cohort: str) -> float:
    """Client-weighted weekly cost net of income for the cohort a per-person value is measured on (0 if none)."""
    if cohort == "older":
        return _net_weekly(b.long_term_rows("65+"))
    return _net_weekly(
        b.long_term_rows("18-64", ("home_care", "direct_payment", "supported_living"), "learning_disability")
    )


def local_scale(b: Baseline, england: Baseline, cohort: str) -> tuple[float, dict[str, float]]:
    """How much dearer (net of income) this council's cohort is than England's, with the figures used."""
    here, there = cohort_net_weekly(b, cohort), cohort_net_weekly(england, cohort)
    factor = here / there if there > 0 else 1.0
    shown = {"local_net_weekly_cost": here, "england_net_weekly_cost": there}
    if cohort == "ld_community":  # the saving is on residential care: net of *its* income share here and there
        local_net = _net_share(b.long_term_rows("18-64", ("residential",), "learning_disability"))
        england_net = _net_share(england.long_term_rows("18-64", ("residential",), "learning_disability"))
        factor *= local_net / england_net if england_net > 0 else 1.0
        shown |= {"local_residential_net_share": local_net, "england_residential_net_share": england_net}
    return factor, shown


def local_parameters(b: Baseline, params: dict[str, Value]) -> dict[str, Value]:
    """The national per-person values (the prior) scaled to this council's net unit costs; on England's own baseline
    the scale is exactly 1 and the national value is kept. A value a scenario sets is used as given."""
    from careflow.baseline.england import england_2019_20

    national = national_parameters()
    england = england_2019_20()
    local = dict(params)
    for name, cohort in LOCALISED.items():
        if params[name] is not national[name]:
            continue
        factor, shown = local_scale(b, england, cohort)
        if factor == 1.0:
            continue
        extra = (
            " × (this council's ÷ England's share of LD residential spend left after income)"
            if cohort == "ld_community"
            else ""
        )
        local[name] = derived(
            national[name].value * factor,
            f"national value × (this council's ÷ England's weekly cost net of income of {COHORT_LABEL[cohort]}){extra}",
            national[name].unit,
            national_value=national[name].value,
            **shown,
        )
    return local


PARAMETER_DESCRIPTIONS = {
    "short_term_effectiveness_current_gbp": "long-term care avoided per person by today's average short-term service (£)",
    "short_term_effectiveness_uq_gbp": "long-term care avoided per person by an upper-quartile short-term service (£)",
    "upper_quartile_package_ratio": "upper-quartile older person's home-care package as a multiple of the average",
    "short_term_care_home_overlap": "share of the care-home lever's benefit a better short-term offer also delivers",
    "ld_residential_move_saving_gbp": "yearly package saving per adult with a learning disability who moves (£)",
}
