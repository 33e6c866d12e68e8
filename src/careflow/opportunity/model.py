"""Evaluate the opportunity for a baseline and a scenario: each lever's central value and range, overlaps removed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from careflow.baseline.schema import Baseline
from careflow.opportunity.levers import LEVER_FUNCTIONS, LeverOutcome
from careflow.opportunity.overlaps import overlap_removed
from careflow.opportunity.parameters import (
    LEVER,
    LEVERS,
    PARAMETER_DESCRIPTIONS,
    default_effects,
    local_parameters,
    national_parameters,
)
from careflow.provenance import Value
from careflow.reference.bibliography import cite
from careflow.reference.national import OPTIMISED
from careflow.scenario import Effect, Scenario

# Printed under every opportunity table; here rather than in the report so the terminal table needs no renderer.
CAVEAT = (
    "These are opportunity figures, not guaranteed savings. They are net of income, and depend on the "
    "foundations of reform being in place; a council may see them as a fall in spend, as slower growth in "
    "spend, or both (" + cite(OPTIMISED, "L613") + ", footnote 21)."
)


class LeverResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    cohort: str
    base: str
    theme: str
    effect_name: str
    effect: float
    effect_low: float
    effect_high: float
    people_affected: float
    gross_benefit_gbp: float
    overlap_removed_gbp: float
    net_benefit_gbp: float  # the offset on care spend, overlaps removed (the report's definition, e.g. £867m)
    low_gbp: float
    high_gbp: float
    inputs: dict[str, Value]
    added_cost_gbp: float = 0.0  # what running the lever adds (extra short-term episodes), net of income
    net_of_added_cost_gbp: float = 0.0  # net_benefit_gbp − added_cost_gbp: what the projection counts


class OpportunityResult(BaseModel):
    model_config = ConfigDict(frozen=True)  # the web app shares one result between requests
    baseline: str
    financial_year: str
    synthetic: bool
    scenario: str
    levers: list[LeverResult]
    overlap_removed_gbp: float
    total_net_benefit_gbp: float
    total_low_gbp: float
    total_high_gbp: float
    parameters: dict[str, Value]
    total_added_cost_gbp: float = 0.0
    total_net_of_added_cost_gbp: float = 0.0


def lever_effects(scenario: Scenario | None = None) -> dict[str, dict[str, Effect]]:
    """Every lever's effects: the defaults, with the scenario's overrides applied (already checked by `Scenario`).

    A range the scenario leaves out keeps the default range's spread relative to its central value.
    """
    effects = default_effects()
    for lever_id, settings in (scenario.levers if scenario else {}).items():
        for name, effect in settings.effects.items():
            default = effects[lever_id][name]
            spread_low, spread_high = _relative_spread(default)
            # A central value given alone keeps the national range's relative spread around it, so that the
            # override is not left sitting at one edge of a range drawn around a different central value.
            low = effect.low if effect.low is not None else effect.central * spread_low
            high = (
                effect.high if effect.high is not None else min(effect.central * spread_high, LEVER[lever_id].maximum)
            )
            effects[lever_id][name] = Effect(
                central=effect.central, low=low, high=high, provenance=effect.provenance or default.provenance
            )
    return effects


def _relative_spread(default: Effect) -> tuple[float, float]:
    """The national range as multiples of its central value (1, 1 when there is no range)."""
    if not default.central:
        return 1.0, 1.0
    low = default.low if default.low is not None else default.central
    high = default.high if default.high is not None else default.central
    return low / default.central, high / default.central


def model_parameters(scenario: Scenario | None = None) -> dict[str, Value]:
    """National parameters with the scenario's overrides (each keeps the provenance the scenario gives)."""
    from careflow.provenance import Assumed

    params = dict(national_parameters())
    for name, effect in (scenario.parameters if scenario else {}).items():
        source = effect.provenance or Assumed(reason=f"set in scenario {scenario.name if scenario else ''}")
        params[name] = Value(value=effect.central, unit=params[name].unit, provenance=source)
    return params


def _net_by_lever(
    b: Baseline, effects: dict[str, float], params: dict[str, Value]
) -> tuple[dict[str, float], dict[str, float], dict[str, LeverOutcome]]:
    outcomes = {lid: LEVER_FUNCTIONS[lid](b, value, params) for lid, value in effects.items()}
    gross = {lid: o.gross_gbp for lid, o in outcomes.items()}
    removed = overlap_removed(b, effects, gross, params["short_term_care_home_overlap"].value)
    net = {lid: gross[lid] - removed.get(lid, 0.0) for lid in gross}
    return net, removed, outcomes


def evaluate(baseline: Baseline, scenario: Scenario | None = None) -> OpportunityResult:
    """The opportunity for one council: central, low and high for each lever, and the total, net of overlaps."""
    effects = lever_effects(scenario)
    params = local_parameters(baseline, model_parameters(scenario))
    enabled = [
        lever
        for lever in LEVERS
        if not scenario or scenario.levers.get(lever.id) is None or scenario.levers[lever.id].enabled
    ]
    central = {lever.id: effects[lever.id][lever.effect_name].central for lever in enabled}
    low = {lever.id: effects[lever.id][lever.effect_name].low or 0.0 for lever in enabled}
    high = {lever.id: effects[lever.id][lever.effect_name].high or 0.0 for lever in enabled}
    net, removed, outcomes = _net_by_lever(baseline, central, params)
    results = []
    for lever in enabled:
        # A lever's range moves its own effect and holds the others at their central values.
        lever_low = _net_by_lever(baseline, {**central, lever.id: low[lever.id]}, params)[0][lever.id]
        lever_high = _net_by_lever(baseline, {**central, lever.id: high[lever.id]}, params)[0][lever.id]
        outcome = outcomes[lever.id]
        results.append(
            LeverResult(
                id=lever.id,
                name=lever.name,
                cohort=lever.cohort,
                base=lever.base,
                theme=lever.theme,
                effect_name=lever.effect_name,
                effect=central[lever.id],
                effect_low=low[lever.id],
                effect_high=high[lever.id],
                people_affected=outcome.people_affected,
                gross_benefit_gbp=outcome.gross_gbp,
                overlap_removed_gbp=removed.get(lever.id, 0.0),
                net_benefit_gbp=net[lever.id],
                low_gbp=min(lever_low, lever_high),
                high_gbp=max(lever_low, lever_high),
                added_cost_gbp=outcome.added_cost_gbp,
                net_of_added_cost_gbp=net[lever.id] - outcome.added_cost_gbp,
                inputs={
                    f"{lever.effect_name}": Value(
                        value=central[lever.id],
                        provenance=effects[lever.id][lever.effect_name].provenance or lever.central.provenance,
                    ),
                    **outcome.inputs,
                },
            )
        )
    # The total's range assumes the levers' uncertainties move together (all low, or all high).
    total_low = sum(_net_by_lever(baseline, low, params)[0].values())
    total_high = sum(_net_by_lever(baseline, high, params)[0].values())
    return OpportunityResult(
        baseline=baseline.council.name,
        financial_year=baseline.council.financial_year,
        synthetic=baseline.council.synthetic,
        scenario=scenario.name if scenario else "central (defaults from CCN/ACCE/Newton Europe, 2021)",
        levers=results,
        overlap_removed_gbp=sum(removed.values()),
        total_net_benefit_gbp=sum(net.values()),
        total_low_gbp=total_low,
        total_high_gbp=total_high,
        parameters=params,
        total_added_cost_gbp=sum(o.added_cost_gbp for o in outcomes.values()),
        total_net_of_added_cost_gbp=sum(net.values()) - sum(o.added_cost_gbp for o in outcomes.values()),
    )


def evidence_warnings(result: OpportunityResult) -> list[str]:
    """Small-sample warnings carried by local (case-review) effects, one line per lever."""
    found = []
    for lever in result.levers:
        for value in lever.inputs.values():
            detail = getattr(value.provenance, "detail", "")
            if value.provenance.kind == "local" and "Warning: " in detail:
                found.append(f"{lever.name}: {detail.split('Warning: ', 1)[1].rstrip('.')}.")
    return found


__all__ = [
    "PARAMETER_DESCRIPTIONS",
    "LeverResult",
    "OpportunityResult",
    "evaluate",
    "lever_effects",
    "model_parameters",
]


def switched_off_lines(result: OpportunityResult) -> list[str]:
    """What a scenario switched off, in words: a total without a lever must say so."""
    shown = {lever.id for lever in result.levers}
    off = [lever.name for lever in LEVERS if lever.id not in shown]
    if not off:
        return []
    return [
        f"Switched off in scenario '{result.scenario}': " + "; ".join(off) + ". "
        f"{'It is' if len(off) == 1 else 'They are'} not counted in the total."
    ]
