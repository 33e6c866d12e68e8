"""Sign-in and request safety: CSRF, session fixation, lockout and rate limit, headers and cookies, hostile uploads,
escaped output, the append-only audit log, jobs that survive a restart, and problem details from the API."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from careflow.store.database import make_engine, session_factory, transaction
from careflow.store.models import AuditEvent, BaselineVersion, Job, JobStatus
from careflow.web.app import WebConfig, create_app
from careflow.web.auth import SESSION_COOKIE
from web_support import PASSWORD, Seeded, broken_workbook, seed, sign_in, zip_bomb


def _client(site: tuple[object, Seeded], role: str = "analyst") -> tuple[TestClient, str, Seeded]:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    return client, sign_in(client, seeded.emails[role]), seeded


def _count(url: str, model: type) -> int:
    with transaction(session_factory(make_engine(url))) as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_state_changes_need_the_session_csrf_token(site: tuple[object, Seeded]) -> None:
    client, csrf, seeded = _client(site)
    path = f"/w/{seeded.own}/scenarios"
    form = {"name": "kept", "lever.short_term_services.enabled": "on"}
    assert client.post(path, data=form, follow_redirects=False).status_code == 403
    assert client.post(path, data={**form, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
    assert client.post(path, data={**form, "csrf_token": csrf}, follow_redirects=False).status_code == 303
    api = f"/api/v1/workspaces/{seeded.own}/scenarios"
    assert client.post(api, json={"name": "api"}).status_code == 403  # cookie without the header
    assert client.post(api, json={"name": "api"}, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.post("/sign-out", follow_redirects=False).status_code == 403  # even signing out


def test_sign_in_form_needs_its_own_token(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    answer = client.post("/sign-in", data={"email": seeded.emails["viewer"], "password": PASSWORD, "csrf_token": "x"})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_session_id_is_new_at_sign_in_and_the_old_one_dies(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    client.cookies.set(SESSION_COOKIE, "chosen-by-an-attacker", domain="testserver.local")
    sign_in(client, seeded.emails["viewer"])
    first = client.cookies.get(SESSION_COOKIE)
    assert first and first != "chosen-by-an-attacker"
    sign_in(client, seeded.emails["viewer"])  # signing in again (e.g. on a shared machine) rotates it again
    second = client.cookies.get(SESSION_COOKIE)
    assert second != first
    stale = TestClient(application)  # type: ignore[arg-type]
    stale.cookies.set(SESSION_COOKIE, first, domain="testserver.local")
    assert stale.get(f"/w/{seeded.own}", follow_redirects=False).status_code == 303  # to the sign-in page
    assert client.get(f"/w/{seeded.own}", follow_redirects=False).status_code == 200


def test_account_locks_after_five_wrong_passwords(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    email = seeded.emails["finance"]
    client = TestClient(application)  # type: ignore[arg-type]
    for _ in range(5):
        assert not sign_in(client, email, "wrong password, try again")
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    locked = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 401 and "locked" in locked.text
    with transaction(session_factory(make_engine(seeded.url))) as db:
        assert db.scalar(select(func.count()).where(AuditEvent.action == "user.locked")) == 1


def test_many_failures_from_one_address_are_slowed_down(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    application.state.limiter.failures.clear()  # type: ignore[attr-defined]
    client = TestClient(application)  # type: ignore[arg-type]
    statuses = []
    for i in range(12):
        page = client.get("/sign-in")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        data = {"email": f"nobody{i}@example.org", "password": "guess", "csrf_token": token}
        statuses.append(client.post("/sign-in", data=data).status_code)
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    application.state.limiter.failures.clear()  # type: ignore[attr-defined]


def test_headers_and_cookie_flags(site: tuple[object, Seeded], demo_workbook: bytes, tmp_path: Path) -> None:
    client, _, seeded = _client(site)
    page = client.get(f"/w/{seeded.own}")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in page.headers  # plain HTTP here
    secure_seeded = seed(f"sqlite:///{tmp_path / 'tls.sqlite3'}", demo_workbook)
    tls_app = create_app(WebConfig(secure_seeded.url, secure_cookies=True, job_processes=False))
    with TestClient(tls_app, base_url="https://testserver") as tls:
        token = re.search(r'name="csrf_token" value="([^"]+)"', tls.get("/sign-in").text).group(1)  # type: ignore[union-attr]
        answer = tls.post(
            "/sign-in",
            data={"email": secure_seeded.emails["viewer"], "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
        assert "max-age=63072000" in answer.headers["strict-transport-security"]


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("big.xlsx", b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024 + 10), "bytes"),
        ("bomb.xlsx", None, "expands to"),
        ("program.xlsx", b"MZ\x90\x00 not a workbook", "not an Excel workbook"),
        ("notes.txt", b"hello", "a file of type '.txt'"),
        ("../../../etc/passwd.xlsx", b"root:x:0:0", "not an Excel workbook"),
    ],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    site: tuple[object, Seeded], name: str, content: bytes | None, found: str
) -> None:
    client, csrf, seeded = _client(site)
    before = _count(seeded.url, BaselineVersion)
    answer = client.post(
        f"/w/{seeded.own}/baselines",
        data={"csrf_token": csrf},
        files={"workbook": (name, content if content is not None else zip_bomb(), "application/octet-stream")},
    )
    assert answer.status_code == 422
    assert found in html.unescape(answer.text)
    assert "../" not in answer.text and "/etc/" not in answer.text  # only the file's own name is echoed
    assert _count(seeded.url, BaselineVersion) == before


def test_broken_workbook_problems_are_located_like_the_command_line(
    site: tuple[object, Seeded], demo_workbook: bytes
) -> None:
    application, seeded = site
    client, csrf, _ = _client(site)
    token = client.post("/account/tokens", data={"csrf_token": csrf, "name": "test"}).text
    api_token = re.search(r"(cf_[A-Za-z0-9_-]+)", token).group(1)  # type: ignore[union-attr]
    script = TestClient(application)  # type: ignore[arg-type]  # no cookies: a script with a token
    answer = script.post(
        f"/api/v1/workspaces/{seeded.own}/baselines",
        headers={"Authorization": f"Bearer {api_token}"},
        files={"workbook": ("council.xlsx", broken_workbook(demo_workbook), "application/octet-stream")},
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problems = answer.json()["problems"]
    assert {(p["file"], p["sheet"], p["row"], p["column"]) for p in problems} >= {
        ("council.xlsx", "population", 4, "people"),
        ("council.xlsx", "requests", 5, "requests"),
    }
    assert all(p["found"] and p["expected"] for p in problems)


def test_text_is_escaped_wherever_it_is_shown(site: tuple[object, Seeded]) -> None:
    client, csrf, seeded = _client(site)
    hostile = '<script>alert("x")</script>'
    saved = client.post(f"/w/{seeded.own}/scenarios", data={"csrf_token": csrf, "name": hostile})
    assert saved.status_code == 200
    assert hostile not in saved.text and "&lt;script&gt;" in saved.text


def test_audit_events_cannot_be_changed_or_deleted(site: tuple[object, Seeded]) -> None:
    _, seeded = site
    engine = make_engine(seeded.url)
    for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one() > 0


def test_unfinished_jobs_are_marked_interrupted_at_restart_and_can_run_again(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    sessions = session_factory(make_engine(seeded.url))
    with transaction(sessions) as db:
        job = db.get(Job, seeded.job["own"])
        assert job is not None
        job.status = JobStatus.running.value  # as if the server died mid-run
    with TestClient(create_app(WebConfig(seeded.url, job_processes=False))) as restarted:
        csrf = sign_in(restarted, seeded.emails["analyst"])
        page = restarted.get(f"/w/{seeded.own}/projections/{seeded.job['own']}")
        assert "interrupted" in page.text and "Run it again" in page.text
        again = restarted.post(
            f"/w/{seeded.own}/projections/{seeded.job['own']}/rerun", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert again.status_code == 303
        new_id = int(again.headers["location"].rsplit("/", 1)[1])
        status = ""
        for _ in range(200):
            status = restarted.get(f"/api/v1/workspaces/{seeded.own}/projections/{new_id}").json()["status"]
            if status not in ("queued", "running"):
                break
            import time

            time.sleep(0.1)
        assert status == "succeeded"


def test_request_log_is_json_with_the_request_id(site: tuple[object, Seeded], caplog: pytest.LogCaptureFixture) -> None:
    import json
    import logging

    from careflow.web.logs import JsonLines

    client, _, seeded = _client(site)
    with caplog.at_level(logging.INFO, logger="careflow.web"):
        answer = client.get(f"/w/{seeded.own}", headers={"X-Request-Id": "trace-me-123"})
    assert answer.headers["x-request-id"] == "trace-me-123"
    lines = [
        json.loads(JsonLines().format(r)) for r in caplog.records if getattr(r, "request_id", "") == "trace-me-123"
    ]
    assert lines and lines[0]["status"] == 200 and lines[0]["path"] == f"/w/{seeded.own}" and lines[0]["ms"] >= 0


def test_second_factor_is_asked_for_and_checked(site: tuple[object, Seeded]) -> None:
    import pyotp

    from careflow.store.models import User

    application, seeded = site
    secret = pyotp.random_base32()
    with transaction(session_factory(make_engine(seeded.url))) as db:
        user = db.scalar(select(User).where(User.email == seeded.emails["practitioner"]))
        assert user is not None
        user.totp_secret = secret
    client = TestClient(application)  # type: ignore[arg-type]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/sign-in",
        data={"email": seeded.emails["practitioner"], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.headers["location"].startswith("/sign-in/second-factor")
    assert client.get(f"/w/{seeded.own}", follow_redirects=False).status_code == 303  # not signed in yet
    pending = client.cookies.get(SESSION_COOKIE)
    form = client.get(answer.headers["location"]).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    wrong = str((int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000).zfill(6)
    assert client.post("/sign-in/second-factor", data={"code": wrong, "csrf_token": csrf}).status_code == 401
    done = client.post(
        "/sign-in/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert client.cookies.get(SESSION_COOKIE) != pending  # a new session id once fully signed in
    assert client.get(f"/w/{seeded.own}", follow_redirects=False).status_code == 200
