"""Flow-model benchmarks W1, W1-interactive and W2: wall time (median of repeats) and peak memory, as JSON and a table.

Each workload runs in its own child process so its peak resident memory is its own. Run with
`make bench` or `.venv/bin/python benchmarks/run.py [--quick] [--json PATH]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

GOALS = {"W1": 5.0, "W1-interactive": 0.5, "W2-2-workers": 120.0}
MEMORY_GOAL_MIB = 1024


def w1(runs: int, scenarios: int) -> float:
    from careflow.baseline.demo import demoshire
    from careflow.simulate.projection import project, scenario_for
    from careflow.simulate.settings import ProjectionSettings

    baseline = demoshire()
    chosen = [("baseline", None), ("optimised", scenario_for("optimised"))][2 - scenarios :]
    started = time.perf_counter()
    project(baseline, chosen, ProjectionSettings(years=10, runs=runs, seed=1))
    return time.perf_counter() - started


def w2(workers: int, councils: int, runs: int) -> float:
    from careflow.simulate.projection import scenario_for
    from careflow.simulate.settings import ProjectionSettings
    from careflow.simulate.sweep import Task, dask_client, run_sweep, scaled_england

    settings = ProjectionSettings(years=10, runs=runs, seed=1)
    tasks = [
        Task(b, name, scenario_for(name), settings)
        for b in scaled_england(councils)
        for name in ("baseline", "optimised")
    ]
    with dask_client(workers) as client:
        client.run(lambda: __import__("careflow.simulate.projection"))  # warm the workers' imports
        started = time.perf_counter()
        run_sweep(tasks, client=client)
        return time.perf_counter() - started


def _burn(_: int) -> int:
    total = 0
    for i in range(10_000_000):
        total += i
    return total


def parallel_capacity() -> float:
    """The same pure-CPU work in 1 and then 2 processes: the speed-up this machine offers right now (≤ 2)."""
    import multiprocessing

    started = time.perf_counter()
    _burn(0)
    _burn(1)
    one = time.perf_counter() - started
    with multiprocessing.Pool(2) as pool:
        started = time.perf_counter()
        pool.map(_burn, [0, 1])
        two = time.perf_counter() - started
    return one / two


def child(name: str, args: dict[str, Any]) -> None:
    """Run one workload in this process; print its time and peak memory as JSON."""
    seconds = {"w1": w1, "w2": w2}[name](**args)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "worker_peak_mib": children_kib / 1024}))


def measure(name: str, args: dict[str, Any], repeats: int) -> dict[str, Any]:
    samples = []
    for _ in range(repeats):
        run = subprocess.run(
            [sys.executable, __file__, "--child", name, json.dumps(args)], capture_output=True, text=True, check=True
        )
        samples.append(json.loads(run.stdout.strip().splitlines()[-1]))
    return {
        "seconds_median": statistics.median(s["seconds"] for s in samples),
        "seconds_all": [round(s["seconds"], 3) for s in samples],
        "peak_mib": max(s["peak_mib"] for s in samples),
        "worker_peak_mib": max(s["worker_peak_mib"] for s in samples),
        "repeats": repeats,
        "args": args,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "ARGS"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="smaller W2 (20 councils) for a fast check")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"), help="where to write results")
    options = parser.parse_args()
    if options.child:
        child(options.child[0], json.loads(options.child[1]))
        return

    councils = 20 if options.quick else 150
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "workloads": {},
    }
    plan = [
        ("W1", "w1", {"runs": 1000, "scenarios": 2}, 5),
        ("W1-interactive", "w1", {"runs": 100, "scenarios": 1}, 7),
        ("W2-1-worker", "w2", {"workers": 1, "councils": councils, "runs": 200}, 1),
        ("W2-2-workers", "w2", {"workers": 2, "councils": councils, "runs": 200}, 1),
    ]
    for label, name, args, repeats in plan:
        print(f"running {label} …", file=sys.stderr, flush=True)
        results["workloads"][label] = measure(name, args, repeats)
    work = results["workloads"]
    results["machine"]["parallel_capacity_2_processes"] = parallel_capacity()
    work["W2-2-workers"]["speed_up_vs_1_worker"] = (
        work["W2-1-worker"]["seconds_median"] / work["W2-2-workers"]["seconds_median"]
    )
    for label, goal in GOALS.items():
        work[label]["goal_seconds"] = goal
        work[label]["ratio_to_goal"] = work[label]["seconds_median"] / goal
    work["W1"]["memory_goal_mib"] = MEMORY_GOAL_MIB
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    print(f"{'workload':<16}{'median s':>10}{'goal s':>8}{'ratio':>7}{'peak MiB':>10}  notes")
    for label, w in work.items():
        goal = w.get("goal_seconds")
        notes = f"speed-up ×{w['speed_up_vs_1_worker']:.2f} vs 1 worker" if "speed_up_vs_1_worker" in w else ""
        if label.startswith("W2"):
            notes += f" (worker peak {w['worker_peak_mib']:.0f} MiB)"
        print(
            f"{label:<16}{w['seconds_median']:>10.3f}{goal if goal else '':>8}"
            f"{(w['ratio_to_goal'] if goal else float('nan')):>7.2f}{w['peak_mib']:>10.0f}  {notes}"
        )
    print(
        f"control: pure-CPU work in 2 processes ran ×{results['machine']['parallel_capacity_2_processes']:.2f} faster"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
