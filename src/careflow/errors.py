"""Input problems that users can act on: where (file, sheet, row, column), what was found, what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

# The first N problems are listed and the rest counted: a file with 300,000 bad rows needs fixing at the
# source, and listing them all would take minutes and fill the terminal (or a log) with tens of MB.
MAX_PROBLEMS_LISTED = 200


@dataclass(frozen=True)
class Problem:
    """One located problem in an input. Row numbers are as the user sees them (spreadsheet rows)."""

    file: str
    found: str
    expected: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, str | int | None]:
        """The problem for machines (`validate --json`): each part of the location in its own field."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "found": self.found,
            "expected": self.expected,
            "where": self.location(),
        }

    def __str__(self) -> str:
        return f"{self.location()}: found {self.found}; expected {self.expected}"


class InputError(Exception):
    """Raised when an input cannot be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], unlisted: int = 0):
        self.problems = list(problems)[:MAX_PROBLEMS_LISTED]
        self.unlisted = unlisted + max(0, len(problems) - MAX_PROBLEMS_LISTED)  # found but not listed
        more = f"\n… and {self.unlisted:,} more problem(s)" if self.unlisted else ""
        super().__init__("\n".join(str(p) for p in self.problems) + more)


class Problems:
    """Collects problems while reading, so that all of them are reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.unlisted = 0  # problems found beyond the first MAX_PROBLEMS_LISTED, counted only
        # rows with a cell problem, keyed by table, holding the cells that did read (bad ones as None), so
        # that cross-checks on their other cells still run in the same round
        self.rejected_rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, problem: Problem) -> None:
        if len(self.items) < MAX_PROBLEMS_LISTED:
            self.items.append(problem)
        else:
            self.unlisted += 1

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items, self.unlisted)


class FieldProblems(ValueError):
    """Raised inside a model validator to report several located problems: (where, found, expected) each."""

    def __init__(self, items: list[tuple[str, str, str]]):
        self.items = items
        super().__init__("; ".join(f"{found} at {where}: expected {expected}" for where, found, expected in items))


def problems_from_validation(file: str, error: ValidationError, sheet: str | None = None) -> list[Problem]:
    """Translate pydantic's errors into located problems ('levers → care_home_admissions → effects …')."""
    problems = []
    for item in error.errors():
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, FieldProblems):
            problems += [
                Problem(file, f"{found} at {where}", expected, sheet) for where, found, expected in cause.items
            ]
            continue
        where = " → ".join(str(p) for p in item["loc"])
        found = repr(item.get("input"))[:80]
        problems.append(Problem(file, f"{found} at {where}", item["msg"], sheet))
    return problems


class NotMigrated(Exception):
    """The web app's database is missing careflow's tables or is at an older migration than this careflow needs.

    Here rather than in the store, so that `careflow serve` can say so without reaching into the store."""
