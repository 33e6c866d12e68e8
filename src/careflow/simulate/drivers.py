"""Growth drivers sampled per Monte Carlo run: demography, unit-cost growth by setting, per-head trends, model error.

Every driver is a yearly rate with a central value and a range (see `settings.Rate`). Each run draws one value per
driver from its triangular distribution and keeps it for the whole horizon: what is uncertain about growth is
mostly its level, not year-to-year noise. The model-error term is the exception: it is a random walk (one normal
step per year), because history shows real spend drifting away from any model of it more the further ahead one
looks (σ√t). Drivers are drawn from their own random stream, so baseline and scenario share them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from careflow.baseline.schema import CARE_HOME, POPULATION_BANDS, Setting
from careflow.simulate.settings import UNIT_COST_GROUPS, ProjectionSettings, Rate

# Which unit-cost group each long-term setting follows; every other line of spend follows "other_spend".
GROUP_OF_SETTING: dict[Setting, str] = {
    "home_care": "home_care",
    "direct_payment": "direct_payments",
    "supported_living": "supported_living",
    **{s: "care_homes" for s in CARE_HOME},
}
OTHER = UNIT_COST_GROUPS.index("other_spend")


def _sample(rate: Rate, runs: int, rng: np.random.Generator | None) -> np.ndarray:
    low = rate.central if rate.low is None else rate.low
    high = rate.central if rate.high is None else rate.high
    if rng is None or high <= low:
        return np.full(runs, rate.central)
    return rng.triangular(low, rate.central, high, size=runs)


@dataclass
class Drivers:
    """Per-run growth, shaped (runs, years, …); run 1 of an expected-mode pass holds the central values."""

    population_growth: np.ndarray  # (R, Y, 4) yearly growth by population band
    unit_cost_index: np.ndarray  # (R, Y, groups) price level in each year relative to the base year
    per_head: np.ndarray  # (R, 2) yearly growth of demand per head of need-weighted population, by age band
    other_trend: np.ndarray  # (R,) yearly growth of spend outside long- and short-term care, beyond need and price
    error: np.ndarray  # (R, Y) model-error multiplier on spend (1 in expected mode)

    @property
    def runs(self) -> int:
        return int(self.population_growth.shape[0])


def model_error_sigma(settings: ProjectionSettings, national: bool) -> float:
    """σ per √year of the model-error random walk: the scenario's own, or the calibrated default for the scale."""
    from careflow.simulate.settings import MODEL_ERROR_COUNCIL, MODEL_ERROR_NATIONAL

    if settings.model_error is not None:
        return settings.model_error
    return MODEL_ERROR_NATIONAL if national else MODEL_ERROR_COUNCIL


def sample_drivers(
    settings: ProjectionSettings, years: int, runs: int, rng: np.random.Generator | None, *, national: bool = False
) -> Drivers:
    """Draw every growth driver for `runs` runs of `years` years; with no generator, one row of central values."""
    rows = runs if rng is not None else 1
    growth = np.zeros((rows, years, len(POPULATION_BANDS)))
    for b, band in enumerate(POPULATION_BANDS):
        given = settings.population_growth[band]
        if isinstance(given, list):  # a fixed path, year by year; the last rate carries on
            growth[:, :, b] = np.array(given)[np.minimum(np.arange(years), len(given) - 1)]
        else:
            growth[:, :, b] = _sample(given, rows, rng)[:, None]
    rates = np.stack([_sample(settings.unit_cost(group), rows, rng) for group in UNIT_COST_GROUPS], axis=-1)
    index = (1.0 + rates[:, None, :]) ** np.arange(1, years + 1)[None, :, None]  # fees uprated each April
    per_head = np.stack(
        [_sample(settings.working_age_trend, rows, rng), _sample(settings.older_trend, rows, rng)], axis=-1
    )
    other = _sample(settings.other_spend_trend, rows, rng)
    sigma = model_error_sigma(settings, national)
    if rng is None or sigma == 0.0:
        error = np.ones((rows, years))
    else:
        error = np.exp(np.cumsum(rng.normal(0.0, sigma, size=(rows, years)), axis=1))
    return Drivers(growth, index, per_head, other, error)


def central_drivers(settings: ProjectionSettings, years: int, *, national: bool = False) -> Drivers:
    return sample_drivers(settings, years, 1, None, national=national)
