"""Performance analysts' pages on SQLite and PostgreSQL: upload monthly indicator data (problems in place, nothing
stored), the RAG dashboard with trend lines and their text alternatives, the tracked indicators stored per
workspace and audited, comparisons with published figures, roles and workspace isolation."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from careflow.store.database import make_engine, session_factory, transaction
from careflow.store.models import AuditEvent, IndicatorSet, IndicatorUpload
from web_support import Seeded, sign_in

SYNTHETIC = Path(__file__).resolve().parents[3] / "examples" / "indicators_synthetic.csv"
PUBLIC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "public"


def _count(url: str, model: type) -> int:
    with transaction(session_factory(make_engine(url))) as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _upload(client: TestClient, workspace: int, csrf: str, content: bytes, name: str = "monthly.csv") -> object:
    return client.post(
        f"/w/{workspace}/indicators",
        data={"csrf_token": csrf},
        files={"data": (name, content, "text/csv")},
        follow_redirects=False,
    )


def test_upload_dashboard_tracked_and_audit(app: object, seeded: Seeded) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    uploaded = _upload(client, seeded.own, csrf, SYNTHETIC.read_bytes())
    assert uploaded.status_code == 303  # type: ignore[attr-defined]
    location = uploaded.headers["location"]  # type: ignore[attr-defined]
    page = html.unescape(client.get(location).text)
    assert "Indicator dashboard v1" in page and "2016-04 to 2018-03" in page
    assert "Average time to reable" in page  # every indicator while none is chosen
    assert 'alt="Trend: From ' in page and "data:image/svg+xml;base64," in page  # trend line and its words
    assert "(withdrawn measure: delayed transfers of care" in page  # dated by the data
    assert "By provider, 2018-03" in page and "PRV-03" in page

    chosen = client.post(
        f"/w/{seeded.own}/indicators/tracked",
        data={"csrf_token": csrf, "indicator": ["reviews_overdue", "admissions_65_plus"], "council_code": ""},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    page = html.unescape(client.get(location).text)
    assert "Showing 2 tracked indicator(s)" in page
    assert "Long-term support reviews overdue" in page and "Average time to reable" not in page
    with transaction(session_factory(make_engine(seeded.url))) as db:
        stored = db.scalar(select(IndicatorSet).where(IndicatorSet.workspace_id == seeded.own))
        assert stored is not None and stored.tracked_json == '["reviews_overdue", "admissions_65_plus"]'
        actions = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.workspace_id == seeded.own))]
        assert "indicators.upload" in actions and "indicators.track" in actions
    # the other workspace sees neither the data nor the choice
    assert client.get(f"/w/{seeded.other}/indicators/1").status_code == 404
    assert client.get(f"/w/{seeded.other}/indicators/tracked").status_code == 404


def test_provider_names_are_shown_escaped(app: object, seeded: Seeded) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    hostile = b"month,measure,value,provider\n2017-02,packages_reviewed,10,<script>alert(1)</script>\n"
    hostile += b"2017-02,packages_reduced,2,<script>alert(1)</script>\n"
    location = _upload(client, seeded.own, csrf, hostile).headers["location"]  # type: ignore[attr-defined]
    page = client.get(location).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_bad_data_shows_located_problems_and_stores_nothing(app: object, seeded: Seeded) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    bad = (
        b"month,measure,value,provider\n2017-13,reviews_due,100,\n2017-02,packages_reviewed,60,\n"
        b"2017-02,packages_reviewed,30,PRV-A\n2017-02,packages_reviewed,25,PRV-B\n"
    )
    answer = _upload(client, seeded.own, csrf, bad)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    page = html.unescape(answer.text)  # type: ignore[attr-defined]
    assert "Nothing was saved" in page and "a month as YYYY-MM" in page
    assert "the council-wide value is 60 but the providers add up to 55" in page
    assert _count(seeded.url, IndicatorUpload) == 0


def test_roles_and_refused_choices(app: object, seeded: Seeded) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["viewer"])
    assert client.get(f"/w/{seeded.own}/indicators").status_code == 200  # a viewer reads
    assert _upload(client, seeded.own, csrf, SYNTHETIC.read_bytes()).status_code == 403  # type: ignore[attr-defined]
    refused = client.post(f"/w/{seeded.own}/indicators/tracked", data={"csrf_token": csrf, "indicator": ["x"]})
    assert refused.status_code == 403
    analyst = TestClient(app)  # type: ignore[arg-type]
    token = sign_in(analyst, seeded.emails["analyst"])
    unknown = analyst.post(
        f"/w/{seeded.own}/indicators/tracked",
        data={"csrf_token": token, "indicator": ["reviews_overdue", "<b>bed_days</b>"], "council_code": "XYZ"},
    )
    assert unknown.status_code == 422
    page = html.unescape(unknown.text)
    assert "an indicator id careflow does not know" in page and "bed_days" not in page
    assert "not an upper-tier council's ONS code" in page
    assert _count(seeded.url, IndicatorSet) == 0
    no_csrf = analyst.post(f"/w/{seeded.own}/indicators/tracked", data={"indicator": ["reviews_overdue"]})
    assert no_csrf.status_code == 403


def test_published_comparisons_with_nearest_neighbours(app: object, seeded: Seeded) -> None:
    if not (PUBLIC / "dhsc-ascof-time-series-2024-25.ods").exists():
        pytest.skip(f"published files not found at {PUBLIC}")
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    location = _upload(client, seeded.own, csrf, SYNTHETIC.read_bytes()).headers["location"]  # type: ignore[attr-defined]
    client.post(
        f"/w/{seeded.own}/indicators/tracked",
        data={"csrf_token": csrf, "indicator": ["admissions_65_plus"], "council_code": "E10000020"},
    )
    page = html.unescape(client.get(location).text)
    assert "Norfolk" in page and "England" in page and "financial year 2024-25" in page
    assert "15 nearest neighbours: median" in page
    assert "No: different period: yours is the 12 months to 2018-03" in page
    assert "ASCOF time series to 2024-25" in page  # the publication cited in words


PERFORMANCE_ROUTES = [  # (method, path, what it needs, status when allowed); POSTs send input refused after the role check
    ("GET", "/w/{w}/indicators", "read", 200),
    ("POST", "/w/{w}/indicators", "write", 422),
    ("GET", "/w/{w}/indicators/tracked", "read", 200),
    ("POST", "/w/{w}/indicators/tracked", "write", 422),
    ("GET", "/w/{w}/indicators/1", "read", 200),
    ("GET", "/w/{w}/indicators/2", "read", 404),  # no such version
]


def test_authorisation_matrix_for_the_performance_pages(app: object, seeded: Seeded) -> None:
    from careflow.store import indicator_records
    from integration.web.test_authorisation import ALLOWED, ROLES, _expected

    with transaction(session_factory(make_engine(seeded.url))) as db:
        for workspace in (seeded.own, seeded.other):
            indicator_records.add_upload(db, workspace, "monthly.csv", SYNTHETIC.read_bytes(), ("2016-04", "2018-03"),
                                         "test", None)  # fmt: skip
    wrong = []
    for role in (None, *ROLES):
        client = TestClient(app)  # type: ignore[arg-type]
        csrf = sign_in(client, seeded.emails[role]) if role else ""
        for own, workspace in ((True, seeded.own), (False, seeded.other)):
            if role is None and not own:
                continue
            for method, template, need, allowed_status in PERFORMANCE_ROUTES:
                path = template.format(w=workspace)
                if method == "GET":
                    status = client.get(path, follow_redirects=False).status_code
                elif path.endswith("/tracked"):
                    data = {"csrf_token": csrf, "council_code": "not a code"}
                    status = client.post(path, data=data, follow_redirects=False).status_code
                else:
                    files = {"data": ("empty.csv", b"", "text/csv")}
                    status = client.post(
                        path, data={"csrf_token": csrf}, files=files, follow_redirects=False
                    ).status_code
                expected = _expected(role, own, need, allowed_status, path)
                if status != expected:
                    wrong.append(f"{role or 'signed out'} {'own' if own else 'other'} {method} {path}: {status}, "
                                 f"expected {expected}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    assert set(ALLOWED) >= {"read", "write"}
