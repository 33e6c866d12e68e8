"""Import benchmark: wall time of `careflow import --all` stages on the 2021-22 tables (median of repeats).

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/imports.py [--repeats N] [--public DIR]`.
Goals from issue 10: reading and building every council ≤ 30 s; the opportunity over all councils ≤ 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"read tables": None, "build all baselines": None, "import (read + build)": 30.0, "opportunity, all": 10.0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--public", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "public"
    )
    parser.add_argument("--write", action="store_true", help="also time writing every baseline workbook")
    args = parser.parse_args()
    tables = args.public / "nhs-ascfr-salt-data-tables-2021-22.xlsx"
    if not tables.exists():
        print(f"skipped: {tables} not found")
        return 0
    from careflow.baseline.io import write_baseline_workbook
    from careflow.imports import import_councils
    from careflow.imports.report import council_lines
    from careflow.imports.tables import Publication

    times: dict[str, list[float]] = {k: [] for k in GOALS}
    times["write all workbooks"] = []
    counts = (0, 0)
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        pub = Publication(tables)
        t1 = time.perf_counter()
        result = import_councils(pub)
        t2 = time.perf_counter()
        council_lines(result)
        t3 = time.perf_counter()
        times["read tables"].append(t1 - t0)
        times["build all baselines"].append(t2 - t1)
        times["import (read + build)"].append(t2 - t0)
        times["opportunity, all"].append(t3 - t2)
        counts = (len(result.imported), len(result.refused))
        if args.write:
            with tempfile.TemporaryDirectory() as folder:
                t4 = time.perf_counter()
                for code, item in result.imported.items():
                    write_baseline_workbook(Path(folder) / f"{code}.xlsx", item.baseline)
                times["write all workbooks"].append(time.perf_counter() - t4)
    print(
        f"careflow import benchmark: {counts[0]} imported, {counts[1]} refused; {args.repeats} repeats; "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}"
    )
    print(f"{'stage':<26}{'median s':>10}{'min s':>9}{'goal s':>9}")
    for stage, values in times.items():
        if values:
            goal = GOALS.get(stage)
            print(
                f"{stage:<26}{statistics.median(values):>10.2f}{min(values):>9.2f}{(f'{goal:.0f}' if goal else '—'):>9}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
