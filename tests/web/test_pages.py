"""Every page in process: status, language and direction, permissions, CSRF, cookies, content."""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient

from raqib.api import create_app
from raqib.auth import Principal, Role, UserStore
from raqib.cases import CaseStatus, CaseWorkflow, NewAlert, add_alerts
from raqib.config import Settings
from raqib.db import open_engine
from raqib.db.tables import alert
from raqib.lists import ListStore
from raqib.screening import CustomerRegister
from raqib.web import charts
from raqib.web.forms import Form
from raqib.web.i18n import Translate, translator
from raqib.web.routes import AGE_BUCKETS, ALERT_PAGE_SIZE, DASHBOARD_DAYS, SECURITY_HEADERS, highlight
from tests.conftest import DATA
from tests.web.conftest import CHEAP, PASSWORD, Web, csrf_of

WEB = Path(__file__).parents[2] / "src" / "raqib" / "web"
PAGES = [
    "/dashboard",
    "/screen",
    "/alerts",
    "/alerts?status=all&grouping=unassigned&min_score=0.5",
    "/alerts/1",
    "/lists",
    "/lists/un_sc",
    "/entities/un_sc:QDi.006",
    "/payments",
    "/text",
]
_customers = itertools.count(1)


def html_attributes(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="(\w+)" dir="(\w+)">', html)
    assert match is not None
    return match.group(1), match.group(2)


def new_case(web: Web, by: str = "ana") -> int:
    """A fresh alert (its own customer id) grouped into a new case by ``by``."""
    customer = f"t{next(_customers)}"
    with web.engine.begin() as conn:
        add_alerts(
            conn,
            [
                NewAlert(
                    customer, "un_sc:QDi.006", "un_sc", 2, 0.9, "x", "explained", {"features": []}, "raqib-v1"
                )
            ],
            source="single",
        )
    cases = CaseWorkflow(web.engine)
    who = Principal(f"user:{by}", by, Role.ANALYST, "user")
    alert_id = next(a["id"] for a in cases.alerts(who, customer_id=customer))
    return int(cases.create(who, f"case for {customer}", [alert_id])["id"])


def post(client: TestClient, path: str, data: dict[str, str], page: str | None = None) -> object:
    token = csrf_of(client.get(page or path).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def status_of(web: Web, case_id: int) -> str:
    return str(CaseWorkflow(web.engine).get(Principal.system("t"), case_id)["status"])


# --- strings and language ---


def test_locales_have_the_same_keys_and_cover_every_template_key() -> None:
    ar = yaml.safe_load((WEB / "locales" / "ar.yml").read_text(encoding="utf-8"))
    en = yaml.safe_load((WEB / "locales" / "en.yml").read_text(encoding="utf-8"))
    assert {"source", "version", "strings"} <= set(ar)
    assert {"source", "version", "strings"} <= set(en)
    assert set(ar["strings"]) == set(en["strings"])
    used = set()
    for template in (WEB / "templates").glob("*.html"):
        used |= set(re.findall(r'\bt\(\s*["\']([a-z_.]+)["\']\s*[,)]', template.read_text(encoding="utf-8")))
    assert used - set(en["strings"]) == set()


@pytest.mark.parametrize(
    ("accept", "cookie", "expected"),
    [
        ("ar-SA,ar;q=0.9", None, ("ar", "rtl")),
        ("en-GB,en;q=0.9", None, ("en", "ltr")),
        ("fr-FR", None, ("ar", "rtl")),  # Arabic-first default
        ("en-GB", "ar", ("ar", "rtl")),  # the switch wins over the browser
    ],
)
def test_language_and_direction(web: Web, accept: str, cookie: str | None, expected: tuple[str, str]) -> None:
    client = web.client()
    if cookie:
        client.cookies.set("raqib_lang", cookie)
    response = client.get("/login", headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert html_attributes(response.text) == expected


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_both_languages(web: Web, path: str, lang: str) -> None:
    client = web.client("rev")
    client.cookies.set("raqib_lang", lang)
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert html_attributes(response.text) == (lang, "rtl" if lang == "ar" else "ltr")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "<bdi" in response.text or path in {"/screen", "/payments", "/text", "/lists"}


def test_language_switch_sets_a_cookie_and_never_redirects_off_site(web: Web) -> None:
    client = web.client()
    response = client.get("/lang/en?next=/alerts", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/alerts")
    assert "raqib_lang=en" in response.headers["set-cookie"]
    for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.get("/lang/ar", params={"next": bad}, follow_redirects=False)
        assert response.headers["location"] == "/"
    assert client.get("/lang/fr", follow_redirects=False).status_code == 404


# --- sign in, cookies, CSRF ---


def test_anonymous_visitors_are_sent_to_sign_in(web: Web) -> None:
    client = web.client()
    for path in ["/dashboard", "/alerts", "/cases/1", "/screen", "/lists"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_login_cookie_is_httponly_strict_and_secure_over_https(web: Web) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        client = TestClient(web.app, base_url=base)
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": "/alerts"},
            follow_redirects=False,
        )
        assert (response.status_code, response.headers["location"]) == (303, "/alerts")
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("raqib_session="))
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert ("Secure" in cookie) is secure


def test_wrong_password_is_refused_without_saying_which_part(web: Web) -> None:
    client = web.client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "ana", "password": "nope", "csrf_token": token})
    assert response.status_code == 401
    assert "Unknown user or wrong password" in response.text or "مستخدم غير معروف" in response.text


def test_login_needs_the_pre_session_csrf_token(web: Web) -> None:
    client = web.client()
    client.get("/login")
    response = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    fresh = web.client()  # no CSRF cookie at all
    assert fresh.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 403


def test_every_form_post_needs_the_session_csrf_token(web: Web) -> None:
    client = web.client("ana")
    case_id = new_case(web)
    for path, data in [
        ("/screen", {"name": "أيمن الظواهري"}),
        ("/payments", {"message": "x"}),
        ("/text", {"text": "x"}),
        ("/alerts/case", {"alert_id": "1"}),
        (f"/cases/{case_id}/comment", {"body": "hello"}),
        (f"/cases/{case_id}/review", {}),
        ("/logout", {}),
    ]:
        assert client.post(path, data=data).status_code == 403, path
        assert client.post(path, data={**data, "csrf_token": "0" * 64}).status_code == 403, path
    assert CaseWorkflow(web.engine).get(Principal.system("t"), case_id)["comments"] == []
    # Another user's token is not this session's token.
    other = csrf_of(web.client("amir").get("/screen").text)
    assert client.post("/screen", data={"name": "x", "csrf_token": other}).status_code == 403


def test_logout_ends_the_server_side_session(web: Web) -> None:
    client = web.client("ana")
    session = client.cookies.get("raqib_session")
    assert post(client, "/logout", {}, page="/screen").status_code == 303  # type: ignore[attr-defined]
    stale = TestClient(web.app)
    stale.cookies.set("raqib_session", session or "")
    assert stale.get("/screen", follow_redirects=False).status_code == 303


# --- permissions: the same checks as the API ---


def test_api_client_may_screen_but_not_see_alerts(web: Web) -> None:
    client = web.client("bot")
    assert client.get("/screen").status_code == 200
    for path in ["/alerts", "/dashboard", "/cases/1", "/alerts/1"]:
        assert client.get(path).status_code == 403, path


def test_auditor_reads_but_cannot_screen_work_or_approve(web: Web) -> None:
    case_id = new_case(web)
    analyst = web.client("ana")
    post(analyst, f"/cases/{case_id}/review", {}, page=f"/cases/{case_id}")
    post(
        analyst,
        f"/cases/{case_id}/propose",
        {"disposition": "false_positive", "reason": "other DOB"},
        page=f"/cases/{case_id}",
    )
    assert status_of(web, case_id) == "proposed"
    auditor = web.client("aud")
    page = auditor.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert 'data-testid="approve"' not in page.text
    token = csrf_of(page.text)
    for action, data in [("approve", {}), ("return", {"reason": "no"}), ("comment", {"body": "hi"})]:
        response = auditor.post(f"/cases/{case_id}/{action}", data={**data, "csrf_token": token})
        assert response.status_code == 403, action
    assert auditor.post("/alerts/case", data={"alert_id": "1", "csrf_token": token}).status_code == 403
    assert auditor.get("/screen").status_code == 403
    assert status_of(web, case_id) == "proposed"


def test_analyst_cannot_approve_and_the_proposer_cannot_approve_their_own(web: Web) -> None:
    case_id = new_case(web, by="rev")
    reviewer = web.client("rev")
    path = f"/cases/{case_id}"
    post(reviewer, f"{path}/review", {}, page=path)
    response = post(
        reviewer, f"{path}/propose", {"disposition": "true_match", "reason": "same person"}, page=path
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = reviewer.get(path)
    assert 'data-testid="approve"' not in page.text
    assert 'data-testid="awaiting"' in page.text
    own = reviewer.post(f"{path}/approve", data={"csrf_token": csrf_of(page.text)})
    assert own.status_code == 403
    assert "four-eyes" in own.text.lower() or "العيون الأربع" in own.text
    analyst = web.client("ana")
    assert post(analyst, f"{path}/approve", {}, page=path).status_code == 403  # type: ignore[attr-defined]
    assert status_of(web, case_id) == "proposed"
    second = web.client("rita")
    assert post(second, f"{path}/approve", {"note": "agreed"}, page=path).status_code == 303  # type: ignore[attr-defined]
    case = CaseWorkflow(web.engine).get(Principal.system("t"), case_id)
    assert (case["status"], case["proposed_by"], case["decided_by"]) == ("approved", "user:rev", "user:rita")
    stale = post(second, f"{path}/approve", {}, page=path)
    assert stale.status_code == 409  # type: ignore[attr-defined]


def test_return_with_reason_and_stale_version_is_a_conflict(web: Web) -> None:
    case_id = new_case(web)
    path = f"/cases/{case_id}"
    analyst, reviewer = web.client("ana"), web.client("rev")
    post(analyst, f"{path}/review", {}, page=path)
    page = analyst.get(path).text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    post(analyst, f"{path}/assign", {"assignee": "amir"}, page=path)
    stale = analyst.post(
        f"{path}/propose",
        data={
            "disposition": "escalate",
            "reason": "x",
            "version": version.group(1),
            "csrf_token": csrf_of(page),
        },
    )
    assert stale.status_code == 409
    post(analyst, f"{path}/propose", {"disposition": "escalate", "reason": "look again"}, page=path)
    assert post(reviewer, f"{path}/return", {"reason": "need the passport"}, page=path).status_code == 303  # type: ignore[attr-defined]
    assert status_of(web, case_id) == "returned"


# --- the pages' content ---


def test_screen_an_arabic_name_shows_the_hit_and_its_explanation(web: Web) -> None:
    client = web.client("ana")
    response = post(client, "/screen", {"name": "أيمن الظواهري", "dob": "1951-06-19"})
    text = response.text  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "/entities/un_sc%3AQDi.006" in text
    assert '<table class="align">' in text
    assert '<table class="features">' in text
    assert "<bdi>الظواهري</bdi>" in text
    bad = post(client, "/screen", {"name": "x", "dob": "19-06-1951"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    empty = post(client, "/screen", {"name": "  "})
    assert empty.status_code == 400  # type: ignore[attr-defined]


def test_alert_queue_groups_alerts_into_a_case(web: Web) -> None:
    client = web.client("amir")
    page = client.get("/alerts?grouping=unassigned")
    ids = re.findall(r'name="alert_id" value="(\d+)"', page.text)
    assert ids
    response = client.post(
        "/alerts/case",
        data={"alert_id": ids[0], "title": "مراجعة", "assignee": "me", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    case_page = client.get(response.headers["location"])
    assert "<bdi>مراجعة</bdi>" in case_page.text
    assert "amir" in case_page.text
    assert '<table class="align">' in case_page.text  # the alert's explanation on the case page
    none = post(client, "/alerts/case", {}, page="/alerts")
    assert none.status_code == 400  # type: ignore[attr-defined]


def test_comment_evidence_and_timeline(web: Web) -> None:
    case_id = new_case(web)
    path = f"/cases/{case_id}"
    client = web.client("ana")
    assert (
        post(client, f"{path}/comment", {"body": "تعليق بالعربية with English"}, page=path).status_code == 303
    )  # type: ignore[attr-defined]
    token = csrf_of(client.get(path).text)
    upload = client.post(
        f"{path}/evidence",
        data={"csrf_token": token},
        files={"file": ("هوية.txt", "صورة الهوية".encode(), "text/plain")},
        follow_redirects=False,
    )
    assert upload.status_code == 303, upload.text
    page = client.get(path).text
    assert "<bdi>تعليق بالعربية with English</bdi>" in page
    link = re.search(rf'href="(/v1/cases/{case_id}/evidence/\d+)"', page)
    assert link is not None
    assert "هوية.txt" in page
    assert client.get(link.group(1)).content == "صورة الهوية".encode()
    assert "Comment" in page or "تعليق" in page
    missing = client.post(f"{path}/evidence", data={"csrf_token": token}, files={"other": ("a", b"b")})
    assert missing.status_code == 400
    assert client.get("/cases/999999").status_code == 404
    assert post(client, f"{path}/nonsense", {}, page=path).status_code == 404  # type: ignore[attr-defined]


def test_lists_versions_diff_and_entity(web: Web) -> None:
    client = web.client("aud")
    page = client.get("/lists/un_sc").text
    assert page.count("<tr>") >= 3  # two versions
    assert 'class="card diff"' in page
    versions = re.findall(r'<option value="(\d+)"', page)
    chosen = client.get(f"/lists/un_sc?diff_from={versions[-1]}&diff_to={versions[0]}")
    assert chosen.status_code == 200
    assert client.get("/lists/un_sc?diff_from=1&diff_to=999").status_code == 404
    assert client.get("/lists/nope").status_code == 404
    entity = client.get("/entities/un_sc:QDi.006").text
    assert "<bdi" in entity
    assert "QDi.006" in entity
    assert "أيمن" in entity or "ZAWAHIRI" in entity
    assert client.get("/entities/un_sc:nope").status_code == 404


def test_payment_check_shows_the_decision_and_reasons(web: Web) -> None:
    client = web.client("ana")
    message = (DATA / "payments" / "pacs008_invented_hits.xml").read_text(encoding="utf-8")
    response = post(client, "/payments", {"message": message})
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert 'data-testid="decision"' in response.text  # type: ignore[attr-defined]
    assert "decision-hold" in response.text or "decision-review" in response.text  # type: ignore[attr-defined]
    token = csrf_of(client.get("/payments").text)
    uploaded = client.post(
        "/payments", data={"csrf_token": token}, files={"file": ("m.xml", message.encode(), "text/xml")}
    )
    assert uploaded.status_code == 200
    assert 'data-testid="decision"' in uploaded.text
    broken = post(client, "/payments", {"message": "<Document><broken"})
    assert broken.status_code == 400  # type: ignore[attr-defined]


def test_text_screening_highlights_mentions(web: Web) -> None:
    client = web.client("ana")
    text = "وقال أيمن الظواهري في تسجيل جديد إن الحرب مستمرة."
    response = post(client, "/text", {"text": text})
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert re.search(r"<mark[^>]*>أيمن الظواهري<sup>1</sup></mark>", response.text)  # type: ignore[attr-defined]


def test_dashboard_draws_svg_charts(web: Web) -> None:
    page = web.client("rev").get("/dashboard").text
    assert page.count('<svg class="chart"') == 3
    assert "<script>" not in page  # no inline script (CSP forbids it anyway)


# --- the alert queue pages through a bank's real volume ---

PAYMENT_ALERTS = 230
TEXT_ALERTS = 20
ROW = re.compile(r'<tr data-testid="alert-row">.*?<a href="/alerts/(\d+)">', re.S)
PAGER_LINK = re.compile(r'<a href="(/alerts\?[^"]*)" rel="(prev|next)">')


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """A store of its own (the shared one stays small): 250 alerts, more than two pages."""
    settings = Settings(home=tmp_path_factory.mktemp("crowded"))
    engine = open_engine(settings.database_url)

    def made(i: int) -> NewAlert:
        score = round(0.5 + (i % 50) / 100, 2)
        return NewAlert(f"q{i:03d}", "un_sc:QDi.006", "un_sc", 1, score, "x", "explained", {}, "raqib-v1")

    with engine.begin() as conn:
        add_alerts(conn, [made(i) for i in range(PAYMENT_ALERTS)], source="payment")
        add_alerts(
            conn, [made(i) for i in range(PAYMENT_ALERTS, PAYMENT_ALERTS + TEXT_ALERTS)], source="text"
        )
    users = UserStore(engine, hasher=CHEAP)
    users.create("ana", PASSWORD, Role.ANALYST, Principal.system("test"))
    app = create_app(settings, engine, warm=False)
    app.state.raqib_users = users
    yield Web(app, engine, users)
    engine.dispose()


def alert_ids(page_html: str) -> list[int]:
    return [int(i) for i in ROW.findall(page_html)]


def pager_links(page_html: str) -> dict[str, str]:
    """``{"prev": url, "next": url}`` from the first pager on the page (each appears twice)."""
    links: dict[str, str] = {}
    for url, rel in PAGER_LINK.findall(page_html):
        links.setdefault(rel, html.unescape(url))
    return links


def expected_ids(web: Web, **filters: object) -> list[int]:
    every = CaseWorkflow(web.engine).alerts(Principal.system("t"), limit=10_000, **filters)
    return [a["id"] for a in every]


def test_alert_queue_shows_the_first_page_and_the_true_total(crowded: Web) -> None:
    client = crowded.client("ana")
    client.cookies.set("raqib_lang", "en")
    total = PAYMENT_ALERTS + TEXT_ALERTS
    first = client.get("/alerts")
    assert first.status_code == 200
    assert alert_ids(first.text) == expected_ids(crowded, status="open")[:ALERT_PAGE_SIZE]
    assert ALERT_PAGE_SIZE == 100
    assert f'<span class="count">{total}</span>' in first.text
    assert f"Showing 1–100 of {total}" in first.text
    assert "Page 1 of 3" in first.text
    links = pager_links(first.text)
    assert set(links) == {"next"}
    second = client.get(links["next"])
    assert alert_ids(second.text) == expected_ids(crowded, status="open")[100:200]
    assert f"Showing 101–200 of {total}" in second.text
    assert set(pager_links(second.text)) == {"prev", "next"}
    last = client.get(pager_links(second.text)["next"])
    assert alert_ids(last.text) == expected_ids(crowded, status="open")[200:]
    assert f"Showing 201–{total} of {total}" in last.text
    assert set(pager_links(last.text)) == {"prev"}
    back = client.get(pager_links(last.text)["prev"])
    assert alert_ids(back.text) == alert_ids(second.text)


def test_alert_queue_page_links_keep_the_filters(crowded: Web) -> None:
    client = crowded.client("ana")
    client.cookies.set("raqib_lang", "en")
    filters = {"status": "open", "source": "payment", "grouping": "unassigned", "min_score": "0.6"}
    wanted = expected_ids(crowded, status="open", source="payment", unassigned=True, min_score=0.6)
    assert 100 < len(wanted) < 200  # two pages, and fewer than without the filters
    first = client.get("/alerts", params={**filters, "assignee": "ana"})
    assert alert_ids(first.text) == wanted[:100]
    assert f'<span class="count">{len(wanted)}</span>' in first.text
    next_url = pager_links(first.text)["next"]
    for name, value in [*filters.items(), ("assignee", "ana"), ("page", "2")]:
        assert f"{name}={value}" in next_url
    second = client.get(next_url)
    assert alert_ids(second.text) == wanted[100:]
    assert f"Showing 101–{len(wanted)} of {len(wanted)}" in second.text
    assert 'value="payment" selected' in second.text
    previous_url = pager_links(second.text)["prev"]
    assert "source=payment" in previous_url
    assert "page=1" in previous_url


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("abc", 1), ("", 1), ("0", 1), ("-4", 1), ("1.5", 1), ("2", 2), ("999", 3), ("99999999999999999999", 3)],
)
def test_alert_queue_bad_or_out_of_range_page_shows_the_first_or_last(
    crowded: Web, asked: str, shown: int
) -> None:
    client = crowded.client("ana")
    client.cookies.set("raqib_lang", "en")
    response = client.get("/alerts", params={"page": asked})
    assert response.status_code == 200
    every = expected_ids(crowded, status="open")
    assert alert_ids(response.text) == every[(shown - 1) * 100 : shown * 100]
    assert f"Page {shown} of 3" in response.text


def test_alert_queue_with_nothing_to_show_has_no_pager(crowded: Web) -> None:
    client = crowded.client("ana")
    response = client.get("/alerts", params={"source": "delta", "page": "7"})
    assert response.status_code == 200
    assert alert_ids(response.text) == []
    assert 'data-testid="alert-pager"' not in response.text
    assert '<span class="count">0</span>' in response.text


def test_alert_queue_in_arabic_stays_right_to_left(crowded: Web) -> None:
    client = crowded.client("ana")
    client.cookies.set("raqib_lang", "ar")
    response = client.get("/alerts", params={"page": "2", "source": "payment"})
    assert response.status_code == 200
    assert html_attributes(response.text) == ("ar", "rtl")
    assert f"عرض 101–200 من {PAYMENT_ALERTS}" in response.text
    assert "السابق" in response.text
    assert "التالي" in response.text
    assert "Previous" not in response.text
    assert set(pager_links(response.text)) == {"prev", "next"}


# --- helpers ---


def test_highlight_cuts_text_into_runs() -> None:
    runs = highlight("abc def ghi", [{"start": 4, "end": 7}, {"start": 5, "end": 9}, {"start": 0, "end": 3}])
    assert [(chunk, m is not None) for chunk, m in runs] == [
        ("abc", True),
        (" ", False),
        ("def", True),
        (" g", True),  # the overlapping mention keeps only what the first did not cover
        ("hi", False),
    ]


def test_form_values() -> None:
    form = Form()
    form.add("a", "1")
    form.add("a", "2")
    assert (form.get("a"), form.all("a"), form.optional("b"), form.get("b", "x")) == (
        "2",
        ["1", "2"],
        None,
        "x",
    )


# --- the dashboard counts in SQL and shows what a Python count over every row shows ---


def _dashboard_by_hand(web: Web, t: Translate) -> tuple[list[str], dict[str, int]]:
    """The charts and tiles as the dashboard drew them when it counted every row in Python."""
    who = Principal.system("t")
    workflow = CaseWorkflow(web.engine)
    every_alert = workflow.alerts(who, limit=10_000)
    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=n)).isoformat() for n in range(DASHBOARD_DAYS - 1, -1, -1)]
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    for item in every_alert:
        per_day[item["source"]][item["created_at"][:10]] += 1
    series = [(t(f"source.{s}"), [per_day[s][d] for d in days]) for s in sorted(per_day)]
    open_cases = [c for c in workflow.list_cases(who, limit=10_000) if c["closed_at"] is None]
    buckets = []
    for low, high, label in AGE_BUCKETS:
        count = sum(1 for c in open_cases if c["age_days"] >= low and (high is None or c["age_days"] < high))
        buckets.append((t("dash.days", range=label), float(count), str(count)))
    customers = CustomerRegister(web.engine).count()
    per_list = Counter(a["list_id"] for a in every_alert)
    hit_rows = []
    for watchlist in ListStore(web.engine).watchlists():
        rate = 100.0 * per_list[watchlist.id] / customers if customers else 0.0
        hit_rows.append((watchlist.id, rate, f"{rate:.2f}% ({per_list[watchlist.id]})"))
    chart_svgs = [
        str(charts.stacked_columns(t("dash.alerts_per_day"), days, series)),
        str(charts.horizontal_bars(t("dash.open_cases_by_age"), buckets)),
        str(charts.horizontal_bars(t("dash.hit_rate"), hit_rows)),
    ]
    tiles = {
        "dash.open_alerts": sum(1 for a in every_alert if a["status"] == "open"),
        "dash.open_cases": len(open_cases),
        "dash.overdue": sum(1 for c in open_cases if c["overdue"]),
        "dash.awaiting_approval": sum(1 for c in open_cases if c["status"] == CaseStatus.PROPOSED),
        "dash.customers": customers,
    }
    return chart_svgs, tiles


def test_dashboard_shows_the_same_counts_as_counting_every_row(web: Web) -> None:
    new_case(web)  # at least one open case for the age and approval counts
    with web.engine.connect() as conn:
        ids = list(conn.execute(sa.select(alert.c.id).order_by(alert.c.id)).scalars())
        saved = {row.id: row.created_at for row in conn.execute(sa.select(alert.c.id, alert.c.created_at))}
    now = datetime.now(UTC)
    try:
        with web.engine.begin() as conn:
            # spread the alerts over the chart's days, and one past its left edge
            for n, alert_id in enumerate(ids):
                back = timedelta(days=(n * 7) % (DASHBOARD_DAYS + 5), hours=n % 13)
                conn.execute(alert.update().where(alert.c.id == alert_id).values(created_at=now - back))
            conn.execute(alert.update().where(alert.c.id == ids[0]).values(status="closed"))
        t = translator("en")
        chart_svgs, tiles = _dashboard_by_hand(web, t)
        client = web.client("rev")
        client.cookies.set("raqib_lang", "en")
        page = client.get("/dashboard").text
    finally:
        with web.engine.begin() as conn:
            for alert_id, created_at in saved.items():
                conn.execute(alert.update().where(alert.c.id == alert_id).values(created_at=created_at))
            conn.execute(alert.update().where(alert.c.id == ids[0]).values(status="open"))
    for svg in chart_svgs:
        assert svg in page
    assert "<rect" in chart_svgs[0]
    assert tiles["dash.open_cases"] >= 1
    shown = {label: int(count) for count, label in re.findall(r"<b>(\d+)</b><span>([^<]+)</span>", page)}
    assert shown == {t(k): v for k, v in tiles.items()}
