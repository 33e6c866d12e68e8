"""Backtest: project every council from a published past year to a later published year, and score the bands.

The past years' returns publish each council's spend by care type and age band, not the person-level flows the
monthly engine starts from (requests by outcome, short-term episodes, admissions are published for 2021-22 only).
So the backtest applies the projection's own growth drivers — the same `sample_drivers`, the same settings and
ranges, the same model-error term — to each council's published spend split, the way the engine applies them to a
baseline whose base year is a steady state. `engine_agreement` measures how far this shortcut is from the engine's
expected path; the docs state the figure. Everything is vectorised across councils and runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from careflow.baseline.schema import POPULATION_BANDS
from careflow.simulate.demography import ENGLAND, council_growth, older_projection
from careflow.simulate.drivers import Drivers, sample_drivers
from careflow.simulate.history import TABLES_TITLE, CouncilTable, england_series, read_tables
from careflow.simulate.settings import NEED_WEIGHTS, UNIT_COST_GROUPS, ProjectionSettings

# Long-term spend by setting (Tables 43 and 44, headings as printed) → the unit-cost group each follows.
SETTING_COLUMNS: dict[str, str] = {
    "Nursing": "care_homes",
    "Residential": "care_homes",
    "Supported Accommodation": "supported_living",
    "Community: Direct Payments": "direct_payments",
    "Community: Home Care": "home_care",
    "Community: Supported Living": "supported_living",
    "Community: Other Long Term Care": "other_spend",
}
AGE_COLUMNS = ("18 to 64", "65 and Over")
TABLES = (2, 15, 17, 43, 44)
Z80 = 1.2815515655446004  # standard normal quantile of 0.9: P10–P90 of a normal is ±1.2816σ
PERCENTILES = (10, 25, 50, 75, 90)


@dataclass
class Councils:
    """Base-year spend split of many councils, as arrays (N councils), and what they later reported."""

    codes: list[str]
    names: list[str]
    long_term: np.ndarray  # (N, 2 age bands, groups) £ gross
    short_term: np.ndarray  # (N, 2) £ gross
    other: np.ndarray  # (N,) £ gross outside long- and short-term care
    population: np.ndarray  # (N, 4) base-year people by band (older from ONS projections; 18-64 relative)
    growth: np.ndarray  # (N, years, 4) council's own central population growth, ONS
    actual: np.ndarray  # (N,) £ gross at the horizon
    ons_demography: np.ndarray  # (N,) bool: the council's own ONS rates were found

    @property
    def base(self) -> np.ndarray:
        return self.long_term.sum(axis=(1, 2)) + self.short_term.sum(axis=1) + self.other


@dataclass
class PairResult:
    """One pair of years: each council's band and actual, and the scores."""

    label: str
    origin: str
    target: str
    measure: str
    codes: list[str]
    names: list[str]
    base: np.ndarray
    actual: np.ndarray
    bands: np.ndarray  # (N, len(PERCENTILES))
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def error(self) -> np.ndarray:
        """P50 − actual as a share of actual (positive: the model projected too much)."""
        return self.bands[:, 2] / self.actual - 1.0

    def scores(self) -> dict[str, float]:
        inside_80 = (self.actual >= self.bands[:, 0]) & (self.actual <= self.bands[:, 4])
        inside_50 = (self.actual >= self.bands[:, 1]) & (self.actual <= self.bands[:, 3])
        e = self.error
        return {
            "councils": float(len(self.codes)),
            "coverage_p10_p90": float(inside_80.mean()),
            "coverage_p25_p75": float(inside_50.mean()),
            "below_p10": float((self.actual < self.bands[:, 0]).mean()),
            "above_p90": float((self.actual > self.bands[:, 4]).mean()),
            "mean_error": float(e.mean()),
            "mean_absolute_error": float(np.abs(e).mean()),
            "median_error": float(np.median(e)),
            "error_p10": float(np.percentile(e, 10)),
            "error_p90": float(np.percentile(e, 90)),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "origin": self.origin,
            "target": self.target,
            "measure": self.measure,
            "note": self.note,
            "scores": self.scores(),
            **self.extra,
            "councils": [
                {
                    "ons_code": code,
                    "name": name,
                    "base": float(b),
                    "actual": float(a),
                    **{f"p{p}": float(v) for p, v in zip(PERCENTILES, band, strict=True)},
                    "error": float(err),
                }
                for code, name, b, a, band, err in zip(
                    self.codes, self.names, self.base, self.actual, self.bands, self.error, strict=True
                )
            ],
        }


def _need(population: np.ndarray) -> np.ndarray:
    """Need-weighted population (…, 2): 18-64, and 65+ weighted by need per head, as the flow model weighs it."""
    weights = np.array([NEED_WEIGHTS[b] for b in POPULATION_BANDS])
    weighted = population * weights
    return np.stack([weighted[..., 0], weighted[..., 1:].sum(axis=-1)], axis=-1)


def growth_factors(
    councils: Councils, settings: ProjectionSettings, years: int, runs: int, rng: np.random.Generator | None
) -> np.ndarray:
    """Spend in each projected year relative to the base year, (N, runs, years), before model error.

    As the engine does it: population grows month by month and a year's spend is the mean of its months; need per
    head trends on top; unit costs step up each April by setting; other spend has its own trend. Each run shifts
    every council's ONS demography by the run's national draw less the national central value.
    """
    drivers = sample_drivers(settings, years, runs, rng)
    demand, t = demand_factors(councils, settings, drivers, monthly=True)  # (N, R, Y, 12, 2)
    long_term_demand = caseload_factors(demand)
    demand = demand.mean(axis=3)  # short-term and other spend follow demand within the month
    beyond = ((1.0 + drivers.other_trend[:, None, None]) ** t[None]).mean(axis=2)  # (R, Y)
    price = drivers.unit_cost_index  # (R, Y, groups)
    other_price = price[..., UNIT_COST_GROUPS.index("other_spend")]
    long_term = np.einsum("nag,nrya,ryg->nry", councils.long_term, long_term_demand, price)
    short_term = np.einsum("na,nrya,ry->nry", councils.short_term, demand, other_price)
    # Other spend follows need across both age bands (weighted by base-year long-term spend), its trend and price.
    mix = councils.long_term.sum(axis=2)
    mix = mix / np.maximum(mix.sum(axis=1, keepdims=True), 1e-9)
    other = councils.other[:, None, None] * np.einsum("na,nrya->nry", mix, demand) * (beyond * other_price)[None]
    return (long_term + short_term + other) / councils.base[:, None, None]


def caseload_factors(demand: np.ndarray) -> np.ndarray:
    """Long-term caseload relative to the base year, (N, R, Y, 2), from monthly demand (N, R, Y, 12, 2).

    Caseload is a stock: it follows demand with a lag set by how fast people leave, as in the flow model's steady
    state (entrants = exit rate × caseload), month by month; a year's figure is the mean of its months.
    """
    leave = exit_rates() / 12
    stock = np.ones_like(demand[:, :, 0, 0, :])
    lagged = np.empty_like(demand)
    for y in range(demand.shape[2]):
        for m in range(12):
            stock = stock * (1.0 - leave) + leave * demand[:, :, y, m, :]
            lagged[:, :, y, m, :] = stock
    return lagged.mean(axis=3)


@cache
def exit_rates() -> np.ndarray:
    """Yearly rate of leaving long-term support by age band (18-64, 65+), caseload-weighted, England's flow model."""
    from careflow.baseline.england import england_2019_20
    from careflow.simulate.model import flow_model

    model = flow_model(england_2019_20(), ProjectionSettings())
    base = np.array([k == "baseline" for k in model.cells.kind])
    return np.array(
        [
            np.average(
                model.exit_rate[base & (model.cells.age == a)], weights=model.caseload[base & (model.cells.age == a)]
            )
            for a in range(2)
        ]
    )


def demand_factors(
    councils: Councils, settings: ProjectionSettings, drivers: Drivers, *, monthly: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Demand by age band relative to the base year, (N, runs, years, 2) — by month (…, 12, 2) if asked — and
    years since the base (years, 12)."""
    years = drivers.population_growth.shape[1]
    central = sample_drivers(settings, years, 1, None)
    shift = drivers.population_growth - central.population_growth  # (R, Y, 4)
    rates = councils.growth[:, None, :, :] + shift[None, :, :, :]  # (N, R, Y, 4)
    months = np.arange(1, 13) / 12
    # Population in each month of each year relative to the base: (N, R, Y, 12, 4).
    level_before = np.cumprod(1.0 + rates, axis=2) / (1.0 + rates)
    population = level_before[..., None, :] * (1.0 + rates[..., None, :]) ** months[:, None]
    population = population * councils.population[:, None, None, None, :]
    need = _need(population) / _need(councils.population)[:, None, None, None, :]  # (N, R, Y, 12, 2)
    t = np.arange(years)[:, None] + months[None, :]  # (Y, 12) years since the base
    per_head = (1.0 + drivers.per_head[:, None, None, :]) ** t[None, :, :, None]  # (R, Y, 12, 2)
    demand = need * per_head[None]
    return (demand if monthly else demand.mean(axis=3)), t


def error_walk(sigma: np.ndarray, years: int, runs: int, rng: np.random.Generator) -> np.ndarray:
    """Model-error multipliers (N, runs, years): a random walk in logs, σ per √year for each council."""
    steps = rng.normal(0.0, 1.0, size=(len(sigma), runs, years)) * sigma[:, None, None]
    return np.exp(np.cumsum(steps, axis=2))


def _gbp(table: CouncilTable, *parts: str) -> dict[str, float]:
    return {code: v * 1000.0 for code, v in table.series(*parts).items()}  # published in £000


def council_spend(
    folder: Path, settings: ProjectionSettings, origin: str, target: str, years: int, codes: list[str] | None = None
) -> Councils:
    """Councils with published gross spend in both years: the origin's split, the target's total, ONS demography."""
    tables = read_tables(folder, TABLES)
    t15, t17 = tables[15], tables[17]
    total_target = _gbp(t15, "Total Gross Current Expenditure (GCE)", target)
    total_origin = _gbp(t15, "Total Gross Current Expenditure (GCE)", origin)
    other = _gbp(t15, "Other GCE", origin)
    lt = {age: _gbp(t17, "Long Term Care", origin, age) for age in AGE_COLUMNS}
    st = {age: _gbp(t17, "Short Term Care", origin, age) for age in AGE_COLUMNS}
    # Long-term spend by setting is published for 2021-22 only: its shares split the origin year's long-term spend.
    shares = {}
    for age, number in zip(AGE_COLUMNS, (43, 44), strict=True):
        by_setting = {heading: _gbp(tables[number], heading) for heading in SETTING_COLUMNS}
        shares[age] = by_setting
    chosen = [
        c
        for c in (codes or sorted(t15.names))
        if c != ENGLAND
        and c in total_target
        and c in total_origin
        and c in other
        and all(c in lt[a] and c in st[a] for a in AGE_COLUMNS)
        and total_origin[c] > 0
    ]
    n, g = len(chosen), len(UNIT_COST_GROUPS)
    long_term = np.zeros((n, 2, g))
    for i, code in enumerate(chosen):
        for a, age in enumerate(AGE_COLUMNS):
            split = np.zeros(g)
            for heading, group in SETTING_COLUMNS.items():
                split[UNIT_COST_GROUPS.index(group)] += max(shares[age][heading].get(code, 0.0), 0.0)
            split = split / split.sum() if split.sum() > 0 else np.eye(g)[UNIT_COST_GROUPS.index("care_homes")]
            long_term[i, a] = lt[age][code] * split
    first_year = int(origin[:4])
    older = older_projection(Path(folder))
    central = np.array(settings.growth_path(years))
    population = np.zeros((n, 4))
    growth = np.zeros((n, years, 4))
    own = np.zeros(n, dtype=bool)
    england_older: np.ndarray = np.sum(list(older.values()), axis=0)  # upper tiers add up to England
    for i, code in enumerate(chosen):
        rates = council_growth(Path(folder), code, first_year, years)
        own[i] = rates is not None
        growth[i] = np.array([rates[b] for b in POPULATION_BANDS]).T if rates is not None else central
        base_older = older.get(code, england_older)[first_year - 2016]
        # Working-age people only enter the 18-64 need, which is compared with itself: any level will do.
        population[i] = [1.0, *base_older]
    return Councils(
        codes=chosen,
        names=[t15.names[c] for c in chosen],
        long_term=long_term,
        short_term=np.array([[st[a][c] for a in AGE_COLUMNS] for c in chosen]),
        other=np.array([other[c] for c in chosen]),
        population=population,
        growth=growth,
        actual=np.array([total_target[c] for c in chosen]),
        ons_demography=own,
    )


def _bands(values: np.ndarray) -> np.ndarray:
    """(N, runs) → (N, percentiles)."""
    return np.percentile(values, PERCENTILES, axis=1).T


def _stream(seed: int, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def quantile_sigma(residuals: np.ndarray) -> float:
    """σ of a normal whose P10–P90 spans the residuals' own 10th–90th percentiles (robust to a few outliers)."""
    low, high = np.percentile(residuals, [10, 90])
    return float((high - low) / (2 * Z80))


@dataclass
class Calibration:
    """The model-error term and how it was sized."""

    national: float  # σ per √year, England
    council_idiosyncratic: float  # σ at one year of councils' departures once England's is taken out
    england_pairs: int
    council_pairs: int
    england_bias_per_year: float  # mean departure of England's growth from the model's, per year (log)
    council_bias: float  # mean departure of councils' one-year growth (log), the common part
    england_since: str

    @property
    def council(self) -> float:
        return float(np.hypot(self.national, self.council_idiosyncratic))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sigma_national_per_sqrt_year": self.national,
            "sigma_council_idiosyncratic": self.council_idiosyncratic,
            "sigma_council_per_sqrt_year": self.council,
            "england_pairs": self.england_pairs,
            "council_pairs": self.council_pairs,
            "england_bias_per_year": self.england_bias_per_year,
            "council_bias": self.council_bias,
            "england_origins_from": self.england_since,
        }


def england_residuals(
    folder: Path, settings: ProjectionSettings, composition: Councils, since: str, until: str | None = None
) -> dict[tuple[str, int], float]:
    """log(actual h-year growth) − log(model's central h-year growth), England, Table 4 cash, h = 1…5.

    Only pairs with the origin at or after `since` and the target at or before `until` (data known by then).
    The model's growth is England's: every council's central growth summed with its base-year spend.
    """
    series = england_series(folder)
    years = sorted(series)
    central = growth_factors(composition, settings.with_central_drivers(), 5, 1, None)[:, 0, :]
    england = (central * composition.base[:, None]).sum(axis=0) / composition.base.sum()
    out = {}
    for i, origin in enumerate(years):
        for h in range(1, 6):
            if origin < since or i + h >= len(years) or (until is not None and years[i + h] > until):
                continue
            actual = np.log(series[years[i + h]][0] / series[origin][0])
            out[(origin, h)] = float(actual - np.log(england[h - 1]))
    return out


def calibrate_model_error(
    folder: Path, settings: ProjectionSettings, councils: Councils, since: str = "2015-16", until: str | None = None
) -> Calibration:
    """Size the model-error term from history (see docs/projection-calibration.md).

    England: σ² = mean over (origin, h) of residual² ÷ h — a random walk's variance grows with h — bias included,
    since the model does not know it in advance. Councils: the spread of their one-year departures around the
    common one, as a robust (10th–90th percentile) σ; the common one is England's, already in σ_England.
    """
    residuals = england_residuals(folder, settings, councils, since, until)
    values = np.array(list(residuals.values()))
    horizons = np.array([h for _, h in residuals])
    central = growth_factors(councils, settings.with_central_drivers(), 1, 1, None)[:, 0, 0]
    departures = np.log(councils.actual / councils.base) - np.log(central)
    return Calibration(
        national=float(np.sqrt(np.mean(values**2 / horizons))),
        council_idiosyncratic=quantile_sigma(departures - np.median(departures)),
        england_pairs=len(values),
        council_pairs=len(departures),
        england_bias_per_year=float(np.mean(values / horizons)),
        council_bias=float(np.median(departures)),
        england_since=since,
    )


def _pit(values: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Share of each council's runs below what it reported: uniform on [0, 1] if the bands mean what they say."""
    return (values < actual[:, None]).mean(axis=1)


def spend_pair(
    folder: Path, settings: ProjectionSettings, origin: str, target: str, runs: int, seed: int
) -> PairResult:
    """Every council with gross spend published in both years, projected from `origin` to `target`.

    The model-error term is fitted without the council it is scored on: σ_England from England's pairs that ended
    by the origin year; each council's own σ from the other councils' departures (leave one out).
    """
    horizon = int(target[:4]) - int(origin[:4])
    councils = council_spend(folder, settings, origin, target, horizon)
    national = calibrate_model_error(folder, settings, councils, until=origin).national
    central = growth_factors(councils, settings.with_central_drivers(), horizon, 1, None)[:, 0, -1]
    departures = np.log(councils.actual / councils.base) - np.log(central)
    idiosyncratic = np.array(
        [quantile_sigma(np.delete(departures, i) - np.median(np.delete(departures, i))) for i in range(len(departures))]
    )
    sigma = (
        np.hypot(national, idiosyncratic)
        if settings.model_error is None
        else np.full(len(departures), settings.model_error)
    )
    growth = growth_factors(councils, settings, horizon, runs, _stream(seed, 0))[:, :, -1]
    values = councils.base[:, None] * growth * error_walk(sigma, horizon, runs, _stream(seed, 1))[:, :, -1]
    return PairResult(
        label=f"Councils' gross spend, {origin} → {target}",
        origin=origin,
        target=target,
        measure="gross current expenditure, £ (Tables 15 and 17)",
        codes=councils.codes,
        names=councils.names,
        base=councils.base,
        actual=councils.actual,
        bands=_bands(values),
        note=f"{int(councils.ons_demography.sum())} of {len(councils.codes)} councils with their own ONS demography; "
        f"model error σ = {national:.3f} per √year for England (fitted on England's years to {origin}) combined "
        f"with a median {np.median(idiosyncratic):.3f} for the council (fitted on the other councils, leave one out)",
        extra={"pit": _pit(values, councils.actual).tolist(), "horizon": horizon},
    )


def england_rolling(folder: Path, settings: ProjectionSettings, runs: int, seed: int, horizon: int) -> PairResult:
    """England's gross spend (Table 4, cash) projected `horizon` years from every published year, default bands."""
    from careflow.simulate.drivers import model_error_sigma

    series = england_series(folder)
    years = sorted(series)
    councils = council_spend(folder, settings, "2020-21", "2021-22", 1)
    growth = growth_factors(councils, settings, horizon, runs, _stream(seed, 2))[:, :, -1]
    england = (growth * councils.base[:, None]).sum(axis=0) / councils.base.sum()  # (runs,)
    sigma = model_error_sigma(settings, national=True)
    walk = error_walk(np.array([sigma]), horizon, runs, _stream(seed, 3))[0, :, -1]
    origins = [y for i, y in enumerate(years) if i + horizon < len(years)]
    base = np.array([series[y][0] for y in origins])
    actual = np.array([series[years[years.index(y) + horizon]][0] for y in origins])
    values = base[:, None] * (england * walk)[None, :]
    return PairResult(
        label=f"England's gross spend, {horizon} year{'s' if horizon > 1 else ''} ahead from each year",
        origin=origins[0],
        target=years[-1],
        measure="gross current expenditure, cash £ (Table 4)",
        codes=[f"{y} → {years[years.index(y) + horizon]}" for y in origins],
        names=["England"] * len(origins),
        base=base,
        actual=actual,
        bands=_bands(values),
        note=f"default bands (σ = {sigma:.3f} per √year, fitted on origins from 2015-16: those are in-sample); "
        "one spend mix (England's 2020-21) and today's default drivers for every origin",
        extra={"pit": _pit(values, actual).tolist(), "horizon": horizon},
    )


def activity_pair(folder: Path, settings: ProjectionSettings, runs: int, seed: int) -> PairResult:
    """Councils' clients in long-term support during the year (Table 2), 2019-20 → 2021-22, from demand drivers.

    Spend by council is not published for 2019-20 in these tables, so this pair checks the demand side. Its
    error term is sized on the earlier pair 2019-20 → 2020-21 (not the one scored) and grown with √years.
    """
    t2 = read_tables(folder, (2,))[2]
    heading = "Long Term Support during the year"
    by_year = {
        y: {a: t2.series(heading, age, y) for a, age in enumerate(("18 to 64", "65 and over"))}
        for y in ("2019-20", "2020-21", "2021-22")
    }
    codes = sorted(c for c in t2.names if c != ENGLAND and all(c in by_year[y][a] for y in by_year for a in (0, 1)))
    base_clients = np.array([[by_year["2019-20"][a][c] for a in (0, 1)] for c in codes])
    shell = council_spend(folder, settings, "2020-21", "2021-22", 2, codes=codes)
    keep = [codes.index(c) for c in shell.codes]
    codes, base_clients = shell.codes, base_clients[keep]
    # The spend shell's demography starts in 2020; this pair starts a year earlier, from ONS's 2019 projection.
    for i, code in enumerate(codes):
        rates = council_growth(Path(folder), code, 2019, 2)
        if rates is not None:
            shell.growth[i] = np.array([rates[b] for b in POPULATION_BANDS]).T
    drivers = sample_drivers(settings, 2, runs, _stream(seed, 4))
    demand = caseload_factors(demand_factors(shell, settings, drivers, monthly=True)[0])
    central_drivers = sample_drivers(settings, 2, 1, None)
    central_demand = caseload_factors(
        demand_factors(shell, settings.with_central_drivers(), central_drivers, monthly=True)[0]
    )
    first = np.array([[by_year["2020-21"][a][c] for a in (0, 1)] for c in codes]).sum(axis=1)
    departures = np.log(first / (base_clients * central_demand[:, 0, 0, :]).sum(axis=1))
    sigma = np.hypot(quantile_sigma(departures - np.median(departures)), np.median(departures))
    walk = error_walk(np.full(len(codes), sigma), 2, runs, _stream(seed, 5))[:, :, -1]
    values = np.einsum("na,nra->nr", base_clients, demand[:, :, -1, :]) * walk
    actual = np.array([[by_year["2021-22"][a][c] for a in (0, 1)] for c in codes]).sum(axis=1)
    return PairResult(
        label="Councils' clients in long-term support, 2019-20 → 2021-22",
        origin="2019-20",
        target="2021-22",
        measure="clients accessing long-term support during the year (Table 2), people",
        codes=codes,
        names=shell.names,
        base=base_clients.sum(axis=1),
        actual=actual,
        bands=_bands(values),
        note=f"demand drivers only (no prices), caseload lagging demand as in the flow model; error σ = {sigma:.3f} per √year sized on 2019-20 → 2020-21 "
        "(a different pair from the one scored), grown with √years",
        extra={"pit": _pit(values, actual).tolist(), "horizon": 2},
    )


@dataclass
class Backtest:
    """Every pair of years the published tables support, with the calibration that sized the bands."""

    runs: int
    seed: int
    calibration: Calibration
    pairs: list[PairResult]
    sources: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "random_seed": self.seed,
            "calibration": self.calibration.as_dict(),
            "pairs": [p.as_dict() for p in self.pairs],
            "sources": self.sources,
        }


def run_backtest(folder: Path, settings: ProjectionSettings, runs: int = 1000, seed: int = 0) -> Backtest:
    """All pairs: councils' spend 2020-21 → 2021-22, councils' clients 2019-20 → 2021-22, England 1 and 5 years."""
    folder = Path(folder)
    councils = council_spend(folder, settings, "2020-21", "2021-22", 1)
    pairs = [
        spend_pair(folder, settings, "2020-21", "2021-22", runs, seed),
        activity_pair(folder, settings, runs, seed),
        england_rolling(folder, settings, runs, seed, 1),
        england_rolling(folder, settings, runs, seed, 5),
    ]
    return Backtest(
        runs=runs,
        seed=seed,
        calibration=calibrate_model_error(folder, settings, councils),
        pairs=pairs,
        sources=[
            f"{TABLES_TITLE}: Tables 2, 4, 15, 17, 43, 44",
            "ONS, 2016-based subnational population projections (people aged 60+ by lower-tier area)",
            "ONS, lower-tier to upper-tier local authority lookup (December 2022)",
            "ONS, mid-year population estimates, mid-2016 and mid-2020 (MYE2)",
        ],
    )


def check_inputs(data: Path, runs: int, seed: int) -> None:
    """Every problem with the backtest's options and files at once, located; nothing runs until they are fixed."""
    from careflow.errors import InputError, Problem
    from careflow.simulate.demography import required_files
    from careflow.simulate.settings import MAX_RUNS

    problems: list[Problem] = []
    if not 1 <= runs <= MAX_RUNS:
        problems.append(Problem("--runs", f"{runs:,} runs", f"between 1 and {MAX_RUNS:,} runs"))
    if seed < 0:
        problems.append(Problem("--seed", f"{seed}", "a whole number, 0 or more"))
    problems += [
        Problem(str(Path(data) / name), "no such file", title)
        for name, title in required_files()
        if not (Path(data) / name).is_file()
    ]
    if problems:
        raise InputError(problems)
