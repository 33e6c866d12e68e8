"""Growth drivers: sampled from their ranges by default, fixed when the scenario fixes them; error grows as σ√t."""

from __future__ import annotations

import numpy as np
import pytest

from careflow.simulate.drivers import sample_drivers
from careflow.simulate.settings import (
    DEFAULT_GROWTH,
    MODEL_ERROR_COUNCIL,
    MODEL_ERROR_NATIONAL,
    UNIT_COST_GROUPS,
    ProjectionSettings,
)


def test_every_driver_is_sampled_within_its_range_by_default() -> None:
    drivers = sample_drivers(ProjectionSettings(), 3, 2000, np.random.default_rng(1))
    growth_85 = drivers.population_growth[:, 0, 3]
    default = DEFAULT_GROWTH["85+"]
    assert growth_85.std() > 0 and default.low <= growth_85.min() and growth_85.max() <= default.high  # type: ignore[union-attr,operator]
    first_year_prices = drivers.unit_cost_index[:, 0, :] - 1.0
    assert (first_year_prices.std(axis=0) > 0).all()
    assert drivers.per_head.std(axis=0).min() > 0 and drivers.other_trend.std() > 0
    assert drivers.error.std() > 0


def test_a_scenario_can_fix_any_driver() -> None:
    settings = ProjectionSettings.model_validate(
        {
            "population_growth": {"18-64": 0.0, "65-74": 0.01, "75-84": 0.02, "85+": 0.03},
            "unit_cost_growth": {g: 0.04 for g in UNIT_COST_GROUPS},
            "working_age_trend": 0.01,
            "older_trend": 0.0,
            "other_spend_trend": 0.0,
            "model_error": 0,
        }
    )
    drivers = sample_drivers(settings, 2, 50, np.random.default_rng(2))
    np.testing.assert_array_equal(drivers.population_growth[:, 1], [[0.0, 0.01, 0.02, 0.03]] * 50)
    np.testing.assert_allclose(drivers.unit_cost_index[:, 1, :], 1.04**2)
    np.testing.assert_array_equal(drivers.error, 1.0)
    # One rate for every setting, as before the settings were split.
    one_rate = sample_drivers(
        ProjectionSettings.model_validate({"unit_cost_inflation": 0.025}), 1, 3, np.random.default_rng(3)
    )
    np.testing.assert_allclose(one_rate.unit_cost_index, 1.025)


def test_unknown_unit_cost_group_is_refused_with_the_known_ones() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as error:
        ProjectionSettings.model_validate({"unit_cost_growth": {"care_home": 0.04}})
    assert "'care_home'" in str(error.value) and "care_homes" in str(error.value)


@pytest.mark.parametrize(("national", "sigma"), [(True, MODEL_ERROR_NATIONAL), (False, MODEL_ERROR_COUNCIL)])
def test_model_error_spreads_as_sigma_root_t(national: bool, sigma: float) -> None:
    drivers = sample_drivers(ProjectionSettings(), 9, 20_000, np.random.default_rng(4), national=national)
    spread = np.log(drivers.error).std(axis=0)
    np.testing.assert_allclose(spread[[0, 3, 8]], sigma * np.sqrt([1, 4, 9]), rtol=0.05)
    assert np.median(drivers.error[:, -1]) == pytest.approx(1.0, abs=0.01)  # the median path is unchanged
