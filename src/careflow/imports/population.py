"""Population by age band from an ONS mid-year estimates CSV (single year of age), to split the 65+ total.

The ASC-FR and SALT tables print adults aged 18–64 and 65+ (Table 12). careflow's demography needs 65–74,
75–84 and 85+; an ONS file gives each council's own shares of those bands. Codes are matched, never names.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from careflow.baseline.schema import PopulationBand
from careflow.errors import InputError, Problem

OLDER_BANDS: dict[PopulationBand, tuple[int, int]] = {"65-74": (65, 74), "75-84": (75, 84), "85+": (85, 90)}


def _age(header: str) -> int | None:
    text = header.strip().rstrip("+")
    return int(text) if text.isdigit() else None


def read_older_shares(path: Path) -> tuple[dict[str, dict[PopulationBand, float]], str]:
    """ONS code → share of its people aged 65+ in each older band; and a description of the source."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError([Problem(str(path), f"a file that cannot be read ({error})", "an ONS mid-year CSV")]) from None
    with handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        ages = {i: _age(h) for i, h in enumerate(header)}
        code_at = next((i for i, h in enumerate(header) if h.strip().lower() == "code"), None)
        if code_at is None or not any(a == 90 for a in ages.values()):
            raise InputError(
                [
                    Problem(
                        str(path),
                        f"columns {', '.join(header[:6])} …",
                        "an ONS mid-year estimates CSV with 'Code' and single years of age up to '90+'",
                        row=1,
                    )
                ]
            )
        shares: dict[str, dict[PopulationBand, float]] = {}
        for row in reader:
            if len(row) != len(header) or not re.match(r"^E\d{8}$", row[code_at].strip()):
                continue
            counts = {
                band: sum(float(row[i] or 0) for i, a in ages.items() if a is not None and low <= a <= high)
                for band, (low, high) in OLDER_BANDS.items()
            }
            total = sum(counts.values())
            if total > 0:
                shares[row[code_at].strip()] = {band: n / total for band, n in counts.items()}
    year = re.search(r"(19|20)\d{2}", path.name)
    return shares, f"ONS mid-year population estimates{f' (mid-{year.group(0)})' if year else ''}, {path.name}"
