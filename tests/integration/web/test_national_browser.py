"""The national journey in Debian's Chromium (Playwright): search the evidence library, open a council's page and
its peers, open the national atlas, sort it by a heading link, open a council's imported baseline and add it to the
workspace. Every page gets an axe-core check (0 violations) and a screenshot; no script is blocked by the CSP."""

from __future__ import annotations

import pytest

from web_support import ARTEFACTS, PASSWORD, chromium_page

pytestmark = pytest.mark.slow


def _public_data() -> bool:
    from careflow.imports.england import TABLES_2021_22, public_data_folder

    folder = public_data_folder()
    return folder is not None and (folder / TABLES_2021_22).exists()


@pytest.mark.skipif(not _public_data(), reason="NHS Digital's 2021-22 tables are not in ../shared/data/public")
def test_national_journey_in_chromium(server: str) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    shots = ARTEFACTS
    shots.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    checked: list[str] = []

    def look(page: object, name: str) -> None:
        page.screenshot(path=str(shots / f"national-{len(checked) + 1:02d}-{name}.png"), full_page=True)  # type: ignore[attr-defined]
        violations = axe.run(page).response["violations"]
        assert not violations, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in violations)
        checked.append(name)

    with sync_playwright() as playwright:
        browser, page, blocked = chromium_page(playwright)

        page.goto(server + "/")
        page.get_by_label("E-mail address").fill("analyst@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Exampleshire")).to_be_visible()

        page.get_by_role("link", name="Evidence", exact=True).click()
        expect(page.get_by_role("heading", name="Evidence library")).to_be_visible()
        page.get_by_label("Words to find").fill("home care")
        page.get_by_label("Lever category").select_option(label="Home care procurement and rates")
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#results")).to_contain_text("found")
        expect(page.locator("table.cf-evidence").first).to_contain_text("LGA (2014)")
        look(page, "evidence-search")

        page.locator("table.cf-evidence").first.locator("tbody a").first.click()
        expect(page.get_by_role("link", name="Councils most like", exact=False)).to_be_visible()
        look(page, "council")
        page.get_by_role("link", name="Councils most like", exact=False).click()
        expect(page.locator("table.cf-peers tbody tr")).to_have_count(5)
        look(page, "council-peers")

        page.get_by_role("link", name="National atlas").click(timeout=180_000)  # the first view imports every council
        heading = page.get_by_role("heading", name="National atlas of the opportunity, England 2021-22")
        expect(heading).to_be_visible()
        expect(page.locator("figure.cf-map svg")).to_be_visible()
        look(page, "atlas")
        page.get_by_role("link", name="Council", exact=True).click()
        expect(page.locator("table.cf-atlas th[aria-sort]")).to_contain_text("Council")
        first = page.locator("table.cf-atlas tbody th").first.inner_text()
        assert first.startswith("Barking"), first  # alphabetical: Barking and Dagenham first
        page.get_by_role("link", name="Norfolk", exact=True).click()
        expect(page.get_by_role("heading", name="Norfolk 2021-22")).to_be_visible()
        look(page, "imported-baseline")
        page.get_by_role("button", name="Add to this workspace as a new baseline version").click()
        expect(page.get_by_text("No problems found. The workbook is saved as version 1.")).to_be_visible()
        expect(page.get_by_role("heading", name="Baseline v1: Norfolk 2021/22")).to_be_visible()
        look(page, "imported-baseline-added")
        page.get_by_role("link", name="See the opportunity").click()
        expect(page.get_by_role("heading", name="Opportunity: Norfolk")).to_be_visible()
        look(page, "opportunity-appendix")
        browser.close()
    assert not blocked, blocked
    assert len(checked) == 7
