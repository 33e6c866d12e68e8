"""Limits on every input careflow reads: file sizes, numbers, text lengths and how many problems are listed.

They are checked before parsing (sizes) or while checking each value (numbers, text), so a hostile or
mistaken file is refused in seconds with a message, rather than filling memory. The figures are generous:
the largest real inputs (a county's finance pack, a year of monthly indicators, a few thousand case
reviews) are well under a tenth of each limit. docs/limits.md lists them for users.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator

from careflow.errors import MAX_PROBLEMS_LISTED as MAX_PROBLEMS_LISTED  # kept with the errors; listed here too
from careflow.errors import InputError, Problem

MAX_TABLE_FILE_BYTES = 20 * 1024 * 1024  # one workbook or CSV file (a finance pack is ~50 KB)
MAX_TABLE_ROWS = 50_000  # rows in one table (a large council's year of case reviews is a few thousand)
MAX_MAGNITUDE = 1e12  # people or £: ten times England's whole adult social care spend is ~£2e11
MAX_TEXT_CHARS = 2_000  # one cell of text (a commentary paragraph is a few hundred)
MAX_NAME_CHARS = 200  # names that become titles and file names (council, scenario)
MAX_WORKBOOK_UNZIPPED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip: its expanded size, checked before opening


def number_problem(value: float) -> str | None:
    """What is wrong with a number, or None: refuses NaN, ±infinity and magnitudes beyond MAX_MAGNITUDE."""
    if math.isnan(value):
        return "NaN (not a number)"
    if math.isinf(value):
        return "infinity"
    if abs(value) > MAX_MAGNITUDE:
        return f"{value:g}, an implausible magnitude (more than {MAX_MAGNITUDE:g})"
    return None


def _finite(value: float) -> float:
    problem = number_problem(value)
    if problem is not None:
        raise ValueError(f"found {problem}; expected a finite number of at most {MAX_MAGNITUDE:g} in size")
    return value


# A float field for pydantic models read from user documents (scenarios, profiles, settings).
Finite = Annotated[float, AfterValidator(_finite)]


def check_file_size(path: Path, limit: int = MAX_TABLE_FILE_BYTES, what: str = "file") -> None:
    """Refuse a file over `limit` bytes before anything reads it."""
    size = Path(path).stat().st_size
    if size > limit:
        raise InputError(
            [Problem(str(path), f"a {what} of {size:,} bytes", f"at most {limit:,} bytes (see docs/limits.md)")]
        )


def check_text(value: Any, where: str, limit: int = MAX_NAME_CHARS) -> None:
    """Refuse over-long text (names end up in titles and file names)."""
    if isinstance(value, str) and len(value) > limit:
        raise InputError([Problem(where, f"text of {len(value):,} characters", f"at most {limit:,} characters")])
