"""The finance officer's journey in Debian's Chromium (Playwright), on a real `careflow serve`: a pack with a mistake
then the right one, the committee tables, the paper in three formats, roll-forward to the next period with a new
forecast and hostile commentary, and the trend. Every page gets an axe-core check (no violations at all) and a
screenshot."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from web_support import ARTEFACTS, PASSWORD, chromium_page, drawn

NORFOLK = Path(__file__).resolve().parents[3] / "examples" / "norfolk-2017-18-p4.xlsx"
HOSTILE = "<script>alert('finance')</script> =1+1"
SHOTS = Path(os.environ.get("CAREFLOW_SHOTS", str(ARTEFACTS)))
pytestmark = pytest.mark.slow


def test_finance_journey_in_chromium(server: str, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    checked: list[str] = []
    book = load_workbook(NORFOLK)
    book["positions"].cell(row=5, column=3).value = "about four"
    broken = tmp_path / "norfolk-p4-draft.xlsx"
    out = io.BytesIO()
    book.save(out)
    broken.write_bytes(out.getvalue())

    def look(page: object, name: str) -> None:
        """Screenshot the whole page and fail on any accessibility violation axe-core finds."""
        page.screenshot(path=str(SHOTS / f"webfin-{len(checked) + 1:02d}-{name}.png"), full_page=True)  # type: ignore[attr-defined]
        violations = axe.run(page).response["violations"]
        assert not violations, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in violations)
        checked.append(name)

    with sync_playwright() as playwright:
        browser, page, blocked = chromium_page(playwright, timeout_ms=60_000)
        page.on("dialog", lambda d: blocked.append(f"a script ran: {d.message}"))

        page.goto(server + "/sign-in")
        page.get_by_label("E-mail address").fill("finance@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Finance", exact=True).click()
        expect(page.get_by_role("heading", name="Finance", exact=True)).to_be_visible()
        look(page, "finance-empty")

        page.get_by_label("Upload a period's finance pack").set_input_files(str(broken))
        page.get_by_role("button", name="Check and upload").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("norfolk-p4-draft.xlsx")
        expect(summary).to_contain_text("positions")
        expect(summary).to_contain_text("'about four'")
        look(page, "finance-problems")

        page.get_by_label("Upload a period's finance pack").set_input_files(str(NORFOLK))
        page.get_by_role("button", name="Check and upload").click()
        expect(page.get_by_text("No problems found. The pack is saved as version 1.")).to_be_visible()
        expect(page.get_by_role("heading", name="Period 4 2017/18: finance pack v1")).to_be_visible()
        for key in ("summary", "savings-rag", "reserves", "capital", "mtfs-gap"):
            expect(page.locator(f'table[data-table="{key}"]')).to_be_visible()
        expect(page.locator('table[data-table="savings-detail"] .govuk-tag--red').first).to_be_visible()
        expect(page.locator('table[data-table="summary"] tr.cf-total')).to_contain_text("261.314")
        look(page, "finance-pack")
        for link, suffix in (
            ("Word document (DOCX)", ".docx"),
            ("Excel workbook (XLSX)", ".xlsx"),
            ("Web page (HTML)", ".html"),
        ):
            with page.expect_download() as download:
                page.get_by_role("link", name=link).click()
            assert download.value.suggested_filename.endswith(suffix)
            assert Path(download.value.path()).stat().st_size > 5000

        page.get_by_role("link", name="Roll forward to period 5").click()
        expect(page.get_by_role("heading", name="Roll forward from period 4")).to_be_visible()
        forecast = page.get_by_label("New forecast for Business Development, £m")
        expect(forecast).to_have_value("3.635")
        look(page, "finance-roll")
        forecast.fill("4.100")
        page.get_by_label("Explanation for Business Development").fill(HOSTILE)
        page.get_by_role("button", name="Check and save period 5").click()
        expect(page.get_by_text("Rolled forward to period 5 and saved as version 2.")).to_be_visible()
        expect(page.locator('table[data-table="commentary"]')).to_contain_text(HOSTILE)  # shown as text
        look(page, "finance-rolled")

        page.get_by_role("link", name="Finance", exact=True).click()
        trend = page.locator("table.cf-trend tbody tr")
        expect(trend).to_have_count(2)
        expect(trend.nth(0)).to_contain_text("261.314")
        expect(trend.nth(1)).to_contain_text("261.779")  # 261.314 − 3.635 + 4.100
        chart = page.get_by_alt_text("Line chart of the forecast outturn", exact=False)
        drawn(page, chart)
        look(page, "finance-trend")
        browser.close()
    assert not blocked, blocked
    assert len(checked) == 6
