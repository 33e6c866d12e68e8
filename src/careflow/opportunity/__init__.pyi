# The names careflow.opportunity exports, each loaded from its module on first use (lazy_loader reads this stub).
from .model import (
    LeverResult as LeverResult,
    OpportunityResult as OpportunityResult,
    evaluate as evaluate,
    lever_effects as lever_effects,
    model_parameters as model_parameters,
)
from .parameters import LEVER as LEVER, LEVER_IDS as LEVER_IDS, LEVERS as LEVERS
