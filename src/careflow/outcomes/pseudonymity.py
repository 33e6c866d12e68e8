"""Spotting personal data in fields that must be pseudonymous (case ids): NHS numbers, postcodes, e-mails, dates, names.

Each check says only what KIND of identifier it found, never the text itself, so that a message printed to a
terminal or a log does not repeat the personal data it is warning about. The checks are pragmatic
pattern-matching, tuned to refuse the identifiers councils most often paste into a reference column while
letting ordinary pseudonymous references and team names ("R-0001", "MDT-2024-ABC", "Team North") through;
`benchmarks`-style figures for both rates are in the issue-12 note and tests/hostile/test_pseudonymity.py.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from importlib import resources

SEPARATORS = r"[\s./_\-]*"
# Ten digits with any separators between them (spaces, dots, slashes, underscores, hyphens, several in a row).
TEN_DIGITS = re.compile(rf"(?<!\d)\d(?:{SEPARATORS}\d){{9}}(?!\d)")
# A UK postcode anywhere, its two halves joined by any separator ("NR1 2DH", "nr1-2dh", "R-0001-NR1_2DH").
POSTCODE = re.compile(
    rf"(?<![A-Z])[A-Z]{{1,2}}[0-9][A-Z0-9]?{SEPARATORS}[0-9][ABD-HJLNP-UW-Z]{{2}}(?![A-Z])", re.IGNORECASE
)
_AT = r"(?:@|\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*|\s+dot\s+)"
EMAIL = re.compile(rf"[\w.+\-]+{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[a-z]{{2,6}}\b", re.IGNORECASE)
# Dates: 12/03/1948, 12-3-48, 1948-03-12, 12.03.1948, 12 March 1948, 12 Mar 48
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})[./\-](\d{1,2})[./\-](\d{4}|\d{2})(?!\d)")
DATE_YMD = re.compile(r"(?<!\d)(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})(?!\d)")
DATE_WORDS = re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:{_MONTHS})[a-z]*\.?\s*(\d{{4}}|\d{{2}})(?!\d)", re.IGNORECASE)
DATE_COMPACT = re.compile(r"(?<!\d)(\d{8})(?!\d)")  # 12031948 or 19480312
DOB_WORDS = re.compile(r"\b(?:dob|d\.o\.b|born|date of birth)\b", re.IGNORECASE)
TITLE = re.compile(r"(?<![a-z])(?:mr|mrs|ms|miss|mx|dr|sir|dame|rev)\.?\s+[^\W\d_]", re.IGNORECASE)
INITIAL_AND_NAME = re.compile(r"(?<![^\W\d_])[A-Z]\.?\s+[A-Z][^\W\d_]{2,}")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
ADULT_AGE = 16  # a date at least this many years ago reads as a date of birth, not a review or referral date


def nhs_check_digit_valid(digits: str) -> bool:
    """The NHS number modulus-11 check: weights 10..2 on the first nine digits; 11 − remainder is the tenth."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _plain(word: str) -> str:
    """Lower case without accents ('Renée' → 'renee'), so one list serves every spelling."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


@cache
def common_names() -> frozenset[str]:
    """Common forenames and surnames in England (data/common_names.csv), less those that are ordinary words."""
    text = resources.files("careflow.outcomes").joinpath("data", "common_names.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[2:] if line and not line.startswith("#")]
    return frozenset(_plain(name) for _, name in rows)


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:  # 48 → 1948, 05 → 2005: the century that puts the date in the past
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _looks_like_birth_date(text: str, today: dt.date) -> bool:
    years = [_year(m.group(3), today) for m in DATE_DMY.finditer(text) if 1 <= int(m.group(2)) <= 12]
    years += [int(m.group(1)) for m in DATE_YMD.finditer(text) if 1 <= int(m.group(2)) <= 12]
    years += [_year(m.group(2), today) for m in DATE_WORDS.finditer(text)]
    for m in DATE_COMPACT.finditer(text):
        digits = m.group(1)
        for day, month, year in ((digits[:2], digits[2:4], digits[4:]), (digits[6:], digits[4:6], digits[:4])):
            if 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
                years.append(int(year))
    return any(1900 <= y <= today.year - ADULT_AGE for y in years)


def _has_name(text: str) -> bool:
    if TITLE.search(text) or INITIAL_AND_NAME.search(text):
        return True
    names = common_names()
    return any(_plain(word) in names for word in WORD.findall(text) if len(word) > 1)


def identifying_content(text: str, today: dt.date | None = None) -> str | None:
    """The kind of personal data that `text` seems to hold ('a valid NHS number', …), or None if none is seen."""
    today = today or dt.date.today()
    for match in TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if nhs_check_digit_valid(digits):
            return "a valid NHS number"
    if TEN_DIGITS.search(text):
        return "ten digits like an NHS number"
    if EMAIL.search(text):
        return "something that looks like an e-mail address"
    if POSTCODE.search(text):
        return "something like a postcode"
    if DOB_WORDS.search(text) or _looks_like_birth_date(text, today):
        return "a date that looks like a date of birth"
    if _has_name(text):
        return "something that looks like a person's name"
    return None
