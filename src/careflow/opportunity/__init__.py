"""The optimised-delivery opportunity model: the six levers and the overlap rules."""

from careflow.opportunity.model import LeverResult, OpportunityResult, evaluate, lever_effects, model_parameters
from careflow.opportunity.parameters import LEVER, LEVER_IDS, LEVERS

__all__ = [
    "LEVER",
    "LEVERS",
    "LEVER_IDS",
    "LeverResult",
    "OpportunityResult",
    "evaluate",
    "lever_effects",
    "model_parameters",
]
