"""The monthly engine: people flow through front door, short-term services and long-term settings, for many runs at once.

State is a (runs × compartments) array of whole people. Each month, flows are drawn on counts — Poisson for new
requests, binomial and multinomial for who goes where — so every run is a possible month-by-month history and no
one appears or disappears except by a modelled entry or exit. With `rng=None` the engine runs in *expected* mode:
every draw is replaced by its mean, which gives the exact expected path (used for calibration and the waterfall).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from careflow.baseline.schema import WEEKS_PER_YEAR
from careflow.simulate.drivers import GROUP_OF_SETTING, OTHER, Drivers, central_drivers
from careflow.simulate.levers import LeverPlan
from careflow.simulate.model import COMMUNITY, FD, ST, FlowModel
from careflow.simulate.settings import UNIT_COST_GROUPS

OLDER = 1  # index of the 65+ age band; short-term services and care-home levers act on older people
MONTHS = 12


class Draw:
    """Random draws on counts, or their expected values when no generator is given."""

    def __init__(self, rng: np.random.Generator | None):
        self.rng = rng

    def poisson(self, lam: np.ndarray) -> np.ndarray:
        return lam.astype(float) if self.rng is None else self.rng.poisson(lam).astype(float)

    def binomial(self, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
        p = np.clip(p, 0.0, 1.0)
        if self.rng is None:
            return n * p
        return self.rng.binomial(n.astype(np.int64), p).astype(float)

    def multinomial(self, n: np.ndarray, shares: np.ndarray) -> np.ndarray:
        """Split counts n (runs,) across categories with shares (k,); returns (runs, k)."""
        shares = shares / shares.sum()
        if self.rng is None:
            return n[:, None] * shares
        return self.rng.multinomial(n.astype(np.int64), shares).astype(float)


@dataclass
class Paths:
    """Yearly results for each run: arrays shaped (runs, years[, ...])."""

    requests: np.ndarray  # (R, Y, 2) new requests by age band
    short_term: np.ndarray  # (R, Y, 2) short-term episodes
    entrants: np.ndarray  # (R, Y, 2) new long-term clients
    avoided: np.ndarray  # (R, Y) older people a better short-term offer kept out of long-term support
    admissions: np.ndarray  # (R, Y, 2) permanent care-home admissions
    exits: np.ndarray  # (R, Y) people leaving long-term support (death, needs met, moved away)
    caseload: np.ndarray  # (R, Y, cells) at the end of each year
    reduced_hours: np.ndarray  # (R, Y) clients in settings where a lever has cut hours, at year end
    gross: np.ndarray  # (R, Y) £
    net: np.ndarray  # (R, Y) £
    start_people: np.ndarray  # (R,) people in long-term support at the start


def simulate(
    model: FlowModel,
    plan: LeverPlan,
    years: int,
    runs: int,
    rng: np.random.Generator | None,
    *,
    growth: bool = True,
    inflation: bool = True,
    active: frozenset[str] | None = None,
    variants: list[tuple[bool, bool, frozenset[str]]] | None = None,
    drivers: Drivers | None = None,
) -> Paths:
    """Run the flow model for `runs` runs of `years` years in monthly steps; `active` limits which levers act.

    `drivers` are the per-run growth drivers (careflow.simulate.drivers), central values when not given. In
    expected mode, `variants` runs several (growth, inflation, active levers) variants side by side, one row
    each — how the waterfall gets all its steps in one pass.
    """
    drive = drivers if drivers is not None else central_drivers(plan.settings, years)
    draw = Draw(rng)
    cells = model.cells
    C = cells.count
    R = runs if rng is not None else (len(variants) if variants else 1)
    rows = (
        variants
        if rng is None and variants
        else [(growth, inflation, active if active is not None else plan.enabled)] * R
    )
    growth_on = np.array([g for g, _, _ in rows], dtype=float)
    inflation_on = np.array([i for _, i, _ in rows], dtype=bool)
    lever_on = {
        name: np.array([name in a and name in plan.enabled for _, _, a in rows], dtype=float) for name in plan.LEVERS
    }
    active_any = frozenset(name for name, on in lever_on.items() if on.any())
    effect = plan.draws(R, rng)  # per-run lever effects (central values in expected mode)

    caseload = np.tile(model.caseload, (R, 1)).astype(float)
    if rng is not None:
        caseload = np.round(caseload)  # sampled runs move whole people; a baseline may give fractional clients
    weekly, income_share = plan.unit_costs(model)
    net_share = 1.0 - income_share
    out = Paths(
        requests=np.zeros((R, years, 2)),
        short_term=np.zeros((R, years, 2)),
        entrants=np.zeros((R, years, 2)),
        avoided=np.zeros((R, years)),
        admissions=np.zeros((R, years, 2)),
        exits=np.zeros((R, years)),
        caseload=np.zeros((R, years, C)),
        reduced_hours=np.zeros((R, years)),
        gross=np.zeros((R, years)),
        net=np.zeros((R, years)),
        start_people=caseload.sum(axis=1),
    )
    # Population by month (runs or 1, months + 1, bands): compounding each year's rate month by month.
    monthly = (1.0 + np.repeat(drive.population_growth[:, :years], MONTHS, axis=1)) ** (1.0 / MONTHS)
    start = np.ones((monthly.shape[0], 1, monthly.shape[2]))
    population_path = model.population * np.concatenate([start, np.cumprod(monthly, axis=1)], axis=1)
    cost_group = np.array([UNIT_COST_GROUPS.index(GROUP_OF_SETTING[s]) for s in cells.setting])  # type: ignore[index]
    base_need = model.need_weighted_population(model.population)
    exit_p = model.exit_rate / MONTHS
    community = np.isin(cells.setting, COMMUNITY) & cells.mask(kind="baseline")
    step_p = np.where(community, model.step_up_rate[cells.age] / MONTHS, 0.0)
    # Given a client did not leave, the chance they step up: keeps exit and step-up competing on one stock.
    step_p_given_stay = np.divide(step_p, 1.0 - exit_p, out=np.zeros(C), where=exit_p < 1.0)
    comm_idx = np.flatnonzero(community & (step_p > 0))
    by_age = [cells.age == a for a in range(2)]
    care_home = [np.flatnonzero(model.entry_mix_care_home[a] > 0) for a in range(2)]
    comm_cells = [np.flatnonzero(model.entry_mix_community[a] > 0) for a in range(2)]
    diverted_of = {int(cells.link[i]): i for i in np.flatnonzero(cells.mask(kind="diverted"))}
    moved_of = {int(cells.link[i]): i for i in np.flatnonzero(cells.mask(kind="moved"))}
    back_p = {
        d: max(1.0 / (plan.benefit_years * MONTHS) - exit_p[d], 0.0) / (1.0 - exit_p[d]) for d in diverted_of.values()
    }
    base_requests = model.requests.sum(axis=1)
    base_st = base_requests * model.front_door_shares[:, FD["short_term"]] + model.other_short_term
    q_long_term = model.short_term_shares[:, ST["long_term_support"]]
    not_served = model.front_door_shares[:, FD["low_level"]] + model.front_door_shares[:, FD["no_services"]]
    hours_masks = plan.hours_masks(cells)

    for year in range(years):
        # Unit costs by setting, uprated each April; other spend follows council staff costs.
        price_cells = np.where(inflation_on[:, None], drive.unit_cost_index[:, year, cost_group], 1.0)  # (R, C)
        price = np.where(inflation_on, drive.unit_cost_index[:, year, OTHER], 1.0)  # (R,)
        phase = {name: plan.phase(name, year) * lever_on[name] for name in plan.LEVERS}
        before = {name: plan.phase(name, year - 1) * lever_on[name] for name in plan.LEVERS}
        # Hours levers cut the cost of packages in the settings they act on, multiplicatively, so overlapping
        # levers (front door and trusted providers on older people's home care) never count the same hour twice.
        hours = np.ones((R, C))
        for name, mask in hours_masks.items():
            if name in active_any:
                hours[:, mask] *= (1.0 - getattr(effect, name) * phase[name])[:, None]
        cut = (hours < 1.0).any(axis=0)
        monthly_cost = weekly * (WEEKS_PER_YEAR / MONTHS) * hours * price_cells
        avoid_share = plan.short_term_avoided_share(effect.short_term_services) * phase["short_term_services"]
        divert_share = effect.care_home_admissions * phase["care_home_admissions"]
        for month in range(MONTHS):
            t = year * MONTHS + month + 1
            grown = growth_on[:, None] > 0
            population = np.where(grown, population_path[:, t], model.population)  # (R, 4)
            # Demand by age band for each row (R, 2): need-weighted population times the trend in need per head.
            per_head = np.where(grown, (1.0 + drive.per_head) ** (t / MONTHS), 1.0)
            demand = model.need_weighted_population(population) / base_need * per_head
            beyond = np.where(growth_on > 0, (1.0 + drive.other_trend) ** (t / MONTHS), 1.0)  # other spend's own trend

            # 1. Exits and step-ups at review, competing on the start-of-month caseload.
            leave = draw.binomial(caseload, exit_p)
            up = np.zeros((R, C))
            up[:, comm_idx] = draw.binomial(caseload[:, comm_idx] - leave[:, comm_idx], step_p_given_stay[comm_idx])
            caseload -= leave + up
            out.exits[:, year] += leave.sum(axis=1)
            # People diverted from a care home go on to it after `benefit_years` on average (see README).
            for ch, d in diverted_of.items():
                back = draw.binomial(caseload[:, d], back_p[d])
                caseload[:, d] -= back
                caseload[:, ch] += back
                out.admissions[:, year, OLDER] += back

            requests_now, short_term_now = [], []
            for a in range(2):
                # 2. New requests and what the front door does with them.
                req = draw.poisson(base_requests[a] / MONTHS * demand[:, a])
                fd = draw.multinomial(req, model.front_door_shares[a])
                st_group = fd[:, FD["short_term"]] + draw.poisson(model.other_short_term[a] / MONTHS * demand[:, a])
                extra = np.zeros(R)
                if a == OLDER and phase["short_term_services"].any() and not_served[a] > 0 and base_requests[a] > 0:
                    # More people offered a short-term service, from those who would have had low-level or no help.
                    want = effect.short_term_services * phase["short_term_services"] * base_st[a]
                    extra = draw.binomial(
                        fd[:, FD["low_level"]] + fd[:, FD["no_services"]], want / (base_requests[a] * not_served[a])
                    )
                # 3. Short-term outcomes; some go on to long-term support.
                new = fd[:, FD["long_term"]] + draw.binomial(st_group, q_long_term[a])
                if a == OLDER and np.any(avoid_share > 0):
                    # Better and wider short-term services keep a share of would-be long-term clients independent.
                    kept_out = draw.binomial(new, avoid_share)
                    new = new - kept_out
                    out.avoided[:, year] += kept_out
                requests_now.append(req)
                short_term_now.append(st_group + extra)
                out.requests[:, year, a] += req
                out.short_term[:, year, a] += st_group + extra
                if not plan.cost_extra_short_term:
                    short_term_now[-1] = st_group
                out.entrants[:, year, a] += new

                # 4. New long-term clients find a setting; step-ups join care-home admissions.
                to_care_home = draw.binomial(new, model.care_home_direct_share[a])
                if len(comm_cells[a]):
                    caseload[:, comm_cells[a]] += draw.multinomial(
                        new - to_care_home, model.entry_mix_community[a, comm_cells[a]]
                    )
                admitted = to_care_home + up[:, by_age[a]].sum(axis=1)
                if len(care_home[a]):
                    placed = draw.multinomial(admitted, model.entry_mix_care_home[a, care_home[a]])
                    for j, ch_cell in enumerate(care_home[a]):
                        ch = int(ch_cell)
                        n = placed[:, j]
                        if ch in diverted_of and divert_share.any():
                            diverted = draw.binomial(n, divert_share)
                            n = n - diverted
                            caseload[:, diverted_of[ch]] += diverted
                        if ch in moved_of and phase["ld_residential_moves"].any():
                            moved = draw.binomial(n, effect.ld_residential_moves * phase["ld_residential_moves"])
                            n = n - moved
                            caseload[:, moved_of[ch]] += moved
                        caseload[:, ch] += n
                        out.admissions[:, year, a] += n

            # 5. Adults with a learning disability move from residential care to supported living, reaching the
            # lever's share of the group step by step through each year of the phasing.
            if "ld_residential_moves" in active_any:
                f0 = effect.ld_residential_moves * before["ld_residential_moves"]
                f1 = effect.ld_residential_moves * phase["ld_residential_moves"]
                target = f0 + (f1 - f0) * (month + 1) / MONTHS
                for res, mv in moved_of.items():
                    group = caseload[:, res] + caseload[:, mv]
                    want = np.divide(
                        target * group - caseload[:, mv], caseload[:, res], out=np.zeros(R), where=caseload[:, res] > 0
                    )
                    moving = draw.binomial(caseload[:, res], want)
                    caseload[:, res] -= moving
                    caseload[:, mv] += moving

            # 6. This month's spend: long-term care by compartment, and other spend following its driver.
            gross_cells = caseload * monthly_cost
            out.gross[:, year] += gross_cells.sum(axis=1)
            out.net[:, year] += (gross_cells * net_share).sum(axis=1)
            for category, gross_year in model.other_gross.items():
                for a in range(2):
                    if category == "short_term":
                        factor = short_term_now[a] / (base_st[a] / MONTHS) if base_st[a] > 0 else np.ones(R)
                    elif category == "assessment_and_care_management":
                        factor = requests_now[a] / (base_requests[a] / MONTHS) if base_requests[a] > 0 else np.ones(R)
                    else:
                        # Commissioning and other overheads follow the population's need, not the caseload.
                        factor = demand[:, a]
                    if category != "short_term":
                        factor = factor * beyond
                    g = gross_year[a] / MONTHS * factor * price
                    out.gross[:, year] += g
                    out.net[:, year] += g * (1.0 - model.other_income_share[category][a])
        out.caseload[:, year] = caseload
        out.reduced_hours[:, year] = caseload[:, cut].sum(axis=1)
    return out
