"""Issue 12: every file-reading command over the hostile corpus (tests/hostile_corpus.py), in this process.

For each command and input: exit 0 or 2 (never 3, never a traceback); on exit 2 nothing written; on exit 0 no
formula in any spreadsheet or CSV cell and no live markup in any HTML page; and memory stays bounded.
"""

from __future__ import annotations

import csv
import resource
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from careflow.safety import formula_cells, risky_csv_cells
from cli_runner import invoke
from hostile_corpus import COMMANDS, corpus


class _LiveMarkup(HTMLParser):
    """Elements and attributes a hostile payload would add: script, img, or any on… event handler."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe"):
            self.found.append(f"<{tag}>")
        self.found += [f"{tag} {name}=" for name, _ in attrs if name.startswith("on")]


def live_markup(page: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(page)
    return parser.found


PEAK_LIMIT_KIB = 1024 * 1024  # 1 GiB for the whole test process


def _outputs(out: Path) -> list[Path]:
    candidates = [out, out.with_name(out.name + ".csv"), out.with_name(out.name + ".yaml")]
    found = []
    for path in candidates:
        if path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file()]
        elif path.exists():
            found.append(path)
    return found


def _check_outputs(paths: list[Path]) -> list[str]:
    faults = []
    for path in paths:
        if path.suffix == ".xlsx":
            faults += [f"{path.name}: formula at {c}" for c in formula_cells(path)]
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                faults += [f"{path.name}: risky cell {c}" for c in risky_csv_cells(list(csv.reader(handle)))]
        elif path.suffix == ".html":
            faults += [f"{path.name}: live markup {m}" for m in live_markup(path.read_text(encoding="utf-8"))]
    return faults


@pytest.mark.slow
def test_every_command_over_the_hostile_corpus(tmp_path: Path) -> None:
    entries = corpus()
    results: dict[str, int] = {"exit 0": 0, "exit 2": 0}
    failures: list[str] = []
    start = time.perf_counter()
    runs = 0
    spent: dict[str, float] = {}  # seconds by command, to keep the matrix quick
    for n, entry in enumerate(entries):
        folder = tmp_path / f"{n:03d}"
        folder.mkdir()
        source = entry.make(folder)
        for c, command in enumerate(COMMANDS[entry.kind]):
            out = folder / f"out{c}"
            args = [a.replace("{F}", str(source)).replace("{O}", str(out)) for a in command]
            began = time.perf_counter()
            code, stdout, stderr = invoke(*args)
            runs += 1
            spent[" ".join(command[:2])] = spent.get(" ".join(command[:2]), 0.0) + time.perf_counter() - began
            where = f"{entry.kind}/{entry.name}: careflow {' '.join(command)}"
            if code not in (0, 2) or "Traceback" in stdout + stderr or "fault in careflow" in stderr:
                failures.append(f"{where}: exit {code}: {stderr[-300:]}")
                continue
            results[f"exit {code}"] += 1
            written = _outputs(out)
            if code == 2 and written:
                failures.append(f"{where}: exit 2 but wrote {[p.name for p in written]}")
            failures += [f"{where}: {fault}" for fault in _check_outputs(written)]
            if code == 2 and entry.name == "valid":
                failures.append(f"{where}: a valid input was refused: {stderr[-300:]}")
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"\nhostile corpus: {len(entries)} inputs, {runs} runs in {elapsed:.1f} s, peak {peak / 1024:.0f} MiB, {results}"
    )
    print(", ".join(f"{k}: {v:.1f} s" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])))
    assert not failures, "\n".join(failures)
    assert peak < PEAK_LIMIT_KIB
