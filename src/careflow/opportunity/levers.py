"""The six key service outcomes as pure functions of a baseline, an effect size and national parameters.

Each returns the lever's gross benefit (before overlaps are removed), the people it affects and the
inputs it used, each with provenance. Bases come from the baseline's rows, so a council's own data flows
straight through; `derived` records the sum that produced each base.
"""

from __future__ import annotations

from dataclasses import dataclass

from careflow.baseline.schema import CARE_HOME, DOMICILIARY, NON_RESIDENTIAL, WEEKS_PER_YEAR, Baseline
from careflow.provenance import Value, derived


@dataclass(frozen=True)
class LeverOutcome:
    gross_gbp: float
    people_affected: float
    inputs: dict[str, Value]
    added_cost_gbp: float = 0.0  # what the lever itself costs to run (extra short-term episodes), net of income


def _from_baseline(value: float, what: str, unit: str) -> Value:
    return derived(value, f"baseline: {what}", unit)


def short_term_services(b: Baseline, access_uplift: float, p: dict[str, Value]) -> LeverOutcome:
    """More older people get a short-term service, and every service works as well as the upper quartile."""
    served = b.short_term_episodes("65+")
    current = p["short_term_effectiveness_current_gbp"].value
    best = p["short_term_effectiveness_uq_gbp"].value
    # Extra people get an upper-quartile service; today's people gain the difference in effectiveness. This is
    # the report's "offset" on long-term care; the extra episodes themselves cost what today's episodes cost.
    gross = served * (access_uplift * best + max(best - current, 0.0))
    short_term_net = older_short_term_net(b)
    return LeverOutcome(
        gross,
        served * access_uplift,
        {
            "older_short_term_episodes": _from_baseline(served, "completed short-term episodes, aged 65+", "episodes"),
            "short_term_effectiveness_current_gbp": p["short_term_effectiveness_current_gbp"],
            "short_term_effectiveness_uq_gbp": p["short_term_effectiveness_uq_gbp"],
            "older_short_term_net_spend_gbp": _from_baseline(
                short_term_net, "net spend on short-term services, aged 65+", "£/yr"
            ),
        },
        added_cost_gbp=access_uplift * short_term_net,
    )


def older_short_term_net(b: Baseline) -> float:
    """Net spend on older people's short-term services: what the extra episodes scale."""
    return sum(r.net_gbp for r in b.other_spend if r.category == "short_term" and r.age_band == "65+")


def ld_community_hours(b: Baseline, hours_reduction: float, p: dict[str, Value]) -> LeverOutcome:
    """Fewer formal support hours for working-age adults with a learning disability living in the community."""
    base = b.long_term_net("18-64", NON_RESIDENTIAL, "learning_disability")
    people = b.clients("18-64", NON_RESIDENTIAL, "learning_disability")
    return LeverOutcome(
        hours_reduction * base,
        people,
        {
            "ld_community_net_spend_gbp": _from_baseline(
                base,
                "net spend, aged 18-64, learning disability, home care + direct payments + supported living",
                "£/yr",
            ),
            "ld_community_clients": _from_baseline(people, "clients in those settings", "people"),
        },
    )


def _weekly_net(b: Baseline, settings: tuple[str, ...]) -> float:
    """Client-weighted weekly cost net of income for older people in these settings."""
    rows = b.long_term_rows("65+", settings)  # type: ignore[arg-type]
    clients = sum(r.clients for r in rows)
    return sum(r.clients * r.weekly_cost_gbp * (1 - r.income_share) for r in rows) / clients if clients else 0.0


def care_home_costs(b: Baseline, package_ratio: float) -> tuple[float, float]:
    """(average older person's care-home weekly cost, upper-quartile home-care package weekly cost), both net of
    income: the report's figures are net of income (fn 21), and the projection nets each setting's income too."""
    return _weekly_net(b, CARE_HOME), package_ratio * _weekly_net(b, ("home_care",))


def care_home_admissions_gross(b: Baseline, share_diverted: float, package_ratio: float) -> float:
    care_home, package = care_home_costs(b, package_ratio)
    return b.care_home_admissions("65+") * share_diverted * max(care_home - package, 0.0) * WEEKS_PER_YEAR


def care_home_admissions(b: Baseline, share_diverted: float, p: dict[str, Value]) -> LeverOutcome:
    """A share of older people's permanent care-home admissions supported at home instead."""
    ratio = p["upper_quartile_package_ratio"].value
    admissions = b.care_home_admissions("65+")
    care_home, package = care_home_costs(b, ratio)
    return LeverOutcome(
        care_home_admissions_gross(b, share_diverted, ratio),
        admissions * share_diverted,
        {
            "older_care_home_admissions": _from_baseline(admissions, "permanent admissions a year, aged 65+", "people"),
            "care_home_weekly_cost_gbp": _from_baseline(
                care_home,
                "client-weighted weekly cost of residential and nursing care net of income, aged 65+",
                "£/week",
            ),
            "upper_quartile_package_weekly_gbp": derived(
                package,
                "upper-quartile package ratio × average weekly cost of home care net of income, aged 65+",
                "£/week",
                ratio=ratio,
                average_net_cost=_weekly_net(b, ("home_care",)),
            ),
            "upper_quartile_package_ratio": p["upper_quartile_package_ratio"],
        },
    )


def front_door_community(b: Baseline, hours_reduction: float, p: dict[str, Value]) -> LeverOutcome:
    """Fewer commissioned home-care hours when the front door connects people to community support."""
    base = b.long_term_net(None, ("home_care",))
    people = b.clients(None, ("home_care",))
    return LeverOutcome(
        hours_reduction * base,
        people,
        {
            "home_care_net_spend_gbp": _from_baseline(base, "net spend on home care, all adults", "£/yr"),
            "home_care_clients": _from_baseline(people, "home-care clients, all adults", "people"),
        },
    )


def ld_residential_moves(b: Baseline, share_moved: float, p: dict[str, Value]) -> LeverOutcome:
    """Working-age adults with a learning disability move from residential care to supported living."""
    residents = b.clients("18-64", ("residential",), "learning_disability")
    saving = p["ld_residential_move_saving_gbp"]
    return LeverOutcome(
        residents * share_moved * saving.value,
        residents * share_moved,
        {
            "ld_residential_clients": _from_baseline(
                residents, "clients in residential care, aged 18-64, learning disability", "people"
            ),
            "ld_residential_move_saving_gbp": saving,
        },
    )


def trusted_providers(b: Baseline, hours_reduction: float, p: dict[str, Value]) -> LeverOutcome:
    """Providers trusted to adjust older people's home-care packages avoid a share of formal care."""
    base = b.long_term_net("65+", DOMICILIARY)
    people = b.clients("65+", DOMICILIARY)
    return LeverOutcome(
        hours_reduction * base,
        people,
        {
            "older_domiciliary_net_spend_gbp": _from_baseline(
                base, "net spend on home care and direct payments, aged 65+", "£/yr"
            ),
            "older_domiciliary_clients": _from_baseline(
                people, "clients on home care or direct payments, aged 65+", "people"
            ),
        },
    )


LEVER_FUNCTIONS = {
    "short_term_services": short_term_services,
    "ld_community_hours": ld_community_hours,
    "care_home_admissions": care_home_admissions,
    "front_door_community": front_door_community,
    "ld_residential_moves": ld_residential_moves,
    "trusted_providers": trusted_providers,
}
