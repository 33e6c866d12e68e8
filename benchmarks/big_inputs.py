"""Time and peak memory of careflow on 50 MB (and just-under-the-limit) inputs: run `python benchmarks/big_inputs.py`.

Each case is a separate `careflow` process measured with GNU time (`/usr/bin/time -v`): wall-clock seconds,
peak resident memory (MiB) and the exit code. The inputs are written to a temporary folder and deleted after.
Figures are printed, never asserted (speed depends on the machine).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
MB = 1024 * 1024


def grow(source: list[str], header_lines: int, target_bytes: int, path: Path) -> None:
    """Write `source`'s header, then its data lines repeated (duplicates) until the file reaches target_bytes."""
    body = source[header_lines:]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(source[:header_lines]) + "\n")
        written = 0
        while written < target_bytes:
            for line in body:
                handle.write(line + "\n")
                written += len(line) + 1


def measure(label: str, *args: str) -> None:
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "careflow", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    seconds = 0.0
    if elapsed:
        hours, minutes, secs = elapsed.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    mib = int(peak.group(1)) / 1024 if peak else float("nan")
    code = re.search(r"Exit status: (\d+)", result.stderr)
    print(f"{label:<58} {seconds:7.2f} s {mib:8.1f} MiB  exit {code.group(1) if code else '?'}")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="careflow-big-"))
    try:
        reviews = (EXAMPLES / "case_reviews_synthetic.csv").read_text(encoding="utf-8").splitlines()
        indicators = (EXAMPLES / "indicators_synthetic.csv").read_text(encoding="utf-8").splitlines()
        baseline = work / "baseline"
        # A baseline CSV folder: the demo baseline's tables, with long_term.csv grown by duplicate rows.
        from careflow.baseline.io import TABLES, baseline_rows, builtin

        baseline.mkdir()
        rows = baseline_rows(builtin("demo"))
        for table in TABLES:
            lines = [",".join(c.name for c in table.columns)]
            lines += [",".join("" if v is None else str(v) for v in r) for r in rows.get(table.name, [])]
            (baseline / f"{table.name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        long_term = (baseline / "long_term.csv").read_text(encoding="utf-8").splitlines()
        print(f"{'case':<58} {'time':>9} {'peak memory':>12}")
        for size_mb in (50, 19):
            grow(long_term, 1, size_mb * MB, baseline / "long_term.csv")
            measure(f"validate: baseline CSV folder, long_term.csv {size_mb} MB", "validate", str(baseline))
            grow(indicators, 2, size_mb * MB, work / "ind.csv")
            measure(f"indicators report: {size_mb} MB monthly CSV", "indicators", "report", str(work / "ind.csv"))
            grow(reviews, 2, size_mb * MB, work / "rev.csv")
            measure(
                f"reviews summary: {size_mb} MB of duplicate review rows", "reviews", "summary", str(work / "rev.csv")
            )
        grow(reviews, 2, 2 * MB, work / "rev.csv")
        measure("reviews summary: 2 MB of duplicate review rows", "reviews", "summary", str(work / "rev.csv"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
