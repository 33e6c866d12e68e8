"""Helpers for the web and store tests: PostgreSQL reachability, seeding two workspaces, signing in like a browser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careflow.store.models import Role

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artefacts" / "browser"
REVIEWS = Path(__file__).resolve().parents[1] / "examples" / "case_reviews_synthetic.csv"
PASSWORD = "correct horse battery staple"


def postgres_reachable() -> str | None:
    """None if PostgreSQL answers on loopback, else why not (tests then skip with that reason)."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES, connect_timeout=2):
            return None
    except Exception as error:  # no server, no database, no driver: skip, saying which
        return f"PostgreSQL not reachable at {POSTGRES}: {type(error).__name__}: {error}"


@dataclass
class Seeded:
    """Two workspaces ('own' with one member per role, 'other' with its own admin) and their first versions."""

    url: str
    own: int
    other: int
    reviews: bytes = b""
    emails: dict[str, str] = field(default_factory=dict)  # role (or 'outsider') → e-mail
    job: dict[str, int] = field(default_factory=dict)  # workspace label → id of a finished job


def seed(url: str, workbook: bytes) -> Seeded:
    import json

    from careflow.store import accounts, records
    from careflow.store.database import database_url, make_engine, session_factory, transaction, upgrade
    from careflow.store.models import Job, JobArtefact, JobStatus
    from careflow.web.usecases import check_baseline

    engine = make_engine(database_url(url))
    upgrade(engine)
    baseline = check_baseline(workbook, "demo.xlsx")
    with transaction(session_factory(engine)) as db:
        own, other = accounts.workspace_named(db, "Ownshire"), accounts.workspace_named(db, "Othershire")
        seeded = Seeded(url, own.id, other.id)
        for role in Role:
            user = accounts.create_user(db, f"{role.value}@own.example", PASSWORD)
            accounts.grant(db, user, own, role)
            seeded.emails[role.value] = user.email
        outsider = accounts.create_user(db, "admin@other.example", PASSWORD)
        accounts.grant(db, outsider, other, Role.admin)
        seeded.emails["outsider"] = outsider.email
        for label, space in (("own", own), ("other", other)):
            version = records.add_baseline(
                db,
                space.id,
                "demo.xlsx",
                workbook,
                baseline.council.name,
                baseline.council.financial_year,
                baseline.model_dump_json(),
                "test",
                None,
            )
            records.add_scenario(db, space.id, "first", "name: first\nlevers: {}\n", "test", None)
            records.add_review_set(db, space.id, "reviews.csv", REVIEWS.read_bytes(), 0, "test", None)
            job = Job(
                workspace_id=space.id,
                kind="projection",
                status=JobStatus.failed.value,
                baseline_version_id=version.id,
                parameters_json=json.dumps({"runs": 1, "years": 1, "seed": 0}),
                done=0,
                total=0,
                progress=0.0,
                error="seeded",
            )
            db.add(job)
            db.flush()
            db.add(JobArtefact(job_id=job.id, name="projection.html", media_type="text/html", content=b"<p>seeded</p>"))
            seeded.job[label] = job.id
    engine.dispose()
    return seeded


def sign_in(client: object, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form as a browser would; returns the session's CSRF token ('' if refused)."""
    page = client.get("/sign-in")  # type: ignore[attr-defined]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    client.post(  # type: ignore[attr-defined]
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    return csrf_of(client)


def csrf_of(client: object) -> str:
    page = client.get("/account", follow_redirects=False)  # type: ignore[attr-defined]
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return found.group(1) if found and page.status_code == 200 else ""


def broken_workbook(workbook: bytes) -> bytes:
    """The demo workbook with two mistakes a person makes: text in a count, and a negative number of people."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    population = book["population"]
    requests = book["requests"]
    population.cell(row=4, column=2).value = -5
    requests.cell(row=5, column=3).value = "lots"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A small .xlsx-looking zip (about 20 KB) whose one member expands to 20 MB of zeros (1,000 times its size)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(20):
                member.write(chunk)
    return out.getvalue()


def drawn(page: object, image: object) -> None:
    """The chart image loaded and was drawn at a real size (a broken image shows only its alt text)."""
    handle = image.element_handle()  # type: ignore[attr-defined]
    page.wait_for_function("img => img.complete", arg=handle)  # type: ignore[attr-defined]
    assert page.evaluate("img => img.complete && img.getBoundingClientRect().height > 150", handle)  # type: ignore[attr-defined]


def chromium_page(playwright: Any, timeout_ms: int = 30_000) -> tuple[Any, Any, list[str]]:
    """(browser, page, messages) in Debian's Chromium as the browser tests drive it; `messages` collects every
    console message about a Content-Security-Policy refusal, which each journey expects to stay empty."""
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    )
    page = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900}).new_page()
    page.set_default_timeout(timeout_ms)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return browser, page, blocked
