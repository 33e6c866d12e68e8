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
# Other spend's drivers, in this order: short-term episodes, requests, and need-weighted population (the rest).
DRIVER_OF = {"short_term": 0, "assessment_and_care_management": 1}


class Draw:
    """Random draws on counts, or their expected values when no generator is given.

    Sampled counts stay whole numbers (int64) from draw to draw, so no clip or cast is needed between steps.
    Probabilities must already lie in [0, 1]; callers clip only the ones computed at run time. A draw on a count of
    zero, or with probability zero, takes no random numbers from the stream, so skipping such cells changes nothing.
    """

    def __init__(self, rng: np.random.Generator | None):
        self.rng = rng
        self.dtype: type = float if rng is None else np.int64

    def poisson(self, lam: np.ndarray) -> np.ndarray:
        return lam.astype(float) if self.rng is None else self.rng.poisson(lam)

    def binomial(self, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
        return n * p if self.rng is None else self.rng.binomial(n, p)

    def multinomial(self, n: np.ndarray, shares: np.ndarray) -> np.ndarray:
        """Split counts n (runs,) across categories with shares (k,) that add up to 1; returns (runs, k)."""
        return n[:, None] * shares if self.rng is None else self.rng.multinomial(n, shares)


def _normalised(shares: np.ndarray) -> np.ndarray:
    return shares / shares.sum()


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

    In expected mode, `variants` runs several (growth, inflation, active levers) variants side by side, one row
    each — how the waterfall gets all its steps in one pass.
    """
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
    # Per-run growth drivers (careflow.simulate.drivers): central values when not given.
    drive = drivers if drivers is not None else central_drivers(plan.settings, years)
    effect = plan.draws(R, rng)  # per-run lever effects (central values in expected mode)

    caseload = np.tile(model.caseload, (R, 1)).astype(float)
    if rng is not None:
        # Sampled runs move whole people; a baseline may give fractional clients.
        caseload = np.round(caseload).astype(np.int64)
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
        start_people=caseload.sum(axis=1).astype(float),
    )
    # Need-weighted demand by month (runs or 1, months + 1, bands), relative to the base year: population
    # compounds each year's growth rate month by month, and need per head trends on top. Computed once here;
    # rows without growth stay at 1.
    monthly = (1.0 + np.repeat(drive.population_growth[:, :years], MONTHS, axis=1)) ** (1.0 / MONTHS)
    start = np.ones((monthly.shape[0], 1, monthly.shape[2]))
    population_path = model.population * np.concatenate([start, np.cumprod(monthly, axis=1)], axis=1)
    base_need = model.need_weighted_population(model.population)
    elapsed = np.arange(years * MONTHS + 1) / MONTHS  # years since the base, by month
    per_head = (1.0 + drive.per_head[:, None, :]) ** elapsed[None, :, None]
    demand_path = model.need_weighted_population(population_path) / base_need * per_head
    # Spend outside long- and short-term care has its own trend beyond need and price.
    beyond_path = (1.0 + drive.other_trend[:, None]) ** elapsed[None, :]
    grows = growth_on[:, None] > 0
    cost_group = np.array([UNIT_COST_GROUPS.index(GROUP_OF_SETTING[s]) for s in cells.setting])  # type: ignore[index]

    exit_p = np.clip(model.exit_rate / MONTHS, 0.0, 1.0)
    community = np.isin(cells.setting, COMMUNITY) & cells.mask(kind="baseline")
    step_p = np.where(community, model.step_up_rate[cells.age] / MONTHS, 0.0)
    # Given a client did not leave, the chance they step up: keeps exit and step-up competing on one stock.
    step_p_given_stay = np.clip(np.divide(step_p, 1.0 - exit_p, out=np.zeros(C), where=exit_p < 1.0), 0.0, 1.0)
    comm_idx = np.flatnonzero(community & (step_p > 0))
    up_age = cells.age[comm_idx]
    care_home = [np.flatnonzero(model.entry_mix_care_home[a] > 0) for a in range(2)]
    comm_cells = [np.flatnonzero(model.entry_mix_community[a] > 0) for a in range(2)]
    comm_mix = [_normalised(model.entry_mix_community[a, comm_cells[a]]) for a in range(2)]
    care_home_mix = [_normalised(model.entry_mix_care_home[a, care_home[a]]) for a in range(2)]
    front_door = np.array([_normalised(model.front_door_shares[a]) for a in range(2)])
    diverted_of = {int(cells.link[i]): int(i) for i in np.flatnonzero(cells.mask(kind="diverted"))}
    moved_of = {int(cells.link[i]): int(i) for i in np.flatnonzero(cells.mask(kind="moved"))}
    diverting = "care_home_admissions" in active_any and bool(diverted_of)
    moving_ld = "ld_residential_moves" in active_any and bool(moved_of)
    # People diverted from a care home go on to it after `benefit_years` on average (see README).
    back_from = np.array(list(diverted_of.values()), dtype=int)
    back_to = np.array(list(diverted_of), dtype=int)
    back_p = np.array(
        [max(1.0 / (plan.benefit_years * MONTHS) - exit_p[d], 0.0) / (1.0 - exit_p[d]) for d in back_from]
    ).clip(0.0, 1.0)[:, None]
    # Cells that can ever hold anyone: the rest are always empty, so they get no draws at all.
    live = (
        (model.caseload > 0) | (model.entry_mix_community > 0).any(axis=0) | (model.entry_mix_care_home > 0).any(axis=0)
    )
    if diverting:
        live[back_from] = True
    if moving_ld:
        live[list(moved_of.values())] = True
    live_idx = np.flatnonzero(live & (exit_p > 0))
    live_exit_p = exit_p[live_idx]
    # Usually the live cells are one run of columns (the baseline's, then any lever cells): a slice is a view, so
    # the exit draw reads and updates the caseload in place instead of gathering and scattering a copy.
    live_cells: slice | np.ndarray = (
        slice(int(live_idx[0]), int(live_idx[-1]) + 1)
        if len(live_idx) and live_idx[-1] - live_idx[0] + 1 == len(live_idx)
        else live_idx
    )

    base_requests = model.requests.sum(axis=1)
    base_st = base_requests * model.front_door_shares[:, FD["short_term"]] + model.other_short_term
    q_long_term = np.clip(model.short_term_shares[:, ST["long_term_support"]], 0.0, 1.0)
    direct_share = np.clip(model.care_home_direct_share, 0.0, 1.0)
    not_served = model.front_door_shares[:, FD["low_level"]] + model.front_door_shares[:, FD["no_services"]]
    hours_masks = plan.hours_masks(cells)
    # Other spend follows its driver: short-term episodes, requests, or (commissioning and the rest) need-weighted
    # population. Monthly £ per unit of each driver's growth factor, gross and net, by age band.
    other_gross_m = np.zeros((3, 2))
    other_net_m = np.zeros((3, 2))
    for category, gross_year in model.other_gross.items():
        d = DRIVER_OF.get(category, 2)
        other_gross_m[d] += gross_year / MONTHS
        other_net_m[d] += gross_year / MONTHS * (1.0 - model.other_income_share[category])
    per_st = np.divide(MONTHS, base_st, out=np.zeros(2), where=base_st > 0)  # growth factor per episode a month
    per_request = np.divide(MONTHS, base_requests, out=np.zeros(2), where=base_requests > 0)

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
        monthly_net_cost = monthly_cost * net_share
        avoid_share = plan.short_term_avoided_share(effect.short_term_services) * phase["short_term_services"]
        avoiding = bool(np.any(avoid_share > 0))
        divert_share = np.clip(effect.care_home_admissions * phase["care_home_admissions"], 0.0, 1.0)
        move_share = np.clip(effect.ld_residential_moves * phase["ld_residential_moves"], 0.0, 1.0)
        # Each care-home cell's entrants may be diverted (older people) or moved on (LD residential care): the
        # cells with a lever acting this year, and the share each run diverts or moves, drawn together below.
        lever_split: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for a in range(2):
            chosen: list[tuple[int, int, np.ndarray]] = []  # (entry column, lever cell, share per run)
            for j, ch in enumerate(care_home[a]):
                if int(ch) in diverted_of and divert_share.any():
                    chosen.append((j, diverted_of[int(ch)], divert_share))
                elif int(ch) in moved_of and move_share.any():
                    chosen.append((j, moved_of[int(ch)], move_share))
            columns = np.array([j for j, _, _ in chosen], dtype=int)
            lever_cells = np.array([c for _, c, _ in chosen], dtype=int)
            lever_split.append((columns, lever_cells, np.array([share for _, _, share in chosen])))
        extra_p = np.zeros(R)
        if phase["short_term_services"].any() and not_served[OLDER] > 0 and base_requests[OLDER] > 0:
            # More people offered a short-term service, from those who would have had low-level or no help.
            want = effect.short_term_services * phase["short_term_services"] * base_st[OLDER]
            extra_p = np.clip(want / (base_requests[OLDER] * not_served[OLDER]), 0.0, 1.0)
        gross_year = np.zeros(R)
        net_year = np.zeros(R)
        for month in range(MONTHS):
            t = year * MONTHS + month + 1
            demand = np.where(grows, demand_path[:, t], 1.0)  # (R, 2), growth of need by age band for each row
            beyond = np.where(growth_on > 0, beyond_path[:, t], 1.0)  # (R,)

            # 1. Exits and step-ups at review, competing on the start-of-month caseload.
            leave = draw.binomial(caseload[:, live_cells], live_exit_p)
            caseload[:, live_cells] -= leave
            up = draw.binomial(caseload[:, comm_idx], step_p_given_stay[comm_idx])
            caseload[:, comm_idx] -= up
            out.exits[:, year] += leave.sum(axis=1)
            if diverting:
                # One draw for every diverted cell, cell by cell, as they go on to the care home they were kept from.
                back = draw.binomial(np.ascontiguousarray(caseload[:, back_from].T), back_p).T
                caseload[:, back_from] -= back
                caseload[:, back_to] += back
                out.admissions[:, year, OLDER] += back.sum(axis=1)

            requests_now, short_term_now = [], []
            for a in range(2):
                # 2. New requests and what the front door does with them.
                req = draw.poisson(base_requests[a] / MONTHS * demand[:, a])
                fd = draw.multinomial(req, front_door[a])
                st_group = fd[:, FD["short_term"]] + draw.poisson(model.other_short_term[a] / MONTHS * demand[:, a])
                extra: np.ndarray | int = 0
                if a == OLDER and extra_p.any():
                    extra = draw.binomial(fd[:, FD["low_level"]] + fd[:, FD["no_services"]], extra_p)
                # 3. Short-term outcomes; some go on to long-term support.
                new = fd[:, FD["long_term"]] + draw.binomial(st_group, q_long_term[a])
                if model.other_entrants[a] > 0:
                    # Entrants by routes the request and short-term counts do not show (only where the baseline
                    # publishes leavers); they are would-be long-term clients like the rest.
                    new = new + draw.poisson(model.other_entrants[a] / MONTHS * demand[:, a])
                if a == OLDER and avoiding:
                    # Better and wider short-term services keep a share of would-be long-term clients independent.
                    kept_out = draw.binomial(new, avoid_share)
                    new = new - kept_out
                    out.avoided[:, year] += kept_out
                requests_now.append(req)
                short_term_now.append(st_group + extra if plan.cost_extra_short_term else st_group)
                out.requests[:, year, a] += req
                out.short_term[:, year, a] += st_group + extra
                out.entrants[:, year, a] += new

                # 4. New long-term clients find a setting; step-ups join care-home admissions.
                to_care_home = draw.binomial(new, direct_share[a])
                if len(comm_cells[a]):
                    caseload[:, comm_cells[a]] += draw.multinomial(new - to_care_home, comm_mix[a])
                admitted = to_care_home + up[:, up_age == a].sum(axis=1)
                if len(care_home[a]):
                    placed = draw.multinomial(admitted, care_home_mix[a])
                    columns, lever_cells, shares = lever_split[a]
                    if len(columns):
                        # One draw for every care-home cell a lever acts on, cell by cell (the stream's order).
                        split = draw.binomial(np.ascontiguousarray(placed[:, columns].T), shares).T
                        placed[:, columns] -= split
                        caseload[:, lever_cells] += split
                    caseload[:, care_home[a]] += placed
                    out.admissions[:, year, a] += placed.sum(axis=1)

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
                    moving = draw.binomial(caseload[:, res], np.clip(want, 0.0, 1.0))
                    caseload[:, res] -= moving
                    caseload[:, mv] += moving

            # 6. This month's spend: long-term care by compartment, and other spend following its driver.
            gross_year += np.einsum("rc,rc->r", caseload, monthly_cost)  # no (runs × cells) temporary
            net_year += np.einsum("rc,rc->r", caseload, monthly_net_cost)
            factors = np.stack(
                [
                    np.column_stack(short_term_now) * per_st + (base_st <= 0),
                    np.column_stack(requests_now) * per_request + (base_requests <= 0),
                    demand,
                ]
            )  # (drivers, R, 2)
            # Short-term spend follows episodes; assessment and commissioning also follow their own trend.
            trend = np.stack([np.ones(R), beyond, beyond])[:, :, None]  # (drivers, R, 1)
            gross_year += np.einsum("drb,db->r", factors * trend, other_gross_m) * price
            net_year += np.einsum("drb,db->r", factors * trend, other_net_m) * price
        out.gross[:, year] = gross_year
        out.net[:, year] = net_year
        out.caseload[:, year] = caseload
        out.reduced_hours[:, year] = caseload[:, cut].sum(axis=1)
    return out
