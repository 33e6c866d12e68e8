"""Ideal-outcome case reviews: the record, the template, and import with pseudonymity and consistency checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careflow.errors import Problem, Problems
from careflow.outcomes.pseudonymity import identifying_content
from careflow.outcomes.pseudonymity import nhs_check_digit_valid as nhs_check_digit_valid  # for callers
from careflow.tabular import InputColumn, InputRow, Table, read_tables
from careflow.vocabulary import AGE_BANDS, SETTING_RUNG, SUPPORT_REASON_LABEL

# Case-review files hold the labels people use; the terms themselves come from the one vocabulary.
SUPPORT_REASONS = tuple(SUPPORT_REASON_LABEL.values())
DECISION_POINTS = (
    "front door",
    "hospital discharge",
    "end of short-term service",
    "annual review",
    "transition to adulthood",
)
GAP_REASONS = (
    "no gap",
    "practitioner decision",
    "service capacity",
    "person or family preference",
    "provider",
    "other",
)
YES_NO = ("yes", "no")

SETTINGS = tuple(SETTING_RUNG)
OUTCOMES = ("actual", "proposed", "ideal")
OUTCOME_LABEL = {"actual": "the actual outcome", "proposed": "the practitioner's proposal", "ideal": "the MDT's ideal"}


def _outcome_columns(prefix: str) -> tuple[InputColumn, ...]:
    label = OUTCOME_LABEL[prefix]
    return (
        InputColumn(f"{prefix}_rung", f"Rung on the independence ladder (1–6) for {label}", "integer", maximum=6),
        InputColumn(f"{prefix}_setting", f"Setting for {label}", "text", choices=SETTINGS),
        InputColumn(f"{prefix}_hours", f"Hours of formal support per week for {label} (0 if none)", "number"),
        InputColumn(f"{prefix}_weekly_cost", f"Gross weekly cost in £ for {label} (0 if none)", "number"),
    )


REVIEWS = Table(
    private=True,
    name="reviews",
    description=(
        "One row per reviewed case at one decision point. Case ids must be pseudonymous: no names, "
        "NHS numbers, postcodes or e-mail addresses."
    ),
    columns=(
        InputColumn("case_id", "Pseudonymous case reference, e.g. R-0001 (never a name, NHS number or postcode)", "text"),
        InputColumn("age_band", "Age band of the person", "text", choices=AGE_BANDS),
        InputColumn("primary_support_reason", "Primary support reason", "text", choices=SUPPORT_REASONS),
        InputColumn("decision_point", "Where in the journey the decision was made", "text", choices=DECISION_POINTS),
        InputColumn("review_date", "Date of the MDT review (YYYY-MM-DD)", "text"),
        *_outcome_columns("actual"),
        *_outcome_columns("proposed"),
        *_outcome_columns("ideal"),
        InputColumn("gap_reason", "Main reason the actual outcome differs from the ideal ('no gap' if none)", "text", choices=GAP_REASONS),
        InputColumn("short_term_offered", "Was a short-term service (e.g. reablement) offered?", "text", choices=YES_NO),
        InputColumn("short_term_should_have", "Should a short-term service have been offered?", "text", choices=YES_NO),
    ),
    example_rows=(
        ("R-0001", "65+", "physical support", "hospital discharge", "2024-04-15", 5, "residential care", 0, 850,
         5, "residential care", 0, 850, 3, "home care", 14, 245, "service capacity", "no", "yes"),
    ),
    example_key="case_id",
)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    rung: int
    setting: str
    hours: float
    weekly_cost: float


@dataclass(frozen=True)
class CaseReview:
    """One case a practitioner reviewed: the outcome the person got, the one proposed and the ideal one."""

    case_id: str
    age_band: str
    primary_support_reason: str
    decision_point: str
    review_date: dt.date
    actual: Outcome
    proposed: Outcome
    ideal: Outcome
    gap_reason: str
    short_term_offered: bool
    short_term_should_have: bool

    @property
    def cohort(self) -> str:
        return f"{self.age_band} {self.primary_support_reason}"


def more_independent(a: Outcome, b: Outcome) -> bool:
    """True when `a` is more independent than `b`: a lower rung, or the same rung with fewer hours."""
    return a.rung < b.rung or (a.rung == b.rung and a.hours < b.hours)


def at_least_as_independent(a: Outcome, b: Outcome) -> bool:
    return not more_independent(b, a)


# --- pseudonymity: careflow.outcomes.pseudonymity (re-exported here for existing callers) -------------------------

# --- import -------------------------------------------------------------------------------------------------------


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_review_rows(path: Path, problems: Problems) -> list[InputRow]:
    """Checked rows from an .xlsx workbook (sheet 'reviews'), a folder with reviews.csv, or one .csv file."""
    return read_tables(path, [REVIEWS], problems).get(REVIEWS.name, [])


def reviews_from_rows(
    file: str, rows: Sequence[InputRow], problems: Problems, today: dt.date | None = None
) -> list[CaseReview]:
    """Cross-row and cross-column checks (identifiers, dates, rung vs setting, duplicates) and typed reviews."""
    today = today or dt.date.today()
    reviews: list[CaseReview] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    sheet = REVIEWS.name
    for row in rows:
        number = row["_row"]
        ok = True

        def report(found: str, expected: str, column: str, number: int = number) -> None:
            nonlocal ok
            problems.add(Problem(file, found, expected, sheet, number, column))
            ok = False

        case_id = str(row["case_id"])
        identifying = identifying_content(case_id, today)
        if identifying:  # the kind only: repeating the text would copy the personal data into terminals and logs
            report(identifying, "a pseudonymous case reference (e.g. R-0001); remove the personal data", "case_id")
        date = parse_date(row["review_date"])
        if date is None:
            report("text that is not a date", "a date as YYYY-MM-DD (or DD/MM/YYYY)", "review_date")
        elif date > today:
            report(f"{date.isoformat()}, a date in the future", "the date the MDT reviewed the case", "review_date")
        if row["decision_point"] == "transition to adulthood" and row["age_band"] != "18-64":
            report(
                f"transition to adulthood for someone aged {row['age_band']}",
                "age band 18-64 for a transition from children's services",
                "decision_point",
            )
        outcomes = {}
        for prefix in OUTCOMES:
            rung, setting = row[f"{prefix}_rung"], row[f"{prefix}_setting"]
            if rung < 1:
                report(f"{rung}", "a rung from 1 (no formal support) to 6 (nursing care)", f"{prefix}_rung")
            elif SETTING_RUNG[setting] != rung:
                report(
                    f"rung {rung} with setting '{setting}'",
                    f"rung {SETTING_RUNG[setting]} for '{setting}' (or a setting on rung {rung})",
                    f"{prefix}_rung",
                )
            outcomes[prefix] = Outcome(
                rung, setting, float(row[f"{prefix}_hours"]), float(row[f"{prefix}_weekly_cost"])
            )
        if not ok:
            continue
        gap = more_independent(outcomes["ideal"], outcomes["actual"])
        if gap and row["gap_reason"] == "no gap":
            report(
                "'no gap' although the ideal is more independent than the actual outcome",
                "the main reason for the gap",
                "gap_reason",
            )
            continue
        assert date is not None
        key = (case_id, row["decision_point"], date)
        if key in seen:
            report(
                f"a second review of '{case_id}' at {row['decision_point']} on {date.isoformat()}",
                f"one row per case, decision point and date (first at row {seen[key]})",
                "case_id",
            )
            continue
        seen[key] = number
        reviews.append(
            CaseReview(
                case_id=case_id,
                age_band=row["age_band"],
                primary_support_reason=row["primary_support_reason"],
                decision_point=row["decision_point"],
                review_date=date,
                actual=outcomes["actual"],
                proposed=outcomes["proposed"],
                ideal=outcomes["ideal"],
                gap_reason=row["gap_reason"],
                short_term_offered=row["short_term_offered"] == "yes",
                short_term_should_have=row["short_term_should_have"] == "yes",
            )
        )
    return reviews


def load_reviews(path: Path) -> list[CaseReview]:
    """Read and check a case-review file; raise `InputError` listing every problem, or return every review."""
    problems = Problems()
    rows = read_review_rows(Path(path), problems)
    reviews = reviews_from_rows(str(path), rows, problems)
    if not problems and not reviews:
        problems.add(Problem(str(path), "no reviews", "at least one reviewed case", REVIEWS.name))
    problems.raise_if_any()
    return reviews


def review_row(review: CaseReview) -> list[Any]:
    """A review as a row in the template's column order (for export)."""
    cells: list[Any] = [
        review.case_id,
        review.age_band,
        review.primary_support_reason,
        review.decision_point,
        review.review_date.isoformat(),
    ]
    for outcome in (review.actual, review.proposed, review.ideal):
        cells += [outcome.rung, outcome.setting, outcome.hours, outcome.weekly_cost]
    cells += [
        review.gap_reason,
        "yes" if review.short_term_offered else "no",
        "yes" if review.short_term_should_have else "no",
    ]
    return cells


TEMPLATE_INSTRUCTIONS = (
    "Record one row per case reviewed by the multi-disciplinary team (MDT), at one decision point.",
    "For each case give the actual outcome, the practitioner's proposal and the MDT's ideal outcome.",
    "Rungs follow the independence ladder: 1 no formal support, 2 short-term support only, 3 home care or "
    "direct payment, 4 supported living / Shared Lives / extra care, 5 residential care, 6 nursing care.",
    "Use pseudonymous case references only: careflow rejects names, NHS numbers, postcodes, e-mail addresses, "
    "dates of birth, and any column that is not in this template.",
    "Check the file with: careflow reviews validate FILE",
)
