"""The built-in `england-2021-22` baseline: England's row of the 2021-22 ASC-FR and SALT tables.

Unlike `england-2019-20`, whose bases were solved back from the printed results of *The Future of Adult
Social Care* (so reproducing those results checks the arithmetic, not the model), this baseline is built
from the published statistics alone, by the same importer as every council. Care-home admissions are ASCOF
2A (2020-21, the open data beside the tables) when that file is present, else the tables' estimate (clients who
left care homes in the year).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem

TABLES_2021_22 = "nhs-ascfr-salt-data-tables-2021-22.xlsx"
ASCOF_2020_21 = "nhs-ascof-2020-21-open-data.xlsx"  # care-home admissions (2A); estimated from the tables without it
PUBLIC_DATA_ENV = "CAREFLOW_PUBLIC_DATA"


def public_data_folder() -> Path | None:
    """The folder of published statistics: $CAREFLOW_PUBLIC_DATA, else `../shared/data/public` beside a checkout."""
    if os.environ.get(PUBLIC_DATA_ENV):
        return Path(os.environ[PUBLIC_DATA_ENV])
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            candidate = folder.parent / "shared" / "data" / "public"
            if (candidate / TABLES_2021_22).exists():
                return candidate
    return None


def tables_2021_22() -> Path:
    folder = public_data_folder()
    if folder is None or not (folder / TABLES_2021_22).exists():
        raise InputError(
            [
                Problem(
                    "england-2021-22",
                    "no copy of NHS Digital's 2021-22 ASC-FR and SALT data tables",
                    f"the file {TABLES_2021_22} in a folder named by ${PUBLIC_DATA_ENV} (download it from "
                    "https://digital.nhs.uk/data-and-information/publications/statistical/"
                    "adult-social-care-activity-and-finance-report/2021-22)",
                )
            ]
        )
    return folder / TABLES_2021_22


@cache
def england_2021_22() -> Baseline:
    from careflow.imports import import_councils

    tables = tables_2021_22()
    ascof = tables.parent / ASCOF_2020_21
    result = import_councils(tables, councils=[], include_england=True, ascof=ascof if ascof.exists() else None)
    assert result.england is not None
    return result.england.baseline
