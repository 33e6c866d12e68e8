"""The double counts between levers that the report removes, as explicit rules with the amount removed.

1. Short-term services vs care-home admissions (CCN/ACCE/Newton 2021 fn 22, L637): some people a better short-term
   offer keeps out of long-term care are the same people the care-home lever moves to a more independent
   setting. The short-term lever gives up `short_term_care_home_overlap` (assumed one in three: the
   admissions that come from hospital discharge, L649) of the care-home lever's benefit.
2. Front door vs trusted providers (fn 25, L677): both cut older people's home-care hours. Applied one
   after the other, the combined cut on older people's home care is 1 − (1 − a)(1 − b), so the front door
   gives up a × b × older people's home-care net spend. Trusted providers keeps its full 5% (fn 27, L693).
"""

from __future__ import annotations

from dataclasses import dataclass

from careflow.baseline.schema import Baseline


@dataclass(frozen=True)
class OverlapRule:
    removed_from: str
    shared_with: str
    rule: str


RULES = (
    OverlapRule(
        "short_term_services",
        "care_home_admissions",
        "short-term services give up the assumed overlap share of the care-home lever's benefit",
    ),
    OverlapRule(
        "front_door_community",
        "trusted_providers",
        "front door gives up front-door cut × trusted-provider cut × older people's home-care net spend",
    ),
)


def overlap_removed(
    b: Baseline, effects: dict[str, float], gross: dict[str, float], overlap_share: float
) -> dict[str, float]:
    """Amount to remove from each lever's gross benefit; only levers that are both active overlap."""
    removed: dict[str, float] = {}
    if "short_term_services" in gross and "care_home_admissions" in gross:
        amount = overlap_share * gross["care_home_admissions"]
        removed["short_term_services"] = min(amount, gross["short_term_services"])
    if "front_door_community" in gross and "trusted_providers" in gross:
        older_home_care = b.long_term_net("65+", ("home_care",))
        amount = effects["front_door_community"] * effects["trusted_providers"] * older_home_care
        removed["front_door_community"] = min(amount, gross["front_door_community"])
    return removed
