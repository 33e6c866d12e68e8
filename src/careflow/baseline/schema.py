"""The council baseline: one council's adult social care system for one financial year, as typed data.

Money for long-term care comes from one place only — the `long_term` rows (clients × average weekly cost,
less the income share) — so that the opportunity model, the flow model and the totals cannot disagree.
Other spend (short-term services, assessment and care management, commissioning) is in `other_spend`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from careflow.provenance import Provenance
from careflow.vocabulary import AGE_BANDS as AGE_BANDS  # the shared terms, re-exported for the baseline's readers
from careflow.vocabulary import POPULATION_BANDS as POPULATION_BANDS
from careflow.vocabulary import SETTINGS as SETTINGS
from careflow.vocabulary import SUPPORT_REASONS as SUPPORT_REASONS
from careflow.vocabulary import AgeBand as AgeBand
from careflow.vocabulary import PopulationBand as PopulationBand
from careflow.vocabulary import Setting as Setting
from careflow.vocabulary import SupportReason as SupportReason

WEEKS_PER_YEAR = 365.25 / 7  # weekly costs become annual costs over an average year

CouncilType = Literal["county", "unitary", "metropolitan", "london_borough", "national"]
Route = Literal["community", "hospital_discharge", "other"]
RequestOutcome = Literal["short_term", "long_term", "low_level", "universal_or_signposted", "no_services"]
ShortTermOutcome = Literal["no_further_need", "low_level_support", "long_term_support", "ended_early"]
# "adjustment": published long-term money no client row can carry (negative reclassifications, money in a
# setting with under one client); kept so that totals reconcile, and the only category that may be negative.
OtherSpendCategory = Literal["short_term", "assessment_and_care_management", "commissioning_and_other", "adjustment"]

ROUTES: tuple[Route, ...] = ("community", "hospital_discharge", "other")
DOMICILIARY: tuple[Setting, ...] = ("home_care", "direct_payment")
NON_RESIDENTIAL: tuple[Setting, ...] = ("home_care", "direct_payment", "supported_living")
CARE_HOME: tuple[Setting, ...] = ("residential", "nursing")
REQUEST_OUTCOMES: tuple[RequestOutcome, ...] = (
    "short_term",
    "long_term",
    "low_level",
    "universal_or_signposted",
    "no_services",
)
SHORT_TERM_OUTCOMES: tuple[ShortTermOutcome, ...] = (
    "no_further_need",
    "low_level_support",
    "long_term_support",
    "ended_early",
)
OTHER_SPEND: tuple[OtherSpendCategory, ...] = (
    "short_term",
    "assessment_and_care_management",
    "commissioning_and_other",
    "adjustment",
)


def age_band_of(band: PopulationBand) -> AgeBand:
    return "18-64" if band == "18-64" else "65+"


class SourcedRow(BaseModel):
    """A baseline row; `sources` says where each figure came from (field name → provenance)."""

    model_config = ConfigDict(frozen=True)
    sources: dict[str, Provenance] = Field(default_factory=dict)


class Council(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    council_type: CouncilType
    financial_year: str = Field(pattern=r"^\d{4}/\d{2}$")
    ons_code: str | None = None
    synthetic: bool = False
    note: str = ""


class PopulationRow(SourcedRow):
    age_band: PopulationBand
    people: float = Field(ge=0)


class RequestRow(SourcedRow):
    route: Route
    age_band: AgeBand
    requests: float = Field(ge=0)


class RequestOutcomeRow(SourcedRow):
    age_band: AgeBand
    outcome: RequestOutcome
    requests: float = Field(ge=0)


class ShortTermRow(SourcedRow):
    age_band: AgeBand
    outcome: ShortTermOutcome
    episodes: float = Field(ge=0)


class LongTermRow(SourcedRow):
    age_band: AgeBand
    support_reason: SupportReason
    setting: Setting
    clients: float = Field(ge=0)
    weekly_cost_gbp: float = Field(ge=0)  # average gross cost per client per week
    hours_per_week: float | None = Field(default=None, ge=0)  # home care and direct payments
    income_share: float = Field(default=0.0, ge=0, le=1)  # share of gross recovered as income

    @property
    def gross_gbp(self) -> float:
        return self.clients * self.weekly_cost_gbp * WEEKS_PER_YEAR

    @property
    def net_gbp(self) -> float:
        return self.gross_gbp * (1.0 - self.income_share)


class AdmissionRow(SourcedRow):
    age_band: AgeBand
    admissions: float = Field(ge=0)  # permanent admissions to residential and nursing care per year
    from_hospital: float | None = Field(default=None, ge=0)


class LeaverRow(SourcedRow):
    """People who left long-term support in the year (died, needs met, moved away): published by SALT as clients
    in long-term support during the year less those at the year end. Optional: without it the flow model infers
    leavers from the steady state of its entrants (new clients' requests and short-term services)."""

    age_band: AgeBand
    leavers: float = Field(ge=0)


class OtherSpendRow(SourcedRow):
    category: OtherSpendCategory
    age_band: AgeBand
    gross_gbp: float
    income_gbp: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _only_adjustments_negative(self) -> OtherSpendRow:
        if self.gross_gbp < 0 and self.category != "adjustment":
            raise ValueError("gross_gbp must be at least 0 (only an 'adjustment' line may be negative)")
        return self

    @property
    def net_gbp(self) -> float:
        return self.gross_gbp - self.income_gbp


class Baseline(BaseModel):
    """One council's ASC system for one financial year."""

    model_config = ConfigDict(frozen=True)
    council: Council
    population: list[PopulationRow]
    requests: list[RequestRow]
    request_outcomes: list[RequestOutcomeRow] = Field(default_factory=list)
    short_term: list[ShortTermRow]
    long_term: list[LongTermRow]
    admissions: list[AdmissionRow]
    other_spend: list[OtherSpendRow] = Field(default_factory=list)
    long_term_leavers: list[LeaverRow] = Field(default_factory=list)

    # Sums the models use, named as the source reports and the statutory returns name them.
    def people(self, bands: tuple[PopulationBand, ...] = POPULATION_BANDS) -> float:
        return sum(r.people for r in self.population if r.age_band in bands)

    def total_requests(self, age_band: AgeBand | None = None, route: Route | None = None) -> float:
        return sum(
            r.requests
            for r in self.requests
            if (age_band is None or r.age_band == age_band) and (route is None or r.route == route)
        )

    def short_term_episodes(self, age_band: AgeBand | None = None) -> float:
        return sum(r.episodes for r in self.short_term if age_band is None or r.age_band == age_band)

    def long_term_rows(
        self,
        age_band: AgeBand | None = None,
        settings: tuple[Setting, ...] = SETTINGS,
        support_reason: SupportReason | None = None,
    ) -> list[LongTermRow]:
        return [
            r
            for r in self.long_term
            if (age_band is None or r.age_band == age_band)
            and r.setting in settings
            and (support_reason is None or r.support_reason == support_reason)
        ]

    def clients(
        self,
        age_band: AgeBand | None = None,
        settings: tuple[Setting, ...] = SETTINGS,
        support_reason: SupportReason | None = None,
    ) -> float:
        return sum(r.clients for r in self.long_term_rows(age_band, settings, support_reason))

    def long_term_net(
        self,
        age_band: AgeBand | None = None,
        settings: tuple[Setting, ...] = SETTINGS,
        support_reason: SupportReason | None = None,
    ) -> float:
        return sum(r.net_gbp for r in self.long_term_rows(age_band, settings, support_reason))

    def long_term_gross(
        self,
        age_band: AgeBand | None = None,
        settings: tuple[Setting, ...] = SETTINGS,
        support_reason: SupportReason | None = None,
    ) -> float:
        return sum(r.gross_gbp for r in self.long_term_rows(age_band, settings, support_reason))

    def average_weekly_cost(
        self,
        age_band: AgeBand | None = None,
        settings: tuple[Setting, ...] = SETTINGS,
        support_reason: SupportReason | None = None,
    ) -> float:
        rows = self.long_term_rows(age_band, settings, support_reason)
        clients = sum(r.clients for r in rows)
        return sum(r.clients * r.weekly_cost_gbp for r in rows) / clients if clients else 0.0

    def care_home_admissions(self, age_band: AgeBand | None = None) -> float:
        return sum(r.admissions for r in self.admissions if age_band is None or r.age_band == age_band)

    def leavers(self, age_band: AgeBand) -> float | None:
        """Published leavers from long-term support in the age band, or None when the baseline gives none."""
        rows = [r.leavers for r in self.long_term_leavers if r.age_band == age_band]
        return sum(rows) if rows else None

    def gross_spend(self) -> float:
        return self.long_term_gross() + sum(r.gross_gbp for r in self.other_spend)

    def net_spend(self) -> float:
        return self.long_term_net() + sum(r.net_gbp for r in self.other_spend)
