"""Sweeps on a real Dask LocalCluster (loopback): results equal running each projection alone."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from dask.distributed import Client, LocalCluster

from careflow.baseline.demo import demoshire
from careflow.console import to_json
from careflow.services.schemas import result_schema
from careflow.simulate.projection import scenario_for
from careflow.simulate.settings import ProjectionSettings
from careflow.simulate.sweep import Task, batches, run_batch, run_sweep, run_task, scaled_england
from cli_runner import run_careflow


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def test_sweep_results_equal_running_each_task_alone(client) -> None:
    settings = ProjectionSettings(years=2, runs=30, seed=9)
    baselines = [demoshire(), *scaled_england(2)]
    tasks = [Task(b, name, scenario_for(name), settings) for b in baselines for name in ("baseline", "optimised")]
    swept = run_sweep(tasks, client=client)
    assert [r["baseline"] for r in swept] == [t.baseline.council.name for t in tasks]
    assert [r["scenario"] for r in swept] == [t.scenario_name for t in tasks]
    for task, result in zip(tasks, swept, strict=True):
        assert to_json(result) == to_json(run_task(task))


def test_scaled_england_variants_are_council_sized_and_distinct() -> None:
    variants = scaled_england(3)
    clients = [v.clients() for v in variants]
    assert clients[0] < clients[1] < clients[2]
    assert all(v.council.synthetic for v in variants)


def test_sweep_command_on_a_local_cluster(tmp_path: Path) -> None:
    run = run_careflow("sweep", "--baseline", "demo", "--england-variants", "1",
         "--years", "1", "--runs", "10", "--workers", "1", "--grid", "unit_cost_inflation=0.0,0.1",
         "--json", "--out", str(tmp_path / "sweep"))  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert len(data["tasks"]) == 8
    jsonschema.validate(data, result_schema("sweep"))  # the published schema of `careflow sweep --json`
    assert [row["scenario"] for row in data["final_year"]] == [t["scenario"] for t in data["tasks"]]
    demo = {t["scenario"]: t for t in data["tasks"] if t["baseline"].startswith("Demoshire")}
    low = demo["optimised [unit_cost_inflation=0]"]["scenarios"]["optimised [unit_cost_inflation=0]"]
    high = demo["optimised [unit_cost_inflation=0.1]"]["scenarios"]["optimised [unit_cost_inflation=0.1]"]
    assert high["series"]["net_spend_gbp"]["mean"][0] > 1.09 * low["series"]["net_spend_gbp"]["mean"][0]
    assert (tmp_path / "sweep" / "sweep.xlsx").exists()
    bad = run_careflow("sweep", "--baseline", "demo", "--scheduler", "localhost:1")  # fmt: skip
    assert bad.returncode == 2 and "--scheduler" in bad.stderr and "Traceback" not in bad.stderr


def test_parameter_grid_gives_every_combination_and_rejects_unknown_names() -> None:
    from careflow.errors import InputError
    from careflow.services import parse_grid

    points = parse_grid(["unit_cost_inflation=0.02,0.03", "population_growth.85+=0.01,0.02,0.04"])
    assert len(points) == 6
    assert {"unit_cost_inflation": 0.03, "population_growth.85+": 0.04} in points
    with pytest.raises(InputError) as error:
        parse_grid(["inflation=0.02", "benefit_years=two"])
    assert [p.column or p.file for p in error.value.problems] == ["--grid", "--grid"]
    assert "inflation" in error.value.problems[0].found and "two" in error.value.problems[1].found


def test_sweep_on_an_existing_scheduler_by_address(client) -> None:
    address = client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    task = Task(demoshire(), "optimised", scenario_for("optimised"), ProjectionSettings(years=1, runs=10, seed=2))
    [result] = run_sweep([task], scheduler=address)
    assert to_json(result) == to_json(run_task(task))


def test_batches_keep_order_and_cover_every_task() -> None:
    settings = ProjectionSettings(years=1, runs=5, seed=1)
    tasks = [Task(b, n, scenario_for(n), settings) for b in scaled_england(7) for n in ("baseline", "optimised")]
    for slots in (1, 2, 3, 100):
        chunks = batches(tasks, slots)
        assert [t for chunk in chunks for t in chunk] == tasks
        assert len(chunks) <= max(1, slots * 4)
        assert max(map(len, chunks)) - min(map(len, chunks)) <= max(map(len, chunks)) // 2 + 1


def test_a_batch_sharing_each_councils_model_equals_running_each_task_alone() -> None:
    settings = ProjectionSettings(years=2, runs=20, seed=4)
    tasks = [
        Task(b, n, scenario_for(n), settings)
        for b in [demoshire(), *scaled_england(1)]
        for n in ("baseline", "optimised")
    ]
    assert [to_json(r) for r in run_batch(tasks)] == [to_json(run_task(t)) for t in tasks]
