"""Council population growth from ONS files: 2016-based projections (60+, lower tier) and mid-year estimates.

ONS projects people aged 60 and over only for lower-tier areas; they are added up to upper tier (the level at which
councils provide social care) with ONS's lower-tier to upper-tier lookup (December 2022). Areas whose lower tier
changed between 2016 and 2022 (Dorset, Bournemouth, Christchurch and Poole, Buckinghamshire, Suffolk, Somerset,
Northamptonshire) are mapped by hand below, to the council that provided social care in 2020-21. The oldest ONS
group is "90 and over", open-ended; it lies wholly inside careflow's 85+ band, so no split is needed.
Working-age (18-64) growth comes from the mid-year estimates, mid-2016 → mid-2020, where both name the council
(England's trend for councils formed since 2016: Dorset, Bournemouth, Christchurch and Poole, Buckinghamshire).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np

from careflow.baseline.schema import Baseline, PopulationBand
from careflow.errors import InputError, Problem
from careflow.simulate.settings import DEFAULT_GROWTH, ProjectionSettings, Rate

SNPP_FILE = "ons-snpp-2016-based-60plus-ltla.csv"
LOOKUP_FILE = "ons-ltla-to-utla-lookup-dec-2022.csv"
MYE_2016_FILE = "ons-mid-year-estimates-2016.xls"
MYE_2020_FILE = "ons-mid-year-estimates-2020-on-2021-geography.xls"
SNPP_FIRST_YEAR = 2016
OLDER_BANDS = ("65-74", "75-84", "85+")
ENGLAND = "E92000001"

# 2016 lower-tier codes gone by December 2022 → the upper-tier council of 2020-21.
RETIRED_LOWER_TIER: dict[str, str] = {
    **{c: "E06000058" for c in ("E06000028", "E06000029", "E07000048")},  # Bournemouth, Christchurch and Poole
    **{c: "E06000059" for c in ("E07000049", "E07000050", "E07000051", "E07000052", "E07000053")},  # Dorset
    **{c: "E06000060" for c in ("E07000004", "E07000005", "E07000006", "E07000007")},  # Buckinghamshire
    **{c: "E10000029" for c in ("E07000201", "E07000204", "E07000205", "E07000206")},  # Suffolk
    **{c: "E10000027" for c in ("E07000190", "E07000191")},  # Somerset
    **{f"E0700015{i}": "E10000021" for i in range(7)},  # Northamptonshire (one council until April 2021)
}


def _band(age: int) -> int | None:
    if age < 65:
        return None
    return 0 if age < 75 else 1 if age < 85 else 2


@cache
def older_projection(folder: Path) -> dict[str, np.ndarray]:
    """ONS 2016-based projections of people 65-74, 75-84 and 85+ by upper-tier council: (years 2016…, 3 bands)."""
    upper: dict[str, str] = dict(RETIRED_LOWER_TIER)
    with open(folder / LOOKUP_FILE, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            upper.setdefault(row["LTLA22CD"], row["UTLA22CD"])
    totals: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((26, 3)))
    with open(folder / SNPP_FILE, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        years = [k for k in reader.fieldnames or [] if k.isdigit()]
        for row in reader:
            band = _band(int(row["AGE_GROUP"]))
            code = upper.get(row["AREA_CODE"])
            if band is None or code is None:
                continue
            totals[code][: len(years), band] += [float(row[y]) for y in years]
    return dict(totals)


@cache
def working_age(folder: Path) -> dict[str, tuple[float, float]]:
    """People aged 18-64 at mid-2016 and mid-2020 by ONS area code (both estimates needed)."""
    import xlrd

    def read(name: str, sheet: str) -> dict[str, float]:
        book = xlrd.open_workbook(str(folder / name), on_demand=True)
        rows = book.sheet_by_name(sheet)
        header = next(i for i in range(rows.nrows) if str(rows.cell_value(i, 0)).strip() == "Code")
        labels = [str(v).strip().removesuffix(".0") for v in rows.row_values(header)]
        first, last = labels.index("18"), labels.index("64")
        found = {}
        for i in range(header + 1, rows.nrows):
            values = rows.row_values(i)
            code = str(values[0]).strip()
            if code.startswith("E"):
                found[code] = float(sum(values[first : last + 1]))
        return found

    early = read(MYE_2016_FILE, "MYE2 - All")
    late = read(MYE_2020_FILE, "MYE2 - Persons")
    parts = [late.get("E06000061"), late.get("E06000062")]
    if all(p is not None for p in parts):
        late.setdefault("E10000021", sum(p for p in parts if p is not None))
    return {code: (early[code], late[code]) for code in early.keys() & late.keys()}


def council_growth(folder: Path, code: str, first_year: int, years: int) -> dict[str, list[float]] | None:
    """Yearly growth by band for a council from mid-`first_year` on, as ONS projected it; None if not covered.

    18-64: the mid-2016 → mid-2020 trend, held level. Older bands: the 2016-based projection year by year.
    """
    folder = Path(folder)
    older = older_projection(folder).get(code)
    # Councils created after mid-2016 have no 2016 estimate: England's working-age trend stands in.
    adults = working_age(folder).get(code) or working_age(folder).get(ENGLAND)
    if older is None or adults is None or older[0].min() <= 0:
        return None
    start = first_year - SNPP_FIRST_YEAR
    if start < 0 or start + years >= older.shape[0]:
        return None
    path = older[start : start + years + 1]
    rates = path[1:] / path[:-1] - 1.0
    trend = (adults[1] / adults[0]) ** (1 / 4) - 1.0
    growth = {"18-64": [float(trend)] * years}
    for b, band in enumerate(OLDER_BANDS):
        growth[band] = [float(r) for r in rates[:, b]]
    return growth


def required_files() -> list[tuple[str, str]]:
    """(file name, publisher and title) of every file the backtest reads, for a clear message when one is missing."""
    from careflow.simulate.history import TABLES_FILE, TABLES_TITLE

    return [
        (TABLES_FILE, TABLES_TITLE),
        (SNPP_FILE, "ONS, 2016-based subnational population projections, people aged 60+ by lower-tier area"),
        (LOOKUP_FILE, "ONS, lower-tier to upper-tier local authority lookup, December 2022"),
        (MYE_2016_FILE, "ONS, mid-year population estimates, mid-2016 (MYE2)"),
        (MYE_2020_FILE, "ONS, mid-year population estimates, mid-2020 on 2021 geography (MYE2)"),
    ]


def council_rates(
    folder: Path, code: str, first_year: int, years: int
) -> dict[PopulationBand, Rate | list[float]] | None:
    """A council's growth by band as sampled rates: central = its ONS rate averaged over the horizon; the range is
    England's default range moved to that centre (how uncertain demography is does not depend on the council)."""
    path = council_growth(folder, code, first_year, years)
    if path is None:
        return None
    rates: dict[PopulationBand, Rate | list[float]] = {}
    for band, default in DEFAULT_GROWTH.items():
        central = float(np.mean(path[band]))
        if isinstance(default, list):  # England's defaults are ranges; a fixed path has no range to move
            continue
        low = central + ((default.low if default.low is not None else default.central) - default.central)
        high = central + ((default.high if default.high is not None else default.central) - default.central)
        rates[band] = Rate(central=central, low=min(low, central), high=max(high, central))
    return rates


def council_demography(
    settings: ProjectionSettings, baseline: Baseline, folder: Path
) -> tuple[ProjectionSettings, str]:
    """The council's ONS population growth, unless the scenario fixes population growth itself; and what was done."""
    missing = [n for n in (SNPP_FILE, LOOKUP_FILE, MYE_2016_FILE, MYE_2020_FILE) if not (folder / n).is_file()]
    if missing:
        raise InputError([Problem(str(folder / n), "no such file", "the ONS file of that name") for n in missing])
    if "population_growth" in settings.model_fields_set:
        return settings, "The scenario sets population growth itself; --population-data is not used."
    code = baseline.council.ons_code
    first_year = int(baseline.council.financial_year[:4])
    rates = council_rates(folder, code, first_year, settings.years) if code else None
    if rates is None:
        return (
            settings,
            f"No ONS projection for {code or 'a baseline without an ONS code'} from {first_year}; England's used.",
        )
    message = f"Population growth: ONS 2016-based projections for {code}, {first_year} onwards."
    return settings.model_copy(update={"population_growth": rates}), message
