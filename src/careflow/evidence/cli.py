"""Commands for the evidence area (`careflow evidence ...`): search, council profiles, peers, benchmarks, quality."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from careflow.console import FORCE, gbp_m, out, print_json
from careflow.errors import InputError, Problem
from careflow.reference.bibliography import cite

if TYPE_CHECKING:
    from careflow.evidence.library import Library

app = typer.Typer(
    help="The evidence library: what 48 councils did and saved, peers and benchmarks.", no_args_is_help=True
)

JSON = typer.Option(False, "--json", help="One JSON object on stdout instead of tables.")


def _m(value: float | None) -> str:
    return gbp_m(value, 3)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def _source(line: int, document: str | None = None) -> str:
    from careflow.evidence.library import ANNEX

    return cite(document or ANNEX, f"L{line}")


def _library() -> Library:
    # The library and its analysis load only when a command runs, so `careflow --help` stays quick.
    from careflow.evidence.library import load_library

    return load_library()


@app.command("councils")
def councils_command(json_output: bool = JSON) -> None:
    """List the 48 councils with spend, trend and normalised savings."""
    from careflow.evidence.analysis import average_spend, savings_per_year, spend_trend_pct
    from careflow.evidence.library import ANNEX

    library = _library()
    rows: list[dict[str, Any]] = []
    for council in library.councils:
        view = savings_per_year(council)
        rows.append(
            {
                "number": council.number,
                "council": council.name,
                "type": council.type,
                "average_spend_gbp": average_spend(council),
                "spend_trend_pct": spend_trend_pct(council),
                "savings_per_year_gbp": view.per_year,
                "savings_pct_of_spend": view.pct_of_spend,
                "levers": len(council.levers),
                "line": council.line,
            }
        )
    if json_output:
        print_json({"councils": rows})
        return
    table = Table(title=f"{len(rows)} councils in the annex ({cite(ANNEX)})")
    for heading in ("#", "council", "type", "avg spend £m", "trend", "savings £m/yr", "% of spend", "levers", "line"):
        table.add_column(heading, justify="right" if heading not in ("council", "type") else "left")
    for r in rows:
        table.add_row(
            str(r["number"]),
            r["council"],
            r["type"].replace("_", " "),
            _m(r["average_spend_gbp"]),
            _pct(r["spend_trend_pct"]),
            _m(r["savings_per_year_gbp"]),
            "" if r["savings_pct_of_spend"] is None else f"{r['savings_pct_of_spend']:.1f}%",
            str(r["levers"]),
            f"L{r['line']}",
        )
    out.print(table)


@app.command("search")
def search_command(
    text: str = typer.Argument("", help="Words to find in lever labels, categories and council names."),
    lever: str | None = typer.Option(None, "--lever", help="A lever category (see `careflow evidence taxonomy`)."),
    client_group: str | None = typer.Option(
        None,
        "--client-group",
        help="older_people, learning_disability, mental_health, working_age, carers (levers for all groups are included).",
    ),
    min_gbp: float | None = typer.Option(None, "--min-gbp", help="Only levers with a printed amount of at least £X."),
    json_output: bool = JSON,
) -> None:
    """Levers across councils matching the text and filters, with amount, year, council and source line."""
    from careflow.evidence.analysis import search_case_studies, search_levers

    library = _library()
    if lever and lever not in library.taxonomy.categories:
        raise InputError([Problem("--lever", repr(lever), "one of: " + ", ".join(library.taxonomy.categories))])
    hits = search_levers(library, text, lever, client_group, min_gbp)
    cases = [] if min_gbp is not None or client_group else search_case_studies(library, text, lever)
    if json_output:
        print_json(
            {
                "query": {"text": text, "lever": lever, "client_group": client_group, "min_gbp": min_gbp},
                "levers": [h.as_dict() for h in hits],
                "case_studies": [c.model_dump() for c in cases],
            }
        )
        return
    table = Table(title=f"{len(hits)} lever(s) found")
    for heading in ("council", "category", "lever", "£m", "printed", "year", "status", "source", "rates on the line"):
        table.add_column(heading, justify="right" if heading == "£m" else "left", overflow="fold")
    for h in hits:
        rates = "; ".join(f"{m['label']}: {m['printed']}" for m in h.related_metrics)
        table.add_row(
            h.council,
            h.category,
            h.label,
            _m(h.amount),
            h.printed or "",
            h.year or "",
            h.status + (" (investment)" if h.investment else ""),
            _source(h.line),
            rates,
        )
    out.print(table)
    for case in cases:
        results = "; ".join(f"{r.label}: {r.printed} ({_source(r.line, case.document)})" for r in case.results)
        out.print(f"[bold]Case study[/bold] {case.council} — {case.title}: {results}")


@app.command("council")
def council_command(
    name: str = typer.Argument(..., help="Council name or annex entry number."), json_output: bool = JSON
) -> None:
    """One council's profile: spend trend, savings per year and as % of spend, levers, metrics, flags."""
    from careflow.evidence.library import ANNEX

    library = _library()
    council = library.council(name)
    profile = council_profile(library, council.name)
    if json_output:
        print_json(profile)
        return
    out.print(f"[bold]{council.full_name}[/bold] — annex entry {council.number}, {cite(ANNEX, council.line)}")
    if council.joint_entry:
        out.print(council.joint_entry)
    spend = Table(title=f"Spend ({council.spend_measure.replace('_', ' ')})")
    for heading in ("year", "measure", "£m", "printed", "source", "flag"):
        spend.add_column(heading, overflow="fold")
    for row in council.spend:
        spend.add_row(
            row.year,
            row.measure or council.spend_measure,
            _m(row.amount),
            row.printed or "",
            _source(row.line),
            row.flag or "",
        )
    out.print(spend)
    s = profile["savings"]
    out.print(
        f"Spend trend to 2013/14: {_pct(profile['spend_trend_pct'])}. Savings: {s['how']}; "
        f"£{_m(s['per_year_gbp'])}m a year"
        + (f" = {s['pct_of_spend']:.1f}% of average spend." if s["pct_of_spend"] is not None else ".")
    )
    for check in s["sum_checks"]:
        verdict = "matches the stated total" if check["matches"] else "does NOT match the stated total"
        out.print(f"Sum check: the {check['parts']} add up to £{_m(check['parts_sum_gbp'])}m, which {verdict}.")
    levers = Table(title="Levers")
    for heading in ("category", "lever", "£m", "printed", "year", "status", "client group", "source"):
        levers.add_column(heading, overflow="fold")
    for lv in council.levers:
        levers.add_row(
            lv.category,
            lv.label,
            _m(lv.amount),
            lv.printed or "",
            lv.year or "",
            lv.status,
            lv.client_group,
            _source(lv.line),
        )
    out.print(levers)
    if council.metrics:
        metrics = Table(title="Metrics")
        for heading in ("measure", "value", "printed", "source"):
            metrics.add_column(heading, overflow="fold")
        for m in council.metrics:
            metrics.add_row(m.label, f"{m.amount:,.2f} {m.unit}", m.printed or "", _source(m.line))
        out.print(metrics)
    if council.pressures:
        pressures = Table(title="Future pressures")
        for heading in ("pressure", "printed", "source"):
            pressures.add_column(heading, overflow="fold")
        for p in council.pressures:
            pressures.add_row(p.label, p.printed or "", _source(p.line))
        out.print(pressures)
    for flag in profile["flags"]:
        out.print(f"[yellow]⚑ L{flag['line']}[/yellow] {flag['note']}")


def council_profile(library: Library, name: str) -> dict[str, Any]:
    """Everything the council page shows, as plain data."""
    from careflow.evidence.analysis import (
        average_spend,
        quality_flags,
        savings_per_year,
        spend_series,
        spend_trend_pct,
        sum_checks,
    )
    from careflow.evidence.library import ANNEX

    council = library.council(name)
    view = savings_per_year(council)
    return {
        "council": council.name,
        "full_name": council.full_name,
        "type": council.type,
        "document": ANNEX,
        "line": council.line,
        "spend_measure": council.spend_measure,
        "spend": [row.model_dump() | {"amount": row.amount} for row in council.spend],
        "spend_trend_pct": spend_trend_pct(council),
        "average_spend_gbp": average_spend(council),
        "trend_years": [row.year for row in spend_series(council) if row.year <= "2013/14"],
        "savings": {
            "stated": view.stated.model_dump() if view.stated else None,
            "basis": view.basis,
            "per_year_gbp": view.per_year,
            "pct_of_spend": view.pct_of_spend,
            "how": view.how,
            "by_year": [y.model_dump() | {"amount": y.amount} for y in council.savings_by_year],
            "sum_checks": [
                {"parts": c.parts, "parts_sum_gbp": c.parts_sum, "stated_line": c.stated.line, "matches": c.matches}
                for c in sum_checks(council)
            ],
        },
        "levers": [lv.model_dump() | {"amount": lv.amount} for lv in council.levers],
        "metrics": [m.model_dump() | {"amount": m.amount} for m in council.metrics],
        "pressures": [p.model_dump() | {"amount": p.amount} for p in council.pressures],
        "flags": [f.as_dict() for f in quality_flags(library) if f.council == council.name],
        "case_studies": [c.model_dump() for c in library.case_studies if c.council == council.name],
    }


@app.command("peers")
def peers_command(
    name: str | None = typer.Argument(None, help="A council in the library."),
    baseline: str | None = typer.Option(
        None,
        "--baseline",
        help="A council not in the library: a careflow baseline (demo, england-2019-20, workbook, CSV folder, "
        "YAML) or a peer profile (YAML/JSON with name, council_type, gross_spend, levers).",
    ),
    top: int = typer.Option(5, "--top", min=1, help="How many peers to list."),
    neighbours: Path | None = typer.Option(
        None,
        "--neighbours",
        help="ONS statistical nearest neighbours workbook (2025): list the baseline council's ONS peers instead.",
    ),
    json_output: bool = JSON,
) -> None:
    """The most similar councils by lever profile, size, spend trend and type, each with the reason it matched."""
    from careflow.evidence.peers import find_peers, load_subject, profile_of

    library = _library()
    if neighbours is not None:
        _ons_peers(library, baseline, neighbours, top, json_output)
        return
    if (name is None) == (baseline is None):
        raise InputError([Problem("peers", "both or neither of NAME and --baseline", "exactly one of them")])
    subject = load_subject(baseline, library) if baseline else profile_of(library.council(name or ""))
    matches = find_peers(library, subject, top)
    if json_output:
        print_json({"subject": subject.model_dump(), "peers": [m.as_dict() for m in matches]})
        return
    table = Table(title=f"Councils most like {subject.name}")
    for heading in ("rank", "council", "score", "why", "their figures in common levers"):
        table.add_column(heading, overflow="fold")
    for rank, m in enumerate(matches, 1):
        figures = "; ".join(f"{f['label']}: {f['printed']} (L{f['line']})" for f in m.levers_in_common[:4])
        table.add_row(str(rank), m.council, f"{m.score:.3f}", "; ".join(m.reasons), figures)
    out.print(table)


def _ons_peers(library: Library, baseline: str | None, neighbours: Path, top: int, json_output: bool) -> None:
    """Peers by ONS statistical nearest neighbours, for a baseline that carries its ONS code."""
    from careflow.baseline.io import load_baseline
    from careflow.imports.peers import ons_peers

    if baseline is None:
        raise InputError([Problem("peers", "--neighbours without --baseline", "--baseline with an ONS code")])
    subject = load_baseline(baseline)
    rows = ons_peers(subject.council.ons_code, neighbours, top, {c.name for c in library.councils})
    if json_output:
        print_json({"subject": subject.council.name, "ons_code": subject.council.ons_code, "peers": rows})
        return
    table = Table(title=f"ONS statistical nearest neighbours of {subject.council.name} ({subject.council.ons_code})")
    for heading in ("rank", "council", "code", "distance", "in the 2011–14 evidence library"):
        table.add_column(heading)
    for r in rows:
        distance = f"{r['distance']:.2f}" if r["distance"] is not None else "—"
        table.add_row(str(r["rank"]), r["name"], r["code"], distance, "yes" if r["in_evidence_library"] else "no")
    out.print(table)
    out.print("Source: ONS, Local authority statistical nearest neighbours, England (2025).", style="dim")


@app.command("benchmarks")
def benchmarks_command(
    council: str | None = typer.Option(None, "--council", help="Show where this council sits."),
    json_output: bool = JSON,
) -> None:
    """Distributions of home care hourly rates, reablement 'no further service' rates and savings as % of spend."""
    from careflow.evidence.peers import benchmarks

    library = _library()
    name = library.council(council).name if council else None
    result = benchmarks(library, name)
    if json_output:
        print_json({"benchmarks": result})
        return
    table = Table(title="Benchmarks across the annex councils (2011–14, self-reported)")
    for heading in ("measure", "n", "min", "q1", "median", "q3", "max", "you", "percentile"):
        table.add_column(heading, justify="left" if heading == "measure" else "right")
    for entry in result.values():
        you = entry.get("you") or {}

        def fmt(v: Any) -> str:
            return "" if v is None else f"{v:,.2f}"

        table.add_row(
            entry["label"],
            str(entry["n"]),
            *(fmt(entry[k]) for k in ("min", "q1", "median", "q3", "max")),
            fmt(you.get("value")),
            "" if you.get("percentile") is None else f"{you['percentile']:.0f}",
        )
    out.print(table)


@app.command("quality")
def quality_command(json_output: bool = JSON) -> None:
    """Every data-quality flag: the printed value, how it was interpreted, and why."""
    from careflow.evidence.analysis import quality_flags

    flags = quality_flags(_library())
    if json_output:
        print_json({"flags": [f.as_dict() for f in flags]})
        return
    table = Table(title=f"{len(flags)} data-quality flags in the evidence library")
    for heading in ("council", "source", "printed", "interpreted", "origin", "note"):
        table.add_column(heading, overflow="fold")
    for f in flags:
        interpreted = "" if f.interpreted is None else f"{f.interpreted:,.2f}"
        table.add_row(f.council, _source(f.line, f.document), f.printed or "", interpreted, f.origin, f.note)
    out.print(table)


@app.command("taxonomy")
def taxonomy_command(json_output: bool = JSON) -> None:
    """Lever categories, the optimised-model theme of each and the opportunity lever it links to."""
    library = _library()
    counts: dict[str, int] = {}
    for council in library.councils:
        for category in {lv.category for lv in council.levers}:
            counts[category] = counts.get(category, 0) + 1
    rows: list[dict[str, Any]] = [
        {
            "category": name,
            "label": c.label,
            "theme": library.taxonomy.theme_label(name),
            "opportunity_lever": c.opportunity_lever,
            "relation": c.relation,
            "councils": counts.get(name, 0),
        }
        for name, c in library.taxonomy.categories.items()
    ]
    if json_output:
        print_json({"categories": rows, "theme_source": library.taxonomy.theme_source})
        return
    table = Table(title="Lever taxonomy")
    for heading in ("category", "label", "optimised-model theme", "opportunity lever", "councils"):
        table.add_column(heading, overflow="fold")
    for r in rows:
        lever = f"{r['opportunity_lever']} ({r['relation']})" if r["opportunity_lever"] else ""
        table.add_row(r["category"], r["label"], r["theme"], lever, str(r["councils"]))
    out.print(table)


@app.command("lever")
def lever_command(
    category: str = typer.Argument(..., help="A lever category (see `careflow evidence taxonomy`)."),
    opportunity: Path | None = typer.Option(
        None, "--opportunity", help="YAML/JSON {lever_id: net £ a year} from the opportunity model, to show its worth."
    ),
    json_output: bool = JSON,
) -> None:
    """A lever page: councils that pulled this lever, case studies, and what it is worth for you."""
    from careflow.evidence.analysis import lever_page

    library = _library()
    values = _load_opportunity_values(opportunity) if opportunity else None
    page = lever_page(library, category, values)
    if json_output:
        print_json(page)
        return
    out.print(f"[bold]{page['label']}[/bold] — theme {page['theme']}")
    if page["opportunity_lever"]:
        out.print(f"Opportunity model lever: {page['opportunity_lever']} ({page['relation']})")
    if page["worth_for_you"]:
        out.print(f"Worth for you (opportunity model): £{_m(page['worth_for_you']['net_gbp_per_year'])}m a year")
    table = Table(title=f"{page['council_count']} councils that pulled this lever")
    for heading in ("council", "lever", "£m", "status", "source"):
        table.add_column(heading, overflow="fold")
    for entry in page["councils_that_pulled_it"]:
        for lv in entry["levers"]:
            table.add_row(entry["council"], lv["label"], _m(lv["amount"]), lv["status"], _source(lv["line"]))
    out.print(table)
    for case in page["case_studies"]:
        out.print(f"[bold]Case study[/bold] {case['council']} — {case['title']}")


def _load_opportunity_values(path: Path) -> dict[str, float]:
    from careflow.scenario import load_yaml_document

    data = load_yaml_document(path)
    if not isinstance(data, dict) or not all(isinstance(v, int | float) for v in data.values()):
        raise InputError([Problem(str(path), "not a mapping of lever id to a number", "{lever_id: net £ a year}")])
    return {str(k): float(v) for k, v in data.items()}


@app.command("report")
def report_command(
    out_dir: Path = typer.Option(..., "--out", help="Folder to write evidence.html into."), force: bool = FORCE
) -> None:
    """Write a self-contained HTML page: the library by lever and council, with charts."""
    from careflow.evidence.report import write_report

    path = write_report(_library(), out_dir, force=force)
    out.print(f"Wrote {path}")
