"""Commands for case reviews (`careflow reviews ...`) and the performance framework (`careflow indicators ...`)."""

from pathlib import Path
from typing import Any

import typer
from rich.table import Table as RichTable

from careflow.console import FORCE, emit_json, out
from careflow.files import refuse_existing, usable_folder, write_output, write_outputs

reviews_app = typer.Typer(
    help="Ideal-outcome case reviews: import, summarise, calibrate the model.", no_args_is_help=True
)
indicators_app = typer.Typer(
    help="Outcomes-based performance indicators: compute, RAG, dashboard.", no_args_is_help=True
)


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.1f}%"


def _share_cells(share: Any) -> list[str]:
    return [
        str(share.n),
        _pct(share.share),
        f"{_pct(share.low)}–{_pct(share.high)}" if share.n else "–",
        share.warning or "",
    ]


# --- case reviews ---------------------------------------------------------------------------------------------------


@reviews_app.command("template")
def reviews_template(
    out_path: Path = typer.Argument(..., metavar="OUT.xlsx|OUT.csv", help="Where to write the blank template"),
    force: bool = FORCE,
) -> None:
    """Write a blank case-review template: a workbook (Instructions, column notes) or a CSV; one example row."""
    from careflow.services import reviews_file

    write_output(out_path, reviews_file(out_path.name), force)
    out.print(f"Wrote the case-review template to {out_path}")


@reviews_app.command("validate")
def reviews_validate(
    file: Path = typer.Argument(..., help="Case reviews: .xlsx, .csv, or a folder with reviews.csv"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
) -> None:
    """Check a case-review file; list every problem (and exit 2), or confirm how many reviews it holds."""
    from careflow.services import check_reviews

    checked = check_reviews(file)
    if as_json:
        emit_json(checked)
        return
    out.print(f"[green]{checked.reviews} case reviews are valid.[/green]")


@reviews_app.command("export")
def reviews_export(
    file: Path = typer.Argument(..., help="Case reviews to export"),
    out_path: Path = typer.Option(..., "--out", help="An .xlsx workbook (template layout) or a .csv file"),
    force: bool = FORCE,
) -> None:
    """Validate case reviews and write them out in the template layout (.xlsx) or as one CSV file."""
    from careflow.services import load_reviews, reviews_file

    reviews_file(out_path.name)  # an unsupported output type, or an existing file, before the reviews are read
    refuse_existing(out_path, force)
    reviews = load_reviews(file)
    write_output(out_path, reviews_file(out_path.name, reviews), force)
    out.print(f"Wrote {len(reviews)} case reviews to {out_path}")


@reviews_app.command("synthetic")
def reviews_synthetic(
    out_path: Path = typer.Option(..., "--out", help="A .csv file to write"),
    count: int = typer.Option(300, min=1, help="How many reviews"),
    seed: int = typer.Option(2024, help="Random seed (the same random seed gives the same file)"),
    force: bool = FORCE,
) -> None:
    """Write deterministic SYNTHETIC case reviews (for trying careflow; not real people)."""
    from careflow.services import synthetic_reviews

    write_output(out_path, synthetic_reviews(out_path.name, count, seed), force)
    out.print(f"Wrote {count} synthetic case reviews to {out_path}")


@reviews_app.command("summary")
def reviews_summary(
    file: Path = typer.Argument(..., help="Case reviews: .xlsx, .csv, or a folder with reviews.csv"),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Also write reviews_summary.html and .xlsx here", callback=usable_folder
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
    force: bool = FORCE,
) -> None:
    """How many people could have had a more independent outcome, with 95% intervals, £ and reasons."""
    from careflow.outcomes.analysis import (
        REFERENCE_GAP_REASONS,
        REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT,
        REFERENCE_SHORT_TERM_RATIO,
    )
    from careflow.services import summarise_reviews

    made = summarise_reviews(file, render=out_dir is not None)
    summary = made.summary
    if out_dir is not None:
        summary.written = [str(p) for p in write_outputs(out_dir, {f.name: f.data for f in made.files}, force)]
    if as_json:
        emit_json(summary)
        return
    headers = ("group", "cases", "share", "95% interval (Wilson)", "warning")
    shares = RichTable(title=f"Ideal more independent than actual — {summary.cases} reviews")
    for h in headers:
        shares.add_column(h, justify="right" if h in ("cases", "share") else "left")
    shares.add_row("All reviews", *_share_cells(summary.more_independent))
    for name, share in summary.by_decision_point.items():
        shares.add_row(f"decision point: {name}", *_share_cells(share))
    for name, share in summary.by_cohort.items():
        shares.add_row(f"cohort: {name}", *_share_cells(share))
    out.print(shares)
    mdt = summary.mdt_at_least_as_independent
    out.print(
        f"MDT ideal at least as independent as the practitioner's proposal: {_pct(mdt.share)} "
        f"({_pct(mdt.low)}–{_pct(mdt.high)}); reference {REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT.value:.1%} "
        f"({REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT.describe()})"
    )
    for label, money in (("all cases", summary.weekly_saving), ("cases with a gap", summary.weekly_saving_where_gap)):
        if money.mean is not None:
            out.print(
                f"Mean weekly £ difference, actual − ideal, {label}: £{money.mean:,.2f} "
                f"(95% bootstrap interval £{money.low:,.2f}–£{money.high:,.2f}, n = {money.n})"
                + (f" [yellow]{money.warning}[/yellow]" if money.warning else "")
            )
    reasons = RichTable(title="Reasons for gaps (share of cases with a gap)")
    for h in ("reason", "cases (of those with a gap)", "share", "95% interval", "warning", "national reference"):
        reasons.add_column(h)
    for name, share in summary.gap_reasons.items():
        ref = REFERENCE_GAP_REASONS.get(name)
        reasons.add_row(
            name,
            f"{share.successes} of {share.n}",
            *_share_cells(share)[1:],
            f"{ref.value:.0%} ({ref.describe()})" if ref else "",
        )
    out.print(reasons)
    missed = summary.short_term_missed
    out.print(
        f"Should have been offered a short-term service but were not: {missed.successes} of {missed.n} "
        f"({_pct(missed.share)}, {_pct(missed.low)}–{_pct(missed.high)}). Offered: {summary.short_term_offered}; "
        f"should have been offered: {summary.short_term_should_have}"
        + (
            f" (ratio {summary.short_term_ratio:.2f}; national reviews: {REFERENCE_SHORT_TERM_RATIO.describe()})."
            if summary.short_term_ratio is not None
            else "."
        )
    )
    if summary.written:
        out.print(f"Wrote {', '.join(summary.written)}")


@reviews_app.command("calibrate")
def reviews_calibrate(
    file: Path = typer.Argument(..., help="Case reviews: .xlsx, .csv, or a folder with reviews.csv"),
    baseline: str = typer.Option(
        ...,
        "--baseline",
        help="The council baseline (demo, england-2019-20 or a path): the opportunity is shown both ways",
    ),
    out_path: Path = typer.Option(..., "--out", help="Scenario document to write (.yaml)"),
    prior_strength: float | None = typer.Option(
        None,
        min=0.0,
        help="Cases the national value counts as (default: per lever, as many as make the prior's 95% interval "
        "span the model's low–high range)",
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
    force: bool = FORCE,
) -> None:
    """Turn review results into local lever effects, combined with national values, as a scenario."""
    from careflow.services import calibrate_reviews, scenario_yaml

    refuse_existing(out_path, force)
    result = calibrate_reviews(file, baseline, prior_strength, out_path.name)
    write_output(out_path, scenario_yaml(result.document), force)
    result.scenario = str(out_path)
    if as_json:
        emit_json(result)
        return
    shown = RichTable(title=f"Lever effects from {result.reviews} case reviews (written to {out_path})")
    for h in ("lever", "effect", "cases", "local", "national (prior cases)", "combined", "95% range"):
        shown.add_column(h, justify="left" if h in ("lever", "effect") else "right")
    for e in result.levers:
        shown.add_row(
            e.lever, e.effect, str(e.cases), "–" if e.local is None else f"{e.local:.3f}",
            f"{e.national:.3f} ({e.prior_cases:,.0f})", f"{e.central:.3f}", f"{e.low:.3f}–{e.high:.3f}",
        )  # fmt: skip
    out.print(shown)
    for e in result.levers:
        if e.warning:
            out.print(f"[yellow]Warning — {e.lever}: {e.warning}.[/yellow]")
    out.print(result.context)


# --- indicators ---------------------------------------------------------------------------------------------------


@indicators_app.command("list")
def indicators_list(as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout")) -> None:
    """The indicator registry: definitions, direction, default targets and sources."""
    from careflow.services import indicator_registry

    registry = indicator_registry()
    if as_json:
        emit_json(registry)
        return
    shown = RichTable(title="Performance indicators")
    for h in ("id", "definition", "unit", "better", "target", "source"):
        shown.add_column(h, overflow="fold")
    for i in registry.indicators:
        target = "trajectory" if i.target_measure else f"{i.target:g}"
        shown.add_row(i.id, i.definition, i.unit, i.direction, target, i.source)
    out.print(shown)


@indicators_app.command("template")
def indicators_template(
    out_path: Path = typer.Argument(..., metavar="OUT.xlsx", help="Where to write the template"),
    force: bool = FORCE,
) -> None:
    """Write a blank monthly-data workbook (monthly counts, optional local targets)."""
    from careflow.services import indicators_template as template

    write_output(out_path, template(out_path.name), force)
    out.print(f"Wrote the monthly-data template to {out_path}")


@indicators_app.command("report")
def indicators_report(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="Monthly data: .xlsx, .csv, or a folder of CSVs"),
    out_dir: Path = typer.Option(
        ..., "--out", help="Folder for indicators.html and indicators.xlsx", callback=usable_folder
    ),
    council: str = typer.Option("Your council", help="Council name for the page title"),
    council_type: str | None = typer.Option(None, help="county, unitary, metropolitan or london (for references)"),
    track: list[str] = typer.Option(
        [], "--track", help="Indicator id to track (repeat, or comma-separate); replaces the data's 'tracked' sheet"
    ),
    ascof: Path | None = typer.Option(None, "--ascof", help="DHSC's ASCOF time series (.ods) to compare with"),
    neighbours: Path | None = typer.Option(
        None, "--neighbours", help="ONS statistical nearest neighbours (.xlsx), with --ascof and --council-code"
    ),
    council_code: str | None = typer.Option(None, "--council-code", help="Your council's ONS code, e.g. E10000020"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
    force: bool = FORCE,
) -> None:
    """Compute the tracked indicators by month, compare with target, previous periods and published figures."""
    from careflow.outcomes.indicators import format_value
    from careflow.services import indicator_dashboard
    from careflow.services.indicators import ComparisonSources

    tracked = [t.strip() for item in track for t in item.split(",") if t.strip()]
    compare = ComparisonSources(ascof=ascof, neighbours=neighbours, council_code=council_code)
    dashboard = indicator_dashboard(input_path, council, council_type, True, tracked or None, compare)
    dashboard.out = [str(p) for p in write_outputs(out_dir, {f.name: f.data for f in dashboard.files}, force)]
    if as_json:
        emit_json(dashboard)
        return
    shown = RichTable(title=f"{council}: indicators for {dashboard.indicators[0].month}")
    for h in ("indicator", "latest", "target", "RAG", "trend"):
        shown.add_column(h, justify="right" if h in ("latest", "target") else "left")
    style = {"green": "green", "amber": "yellow", "red": "red", "no data": "dim"}
    for r in dashboard.indicators:
        shown.add_row(
            r.name, format_value(r.value, r.unit), format_value(r.target, r.unit),
            f"[{style[r.rag]}]{r.rag}[/]", r.trend,
        )  # fmt: skip
    out.print(shown)
    for c in dashboard.comparisons:
        out.print(c.sentence, markup=False, highlight=False)
    out.print(f"Wrote {', '.join(dashboard.out)}")
