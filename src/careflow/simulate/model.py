"""Flow-model parameters derived from a council baseline: compartments, monthly rates, unit costs, with provenance.

The baseline describes one year. Rates the baseline does not give directly are inferred by assuming that year
was a steady state — caseload neither growing nor shrinking — so each setting's exits equal its entries. Every
inferred rate is recorded as *derived* (formula and inputs) in `FlowModel.notes`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from careflow.baseline.schema import (
    AGE_BANDS,
    CARE_HOME,
    POPULATION_BANDS,
    REQUEST_OUTCOMES,
    ROUTES,
    SETTINGS,
    SHORT_TERM_OUTCOMES,
    WEEKS_PER_YEAR,
    Baseline,
    age_band_of,
)
from careflow.provenance import Assumed, Derived, Provenance
from careflow.simulate.settings import NEED_WEIGHTS, ProjectionSettings

COMMUNITY = ("home_care", "direct_payment", "supported_living")
FD = {name: i for i, name in enumerate(REQUEST_OUTCOMES)}
ST = {name: i for i, name in enumerate(SHORT_TERM_OUTCOMES)}
OTHER_DRIVERS = {"short_term": "short-term episodes", "assessment_and_care_management": "requests"}


@dataclass(frozen=True)
class Cells:
    """Long-term support compartments: the baseline's (age band × support reason × setting) rows, plus the
    compartments the levers fill (people diverted from a care home, people moved out of LD residential care)."""

    age: np.ndarray  # 0 = 18-64, 1 = 65+
    reason: tuple[str, ...]
    setting: tuple[str, ...]
    kind: tuple[str, ...]  # "baseline" | "diverted" | "moved"
    link: np.ndarray  # for diverted and moved cells: the care-home cell they came from; else -1
    weekly_cost: np.ndarray  # gross £ per client per week, before any lever
    income_share: np.ndarray

    @property
    def count(self) -> int:
        return len(self.kind)

    def mask(
        self, *, age: int | None = None, settings: tuple[str, ...] = SETTINGS, kind: str | None = None
    ) -> np.ndarray:
        return np.array(
            [
                (age is None or self.age[i] == age)
                and self.setting[i] in settings
                and (kind is None or self.kind[i] == kind)
                for i in range(self.count)
            ],
            dtype=bool,
        )


@dataclass
class FlowModel:
    """Everything the engine needs, as arrays; per-year rates are annual and turned monthly by the engine."""

    council: str
    cells: Cells
    caseload: np.ndarray  # initial clients per cell
    population: np.ndarray  # by POPULATION_BANDS
    requests: np.ndarray  # annual, [age band, route]
    front_door_shares: np.ndarray  # [age band, REQUEST_OUTCOMES]
    other_short_term: np.ndarray  # annual short-term episodes not started by a new request, by age band
    # Annual new long-term clients by routes the baseline's flows do not show (existing clients whose needs grew,
    # people moving in), by age band: published leavers less the entrants from requests and short-term services.
    other_entrants: np.ndarray
    short_term_shares: np.ndarray  # [age band, SHORT_TERM_OUTCOMES]
    care_home_direct_share: np.ndarray  # share of new long-term entrants whose first setting is a care home
    step_up_rate: np.ndarray  # annual probability a community client moves to a care home at review, by age band
    entry_mix_community: np.ndarray  # [age band, cell] shares of community entrants
    entry_mix_care_home: np.ndarray  # [age band, cell] shares of care-home entrants (and step-ups)
    exit_rate: np.ndarray  # annual probability of leaving long-term support (death, needs met, moved away), by cell
    other_gross: dict[str, np.ndarray]  # other spend by category, [age band], £ a year
    other_income_share: dict[str, np.ndarray]
    admissions: np.ndarray  # baseline permanent care-home admissions by age band
    notes: dict[str, Provenance] = field(default_factory=dict)
    national: bool = False  # a national baseline: its model error is England's, not a council's

    def need_weighted_population(self, population: np.ndarray) -> np.ndarray:
        """Population by age band (18-64, 65+), older bands weighted by relative need per head."""
        weights = np.array([NEED_WEIGHTS[b] for b in POPULATION_BANDS])
        weighted = population * weights
        return np.stack([weighted[..., 0], weighted[..., 1:].sum(axis=-1)], axis=-1)

    def annual_net(self) -> float:
        gross = self.caseload * self.cells.weekly_cost * WEEKS_PER_YEAR
        other = sum(float((g * (1 - self.other_income_share[k])).sum()) for k, g in self.other_gross.items())
        return float((gross * (1 - self.cells.income_share)).sum()) + other


def _cells(baseline: Baseline) -> tuple[Cells, np.ndarray]:
    grouped: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in baseline.long_term:
        g = grouped[(row.age_band, row.support_reason, row.setting)]
        g[0] += row.clients
        g[1] += row.gross_gbp
        g[2] += row.gross_gbp * row.income_share
    keys = sorted(grouped, key=lambda k: (AGE_BANDS.index(k[0]), k[1], SETTINGS.index(k[2])))
    age, reason, setting, kind, link, cost, income, clients = [], [], [], [], [], [], [], []
    for age_band, psr, st in keys:
        n, gross, inc = grouped[(age_band, psr, st)]
        age.append(AGE_BANDS.index(age_band))
        reason.append(psr)
        setting.append(st)
        kind.append("baseline")
        link.append(-1)
        cost.append(gross / n / WEEKS_PER_YEAR if n else 0.0)
        income.append(inc / gross if gross else 0.0)
        clients.append(n)
    # Lever compartments start empty: older people diverted from each care-home cell to home care, and working-age
    # adults with a learning disability moved from residential care to supported living.
    base_count = len(kind)
    for i in range(base_count):
        if age[i] == 1 and setting[i] in CARE_HOME:
            age.append(1)
            reason.append(reason[i])
            setting.append("home_care")
            kind.append("diverted")
            link.append(i)
            cost.append(0.0)  # set by the lever plan: an upper-quartile home-care package
            income.append(income[i])
            clients.append(0.0)
        if age[i] == 0 and reason[i] == "learning_disability" and setting[i] == "residential":
            age.append(0)
            reason.append(reason[i])
            setting.append("supported_living")
            kind.append("moved")
            link.append(i)
            cost.append(cost[i])  # less the per-person saving, set by the lever plan
            income.append(income[i])
            clients.append(0.0)
    cells = Cells(
        age=np.array(age),
        reason=tuple(reason),
        setting=tuple(setting),
        kind=tuple(kind),
        link=np.array(link),
        weekly_cost=np.array(cost),
        income_share=np.array(income),
    )
    return cells, np.array(clients, dtype=float)


def _front_door_shares(baseline: Baseline, requests: np.ndarray, notes: dict[str, Provenance]) -> np.ndarray:
    shares = np.zeros((2, len(REQUEST_OUTCOMES)))
    for a, band in enumerate(AGE_BANDS):
        counts = np.array(
            [
                sum(r.requests for r in baseline.request_outcomes if r.age_band == band and r.outcome == o)
                for o in REQUEST_OUTCOMES
            ]
        )
        episodes = baseline.short_term_episodes(band)
        total = requests[a].sum()
        if counts.sum() > 0:
            shares[a] = counts / counts.sum()
        else:
            # No outcomes given: requests not starting short-term support get no service (stated, and visible).
            shares[a, FD["no_services"]] = 1.0
            notes[f"front_door_shares.{band}"] = Assumed(
                reason=f"the baseline gives no request outcomes for {band}; requests not starting a short-term "
                "service are treated as 'no services'"
            )
        # Short-term episodes started by new requests can be no more than the baseline's episodes.
        if total > 0:
            st_share = (
                min(shares[a, FD["short_term"]], episodes / total) if counts.sum() > 0 else min(1.0, episodes / total)
            )
            rest = 1.0 - shares[a, FD["short_term"]]
            scale = (1.0 - st_share) / rest if rest > 0 else 0.0
            shares[a] *= scale
            shares[a, FD["short_term"]] = st_share
            if rest <= 0:
                shares[a, FD["no_services"]] = 1.0 - st_share
    return shares


def flow_model(baseline: Baseline, settings: ProjectionSettings) -> FlowModel:
    """Derive the flow model's compartments and rates from a baseline, assuming the baseline year is a steady state."""
    notes: dict[str, Provenance] = {}
    cells, caseload = _cells(baseline)
    population = np.array([baseline.people((b,)) for b in POPULATION_BANDS])
    requests = np.array([[baseline.total_requests(band, route) for route in ROUTES] for band in AGE_BANDS])
    fd = _front_door_shares(baseline, requests, notes)

    st_shares = np.zeros((2, len(SHORT_TERM_OUTCOMES)))
    other_st = np.zeros(2)
    direct = np.zeros(2)
    step_up = np.zeros(2)
    other_entrants = np.zeros(2)
    exit_rate = np.zeros(cells.count)
    mix_comm = np.zeros((2, cells.count))
    mix_ch = np.zeros((2, cells.count))
    admissions = np.array([baseline.care_home_admissions(b) for b in AGE_BANDS])
    base = np.array([k == "baseline" for k in cells.kind])
    for a, band in enumerate(AGE_BANDS):
        counts = np.array(
            [
                sum(r.episodes for r in baseline.short_term if r.age_band == band and r.outcome == o)
                for o in SHORT_TERM_OUTCOMES
            ]
        )
        st_shares[a] = (
            counts / counts.sum() if counts.sum() > 0 else np.eye(len(SHORT_TERM_OUTCOMES))[ST["no_further_need"]]
        )
        from_requests = requests[a].sum() * fd[a, FD["short_term"]]
        other_st[a] = max(counts.sum() - from_requests, 0.0)
        from_flows = requests[a].sum() * fd[a, FD["long_term"]] + counts.sum() * st_shares[a, ST["long_term_support"]]
        # SALT's request and short-term sequels count only *new* clients' routes into long-term support. Where the
        # baseline publishes how many left long-term support, the steady state needs as many entrants: the rest
        # come by routes the flows do not show. Without this, exits are inferred from the flows alone, which for
        # some councils implies stays of a century or more (and a projection that never settles).
        leavers = baseline.leavers(band)
        other_entrants[a] = max(leavers - from_flows, 0.0) if leavers is not None else 0.0
        entrants = from_flows + other_entrants[a]
        if leavers is not None:
            notes[f"other_entrants.{band}"] = Derived(
                formula="published leavers from long-term support − new clients entering from requests and "
                "short-term services (never below 0); the steady state needs entrants = leavers",
                inputs={"leavers": leavers, "entrants_from_requests_and_short_term": from_flows},
            )

        community = base & (cells.age == a) & np.isin(cells.setting, COMMUNITY)
        care_home = base & (cells.age == a) & np.isin(cells.setting, CARE_HOME)
        n_comm, n_ch = caseload[community].sum(), caseload[care_home].sum()
        adm = admissions[a] if n_ch > 0 else 0.0
        if n_comm == 0:
            first_ch = entrants
            ups = 0.0
        else:
            first_ch = min((1 - settings.step_up_share) * adm, entrants)
            ups = max(min(adm - first_ch, entrants - first_ch), 0.0)  # community exits cannot go negative
        direct[a] = first_ch / entrants if entrants > 0 else 0.0
        step_up[a] = ups / n_comm if n_comm > 0 else 0.0
        if n_comm > 0:
            mix_comm[a, community] = caseload[community] / n_comm
        if n_ch > 0:
            mix_ch[a, care_home] = caseload[care_home] / n_ch
        inflow = (entrants - first_ch) * mix_comm[a] + (first_ch + ups) * mix_ch[a]
        outflow_transfers = step_up[a] * caseload * community
        cell = (cells.age == a) & base
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(caseload > 0, (inflow - outflow_transfers) / caseload, 0.0)
        exit_rate[cell] = np.clip(rate[cell], 0.0, 1.0)
        notes[f"exit_rate.{band}"] = Derived(
            formula="per setting: (new entrants + step-ups in − step-ups out) ÷ clients, the steady state of the "
            "baseline year; new entrants split across settings in proportion to clients"
            + ("; entrants = published leavers where given" if leavers is not None else ""),
            inputs={"entrants": entrants, "care_home_admissions": adm, "clients": caseload[cell].sum()},
        )
        notes[f"step_up.{band}"] = Derived(
            formula="care-home admissions × step-up share, from people already in community settings",
            inputs={"admissions": adm, "step_up_share": settings.step_up_share, "community_clients": n_comm},
        )
    # Lever compartments leave at the rate of the cell they came from.
    for i in range(cells.count):
        if cells.link[i] >= 0:
            exit_rate[i] = exit_rate[cells.link[i]]

    other_gross: dict[str, np.ndarray] = {}
    other_income: dict[str, np.ndarray] = {}
    for row in baseline.other_spend:
        a = AGE_BANDS.index(row.age_band)
        other_gross.setdefault(row.category, np.zeros(2))[a] += row.gross_gbp
        other_income.setdefault(row.category, np.zeros(2))[a] += row.income_gbp
    other_income_share = {
        k: np.divide(other_income[k], g, out=np.zeros(2), where=g > 0) for k, g in other_gross.items()
    }
    notes["steady_state"] = Assumed(
        reason="the baseline year is taken as a steady state: caseload in each setting neither grows nor shrinks, "
        "so exits equal entries; other spend follows its driver (short-term episodes, requests, or need-weighted "
        "population for commissioning and other)"
    )
    return FlowModel(
        council=baseline.council.name,
        cells=cells,
        caseload=caseload,
        population=population,
        requests=requests,
        front_door_shares=fd,
        other_short_term=other_st,
        other_entrants=other_entrants,
        short_term_shares=st_shares,
        care_home_direct_share=direct,
        step_up_rate=step_up,
        entry_mix_community=mix_comm,
        entry_mix_care_home=mix_ch,
        exit_rate=exit_rate,
        other_gross=other_gross,
        other_income_share=other_income_share,
        admissions=admissions,
        notes=notes,
        national=baseline.council.council_type == "national",
    )


def population_band_age(band: str) -> int:
    return AGE_BANDS.index(age_band_of(band))  # type: ignore[arg-type]
