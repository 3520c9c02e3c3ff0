"""The analyst's day in a real browser: sign in, screen an Arabic name, work an alert to an
approved disposition with two people, switch the language and check the page direction."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import PASSWORD


def sign_in(browser: Any, server: str, username: str, locale: str = "en-US") -> Any:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard$"))
    return page


def test_sign_in_and_screen_an_arabic_name(browser: Any, server: str) -> None:
    page = sign_in(browser, server, "ana")
    assert page.locator(".who").inner_text().startswith("Ana")
    page.click("nav >> text=Screen a name")
    page.fill("input[name=name]", "أيمن الظواهري")
    page.click("form[action='/screen'] button[type=submit]")
    hit = page.locator("[data-testid=hit]").first
    hit.wait_for()
    assert "ZAWAHIRI" in hit.locator("h3").inner_text().upper()
    assert hit.locator("a[href^='/entities/']").first.get_attribute("href") == "/entities/un_sc%3AQDi.006"
    # The explanation is shown: aligned name parts (Arabic query parts) and feature contributions.
    aligned = hit.locator("table.align tbody tr")
    assert aligned.count() >= 2
    assert "الظواهري" in hit.locator("table.align").inner_text()
    assert hit.locator("table.features tbody tr").count() >= 2
    page.context.close()


def test_alert_to_approved_disposition_with_two_people(browser: Any, server: str) -> None:
    analyst = sign_in(browser, server, "ana")
    analyst.goto(f"{server}/alerts?grouping=unassigned")
    rows = analyst.locator("tr[data-testid=alert-row]", has_text="c3")
    assert rows.count() >= 1
    rows.first.locator("input[name=alert_id]").check()
    analyst.fill("#new-case input[name=title]", "الظواهري؟ Zawahiri?")
    analyst.click("#new-case button[type=submit]")
    analyst.wait_for_url(re.compile(r"/cases/\d+$"))
    case_url = analyst.url
    assert analyst.locator("[data-testid=case-status]").inner_text() == "new"
    analyst.click("[data-testid=start-review]")
    analyst.wait_for_selector("#propose")
    analyst.check("#propose input[value=true_match]")
    analyst.fill("#propose textarea[name=reason]", "Same name, date of birth and nationality.")
    analyst.click("[data-testid=propose]")
    analyst.wait_for_selector("[data-testid=awaiting]")
    assert analyst.locator("[data-testid=case-status]").inner_text() == "proposed"
    assert analyst.locator("[data-testid=approve]").count() == 0  # an analyst has no approve button

    reviewer = sign_in(browser, server, "rev")
    reviewer.goto(case_url)
    reviewer.fill("#approve textarea[name=note]", "Agreed.")
    reviewer.click("[data-testid=approve]")
    reviewer.wait_for_load_state()
    assert reviewer.locator("[data-testid=case-status]").inner_text() == "approved"
    assert "user:rev" in reviewer.locator(".summary").inner_text()
    timeline = reviewer.locator(".timeline").inner_text()
    assert "Disposition proposed" in timeline
    assert "Approved" in timeline
    analyst.context.close()
    reviewer.context.close()


def test_switch_language_and_direction(browser: Any, server: str) -> None:
    page = sign_in(browser, server, "rev")
    page.goto(f"{server}/alerts")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    page.click("[data-testid=lang-ar]")
    page.wait_for_load_state()
    assert page.url.endswith("/alerts")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("h1").inner_text() == "التنبيهات والحالات"
    # Right to left throughout: computed direction of tables and forms, and the first column on the right.
    assert page.evaluate("getComputedStyle(document.querySelector('table.data')).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('form.filters')).direction") == "rtl"
    first, last = page.evaluate(
        """() => { const cells = document.querySelectorAll('table.data thead th');
                   return [cells[0].getBoundingClientRect().left, cells[cells.length - 1].getBoundingClientRect().left]; }"""
    )
    assert first > last
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert html.get_attribute("dir") == "ltr"
    page.context.close()
