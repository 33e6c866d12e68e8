"""Server-rendered pages (Jinja2, autoescaped): reading works without JavaScript; every form carries a CSRF token."""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import replace
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlparse

import pyotp
import yaml
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from careflow.errors import InputError, Problem
from careflow.opportunity.model import OpportunityResult
from careflow.opportunity.parameters import LEVERS, PARAMETER_DESCRIPTIONS, default_effects, national_parameters
from careflow.provenance import Assumed
from careflow.safe_yaml import load_yaml_text
from careflow.scenario import Effect, LeverSettings, Scenario
from careflow.store import accounts, records
from careflow.store.audit import events, record
from careflow.store.models import Role, User, Workspace
from careflow.web import actions
from careflow.web.auth import (
    ADMIN,
    CASE_REVIEWS,
    MAX_ID,
    READ,
    SESSION_COOKIE,
    SIGN_IN_CSRF_COOKIE,
    WRITE,
    CurrentVisitor,
    Db,
    Id,
    Member,
    Membership,
    NotFound,
    OptionalId,
    QueryId,
    Visitor,
    Writer,
    csrf_protected,
    new_sign_in_token,
    optional_visitor,
)
from careflow.web.uploads import MAX_UPLOAD_BYTES

router = APIRouter(include_in_schema=False)
Csrf = Depends(csrf_protected)
# Async routes (those that read an upload or a form) run their writes with run_in_threadpool: a write waiting for
# SQLite's lock on the event loop would stop the loop that lets the lock's holder commit, for the 10-second busy
# timeout, then fail with "database is locked" (found by benchmarks/web_crash.py under concurrent writes).


def m(value: float) -> str:
    """£m with three decimals, as council papers print money."""
    return f"{value / 1e6:,.3f}"


def figure(value: float) -> str:
    """A number as a person reads it: thousands separated, no exponent, sensible decimals."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4g}" if value else "0"


def cite(text: str) -> Markup:
    """A provenance description with the publication's *title* in italics; everything else escaped."""
    return Markup(re.sub(r"\*([^*]+)\*", r"<em>\1</em>", str(escape(text))))


def render(
    request: Request, template: str, who: Member | Visitor | None = None, status: int = 200, **context: Any
) -> Response:
    visitor = who.visitor if isinstance(who, Member) else who
    context.update(
        visitor=visitor,
        member=who if isinstance(who, Member) else None,
        csrf_token=visitor.session.csrf_token if visitor and visitor.session else "",
        govuk=request.app.state.govuk,
        m=m,
        READ=READ,
        WRITE=WRITE,
        ADMIN=ADMIN,
        CASE_REVIEWS=CASE_REVIEWS,
    )
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.app.state.config.secure_cookies,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        path="/",
    )


def _safe_next(target: str | None) -> str:
    # Only local paths: a sign-in link must not bounce people to another site.
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


# --- signing in and out ------------------------------------------------------------------------------------------


@router.get("/sign-in")
def sign_in_form(request: Request, next: str = "/", error: str = "") -> Response:
    token = request.cookies.get(SIGN_IN_CSRF_COOKIE) or new_sign_in_token()
    response = render(request, "sign_in.html", sign_in_token=token, next=_safe_next(next), error=error)
    response.set_cookie(
        SIGN_IN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=request.app.state.config.secure_cookies
    )
    return response


@router.post("/sign-in")
def sign_in(
    request: Request,
    db: Db,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    expected = request.cookies.get(SIGN_IN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return render(
            request,
            "sign_in.html",
            sign_in_token=expected or new_sign_in_token(),
            next=_safe_next(next),
            error="The form had expired. Please try again.",
            status=403,
        )
    limiter = request.app.state.limiter
    client = request.client.host if request.client else "unknown"
    if limiter.blocked(client):
        return render(
            request,
            "sign_in.html",
            sign_in_token=expected,
            next=_safe_next(next),
            error="Too many failed sign-ins from this address. Wait a few minutes and try again.",
            status=429,
        )
    try:
        user = accounts.check_password(db, email, password)
    except accounts.SignInRefused as refused:
        limiter.failed(client)
        db.commit()  # the failure count must stick even though this request answers with an error
        return render(
            request, "sign_in.html", sign_in_token=expected, next=_safe_next(next), error=str(refused), status=401
        )
    token = accounts.start_session(db, user, request.cookies.get(SESSION_COOKIE), bool(user.totp_secret))
    record(db, user.email, "session.sign_in", f"user {user.id}", user_id=user.id)
    response = see_other("/sign-in/second-factor?next=" + _safe_next(next) if user.totp_secret else _safe_next(next))
    _session_cookie(request, response, token)
    response.delete_cookie(SIGN_IN_CSRF_COOKIE)
    return response


def _pending(db: Any, request: Request) -> Any:
    token = request.cookies.get(SESSION_COOKIE, "")
    found = accounts.find_session(db, token) if token else None
    return found if found is not None and found.second_factor_pending else None


@router.get("/sign-in/second-factor")
def second_factor_form(request: Request, db: Db, next: str = "/") -> Response:
    pending = _pending(db, request)
    if pending is None:
        return see_other("/sign-in")
    return render(request, "second_factor.html", next=_safe_next(next), error="", pending_csrf=pending.csrf_token)


@router.post("/sign-in/second-factor")
def second_factor(
    request: Request,
    db: Db,
    code: Annotated[str, Form(max_length=12)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    pending = _pending(db, request)
    if pending is None or not hmac.compare_digest(csrf_token, pending.csrf_token):
        return see_other("/sign-in")
    user = db.get(User, pending.user_id)
    limiter, client = request.app.state.limiter, request.client.host if request.client else "unknown"
    if (
        user is None
        or not user.totp_secret
        or limiter.blocked(client)
        or not pyotp.TOTP(user.totp_secret).verify(code.strip(), valid_window=1)
    ):
        limiter.failed(client)
        return render(
            request,
            "second_factor.html",
            next=_safe_next(next),
            error="That code is not right.",
            pending_csrf=pending.csrf_token,
            status=401,
        )
    fresh = accounts.start_session(db, user, token, second_factor_pending=False)  # a new id once fully signed in
    response = see_other(_safe_next(next))
    _session_cookie(request, response, fresh)
    return response


@router.post("/sign-out", dependencies=[Csrf])
def sign_out(request: Request, db: Db, who: CurrentVisitor) -> Response:
    accounts.end_session(db, request.cookies.get(SESSION_COOKIE, ""))
    record(db, who.actor, "session.sign_out", f"user {who.user.id}", user_id=who.user.id)
    response = see_other("/sign-in?signed_out=1")
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- account: second factor and API tokens -------------------------------------------------------------------------


@router.get("/account")
def account(request: Request, who: CurrentVisitor) -> Response:
    return render(request, "account.html", who, new_token="", totp_secret="", totp_uri="")


@router.post("/account/tokens", dependencies=[Csrf])
def create_token(
    request: Request, db: Db, who: CurrentVisitor, name: Annotated[str, Form(max_length=100)] = "script"
) -> Response:
    token = accounts.create_api_token(db, who.user, name.strip() or "script", who.actor)
    return render(request, "account.html", who, new_token=token, totp_secret="", totp_uri="")


@router.post("/account/second-factor", dependencies=[Csrf])
def set_up_second_factor(
    request: Request,
    db: Db,
    who: CurrentVisitor,
    secret: Annotated[str, Form(max_length=64)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    if not secret:
        secret = pyotp.random_base32()
        uri = pyotp.TOTP(secret).provisioning_uri(name=who.user.email, issuer_name="careflow")
        return render(request, "account.html", who, new_token="", totp_secret=secret, totp_uri=uri)
    if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        uri = pyotp.TOTP(secret).provisioning_uri(name=who.user.email, issuer_name="careflow")
        return render(
            request,
            "account.html",
            who,
            new_token="",
            totp_secret=secret,
            totp_uri=uri,
            totp_error="That code is not right; check the time on your device.",
            status=422,
        )
    who.user.totp_secret = secret
    record(db, who.actor, "user.second_factor", f"user {who.user.id}", user_id=who.user.id)
    return see_other("/account?second_factor=on")


# --- workspaces ------------------------------------------------------------------------------------------------------


@router.get("/")
def home(request: Request, db: Db, who: Annotated[Visitor | None, Depends(optional_visitor)]) -> Response:
    if who is None:
        return see_other("/sign-in")
    roles = accounts.roles_of(db, who.user.id)
    spaces = list(db.scalars(select(Workspace).where(Workspace.id.in_(roles)).order_by(Workspace.name)))
    if len(spaces) == 1:
        return see_other(f"/w/{spaces[0].id}")
    return render(request, "home.html", who, workspaces=[(w, roles[w.id]) for w in spaces])


@router.get("/w/{workspace_id}")
def workspace(request: Request, db: Db, who: Membership) -> Response:
    who.require(READ)
    return render(
        request,
        "workspace.html",
        who,
        baselines=records.baselines(db, who.workspace.id)[:5],
        scenarios=records.scenarios(db, who.workspace.id)[:5],
        jobs=records.jobs(db, who.workspace.id, limit=5),
    )


# --- baselines -------------------------------------------------------------------------------------------------------


@router.get("/w/{workspace_id}/baselines")
def baselines(request: Request, db: Db, who: Membership) -> Response:
    who.require(READ)
    return render(request, "baselines.html", who, versions=records.baselines(db, who.workspace.id), problems=[])


@router.post("/w/{workspace_id}/baselines", dependencies=[Csrf])
async def upload_baseline(request: Request, db: Db, who: Writer, workbook: Annotated[UploadFile, File()]) -> Response:
    content = await workbook.read(MAX_UPLOAD_BYTES + 1)
    try:
        version = await run_in_threadpool(actions.upload_baseline, db, who, workbook.filename, content)  # off the loop
    except InputError as error:
        return render(
            request,
            "baselines.html",
            who,
            versions=records.baselines(db, who.workspace.id),
            problems=error.problems,
            status=422,
        )
    return see_other(f"/w/{who.workspace.id}/baselines/{version.number}?uploaded=1")


@router.get("/w/{workspace_id}/baselines/compare")
def compare_baselines(request: Request, db: Db, who: Membership, a: QueryId, b: QueryId) -> Response:
    from careflow.baseline.glance import glance as baseline_glance

    older, newer = actions.baseline_version(db, who, a), actions.baseline_version(db, who, b)
    left, right = baseline_glance(actions.parsed(older)), baseline_glance(actions.parsed(newer))
    rows = [(name, x, y, x != y) for (name, x), (_, y) in zip(left, right, strict=True)]
    return render(request, "compare.html", who, older=older, newer=newer, rows=rows)


@router.get("/w/{workspace_id}/baselines/{number}")
def baseline(request: Request, db: Db, who: Membership, number: Id) -> Response:
    from careflow.baseline.glance import glance as baseline_glance

    version = actions.baseline_version(db, who, number)
    return render(
        request,
        "baseline.html",
        who,
        version=version,
        glance=baseline_glance(actions.parsed(version)),
        others=records.baselines(db, who.workspace.id),
    )


@router.get("/w/{workspace_id}/baselines/{number}/file")
def baseline_file(db: Db, who: Membership, number: Id) -> Response:
    version = actions.baseline_version(db, who, number)
    return Response(
        version.content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="baseline-v{version.number}.xlsx"'},
    )


# --- opportunity -----------------------------------------------------------------------------------------------------


@router.get("/w/{workspace_id}/opportunity")
def opportunity(
    request: Request, db: Db, who: Membership, baseline: OptionalId = None, scenario: OptionalId = None
) -> Response:
    if records.latest_baseline(db, who.workspace.id) is None:
        return render(request, "opportunity.html", who, result=None)
    version, chosen, result, _ = actions.opportunity(db, who, baseline, scenario)
    from careflow.opportunity.report import figure_label

    query = f"baseline={version.number}" + (f"&scenario={chosen.number}" if chosen else "")
    return render(
        request,
        "opportunity.html",
        who,
        label=figure_label,
        result=result,
        version=version,
        chosen=chosen,
        query=query,
        baselines=records.baselines(db, who.workspace.id),
        scenarios=records.scenarios(db, who.workspace.id),
    )


@lru_cache(maxsize=64)
def _opportunity_chart(baseline_sha: str, scenario_sha: str, result_json: str) -> str:
    # Versions never change, so a chart drawn once for a pair of content hashes stays right.
    from careflow.report.charts import bar_with_range

    result = OpportunityResult.model_validate_json(result_json)
    return bar_with_range(
        [lever.name for lever in result.levers],
        [lever.net_benefit_gbp / 1e6 for lever in result.levers],
        [lever.low_gbp / 1e6 for lever in result.levers],
        [lever.high_gbp / 1e6 for lever in result.levers],
        "£m a year, net of overlaps (bar: central; whiskers: low to high)",
    )


@router.get("/w/{workspace_id}/opportunity/chart.svg")
def opportunity_chart(db: Db, who: Membership, baseline: OptionalId = None, scenario: OptionalId = None) -> Response:
    version, chosen, result, _ = actions.opportunity(db, who, baseline, scenario)
    svg = _opportunity_chart(version.content_sha256, chosen.content_sha256 if chosen else "", result.model_dump_json())
    return Response(svg, media_type="image/svg+xml")


@router.get("/w/{workspace_id}/opportunity/report.{kind}")
def opportunity_report(
    db: Db, who: Membership, kind: str, baseline: OptionalId = None, scenario: OptionalId = None
) -> Response:
    from careflow.web import usecases

    if kind not in ("html", "xlsx"):
        raise NotFound("Reports come as .html or .xlsx.")
    version, _, result, parsed = actions.opportunity(db, who, baseline, scenario)
    files = usecases.opportunity_files(result, parsed)
    name = next(n for n in files if n.endswith("." + kind))
    media = (
        "text/html; charset=utf-8"
        if kind == "html"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(files[name], media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- scenarios -------------------------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:g}"


def editor_levers(scenario: Scenario | None) -> list[dict[str, Any]]:
    """Each lever's row in the editor: on/off, low/central/high (as %) and phasing, from the scenario or defaults."""
    defaults = default_effects()
    rows = []
    for lever in LEVERS:
        settings = scenario.levers.get(lever.id) if scenario else None
        effect = (settings.effects.get(lever.effect_name) if settings else None) or defaults[lever.id][
            lever.effect_name
        ]
        rows.append(
            {
                "id": lever.id,
                "name": lever.name,
                "effect_name": lever.effect_name.replace("_", " "),
                "enabled": settings.enabled if settings else True,
                "central": _percent(effect.central),
                "low": _percent(effect.low),
                "high": _percent(effect.high),
                "phasing": ", ".join(_percent(x) for x in (settings.phasing or [])) if settings else "",
                "source": lever.central.describe(),
            }
        )
    return rows


def editor_parameters(scenario: Scenario | None) -> list[dict[str, Any]]:
    rows = []
    for name, value in national_parameters().items():
        override = scenario.parameters.get(name) if scenario else None
        rows.append(
            {
                "id": name,
                "label": PARAMETER_DESCRIPTIONS.get(name, name.replace("_", " ")),
                "central": f"{override.central:g}" if override else "",
                "low": f"{override.low:g}" if override and override.low is not None else "",
                "high": f"{override.high:g}" if override and override.high is not None else "",
                "default": f"{value.value:,.6g}",
                "unit": value.unit,
            }
        )
    return rows


PROJECTION_FIELDS = ("years", "runs", "seed")  # as boxes; every other projection setting as YAML


def projection_block(scenario: Scenario | None) -> dict[str, Any]:
    """The projection settings the scenario itself sets (defaults left out), as its YAML would hold them."""
    return scenario.projection.model_dump(mode="json", exclude_unset=True) if scenario else {}


def editor_projection_yaml(scenario: Scenario | None) -> str:
    rest = {k: v for k, v in projection_block(scenario).items() if k not in PROJECTION_FIELDS}
    return yaml.safe_dump(rest, sort_keys=False, allow_unicode=True) if rest else ""


def _number(form: Any, key: str, problems: list[Problem], percent: bool = False) -> float | None:
    raw = str(form.get(key, "")).strip().replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        problems.append(Problem("scenario form", f"'{raw[:40]}'", "a number", column=key))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem("scenario form", f"'{raw[:40]}'", "a finite number", column=key))
        return None
    return value / 100 if percent else value


EDITED = Assumed(reason="set in careflow's scenario editor (the workspace's audit log records by whom)")


def _effect(
    form: Any, key: str, problems: list[Problem], percent: bool, kept: Effect | None, published: Effect | None
) -> Effect | None:
    """The effect entered, keeping the provenance of an unchanged one; None when it equals the published value."""
    central = _number(form, f"{key}.central", problems, percent)
    if central is None:
        return None
    low, high = _number(form, f"{key}.low", problems, percent), _number(form, f"{key}.high", problems, percent)

    def same(other: Effect | None) -> bool:
        return other is not None and all(
            (x is None and y is None) or (x is not None and y is not None and abs(x - y) < 1e-9)
            for x, y in ((central, other.central), (low, other.low), (high, other.high))
        )

    if same(kept):
        return kept
    if same(published):
        return None
    return Effect(central=central, low=low, high=high, provenance=EDITED)


def scenario_from_form(form: Any, base: Scenario | None = None) -> Scenario:
    """A scenario document from the editor's fields; every problem reported with the field it came from.

    Values left as they were keep their provenance (the published source, or the edited scenario's own); values
    equal to the published ones are not written, so the document stays short and the sources stay attached."""
    problems: list[Problem] = []
    published = default_effects()
    levers: dict[str, LeverSettings] = {}
    for lever in LEVERS:
        key = f"lever.{lever.id}"
        before = base.levers.get(lever.id) if base else None
        effect = _effect(
            form,
            key,
            problems,
            True,
            before.effects.get(lever.effect_name) if before else None,
            published[lever.id][lever.effect_name],
        )
        phasing: list[float] = []
        for i, part in enumerate(p for p in str(form.get(f"{key}.phasing", "")).split(",") if p.strip()):
            value = _number({"x": part}, "x", problems, percent=True)
            if value is not None and not 0 <= value <= 1:
                problems.append(
                    Problem("scenario form", f"{value:.0%} in year {i + 1}", "0 to 100", column=f"{key}.phasing")
                )
            if value is not None:
                phasing.append(value)
        enabled = form.get(f"{key}.enabled") == "on"
        if enabled and effect is None and not phasing:
            continue  # the published lever as it stands: nothing to write
        levers[lever.id] = LeverSettings(
            enabled=enabled, effects={lever.effect_name: effect} if effect else {}, phasing=phasing or None
        )
    parameters = {}
    for name in national_parameters():
        kept = base.parameters.get(name) if base else None
        override = _effect(form, f"param.{name}", problems, False, kept, None)
        if override is not None:
            parameters[name] = override
    projection: dict[str, Any] = {}
    extra = str(form.get("projection.other", "")).strip()
    if extra:
        try:  # careflow's one YAML reader: safe types, alias/size caps (a form is as hostile as a file)
            loaded = load_yaml_text(extra, "scenario form")
        except InputError as error:
            problems.extend(replace(p, column="other projection settings") for p in error.problems)
            loaded = {}
        if isinstance(loaded, dict):
            projection.update(loaded)
        elif loaded is not None:
            problems.append(
                Problem(
                    "scenario form",
                    f"a {type(loaded).__name__}",
                    "settings written as 'name: value' lines",
                    column="other projection settings",
                )
            )
    for field in PROJECTION_FIELDS:
        value = _number(form, f"projection.{field}", problems)
        if value is not None:
            projection[field] = int(value)
    name = str(form.get("name", "")).strip()[:200]
    if not name:
        problems.append(Problem("scenario form", "no name", "a name for the scenario", column="name"))
    if problems:
        raise InputError(problems)
    return Scenario(
        name=name,
        description=str(form.get("description", "")).strip()[:2000],
        levers=levers,
        parameters=parameters,
        projection=projection,
    )


@router.get("/w/{workspace_id}/scenarios")
def scenarios(request: Request, db: Db, who: Membership) -> Response:
    who.require(READ)
    return render(request, "scenarios.html", who, versions=records.scenarios(db, who.workspace.id), problems=[])


def editor(
    request: Request,
    who: Member,
    base: Scenario | None,
    start: int | None,
    form: Any = None,
    problems: list[Problem] | None = None,
) -> Response:
    """The editor page, filled from the scenario being edited and then from what was typed, if it came back."""
    levers, parameters = editor_levers(base), editor_parameters(base)
    fields = {
        "name": base.name if base else "",
        "description": base.description if base else "",
        "other": editor_projection_yaml(base),
        **{f: str(projection_block(base).get(f, "")) for f in PROJECTION_FIELDS},
    }
    if form is not None:
        for row in levers:
            row["enabled"] = form.get(f"lever.{row['id']}.enabled") == "on"
            for part in ("low", "central", "high", "phasing"):
                row[part] = str(form.get(f"lever.{row['id']}.{part}", ""))
        for row in parameters:
            for part in ("low", "central", "high"):
                row[part] = str(form.get(f"param.{row['id']}.{part}", ""))
        fields.update(
            name=str(form.get("name", "")),
            description=str(form.get("description", "")),
            other=str(form.get("projection.other", "")),
        )
        fields.update({f: str(form.get(f"projection.{f}", "")) for f in PROJECTION_FIELDS})
    return render(
        request,
        "scenario_edit.html",
        who,
        levers=levers,
        parameters=parameters,
        fields=fields,
        start=start or "",
        problems=problems or [],
        status=422 if problems else 200,
    )


@router.get("/w/{workspace_id}/scenarios/new")
def scenario_editor(request: Request, db: Db, who: Writer, start: OptionalId = None) -> Response:
    base = actions.scenario_of(actions.scenario_version(db, who, start)) if start else None
    return editor(request, who, base, start)


@router.post("/w/{workspace_id}/scenarios", dependencies=[Csrf])
async def save_scenario(request: Request, db: Db, who: Writer) -> Response:
    who.require(WRITE)
    form = await request.form()
    start = str(form.get("start", ""))
    start = start if start.isdigit() and len(start) < 10 else ""
    base = actions.scenario_of(actions.scenario_version(db, who, int(start))) if start else None
    try:
        version = await run_in_threadpool(
            actions.save_scenario, db, who, scenario_from_form(form, base)
        )  # off the loop
    except InputError as error:
        return editor(request, who, base, int(start) if start.isdigit() else None, form, error.problems)
    return see_other(f"/w/{who.workspace.id}/scenarios/{version.number}?saved=1")


@router.post("/w/{workspace_id}/scenarios/upload", dependencies=[Csrf])
async def upload_scenario(request: Request, db: Db, who: Writer, document: Annotated[UploadFile, File()]) -> Response:
    content = await document.read(MAX_UPLOAD_BYTES + 1)
    try:
        version = await run_in_threadpool(actions.upload_scenario, db, who, document.filename, content)  # off the loop
    except InputError as error:
        return render(
            request,
            "scenarios.html",
            who,
            versions=records.scenarios(db, who.workspace.id),
            problems=error.problems,
            status=422,
        )
    return see_other(f"/w/{who.workspace.id}/scenarios/{version.number}?saved=1")


@router.get("/w/{workspace_id}/scenarios/diff")
def scenario_diff(request: Request, db: Db, who: Membership, a: QueryId, b: QueryId) -> Response:
    older, newer = actions.scenario_version(db, who, a), actions.scenario_version(db, who, b)
    return render(
        request, "scenario_diff.html", who, older=older, newer=newer, lines=actions.scenario_diff(older, newer)
    )


@router.get("/w/{workspace_id}/scenarios/{number}")
def scenario(request: Request, db: Db, who: Membership, number: Id) -> Response:
    version = actions.scenario_version(db, who, number)
    return render(request, "scenario.html", who, version=version, others=records.scenarios(db, who.workspace.id))


@router.get("/w/{workspace_id}/scenarios/{number}/scenario.yaml")
def scenario_file(db: Db, who: Membership, number: Id) -> Response:
    version = actions.scenario_version(db, who, number)
    return Response(
        version.yaml_text,
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="scenario-v{version.number}.yaml"'},
    )


# --- projections -----------------------------------------------------------------------------------------------------


@router.get("/w/{workspace_id}/projections")
def projections(request: Request, db: Db, who: Membership) -> Response:
    who.require(READ)
    return render(
        request,
        "projections.html",
        who,
        jobs=records.jobs(db, who.workspace.id),
        baselines=records.baselines(db, who.workspace.id),
        scenarios=records.scenarios(db, who.workspace.id),
        problems=[],
    )


@router.post("/w/{workspace_id}/projections", dependencies=[Csrf])
def start_projection(
    request: Request,
    db: Db,
    who: Writer,
    baseline: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    scenario: Annotated[str, Form()] = "",
    runs: Annotated[int, Form()] = 100,
    years: Annotated[int, Form()] = 10,
    seed: Annotated[int, Form()] = 0,
) -> Response:
    asked = actions.ProjectionRequest(
        baseline, int(scenario) if scenario.isdigit() and len(scenario) < 10 else None, runs, years, seed
    )
    try:
        job = actions.start_projection(db, who, asked, request.app.state.runner)
    except InputError as error:
        return render(
            request,
            "projections.html",
            who,
            jobs=records.jobs(db, who.workspace.id),
            baselines=records.baselines(db, who.workspace.id),
            scenarios=records.scenarios(db, who.workspace.id),
            problems=error.problems,
            status=422,
        )
    return see_other(f"/w/{who.workspace.id}/projections/{job.id}")


@router.get("/w/{workspace_id}/projections/{job_id}")
def projection(request: Request, db: Db, who: Membership, job_id: Id) -> Response:
    who.require(READ)
    job = records.job(db, who.workspace.id, job_id)
    if job is None:
        raise NotFound("No such projection in this workspace.")
    from careflow.simulate.report import assumption_rows

    result = json.loads(job.result_json) if job.result_json else None
    assumptions = assumption_rows(result.get("assumptions", {})) if result else []
    return render(
        request,
        "projection.html",
        who,
        job=job,
        result=result,
        parameters=json.loads(job.parameters_json),
        assumptions=assumptions,
    )


@router.post("/w/{workspace_id}/projections/{job_id}/rerun", dependencies=[Csrf])
def rerun(request: Request, db: Db, who: Writer, job_id: Id) -> Response:
    job = actions.rerun(db, who, job_id, request.app.state.runner)
    return see_other(f"/w/{who.workspace.id}/projections/{job.id}")


@router.get("/w/{workspace_id}/projections/{job_id}/files/{name}")
def projection_file(db: Db, who: Membership, job_id: Id, name: str) -> Response:
    who.require(READ)
    job = records.job(db, who.workspace.id, job_id)
    found = records.artefact(db, job.id, name) if job else None
    if found is None:
        raise NotFound("No such file for this projection.")
    disposition = "inline" if name.endswith(".svg") else f'attachment; filename="{name}"'
    return Response(found.content, media_type=found.media_type, headers={"Content-Disposition": disposition})


# --- case reviews (practitioners and admins only) ----------------------------------------------------------------


@router.get("/w/{workspace_id}/reviews")
def reviews(request: Request, db: Db, who: Membership) -> Response:
    who.require(CASE_REVIEWS)
    return render(request, "reviews.html", who, sets=records.review_sets(db, who.workspace.id), problems=[])


@router.post("/w/{workspace_id}/reviews", dependencies=[Csrf])
async def upload_reviews(request: Request, db: Db, who: Membership, reviews: Annotated[UploadFile, File()]) -> Response:
    who.require(CASE_REVIEWS)
    content = await reviews.read(MAX_UPLOAD_BYTES + 1)
    try:
        found = await run_in_threadpool(actions.upload_reviews, db, who, reviews.filename, content)  # off the loop
    except InputError as error:
        return render(
            request,
            "reviews.html",
            who,
            sets=records.review_sets(db, who.workspace.id),
            problems=error.problems,
            status=422,
        )
    return see_other(f"/w/{who.workspace.id}/reviews/{found.number}")


@router.get("/w/{workspace_id}/reviews/{number}")
def review_summary(request: Request, db: Db, who: Membership, number: Id) -> Response:
    from careflow.outcomes.analysis import summarise
    from careflow.outcomes.review_report import share_rows

    found, cases = actions.review_set(db, who, number)
    summary = summarise(cases)
    return render(request, "review.html", who, found=found, summary=summary, shares=share_rows(summary))


@router.post("/w/{workspace_id}/reviews/{number}/calibrate", dependencies=[Csrf])
def calibrate(request: Request, db: Db, who: Membership, number: Id) -> Response:
    version = actions.calibrate(db, who, number)
    return see_other(f"/w/{who.workspace.id}/scenarios/{version.number}?saved=1")


# --- administration ------------------------------------------------------------------------------------------------


@router.get("/w/{workspace_id}/audit")
def audit(request: Request, db: Db, who: Membership) -> Response:
    who.require(ADMIN)
    return render(request, "audit.html", who, events=events(db, who.workspace.id))


@router.get("/w/{workspace_id}/members")
def members(request: Request, db: Db, who: Membership) -> Response:
    from careflow.store.models import Membership as MembershipRow

    who.require(ADMIN)
    rows = db.execute(
        select(User.email, MembershipRow.role)
        .join(MembershipRow, MembershipRow.user_id == User.id)
        .where(MembershipRow.workspace_id == who.workspace.id)
        .order_by(User.email)
    ).all()
    return render(request, "members.html", who, rows=rows, roles=[r.value for r in Role])


@router.get("/health", include_in_schema=True)
def health(db: Db) -> dict[str, str]:
    """Liveness and database reachability, for load balancers and monitoring."""
    from sqlalchemy import text

    db.execute(text("SELECT 1"))
    return {"status": "ok"}
