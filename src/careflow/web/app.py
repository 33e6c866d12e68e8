"""The web application: store, worker, security headers, request ids, error pages and problem details."""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from careflow.errors import InputError, Problem
from careflow.store.database import make_engine, require_current, session_factory, transaction
from careflow.store.records import mark_interrupted
from careflow.web.auth import CsrfRejected, Forbidden, NotFound, NotSignedIn, SignInLimiter
from careflow.web.jobs import JobRunner

log = logging.getLogger("careflow.web")
HERE = Path(__file__).parent
GOVUK_ENV = "CAREFLOW_GOVUK_FRONTEND"
GOVUK_SUBPATH = Path("node_modules/govuk-frontend/dist/govuk")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Charts are SVG files shown through <img>: a matplotlib one carries its own <style>, which must apply; no script
# runs in an image.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


@dataclass
class WebConfig:
    database_url: str
    secure_cookies: bool = False  # set when served over TLS (directly or behind a proxy): Secure cookies and HSTS
    job_workers: int = 1
    job_processes: bool = True  # worker processes; threads only where processes cannot start
    govuk_frontend: Path | None = None


def find_govuk_frontend(given: str | None = None) -> Path | None:
    """The installed govuk-frontend `dist/govuk` folder (installed by `make web-assets` from npm), if any."""
    candidates = [given or os.environ.get(GOVUK_ENV) or ""]
    for root in (Path.cwd(), *Path(__file__).resolve().parents):
        candidates.append(str(root / "build" / "web-assets" / GOVUK_SUBPATH))
    for candidate in candidates:
        if candidate and (Path(candidate) / "govuk-frontend.min.css").is_file():
            return Path(candidate)
    return None


def problem_response(status: int, title: str, detail: str, problems: list[Problem] | None = None) -> JSONResponse:
    """RFC 9457 problem details; input problems carry the same located fields as the command line prints."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if problems is not None:
        body["problems"] = [
            {
                "file": p.file,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "found": p.found,
                "expected": p.expected,
            }
            for p in problems
        ]
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def create_app(config: WebConfig) -> FastAPI:
    engine = make_engine(config.database_url)
    require_current(engine)  # refuse to serve an un-migrated database, before anything is written
    sessions = session_factory(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with transaction(sessions) as db:
            interrupted = mark_interrupted(db)
        if interrupted:
            log.warning("marked %d unfinished job(s) as interrupted; they can be re-run from their page", interrupted)
        app.state.runner = JobRunner(config.database_url, config.job_workers, config.job_processes)
        try:
            yield
        finally:
            app.state.runner.shutdown()
            engine.dispose()

    app = FastAPI(
        title="careflow",
        version="1",
        description="Model an English council's adult social care system: demand, outcomes and money, with provenance.",
        lifespan=lifespan,
        docs_url="/api/v1/docs",
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )
    app.state.config = config
    app.state.engine = engine
    app.state.sessions = sessions
    # .html: autoescaped; a name a template uses but was not given is an error, never a silently empty string
    app.state.templates = Jinja2Templates(
        env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
    )
    from careflow.provenance import money, quantity
    from careflow.web.pages import cite, figure

    app.state.templates.env.filters.update(cite=cite, figure=figure, money=money, quantity=quantity)
    app.state.govuk = config.govuk_frontend is not None
    app.state.limiter = SignInLimiter()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    if config.govuk_frontend is not None:
        app.mount("/govuk", StaticFiles(directory=str(config.govuk_frontend)), name="govuk")
        app.mount("/assets", StaticFiles(directory=str(config.govuk_frontend / "assets")), name="assets")

    @app.middleware("http")
    async def headers_and_request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        request.state.request_id = request_id
        started = time.perf_counter()
        response = await call_next(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        svg = response.headers.get("content-type", "").startswith("image/svg")
        response.headers["Content-Security-Policy"] = SVG_CSP if svg else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Request-Id"] = request_id
        if config.secure_cookies:
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if "cache-control" not in response.headers and not request.url.path.startswith(
            ("/static", "/govuk", "/assets")
        ):
            response.headers["Cache-Control"] = "no-store"
        log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "ms": round(elapsed_ms, 1),
            },
        )
        return response

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def page_error(request: Request, status: int, title: str, detail: str) -> Response:
        return app.state.templates.TemplateResponse(
            request,
            "error.html",
            # no signed-in chrome on an error page: it may answer a request that never reached a session
            {
                "title": title,
                "detail": detail,
                "status": status,
                "govuk": app.state.govuk,
                "visitor": None,
                "member": None,
            },
            status_code=status,
        )

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, error: NotSignedIn) -> Response:
        if wants_json(request):
            return problem_response(401, "Not signed in", str(error))
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        if wants_json(request):
            return problem_response(404, "Not found", str(error))
        return page_error(request, 404, "Page not found", str(error))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        if wants_json(request):
            return problem_response(403, "Not allowed", str(error))
        return page_error(request, 403, "You cannot do this", str(error))

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, error: CsrfRejected) -> Response:
        if wants_json(request):
            return problem_response(403, "CSRF token missing or wrong", str(error))
        return page_error(request, 403, "The form could not be accepted", str(error))

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError) -> Response:
        return problem_response(
            422, "The input has problems", f"{len(error.problems)} problem(s) found", error.problems
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, error: RequestValidationError) -> Response:
        problems = [
            Problem("request", repr(item.get("input"))[:80], item["msg"], column=".".join(str(x) for x in item["loc"]))
            for item in error.errors()
        ]
        if wants_json(request):
            return problem_response(422, "The request has problems", f"{len(problems)} problem(s) found", problems)
        return page_error(request, 422, "The request has problems", "; ".join(str(p) for p in problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if wants_json(request):
            return problem_response(error.status_code, str(error.detail), str(error.detail))
        return page_error(request, error.status_code, str(error.detail), "")

    @app.exception_handler(Exception)
    async def fault(request: Request, error: Exception) -> Response:
        log.exception("unhandled error", extra={"request_id": getattr(request.state, "request_id", "")})
        detail = f"careflow stopped unexpectedly. Quote request id {getattr(request.state, 'request_id', '')}."
        if wants_json(request):
            return problem_response(500, "Internal error", detail)
        return page_error(request, 500, "Something went wrong", detail)

    from careflow.web import api, finance_pages, national_pages, pages, performance_pages

    app.include_router(pages.router)
    app.include_router(finance_pages.router)
    app.include_router(performance_pages.router)
    app.include_router(national_pages.router)
    app.include_router(api.router)
    return app
