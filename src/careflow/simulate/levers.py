"""The levers as the flow model applies them: effects sampled per run from their ranges, phased in by year."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from careflow.baseline.schema import WEEKS_PER_YEAR, Baseline
from careflow.opportunity.parameters import LEVER_IDS
from careflow.opportunity.parameters import LEVERS as OPPORTUNITY_LEVERS
from careflow.provenance import Assumed, Derived, Provenance
from careflow.reference.bibliography import cite
from careflow.reference.national import OPTIMISED
from careflow.scenario import Scenario
from careflow.simulate.model import COMMUNITY, FD, ST, Cells, FlowModel
from careflow.simulate.settings import ProjectionSettings

LEVERS = LEVER_IDS
# Each lever's effect in the flow model is one fraction, named as the opportunity model names it.
EFFECT_OF = {lever.id: lever.effect_name for lever in OPPORTUNITY_LEVERS}
HOURS_LEVERS = ("ld_community_hours", "front_door_community", "trusted_providers")


@dataclass(frozen=True)
class Range:
    central: float
    low: float
    high: float

    def sample(self, runs: int, rng: np.random.Generator | None) -> np.ndarray:
        if rng is None or self.high <= self.low:
            return np.full(runs, self.central)
        return rng.triangular(self.low, self.central, self.high, size=runs)


@dataclass
class Draws:
    """One value per run for each lever's effect."""

    short_term_services: np.ndarray
    ld_community_hours: np.ndarray
    care_home_admissions: np.ndarray
    front_door_community: np.ndarray
    ld_residential_moves: np.ndarray
    trusted_providers: np.ndarray


@dataclass
class LeverPlan:
    """Which levers act, how strongly (central, low, high), how fast, and the unit costs they need."""

    effects: dict[str, Range]
    phasing: dict[str, list[float]]
    enabled: frozenset[str]
    settings: ProjectionSettings  # growth drivers' central values and ranges (careflow.simulate.drivers)
    benefit_years: float = 1.0
    # Share of older would-be long-term clients kept out by short-term services: fixed part + part per unit uplift.
    avoided_share_fixed: float = 0.0
    avoided_share_per_uplift: float = 0.0
    divert_weekly_cost: float = 0.0  # upper-quartile home-care package, £ a week
    divert_income_share: float = 0.0  # share of that package recovered as income (older people's home care)
    ld_move_saving: float = 0.0  # net £ a year per person moved from LD residential care to supported living
    cost_extra_short_term: bool = True  # whether extra short-term episodes cost what today's episodes cost
    notes: dict[str, Provenance] = field(default_factory=dict)

    LEVERS = LEVERS

    def phase(self, lever: str, year: int) -> float:
        """Share of the full effect reached in a year (0-based); the last share carries on."""
        if year < 0:
            return 0.0
        shares = self.phasing.get(lever) or [1.0]
        return shares[min(year, len(shares) - 1)]

    def draws(self, runs: int, rng: np.random.Generator | None) -> Draws:
        values = {name: self.effects[name].sample(runs, rng) for name in LEVERS}
        return Draws(**values)

    def short_term_avoided_share(self, uplift: np.ndarray) -> np.ndarray:
        return np.clip(self.avoided_share_fixed + self.avoided_share_per_uplift * uplift, 0.0, 1.0)

    def unit_costs(self, model: FlowModel) -> tuple[np.ndarray, np.ndarray]:
        """Gross weekly cost and income share per compartment, with the lever compartments costed."""
        cells = model.cells
        weekly = cells.weekly_cost.copy()
        income = cells.income_share.copy()
        diverted = cells.mask(kind="diverted")
        weekly[diverted] = self.divert_weekly_cost
        income[diverted] = self.divert_income_share
        for i in np.flatnonzero(cells.mask(kind="moved")):
            # The per-person saving is net of income (CCN/ACCE/Newton 2021, L613), so gross it up by the setting's income share.
            net_share = max(1.0 - income[i], 1e-9)
            weekly[i] = max(weekly[i] - self.ld_move_saving / WEEKS_PER_YEAR / net_share, 0.0)
        return weekly, income

    def hours_masks(self, cells: Cells) -> dict[str, np.ndarray]:
        """The compartments whose package hours each hours lever cuts (baseline compartments only)."""
        base = cells.mask(kind="baseline")
        ld = np.array([r == "learning_disability" for r in cells.reason])
        masks = {
            "ld_community_hours": base
            & cells.mask(age=0, settings=("home_care", "direct_payment", "supported_living"))
            & ld,
            "front_door_community": base & cells.mask(settings=("home_care",)),
            "trusted_providers": base & cells.mask(age=1, settings=("home_care", "direct_payment")),
        }
        return {name: mask for name, mask in masks.items() if name in self.enabled}


def _weighted(model: FlowModel, mask: np.ndarray, values: np.ndarray) -> float:
    clients = model.caseload[mask]
    return float((clients * values[mask]).sum() / clients.sum()) if clients.sum() > 0 else 0.0


def lifetime_net_cost_of_older_entrant(model: FlowModel) -> float:
    """Expected net £ (base prices) a new older long-term client costs until they leave, in the baseline."""
    cells = model.cells
    annual = cells.weekly_cost * WEEKS_PER_YEAR * (1.0 - cells.income_share)
    exit_rate = np.maximum(model.exit_rate, 1e-6)
    care_home_value = annual / exit_rate
    mix_ch = model.entry_mix_care_home[1]
    v_care_home = float((mix_ch * care_home_value).sum())
    up = model.step_up_rate[1]
    community = np.isin(cells.setting, COMMUNITY)
    v_comm_cells = np.where(community, (annual + up * v_care_home) / (exit_rate + up), 0.0)
    v_comm = float((model.entry_mix_community[1] * v_comm_cells).sum())
    direct = model.care_home_direct_share[1]
    return (1.0 - direct) * v_comm + direct * v_care_home


def lever_plan(
    baseline: Baseline,
    model: FlowModel,
    scenario: Scenario | None,
    settings: ProjectionSettings,
) -> LeverPlan:
    """Turn a scenario into the flow model's levers, using the opportunity model's effects and parameters."""
    from careflow.opportunity import lever_effects, model_parameters
    from careflow.opportunity.parameters import local_parameters

    effects = lever_effects(scenario)
    params = local_parameters(baseline, model_parameters(scenario))
    chosen = scenario.levers if scenario else {}
    # A scenario applies exactly the levers it names (unless switched off): a file holding only projection
    # settings is do-nothing. The built-in `optimised` names all six.
    enabled = frozenset(lever for lever in LEVERS if lever in chosen and chosen[lever].enabled)
    ranges = {}
    for lever in LEVERS:
        e = effects[lever][EFFECT_OF[lever]]
        low = e.central if e.low is None else e.low
        high = e.central if e.high is None else e.high
        ranges[lever] = Range(e.central, low, high)
    phasing = {
        lever: list(chosen[lever].phasing or [])
        if lever in chosen and chosen[lever].phasing
        else list(settings.default_phasing)
        for lever in LEVERS
    }
    notes: dict[str, Provenance] = {}

    # Short-term services: the opportunity model values each older person's short-term service by the long-term
    # care it avoids (£ per person, today's average and the upper quartile). The flow model keeps a share of
    # would-be older long-term clients out of long-term support so that, in the steady state, the care avoided
    # equals that value: share = £ avoided a year ÷ (new older clients a year × lifetime net cost of one).
    served = baseline.short_term_episodes("65+")
    best = params["short_term_effectiveness_uq_gbp"].value
    current = params["short_term_effectiveness_current_gbp"].value
    entrants = (
        model.requests[1].sum() * model.front_door_shares[1, FD["long_term"]]
        + (model.requests[1].sum() * model.front_door_shares[1, FD["short_term"]] + model.other_short_term[1])
        * model.short_term_shares[1, ST["long_term_support"]]
        + model.other_entrants[1]
    )
    lifetime = lifetime_net_cost_of_older_entrant(model)
    denominator = entrants * lifetime
    fixed = served * max(best - current, 0.0) / denominator if denominator > 0 else 0.0
    per_uplift = served * best / denominator if denominator > 0 else 0.0
    notes["short_term_avoided_share"] = Derived(
        formula="older short-term episodes × (uplift × upper-quartile £ + (upper-quartile £ − current £)) ÷ "
        "(new older long-term clients a year × lifetime net cost of one)",
        inputs={
            "episodes": served,
            "upper_quartile_gbp": best,
            "current_gbp": current,
            "new_older_clients": entrants,
            "lifetime_net_cost_gbp": lifetime,
        },
    )
    # Care-home admissions: the diverted are supported with an upper-quartile home-care package.
    older_home_care = model.cells.mask(age=1, settings=("home_care",), kind="baseline")
    package = params["upper_quartile_package_ratio"].value * _weighted(model, older_home_care, model.cells.weekly_cost)
    notes["divert_weekly_cost"] = Derived(
        formula="upper-quartile package ratio × average weekly cost of older people's home care",
        inputs={"ratio": params["upper_quartile_package_ratio"].value, "package_gbp": package},
    )
    notes["benefit_years"] = Assumed(
        reason="people diverted from a care home go on to one after this many years on average; one year matches "
        "the report's one year of cost difference per admission (" + cite(OPTIMISED, "L657") + ", footnote 24)"
    )
    return LeverPlan(
        effects=ranges,
        phasing=phasing,
        enabled=enabled,
        settings=settings,
        benefit_years=settings.benefit_years,
        avoided_share_fixed=fixed,
        avoided_share_per_uplift=per_uplift,
        divert_weekly_cost=package,
        divert_income_share=_weighted(model, older_home_care, model.cells.income_share),
        ld_move_saving=params["ld_residential_move_saving_gbp"].value,
        cost_extra_short_term=settings.cost_extra_short_term,
        notes=notes,
    )
