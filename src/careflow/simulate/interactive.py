"""Warm what-ifs for a long-running process (the web app): one lever changed, baseline + scenario, answered at once.

A what-if re-uses, by content hash, what an earlier request already built: the flow model for a baseline and its
settings, the baseline scenario's runs (which no lever changes), and each scenario's plan, runs and waterfall.
Charts are the projection report's own, drawn straight to SVG from the numbers (`careflow.report.svg`). Results equal
`project()` for the same inputs and seed: the same blocks of the same random streams.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

from careflow.baseline.schema import Baseline
from careflow.scenario import Scenario
from careflow.simulate.levers import LeverPlan, lever_plan
from careflow.simulate.model import FlowModel, flow_model
from careflow.simulate.projection import (
    Projection,
    ScenarioResult,
    assemble,
    close_waterfall,
    expected_waterfall,
    run_scenarios,
    scenario_result,
)
from careflow.simulate.report import charts
from careflow.simulate.settings import ProjectionSettings

T = TypeVar("T")
CACHE_SIZE = 64  # entries per cache: a few councils × a few dozen what-ifs, each a few hundred kB


class _Cache:
    """A small thread-safe least-recently-used map; values are built outside the lock."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self.items: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, ...], build: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = build()
        self.put(key, value)
        return value

    def has(self, key: tuple[str, ...]) -> bool:
        with self.lock:
            return key in self.items

    def put(self, key: tuple[str, ...], value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_models, _plans, _results, _waterfalls = _Cache(), _Cache(), _Cache(), _Cache()
_background = ThreadPoolExecutor(thread_name_prefix="careflow-what-if")  # builds waterfalls beside the runs


def content_hash(obj: Any) -> str:
    """A key for a pydantic model's content (or None): equal content, equal key, whichever object holds it."""
    text = "null" if obj is None else obj.model_dump_json()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class WhatIf:
    """A projection of baseline and one scenario, with its charts as SVG text ready to inline in a page."""

    projection: Projection
    charts: dict[str, str]  # name → SVG: net_spend, caseload, waterfall, funding_gap


def what_if(
    baseline: Baseline,
    scenario: Scenario | None,
    settings: ProjectionSettings | None = None,
    *,
    name: str = "scenario",
    file: str = "scenario",
) -> WhatIf:
    """Project the baseline (no levers) and `scenario` side by side, re-using whatever earlier calls built."""
    settings = settings or ProjectionSettings(runs=100)
    kb, ks, kc = content_hash(baseline), content_hash(settings), content_hash(scenario)
    model: FlowModel = _models.get((kb, ks), lambda: flow_model(baseline, settings))

    def plan_of(key: str, chosen: Scenario | None) -> LeverPlan:
        return _plans.get((kb, ks, key), lambda: lever_plan(baseline, model, chosen, settings))

    keys = {"baseline": content_hash(None), name: kc}
    plans = {n: plan_of(key, None if n == "baseline" else scenario) for n, key in keys.items()}
    # The waterfall's expected path needs no runs: build it on a second thread while the runs are drawn (a warm
    # what-if draws one block of runs, on one core).
    expected = _background.submit(
        _waterfalls.get, (kb, ks, kc), lambda: expected_waterfall(model, plans[name], settings, model.annual_net())
    )
    missing = [n for n, key in keys.items() if not _results.has((kb, ks, key))]
    if missing:
        # Run whatever is not cached in one go, so both scenarios' blocks (on a cold start) share the threads.
        for n, runs in zip(missing, run_scenarios(model, [plans[n] for n in missing], settings), strict=True):
            _results.put((kb, ks, keys[n]), scenario_result(n, plans[n], runs))

    def rerun(n: str) -> ScenarioResult:  # only if another request evicted the entry meanwhile
        return scenario_result(n, plans[n], run_scenarios(model, [plans[n]], settings)[0])

    results = {n: replace(_results.get((kb, ks, key), partial(rerun, n)), name=n) for n, key in keys.items()}
    final_mean = results[name].series["net_spend_gbp"].mean[-1]
    steps = close_waterfall(expected.result(), final_mean, settings.years)
    projection = assemble(baseline, model, plans, results, settings, steps)
    return WhatIf(projection=projection, charts=charts(projection.result()))


def clear_caches() -> None:
    """Forget every cached model, plan, run and waterfall (for tests, or when memory matters more than speed)."""
    for cache in (_models, _plans, _results, _waterfalls):
        cache.clear()
