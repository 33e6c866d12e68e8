"""The built-in `england-2019-20` baseline: England's ASC system from the national report's figures.

The seed prints volumes and the six opportunity figures but not every £ base they apply to. Where a base
is missing it is back-calculated here so that the opportunity model reproduces the printed figure, and it
is marked *derived* with its arithmetic. Splits the report does not give (clients by cohort and setting,
income shares, unit costs outside the levers) are *assumed*, with a reason.
"""

from __future__ import annotations

from functools import cache

from careflow.baseline.schema import (
    WEEKS_PER_YEAR,
    AdmissionRow,
    AgeBand,
    Baseline,
    Council,
    LongTermRow,
    OtherSpendRow,
    PopulationRow,
    RequestOutcomeRow,
    RequestRow,
    Setting,
    ShortTermRow,
    SupportReason,
)
from careflow.provenance import Assumed, Derived, Provenance, Value, assumed, calibrated, derived
from careflow.reference import national as n
from careflow.reference.bibliography import cite
from careflow.reference.national import CHALLENGING_TIMES, OPTIMISED

COHORT_SPLIT = (
    "assumed split: the national report gives no breakdown of long-term clients by support reason and setting"
)
ONS = (
    "approximate ONS mid-2019 population estimate for England (rounded); not in the source reports — "
    "replace with the published figure where precision matters"
)

# Overlap assumptions shared with the opportunity model (they shape the back-calculated bases).
SHORT_TERM_CARE_HOME_OVERLAP = assumed(
    1 / 3,
    "share of the care-home lever's benefit that a better short-term offer would also deliver: the diverted "
    "admissions arriving from hospital discharge (1 in 3, "
    + cite(OPTIMISED, "L649")
    + "), where both bodies of evidence meet",
)

# Long-term clients (England 2019/20) by age band, support reason and setting. Three groups are fixed by
# the report: 225,000 older people on home care or direct payments (L687), 104,000 working-age adults with a
# learning disability supported in the community (L641) and 27,000 in residential care (L673). The rest
# are assumed, with one balancing cell so that the total is 838,530 (L161).
OLDER_DOMICILIARY_BY_REASON: dict[SupportReason, float] = {
    "physical_support": 0.65,
    "memory_and_cognition": 0.20,
    "mental_health": 0.05,
    "sensory_support": 0.04,
    "social_support": 0.03,
    "learning_disability": 0.03,
}
OLDER_HOME_CARE_SHARE = 0.85  # the rest are direct payments
LD_COMMUNITY_SETTINGS: dict[Setting, tuple[float, float]] = {
    # setting: (clients, cost relative to home care) — supported living packages cost more per week
    "home_care": (10_000, 1.0),
    "direct_payment": (15_000, 1.0),
    "supported_living": (79_000, 2.5),
}
WORKING_AGE_HOME_CARE: dict[SupportReason, float] = {
    "physical_support": 80_000,
    "mental_health": 10_000,
    "memory_and_cognition": 3_000,
    "sensory_support": 3_000,
    "social_support": 7_000,
}
# Rows outside the levers: (age band, support reason, setting, clients, relative weekly cost). Their weekly
# costs are the relative costs scaled by one factor so that long-term gross spend is £15.4bn (L994): the
# report's totals hold, and these unit costs give way.
BALANCING_CELL = ("18-64", "physical_support", "direct_payment")
OTHER_ROWS: list[tuple[AgeBand, SupportReason, Setting, float, float]] = [
    ("65+", "physical_support", "supported_living", 18_000, 450),
    ("65+", "memory_and_cognition", "supported_living", 8_000, 450),
    ("65+", "learning_disability", "supported_living", 4_500, 450),
    ("65+", "mental_health", "supported_living", 3_000, 450),
    ("65+", "social_support", "supported_living", 1_500, 450),
    ("18-64", "learning_disability", "residential", 27_000, 1_250),
    ("18-64", "learning_disability", "nursing", 1_000, 1_300),
    ("18-64", "physical_support", "supported_living", 5_000, 800),
    ("18-64", "physical_support", "residential", 6_000, 1_100),
    ("18-64", "physical_support", "nursing", 4_000, 1_100),
    ("18-64", "mental_health", "direct_payment", 8_000, 300),
    ("18-64", "mental_health", "supported_living", 20_000, 700),
    ("18-64", "mental_health", "residential", 10_000, 1_000),
    ("18-64", "mental_health", "nursing", 1_500, 1_100),
    ("18-64", "memory_and_cognition", "direct_payment", 1_000, 300),
    ("18-64", "memory_and_cognition", "residential", 2_000, 1_000),
    ("18-64", "memory_and_cognition", "nursing", 1_000, 1_100),
    ("18-64", "sensory_support", "direct_payment", 3_000, 300),
    ("18-64", "social_support", "direct_payment", 3_000, 300),
    ("18-64", "social_support", "supported_living", 2_000, 700),
    ("18-64", "physical_support", "direct_payment", 0, 300),  # the balancing cell: clients derived below
]
# Older people in care homes: clients assumed; the weekly cost is back-calculated from the care-home lever
# (see `_long_term`), nursing assumed to cost 1.2 times residential care.
OLDER_CARE_HOMES: dict[Setting, tuple[float, float, dict[SupportReason, float]]] = {
    "residential": (
        130_000,
        1.0,
        {
            "physical_support": 0.50,
            "memory_and_cognition": 0.40,
            "mental_health": 0.05,
            "learning_disability": 0.03,
            "sensory_support": 0.01,
            "social_support": 0.01,
        },
    ),
    "nursing": (
        70_000,
        1.2,
        {"physical_support": 0.60, "memory_and_cognition": 0.35, "mental_health": 0.03, "sensory_support": 0.02},
    ),
}
# The upper-quartile home-care package the care-home lever compares with (fn 24, L657) is not printed; it is
# taken as 1.5 times the average older person's home-care package.
UPPER_QUARTILE_PACKAGE_RATIO = assumed(
    1.5,
    "upper-quartile older person's home-care package taken as 1.5 × the average package; the report prints "
    f"neither figure ({cite(OPTIMISED, 'L657')}, footnote 24)",
)
INCOME_SHARE: dict[tuple[AgeBand, Setting], float] = {
    ("65+", "residential"): 0.35,
    ("65+", "nursing"): 0.35,
    ("65+", "home_care"): 0.20,
    ("65+", "direct_payment"): 0.20,
    ("65+", "supported_living"): 0.15,
}
WORKING_AGE_INCOME_SHARE = 0.08
CARE_HOME_INCOME = INCOME_SHARE[("65+", "residential")]
assert INCOME_SHARE[("65+", "nursing")] == CARE_HOME_INCOME  # the care-home back-solve relies on one share
INCOME_REASON = (
    "assumed share of gross recovered as client and NHS contributions; the national report gives no net/gross split"
)


def _income_share(age_band: AgeBand, setting: Setting) -> float:
    return INCOME_SHARE[(age_band, setting)] if age_band == "65+" else WORKING_AGE_INCOME_SHARE


def _row(
    age_band: AgeBand,
    reason: SupportReason,
    setting: Setting,
    clients: Value,
    weekly_cost: Value,
    income_share: float,
    income_reason: str = INCOME_REASON,
) -> LongTermRow:
    hours = None
    sources: dict[str, Provenance] = {
        "clients": clients.provenance,
        "weekly_cost_gbp": weekly_cost.provenance,
        "income_share": Assumed(reason=income_reason),
    }
    if setting in ("home_care", "direct_payment"):
        hours = weekly_cost.value / n.HOME_CARE_HOURLY_COST.value
        sources["hours_per_week"] = Derived(
            formula="weekly cost ÷ all-up hourly cost of home care (" + cite(OPTIMISED, "L881") + ")",
            inputs={"weekly_cost": weekly_cost.value, "hourly_cost": n.HOME_CARE_HOURLY_COST.value},
        )
    return LongTermRow(
        age_band=age_band,
        support_reason=reason,
        setting=setting,
        clients=clients.value,
        weekly_cost_gbp=weekly_cost.value,
        hours_per_week=hours,
        income_share=income_share,
        sources=sources,
    )


def _clients(value: float, reason: str = COHORT_SPLIT) -> Value:
    return assumed(value, reason, "people")


def _long_term() -> list[LongTermRow]:
    rows: list[LongTermRow] = []
    older_dom = n.OLDER_DOMICILIARY_PEOPLE.value
    # Trusted providers: 5% of older adults' domiciliary net spend is £75m (L689), so that spend is £1.5bn.
    older_dom_net = n.TRUSTED_PRINTED.value / n.TRUSTED_HOURS_REDUCTION.value
    older_dom_income = INCOME_SHARE[("65+", "home_care")]
    older_dom_weekly = calibrated(
        older_dom_net / (older_dom * WEEKS_PER_YEAR * (1 - older_dom_income)),
        "(£75m ÷ 5%) ÷ (225,000 people × weeks per year × (1 − income share)): older adults' domiciliary "
        f"net spend implied by the trusted-providers figure ({cite(OPTIMISED, 'L689; L687')})",
        "£/week",
        target=f"£75 million a year from trusted providers ({cite(OPTIMISED, 'L689')})",
        printed_gbp=n.TRUSTED_PRINTED.value,
        reduction=n.TRUSTED_HOURS_REDUCTION.value,
        people=older_dom,
        income_share=older_dom_income,
    )
    dom_settings: tuple[tuple[Setting, float], ...] = (
        ("home_care", OLDER_HOME_CARE_SHARE),
        ("direct_payment", 1 - OLDER_HOME_CARE_SHARE),
    )
    for reason, share in OLDER_DOMICILIARY_BY_REASON.items():
        for setting, part in dom_settings:
            people = _clients(older_dom * share * part)
            rows.append(_row("65+", reason, setting, people, older_dom_weekly, older_dom_income))

    # Learning disability in the community: 8% of their non-residential net spend is £261m (L643).
    ld_net = n.LD_COMMUNITY_PRINTED.value / n.LD_HOURS_REDUCTION.value
    weight = sum(c * r for c, r in LD_COMMUNITY_SETTINGS.values())
    base_weekly = ld_net / (weight * WEEKS_PER_YEAR * (1 - WORKING_AGE_INCOME_SHARE))
    for setting, (ld_clients, relative) in LD_COMMUNITY_SETTINGS.items():
        weekly = calibrated(
            base_weekly * relative,
            "(£261m ÷ 8%) spread over working-age LD community clients by assumed relative package cost "
            f"({cite(OPTIMISED, 'L643')}; supported living ×2.5 of home care), net of income share",
            "£/week",
            target=f"£261 million a year from fewer learning-disability support hours ({cite(OPTIMISED, 'L643')})",
            ld_net_spend=ld_net,
            relative_cost=relative,
        )
        rows.append(
            _row("18-64", "learning_disability", setting, _clients(ld_clients), weekly, WORKING_AGE_INCOME_SHARE)
        )

    # Care homes for older people: £178m a year (L649) from 18% of 60,000 admissions living in a more
    # independent setting, each worth (average care-home weekly cost − upper-quartile home-care package) a
    # week (fn 24, L657), net of income. With the package assumed, the care-home weekly cost is the base that
    # reproduces it (care homes share one income share, so the net difference fixes the gross cost).
    diverted = n.CARE_HOME_ADMISSIONS_65.value * n.CARE_HOME_SHARE_DIVERTED.value
    difference = n.CARE_HOME_PRINTED.value / (diverted * WEEKS_PER_YEAR)
    package = UPPER_QUARTILE_PACKAGE_RATIO.value * older_dom_weekly.value
    home_clients = sum(c for c, _, _ in OLDER_CARE_HOMES.values())
    home_weight = sum(c * rel for c, rel, _ in OLDER_CARE_HOMES.values()) / home_clients
    for setting, (total, relative, split) in OLDER_CARE_HOMES.items():
        weekly = calibrated(
            (package * (1 - older_dom_income) + difference) / (1 - CARE_HOME_INCOME) * relative / home_weight,
            "average care-home cost = (upper-quartile package net of income (1.5 × average older home-care "
            "package, assumed) + £178m ÷ (60,000 × 18% × weeks per year)) ÷ (1 − care-home income share) "
            f"({cite(OPTIMISED, 'L649; L657')}, footnote 24; the printed figures are net of income); nursing "
            "1.2 × residential (assumed)",
            "£/week",
            target=f"£178 million a year from care-home admissions ({cite(OPTIMISED, 'L649')})",
            printed_gbp=n.CARE_HOME_PRINTED.value,
            diverted_people=diverted,
            upper_quartile_package=package,
            relative_cost=relative,
        )
        for reason, share in split.items():
            rows.append(_row("65+", reason, setting, _clients(total * share), weekly, INCOME_SHARE[("65+", setting)]))

    # Front door: 4.7% of all adults' commissioned home-care net spend, less the overlap with trusted
    # providers (4.7% × 5% of older adults' home-care net spend), is £95m (L663, L677). That fixes working-age
    # home-care spend outside learning disability, which sets its weekly cost.
    older_home_care_net = sum(r.net_gbp for r in rows if r.age_band == "65+" and r.setting == "home_care")
    overlap = n.FRONT_DOOR_HOURS_REDUCTION.value * n.TRUSTED_HOURS_REDUCTION.value * older_home_care_net
    all_home_care_net = (n.FRONT_DOOR_PRINTED.value + overlap) / n.FRONT_DOOR_HOURS_REDUCTION.value
    known_home_care_net = sum(r.net_gbp for r in rows if r.setting == "home_care")
    wa_clients = sum(WORKING_AGE_HOME_CARE.values())
    wa_home_care_weekly = calibrated(
        (all_home_care_net - known_home_care_net) / (wa_clients * WEEKS_PER_YEAR * (1 - WORKING_AGE_INCOME_SHARE)),
        "((£95m + overlap with trusted providers) ÷ 4.7% − home-care net spend already placed) ÷ "
        "(working-age home-care clients outside LD × weeks per year × (1 − income share))",
        "£/week",
        target=f"£95 million a year from the community front door ({cite(OPTIMISED, 'L663')})",
        printed_gbp=n.FRONT_DOOR_PRINTED.value,
        overlap_gbp=overlap,
        reduction=n.FRONT_DOOR_HOURS_REDUCTION.value,
        home_care_net_placed=known_home_care_net,
        clients=wa_clients,
    )
    for reason, wa_count in WORKING_AGE_HOME_CARE.items():
        rows.append(
            _row("18-64", reason, "home_care", _clients(wa_count), wa_home_care_weekly, WORKING_AGE_INCOME_SHARE)
        )

    # Everything else: assumed clients (one balancing cell) at relative costs scaled to the £15.4bn total.
    placed = sum(r.clients for r in rows) + sum(clients for _, _, _, clients, _ in OTHER_ROWS)
    balance = n.LONG_TERM_CLIENTS_2019_20.value - placed
    fixed_gross = sum(r.gross_gbp for r in rows)
    others = []
    for age_band, reason, setting, assumed_clients, relative in OTHER_ROWS:
        if (age_band, reason, setting) == BALANCING_CELL:
            count = derived(
                balance,
                "838,530 long-term clients (L161) less every other cell",
                "people",
                total=n.LONG_TERM_CLIENTS_2019_20.value,
                placed=placed,
            )
        else:
            count = _clients(assumed_clients)
        others.append((age_band, reason, setting, count, relative))
    relative_gross = sum(c.value * rel * WEEKS_PER_YEAR for _, _, _, c, rel in others)
    scale = (n.LONG_TERM_GROSS_EXPENDITURE.value - fixed_gross) / relative_gross
    for age_band, reason, setting, count, relative in others:
        weekly = derived(
            relative * scale,
            "assumed relative weekly cost × the factor that makes long-term gross spend £15.4bn "
            f"({cite(OPTIMISED, 'L994')})",
            "£/week",
            relative_cost=relative,
            scale=scale,
        )
        rows.append(_row(age_band, reason, setting, count, weekly, _income_share(age_band, setting)))
    return rows


def _population() -> list[PopulationRow]:
    people = {"18-64": 34_370_000, "65-74": 5_640_000, "75-84": 3_530_000, "85+": 1_360_000}
    return [
        PopulationRow(age_band=band, people=count, sources={"people": Assumed(reason=ONS)})
        for band, count in people.items()
    ]


def _requests() -> tuple[list[RequestRow], list[RequestOutcomeRow]]:
    total = n.REQUESTS_2019_20.value
    older_share = 0.70
    older = total * older_share
    older_hospital = older * n.HOSPITAL_SHARE_OF_OLDER_REQUESTS.value
    community = n.FRONT_DOOR_REQUESTS.value
    working_community = community - (older - older_hospital)
    working_rest = total - community - older_hospital
    working_other = 10_000.0
    share = Assumed(reason="assumed share of requests from people aged 65+; the national report gives no split by age")
    rows = [
        RequestRow(route="community", age_band="65+", requests=older - older_hospital, sources={"requests": share}),
        RequestRow(
            route="hospital_discharge",
            age_band="65+",
            requests=older_hospital,
            sources={
                "requests": Derived(
                    formula="1.9m requests (L157) × 70% aged 65+ (assumed) × 35% from hospitals (L1088)",
                    inputs={"requests": total, "older_share": older_share, "hospital_share": 0.35},
                )
            },
        ),
        RequestRow(
            route="community",
            age_band="18-64",
            requests=working_community,
            sources={
                "requests": Derived(
                    formula="1.4m community front-door requests (L663) less those of people aged 65+",
                    inputs={"community": community, "older_community": older - older_hospital},
                )
            },
        ),
        RequestRow(
            route="hospital_discharge",
            age_band="18-64",
            requests=working_rest - working_other,
            sources={
                "requests": Derived(
                    formula="1.9m (L157) − 1.4m community (L663) − older hospital requests − other routes",
                    inputs={"total": total, "community": community, "older_hospital": older_hospital},
                )
            },
        ),
        RequestRow(
            route="other",
            age_band="18-64",
            requests=working_other,
            sources={
                "requests": Assumed(reason="transitions from children's services; not given in the national report")
            },
        ),
    ]
    outcome_reason = Assumed(
        reason="assumed shares of request outcomes (long-term 6%, low-level 15%, signposting 40%); the national report "
        "gives none — short-term equals the short-term episodes"
    )
    outcomes: list[RequestOutcomeRow] = []
    for band, requests, short in (
        ("65+", older, _short_term_split()[0]),
        ("18-64", total - older, _short_term_split()[1]),
    ):
        parts = {"short_term": short, "long_term": 0.06 * requests, "low_level": 0.15 * requests}
        parts["universal_or_signposted"] = 0.40 * requests
        parts["no_services"] = requests - sum(parts.values())
        outcomes += [
            RequestOutcomeRow(age_band=band, outcome=k, requests=v, sources={"requests": outcome_reason})
            for k, v in parts.items()
        ]
    return rows, outcomes


def _short_term_split() -> tuple[float, float]:
    older = n.SHORT_TERM_EXTRA_PEOPLE.value / n.SHORT_TERM_ACCESS_UPLIFT.value
    return older, n.SHORT_TERM_EPISODES_2019_20.value - older


def _short_term() -> list[ShortTermRow]:
    older, working = _short_term_split()
    rows = []
    lower_or_none = n.SHORT_TERM_LOWER_OR_NO_SUPPORT.value
    shares = {
        "no_further_need": 0.55,
        "low_level_support": lower_or_none - 0.55,
        "long_term_support": 0.18,
        "ended_early": 1 - lower_or_none - 0.18,
    }
    for band, episodes, formula in (
        ("65+", older, "90,000 more people ÷ 40% increase (L633): older people now receiving short-term services"),
        ("18-64", working, "261,605 short-term episodes (L161) less those of older people"),
    ):
        for outcome, share in shares.items():
            rows.append(
                ShortTermRow(
                    age_band=band,
                    outcome=outcome,
                    episodes=episodes * share,
                    sources={
                        "episodes": Derived(
                            formula=f"{formula}; × outcome share (79% lower or no support, {cite(CHALLENGING_TIMES, 'L946')}; "
                            "split between the outcomes assumed)",
                            inputs={"episodes": episodes, "share": share},
                        )
                    },
                )
            )
    return rows


def _admissions() -> list[AdmissionRow]:
    older = n.CARE_HOME_ADMISSIONS_65
    return [
        AdmissionRow(
            age_band="65+",
            admissions=older.value,
            from_hospital=older.value * n.CARE_HOME_FROM_HOSPITAL_SHARE.value,
            sources={
                "admissions": older.provenance,
                "from_hospital": Derived(formula="60,000 × 1 in 3 (L649)", inputs={"admissions": older.value}),
            },
        ),
        AdmissionRow(
            age_band="18-64",
            admissions=2_500,
            sources={
                "admissions": Assumed(reason="working-age permanent admissions; not given in the national report")
            },
        ),
    ]


NO_OTHER_INCOME = Assumed(reason="no income recorded outside long-term support; the national report gives none")


def _other_spend(long_term_gross: float) -> list[OtherSpendRow]:
    older, working = _short_term_split()
    per_episode = n.REABLEMENT_AVOIDED_COST.value / n.REABLEMENT_RETURN.value
    rest = n.GROSS_CURRENT_EXPENDITURE.value - long_term_gross
    rows = []
    for band, episodes in (("65+", older), ("18-64", working)):
        rows.append(
            OtherSpendRow(
                category="short_term",
                age_band=band,
                gross_gbp=episodes * per_episode,
                sources={
                    "gross_gbp": Derived(
                        formula="episodes × (£8,700 avoided ÷ 7× return) per episode (L877)",
                        inputs={"episodes": episodes, "cost_per_episode": per_episode},
                    ),
                    "income_gbp": NO_OTHER_INCOME,
                },
            )
        )
    short_term_total = sum(r.gross_gbp for r in rows)
    remainder = rest - short_term_total
    for category, band, share in (
        ("assessment_and_care_management", "65+", 0.30),
        ("assessment_and_care_management", "18-64", 0.25),
        ("commissioning_and_other", "65+", 0.25),
        ("commissioning_and_other", "18-64", 0.20),
    ):
        rows.append(
            OtherSpendRow(
                category=category,
                age_band=band,
                gross_gbp=remainder * share,
                sources={
                    "gross_gbp": Derived(
                        formula=f"(£19.7bn gross ({cite(OPTIMISED, 'L994')}) − long-term gross − short-term) "
                        "× assumed share",
                        inputs={"remainder": remainder, "share": share},
                    ),
                    "income_gbp": NO_OTHER_INCOME,
                },
            )
        )
    return rows


@cache
def england_2019_20() -> Baseline:
    long_term = _long_term()
    requests, request_outcomes = _requests()
    return Baseline(
        council=Council(
            name="England",
            council_type="national",
            financial_year="2019/20",
            ons_code="E92000001",
            note="National picture from CCN/ACCE/Newton Europe (2021), The Future of Adult Social Care; splits it does not give are assumed.",
        ),
        population=_population(),
        requests=requests,
        request_outcomes=request_outcomes,
        short_term=_short_term(),
        long_term=long_term,
        admissions=_admissions(),
        other_spend=_other_spend(sum(r.gross_gbp for r in long_term)),
    )
