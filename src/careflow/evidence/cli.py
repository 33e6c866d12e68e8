"""Commands for the evidence area (`careflow evidence ...`): search, council profiles, peers, benchmarks, quality."""

from pathlib import Path

import typer
from rich.table import Table

from careflow.console import FORCE, emit_json, gbp_m, out
from careflow.files import usable_folder

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
    from careflow.reference.bibliography import cite

    return cite(document or ANNEX, f"L{line}")


@app.command("councils")
def councils_command(json_output: bool = JSON) -> None:
    """List the 48 councils with spend, trend and normalised savings."""
    from careflow.evidence.library import ANNEX
    from careflow.reference.bibliography import cite
    from careflow.services import list_councils

    result = list_councils()
    if json_output:
        emit_json(result)
        return
    table = Table(title=f"{len(result.councils)} councils in the annex ({cite(ANNEX)})")
    for heading in ("#", "council", "type", "avg spend £m", "trend", "savings £m/yr", "% of spend", "levers", "line"):
        table.add_column(heading, justify="right" if heading not in ("council", "type") else "left")
    for r in result.councils:
        table.add_row(
            str(r.number),
            r.council,
            r.type.replace("_", " "),
            _m(r.average_spend_gbp),
            _pct(r.spend_trend_pct),
            _m(r.savings_per_year_gbp),
            "" if r.savings_pct_of_spend is None else f"{r.savings_pct_of_spend:.1f}%",
            str(r.levers),
            f"L{r.line}",
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
    from careflow.services import search_evidence

    result = search_evidence(text, lever, client_group, min_gbp)
    if json_output:
        emit_json(result)
        return
    table = Table(title=f"{len(result.levers)} lever(s) found")
    for heading in ("council", "category", "lever", "£m", "printed", "year", "status", "source", "rates on the line"):
        table.add_column(heading, justify="right" if heading == "£m" else "left", overflow="fold")
    for h in result.levers:
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
    for case in result.case_studies:
        results = "; ".join(f"{r.label}: {r.printed} ({_source(r.line, case.document)})" for r in case.results)
        out.print(f"[bold]Case study[/bold] {case.council} — {case.title}: {results}")


@app.command("council")
def council_command(
    name: str = typer.Argument(..., help="Council name or annex entry number."), json_output: bool = JSON
) -> None:
    """One council's profile: spend trend, savings per year and as % of spend, levers, metrics, flags."""
    from careflow.reference.bibliography import cite
    from careflow.services import council_profile

    profile = council_profile(name)
    if json_output:
        emit_json(profile)
        return
    out.print(
        f"[bold]{profile.full_name}[/bold] — annex entry {profile.number}, {cite(profile.document, profile.line)}"
    )
    if profile.joint_entry:
        out.print(profile.joint_entry)
    spend = Table(title=f"Spend ({profile.spend_measure.replace('_', ' ')})")
    for heading in ("year", "measure", "£m", "printed", "source", "flag"):
        spend.add_column(heading, overflow="fold")
    for row in profile.spend:
        spend.add_row(
            row.year,
            row.measure or profile.spend_measure,
            _m(row.amount),
            row.printed or "",
            _source(row.line),
            row.flag or "",
        )
    out.print(spend)
    s = profile.savings
    out.print(
        f"Spend trend to 2013/14: {_pct(profile.spend_trend_pct)}. Savings: {s.how}; "
        f"£{_m(s.per_year_gbp)}m a year"
        + (f" = {s.pct_of_spend:.1f}% of average spend." if s.pct_of_spend is not None else ".")
    )
    for check in s.sum_checks:
        verdict = "matches the stated total" if check.matches else "does NOT match the stated total"
        out.print(f"Sum check: the {check.parts} add up to £{_m(check.parts_sum_gbp)}m, which {verdict}.")
    levers = Table(title="Levers")
    for heading in ("category", "lever", "£m", "printed", "year", "status", "client group", "source"):
        levers.add_column(heading, overflow="fold")
    for lv in profile.levers:
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
    if profile.metrics:
        metrics = Table(title="Metrics")
        for heading in ("measure", "value", "printed", "source"):
            metrics.add_column(heading, overflow="fold")
        for m in profile.metrics:
            metrics.add_row(m.label, f"{m.amount:,.2f} {m.unit}", m.printed or "", _source(m.line))
        out.print(metrics)
    if profile.pressures:
        pressures = Table(title="Future pressures")
        for heading in ("pressure", "printed", "source"):
            pressures.add_column(heading, overflow="fold")
        for p in profile.pressures:
            pressures.add_row(p.label, p.printed or "", _source(p.line))
        out.print(pressures)
    for flag in profile.flags:
        out.print(f"[yellow]⚑ L{flag.line}[/yellow] {flag.note}")


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
    from careflow.services import find_peers

    if neighbours is not None:
        _ons_peers(baseline, neighbours, top, json_output)
        return
    result = find_peers(name, baseline, top)
    if json_output:
        emit_json(result)
        return
    table = Table(title=f"Councils most like {result.subject.name}")
    for heading in ("rank", "council", "score", "why", "their figures in common levers"):
        table.add_column(heading, overflow="fold")
    for rank, m in enumerate(result.peers, 1):
        figures = "; ".join(f"{f['label']}: {f['printed']} (L{f['line']})" for f in m.levers_in_common[:4])
        table.add_row(str(rank), m.council, f"{m.score:.3f}", "; ".join(m.reasons), figures)
    out.print(table)


def _ons_peers(baseline: str | None, neighbours: Path, top: int, json_output: bool) -> None:
    """Peers by ONS statistical nearest neighbours, for a baseline that carries its ONS code."""
    from careflow.services import ons_peers

    result = ons_peers(baseline, neighbours, top)
    if json_output:
        emit_json(result)
        return
    table = Table(title=f"ONS statistical nearest neighbours of {result.subject} ({result.ons_code})")
    for heading in ("rank", "council", "code", "distance", "in the 2011–14 evidence library"):
        table.add_column(heading)
    for r in result.peers:
        distance = f"{r.distance:.2f}" if r.distance is not None else "—"
        table.add_row(str(r.rank), r.name, r.code, distance, "yes" if r.in_evidence_library else "no")
    out.print(table)
    out.print("Source: ONS, Local authority statistical nearest neighbours, England (2025).", style="dim")


@app.command("benchmarks")
def benchmarks_command(
    council: str | None = typer.Option(None, "--council", help="Show where this council sits."),
    json_output: bool = JSON,
) -> None:
    """Distributions of home care hourly rates, reablement 'no further service' rates and savings as % of spend."""
    from careflow.services import benchmark_council

    result = benchmark_council(council)
    if json_output:
        emit_json(result)
        return
    table = Table(title="Benchmarks across the annex councils (2011–14, self-reported)")
    for heading in ("measure", "n", "min", "q1", "median", "q3", "max", "you", "percentile"):
        table.add_column(heading, justify="left" if heading == "measure" else "right")

    def fmt(v: float | None) -> str:
        return "" if v is None else f"{v:,.2f}"

    for entry in result.benchmarks.values():
        you = entry.you
        table.add_row(
            entry.label,
            str(entry.n),
            *(fmt(v) for v in (entry.min, entry.q1, entry.median, entry.q3, entry.max)),
            fmt(you.value if you else None),
            "" if you is None or you.percentile is None else f"{you.percentile:.0f}",
        )
    out.print(table)


@app.command("quality")
def quality_command(json_output: bool = JSON) -> None:
    """Every data-quality flag: the printed value, how it was interpreted, and why."""
    from careflow.services import quality

    result = quality()
    if json_output:
        emit_json(result)
        return
    table = Table(title=f"{len(result.flags)} data-quality flags in the evidence library")
    for heading in ("council", "source", "printed", "interpreted", "origin", "note"):
        table.add_column(heading, overflow="fold")
    for f in result.flags:
        interpreted = "" if f.interpreted is None else f"{f.interpreted:,.2f}"
        table.add_row(f.council, _source(f.line, f.document), f.printed or "", interpreted, f.origin, f.note)
    out.print(table)


@app.command("taxonomy")
def taxonomy_command(json_output: bool = JSON) -> None:
    """Lever categories, the optimised-model theme of each and the opportunity lever it links to."""
    from careflow.services import taxonomy

    result = taxonomy()
    if json_output:
        emit_json(result)
        return
    table = Table(title="Lever taxonomy")
    for heading in ("category", "label", "optimised-model theme", "opportunity lever", "councils"):
        table.add_column(heading, overflow="fold")
    for r in result.categories:
        lever = f"{r.opportunity_lever} ({r.relation})" if r.opportunity_lever else ""
        table.add_row(r.category, r.label, r.theme, lever, str(r.councils))
    out.print(table)


@app.command("lever")
def lever_command(
    category: str = typer.Argument(..., help="A lever category (see `careflow evidence taxonomy`)."),
    opportunity: Path | None = typer.Option(
        None,
        "--opportunity",
        help="The JSON `careflow opportunity --json` writes (or YAML {lever_id: net £ a year}), to show its worth.",
    ),
    json_output: bool = JSON,
) -> None:
    """A lever page: councils that pulled this lever, case studies, and what it is worth for you."""
    from careflow.services import lever_page, opportunity_values

    page = lever_page(category, opportunity_values(opportunity) if opportunity else None)
    if json_output:
        emit_json(page)
        return
    out.print(f"[bold]{page.label}[/bold] — theme {page.theme}")
    if page.opportunity_lever:
        out.print(f"Opportunity model lever: {page.opportunity_lever} ({page.relation})")
    if page.worth_for_you:
        out.print(f"Worth for you (opportunity model): £{_m(page.worth_for_you.net_gbp_per_year)}m a year")
    table = Table(title=f"{page.council_count} councils that pulled this lever")
    for heading in ("council", "lever", "£m", "status", "source"):
        table.add_column(heading, overflow="fold")
    for entry in page.councils_that_pulled_it:
        for lv in entry.levers:
            table.add_row(entry.council, lv.label, _m(lv.amount), lv.status, _source(lv.line))
    out.print(table)
    for case in page.case_studies:
        out.print(f"[bold]Case study[/bold] {case.council} — {case.title}")


@app.command("report")
def report_command(
    out_dir: Path = typer.Option(..., "--out", help="Folder to write evidence.html into.", callback=usable_folder),
    force: bool = FORCE,
) -> None:
    """Write a self-contained HTML page: the library by lever and council, with charts."""
    from careflow.files import refuse_existing, write_outputs
    from careflow.services import evidence_page

    refuse_existing(out_dir / "evidence.html", force)  # before the page is drawn
    (path,) = write_outputs(out_dir, {"evidence.html": evidence_page()}, force)
    out.print(f"Wrote {path}")
