"""Figures printed in the source reports that the baselines and the opportunity model rely on.

Each entry cites its document and line, and keeps the figure as printed. Tests check that every cited
line really contains the printed text.
"""

from __future__ import annotations

from careflow.provenance import Value, quoted

OPTIMISED = "001_cb6dbf76d77fc339.txt"  # CCN/ACCE/Newton, The Future of Adult Social Care (2021)
CHALLENGING_TIMES = "000_d3172df9c3520f0e.txt"  # CCN, Delivering Adult Social Care in Challenging Times (2016)


def _q(value: float, line: str, printed: str, unit: str = "", document: str = OPTIMISED) -> Value:
    return quoted(value, document, line, printed, unit)


# England 2019/20 activity and spend
REQUESTS_2019_20 = _q(1_900_000, "L157", "1.9 million requests", "requests")
NEW_CLIENTS_2019_20 = _q(1_400_000, "L157", "1.4 million new clients", "people")
LONG_TERM_CLIENTS_2019_20 = _q(838_530, "L161", "838,530 adults", "people")
SHORT_TERM_EPISODES_2019_20 = _q(261_605, "L161", "261,605 episodes", "episodes")
GROSS_CURRENT_EXPENDITURE = _q(19.7e9, "L994", "£19.7 billion", "£")
LONG_TERM_GROSS_EXPENDITURE = _q(15.4e9, "L994", "£15.4 billion", "£")

# The six key service outcomes (L604–693)
SHORT_TERM_EXTRA_PEOPLE = _q(90_000, "L633", "90,000", "people")
SHORT_TERM_ACCESS_UPLIFT = _q(0.40, "L633", "40%")
SHORT_TERM_PRINTED = _q(867e6, "L633", "£867 million per year", "£/yr")
LD_COMMUNITY_PEOPLE = _q(104_000, "L641", "over 104,000", "people")
LD_HOURS_REDUCTION = _q(0.08, "L643", "8%")
LD_COMMUNITY_PRINTED = _q(261e6, "L643", "£261 million per year", "£/yr")
CARE_HOME_ADMISSIONS_65 = _q(60_000, "L649", "60,000 older adults", "admissions/yr")
CARE_HOME_FROM_HOSPITAL_SHARE = _q(1 / 3, "L649", "1 in 3")
CARE_HOME_SHARE_DIVERTED = _q(0.18, "L649", "At least 18%")
CARE_HOME_SHARE_DIVERTED_HIGH = _q(0.50, "L657", "as high as 50%")
CARE_HOME_PRINTED = _q(178e6, "L649", "£178 million per year", "£/yr")
FRONT_DOOR_REQUESTS = _q(1_400_000, "L663", "1,400,000 new requests", "requests")
FRONT_DOOR_HOURS_REDUCTION = _q(0.047, "L677", "4.7% average")
FRONT_DOOR_RANGE_LOW = _q(0.04, "L677", "range 4-6%")
FRONT_DOOR_RANGE_HIGH = _q(0.06, "L677", "range 4-6%")
FRONT_DOOR_PRINTED = _q(95e6, "L663", "£95 million per year", "£/yr")
LD_RESIDENTIAL_PEOPLE = _q(27_000, "L673", "27,000 adults", "people")
LD_RESIDENTIAL_SHARE_MOVED = _q(0.43, "L673", "Up to 43%")
LD_RESIDENTIAL_PRINTED = _q(74e6, "L673", "£74 million per year", "£/yr")
OLDER_DOMICILIARY_PEOPLE = _q(225_000, "L687", "Up to **225,000** older adults", "people")
TRUSTED_HOURS_REDUCTION = _q(0.05, "L689", "**5%** of formal care")
TRUSTED_PRINTED = _q(75e6, "L689", "£75 million per year", "£/yr")

# Unit costs and rates quoted elsewhere
REABLEMENT_AVOIDED_COST = _q(8_700, "L877", "£8700 cheaper", "£/person")
REABLEMENT_RETURN = _q(7, "L877", "seven times", "×")
HOME_CARE_HOURLY_COST = _q(17.48, "L881", "£17.48 per hour", "£/hour")
CARE_HOME_WEEKLY_COST_65 = _q(650, "L1124", "over £650 per week", "£/week")
HOSPITAL_SHARE_OF_OLDER_REQUESTS = _q(0.35, "L1088", "35% of all requests", "")
SHORT_TERM_LOWER_OR_NO_SUPPORT = _q(0.79, "L946", "79%", "", CHALLENGING_TIMES)

PRINTED_OPPORTUNITY = {
    "short_term_services": SHORT_TERM_PRINTED,
    "ld_community_hours": LD_COMMUNITY_PRINTED,
    "care_home_admissions": CARE_HOME_PRINTED,
    "front_door_community": FRONT_DOOR_PRINTED,
    "ld_residential_moves": LD_RESIDENTIAL_PRINTED,
    "trusted_providers": TRUSTED_PRINTED,
}
