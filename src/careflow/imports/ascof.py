"""Permanent admissions to care homes from NHS Digital's ASCOF open data (measures 2A(1) and 2A(2)).

The ASC-FR and SALT tables give no count of permanent admissions, only an estimate (clients who left
care homes in the year). ASCOF 2A's numerator is the count itself. The open data file is one row per
council × measure × value type; columns are found by their header labels.
"""

from __future__ import annotations

import re
from pathlib import Path

from careflow.baseline.schema import AgeBand
from careflow.errors import InputError, Problem
from careflow.imports.tables import YEAR, label, read_sheets
from careflow.provenance import Quoted

MEASURES: dict[str, AgeBand] = {"2a1": "18-64", "2a2": "65+"}
HEADERS = ("ons code", "ascof measure code", "disaggregation level", "measure type", "measure value")


def read_admissions(path: Path) -> tuple[dict[str, dict[AgeBand, tuple[float, Quoted]]], str]:
    """ONS code → age band → (admissions, quoted provenance); and the ASCOF year found in the file name."""
    path = Path(path)
    _, grid = read_sheets(path, "NHS Digital's ASCOF open data (.xlsx)", first_only=True)[0]
    found = YEAR.search(path.name)
    year = found.group(0) if found else "year not stated"
    rows = iter(grid)
    header = [label(v) for v in next(rows, ())]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise InputError(
            [Problem(str(path), f"no column {', '.join(missing)}", "ASCOF open data columns", "sheet 1", 1)]
        )
    at = {h: header.index(h) for h in (*HEADERS, "geographical description")}
    out: dict[str, dict[AgeBand, tuple[float, Quoted]]] = {}
    for number, row in enumerate(rows, start=2):
        measure = re.sub(r"[^0-9a-z]", "", label(row[at["ascof measure code"]]))
        if (
            measure not in MEASURES
            or label(row[at["measure type"]]) != "numerator"
            or label(row[at["disaggregation level"]]) != "total"
        ):
            continue
        value = row[at["measure value"]]
        if not isinstance(value, int | float):
            continue  # "[x]" and other markers: the proxy is used instead, and flagged
        code = str(row[at["ons code"]]).strip()
        name = str(row[at["geographical description"]] or code)
        age = MEASURES[measure]
        out.setdefault(code, {})[age] = (
            float(value),
            Quoted(
                document=path.name,
                line=f"row {number}",
                as_printed=str(value),
                source_id=f"nhs-ascof-{year}" if found else None,
                location=f"ASCOF {measure[:2].upper()}({measure[2:]}) numerator, {name} ({code})",
            ),
        )
    return out, year
