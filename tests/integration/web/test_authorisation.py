"""Every route × every role × own and other workspace × signed out → the expected status, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web_support import Seeded, sign_in

READ, WRITE, ADMIN, REVIEWS = "read", "write", "admin", "reviews"
ROLES = ("viewer", "analyst", "finance", "practitioner", "admin")
ALLOWED = {
    READ: set(ROLES),
    WRITE: {"analyst", "admin"},
    ADMIN: {"admin"},
    REVIEWS: {"practitioner", "admin"},
}

# (method, path with {w} for the workspace and {job} for its job, what it needs, status when allowed).
# POSTs send input that is refused after the role check (422), so nothing heavy runs; the rerun really re-runs.
ROUTES: list[tuple[str, str, str, int]] = [
    ("GET", "/w/{w}", READ, 200),
    ("GET", "/w/{w}/baselines", READ, 200),
    ("GET", "/w/{w}/baselines/1", READ, 200),
    ("GET", "/w/{w}/baselines/1/file", READ, 200),
    ("GET", "/w/{w}/baselines/compare?a=1&b=1", READ, 200),
    ("POST", "/w/{w}/baselines", WRITE, 422),
    ("GET", "/w/{w}/opportunity", READ, 200),
    ("GET", "/w/{w}/opportunity/chart.svg", READ, 200),
    ("GET", "/w/{w}/scenarios", READ, 200),
    ("GET", "/w/{w}/scenarios/new", WRITE, 200),
    ("POST", "/w/{w}/scenarios", WRITE, 422),
    ("POST", "/w/{w}/scenarios/upload", WRITE, 422),
    ("GET", "/w/{w}/scenarios/1", READ, 200),
    ("GET", "/w/{w}/scenarios/1/scenario.yaml", READ, 200),
    ("GET", "/w/{w}/scenarios/diff?a=1&b=1", READ, 200),
    ("GET", "/w/{w}/projections", READ, 200),
    ("POST", "/w/{w}/projections", WRITE, 422),
    ("GET", "/w/{w}/projections/{job}", READ, 200),
    ("GET", "/w/{w}/projections/{job}/files/projection.html", READ, 200),
    ("POST", "/w/{w}/projections/{job}/rerun", WRITE, 303),
    ("GET", "/w/{w}/reviews", REVIEWS, 200),
    ("POST", "/w/{w}/reviews", REVIEWS, 422),
    ("GET", "/w/{w}/reviews/1", REVIEWS, 200),
    ("POST", "/w/{w}/reviews/1/calibrate", REVIEWS, 303),
    ("GET", "/w/{w}/audit", ADMIN, 200),
    ("GET", "/w/{w}/members", ADMIN, 200),
    ("GET", "/api/v1/workspaces/{w}/baselines", READ, 200),
    ("POST", "/api/v1/workspaces/{w}/baselines", WRITE, 422),
    ("GET", "/api/v1/workspaces/{w}/baselines/1", READ, 200),
    ("GET", "/api/v1/workspaces/{w}/opportunity", READ, 200),
    ("GET", "/api/v1/workspaces/{w}/scenarios", READ, 200),
    ("POST", "/api/v1/workspaces/{w}/scenarios", WRITE, 422),
    ("GET", "/api/v1/workspaces/{w}/scenarios/1", READ, 200),
    ("POST", "/api/v1/workspaces/{w}/projections", WRITE, 422),
    ("GET", "/api/v1/workspaces/{w}/projections/{job}", READ, 200),
]
BAD_INPUT: dict[str, dict[str, object]] = {
    "/baselines": {"files": {"workbook": ("empty.xlsx", b"", "application/octet-stream")}},
    "/scenarios": {"data": {"name": ""}},
    "/scenarios/upload": {"files": {"document": ("empty.yaml", b"", "text/plain")}},
    "/projections": {"data": {"runs": "0"}},
    "/reviews": {"files": {"reviews": ("empty.csv", b"", "text/csv")}},
}
API_BAD_INPUT: dict[str, dict[str, object]] = {
    "/baselines": {"files": {"workbook": ("empty.xlsx", b"", "application/octet-stream")}},
    "/scenarios": {"json": {"name": "x", "levers": {"no_such_lever": {}}}},
    "/projections": {"json": {"runs": 0}},
}


def _send(client: TestClient, method: str, path: str, csrf: str) -> int:
    if method == "GET":
        return client.get(path, follow_redirects=False).status_code
    api = path.startswith("/api/")
    table = API_BAD_INPUT if api else BAD_INPUT
    extra = next((v for k, v in table.items() if path.endswith(k)), {})
    extra = {key: (dict(value) if isinstance(value, dict) else value) for key, value in extra.items()}
    if api:
        extra["headers"] = {"X-CSRF-Token": csrf}
    elif "files" in extra:
        extra["data"] = {"csrf_token": csrf}
    else:
        extra.setdefault("data", {})
        extra["data"]["csrf_token"] = csrf  # type: ignore[index]
    return client.post(path, follow_redirects=False, **extra).status_code  # type: ignore[arg-type]


def _expected(role: str | None, own: bool, need: str, allowed_status: int, path: str) -> int:
    if role is None:
        return 401 if path.startswith("/api/") else 303
    if not own:
        return 404
    return allowed_status if role in ALLOWED[need] else 403


def test_authorisation_matrix(app: object, seeded: Seeded) -> None:
    checked = 0
    wrong = []
    for role in (None, *ROLES):
        client = TestClient(app)  # type: ignore[arg-type]
        csrf = sign_in(client, seeded.emails[role]) if role else ""
        assert role is None or csrf, f"{role} could not sign in"
        for own, workspace, job in ((True, seeded.own, seeded.job["own"]), (False, seeded.other, seeded.job["other"])):
            if role is None and not own:
                continue  # signed out, every workspace is the same: no access
            for method, template, need, allowed_status in ROUTES:
                path = template.format(w=workspace, job=job)
                status = _send(client, method, path, csrf)
                expected = _expected(role, own, need, allowed_status, path)
                checked += 1
                if status != expected:
                    wrong.append(
                        f"{role or 'signed out'} {'own' if own else 'other'} {method} {path}: {status}, expected {expected}"
                    )
    assert not wrong, "\n".join(wrong)
    assert checked == len(ROUTES) * (1 + 2 * len(ROLES))
    # Someone else's workspace answers exactly as one that does not exist.
    client = TestClient(app)  # type: ignore[arg-type]
    sign_in(client, seeded.emails["outsider"])
    for route in ("/w/{w}/audit", "/api/v1/workspaces/{w}/baselines"):
        assert client.get(route.format(w=seeded.other), follow_redirects=False).status_code == 200
        assert client.get(route.format(w=seeded.own), follow_redirects=False).status_code == 404
        assert client.get(route.format(w=999_999), follow_redirects=False).status_code == 404
