"""The words careflow uses for care settings, age bands and support reasons: one id each, with one display label.

Ids are what models, baselines and the flow model use; labels are what people read and what case-review files
contain ("home care", "learning disability support"). Baselines, reviews, the flow model's series and the
reports all take their terms from here, so a setting is never spelt two ways.
"""

from __future__ import annotations

from typing import Literal

PopulationBand = Literal["18-64", "65-74", "75-84", "85+"]
AgeBand = Literal["18-64", "65+"]
SupportReason = Literal[
    "physical_support",
    "sensory_support",
    "memory_and_cognition",
    "learning_disability",
    "mental_health",
    "social_support",
]
# Long-term settings, in the order of the independence ladder (DOMAIN.md rungs 3–6).
Setting = Literal["home_care", "direct_payment", "supported_living", "residential", "nursing"]

POPULATION_BANDS: tuple[PopulationBand, ...] = ("18-64", "65-74", "75-84", "85+")
AGE_BANDS: tuple[AgeBand, ...] = ("18-64", "65+")

SUPPORT_REASON_LABEL: dict[SupportReason, str] = {
    "physical_support": "physical support",
    "sensory_support": "sensory support",
    "memory_and_cognition": "support with memory and cognition",
    "learning_disability": "learning disability support",
    "mental_health": "mental health support",
    "social_support": "social support",
}
SUPPORT_REASONS: tuple[SupportReason, ...] = tuple(SUPPORT_REASON_LABEL)

SETTING_LABEL: dict[Setting, str] = {
    "home_care": "home care",
    "direct_payment": "direct payment",
    "supported_living": "supported living",
    "residential": "residential care",
    "nursing": "nursing care",
}
SETTINGS: tuple[Setting, ...] = tuple(SETTING_LABEL)

# The independence ladder (DOMAIN.md): rung 1 is the most independent. Case reviews record where a person was,
# would have been, or should have been, so they also name the rungs below long-term care and the other rung-4 homes.
RUNG_NAMES = {
    1: "no formal support",
    2: "short-term support only",
    3: "community support at home",
    4: "supported living / Shared Lives / extra care",
    5: "residential care",
    6: "nursing care",
}
SETTING_RUNG: dict[str, int] = {
    "no formal support": 1,
    "short-term support": 2,
    SETTING_LABEL["home_care"]: 3,
    SETTING_LABEL["direct_payment"]: 3,
    SETTING_LABEL["supported_living"]: 4,
    "shared lives": 4,
    "extra care": 4,
    SETTING_LABEL["residential"]: 5,
    SETTING_LABEL["nursing"]: 6,
}


def cohort_label(age_band: str, support_reason: str) -> str:
    """A cohort as people read it: '65+ physical support'."""
    label = SUPPORT_REASON_LABEL.get(support_reason, support_reason)  # type: ignore[call-overload]
    return f"{age_band} {label}"
