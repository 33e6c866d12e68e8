"""Finance officers in the web app, on SQLite and PostgreSQL: a period's pack uploaded and checked (problems located,
nothing kept), the committee tables and the paper in three formats, roll-forward to the next period through the
form, the trend of the forecast outturn, audit events, roles, CSRF and workspace isolation, and hostile commentary
shown escaped and neutralised in the .xlsx files."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from careflow.services import Upload, finance_report
from careflow.store.database import make_engine, session_factory, transaction
from careflow.store.models import AuditEvent, FinancePackVersion
from web_support import Seeded, sign_in

NORFOLK = Path(__file__).resolve().parents[3] / "examples" / "norfolk-2017-18-p4.xlsx"
HOSTILE = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: TestClient, csrf: str, workspace: int, content: bytes, name: str = "period-4.xlsx") -> object:
    return client.post(
        f"/w/{workspace}/finance",
        data={"csrf_token": csrf},
        files={"pack": (name, content, XLSX)},
        follow_redirects=False,
    )


def _packs(url: str) -> list[FinancePackVersion]:
    with transaction(session_factory(make_engine(url))) as db:
        found = list(db.scalars(select(FinancePackVersion).order_by(FinancePackVersion.id)))
        db.expunge_all()
        return found


def _roll_form(client: TestClient, workspace: int, number: int) -> dict[str, str]:
    """The roll-forward form's fields as the browser would send them unchanged."""
    page = client.get(f"/w/{workspace}/finance/{number}/roll")
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'name="((?:forecast\.|to_period)[^"]*)"[^>]*value="([^"]*)"', page.text))
    fields |= {name: "" for name in re.findall(r'name="(commentary\.[^"]+)"', page.text)}
    return fields


def test_finance_officer_journey(app: object, seeded: Seeded) -> None:
    """Upload → committee tables → paper in three formats → roll forward with new forecasts → trend, audited."""
    client = TestClient(app)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["finance"])
    uploaded = _upload(client, csrf, seeded.own, NORFOLK.read_bytes())
    assert uploaded.status_code == 303, uploaded.text  # type: ignore[attr-defined]
    location = uploaded.headers["location"]  # type: ignore[attr-defined]
    page = client.get(location).text
    assert "saved as version 1" in page and "Period 4 2017/18" in page
    for key in ("summary", "detail-CS", "savings-rag", "savings-detail", "reserves", "capital", "mtfs-gap"):
        assert f'data-table="{key}"' in page, key
    assert "re-spread" in page.lower()  # the MTFS gap's re-spread rows are in the gap table
    assert "govuk-tag--red" in page and "govuk-tag--green" in page  # savings RAG
    # the figures are the CLI's: the department total as `careflow finance report` computes it
    cli = finance_report(NORFOLK).report.department_total().values
    assert f"{cli['budget'] / 1e6:,.3f}" in page and f"{cli['forecast'] / 1e6:,.3f}" in page  # £ shown as £m
    assert "Figures in £m;" in page  # the unit the page's figures are printed in is named
    assert page.count("†") >= 37  # the 37 printed figures that differ are marked in the tables

    for kind, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE html>")):
        paper = client.get(f"{location.split('?')[0]}/paper.{kind}")
        assert paper.status_code == 200 and paper.content.startswith(magic), kind
        assert "attachment" in paper.headers["content-disposition"]
    assert client.get(f"{location.split('?')[0]}/paper.exe").status_code == 404

    fields = _roll_form(client, seeded.own, 1)
    assert fields["to_period"] == "5" and len([k for k in fields if k.startswith("forecast.")]) == 19
    assert fields["forecast.BD"] == "3.635"  # period 4's forecast carried over as the starting point
    fields |= {"forecast.BD": "4.100", "commentary.BD": HOSTILE, "csrf_token": csrf}
    rolled = client.post(f"/w/{seeded.own}/finance/1/roll", data=fields, follow_redirects=False)
    assert rolled.status_code == 303, rolled.text
    page = client.get(rolled.headers["location"]).text
    assert "Period 5 2017/18" in page and "rolled forward from" in page
    assert "<script>alert(1)</script>" not in page and html.escape("<script>alert(1)</script>") in page

    packs = _packs(seeded.url)
    assert [(p.number, p.period, p.rolled_from_id) for p in packs] == [(1, 4, None), (2, 5, packs[0].id)]
    assert packs[1].forecast_gbp == cli["forecast"] - 3_635_000 + 4_100_000  # exactly: the form's £m in £
    # a period's printed check figures belong to it: period 4 shows 37 differences, period 5 none
    assert len(finance_report(Upload(name="p4.xlsx", data=packs[0].content)).report.flags) == 37
    assert finance_report(Upload(name="p5.xlsx", data=packs[1].content)).report.flags == []
    stored = load_workbook(io.BytesIO(packs[1].content))
    printed_periods = {row[-1] for row in stored["printed"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert printed_periods == {4}

    paper = load_workbook(io.BytesIO(client.get(f"/w/{seeded.own}/finance/2/paper.xlsx").content))
    cells = [c.value for sheet in paper for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + HOSTILE in cells and HOSTILE not in cells  # shown as text, never run as a formula
    comments = [r for r in stored["commentary"].iter_rows(min_row=4, values_only=True) if r[0] == "BD" and r[1] == 5]
    assert comments and comments[0][2] == "'" + HOSTILE

    trend = client.get(f"/w/{seeded.own}/finance").text
    rows = re.findall(r'<th scope="row" class="govuk-table__header">Period (\d+)</th>', trend)
    assert rows == ["4", "5"]
    assert f"{packs[1].forecast_gbp / 1e6:,.3f}" in trend
    chart = client.get(f"/w/{seeded.own}/finance/trend.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and "Forecast outturn" in chart.text

    with transaction(session_factory(make_engine(seeded.url))) as db:
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("finance.%"))))
        assert actions == ["finance.upload", "finance.roll_forward"]


def test_a_pack_with_problems_is_shown_located_and_not_kept(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["finance"])
    book = load_workbook(NORFOLK)
    positions = book["positions"]
    positions.cell(row=5, column=3).value = "about four"  # the forecast column of the second line
    out = io.BytesIO()
    book.save(out)
    before = len(_packs(seeded.url))
    answer = _upload(client, csrf, seeded.own, out.getvalue(), "norfolk-p4.xlsx")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    page = html.unescape(answer.text)  # type: ignore[attr-defined]
    assert "The finance pack has problems" in page and "Nothing was saved" in page
    assert "norfolk-p4.xlsx" in page and "positions" in page and "forecast" in page and "'about four'" in page
    assert re.search(r'<td class="govuk-table__cell">5</td>', answer.text)  # type: ignore[attr-defined]
    not_a_workbook = _upload(client, csrf, seeded.own, b"<html>not a workbook</html>", "../../etc/pack.xlsx")
    assert not_a_workbook.status_code == 422 and "../" not in not_a_workbook.text  # type: ignore[attr-defined]
    assert len(_packs(seeded.url)) == before


def test_roll_forward_form_problems_are_located_and_nothing_is_kept(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["finance"])
    assert _upload(client, csrf, seeded.own, NORFOLK.read_bytes()).status_code == 303  # type: ignore[attr-defined]
    number = _packs(seeded.url)[-1].number
    before = len(_packs(seeded.url))
    fields = _roll_form(client, seeded.own, number) | {
        "csrf_token": csrf,
        "forecast.BD": "lots",
        "commentary.CS-SLA": "x" * 2001,
    }
    answer = client.post(f"/w/{seeded.own}/finance/{number}/roll", data=fields)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert "forecast for BD" in page and "'lots'" in page and "explanation for CS-SLA" in page
    assert 'value="lots"' in answer.text  # what was typed comes back to be corrected
    backwards = _roll_form(client, seeded.own, number) | {"csrf_token": csrf, "to_period": "3"}
    answer = client.post(f"/w/{seeded.own}/finance/{number}/roll", data=backwards)
    assert answer.status_code == 422 and "a later period than 4" in html.unescape(answer.text)
    assert len(_packs(seeded.url)) == before


def test_roles_csrf_and_workspaces(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    officer = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(officer, seeded.emails["finance"])
    assert _upload(officer, csrf, seeded.own, NORFOLK.read_bytes()).status_code == 303  # type: ignore[attr-defined]
    number = _packs(seeded.url)[-1].number
    before = len(_packs(seeded.url))
    assert _upload(officer, "forged", seeded.own, NORFOLK.read_bytes()).status_code == 403  # type: ignore[attr-defined]
    for role in ("viewer", "analyst", "practitioner"):
        client = TestClient(application)  # type: ignore[arg-type]
        token = sign_in(client, seeded.emails[role])
        assert client.get(f"/w/{seeded.own}/finance").status_code == 200  # everyone reads
        assert client.get(f"/w/{seeded.own}/finance/{number}").status_code == 200
        assert _upload(client, token, seeded.own, NORFOLK.read_bytes()).status_code == 403  # type: ignore[attr-defined]
        assert client.get(f"/w/{seeded.own}/finance/{number}/roll").status_code == 403
        form = {"csrf_token": token, "to_period": "5"}
        assert client.post(f"/w/{seeded.own}/finance/{number}/roll", data=form).status_code == 403
    outsider = TestClient(application)  # type: ignore[arg-type]
    token = sign_in(outsider, seeded.emails["outsider"])
    for path in ("", "/roll", "/paper.docx", "/file", "/rolled.xlsx?to_period=5"):
        assert outsider.get(f"/w/{seeded.own}/finance/{number}{path}").status_code == 404, path
    assert outsider.get(f"/w/{seeded.other}/finance/{number}").status_code == 404  # not in their workspace
    assert outsider.get(f"/w/{seeded.other}/finance/trend.svg").status_code == 404  # no packs there
    assert len(_packs(seeded.url)) == before


def test_rolled_workbook_download_is_the_cli_roll_forward(site: tuple[object, Seeded], tmp_path: Path) -> None:
    """The offline route: the rolled workbook is what `careflow finance roll-forward` writes, and uploads back."""
    from cli_runner import run_careflow

    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["finance"])
    assert _upload(client, csrf, seeded.own, NORFOLK.read_bytes()).status_code == 303  # type: ignore[attr-defined]
    number = _packs(seeded.url)[-1].number
    download = client.get(f"/w/{seeded.own}/finance/{number}/rolled.xlsx?to_period=6")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    cli_out = tmp_path / "p6.xlsx"
    done = run_careflow("finance", "roll-forward", str(NORFOLK), "--to-period", "6", "--out", str(cli_out))
    assert done.returncode == 0, done.stderr
    web = finance_report(Upload(name="web.xlsx", data=download.content)).report
    assert web.model_dump() == finance_report(cli_out).report.model_dump()
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    back = _upload(client, csrf, seeded.own, download.content, "p6.xlsx")
    assert back.status_code == 303  # type: ignore[attr-defined]
    with transaction(session_factory(make_engine(seeded.url))) as db:
        latest = db.scalar(select(FinancePackVersion).order_by(FinancePackVersion.id.desc()).limit(1))
        assert latest is not None and latest.period == 6
        assert db.scalar(select(func.count()).select_from(FinancePackVersion)) >= 2


def test_roll_forward_service_refuses_lines_the_pack_does_not_have() -> None:
    """The service behind the form: a forecast for a group or an unknown code is a located problem, not ignored."""
    from careflow.errors import InputError
    from careflow.services import RollForward, roll_forward_pack

    asked = RollForward(to_period=5, forecasts_gbp={"CS": 70_000_000, "NOPE": 1_000_000}, commentary={"ALSO-NOPE": "x"})
    with pytest.raises(InputError) as refused:
        roll_forward_pack(NORFOLK, asked, "roll-forward form")
    found = sorted((p.file, p.found, p.column) for p in refused.value.problems)
    assert found == [
        ("roll-forward form", "'ALSO-NOPE'", "commentary for a line"),
        ("roll-forward form", "'CS'", "forecast for a line"),  # a group: its forecast is the sum of its lines
        ("roll-forward form", "'NOPE'", "forecast for a line"),
    ]


def test_period_12_has_nothing_to_roll_forward_to(site: tuple[object, Seeded]) -> None:
    from careflow.services import RollForward, roll_forward_pack

    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["finance"])
    year_end = roll_forward_pack(NORFOLK, RollForward(to_period=12))
    uploaded = _upload(client, csrf, seeded.own, year_end, "period-12.xlsx")
    assert uploaded.status_code == 303  # type: ignore[attr-defined]
    page = client.get(uploaded.headers["location"]).text  # type: ignore[attr-defined]
    assert "Period 12 2017/18" in page and "Roll forward to period" not in page
    number = _packs(seeded.url)[-1].number
    refused = client.get(f"/w/{seeded.own}/finance/{number}/roll")
    assert refused.status_code == 422 and "Nothing to roll forward to" in refused.text


def test_differences_are_listed_by_row_and_column_in_council_style(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["finance"])
    uploaded = _upload(client, csrf, seeded.own, NORFOLK.read_bytes())
    page = client.get(uploaded.headers["location"]).text  # type: ignore[attr-defined]
    listed = page[page.index('id="differences"') :]
    assert listed.count('<th scope="row"') == 37
    # Business Development's variance: printed (0.365), computed (0.366), both as the committee paper prints them
    assert re.search(r"Business Development: Variance</th>\s*<td[^>]*>\(0\.365\)</td><td[^>]*>\(0\.366\)</td>", listed)
    assert "0000000" not in listed  # no raw floating-point tails
