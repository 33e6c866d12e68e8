"""A corpus of broken and hostile inputs for every file-reading command, generated on demand into a folder.

Each entry is an input of one KIND (baseline, scenario, profile, finance, reviews, indicators) made from a
valid example by one change: a broken file (empty, binary, wrong encoding, corrupt zip, zip bomb, 50 MB),
hostile YAML (alias bomb, Python tags, loops, deep nesting), hostile text in a free-text field (spreadsheet
formulas, HTML/script), hostile numbers (NaN, infinity, 1e308) or a hostile structure (duplicated rows,
unknown or missing columns, no header, odd separators). Some of them are valid and must simply work.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(9)>', "' onmouseover='alert(1)' x='"]
NUMBERS = ["nan", "inf", "-inf", "1e308", "1e13", "-5", "1,2,3", "0x1F", "1e-320"]
MB = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    make: Callable[[Path], Path]  # writes the input into a folder, returns its path


# --- valid starting points ---------------------------------------------------------------------------------------


def _rows_to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _baseline_folder(folder: Path) -> Path:
    from careflow.baseline.io import TABLES, baseline_rows, builtin

    out = folder / "baseline"
    out.mkdir()
    rows = baseline_rows(builtin("demo"))
    for table in TABLES:
        body = [["" if v is None else str(v) for v in r] for r in rows.get(table.name, [])]
        (out / f"{table.name}.csv").write_text(_rows_to_csv([[c.name for c in table.columns], *body]), "utf-8")
    return out


def _finance_folder(folder: Path) -> Path:
    return Path(shutil.copytree(EXAMPLES / "norfolk-2017-18-p4", folder / "pack"))


def _copy(name: str, target: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return Path(shutil.copy(EXAMPLES / name, folder / target))

    return make


VALID: dict[str, Callable[[Path], Path]] = {
    "baseline": _baseline_folder,
    "scenario": _copy("flow-scenario.yaml", "scenario.yaml"),
    "profile": _copy("evidence-profile.yaml", "profile.yaml"),
    "finance": _finance_folder,
    "reviews": _copy("case_reviews_synthetic.csv", "reviews.csv"),
    "indicators": _copy("indicators_synthetic.csv", "indicators.csv"),
}
# Which file and column of each kind holds free text that reaches the outputs.
FREE_TEXT = {
    "baseline": ("council.csv", "name"),
    "finance": ("budget_lines.csv", "name"),
    "reviews": ("", "case_id"),
    "indicators": ("", "provider"),
}
# A numeric column of each table kind.
NUMERIC = {
    "baseline": ("long_term.csv", "weekly_cost_gbp"),
    "finance": ("budget_lines.csv", "budget"),
    "reviews": ("", "actual_weekly_cost"),
    "indicators": ("", "value"),
}
SUFFIX = {"baseline": ".xlsx", "scenario": ".yaml", "profile": ".yaml", "finance": ".xlsx", "reviews": ".csv",
          "indicators": ".csv"}  # fmt: skip


# --- changes to a CSV table ---------------------------------------------------------------------------------------


def _table_file(kind: str, path: Path, file: str) -> Path:
    return path / file if path.is_dir() else path


def _edit_table(kind: str, file: str, change: Callable[[list[list[str]], int], list[list[str]]]):
    """A maker: the valid input of `kind`, with `change(rows, header_index)` applied to one of its CSV tables."""

    def make(folder: Path) -> Path:
        path = VALID[kind](folder)
        table = _table_file(kind, path, file)
        with table.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = next(i for i, r in enumerate(rows) if r and not r[0].startswith("#"))
        table.write_text(_rows_to_csv(change(rows, header)), encoding="utf-8")
        return path

    return make


def _set_cell(column: str, value: str) -> Callable[[list[list[str]], int], list[list[str]]]:
    """Put `value` in `column` of the first data row."""

    def change(rows: list[list[str]], header: int) -> list[list[str]]:
        rows[header + 1][rows[header].index(column)] = value
        return rows

    return change


def _spread(column: str, values: list[str]) -> Callable[[list[list[str]], int], list[list[str]]]:
    """Put the values in `column`, one per row in turn (each filled cell of that column gets one)."""

    def change(rows: list[list[str]], header: int) -> list[list[str]]:
        index = rows[header].index(column)
        filled = [r for r in rows[header + 1 :] if len(r) > index and r[index]]
        for n, row in enumerate(filled):
            row[index] = f"{values[n % len(values)]}{n}"  # the number keeps ids unique
        return rows

    return change


def _structure_changes() -> dict[str, Callable[[list[list[str]], int], list[list[str]]]]:
    return {
        "duplicated-rows-x50": lambda rows, h: rows[: h + 1] + rows[h + 1 :] * 50,
        "unknown-column": lambda rows, h: [
            r + (["notes"] if i == h else ["lives at 12 High Street"]) for i, r in enumerate(rows)
        ],  # fmt: skip
        "missing-column": lambda rows, h: [r[:-2] + r[-1:] for r in rows],
        "header-only": lambda rows, h: rows[: h + 1],
        "no-header": lambda rows, h: rows[h + 1 :],
        "blank-rows": lambda rows, h: [x for r in rows for x in (r, [""] * len(r))],
        "ragged-rows": lambda rows, h: rows[: h + 1] + [r[: len(r) // 2] for r in rows[h + 1 :]],
        "huge-cell": lambda rows, h: (
            rows[: h + 1] + [[c + "x" * 300_000 if i == 0 else c for i, c in enumerate(rows[h + 1])]] + rows[h + 2 :]
        ),  # fmt: skip
    }


# --- broken files of any kind ----------------------------------------------------------------------------------------


def _raw(suffix: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / f"input{suffix}"
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


def _sparse(suffix: str, size: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / f"input{suffix}"
        with path.open("wb") as handle:
            handle.truncate(size)
        return path

    return make


@cache
def _zip_bomb() -> bytes:
    return _zip({"xl/worksheets/sheet1.xml": b"\0" * (210 * MB)})  # 200 KB on disk, 210 MB unzipped


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _broken_files(suffix: str) -> dict[str, Callable[[Path], Path]]:
    return {
        "empty": _raw(suffix, b""),
        "whitespace": _raw(suffix, b"  \n\n\t\n"),
        "binary": _raw(suffix, bytes(range(256)) * 64),
        "nul-bytes": _raw(suffix, b"a,b\n\x00\x00\x00\n"),
        "utf16": _raw(suffix, "name,value\nx,1\n".encode("utf-16")),
        "latin1": _raw(suffix, "name,value\nCaf\xe9,1\n".encode("latin-1")),
        "ole-xls": _raw(suffix, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
        "corrupt-zip": _raw(suffix, b"PK\x03\x04" + b"\x13" * 2000),
        "zip-not-xlsx": _raw(suffix, lambda: _zip({"hello.txt": b"hello"})),
        "zip-bomb": _raw(suffix, _zip_bomb),
        "truncated-xlsx": _raw(suffix, lambda: (EXAMPLES / "demo-baseline.xlsx").read_bytes()[:3000]),
        "sparse-50MB": _sparse(suffix, 50 * MB),
        "missing": lambda folder: folder / f"no-such-file{suffix}",
        "a-folder": lambda folder: (folder / "empty-folder").mkdir() or folder / "empty-folder",
    }


def _yaml_documents() -> dict[str, str]:
    laughs = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return {
        "billion-laughs": "name: bomb\n" + "\n".join(laughs) + "\n",
        "python-object": "name: !!python/object/apply:os.system ['echo pwned']\n",
        "python-name": "name: !!python/name:os.system\n",
        "self-alias": "name: x\nlevers: &a {x: *a}\n",
        "deep-nesting": "name: " + "[" * 500 + "]" * 500 + "\n",
        "duplicate-key": "name: a\nname: b\n",
        "a-list": "- 1\n- 2\n",
        "a-scalar": "just text\n",
        "malformed": "name: [1, 2\n",
        "tabs": "name:\tx\n\tlevers: {}\n",
        "nan-values": "name: x\nlevers:\n  care_home_admissions:\n    effects: {share_diverted: .nan}\ngross_spend: {2013/14: .nan}\n",
        "inf-values": "name: x\nparameters: {upper_quartile_package_ratio: .inf}\ngross_spend: {2013/14: .inf}\n",
        "huge-values": "name: x\nparameters: {upper_quartile_package_ratio: 1e308}\ngross_spend: {2013/14: 1e308}\n",
        "long-name": "name: " + "N" * 300_000 + "\n",
        "formula-name": f"name: '{FORMULAS[0]}'\n",
        "markup-name": "name: '<script>alert(1)</script>\"><img src=x onerror=alert(9)>'\n",
        "json": '{"name": "json document", "levers": {}}',
        "unknown-key": "name: x\nsurprise: 1\n",
    }  # fmt: skip


def corpus() -> list[Entry]:
    """Every corpus entry, in a fixed order."""
    entries: list[Entry] = []
    for kind in VALID:
        entries.append(Entry(kind, "valid", VALID[kind]))
        for name, make in _broken_files(SUFFIX[kind]).items():
            entries.append(Entry(kind, name, make))
    for kind in ("scenario", "profile", "baseline"):
        for name, text in _yaml_documents().items():
            entries.append(Entry(kind, f"yaml-{name}", _raw(".yaml", text.encode("utf-8"))))
    for kind, (file, column) in FREE_TEXT.items():
        if kind == "baseline":  # one council row: one payload per input
            for i, text in enumerate([FORMULAS[0], FORMULAS[4], MARKUP[1]]):
                entries.append(Entry(kind, f"text-{i}", _edit_table(kind, file, _set_cell(column, text))))
        else:  # many rows: every payload at once, one per row
            entries.append(Entry(kind, "text-all", _edit_table(kind, file, _spread(column, FORMULAS + MARKUP))))
    for kind, (file, column) in NUMERIC.items():
        for value in NUMBERS:
            entries.append(Entry(kind, f"number-{value}", _edit_table(kind, file, _set_cell(column, value))))
    for kind, (file, _) in FREE_TEXT.items():
        for name, change in _structure_changes().items():
            entries.append(Entry(kind, f"structure-{name}", _edit_table(kind, file, change)))
    return entries


# Every file-reading command, by the kind of input it reads. {F} is the input, {O} an output path.
COMMANDS: dict[str, list[list[str]]] = {
    "baseline": [
        ["validate", "{F}"],
        ["opportunity", "--baseline", "{F}", "--json"],
        ["project", "--baseline", "{F}", "--runs", "1", "--years", "1", "--out", "{O}"],
        ["report", "--baseline", "{F}", "--out", "{O}"],
    ],
    "scenario": [
        ["opportunity", "--baseline", "demo", "--scenario", "{F}"],
        ["report", "--baseline", "demo", "--scenario", "{F}", "--out", "{O}"],
        ["project", "--baseline", "demo", "--scenario", "{F}", "--runs", "1", "--years", "1", "--out", "{O}"],
    ],
    "profile": [["evidence", "peers", "--baseline", "{F}", "--json"]],
    "finance": [["finance", "validate", "{F}"], ["finance", "report", "{F}", "--out", "{O}"]],
    "reviews": [
        ["reviews", "validate", "{F}"],
        ["reviews", "summary", "{F}", "--out", "{O}"],
        ["reviews", "export", "{F}", "--out", "{O}.csv"],
        ["reviews", "calibrate", "{F}", "--baseline", "demo", "--out", "{O}.yaml"],
    ],
    "indicators": [["indicators", "report", "{F}", "--out", "{O}"]],
}
