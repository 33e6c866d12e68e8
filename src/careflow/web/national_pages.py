"""The evidence library and the national view in the browser: search, council pages, peers, the atlas, and each
council's baseline imported from NHS Digital's tables (which analysts can add to their workspace as a new version).

Every page calls the same services as `careflow evidence …`, `careflow atlas` and `careflow import`."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from careflow.errors import InputError, Problem
from careflow.reference.bibliography import cite
from careflow.web import actions
from careflow.web.auth import READ, WRITE, Db, Id, Member, Membership, NotFound, Writer, csrf_protected
from careflow.web.pages import render, see_other

router = APIRouter(include_in_schema=False)
ONS_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")  # county, unitary, metropolitan or London council
Text = Annotated[str, Query(max_length=200)]
OnsCode = Annotated[str, Path(max_length=12)]
NO_ENTRY = "No council with that entry number in the evidence library."
NO_CODE = "No council with that ONS code in the 2021-22 tables."


def _annex_line(line: int, document: str | None = None) -> str:
    """Where a library figure is printed, in words (the publication and its page or section)."""
    from careflow.evidence.library import ANNEX

    return cite(document or ANNEX, f"L{line}")


def _amount(text: str) -> tuple[float | None, list[Problem]]:
    raw = text.strip().replace(",", "").lstrip("£")
    if not raw:
        return None, []
    try:
        value = float(raw)
    except ValueError:
        return None, [Problem("search form", "not a number", "an amount in £, e.g. 500000", column="min_gbp")]
    if not 0 <= value < 1e12:
        return None, [Problem("search form", "out of range", "an amount from £0 to £1 trillion", column="min_gbp")]
    return value, []


# --- the evidence library ----------------------------------------------------------------------------------------


@router.get("/w/{workspace_id}/evidence")
def evidence(
    request: Request,
    who: Membership,
    q: Text = "",
    lever: Text = "",
    client_group: Text = "",
    min_gbp: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    from careflow.evidence.library import ANNEX, ClientGroup
    from careflow.services import evidence as service

    who.require(READ)
    lib = service.library()
    groups = [g for g in ClientGroup.__args__ if g != "all"]  # type: ignore[attr-defined]
    asked = bool(q or lever or client_group or min_gbp)
    amount, problems = _amount(min_gbp)
    if lever and lever not in lib.taxonomy.categories:
        problems.append(Problem("search form", "not a lever category", "one of the categories listed", column="lever"))
    if client_group and client_group not in groups:
        problems.append(Problem("search form", "not a client group", "one of the groups listed", column="client_group"))
    found = None
    if asked and not problems:
        found = service.search_evidence(q, lever or None, client_group or None, amount, lib)
    return render(
        request,
        "evidence.html",
        who,
        status=422 if problems else 200,
        form={"q": q, "lever": lever, "client_group": client_group, "min_gbp": min_gbp},
        categories=sorted(lib.taxonomy.categories.items(), key=lambda item: item[1].label),
        groups=groups,
        found=found,
        problems=problems,
        councils=service.list_councils(lib).councils,
        numbers={c.name: c.number for c in lib.councils},
        annex=cite(ANNEX),
        where=_annex_line,
    )


def _profile(number: int) -> Any:
    from careflow.services import evidence as service

    try:
        return service.council_profile(str(number))
    except (InputError, KeyError, LookupError):
        raise NotFound(NO_ENTRY) from None


@router.get("/w/{workspace_id}/evidence/councils/{number}")
def council(request: Request, who: Membership, number: Id) -> Response:
    who.require(READ)
    profile = _profile(number)
    return render(request, "council.html", who, profile=profile, where=_annex_line)


@router.get("/w/{workspace_id}/evidence/councils/{number}/peers")
def council_peers(
    request: Request,
    who: Membership,
    number: Id,
    top: Annotated[int, Query(ge=1, le=20)] = 5,
) -> Response:
    from careflow.services import evidence as service

    who.require(READ)
    profile = _profile(number)
    lib = service.library()
    found = service.find_peers(profile.council, None, top, lib)
    numbers = {c.name: c.number for c in lib.councils}
    return render(
        request, "council_peers.html", who, profile=profile, found=found, top=top, numbers=numbers, where=_annex_line
    )


# --- the national atlas and imported baselines -------------------------------------------------------------------


def _missing(request: Request, who: Member, error: InputError, status: int) -> Response:
    """The public statistics are not on this server: say so plainly, with where to get them."""
    return render(request, "atlas_missing.html", who, problems=error.problems, status=status)


@router.get("/w/{workspace_id}/atlas")
def atlas(
    request: Request,
    who: Membership,
    sort: Annotated[str, Query(max_length=10)] = "share",
    order: Annotated[str, Query(max_length=4)] = "desc",
) -> Response:
    from careflow.opportunity.parameters import LEVERS
    from careflow.services.national import SORT_KEYS, national_atlas, national_files

    who.require(READ)
    if sort not in SORT_KEYS or order not in ("asc", "desc"):
        sort, order = "share", "desc"  # an unknown sort is not an error: show the default order
    try:
        files = national_files()
    except InputError as error:
        return _missing(request, who, error, 200)
    found = national_atlas(files, sort, order == "desc")  # type: ignore[arg-type]
    return render(request, "atlas.html", who, atlas=found, levers=LEVERS, order=order, source=cite)


def _imported(code: str) -> Any:
    from careflow.services.national import imported_council

    if not ONS_CODE.match(code):
        raise NotFound(NO_CODE)
    try:
        return imported_council(code)
    except InputError as error:
        if error.problems and error.problems[0].file == "england-2021-22":
            raise
        raise NotFound(NO_CODE) from None


@router.get("/w/{workspace_id}/atlas/{code}")
def imported_baseline(request: Request, who: Membership, code: OnsCode) -> Response:
    from careflow.baseline.glance import glance
    from careflow.opportunity.parameters import LEVERS
    from careflow.opportunity.report import baseline_provenance_rows

    who.require(READ)
    try:
        found = _imported(code)
    except InputError as error:
        return _missing(request, who, error, 404)
    return render(
        request,
        "atlas_council.html",
        who,
        council=found,
        glance=glance(found.baseline),
        levers=LEVERS,
        sources=baseline_provenance_rows(found.baseline),
        may_add=who.role in WRITE,
        source=cite,
    )


@router.post("/w/{workspace_id}/atlas/{code}/baseline", dependencies=[Depends(csrf_protected)])
def add_imported_baseline(db: Db, who: Writer, code: OnsCode) -> Response:
    """The imported baseline as the workspace's next version, checked as an upload is, and audited."""
    from careflow.services.national import imported_workbook

    who.require(WRITE)
    try:
        found = _imported(code)
    except InputError:
        raise NotFound("The published tables are not on this server, so there is nothing to add.") from None
    # checked exactly as an uploaded workbook is, then kept as the next version
    version = actions.keep_baseline(db, who, found.file_name, imported_workbook(found), action="baseline.import")
    return see_other(f"/w/{who.workspace.id}/baselines/{version.number}?uploaded=1")
