"""Projections: Monte Carlo runs of the flow model per scenario, summarised per year, with waterfall and funding gap.

Runs are drawn in blocks; block b of every scenario uses the random stream `SeedSequence(seed, spawn_key=(b,))`,
so the same seed gives the same result whether a projection runs alone, in a sweep or on another machine, and
baseline and optimised share their random numbers (their difference is not blurred by unrelated noise).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from careflow.baseline.schema import AGE_BANDS, SETTINGS, SUPPORT_REASONS, Baseline
from careflow.provenance import Provenance
from careflow.reference.bibliography import cite
from careflow.reference.national import CHALLENGING_TIMES
from careflow.scenario import LeverSettings, Scenario
from careflow.simulate.drivers import model_error_sigma, sample_drivers
from careflow.simulate.engine import Paths, simulate
from careflow.simulate.levers import LEVERS, LeverPlan, lever_plan
from careflow.simulate.model import FlowModel, flow_model
from careflow.simulate.results import ProjectionResult
from careflow.simulate.settings import (
    DEFAULT_INFLATION,
    INCOME_SOURCE,
    PIXEL_DEMAND_GROWTH,
    PIXEL_SOURCE,
    PIXEL_UNIT_COST_HIGH,
    PIXEL_UNIT_COST_LOW,
    ProjectionSettings,
    driver_sources,
)
from careflow.vocabulary import SETTING_LABEL, SUPPORT_REASON_LABEL

BLOCK = 250  # runs per random-number block: bounds memory and fixes the streams whatever the run count
PERCENTILES = (10, 50, 90)

# Series reported per year: name → (unit, description).
SERIES: dict[str, tuple[str, str]] = {
    "net_spend_gbp": ("£", "net spend on adult social care (gross less client and NHS income)"),
    "gross_spend_gbp": ("£", "gross spend on adult social care"),
    "requests": ("requests", "new requests for support"),
    "requests_18_64": ("requests", "new requests for support, aged 18-64"),
    "requests_65_plus": ("requests", "new requests for support, aged 65+"),
    "short_term_episodes": ("episodes", "short-term services (reablement) started"),
    "long_term_entrants": ("people", "people starting long-term support"),
    "care_home_admissions": ("people", "permanent admissions to residential and nursing care"),
    "long_term_exits": ("people", "people leaving long-term support (death, needs met, moved away)"),
    "caseload": ("people", "people in long-term support at the end of the year"),
    **{f"caseload_{s}": ("people", f"people in long-term {SETTING_LABEL[s]} at the end of the year") for s in SETTINGS},
    **{
        f"caseload_{a.replace('-', '_').replace('+', '_plus')}_{r}": (
            "people",
            f"people in long-term support at year end, aged {a}, {SUPPORT_REASON_LABEL[r]}",
        )
        for a in AGE_BANDS
        for r in SUPPORT_REASONS
    },
    "kept_out_of_long_term_support": ("people", "older people a better short-term offer kept out of long-term support"),
    "in_more_independent_setting": ("people", "people diverted from a care home or moved out of residential care"),
    "on_reduced_hours": ("people", "clients whose package hours a lever has cut"),
    "more_independent_outcomes": ("people", "people with a more independent outcome than in the baseline"),
}


@dataclass
class SeriesSummary:
    unit: str
    p10: list[float]
    p50: list[float]
    p90: list[float]
    mean: list[float]

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "p10": self.p10, "p50": self.p50, "p90": self.p90, "mean": self.mean}


@dataclass
class ScenarioResult:
    name: str
    levers: list[str]
    series: dict[str, SeriesSummary]
    runs_net: np.ndarray  # (runs, years) net spend per run, for fan charts and the funding gap


@dataclass
class Projection:
    council: str
    financial_year: str
    synthetic: bool
    years: list[str]
    settings: ProjectionSettings
    base_net_gbp: float
    base_gross_gbp: float
    scenarios: dict[str, ScenarioResult]
    waterfall: dict[str, Any]
    funding_gap: dict[str, Any]
    assumptions: dict[str, Provenance] = field(default_factory=dict)
    model_error_sigma: float = 0.0  # σ per √year of the model-error random walk on spend, as used

    def as_dict(self) -> dict[str, Any]:
        return {
            "levers_applied": {name: s.levers for name, s in self.scenarios.items()},
            "baseline": self.council,
            "financial_year": self.financial_year,
            "synthetic": self.synthetic,
            "years": self.years,
            "runs": self.settings.runs,
            "random_seed": self.settings.seed,
            "settings": self.settings.model_dump(mode="json", exclude={"runs", "seed", "years"}),
            "base_year": {"net_spend_gbp": self.base_net_gbp, "gross_spend_gbp": self.base_gross_gbp},
            "scenarios": {
                name: {"levers": s.levers, "series": {k: v.as_dict() for k, v in s.series.items()}}
                for name, s in self.scenarios.items()
            },
            "model_error_sigma_per_sqrt_year": self.model_error_sigma,
            "waterfall": self.waterfall,
            "funding_gap": self.funding_gap,
            "assumptions": {k: v.model_dump(mode="json") for k, v in self.assumptions.items()},
        }

    def result(self) -> ProjectionResult:
        """The typed result (bands, waterfall, funding gap, assumptions) without the per-run arrays."""
        return ProjectionResult.model_validate(self.as_dict())


def financial_years(first: str, count: int) -> list[str]:
    start = int(first[:4])
    return [f"{start + i}/{(start + i + 1) % 100:02d}" for i in range(1, count + 1)]


def per_run_series(model: FlowModel, paths: Paths) -> dict[str, np.ndarray]:
    """The reported series for each run: name → (runs, years)."""
    cells = model.cells
    caseload = paths.caseload
    series: dict[str, np.ndarray] = {
        "net_spend_gbp": paths.net,
        "gross_spend_gbp": paths.gross,
        "requests": paths.requests.sum(axis=2),
        "requests_18_64": paths.requests[:, :, 0],
        "requests_65_plus": paths.requests[:, :, 1],
        "short_term_episodes": paths.short_term.sum(axis=2),
        "long_term_entrants": paths.entrants.sum(axis=2),
        "care_home_admissions": paths.admissions.sum(axis=2),
        "long_term_exits": paths.exits,
        "caseload": caseload.sum(axis=2),
    }
    for s in SETTINGS:
        series[f"caseload_{s}"] = caseload[:, :, cells.mask(settings=(s,))].sum(axis=2)
    reason = np.array(cells.reason)
    for a, band in enumerate(AGE_BANDS):
        for r in SUPPORT_REASONS:
            key = f"caseload_{band.replace('-', '_').replace('+', '_plus')}_{r}"
            series[key] = caseload[:, :, (cells.age == a) & (reason == r)].sum(axis=2)
    lever_cells = cells.mask(kind="diverted") | cells.mask(kind="moved")
    series["kept_out_of_long_term_support"] = paths.avoided
    series["in_more_independent_setting"] = caseload[:, :, lever_cells].sum(axis=2)
    series["on_reduced_hours"] = paths.reduced_hours
    series["more_independent_outcomes"] = (
        series["kept_out_of_long_term_support"] + series["in_more_independent_setting"] + series["on_reduced_hours"]
    )
    return series


def summarise(values: np.ndarray, unit: str) -> SeriesSummary:
    p10, p50, p90 = np.percentile(values, PERCENTILES, axis=0)
    return SeriesSummary(unit, p10.tolist(), p50.tolist(), p90.tolist(), values.mean(axis=0).tolist())


def _block(model: FlowModel, plan: LeverPlan, settings: ProjectionSettings, block: int) -> dict[str, np.ndarray]:
    """Block `block` of a scenario's runs, from its own random stream: the per-run series."""
    start = block * BLOCK
    runs = min(BLOCK, settings.runs - start)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(settings.seed, spawn_key=(block,))))
    # Growth drivers come from a stream of their own, so every scenario of a projection shares them. The
    # model-error term multiplies money only: it stands for what the model leaves out, not for more people.
    driver_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(settings.seed, spawn_key=(block, 1))))
    drivers = sample_drivers(settings, settings.years, runs, driver_rng, national=model.national)
    paths = simulate(model, plan, settings.years, runs, rng, drivers=drivers)
    costs = settings.shock_totals("cost")  # one-off costs are known sums: no model error on them
    paths.net = paths.net * drivers.error + costs
    paths.gross = paths.gross * drivers.error + costs
    return {name: values.astype(np.float64) for name, values in per_run_series(model, paths).items()}


def run_scenarios(
    model: FlowModel,
    plans: list[LeverPlan],
    settings: ProjectionSettings,
    on_block: Callable[[int], None] | None = None,
    threads: int | None = None,
) -> list[dict[str, np.ndarray]]:
    """All runs of each scenario, in blocks with their own random streams; the per-run series, one dict per plan.

    Blocks run on `threads` threads (default: one per core): numpy's generator
    releases the GIL while it draws, which is most of the work. Every block has its own stream, so the result
    does not depend on the number of threads.
    """
    jobs = [(p, b) for p in range(len(plans)) for b in range((settings.runs + BLOCK - 1) // BLOCK)]
    workers = min(threads or os.cpu_count() or 1, len(jobs))
    done: list[dict[str, np.ndarray]] = []
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        pending = [pool.submit(_block, model, plans[p], settings, b) if pool else None for p, b in jobs]
        for (p, b), future in zip(jobs, pending, strict=True):
            done.append(future.result() if future else _block(model, plans[p], settings, b))
            if on_block:
                on_block(min(BLOCK, settings.runs - b * BLOCK))
    results: list[dict[str, list[np.ndarray]]] = [{} for _ in plans]
    for (p, _), series in zip(jobs, done, strict=True):
        for name, values in series.items():
            results[p].setdefault(name, []).append(values)
    return [{name: np.concatenate(parts, axis=0) for name, parts in r.items()} for r in results]


def run_scenario(
    model: FlowModel,
    plan: LeverPlan,
    settings: ProjectionSettings,
    on_block: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """All runs of one scenario (see `run_scenarios`)."""
    return run_scenarios(model, [plan], settings, on_block)[0]


def waterfall(
    model: FlowModel, plan: LeverPlan, settings: ProjectionSettings, base_net: float, runs_mean_final: float
) -> dict[str, Any]:
    """Base-year net spend to the final year's mean over the runs (the summary's figure), one named step at a time:
    drivers on the expected path at central effects, then the runs' variation around that path."""
    return close_waterfall(expected_waterfall(model, plan, settings, base_net), runs_mean_final, settings.years)


@dataclass(frozen=True)
class ExpectedWaterfall:
    """The waterfall's steps on the expected path; it needs no runs, so it can be built while they are drawn."""

    steps: list[dict[str, Any]]
    final_gbp: float  # the expected path's final-year net spend, one-off costs included


def expected_waterfall(
    model: FlowModel, plan: LeverPlan, settings: ProjectionSettings, base_net: float
) -> ExpectedWaterfall:
    """From base-year net spend along the expected path at central effects, one driver and lever at a time."""
    from dataclasses import replace

    years = settings.years
    levers = [lever for lever in LEVERS if lever in plan.enabled]
    none: frozenset[str] = frozenset()
    variants = [(False, False, none), (True, False, none), (True, True, none)]
    variants += [(True, True, frozenset(levers[: i + 1])) for i in range(len(levers))]
    finals = simulate(model, plan, years, 1, None, variants=variants).net[:, -1]
    # The short-term lever in two parts, as the opportunity model shows it: the offset on long-term care, then
    # the cost of the extra episodes (when charged).
    split = "short_term_services" in levers and plan.cost_extra_short_term
    if split:
        upto = frozenset(levers[: levers.index("short_term_services") + 1])
        uncharged = replace(plan, cost_extra_short_term=False)
        offset_final = float(simulate(model, uncharged, years, 1, None, variants=[(True, True, upto)]).net[0, -1])
    names = ["demography and need per head", "unit-cost growth", *levers]
    steps = [{"step": "base-year net spend", "gbp": base_net, "kind": "start"}]
    if abs(finals[0] - base_net) > 1e-6 * max(base_net, 1.0):
        steps.append({"step": "calibration", "gbp": float(finals[0] - base_net), "kind": "change"})
    for i, name in enumerate(names):
        if split and name == "short_term_services":
            steps.append({"step": name, "gbp": offset_final - float(finals[i]), "kind": "change"})
            steps.append(
                {
                    "step": "short-term services: cost of the extra episodes",
                    "gbp": float(finals[i + 1]) - offset_final,
                    "kind": "change",
                }
            )
            continue
        steps.append({"step": name, "gbp": float(finals[i + 1] - finals[i]), "kind": "change"})
    expected_final = float(finals[-1])
    for shock in settings.shocks:
        if shock.kind == "cost" and shock.year == years:
            steps.append({"step": f"one-off cost: {shock.label}", "gbp": shock.amount_gbp, "kind": "change"})
            expected_final += shock.amount_gbp
    return ExpectedWaterfall(steps, expected_final)


def close_waterfall(expected: ExpectedWaterfall, runs_mean_final: float, years: int) -> dict[str, Any]:
    """The expected path's steps, then the runs' variation around it, ending at the runs' final-year mean."""
    steps = [
        *expected.steps,
        {
            "step": "variation across runs (their mean less the expected path)",
            "gbp": runs_mean_final - expected.final_gbp,
            "kind": "change",
        },
        {"step": f"net spend in year {years}", "gbp": runs_mean_final, "kind": "end"},
    ]
    return {
        "note": "each step adds one driver to the ones before it, on the expected path at central effects; the last "
        "step moves to the mean of the runs, so the bridge ends at the summary's final-year figure",
        "steps": steps,
    }


def funding_gap(
    settings: ProjectionSettings, base_net: float, scenarios: dict[str, np.ndarray], years: list[str]
) -> dict[str, Any]:
    """Income projected line by line against projected net spend; plus Pixel's quick view of spend growth."""
    t = np.arange(1, settings.years + 1)
    base_income = base_net if settings.base_year_income_gbp is None else settings.base_year_income_gbp
    lines = {
        name: (base_income * line.share * (1 + line.growth) ** t).tolist() for name, line in settings.income.items()
    }
    for shock in settings.shocks:
        if shock.kind == "income":  # a temporary grant: income in its year only
            one_off = np.zeros(settings.years)
            one_off[shock.year - 1] = shock.amount_gbp
            lines[f"one-off: {shock.label}"] = one_off.tolist()
    income = np.sum([np.array(v) for v in lines.values()], axis=0) if lines else np.zeros(settings.years)
    gaps = {}
    for name, net in scenarios.items():
        gap = net - income[None, :]
        gaps[name] = summarise(gap, "£").as_dict()
    fixed = settings.unit_cost_inflation
    unit_cost_central = fixed.central if fixed is not None else DEFAULT_INFLATION
    quick = {
        label: (base_net * (1 + PIXEL_DEMAND_GROWTH + cost) ** t).tolist()
        for label, cost in (
            ("low", PIXEL_UNIT_COST_LOW),
            ("central", unit_cost_central),
            ("high", PIXEL_UNIT_COST_HIGH),
        )
    }
    return {
        "years": years,
        "income": {"lines": lines, "total": income.tolist()},
        "scenarios": gaps,
        "quick": {
            "method": "spend grows at demand growth (2.0%) + unit-cost growth (2–3%) a year ("
            + cite(CHALLENGING_TIMES, "L266")
            + ")",
            "spend": quick,
            "gap": {k: (np.array(v) - income).tolist() for k, v in quick.items()},
        },
        "shocks": [shock.model_dump(mode="json") for shock in settings.shocks],
        "note": "gap = projected net spend − projected income; positive means spend exceeds income",
        "base_year": {
            "income_gbp": base_income,
            "assumed": settings.base_year_income_gbp is None,
            "statement": (
                f"Base-year income is assumed to equal base-year net spend (£{base_income / 1e6:,.1f}m, a balanced "
                "budget), so the gap starts at zero; set projection: base_year_income_gbp in the scenario file to "
                "start from your council's actual income."
                if settings.base_year_income_gbp is None
                else f"Base-year income £{base_income / 1e6:,.1f}m, as set in the scenario (base-year net spend "
                f"£{base_net / 1e6:,.1f}m)."
            ),
        },
    }


BUILT_IN_SCENARIOS = ("baseline", "optimised")


def scenario_for(name: str) -> Scenario | None:
    """The built-in scenarios: `baseline` (no levers) and `optimised` (all six at the opportunity defaults)."""
    if name == "baseline":
        return None
    if name == "optimised":
        return Scenario(
            name="optimised",
            description="the six levers of the optimised delivery model, defaults",
            levers={lever: LeverSettings() for lever in LEVERS},
        )
    raise ValueError(f"unknown built-in scenario {name!r}")


def scenario_result(name: str, plan: LeverPlan, runs: dict[str, np.ndarray]) -> ScenarioResult:
    """One scenario's runs summarised per year (P10, P50, P90, mean)."""
    return ScenarioResult(
        name=name,
        levers=[lever for lever in LEVERS if lever in plan.enabled],
        series={key: summarise(values, SERIES[key][0]) for key, values in runs.items()},
        runs_net=runs["net_spend_gbp"],
    )


def assemble(
    baseline: Baseline,
    model: FlowModel,
    plans: dict[str, LeverPlan],
    results: dict[str, ScenarioResult],
    settings: ProjectionSettings,
    steps: dict[str, Any],
) -> Projection:
    """The projection from its parts: scenario results, the last scenario's waterfall `steps`, and the funding gap."""
    base_net = model.annual_net()
    years = financial_years(baseline.council.financial_year, settings.years)
    chosen = list(plans)[-1]
    assumptions: dict[str, Provenance] = {
        **model.notes,
        **plans[chosen].notes,
        **driver_sources(),
        "income": INCOME_SOURCE,
        "pixel_quick_mode": PIXEL_SOURCE,
    }
    return Projection(
        council=baseline.council.name,
        financial_year=baseline.council.financial_year,
        synthetic=baseline.council.synthetic,
        years=years,
        settings=settings,
        base_net_gbp=base_net,
        base_gross_gbp=baseline.gross_spend(),
        scenarios=results,
        waterfall={"scenario": chosen, **steps},
        funding_gap=funding_gap(settings, base_net, {n: r.runs_net for n, r in results.items()}, years),
        assumptions=assumptions,
        model_error_sigma=model_error_sigma(settings, model.national),
    )


def project(
    baseline: Baseline,
    scenarios: list[tuple[str, Scenario | None]],
    settings: ProjectionSettings,
    on_block: Callable[[int], None] | None = None,
) -> Projection:
    """Project each (name, scenario) — None is the baseline, no levers; summaries, waterfall of the last, funding gap."""
    model = flow_model(baseline, settings)
    plans = {name: lever_plan(baseline, model, scenario, settings) for name, scenario in scenarios}
    runs = run_scenarios(model, list(plans.values()), settings, on_block)
    results = {name: scenario_result(name, plan, r) for (name, plan), r in zip(plans.items(), runs, strict=True)}
    last = list(plans)[-1]
    final_mean = results[last].series["net_spend_gbp"].mean[-1]
    steps = waterfall(model, plans[last], settings, model.annual_net(), final_mean)
    return assemble(baseline, model, plans, results, settings, steps)
