"""The evidence library and the national view in the browser's HTML: search, council pages, peers, the atlas and an
imported baseline added to a workspace — on SQLite and PostgreSQL, with roles, CSRF, isolation and audit."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web_support import Seeded, sign_in

NORFOLK = "E10000020"


def _public_data() -> Path | None:
    from careflow.imports.england import TABLES_2021_22, public_data_folder

    folder = public_data_folder()
    return folder if folder is not None and (folder / TABLES_2021_22).exists() else None


needs_public_data = pytest.mark.skipif(
    _public_data() is None,
    reason="NHS Digital's 2021-22 tables are not in ../shared/data/public or $CAREFLOW_PUBLIC_DATA",
)


def _client(app: object, seeded: Seeded, role: str) -> tuple[TestClient, str]:
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails[role])
    assert csrf, f"{role} could not sign in"
    return client, csrf


def _text(html: str) -> str:
    """What a person reads: the page without its tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_search_cites_each_figure_in_words(app: object, seeded: Seeded) -> None:
    client, _ = _client(app, seeded, "viewer")
    page = client.get(f"/w/{seeded.own}/evidence", params={"q": "home care"})
    assert page.status_code == 200
    count = int(re.search(r"(\d+) levers? found", page.text).group(1))  # type: ignore[union-attr]
    assert count > 0
    rows = page.text.split('<table class="govuk-table cf-evidence">')[1].split("</table>")[0].count("<tr")
    assert rows == count + 1  # the heading row and one per lever found
    assert "LGA (2014), <em>Adult Social Care Efficiency programme, final report annex</em>" in page.text
    shown = _text(page.text)
    assert not re.search(r"\b00\d_[0-9a-f]{8,}", page.text), "an internal file name reached the page"
    assert not re.search(r"\bL\d{2,}\b", shown), "a machine line number is shown as text"
    assert re.search(r'title="line \d+"', page.text)  # the line stays, for machine checks, out of the reading text
    # filters narrow the result, as the command line's do
    narrowed = client.get(f"/w/{seeded.own}/evidence", params={"q": "home care", "min_gbp": "1,000,000"})
    assert int(re.search(r"(\d+) levers? found", narrowed.text).group(1)) < count  # type: ignore[union-attr]


def test_search_refuses_bad_filters_without_echoing_them(app: object, seeded: Seeded) -> None:
    client, _ = _client(app, seeded, "viewer")
    page = client.get(f"/w/{seeded.own}/evidence", params={"lever": "<script>x</script>", "min_gbp": "lots"})
    assert page.status_code == 422
    assert "The search has problems: 2 found" in page.text
    assert "<script>x</script>" not in page.text and "&lt;script&gt;x" not in page.text
    assert "lots" not in _text(page.text).replace('value="lots"', "")
    assert "Traceback" not in page.text


def test_council_page_and_peers(app: object, seeded: Seeded) -> None:
    from careflow.services import council_profile, find_peers

    client, _ = _client(app, seeded, "viewer")
    croydon = council_profile("Croydon")
    page = client.get(f"/w/{seeded.own}/evidence/councils/{croydon.number}")
    assert page.status_code == 200
    assert croydon.full_name in page.text
    assert f"Levers ({len(croydon.levers)})" in page.text
    assert "does not match the stated total" in page.text  # Croydon's levers sum to £17.45m, not the £19.27m stated
    peers = client.get(f"/w/{seeded.own}/evidence/councils/{croydon.number}/peers", params={"top": 3})
    assert peers.status_code == 200
    expected = [p.council for p in find_peers("Croydon", None, 3).peers]
    body = peers.text.split('<table class="govuk-table cf-peers">')[1]
    shown = re.findall(r'<a class="govuk-link" href="/w/\d+/evidence/councils/\d+">([^<]+)</a>', body)
    assert shown == expected  # the same peers, in the same order, as `careflow evidence peers Croydon --top 3`
    assert client.get(f"/w/{seeded.own}/evidence/councils/999").status_code == 404
    assert client.get(f"/w/{seeded.own}/evidence/councils/1/peers", params={"top": 0}).status_code == 422


def test_national_pages_are_members_only(app: object, seeded: Seeded) -> None:
    outsider, _ = _client(app, seeded, "outsider")
    for path in ("/evidence", "/evidence/councils/1", "/evidence/councils/1/peers", "/atlas", f"/atlas/{NORFOLK}"):
        assert outsider.get(f"/w/{seeded.own}{path}", follow_redirects=False).status_code == 404, path
    signed_out = TestClient(app)  # type: ignore[arg-type]
    assert signed_out.get(f"/w/{seeded.own}/evidence", follow_redirects=False).status_code == 303


def test_pages_say_plainly_when_the_published_tables_are_absent(
    app: object, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAREFLOW_PUBLIC_DATA", str(tmp_path))  # an empty folder: no tables
    client, csrf = _client(app, seeded, "analyst")
    atlas = client.get(f"/w/{seeded.own}/atlas")
    assert atlas.status_code == 200
    assert "this server does not have them" in atlas.text
    assert "nhs-ascfr-salt-data-tables-2021-22.xlsx" in atlas.text
    council = client.get(f"/w/{seeded.own}/atlas/{NORFOLK}")
    assert council.status_code == 404 and "this server does not have them" in council.text
    added = client.post(f"/w/{seeded.own}/atlas/{NORFOLK}/baseline", data={"csrf_token": csrf})
    assert added.status_code == 404 and "nothing to add" in added.text
    for page in (atlas, council, added):
        assert "Traceback" not in page.text
    assert client.get(f"/w/{seeded.own}/evidence").status_code == 200  # the library is packaged: it still works


@needs_public_data
def test_atlas_map_and_table_sort_by_link(app: object, seeded: Seeded) -> None:
    client, _ = _client(app, seeded, "viewer")
    page = client.get(f"/w/{seeded.own}/atlas")
    assert page.status_code == 200
    assert '<svg viewBox="0 0 560' in page.text and "<script" not in page.text.split("<main")[1]
    names = re.findall(rf'href="/w/{seeded.own}/atlas/(E\d{{8}})">', page.text)
    assert len(names) > 140 and len(set(names)) == len(names)
    shares = [float(x) for x in re.findall(r'cell--numeric">(\d+\.\d)%</td>', page.text)]
    assert shares == sorted(shares, reverse=True)  # by share, highest first
    by_name = client.get(f"/w/{seeded.own}/atlas", params={"sort": "name", "order": "asc"})
    shown = re.findall(rf'href="/w/{seeded.own}/atlas/E\d{{8}}">([^<]+)</a>', by_name.text)
    assert shown == sorted(shown) and len(shown) == len(names)
    assert 'aria-sort="ascending"' in by_name.text
    assert "order=desc#councils" in by_name.text  # the active heading's link reverses the order
    assert client.get(f"/w/{seeded.own}/atlas", params={"sort": "<b>"}).status_code == 200  # unknown: default


@needs_public_data
def test_second_atlas_view_reuses_the_import() -> None:
    from careflow.services.national import national_atlas, national_files

    files = national_files()
    national_atlas(files)  # the first view may import (about ten seconds) or find another test's import
    started = time.perf_counter()
    again = national_atlas(files)
    elapsed = time.perf_counter() - started
    assert again.cached
    assert elapsed < 3.0, f"second view took {elapsed:.1f} s"


@needs_public_data
def test_imported_baseline_page_and_refused_codes(app: object, seeded: Seeded) -> None:
    client, _ = _client(app, seeded, "viewer")
    page = client.get(f"/w/{seeded.own}/atlas/{NORFOLK}")
    assert page.status_code == 200
    assert "Norfolk 2021-22" in page.text
    assert "NHS Digital (2022), <em>Adult Social Care Activity and Finance Report, England 2021-22</em>" in page.text
    assert "Table 12, Norfolk (E10000020)" in page.text  # each figure names its table and row
    assert "Add to this workspace" not in page.text  # a viewer cannot add it
    assert "ONS (2025), <em>Local authority statistical nearest neighbours, England</em>" in page.text
    for code in ("E99999999", "E10000020x", "%3Cscript%3E"):
        refused = client.get(f"/w/{seeded.own}/atlas/{code}")
        assert refused.status_code == 404
        assert "E99999999" not in refused.text and "script>" not in refused.text.split("<main")[1]


@needs_public_data
def test_analyst_adds_an_imported_baseline_as_a_new_version(app: object, seeded: Seeded) -> None:
    from careflow.store.audit import events
    from careflow.store.database import session_factory

    viewer, viewer_csrf = _client(app, seeded, "viewer")
    assert viewer.post(f"/w/{seeded.own}/atlas/{NORFOLK}/baseline", data={"csrf_token": viewer_csrf}).status_code == 403
    analyst, csrf = _client(app, seeded, "analyst")
    assert "Add to this workspace" in analyst.get(f"/w/{seeded.own}/atlas/{NORFOLK}").text
    assert analyst.post(f"/w/{seeded.own}/atlas/{NORFOLK}/baseline", data={}).status_code == 403  # no CSRF token
    added = analyst.post(f"/w/{seeded.own}/atlas/{NORFOLK}/baseline", data={"csrf_token": csrf}, follow_redirects=False)
    assert added.status_code == 303
    assert added.headers["location"] == f"/w/{seeded.own}/baselines/2?uploaded=1"
    version = analyst.get(added.headers["location"])
    assert "Baseline v2: Norfolk 2021/22" in version.text and "E10000020-norfolk.xlsx" in version.text
    opportunity = analyst.get(f"/w/{seeded.own}/opportunity", params={"baseline": 2})
    assert opportunity.status_code == 200 and "Opportunity: Norfolk" in opportunity.text
    with session_factory(app.state.engine)() as db:  # type: ignore[attr-defined]
        logged = [(e.action, e.actor, e.target) for e in events(db, seeded.own)]
    assert ("baseline.import", seeded.emails["analyst"], "baseline v2") in logged
    other, other_csrf = _client(app, seeded, "outsider")
    assert other.post(f"/w/{seeded.own}/atlas/{NORFOLK}/baseline", data={"csrf_token": other_csrf}).status_code == 404
