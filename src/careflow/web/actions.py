"""What people do in a workspace, shared by the pages and the JSON API: each checks the role, then writes and audits."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from typing import Any

import yaml

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem
from careflow.opportunity.model import OpportunityResult
from careflow.scenario import Scenario
from careflow.store import records
from careflow.store.models import BaselineVersion, Job, ReviewSet, ScenarioVersion
from careflow.web import usecases
from careflow.web.auth import CASE_REVIEWS, READ, WRITE, Member, NotFound
from careflow.web.uploads import REVIEW_SUFFIXES, WORKBOOK_SUFFIXES, YAML_SUFFIXES, check_upload, display_name

MAX_WEB_RUNS = 5_000  # a web job stays within a couple of minutes on a shared server; the CLI allows more
MAX_WEB_YEARS = 20


def upload_baseline(db: Any, who: Member, file_name: str | None, content: bytes) -> BaselineVersion:
    """Check an uploaded workbook in full; only a baseline with no problems is kept, as the next version."""
    who.require(WRITE)
    name = display_name(file_name)
    check_upload(content, name, WORKBOOK_SUFFIXES)
    return keep_baseline(db, who, name, content)


def keep_baseline(db: Any, who: Member, name: str, content: bytes, action: str = "baseline.upload") -> BaselineVersion:
    """A workbook checked in full, then kept as the workspace's next version and audited as `action`."""
    who.require(WRITE)
    baseline = usecases.check_baseline(content, name)
    return records.add_baseline(
        db,
        who.workspace.id,
        name,
        content,
        baseline.council.name,
        baseline.council.financial_year,
        baseline.model_dump_json(),
        who.visitor.actor,
        who.user.id,
        action=action,
    )


def baseline_version(db: Any, who: Member, number: int | None) -> BaselineVersion:
    who.require(READ)
    found = (
        records.baseline(db, who.workspace.id, number)
        if number is not None
        else records.latest_baseline(db, who.workspace.id)
    )
    if found is None:
        raise NotFound("No such baseline version in this workspace.")
    return found


def parsed(version: BaselineVersion) -> Baseline:
    return _baseline(version.parsed_json)


# A stored version never changes, so its parsed baseline and its opportunity are kept per process, keyed by the
# stored text itself (never by id alone, which another database could reuse). Parsing and evaluating the demo
# baseline costs about 6 ms, a third of the opportunity page's time; both models are frozen, so sharing is safe.
@functools.lru_cache(maxsize=16)
def _baseline(parsed_json: str) -> Baseline:
    return Baseline.model_validate_json(parsed_json)


@functools.lru_cache(maxsize=64)
def _opportunity(parsed_json: str, scenario_yaml: str | None, scenario_name: str, label: str) -> OpportunityResult:
    scenario = usecases.scenario_from_yaml(scenario_yaml, scenario_name) if scenario_yaml is not None else None
    return usecases.evaluate(_baseline(parsed_json), scenario, label)


def scenario_version(db: Any, who: Member, number: int) -> ScenarioVersion:
    who.require(READ)
    found = records.scenario(db, who.workspace.id, number)
    if found is None:
        raise NotFound("No such scenario version in this workspace.")
    return found


def scenario_of(version: ScenarioVersion) -> Scenario:
    return usecases.scenario_from_yaml(version.yaml_text, f"scenario v{version.number}")


def opportunity(
    db: Any, who: Member, baseline_number: int | None, scenario_number: int | None
) -> tuple[BaselineVersion, ScenarioVersion | None, OpportunityResult, Baseline]:
    version = baseline_version(db, who, baseline_number)
    chosen = scenario_version(db, who, scenario_number) if scenario_number else None
    label = f"{chosen.name} (v{chosen.number})" if chosen else "defaults"
    text, name = (chosen.yaml_text, f"scenario v{chosen.number}") if chosen else (None, "")
    return version, chosen, _opportunity(version.parsed_json, text, name, label), parsed(version)


def scenario_yaml(scenario: Scenario) -> str:
    """The CLI's scenario document: what `careflow opportunity --scenario FILE` and `careflow project` read."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    # Projection settings left at their defaults are not written: the document stays short, and a default stays
    # a default if careflow's defaults change. (Provenance keeps its `kind`, which a defaults filter would drop.)
    data["projection"] = scenario.projection.model_dump(mode="json", exclude_defaults=True)
    if not data["projection"]:
        del data["projection"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def save_scenario(db: Any, who: Member, scenario: Scenario) -> ScenarioVersion:
    who.require(WRITE)
    text = scenario_yaml(scenario)
    usecases.scenario_from_yaml(text, scenario.name)  # the saved document reads back exactly as the CLI reads it
    return records.add_scenario(db, who.workspace.id, scenario.name, text, who.visitor.actor, who.user.id)


def upload_scenario(db: Any, who: Member, file_name: str | None, content: bytes) -> ScenarioVersion:
    who.require(WRITE)
    name = display_name(file_name)
    check_upload(content, name, YAML_SUFFIXES)
    return save_scenario(db, who, usecases.scenario_from_yaml(content.decode("utf-8"), name))


def scenario_diff(older: ScenarioVersion, newer: ScenarioVersion) -> list[tuple[str, str]]:
    """Line-by-line changes between two saved documents: ('added'|'removed'|'same'|'where', text)."""
    lines = difflib.unified_diff(
        older.yaml_text.splitlines(),
        newer.yaml_text.splitlines(),
        f"v{older.number}",
        f"v{newer.number}",
        lineterm="",
        n=2,
    )
    kinds = {"+": "added", "-": "removed", " ": "same", "@": "where"}
    return [(kinds.get(line[:1], "same"), line) for line in list(lines)[2:]]


@dataclass
class ProjectionRequest:
    baseline: int | None
    scenario: int | None
    runs: int
    years: int
    seed: int


def start_projection(db: Any, who: Member, asked: ProjectionRequest, runner: Any) -> Job:
    """Queue a projection job on the chosen versions; the worker does the work, never the request."""
    who.require(WRITE)
    problems = []
    if not 1 <= asked.runs <= MAX_WEB_RUNS:
        problems.append(Problem("form", f"{asked.runs:,} runs", f"between 1 and {MAX_WEB_RUNS:,} runs", column="runs"))
    if not 1 <= asked.years <= MAX_WEB_YEARS:
        problems.append(Problem("form", f"{asked.years} years", f"between 1 and {MAX_WEB_YEARS} years", column="years"))
    if not 0 <= asked.seed < 2**32:
        problems.append(
            Problem("form", f"random seed {asked.seed}", "a whole number from 0 to 4,294,967,295", column="seed")
        )
    if problems:
        raise InputError(problems)
    version = baseline_version(db, who, asked.baseline)
    chosen = scenario_version(db, who, asked.scenario) if asked.scenario else None
    parameters = {"runs": asked.runs, "years": asked.years, "seed": asked.seed}
    job = records.add_job(
        db,
        who.workspace.id,
        "projection",
        version.id,
        chosen.id if chosen else None,
        parameters,
        who.visitor.actor,
        who.user.id,
    )
    db.flush()
    db.commit()  # the worker reads the job from the store, so it must be there before the hand-over
    runner.submit(job.id)
    return job


def rerun(db: Any, who: Member, job_id: int, runner: Any) -> Job:
    """A new job with the same inputs as an interrupted or failed one."""
    import json

    who.require(WRITE)
    old = records.job(db, who.workspace.id, job_id)
    if old is None:
        raise NotFound("No such job in this workspace.")
    parameters = json.loads(old.parameters_json)
    job = records.add_job(
        db,
        who.workspace.id,
        old.kind,
        old.baseline_version_id,
        old.scenario_version_id,
        parameters,
        who.visitor.actor,
        who.user.id,
    )
    db.commit()
    runner.submit(job.id)
    return job


def upload_reviews(db: Any, who: Member, file_name: str | None, content: bytes) -> ReviewSet:
    """Check pseudonymous case reviews as the command line does; keep them only if every row passes."""
    who.require(CASE_REVIEWS)
    name = display_name(file_name)
    check_upload(content, name, REVIEW_SUFFIXES)
    reviews = usecases.check_reviews(content, name)
    return records.add_review_set(db, who.workspace.id, name, content, len(reviews), who.visitor.actor, who.user.id)


def review_set(db: Any, who: Member, number: int) -> tuple[ReviewSet, list[Any]]:
    who.require(CASE_REVIEWS)
    found = records.review_set(db, who.workspace.id, number)
    if found is None:
        raise NotFound("No such set of case reviews in this workspace.")
    return found, usecases.check_reviews(found.content, found.file_name)


def calibrate(db: Any, who: Member, number: int) -> ScenarioVersion:
    """A new scenario version whose lever effects come from a review set, linked to that set."""
    found, reviews = review_set(db, who, number)
    scenario = usecases.calibrated_scenario(reviews, f"review set {found.number} ({found.file_name})")
    text = scenario_yaml(scenario)
    return records.add_scenario(
        db, who.workspace.id, scenario.name, text, who.visitor.actor, who.user.id, review_set_id=found.id
    )
