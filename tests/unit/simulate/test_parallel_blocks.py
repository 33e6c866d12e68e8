"""Blocks of runs may run on several threads: the per-run results must not depend on how many."""

from __future__ import annotations

import numpy as np

from careflow.baseline.demo import demoshire
from careflow.simulate.levers import lever_plan
from careflow.simulate.model import flow_model
from careflow.simulate.projection import BLOCK, run_scenarios, scenario_for
from careflow.simulate.settings import ProjectionSettings


def test_thread_count_does_not_change_any_run() -> None:
    baseline = demoshire()
    settings = ProjectionSettings(years=2, runs=BLOCK + 10, seed=5)  # two blocks, the second a short one
    model = flow_model(baseline, settings)
    plans = [lever_plan(baseline, model, scenario_for(name), settings) for name in ("baseline", "optimised")]
    serial = run_scenarios(model, plans, settings, threads=1)
    parallel = run_scenarios(model, plans, settings, threads=2)
    for one, two in zip(serial, parallel, strict=True):
        assert one.keys() == two.keys()
        for name in one:
            assert one[name].shape == (BLOCK + 10, 2)
            np.testing.assert_array_equal(one[name], two[name], err_msg=name)
    # The two scenarios share their random streams but not their results.
    assert not np.array_equal(serial[0]["net_spend_gbp"], serial[1]["net_spend_gbp"])
