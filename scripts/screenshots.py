"""Take the screenshots in docs/screenshots/ from a real server and Debian's Chromium.

Run from the repository root: ``.venv/bin/python scripts/screenshots.py``. It builds a throwaway
world (the UN extract of 2017, a small customer register screened into alerts, two users), serves
it on 127.0.0.1, works one case as an analyst and a reviewer, and captures the main pages in Arabic
and English at 1200 px wide (height capped, so the PNG files stay small). Needs Chromium at
/usr/bin/chromium and the playwright package; never downloads a browser.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.browser.server import browser_missing, launch_chromium, running_server  # noqa: E402
from tests.web.conftest import PASSWORD  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTH, MAX_HEIGHT = 1200, 1500
ARABIC_TEXT = (
    "قال مصدر أمني إن أيمن الظواهري دعا في تسجيل جديد أنصار تنظيم القاعدة إلى جمع التبرعات، "
    "بينما نفت الحكومة أي اتصال مع الجماعة."
)
log = logging.getLogger("screenshots")


def _sign_in(browser: Any, url: str, username: str, lang: str) -> Any:
    context = browser.new_context(
        locale="ar" if lang == "ar" else "en-US",
        viewport={"width": WIDTH, "height": 800},
        device_scale_factor=1,
    )
    page = context.new_page()
    page.goto(f"{url}/lang/{lang}?next=/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page: Any, name: str) -> None:
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    target = OUT / f"{name}.png"
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    log.info("%s (%d KB)", target.relative_to(ROOT), target.stat().st_size // 1024)


def _work_a_case(browser: Any, url: str) -> str:
    """An analyst groups the Zawahiri alert into a case, reviews, comments and proposes."""
    page = _sign_in(browser, url, "ana", "en")
    page.goto(f"{url}/alerts?grouping=unassigned")
    page.locator("tr[data-testid=alert-row]", has_text="c3").first.locator("input[name=alert_id]").check()
    page.fill("#new-case input[name=title]", "أيمن الظواهري — Zawahiri?")
    page.click("#new-case button[type=submit]")
    page.wait_for_url("**/cases/*")
    case_url: str = page.url
    page.click("[data-testid=start-review]")
    page.fill("form[action$='/comment'] textarea", "تطابق الاسم وتاريخ الميلاد والجنسية مع القائمة.")
    page.click("form[action$='/comment'] button")
    page.check("#propose input[value=true_match]")
    page.fill(
        "#propose textarea[name=reason]", "Name, date of birth and nationality agree with the UN entry."
    )
    page.click("[data-testid=propose]")
    page.wait_for_selector("[data-testid=awaiting]")
    page.context.close()
    return case_url


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    missing = browser_missing()
    if missing is not None:
        sys.exit(f"cannot take screenshots: {missing}")
    OUT.mkdir(parents=True, exist_ok=True)
    payment = (ROOT / "tests" / "data" / "payments" / "pacs008_invented_hits.xml").read_text(encoding="utf-8")
    with (
        tempfile.TemporaryDirectory() as home,
        running_server(Path(home)) as url,
        launch_chromium() as browser,
    ):
        case_url = _work_a_case(browser, url)
        anonymous = browser.new_context(locale="ar", viewport={"width": WIDTH, "height": 700})
        login = anonymous.new_page()
        login.goto(f"{url}/login")
        _shot(login, "login-ar")
        anonymous.close()
        for lang in ("ar", "en"):
            page = _sign_in(browser, url, "rev", lang)
            page.goto(f"{url}/dashboard")
            _shot(page, f"dashboard-{lang}")
            page.goto(f"{url}/screen")
            page.fill("input[name=name]", "أيمن الظواهري" if lang == "ar" else "Ayman al-Zawahiri")
            page.fill("input[name=dob]", "1951-06-19")
            page.click("form[action='/screen'] button[type=submit]")
            page.wait_for_selector("[data-testid=hit]")
            _shot(page, f"screen-{lang}")
            page.goto(f"{url}/alerts")
            _shot(page, f"alerts-{lang}")
            page.goto(case_url)
            page.locator("details.why").first.evaluate("d => d.open = true")
            _shot(page, f"case-{lang}")
            page.context.close()
        page = _sign_in(browser, url, "rev", "ar")
        page.goto(f"{url}/lists/un_sc")
        _shot(page, "list-diff-ar")
        page.goto(f"{url}/entities/un_sc:QDi.006")
        _shot(page, "entity-ar")
        page.goto(f"{url}/text")
        page.fill("textarea[name=text]", ARABIC_TEXT)
        page.click("form[action='/text'] button[type=submit]")
        page.wait_for_load_state()
        _shot(page, "text-ar")
        page.context.close()
        page = _sign_in(browser, url, "rev", "en")
        page.goto(f"{url}/payments")
        page.fill("textarea[name=message]", payment)
        page.click("form[action='/payments'] button[type=submit]")
        page.wait_for_selector("[data-testid=decision]")
        _shot(page, "payments-en")
        page.context.close()


if __name__ == "__main__":
    main()
