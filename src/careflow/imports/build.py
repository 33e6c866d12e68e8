"""One council's careflow baseline from the published ASC-FR and SALT tables, every figure with its provenance.

Single published cells are *quoted* (table, council row, column label, £000 × 1,000). Sums of cells are
*derived*, with the cell references as inputs. Splits the tables do not publish (support reason × setting,
home care vs supported living, 65–74/75–84/85+, outcomes by age) are *assumed*, saying how they were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from careflow.baseline.schema import (
    AGE_BANDS,
    SETTINGS,
    SHORT_TERM_OUTCOMES,
    SUPPORT_REASONS,
    WEEKS_PER_YEAR,
    AdmissionRow,
    AgeBand,
    Baseline,
    Council,
    CouncilType,
    LeaverRow,
    LongTermRow,
    OtherSpendCategory,
    OtherSpendRow,
    PopulationBand,
    PopulationRow,
    RequestOutcomeRow,
    RequestRow,
    ShortTermRow,
)
from careflow.imports.ipf import ipf, whole_columns, whole_numbers
from careflow.imports.tables import Cell, Publication, PublishedTable
from careflow.provenance import Assumed, Derived, Provenance, Quoted

ClientBasis = Literal["year-end", "during-year"]
AGE_LABEL: dict[AgeBand, str] = {"18-64": "18 to 64", "65+": "65 and over"}
ENGLAND = "E92000001"

# SALT's eleven primary support reasons, grouped into careflow's six (DOMAIN.md).
PSR_LABELS: dict[str, tuple[str, ...]] = {
    "physical_support": ("Physical Support Access and Mobility Only", "Physical Support Personal Care Support"),
    "sensory_support": (
        "Sensory Support Support for Visual Impairment",
        "Sensory Support Support for Hearing Impairment",
        "Sensory Support Support for Dual Impairment",
    ),
    "memory_and_cognition": ("Support with Memory and Cognition",),
    "learning_disability": ("Learning Disability Support",),
    "mental_health": ("Mental Health Support",),
    "social_support": (
        "Social Support Substance Misuse Support",
        "Social Support Asylum Seeker Support",
        "Social Support Support for Social Isolation/Other",
    ),
}
# ASC-FR prints spend by five reasons (no social support).
PSR_SPEND_LABEL = {
    "physical_support": "Physical Support",
    "sensory_support": "Sensory Support",
    "memory_and_cognition": "Support with Memory and Cognition",
    "learning_disability": "Learning Disability Support",
    "mental_health": "Mental Health Support",
}
# SALT support settings → careflow; "community" (not a direct payment) is split into home care and supported
# living below, since SALT does not separate them.
CLIENT_SETTINGS: dict[str, tuple[str, ...]] = {
    "nursing": ("Nursing",),
    "residential": ("Residential",),
    "direct_payment": ("Community Direct Payment Only", "Community Part Direct Payment"),
    "community": ("Community CASSR Managed Personal Budget", "Community CASSR Commissioned Support Only"),
}
PRISON = ("Prison CASSR Managed Personal Budget", "Prison CASSR Commissioned Support Only")
SPEND_SETTINGS: dict[str, tuple[str, ...]] = {
    "nursing": ("Nursing",),
    "residential": ("Residential",),
    "direct_payment": ("Community: Direct Payments",),
    "home_care": ("Community: Home Care",),
    "supported_living": ("Community: Supported Living", "Supported Accommodation"),
}
OTHER_LONG_TERM = "Community: Other Long Term Care"
COMMUNITY = ("home_care", "direct_payment", "supported_living")
SHORT_TERM_LABELS: dict[str, tuple[str, ...]] = {
    "ended_early": (
        "Early Cessation of Service (not leading to long term support) - 100% NHS funded care/end of life/deceased",
        "Early Cessation of Service (not leading to long term support)",
        "Early Cessation of Service (leading to long term support)",
    ),
    "long_term_support": ("Long Term Support",),
    "low_level_support": ("Ongoing Low Level Support", "Short Term Support"),
    "no_further_need": (
        "No Services Provided Needs identified but self funding",
        "No Services Provided Needs identified but support declined",
        "No Services Provided Universal Services/ signposted to other services",
        "No Services Provided No identified needs",
    ),
}
# SALT's "what happened next" to a request (Tables 10 and 11) → careflow's request outcomes.
REQUEST_OUTCOME_LABELS: dict[str, tuple[str, ...]] = {
    "short_term": ("Short Term Care: to maximise independence",),
    "long_term": (
        "Long Term Care: Nursing",
        "Long Term Care: Residential",
        "Long Term Care: Community",
        "Long Term Care: Prison",
    ),
    "low_level": ("Ongoing Low Level Support", "Short Term Care: other short term"),
    "universal_or_signposted": ("Universal Services/ Signposted to other services",),
    "no_services": ("100% NHS Funded Care", "End of Life", "No Services Provided - Deceased", "No Services Provided"),
}
# England's split of people aged 65+ by band, used only when no population file is given (ONS mid-2020
# estimates for England: 65–74 5.68m, 75–84 3.63m, 85+ 1.38m).
OLDER_BAND_SHARES: dict[PopulationBand, float] = {"65-74": 5.68 / 10.69, "75-84": 3.63 / 10.69, "85+": 1.38 / 10.69}
TYPE_BY_PREFIX: dict[str, CouncilType] = {
    "E10": "county",
    "E06": "unitary",
    "E08": "metropolitan",
    "E09": "london_borough",
    "E92": "national",
}
LEVER_BASES = {
    "short_term_services": "completed short-term episodes aged 65+",
    "ld_community_hours": "learning-disability clients aged 18-64 in the community",
    "ld_residential_moves": "learning-disability clients aged 18-64 in residential care",
    "care_home_admissions": "care-home admissions aged 65+",
}


class Refused(Exception):
    """This council cannot be imported from these tables; the message says why."""


@dataclass
class FitRecord:
    """What an iterative proportional fit started from and matched, so the estimate can be checked."""

    what: str
    seed_source: str
    margin_sources: str
    rows: list[str]
    columns: list[str]
    seed: list[list[float]]
    row_margin: list[float]
    column_margin: list[float]
    fitted: list[list[float]]
    iterations: int


@dataclass
class Imported:
    """One council's baseline plus what the import noticed on the way."""

    code: str
    cassr: str
    name: str
    baseline: Baseline
    clients_basis: ClientBasis
    warnings: list[str] = field(default_factory=list)
    suppressed: list[Cell] = field(default_factory=list)
    adjustments: list[str] = field(default_factory=list)
    fits: list[FitRecord] = field(default_factory=list)
    admissions_proxy: bool = True
    adjustment_parts: dict[tuple[str, str], float] = field(default_factory=dict)  # (long_term|short_term|other, age)


class EnglandShapes:
    """England's joint tables, the seeds for every council's fits (read once per publication)."""

    def __init__(self, pub: Publication, basis: ClientBasis):
        joint = pub.table(39 if basis == "year-end" else 35)
        spend = pub.table(45)
        self.client_source = f"Table {joint.number} (England, {basis.replace('-', ' ')})"
        self.clients: dict[AgeBand, np.ndarray] = {}
        self.cost: dict[AgeBand, np.ndarray] = {}
        self.home_care_share: dict[AgeBand, np.ndarray] = {}
        for age in AGE_BANDS:
            table = np.zeros((len(SUPPORT_REASONS), 4))
            for i, reason in enumerate(SUPPORT_REASONS):
                for j, setting in enumerate(CLIENT_SETTINGS):
                    table[i, j] = sum(
                        joint.row_cell((AGE_LABEL[age], sub), col).estimate()
                        for sub in PSR_LABELS[reason]
                        for col in CLIENT_SETTINGS[setting]
                    )
            share = np.zeros(len(SUPPORT_REASONS))
            money = np.zeros((len(SUPPORT_REASONS), 5))
            spend_age = "65 and Over" if age == "65+" else "18 to 64"
            for i, reason in enumerate(SUPPORT_REASONS):
                if reason in PSR_SPEND_LABEL:
                    cells = {
                        s: sum(spend.row_cell((spend_age, PSR_SPEND_LABEL[reason]), c).estimate() for c in labels)
                        for s, labels in SPEND_SETTINGS.items()
                    }
                    community = cells["home_care"] + cells["supported_living"]
                    share[i] = cells["home_care"] / community if community > 0 else 0.5
                    money[i] = [cells[s] for s in SETTINGS]
                else:
                    share[i] = np.nan
                    money[i] = np.nan
            share[np.isnan(share)] = float(np.nanmean(share))
            self.home_care_share[age] = share
            seed = np.column_stack(
                [
                    table[:, 3] * share,  # home care
                    table[:, 2],  # direct payment
                    table[:, 3] * (1 - share),  # supported living
                    table[:, 1],  # residential
                    table[:, 0],  # nursing
                ]
            )
            self.clients[age] = seed
            per_client = np.divide(money, seed, out=np.full_like(money, np.nan), where=seed > 0)
            mean = np.nanmean(np.where(np.isfinite(per_client), per_client, np.nan), axis=0)
            relative = per_client / np.where(mean > 0, mean, 1.0)
            self.cost[age] = np.where(np.isfinite(relative) & (relative > 0), relative, 1.0)


def council_type(code: str) -> CouncilType:
    return TYPE_BY_PREFIX.get(code[:3], "unitary")


class CouncilBuilder:
    """Reads one council's row from every table it needs and assembles the baseline."""

    def __init__(
        self,
        pub: Publication,
        code: str,
        basis: ClientBasis,
        shapes: EnglandShapes,
        older_shares: tuple[dict[PopulationBand, float], str] | None = None,
        admissions: tuple[dict[AgeBand, tuple[float, Quoted]], str] | None = None,
    ):
        self.pub, self.code, self.basis, self.shapes = pub, code, basis, shapes
        self.ascof = admissions
        self.older_shares = older_shares
        summary = pub.table(1)
        if not summary.has_row(code):
            raise Refused(f"{code} is not a row of Table 1 of the {pub.year} tables")
        self.name = summary.cell(code, "Net Total Expenditure").row_name
        self.cassr = self._cassr(summary)
        self.warnings: list[str] = []
        self.suppressed: list[Cell] = []
        self.adjustments: list[str] = []
        self.fits: list[FitRecord] = []
        self.adjustment_parts: dict[tuple[str, str], float] = {}
        self.prison_suppressed = False
        self._check_submitted()

    def _cassr(self, table: PublishedTable) -> str:
        number, values = table.index()[self.code]
        return next((k for k, (n, _) in table.index().items() if n == number and k.isdigit()), "")

    def _check_submitted(self) -> None:
        for number, labels, collection in (
            (14, ("Total Gross Current Expenditure (GCE)",), "ASC-FR"),
            (33, ("Year End", "Total"), "SALT"),
            (8, ("Total",), "SALT"),
        ):
            cell = self.pub.table(number).cell(self.code, *labels)
            if cell.status == "not_submitted":
                raise Refused(
                    f"{self.name} ({self.code}) did not submit the {collection} return for {self.pub.year}: "
                    f"Table {number}, cell {cell.ref}, is printed “[x]” (not submitted)"
                )

    # ----------------------------------------------------------------- cells and their provenance

    def where(self, cell: Cell) -> str:
        return f"Table {cell.table}, {self.name} ({self.code}), '{' / '.join(cell.column)}'"

    def quote(self, cell: Cell, money: bool = False) -> Quoted:
        conversion = "£000 × 1,000" if money else None
        if cell.status == "suppressed":
            conversion = "suppressed “[c]” (0–4); the midpoint 2 is used"
        return Quoted(
            document=self.pub.document,
            line=cell.line,
            as_printed=cell.shown,
            source_id=self.pub.source_id,
            location=self.where(cell),
            conversion=conversion,
        )

    def value(self, table: int, *labels: str, money: bool = False, base: str | None = None) -> tuple[float, Cell]:
        cell = self.pub.table(table).cell(self.code, *labels)
        if cell.status == "suppressed":
            self.suppressed.append(cell)
            if base:
                self.warnings.append(
                    f"The base of the {base} lever rests on a suppressed cell: {self.where(cell)} "
                    f"(cell {cell.line}) is printed “[c]”, meaning 0–4; careflow uses 2."
                )
        elif cell.status == "not_submitted":
            raise Refused(
                f"{self.name} ({self.code}): {self.where(cell)} (cell {cell.line}) is printed “[x]” (not submitted)"
            )
        factor = 1000.0 if money else 1.0
        return cell.estimate() * factor, cell

    def total(self, table: int, columns: list[tuple[str, ...]], money: bool = False, base: str | None = None):
        cells = [self.value(table, *c, money=money, base=base) for c in columns]
        return sum(v for v, _ in cells), {c.line: v for v, c in cells}

    # ----------------------------------------------------------------- tables of the baseline

    def population(self) -> list[PopulationRow]:
        working, w_cell = self.value(12, "18 to 64", "Population")
        older, o_cell = self.value(12, "65 and over", "Population")
        rows = [PopulationRow(age_band="18-64", people=working, sources={"people": self.quote(w_cell)})]
        shares, source = self.older_shares or (OLDER_BAND_SHARES, "England's shares (ONS mid-2020 estimates)")
        bands = whole_numbers(np.array([older * shares[band] for band in OLDER_BAND_SHARES]))
        for band, people in zip(OLDER_BAND_SHARES, bands, strict=True):
            rows.append(
                PopulationRow(
                    age_band=band,
                    people=float(people),
                    sources={
                        "people": Assumed(
                            reason=f"population aged 65+ ({o_cell.line}, {self.where(o_cell)}) split into 65–74, "
                            f"75–84 and 85+ by {source}; the tables give no finer bands"
                        )
                    },
                )
            )
        return rows

    def requests(self) -> list[RequestRow]:
        table = 8
        rows = []
        for age in AGE_BANDS:
            label = AGE_LABEL[age]
            total, t_cell = self.value(table, label, "Total")
            hospital, h_cell = self.value(table, label, "Discharge from Hospital")
            community, c_cell = self.value(table, label, "Community / Other Route")
            other = max(total - hospital - community, 0.0)
            rows += [
                RequestRow(
                    route="community", age_band=age, requests=community, sources={"requests": self.quote(c_cell)}
                ),
                RequestRow(
                    route="hospital_discharge",
                    age_band=age,
                    requests=hospital,
                    sources={"requests": self.quote(h_cell)},
                ),
                RequestRow(
                    route="other",
                    age_band=age,
                    requests=other,
                    sources={
                        "requests": Derived(
                            formula=f"Table 8 total less discharge from hospital less community / other route "
                            f"(planned entry, diversion from hospital, self-funders, prison), {self.name} ({self.code})",
                            inputs={t_cell.line: total, h_cell.line: hospital, c_cell.line: community},
                        )
                    },
                ),
            ]
        return rows

    def request_outcomes(self) -> list[RequestOutcomeRow]:
        rows = []
        for age, table in (("18-64", 10), ("65+", 11)):
            for outcome, labels in REQUEST_OUTCOME_LABELS.items():
                found = [self.pub.table(table).cell(self.code, x) for x in labels]
                for cell in found:
                    if cell.status == "not_submitted":  # e.g. prison for a council with no prison
                        self.warnings.append(f"{self.where(cell)} (cell {cell.line}) is printed “[x]”: counted as 0.")
                    elif cell.status == "suppressed":
                        self.suppressed.append(cell)
                cells = {c.line: c.estimate() for c in found if c.status != "not_submitted"}
                value = sum(cells.values())
                if len(labels) == 1:
                    source: Provenance = self.quote(found[0])
                else:
                    source = Derived(
                        formula=f"sum of Table {table} columns {', '.join(repr(x) for x in labels)}, {self.name}",
                        inputs=cells,
                    )
                rows.append(
                    RequestOutcomeRow(
                        age_band=age,
                        outcome=outcome,
                        requests=value,
                        sources={"requests": source},
                    )
                )
        return rows

    def short_term(self) -> list[ShortTermRow]:
        ages = []
        age_inputs = {}
        for age in AGE_BANDS:
            episodes, cell = self.value(
                1,
                "New clients with an episode of ST-Max care and a known sequel",
                AGE_LABEL[age],
                base=LEVER_BASES["short_term_services"] if age == "65+" else None,
            )
            ages.append(episodes)
            age_inputs[cell.line] = episodes
        outcome_totals = []
        for outcome in SHORT_TERM_OUTCOMES:
            value, _ = self.total(22, [(x,) for x in SHORT_TERM_LABELS[outcome]])
            outcome_totals.append(value)
        seed = self.shapes_short_term()
        fit = ipf(seed, np.array(ages), np.array(outcome_totals))
        self.fits.append(
            FitRecord(
                "completed short-term (ST-Max) episodes by age band × what happened next",
                "Table 21 (England, by age band and what happened next)",
                f"Table 1 (episodes by age band) and Table 22 (what happened next), {self.name}",
                list(AGE_BANDS),
                list(SHORT_TERM_OUTCOMES),
                seed.tolist(),
                ages,
                outcome_totals,
                fit.table.tolist(),
                fit.iterations,
            )
        )
        split = Assumed(
            reason=f"episodes by age band (Table 1) split by what happened next (Table 22) for {self.name}, "
            "by iterative proportional fitting seeded from England's age × outcome table (Table 21)"
        )
        whole = np.vstack([whole_numbers(fit.table[a]) for a in range(len(AGE_BANDS))])  # keeps each age total
        return [
            ShortTermRow(age_band=age, outcome=outcome, episodes=float(whole[a, o]), sources={"episodes": split})
            for a, age in enumerate(AGE_BANDS)
            for o, outcome in enumerate(SHORT_TERM_OUTCOMES)
        ]

    def shapes_short_term(self) -> np.ndarray:
        table = self.pub.table(21)
        seed = np.zeros((2, len(SHORT_TERM_OUTCOMES)))
        for a, age in enumerate(("18-64", "65 and over")):
            for o, outcome in enumerate(SHORT_TERM_OUTCOMES):
                seed[a, o] = sum(
                    table.row_cell((age, ENGLAND), x, label_columns=(0, 1)).estimate()
                    for x in SHORT_TERM_LABELS[outcome]
                )
        return seed

    def _client_margins(self, age: AgeBand) -> tuple[np.ndarray, np.ndarray, dict[str, float], float]:
        """Setting margin (careflow's five settings) and support-reason margin for one age band."""
        by_setting = 38 if self.basis == "year-end" else 34
        label = AGE_LABEL[age]
        inputs: dict[str, float] = {}
        salt = {}
        for setting, columns in CLIENT_SETTINGS.items():
            base = LEVER_BASES["ld_residential_moves"] if (age, setting) == ("18-64", "residential") else None
            value, cells = self.total(by_setting, [(label, c) for c in columns], base=base)
            salt[setting] = value
            inputs.update(cells)
        prison_cells = [self.pub.table(by_setting).cell(self.code, label, c) for c in PRISON]
        prison = sum(c.estimate() for c in prison_cells if c.status in ("value", "suppressed"))
        self.prison_suppressed = any(c.status == "suppressed" for c in prison_cells)
        home_care, _ = self.total(43 if age == "18-64" else 44, [(c,) for c in SPEND_SETTINGS["home_care"]], True)
        living, _ = self.total(43 if age == "18-64" else 44, [(c,) for c in SPEND_SETTINGS["supported_living"]], True)
        share = home_care / (home_care + living) if home_care + living > 0 else 0.5
        settings = np.array(
            [
                salt["community"] * share,
                salt["direct_payment"],
                salt["community"] * (1 - share),
                salt["residential"],
                salt["nursing"],
            ]
        )
        reasons = []
        for reason in SUPPORT_REASONS:
            base = LEVER_BASES["ld_community_hours"] if (age, reason) == ("18-64", "learning_disability") else None
            value, cells = self.total(37, [(label, c) for c in PSR_LABELS[reason]], base=base)
            reasons.append(value)
            inputs.update(cells)
        reasons_arr = np.array(reasons)
        if reasons_arr.sum() > 0:
            reasons_arr = reasons_arr * settings.sum() / reasons_arr.sum()
        return settings, reasons_arr, inputs, prison

    def long_term(self) -> tuple[list[LongTermRow], list[OtherSpendRow]]:
        rows: list[LongTermRow] = []
        adjustments: list[OtherSpendRow] = []
        for age in AGE_BANDS:
            settings, reasons, inputs, prison = self._client_margins(age)
            seed = self.shapes.clients[age]
            fit = ipf(seed, reasons, settings)
            by_setting = 38 if self.basis == "year-end" else 34
            self.fits.append(
                FitRecord(
                    f"long-term clients aged {age} ({self.basis.replace('-', ' ')}) by support reason × setting",
                    self.shapes.client_source,
                    f"Table {by_setting} (clients by setting) and Table 37 (by support reason, scaled to the "
                    f"setting total), {self.name}; community clients split into home care and supported living "
                    f"by spend (Table {43 if age == '18-64' else 44})",
                    list(SUPPORT_REASONS),
                    list(SETTINGS),
                    seed.tolist(),
                    reasons.tolist(),
                    settings.tolist(),
                    fit.table.tolist(),
                    fit.iterations,
                )
            )
            if prison:
                self.warnings.append(
                    f"{prison:,.0f} clients aged {age} supported in prison are not modelled (no prison setting)"
                    + (": suppressed “[c]” cells (0–4) counted as 2 each." if self.prison_suppressed else ".")
                )
            spend, spend_inputs, adjust = self._setting_spend(age, settings)
            adjustments += adjust
            income_share, income_source = self._income_share(age)
            # Whole people, each setting keeping its published total; money is then shared among the cells
            # that have people, so none is lost when a small cell rounds to nobody.
            people = whole_columns(fit.table)
            for j, setting in enumerate(SETTINGS):
                weights = people[:, j] * self.shapes.cost[age][:, j]
                for i, reason in enumerate(SUPPORT_REASONS):
                    clients = float(people[i, j])
                    if clients < 1:
                        continue
                    money = spend[setting] * weights[i] / weights.sum() if weights.sum() > 0 else 0.0
                    weekly = money / (clients * WEEKS_PER_YEAR)
                    rows.append(
                        LongTermRow(
                            age_band=age,
                            support_reason=reason,
                            setting=setting,
                            clients=clients,
                            weekly_cost_gbp=max(weekly, 0.0),
                            income_share=income_share,
                            sources={
                                "clients": Assumed(
                                    reason=f"estimated by iterative proportional fitting: {self.shapes.client_source} "
                                    f"fitted to {self.name}'s clients by setting (Table {by_setting}) and by support "
                                    f"reason (Table 37); community clients split into home care and supported living "
                                    f"in proportion to spend on each (Table {43 if age == '18-64' else 44})"
                                ),
                                "weekly_cost_gbp": Derived(
                                    formula=f"{self.name}'s gross spend on {setting.replace('_', ' ')} aged {age} "
                                    f"(Table {43 if age == '18-64' else 44}, £000 × 1,000), shared across support "
                                    "reasons by clients × England's relative cost per client (Table 45 ÷ "
                                    f"{self.shapes.client_source}), ÷ (clients × 52.18 weeks)",
                                    inputs={**spend_inputs.get(setting, {}), "clients": clients, "spend_share": money},
                                ),
                                "income_share": income_source,
                            },
                        )
                    )
        return rows, adjustments

    def _setting_spend(
        self, age: AgeBand, clients: np.ndarray
    ) -> tuple[dict[str, float], dict[str, dict[str, float]], list[OtherSpendRow]]:
        table = 43 if age == "18-64" else 44
        spend: dict[str, float] = {}
        inputs: dict[str, dict[str, float]] = {}
        adjust: list[tuple[str, float]] = []
        for setting, labels in SPEND_SETTINGS.items():
            total = 0.0
            for name in labels:
                value, cell = self.value(table, name, money=True)
                if value < 0:
                    adjust.append((cell.line, value))
                    self.adjustments.append(
                        f"{self.where(cell)} (cell {cell.line}) is negative, £{value:,.0f}: kept as an adjustment line"
                    )
                else:
                    total += value
                inputs.setdefault(setting, {})[cell.line] = value
            spend[setting] = total
        other, other_cell = self.value(table, OTHER_LONG_TERM, money=True)
        if other < 0:
            adjust.append((other_cell.line, other))
            self.adjustments.append(
                f"{self.where(other_cell)} (cell {other_cell.line}) is negative, £{other:,.0f}: kept as an adjustment"
            )
        else:
            community = sum(spend[s] for s in COMMUNITY)
            for setting in COMMUNITY:
                share = spend[setting] / community if community > 0 else 1 / 3
                spend[setting] += other * share
                inputs[setting][other_cell.line] = other
        for j, setting in enumerate(SETTINGS):
            if spend[setting] > 0 and round(clients[j]) < 1:
                adjust.append((f"{setting} with no clients", spend[setting]))
                self.adjustments.append(
                    f"£{spend[setting]:,.0f} of spend on {setting.replace('_', ' ')} aged {age} (Table {table}) "
                    "has no clients in that setting: the money is kept as an adjustment line"
                )
                spend[setting] = 0.0
        rows = []
        if adjust:
            self.adjustment_parts[("long_term", age)] = sum(v for _, v in adjust)
            rows.append(
                OtherSpendRow(
                    category="adjustment",
                    age_band=age,
                    gross_gbp=sum(v for _, v in adjust),
                    sources={
                        "gross_gbp": Derived(
                            formula=f"long-term spend aged {age} that no client row can carry (negative published "
                            "values, or money in a setting with no clients), kept so that totals reconcile",
                            inputs=dict(adjust),
                        )
                    },
                )
            )
        return spend, inputs, rows

    def _income_share(self, age: AgeBand) -> tuple[float, Provenance]:
        income, i_cell = self.value(7, "Client Contributions", "Long Term Care", AGE_LABEL[age], money=True)
        gross, g_cell = self.value(17, "Long Term Care", self.pub.year, AGE_LABEL[age], money=True)
        share = min(max(income / gross, 0.0), 1.0) if gross > 0 else 0.0
        if income < 0:
            self.warnings.append(
                f"Client contributions aged {age} ({i_cell.line}) are negative; income share set to 0."
            )
        return share, Derived(
            formula=f"client contributions for long-term care aged {age} (Table 7) ÷ gross current expenditure on "
            "long-term care (Table 17); the same share for every setting (the tables give no split). Only client "
            "contributions count as income: NHS and other income are not part of a council's net cost of care here",
            inputs={i_cell.line: income, g_cell.line: gross},
        )

    def other_spend(self, long_term: list[LongTermRow], adjustments: list[OtherSpendRow]) -> list[OtherSpendRow]:
        rows: list[OtherSpendRow] = []
        weights = {}
        for age in AGE_BANDS:
            gross, cell = self.value(17, "Short Term Care", self.pub.year, AGE_LABEL[age], money=True)
            income, i_cell = self.value(7, "Client Contributions", "Short Term Care", AGE_LABEL[age], money=True)
            if gross < 0:
                self.adjustments.append(f"{self.where(cell)} (cell {cell.line}) is negative: kept as an adjustment")
                self.adjustment_parts[("short_term", age)] = gross
            rows.append(
                OtherSpendRow(
                    category="short_term" if gross >= 0 else "adjustment",
                    age_band=age,
                    gross_gbp=gross,
                    income_gbp=max(income, 0.0),
                    sources={"gross_gbp": self.quote(cell, True), "income_gbp": self.quote(i_cell, True)},
                )
            )
            weights[age] = sum(r.gross_gbp for r in long_term if r.age_band == age) + max(gross, 0.0)
        total_weight = sum(weights.values()) or 1.0
        activities, a_cell = self.value(46, "Social Care Activities", money=True)
        other_total, t_cell = self.value(46, "Total", money=True)
        other_income, o_cell = self.value(7, "Client Contributions", "Other", money=True)
        parts: tuple[tuple[OtherSpendCategory, float, str, dict[str, float]], ...] = (
            (
                "assessment_and_care_management",
                activities,
                "Table 46 'Social Care Activities'",
                {a_cell.line: activities},
            ),
            (
                "commissioning_and_other",
                other_total - activities,
                "Table 46 total less 'Social Care Activities' (commissioning, information, equipment, carers …)",
                {t_cell.line: other_total, a_cell.line: activities},
            ),
        )
        for category, amount, formula, inputs in parts:
            if amount < 0:
                self.adjustments.append(f"Table 46: {formula} is negative, £{amount:,.0f}: kept as an adjustment")
            for age in AGE_BANDS:
                share = weights[age] / total_weight
                income = max(other_income, 0.0) * share if category == "commissioning_and_other" else 0.0
                if amount < 0:
                    self.adjustment_parts[("other", age)] = amount * share
                rows.append(
                    OtherSpendRow(
                        category=category if amount >= 0 else "adjustment",
                        age_band=age,
                        gross_gbp=amount * share,
                        income_gbp=income,
                        sources={
                            "gross_gbp": Derived(
                                formula=f"{formula} (£000 × 1,000) × the age band's share of long- and short-term "
                                "spend (assumed: the tables give no age split of other spend)",
                                inputs={**inputs, "share": share},
                            ),
                            "income_gbp": Derived(
                                formula="Table 7 client contributions for 'Other' care × the age band's share",
                                inputs={o_cell.line: other_income, "share": share},
                            ),
                        },
                    )
                )
        merged: dict[tuple[str, str], OtherSpendRow] = {}
        for row in rows + adjustments:
            key = (row.category, row.age_band)
            if key in merged:  # adjustment lines from several sources become one line per age band
                old = merged[key]
                merged[key] = old.model_copy(
                    update={
                        "gross_gbp": old.gross_gbp + row.gross_gbp,
                        "income_gbp": old.income_gbp + row.income_gbp,
                        "sources": {
                            "gross_gbp": Derived(
                                formula="sum of adjustment lines",
                                inputs={"first": old.gross_gbp, "second": row.gross_gbp},
                            )
                        },
                    }
                )
            else:
                merged[key] = row
        return list(merged.values())

    def admissions(self) -> list[AdmissionRow]:
        if self.ascof is not None and set(self.ascof[0]) == {"18-64", "65+"}:
            counts, year = self.ascof
            if year != self.pub.year:
                self.warnings.append(
                    f"Care-home admissions are ASCOF 2A for {year}; the rest of the baseline is {self.pub.year}."
                )
            return [
                AdmissionRow(age_band=age, admissions=counts[age][0], sources={"admissions": counts[age][1]})
                for age in AGE_BANDS
            ]
        # Without ASCOF, admissions are estimated as care-home leavers: clients whose setting was nursing or
        # residential care during the year (Table 34) less those there at the year end (Table 38). In a steady
        # state as many are admitted as leave. Over the 159 councils with ASCOF 2A(2) for 2020-21 this estimate
        # is a median 1.15× the count (10th–90th percentile 0.89–1.71); the older proxy, new clients' requests
        # whose next step was a care home (Tables 10 and 11), was 0.54× (0.23–0.92), since it misses existing
        # clients moving into a care home.
        rows = []
        for age in AGE_BANDS:
            base = LEVER_BASES["care_home_admissions"] if age == "65+" else None
            label = AGE_LABEL[age]
            in_year, in_cells = self.total(34, [(label, "Nursing"), (label, "Residential")], base=base)
            year_end, end_cells = self.total(38, [(label, "Nursing"), (label, "Residential")], base=base)
            rows.append(
                AdmissionRow(
                    age_band=age,
                    admissions=max(in_year - year_end, 0.0),
                    sources={
                        "admissions": Derived(
                            formula=f"estimate: clients aged {age} in nursing or residential care during the year "
                            f"(Table 34) less those at the year end (Table 38), {self.name}: in a steady state as "
                            "many are admitted as leave. ASCOF 2A counts admissions themselves",
                            inputs={**in_cells, **end_cells},
                        )
                    },
                )
            )
        return rows

    def leavers(self) -> list[LeaverRow]:
        """Clients who left long-term support in the year: Table 33's clients during the year less those at the
        year end. The flow model's steady state needs as many entrants, whatever route they came by."""
        rows = []
        for age in AGE_BANDS:
            during, d_cell = self.value(33, "In Year", AGE_LABEL[age])
            year_end, e_cell = self.value(33, "Year End", AGE_LABEL[age])
            rows.append(
                LeaverRow(
                    age_band=age,
                    leavers=max(during - year_end, 0.0),
                    sources={
                        "leavers": Derived(
                            formula=f"clients in long-term support during the year less those at the year end, "
                            f"aged {age} (Table 33, {self.name})",
                            inputs={d_cell.line: during, e_cell.line: year_end},
                        )
                    },
                )
            )
        return rows

    def build(self) -> Imported:
        long_term, adjustments = self.long_term()
        baseline = Baseline(
            council=Council(
                name=self.name,
                council_type=council_type(self.code),
                financial_year=self.pub.financial_year,
                ons_code=self.code,
                note=f"Imported from NHS Digital, Adult Social Care Activity and Finance Report {self.pub.year} "
                f"(ASC-FR and SALT data tables), clients {self.basis.replace('-', ' ')}.",
            ),
            population=self.population(),
            requests=self.requests(),
            request_outcomes=self.request_outcomes(),
            short_term=self.short_term(),
            long_term=long_term,
            admissions=self.admissions(),
            other_spend=self.other_spend(long_term, adjustments),
            long_term_leavers=self.leavers(),
        )
        return Imported(
            code=self.code,
            cassr=self.cassr,
            name=self.name,
            baseline=baseline,
            clients_basis=self.basis,
            warnings=self.warnings,
            suppressed=self.suppressed,
            adjustments=self.adjustments,
            fits=self.fits,
            adjustment_parts=self.adjustment_parts,
            admissions_proxy=self.ascof is None or set(self.ascof[0]) != {"18-64", "65+"},
        )
