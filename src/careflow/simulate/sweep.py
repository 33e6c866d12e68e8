"""Sweeps: many baselines × scenarios projected on a Dask cluster (local by default), same results as alone.

Each task is one baseline × one scenario, projected with the same seed and the same random streams as `project`
alone, so a task's result does not depend on where or alongside what it ran. Tasks go to the cluster in batches
— a few per worker, seconds to minutes of work each — so the scheduler's cost per Dask task stays small; within
a batch, each council's flow model is built once and its scenarios share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from careflow.baseline.schema import Baseline
from careflow.scenario import Scenario
from careflow.simulate.levers import lever_plan
from careflow.simulate.model import flow_model
from careflow.simulate.projection import Projection, assemble, project, run_scenarios, scenario_result, waterfall
from careflow.simulate.settings import ProjectionSettings


@dataclass(frozen=True)
class Task:
    baseline: Baseline
    scenario_name: str
    scenario: Scenario | None
    settings: ProjectionSettings


def summary(projection: Projection) -> dict[str, Any]:
    """What a sweep keeps of one projection: yearly net spend and caseload bands, waterfall and funding gap."""
    data = projection.as_dict()
    keep = ("net_spend_gbp", "gross_spend_gbp", "caseload", "requests", "more_independent_outcomes")
    return {
        "baseline": data["baseline"],
        "financial_year": data["financial_year"],
        "years": data["years"],
        "runs": data["runs"],
        "random_seed": data["random_seed"],
        "base_year": data["base_year"],
        "scenarios": {
            name: {"levers": s["levers"], "series": {k: v for k, v in s["series"].items() if k in keep}}
            for name, s in data["scenarios"].items()
        },
        "waterfall": data["waterfall"],
        "funding_gap": {k: v for k, v in data["funding_gap"].items() if k in ("income", "scenarios")},
    }


def run_task(task: Task) -> dict[str, Any]:
    """Project one baseline under one scenario, alone."""
    result = project(task.baseline, [(task.scenario_name, task.scenario)], task.settings)
    return {"scenario": task.scenario_name, **summary(result)}


def run_batch(tasks: list[Task]) -> list[dict[str, Any]]:
    """Project a batch of tasks on one core (the unit of work a worker runs); each result equals `run_task`'s.

    Consecutive tasks on the same baseline and settings share one flow model and one call to the engine.
    """
    results: list[dict[str, Any]] = []
    start = 0
    while start < len(tasks):
        first = tasks[start]
        end = start + 1
        while end < len(tasks) and tasks[end].baseline is first.baseline and tasks[end].settings == first.settings:
            end += 1
        group = tasks[start:end]
        model = flow_model(first.baseline, first.settings)
        plans = [lever_plan(first.baseline, model, t.scenario, t.settings) for t in group]
        runs = run_scenarios(model, plans, first.settings, threads=1)
        for task, plan, r in zip(group, plans, runs, strict=True):
            result = scenario_result(task.scenario_name, plan, r)
            final_mean = result.series["net_spend_gbp"].mean[-1]
            steps = waterfall(model, plan, task.settings, model.annual_net(), final_mean)
            projection = assemble(
                task.baseline, model, {task.scenario_name: plan}, {task.scenario_name: result}, task.settings, steps
            )
            results.append({"scenario": task.scenario_name, **summary(projection)})
        start = end
    return results


def batches(tasks: list[Task], slots: int, per_slot: int = 4) -> list[list[Task]]:
    """Contiguous batches, about `per_slot` for each worker thread, so the last batch finishing late costs little."""
    count = max(1, min(len(tasks), slots * per_slot))
    size = -(-len(tasks) // count)
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None) -> Iterator[Any]:
    """A client on an existing scheduler, or on a local cluster of `workers` single-threaded processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="10s") as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_sweep(
    tasks: list[Task],
    workers: int = 2,
    scheduler: str | None = None,
    on_done: Callable[[int], None] | None = None,
    client: Any = None,
) -> list[dict[str, Any]]:
    """Run every task on the cluster; results come back in task order."""
    from dask.distributed import as_completed

    def _run(c: Any) -> list[dict[str, Any]]:
        chunks = batches(tasks, max(sum(c.nthreads().values()), 1))
        futures = c.map(run_batch, chunks, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[list[dict[str, Any]]] = [[] for _ in chunks]
        for future in as_completed(futures):
            i = index[future.key]
            results[i] = future.result()
            if on_done:
                on_done(len(chunks[i]))
        return [r for chunk in results for r in chunk]

    if client is not None:
        return _run(client)
    with dask_client(workers, scheduler) as c:
        return _run(c)


def scaled_england(count: int) -> list[Baseline]:
    """`count` council-sized variants of the England baseline (each a share of England), for national sweeps."""
    from careflow.baseline.england import england_2019_20

    england = england_2019_20()
    variants = []
    for i in range(count):
        # Shares spread evenly between half and twice an average council's (1/count of England).
        share = (0.5 + 1.5 * i / max(count - 1, 1)) / count
        variants.append(scale_baseline(england, share, f"England variant {i + 1} ({share:.4%} of England)"))
    return variants


def scale_baseline(baseline: Baseline, share: float, name: str) -> Baseline:
    """A baseline with every count and £ total scaled by `share` (rates, unit costs and shares unchanged)."""

    def scaled(rows: list[Any], fields: tuple[str, ...]) -> list[Any]:
        out = []
        for row in rows:
            updates = {}
            for f in fields:
                value = getattr(row, f)
                if value is not None:
                    updates[f] = value * share if f.endswith("_gbp") else float(round(value * share))
            out.append(row.model_copy(update=updates))
        return out

    return baseline.model_copy(
        update={
            "council": baseline.council.model_copy(update={"name": name, "synthetic": True}),
            "population": scaled(baseline.population, ("people",)),
            "requests": scaled(baseline.requests, ("requests",)),
            "request_outcomes": scaled(baseline.request_outcomes, ("requests",)),
            "short_term": scaled(baseline.short_term, ("episodes",)),
            "long_term": scaled(baseline.long_term, ("clients",)),
            "admissions": scaled(baseline.admissions, ("admissions", "from_hospital")),
            "other_spend": scaled(baseline.other_spend, ("gross_gbp", "income_gbp")),
            "long_term_leavers": scaled(baseline.long_term_leavers, ("leavers",)),
        }
    )
