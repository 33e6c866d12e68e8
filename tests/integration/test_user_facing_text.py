"""Every command's output (terminal, --help, HTML, Word, Excel, CSV) cites publications in words: no internal file
names of the source texts and no jargon word "seed" for them (a random-number seed is named "random seed")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from careflow.cli import app
from cli_runner import run_careflow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
INTERNAL_NAME = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?")
# "seed" for a source document; a random-number seed is always written "random seed" or as the --seed option.
SEED_WORD = re.compile(r"(?<!random )(?<![-/])\bseeds?\b", re.IGNORECASE)


SCIENTIFIC = re.compile(r"\d(\.\d+)?e[+-]\d+")
MARKDOWN = re.compile(r"\*\*|(?<![\w*])\*\w[^*<>]*\*(?![\w*])")


def page_offences(text: str) -> list[str]:
    """What a reader of an HTML page must not see: scientific notation or raw Markdown emphasis."""
    return [text[max(m.start() - 60, 0) : m.end() + 60] for p in (SCIENTIFIC, MARKDOWN) for m in p.finditer(text)]


def offences(text: str) -> list[str]:
    found = []
    for pattern in (INTERNAL_NAME, SEED_WORD):
        for match in pattern.finditer(text):
            start = max(match.start() - 60, 0)
            found.append(text[start : match.end() + 60].replace("\n", " "))
    return found


def file_text(path: Path) -> str:
    """The words a reader sees in an output file."""
    if path.suffix in (".html", ".csv", ".yaml", ".json", ".txt", ".md"):
        return path.read_text(encoding="utf-8")
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        parts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        parts += [c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
        return "\n".join(parts)
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
        return "\n".join(parts)
    return ""


def commands(tmp: Path) -> list[list[str]]:
    reviews = str(EXAMPLES / "case_reviews_synthetic.csv")
    return [
        ["opportunity", "--baseline", "demo"],
        ["opportunity", "--baseline", "england-2019-20"],
        ["report", "--baseline", "demo", "--out", str(tmp / "report")],
        ["project", "--baseline", "demo", "--scenario", "optimised", "--runs", "20", "--out", str(tmp / "project")],
        ["finance", "report", str(EXAMPLES / "norfolk-2017-18-p4.xlsx"), "--out", str(tmp / "finance")],
        ["evidence", "councils"],
        ["evidence", "council", "Barking and Dagenham"],
        ["evidence", "quality"],
        ["evidence", "taxonomy"],
        ["evidence", "benchmarks"],
        ["evidence", "report", "--out", str(tmp / "evidence")],
        ["reviews", "summary", reviews, "--out", str(tmp / "reviews")],
        ["reviews", "calibrate", reviews, "--baseline", "demo", "--out", str(tmp / "calibrated.yaml")],
        ["indicators", "list"],
        ["indicators", "report", str(EXAMPLES / "indicators_synthetic.csv"), "--out", str(tmp / "indicators")],
    ]


def help_commands() -> list[list[str]]:
    import typer.main

    root = typer.main.get_command(app)
    found: list[list[str]] = [["--help"]]
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        found.append([name, "--help"])
        for sub in getattr(command, "commands", {}):
            found.append([name, sub, "--help"])
    return found


@pytest.mark.slow
def test_no_internal_file_names_or_seed_jargon_in_any_output(tmp_path: Path) -> None:
    problems: list[str] = []
    for args in commands(tmp_path) + help_commands():
        result = run_careflow(*args)
        assert result.returncode == 0, f"careflow {' '.join(args)}: {result.stderr[-800:]}"
        problems += [f"careflow {' '.join(args)}: …{o}…" for o in offences(result.stdout) + offences(result.stderr)]
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            problems += [f"{path.relative_to(tmp_path)}: …{o}…" for o in offences(file_text(path))]
            if path.suffix == ".html":
                problems += [f"{path.relative_to(tmp_path)}: …{o}…" for o in page_offences(file_text(path))]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    problems += [f"README.md: …{o}…" for o in offences(readme)]
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems[:60])


def test_the_scan_catches_leaks() -> None:
    assert offences("quoted: 001_cb6dbf76d77fc339.txt L633")
    assert offences("as the seed says")
    assert not offences("random seed 2024, set with --seed")
    assert page_offences("7.71021e+07 £/yr") and page_offences("a <td>**5%**</td>") and page_offences("*Title*")
    assert not page_offences("£77.1m a year, <em>Title</em>, 3 * 4")


PUBLIC = ROOT / ".." / "shared" / "data" / "public"


def json_commands(tmp: Path) -> dict[str, list[str]]:
    """Every command that prints JSON, with arguments (without --json); those needing the published files last."""
    from tests.integration.services.test_json_schemas import _commands

    found: dict[str, list[str]] = {}
    for args in _commands(tmp).values():
        name = args[0] if args[0] not in ("finance", "evidence", "reviews", "indicators") else " ".join(args[:2])
        found.setdefault(name, args)
    found["sweep"] = ["sweep", "--baseline", "demo", "--years", "1", "--runs", "5", "--workers", "1",
                      "--out", str(tmp / "sweep")]  # fmt: skip
    neighbours = str(PUBLIC / "ons-statistical-nearest-neighbours-2025.xlsx")
    tables = str(PUBLIC / "nhs-ascfr-salt-data-tables-2021-22.xlsx")
    found["benchmark"] = ["benchmark", "--tables", tables, "--neighbours", neighbours, "--council", "Kent"]
    found["evidence peers --neighbours"] = ["evidence", "peers", "--baseline", str(tmp / "kent-like.xlsx"),
                                            "--neighbours", neighbours]  # fmt: skip
    return found


def commands_with_json() -> set[str]:
    """The commands whose options include --json, from the CLI itself (so a new one cannot be missed)."""
    import typer.main

    found: set[str] = set()

    def walk(command: Any, path: list[str]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        elif any("--json" in p.opts for p in command.params):
            found.add(" ".join(path))

    walk(typer.main.get_command(app), [])
    return found


def test_the_json_scan_covers_every_command_with_json() -> None:
    covered = {name.removesuffix(" --neighbours") for name in json_commands(Path("."))}
    assert covered == commands_with_json()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(json_commands(Path("."))))
def test_json_outputs_cite_publications_not_file_names(name: str, tmp_path: Path) -> None:
    """Every --json output names a publication by its bibliography record id and in words, never by an internal
    file name, and never uses the word "seed" (the random seed is `random_seed`)."""
    args = json_commands(tmp_path)[name]
    if any(str(PUBLIC) in a for a in args) and not PUBLIC.is_dir():
        pytest.skip(f"needs the published files in {PUBLIC}")
    if name == "evidence peers --neighbours":  # ONS peers need a baseline carrying an ONS code (Kent's here)
        from careflow.baseline.demo import demoshire
        from careflow.baseline.io import write_baseline_workbook

        demo = demoshire()
        council = demo.council.model_copy(update={"ons_code": "E10000016"})
        write_baseline_workbook(tmp_path / "kent-like.xlsx", demo.model_copy(update={"council": council}))
    result = run_careflow(*args, "--json")
    assert result.returncode == 0, f"careflow {' '.join(args)} --json: {result.stderr[-800:]}"
    leaks = offences(result.stdout)
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:20])
    from careflow.reference.bibliography import records

    sources = list(cited_sources(json.loads(result.stdout)))
    assert all(document in records() and citation for document, citation in sources), sources[:5]


def cited_sources(node: Any) -> Any:
    """(document, citation) of every object in a JSON document that names a source document."""
    if isinstance(node, dict):
        if isinstance(node.get("document"), str) and node["document"]:
            yield node["document"], node.get("citation")
        for value in node.values():
            yield from cited_sources(value)
    elif isinstance(node, list):
        for value in node:
            yield from cited_sources(value)
