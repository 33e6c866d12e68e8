"""Commands for case reviews (`careflow reviews ...`) and the performance framework (`careflow indicators ...`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table as RichTable

from careflow.console import FORCE, out, print_json
from careflow.errors import InputError, Problem
from careflow.files import staged_directory, staged_file
from careflow.safety import csv_writer
from careflow.tabular import write_workbook

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


def _check_output_suffix(path: Path, suffixes: tuple[str, ...]) -> None:
    if path.suffix.lower() not in suffixes:
        raise InputError(
            [Problem(str(path), f"an output of type '{path.suffix}'", "a file ending " + " or ".join(suffixes))]
        )


# --- case reviews ---------------------------------------------------------------------------------------------------


@reviews_app.command("template")
def reviews_template(
    out_path: Path = typer.Argument(..., metavar="OUT.xlsx|OUT.csv", help="Where to write the blank template"),
    force: bool = FORCE,
) -> None:
    """Write a blank case-review template: a workbook (Instructions, column notes) or a CSV; one example row."""
    from careflow.outcomes.reviews import REVIEWS, TEMPLATE_INSTRUCTIONS

    _check_output_suffix(out_path, (".xlsx", ".csv"))
    with staged_file(out_path, force) as stage:
        if out_path.suffix.lower() == ".xlsx":
            write_workbook(stage, [REVIEWS], "careflow case reviews", TEMPLATE_INSTRUCTIONS)
        else:
            with stage.open("w", newline="", encoding="utf-8") as handle:
                writer = csv_writer(handle)
                writer.writerow([c.name for c in REVIEWS.columns])
                writer.writerows(REVIEWS.example_rows)
    out.print(f"Wrote the case-review template to {out_path}")


@reviews_app.command("validate")
def reviews_validate(
    file: Path = typer.Argument(..., help="Case reviews: .xlsx, .csv, or a folder with reviews.csv"),
) -> None:
    """Check a case-review file; list every problem (and exit 2), or confirm how many reviews it holds."""
    from careflow.outcomes.reviews import load_reviews

    reviews = load_reviews(file)
    out.print(f"[green]{len(reviews)} case reviews are valid.[/green]")


@reviews_app.command("export")
def reviews_export(
    file: Path = typer.Argument(..., help="Case reviews to export"),
    out_path: Path = typer.Option(..., "--out", help="An .xlsx workbook (template layout) or a .csv file"),
    force: bool = FORCE,
) -> None:
    """Validate case reviews and write them out in the template layout (.xlsx) or as one CSV file."""
    from careflow.outcomes.reviews import REVIEWS, TEMPLATE_INSTRUCTIONS, load_reviews, review_row

    _check_output_suffix(out_path, (".xlsx", ".csv"))
    reviews = load_reviews(file)
    rows = [review_row(r) for r in reviews]
    with staged_file(out_path, force) as stage:
        if out_path.suffix.lower() == ".xlsx":
            write_workbook(stage, [REVIEWS], "careflow case reviews", TEMPLATE_INSTRUCTIONS, rows={REVIEWS.name: rows})
        else:
            with stage.open("w", newline="", encoding="utf-8") as handle:
                writer = csv_writer(handle)
                writer.writerow([c.name for c in REVIEWS.columns])
                writer.writerows(rows)
    out.print(f"Wrote {len(reviews)} case reviews to {out_path}")


@reviews_app.command("synthetic")
def reviews_synthetic(
    out_path: Path = typer.Option(..., "--out", help="A .csv file to write"),
    count: int = typer.Option(300, min=1, help="How many reviews"),
    seed: int = typer.Option(2024, help="Random seed (the same random seed gives the same file)"),
    force: bool = FORCE,
) -> None:
    """Write deterministic SYNTHETIC case reviews (for trying careflow; not real people)."""
    from careflow.outcomes.reviews import REVIEWS, review_row
    from careflow.outcomes.synthetic import SYNTHETIC_LABEL, generate_reviews

    _check_output_suffix(out_path, (".csv",))
    with staged_file(out_path, force) as stage, stage.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle, lineterminator="\n")
        writer.writerow([f"# {SYNTHETIC_LABEL} (random seed {seed})"])
        writer.writerow([c.name for c in REVIEWS.columns])
        writer.writerows(review_row(r) for r in generate_reviews(count, seed))
    out.print(f"Wrote {count} synthetic case reviews to {out_path}")


@reviews_app.command("summary")
def reviews_summary(
    file: Path = typer.Argument(..., help="Case reviews: .xlsx, .csv, or a folder with reviews.csv"),
    out_dir: Path | None = typer.Option(None, "--out", help="Also write reviews_summary.html and .xlsx here"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
    force: bool = FORCE,
) -> None:
    """How many people could have had a more independent outcome, with 95% intervals, £ and reasons."""
    from careflow.outcomes.analysis import (
        REFERENCE_GAP_REASONS,
        REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT,
        REFERENCE_SHORT_TERM_RATIO,
        summarise,
    )
    from careflow.outcomes.review_report import write_review_summary
    from careflow.outcomes.reviews import load_reviews

    summary = summarise(load_reviews(file))
    written: list[Path] = []
    if out_dir is not None:
        with staged_directory(out_dir, force) as stage:
            written = [out_dir / p.name for p in write_review_summary(stage, summary, file.name)]
    if as_json:
        print_json({**summary.as_dict(), "written": [str(p) for p in written]})
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
    if written:
        out.print(f"Wrote {', '.join(str(p) for p in written)}")


@reviews_app.command("calibrate")
def reviews_calibrate(
    file: Path = typer.Argument(..., help="Case reviews: .xlsx, .csv, or a folder with reviews.csv"),
    baseline: str = typer.Option(
        ...,
        "--baseline",
        help="The council baseline (demo, england-2019-20 or a path): the opportunity is shown both ways",
    ),
    out_path: Path = typer.Option(..., "--out", help="Scenario document to write (.yaml)"),
    prior_strength: float = typer.Option(20.0, min=0.0, help="Pseudo-cases behind each national value"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
    force: bool = FORCE,
) -> None:
    """Turn review results into local lever effects, combined with national values, as a scenario."""
    from careflow.baseline.io import load_baseline
    from careflow.opportunity import evaluate
    from careflow.outcomes.calibrate import NATIONAL, calibrate, lever_evidence
    from careflow.outcomes.reviews import load_reviews

    _check_output_suffix(out_path, (".yaml", ".yml"))
    reviews = load_reviews(file)
    council = load_baseline(baseline)
    scenario = calibrate(reviews, NATIONAL, source=f"case reviews in {file.name}", prior_strength=prior_strength)
    national_total = evaluate(council).total_net_benefit_gbp
    local_total = evaluate(council, scenario).total_net_benefit_gbp
    context = (
        f"Opportunity for {council.council.name}: £{local_total / 1e6:,.1f}m a year with these reviews, "
        f"against £{national_total / 1e6:,.1f}m with the national values"
    )
    scenario.description += f" {context}."
    document = scenario.model_dump(mode="json", exclude_none=True)
    import yaml  # only this command writes YAML

    with staged_file(out_path, force) as stage:
        stage.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    evidence = lever_evidence(reviews, NATIONAL, prior_strength)
    if as_json:
        print_json(
            {
                "scenario": str(out_path),
                "context": context,
                "opportunity_national_gbp": national_total,
                "opportunity_local_gbp": local_total,
                "levers": [e.__dict__ for e in evidence],
            }
        )
        return
    shown = RichTable(title=f"Lever effects from {len(reviews)} case reviews (written to {out_path})")
    for h in ("lever", "effect", "cases", "local", "national", "combined", "range"):
        shown.add_column(h, justify="left" if h in ("lever", "effect") else "right")
    for e in evidence:
        shown.add_row(
            e.lever, e.effect, str(e.cases), "–" if e.local is None else f"{e.local:.3f}", f"{e.national:.3f}",
            f"{e.central:.3f}", f"{e.low:.3f}–{e.high:.3f}",
        )  # fmt: skip
    out.print(shown)
    out.print(context)


# --- indicators ---------------------------------------------------------------------------------------------------


@indicators_app.command("list")
def indicators_list(as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout")) -> None:
    """The indicator registry: definitions, direction, default targets and sources."""
    from careflow.outcomes.indicators import REGISTRY

    if as_json:
        print_json(
            {
                "indicators": [
                    {
                        "id": i.id, "name": i.name, "definition": i.definition(), "numerator": i.numerator,
                        "denominator": i.denominator, "scale": i.scale, "unit": i.unit, "period": i.period,
                        "direction": i.direction, "target": i.target, "target_measure": i.target_measure,
                        "amber_margin": i.amber_margin, "source": i.source,
                        "target_provenance": i.target_provenance.describe() if i.target_provenance else None,
                    }
                    for i in REGISTRY
                ]
            }
        )  # fmt: skip
        return
    shown = RichTable(title="Performance indicators")
    for h in ("id", "definition", "unit", "better", "target", "source"):
        shown.add_column(h, overflow="fold")
    for i in REGISTRY:
        target = "trajectory" if i.target_measure else f"{i.target:g}"
        shown.add_row(i.id, i.definition(), i.unit, i.direction, target, i.source)
    out.print(shown)


@indicators_app.command("template")
def indicators_template(
    out_path: Path = typer.Argument(..., metavar="OUT.xlsx", help="Where to write the template"),
    force: bool = FORCE,
) -> None:
    """Write a blank monthly-data workbook (monthly counts, optional local targets)."""
    from careflow.outcomes.indicators import MEASURES, MONTHLY, TARGETS

    _check_output_suffix(out_path, (".xlsx",))
    notes = ["Give one row per month and measure; leave provider blank for council-wide figures."]
    notes += [f"{m}: {d}" for m, d in MEASURES.items()]
    with staged_file(out_path, force) as stage:
        write_workbook(stage, [MONTHLY, TARGETS], "careflow monthly indicator data", notes)
    out.print(f"Wrote the monthly-data template to {out_path}")


@indicators_app.command("report")
def indicators_report(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="Monthly data: .xlsx, .csv, or a folder of CSVs"),
    out_dir: Path = typer.Option(..., "--out", help="Folder for indicators.html and indicators.xlsx"),
    council: str = typer.Option("Your council", help="Council name for the page title"),
    council_type: str | None = typer.Option(None, help="county, unitary, metropolitan or london (for references)"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout"),
    force: bool = FORCE,
) -> None:
    """Compute every indicator by month, compare with target and previous periods, write the dashboard."""
    from careflow.outcomes.dashboard import write_dashboard
    from careflow.outcomes.indicators import evaluate, format_value, load_monthly
    from careflow.outcomes.references import COUNCIL_TYPES, references_for

    if council_type is not None and council_type not in COUNCIL_TYPES:
        raise InputError([Problem("--council-type", f"'{council_type}'", "one of: " + ", ".join(COUNCIL_TYPES))])
    data = load_monthly(input_path)
    results = evaluate(data)
    references = references_for(council_type)
    with staged_directory(out_dir, force) as stage:
        written = write_dashboard(stage, results, data, references, council)
    if as_json:
        print_json(
            {
                "out": [str(out_dir / p.name) for p in written],
                "indicators": [
                    {"id": r.indicator.id, "month": r.latest.month, "value": r.latest.value, "target": r.latest.target,
                     "rag": r.latest.rag, "previous": r.previous.value if r.previous else None, "trend": r.trend,
                     "note": r.latest.note}
                    for r in results
                ],
            }
        )  # fmt: skip
        return
    shown = RichTable(title=f"{council}: indicators for {results[0].latest.month}")
    for h in ("indicator", "latest", "target", "RAG", "trend"):
        shown.add_column(h, justify="right" if h in ("latest", "target") else "left")
    style = {"green": "green", "amber": "yellow", "red": "red", "no data": "dim"}
    for r in results:
        unit = r.indicator.unit
        shown.add_row(
            r.indicator.name, format_value(r.latest.value, unit), format_value(r.latest.target, unit),
            f"[{style[r.latest.rag]}]{r.latest.rag}[/]", r.trend,
        )  # fmt: skip
    out.print(shown)
    out.print(f"Wrote {', '.join(str(out_dir / p.name) for p in written)}")
