"""The HTML pages and form actions of the analyst's web UI.

The web layer only translates: it reads a form, calls the same library function (or API router
function) the JSON API calls with the signed-in :class:`~raqib.auth.Principal`, and renders the
result. Permission rules live in :mod:`raqib.auth` and :class:`~raqib.cases.CaseWorkflow`; the
role sets for screening and reading are the API's own (:mod:`raqib.api.deps`). Hiding a button is a
courtesy, never the check. Every POST carries a CSRF token (:mod:`raqib.web.csrf`); the session is
the API's server-side session in an HttpOnly, SameSite=Strict cookie.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, ParamSpec
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from raqib.api.deps import (
    READ_ROLES,
    SCREEN_ROLES,
    SESSION_COOKIE,
    CasesDep,
    StateDep,
    UsersDep,
)
from raqib.api.routers import payments as payment_routes
from raqib.api.routers import screening as screening_routes
from raqib.api.routers import text as text_routes
from raqib.api.schemas import ScreenRequest
from raqib.api.state import AppState
from raqib.auth import Principal, Role, Unauthenticated, UserStore, roles_for
from raqib.cases import CaseStatus, CaseWorkflow, Disposition
from raqib.db.tables import report_export
from raqib.errors import InvalidInput, NotFound, RaqibError
from raqib.lists import default_pairs, diff_versions
from raqib.reports.goaml.from_case import EXPORT_KIND, export_goaml, list_exports, load_context
from raqib.reports.goaml.profile import profile_names
from raqib.screening import CustomerRegister
from raqib.web import charts, csrf
from raqib.web.forms import Form, read_form
from raqib.web.i18n import LANG_COOKIE, LANGUAGES, Translate, choose_language, direction, translator

router = APIRouter(include_in_schema=False)

TEMPLATES = Environment(
    loader=PackageLoader("raqib.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

# Pages hold personal data: never cached, never framed, only our own scripts and styles.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
LANG_COOKIE_DAYS = 365
ALERT_STATUSES = ("open", "closed", "entity_removed")
AGE_BUCKETS = ((0, 1, "0–1"), (1, 3, "1–3"), (3, 5, "3–5"), (5, 10, "5–10"), (10, None, "10+"))
DASHBOARD_DAYS = 30
P = ParamSpec("P")


class WebExit(Exception):
    """Stop handling the request and answer with this response (a redirect or an error page)."""

    def __init__(self, response: Response):
        self.response = response


@dataclass
class Ctx:
    """What every page needs: the request, the language, who is signed in, the CSRF token."""

    request: Request
    state: AppState
    users: UserStore
    lang: str
    t: Translate
    principal: Principal | None
    session_secret: str | None
    csrf_token: str
    new_pre_session: str | None = None
    extra_cookies: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def dir(self) -> str:
        return direction(self.lang)

    def may(self, action_or_roles: str | frozenset[Role]) -> bool:
        """For showing or hiding a control only; the server call checks again."""
        if self.principal is None:
            return False
        roles = roles_for(action_or_roles) if isinstance(action_or_roles, str) else action_or_roles
        return self.principal.role in roles

    def need(self, action_or_roles: str | frozenset[Role]) -> Principal:
        """The signed-in principal, or a redirect to sign in, or a 403 page for a role not allowed."""
        if self.principal is None:
            target = self.request.url.path
            if self.request.method == "GET" and self.request.url.query:
                target += "?" + self.request.url.query
            raise WebExit(RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303))
        if not self.may(action_or_roles):
            raise WebExit(
                error_page(self, 403, self.t("error.forbidden", role=self.t(f"role.{self.principal.role}")))
            )
        return self.principal

    def check_csrf(self, form: Form) -> None:
        if not csrf.valid(form.get(csrf.FIELD), self.csrf_token if self.new_pre_session is None else None):
            raise WebExit(error_page(self, 403, self.t("error.csrf")))


def cookie_secure(ctx: Ctx) -> bool:
    """Secure cookies over HTTPS; ``RAQIB_COOKIE_SECURE`` (a setting, when present) forces either way."""
    forced: bool | None = getattr(ctx.state.settings, "cookie_secure", None)
    if forced is not None:
        return forced
    return ctx.request.url.scheme == "https"


def web_context(request: Request, state: StateDep, users: UsersDep) -> Ctx:
    lang = choose_language(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
    secret = request.cookies.get(SESSION_COOKIE)
    principal = None
    if secret:
        session = users.resolve(secret)
        if session is not None:
            user = session.user.principal
            principal = Principal(user.actor, user.name, user.role, user.kind, session_id=session.id)
            request.state.actor = principal.actor
    new_pre_session = None
    if principal is not None and secret is not None:
        token = csrf.session_token(secret)
    else:
        secret = None
        token = request.cookies.get(csrf.PRE_SESSION_COOKIE) or ""
        if not token:
            token = new_pre_session = csrf.new_pre_session_token()
    return Ctx(request, state, users, lang, translator(lang), principal, secret, token, new_pre_session)


CtxDep = Annotated[Ctx, Depends(web_context)]


def _finish(ctx: Ctx, response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if ctx.new_pre_session is not None:
        response.set_cookie(
            csrf.PRE_SESSION_COOKIE,
            ctx.new_pre_session,
            max_age=3600,
            httponly=True,
            samesite="strict",
            secure=cookie_secure(ctx),
            path="/",
        )
    return response


def render(ctx: Ctx, template: str, status: int = 200, **values: Any) -> Response:
    page = TEMPLATES.get_template(template).render(
        t=ctx.t,
        lang=ctx.lang,
        dir=ctx.dir,
        who=ctx.principal,
        may=ctx.may,
        csrf_field=csrf.FIELD,
        csrf_token=ctx.csrf_token,
        path=ctx.request.url.path,
        languages=LANGUAGES,
        **values,
    )
    return _finish(ctx, HTMLResponse(page, status_code=status))


def error_page(ctx: Ctx, status: int, message: str) -> Response:
    return render(ctx, "error.html", status=status, status_code=status, message=message)


def redirect(ctx: Ctx, url: str) -> Response:
    return _finish(ctx, RedirectResponse(url, status_code=303))


def safe_next(value: str | None, default: str = "/") -> str:
    """Only a path on this site (never ``//host`` or a scheme): no open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def page(handler: Callable[P, Response]) -> Callable[P, Response]:
    """Turn :class:`WebExit` into its response and a :class:`RaqibError` into an error page."""

    @functools.wraps(handler)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return handler(*args, **kwargs)
        except WebExit as stop:
            return stop.response
        except RaqibError as err:
            ctx = kwargs["ctx"]
            if not isinstance(ctx, Ctx):  # pragma: no cover - every page takes ctx
                raise
            return error_page(ctx, err.http_status, err.message)

    return wrapper


async def form_dep(request: Request) -> Form:
    return await read_form(request)


FormDep = Annotated[Form, Depends(form_dep)]


def workflow(state: AppState) -> CaseWorkflow:
    return CaseWorkflow(
        state.engine,
        sla_days=state.settings.case_sla_days,
        evidence_max_bytes=state.settings.evidence_max_bytes,
    )


# --- sign in, out, language ------------------------------------------------------------------------


@router.get("/")
@page
def home(ctx: CtxDep) -> Response:
    if ctx.principal is None:
        return redirect(ctx, "/login")
    return redirect(ctx, "/dashboard" if ctx.may("alert.read") else "/screen")


@router.get("/login")
@page
def login_form(ctx: CtxDep, next: str | None = None) -> Response:
    return render(ctx, "login.html", next=safe_next(next), error=None, username="")


@router.post("/login")
@page
def login(ctx: CtxDep, form: FormDep) -> Response:
    # The login form always carries the pre-session token (a stale session cookie must not matter).
    if not csrf.valid(form.get(csrf.FIELD), ctx.request.cookies.get(csrf.PRE_SESSION_COOKIE)):
        return error_page(ctx, 403, ctx.t("error.csrf"))
    username = form.get("username").strip()[:100]
    try:
        _session, token = ctx.users.login(username, form.get("password")[:1000])
    except Unauthenticated:
        response = render(
            ctx,
            "login.html",
            status=401,
            next=safe_next(form.get("next")),
            error=ctx.t("login.failed"),
            username=username,
        )
        return response
    response = redirect(ctx, safe_next(form.get("next")))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ctx.users.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=cookie_secure(ctx),
        path="/",
    )
    response.delete_cookie(csrf.PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/logout")
@page
def logout(ctx: CtxDep, form: FormDep) -> Response:
    who = ctx.need(READ_ROLES | {Role.API_CLIENT})
    ctx.check_csrf(form)
    if who.session_id is not None:
        ctx.users.logout(who.session_id, who)
    response = redirect(ctx, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
@page
def set_language(code: str, ctx: CtxDep, next: str | None = None) -> Response:
    if code not in LANGUAGES:
        return error_page(ctx, 404, ctx.t("error.not_found"))
    response = redirect(ctx, safe_next(next))
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(ctx),
        path="/",
    )
    return response


# --- screening ---------------------------------------------------------------------------------------


def _screen_values(form: Form | None) -> dict[str, str]:
    if form is None:
        return {"name": "", "dob": "", "country": "", "type": "", "threshold": ""}
    return {k: form.get(k).strip()[:500] for k in ("name", "dob", "country", "type", "threshold")}


def _validation_message(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}"


@router.get("/screen")
@page
def screen_form(ctx: CtxDep) -> Response:
    ctx.need(SCREEN_ROLES)
    return render(ctx, "screen.html", values=_screen_values(None), result=None, error=None)


@router.post("/screen")
@page
def screen(ctx: CtxDep, form: FormDep) -> Response:
    who = ctx.need(SCREEN_ROLES)
    ctx.check_csrf(form)
    values = _screen_values(form)
    try:
        request = ScreenRequest(
            name=values["name"],
            dob=values["dob"] or None,
            country=values["country"] or None,
            type=values["type"] or None,  # type: ignore[arg-type]
            threshold=float(values["threshold"]) if values["threshold"] else None,
        )
        result = screening_routes.screen(request, ctx.state, who)
    except ValidationError as err:
        return render(ctx, "screen.html", 400, values=values, result=None, error=_validation_message(err))
    except ValueError:
        return render(
            ctx, "screen.html", 400, values=values, result=None, error=ctx.t("screen.bad_threshold")
        )
    except RaqibError as err:
        return render(ctx, "screen.html", err.http_status, values=values, result=None, error=err.message)
    return render(ctx, "screen.html", values=values, result=result.model_dump(), error=None)


# --- alerts and cases --------------------------------------------------------------------------------


def _age_days(created_at: str | None, now: datetime) -> float:
    if not created_at:
        return 0.0
    return round((now - datetime.fromisoformat(created_at)).total_seconds() / 86400, 1)


ALERT_PAGE_SIZE = 100
"""Alerts per page of the queue: a screen an analyst can work through, and a cheap query."""
CASE_PAGE_SIZE = 100
"""Cases per page of the queue's case table (paged on its own, with ``case_page``)."""
ALERT_SOURCES = ("batch", "delta", "single", "payment", "text", "monitoring")
_ALERT_QUEUE_FILTERS = ("status", "source", "grouping", "min_score", "case_status", "assignee", "overdue")


def _score_floor(raw: str) -> float | None:
    """The minimum score typed in the filter, or None when it is empty or not a finite number."""
    try:
        value = float(raw) if raw.strip() else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _page_number(raw: str, pages: int) -> int:
    """The 1-based page asked for, brought into 1..pages; anything unreadable is the first page."""
    try:
        wanted = int(raw.strip())
    except ValueError:
        return 1
    return max(1, min(wanted, pages))


def _alert_queue_url(filters: dict[str, str], page: int, case_page: int) -> str:
    """``/alerts`` with the current filters (the non-empty ones) and both tables' page numbers.

    Each table's pager changes its own number and passes the other's on, so paging the cases keeps
    the alert page an analyst is on, and the other way round.
    """
    query = {k: filters[k] for k in _ALERT_QUEUE_FILTERS if filters.get(k)}
    return "/alerts?" + urlencode({**query, "page": str(page), "case_page": str(case_page)})


@dataclass(frozen=True)
class _Paging:
    """Where one table of the queue stands: its page, how many pages, and the rows' offset."""

    page: int
    pages: int
    offset: int

    @classmethod
    def of(cls, raw: str, total: int, size: int) -> _Paging:
        pages = max(1, math.ceil(total / size))
        page = _page_number(raw, pages)
        return cls(page, pages, (page - 1) * size)

    def pager(self, shown: int, total: int, url: Callable[[int], str]) -> dict[str, Any]:
        """What the template's pager shows: the range, the page of pages, previous/next links."""
        return {
            "page": self.page,
            "pages": self.pages,
            "first": self.offset + 1 if shown else 0,
            "last": self.offset + shown,
            "total": total,
            "previous_url": url(self.page - 1) if self.page > 1 else None,
            "next_url": url(self.page + 1) if self.page < self.pages else None,
        }


@router.get("/alerts")
@page
def alert_queue(
    ctx: CtxDep,
    cases: CasesDep,
    status: str = "open",
    source: str = "",
    grouping: str = "",
    min_score: str = "",
    case_status: str = "",
    assignee: str = "",
    overdue: str = "",
    page_asked: Annotated[str, Query(alias="page")] = "1",
    case_page_asked: Annotated[str, Query(alias="case_page")] = "1",
) -> Response:
    who = ctx.need("alert.read")
    # Filtering, counting and paging happen in the database, for the alerts and the cases alike, so
    # every matching row is reachable and each total is the true one, however many the bank has.
    alert_filters: dict[str, Any] = {
        "status": status if status in ALERT_STATUSES else None,
        "unassigned": grouping == "unassigned",
        "grouped": grouping == "grouped",
        "source": source or None,
        "min_score": _score_floor(min_score),
    }
    total = cases.count_alerts(who, **alert_filters)
    alert_paging = _Paging.of(page_asked, total, ALERT_PAGE_SIZE)
    alerts = (
        cases.alerts(who, **alert_filters, limit=ALERT_PAGE_SIZE, offset=alert_paging.offset) if total else []
    )
    now = datetime.now(UTC)
    for item in alerts:
        item["age_days"] = _age_days(item["created_at"], now)
    # the status of the cases this page's alerts belong to, and only those
    case_by_id = cases.cases_by_id(who, {a["case_id"] for a in alerts if a["case_id"] is not None})

    wanted_status = case_status if case_status in {s.value for s in CaseStatus} else None
    case_filters: dict[str, Any] = {
        "status": wanted_status,
        "exclude_status": CaseStatus.APPROVED.value if wanted_status is None else None,
        "assignee": assignee or None,
        "overdue": True if overdue == "1" else None,
        "now": now,  # one moment for the count, the filter and the rows' overdue flags
    }
    case_total = cases.count_cases(who, **case_filters)
    case_paging = _Paging.of(case_page_asked, case_total, CASE_PAGE_SIZE)
    shown_cases = (
        cases.list_cases(who, **case_filters, limit=CASE_PAGE_SIZE, offset=case_paging.offset)
        if case_total
        else []
    )

    filters = {
        "status": status,
        "source": source,
        "grouping": grouping,
        "min_score": min_score,
        "case_status": case_status,
        "assignee": assignee,
        "overdue": overdue,
    }
    sources = sorted({a["source"] for a in alerts} | set(ALERT_SOURCES) | ({source} if source else set()))
    pager = alert_paging.pager(len(alerts), total, lambda n: _alert_queue_url(filters, n, case_paging.page))
    case_pager = case_paging.pager(
        len(shown_cases), case_total, lambda n: _alert_queue_url(filters, alert_paging.page, n)
    )
    return render(
        ctx,
        "alerts.html",
        alerts=alerts,
        alert_total=total,
        pager=pager,
        cases=shown_cases,
        case_total=case_total,
        case_pager=case_pager,
        case_by_id=case_by_id,
        filters=filters,
        sources=sources,
        alert_statuses=ALERT_STATUSES,
        case_statuses=[s.value for s in CaseStatus],
        error=None,
    )


@router.get("/alerts/{alert_id}")
@page
def alert_page(alert_id: int, ctx: CtxDep, cases: CasesDep) -> Response:
    who = ctx.need("alert.read")
    item = cases.alert(who, alert_id)
    return render(ctx, "alert.html", alert=item)


@router.post("/alerts/case")
@page
def create_case(ctx: CtxDep, cases: CasesDep, form: FormDep) -> Response:
    who = ctx.need("case.work")
    ctx.check_csrf(form)
    try:
        ids = [int(v) for v in form.all("alert_id")]
    except ValueError:
        return error_page(ctx, 400, ctx.t("alerts.bad_selection"))
    if not ids:
        return error_page(ctx, 400, ctx.t("alerts.none_selected"))
    title = form.get("title").strip() or ctx.t("alerts.default_title", count=len(ids))
    assignee = form.optional("assignee")
    if assignee == "me":
        assignee = who.actor.removeprefix("user:")
    created = cases.create(who, title, ids, assignee)
    return redirect(ctx, f"/cases/{created['id']}")


def _case_page(
    ctx: Ctx, cases: CaseWorkflow, case_id: int, status: int = 200, error: str | None = None
) -> Response:
    who = ctx.need("case.read")
    case = cases.get(who, case_id)
    history = cases.history(who, case_id)
    for item in case["alerts"]:  # the match detail (features, alignments) for the explanation
        item["detail"] = cases.alert(who, item["id"]).get("detail")
    return render(
        ctx,
        "case.html",
        status,
        case=case,
        history=history,
        error=error,
        dispositions=[d.value for d in Disposition],
        editable=case["status"] in {CaseStatus.NEW, CaseStatus.IN_REVIEW, CaseStatus.RETURNED},
        own_proposal=case["proposed_by"] == who.actor,
        goaml_exports=list_exports(ctx.state.engine, who, case_id),
        goaml_profiles=profile_names(),
    )


@router.post("/cases/{case_id}/goaml")
@page
def case_goaml(case_id: int, ctx: CtxDep, cases: CasesDep, form: FormDep) -> Response:
    """The goAML button: export an approved 'file STR' case through the same function as the API."""
    who = ctx.need("case.work")
    ctx.check_csrf(form)
    try:
        context = load_context(form.get("context") or "{}")
        export_goaml(ctx.state.engine, who, case_id, profile=form.get("profile"), context=context)
    except NotFound:
        raise
    except RaqibError as err:
        return _case_page(ctx, cases, case_id, err.http_status, _error_text(ctx, err))
    return redirect(ctx, f"/cases/{case_id}#goaml")


@router.get("/cases/{case_id}/goaml/{version}")
@page
def case_goaml_file(case_id: int, version: int, ctx: CtxDep) -> Response:
    who = ctx.need("case.read")
    exported = {item["version"]: item for item in list_exports(ctx.state.engine, who, case_id)}
    if version not in exported:
        return error_page(ctx, 404, ctx.t("error.not_found"))
    with ctx.state.engine.connect() as conn:
        row = conn.execute(
            sa.select(report_export.c.content, report_export.c.filename).where(
                report_export.c.case_id == case_id,
                report_export.c.kind == EXPORT_KIND,
                report_export.c.version == version,
            )
        ).one()
    return Response(
        row.content,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{row.filename}"'},
    )


@router.get("/cases/{case_id}")
@page
def case_page(case_id: int, ctx: CtxDep, cases: CasesDep) -> Response:
    return _case_page(ctx, cases, case_id)


def _version(form: Form) -> int | None:
    value = form.get("version").strip()
    return int(value) if value.isdigit() else None


CASE_ACTIONS = ("review", "assign", "due", "comment", "evidence", "propose", "approve", "return")


@router.post("/cases/{case_id}/{action}")
@page
def case_action(case_id: int, action: str, ctx: CtxDep, cases: CasesDep, form: FormDep) -> Response:
    if action not in CASE_ACTIONS:
        return error_page(ctx, 404, ctx.t("error.not_found"))
    who = ctx.need("case.decide" if action in {"approve", "return"} else "case.work")
    ctx.check_csrf(form)
    version = _version(form)
    try:
        if action == "review":
            cases.start_review(who, case_id, version)
        elif action == "assign":
            assignee = form.optional("assignee")
            if assignee == "me":
                assignee = who.actor.removeprefix("user:")
            cases.assign(who, case_id, assignee, version)
        elif action == "due":
            due = _parse_due(form.get("due_at"))
            cases.set_due(who, case_id, due, form.get("reason"), version)
        elif action == "comment":
            cases.comment(who, case_id, form.get("body"))
        elif action == "evidence":
            upload = form.files.get("file")
            if upload is None:
                raise InvalidInput(ctx.t("case.no_file"), details={"field": "file"})
            cases.attach(who, case_id, upload.filename, upload.content, upload.media_type)
        elif action == "propose":
            try:
                disposition = Disposition(form.get("disposition"))
            except ValueError as err:
                raise InvalidInput(ctx.t("case.bad_disposition"), details={"field": "disposition"}) from err
            cases.propose(who, case_id, disposition, form.get("reason"), version)
        elif action == "approve":
            cases.approve(who, case_id, form.optional("note"), version)
        else:
            cases.return_case(who, case_id, form.get("reason"), version)
    except NotFound:
        raise
    except RaqibError as err:
        return _case_page(ctx, cases, case_id, err.http_status, _error_text(ctx, err))
    return redirect(ctx, f"/cases/{case_id}#{action}")


def _error_text(ctx: Ctx, err: RaqibError) -> str:
    """A translated sentence for the errors an analyst meets, with the server's detail after it."""
    known = {"four_eyes", "forbidden", "conflict", "invalid_input"}
    if err.code in known:
        return f"{ctx.t('case.error.' + err.code)} ({err.message})"
    return err.message


def _parse_due(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise InvalidInput(
            "the due date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM", details={"field": "due_at"}
        ) from err
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


# --- lists -----------------------------------------------------------------------------------------


@router.get("/lists")
@page
def lists_page(ctx: CtxDep) -> Response:
    ctx.need(READ_ROLES | {Role.API_CLIENT})
    return render(ctx, "lists.html", watchlists=ctx.state.store.watchlists())


@router.get("/lists/{list_id}")
@page
def list_page(
    list_id: str, ctx: CtxDep, diff_from: int | None = None, diff_to: int | None = None
) -> Response:
    ctx.need(READ_ROLES | {Role.API_CLIENT})
    store = ctx.state.store
    watchlist = store.watchlist(list_id)
    diff = None
    if diff_from is not None and diff_to is not None:
        old, new = store.version(diff_from), store.version(diff_to)
        if old.list_id != list_id or new.list_id != list_id:
            raise InvalidInput(f"versions {old.id} and {new.id} are not both versions of {list_id}")
        diff = diff_versions(store, old, new)
    else:
        pairs = default_pairs(store, list_id)
        if pairs:
            diff = diff_versions(store, *pairs[0])
    return render(
        ctx, "list.html", watchlist=watchlist, diff=diff, versions=list(reversed(watchlist.versions))
    )


@router.get("/entities/{entity_id}")
@page
def entity_page(entity_id: str, ctx: CtxDep, version: int | None = None) -> Response:
    ctx.need(READ_ROLES | {Role.API_CLIENT})
    entity = ctx.state.store.entity(entity_id, version)
    return render(ctx, "entity.html", entity=entity, record=entity.model_dump(mode="json"), version=version)


# --- payments and text -------------------------------------------------------------------------------


@router.get("/payments")
@page
def payments_form(ctx: CtxDep) -> Response:
    ctx.need(SCREEN_ROLES)
    return render(ctx, "payments.html", message="", result=None, error=None)


@router.post("/payments")
@page
def payments_check(ctx: CtxDep, form: FormDep) -> Response:
    who = ctx.need(SCREEN_ROLES)
    ctx.check_csrf(form)
    message = form.get("message")
    upload = form.files.get("file")
    if upload is not None and upload.content:
        message = upload.content.decode("utf-8", errors="replace")
    try:
        body = payment_routes.PaymentScreenRequest(message=message, source=form.optional("source"))
        result = payment_routes.screen_payment(body, ctx.state, who)
    except ValidationError as err:
        return render(ctx, "payments.html", 400, message=message, result=None, error=_validation_message(err))
    except RaqibError as err:
        return render(ctx, "payments.html", err.http_status, message=message, result=None, error=err.message)
    return render(ctx, "payments.html", message=message, result=result.model_dump(), error=None)


def highlight(text: str, mentions: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """The text cut into plain runs and mention runs (offsets in code points; overlaps: first wins)."""
    runs: list[tuple[str, dict[str, Any] | None]] = []
    position = 0
    for number, mention in enumerate(sorted(mentions, key=lambda m: (m["start"], -m["end"])), start=1):
        start, end = max(mention["start"], position), min(mention["end"], len(text))
        if start >= end:
            continue
        if start > position:
            runs.append((text[position:start], None))
        runs.append((text[start:end], {**mention, "number": number}))
        position = end
    if position < len(text):
        runs.append((text[position:], None))
    return runs


def _text_page(
    ctx: Ctx,
    status: int = 200,
    text: str = "",
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> Response:
    mentions = result["mentions"] if result else []
    return render(
        ctx,
        "text.html",
        status,
        text=text,
        result=result,
        mentions=sorted(mentions, key=lambda m: m["start"]),
        runs=highlight(text, mentions) if result else None,
        error=error,
    )


@router.get("/text")
@page
def text_form(ctx: CtxDep) -> Response:
    ctx.need(SCREEN_ROLES)
    return _text_page(ctx)


@router.post("/text")
@page
def text_check(ctx: CtxDep, form: FormDep) -> Response:
    who = ctx.need(SCREEN_ROLES)
    ctx.check_csrf(form)
    text = form.get("text")
    try:
        body = text_routes.TextScreenRequest(text=text)
        result = text_routes.screen_text(body, ctx.state, who)
    except ValidationError as err:
        return _text_page(ctx, 400, text, error=_validation_message(err))
    except RaqibError as err:
        return _text_page(ctx, err.http_status, text, error=err.message)
    return _text_page(ctx, text=text, result=result.model_dump())


# --- dashboard --------------------------------------------------------------------------------------


@router.get("/dashboard")
@page
def dashboard(ctx: CtxDep, cases: CasesDep) -> Response:
    who = ctx.need("alert.read")
    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=n)).isoformat() for n in range(DASHBOARD_DAYS - 1, -1, -1)]
    # counted in SQL: the numbers stay true however many alerts there are
    stats = cases.alert_stats(who, since=date.fromisoformat(days[0]), until=today)
    per_day: dict[str, dict[str, int]] = stats["per_day"]
    series = [
        (ctx.t(f"source.{s}"), [per_day.get(s, {}).get(d, 0) for d in days])
        for s in sorted(stats["by_source"])
    ]
    alerts_chart = charts.stacked_columns(ctx.t("dash.alerts_per_day"), days, series)

    case_stats = cases.open_case_stats(who, [(low, high) for low, high, _ in AGE_BUCKETS])
    buckets = [
        (ctx.t("dash.days", range=label), count, str(count))
        for (_, _, label), count in zip(AGE_BUCKETS, case_stats["by_age"], strict=True)
    ]
    age_chart = charts.horizontal_bars(
        ctx.t("dash.open_cases_by_age"), [(a, float(b), c) for a, b, c in buckets]
    )

    customers = CustomerRegister(ctx.state.engine).count()
    per_list: dict[str, int] = stats["by_list"]
    hit_rows = []
    for watchlist in ctx.state.store.watchlists():
        hits = per_list.get(watchlist.id, 0)
        rate = 100.0 * hits / customers if customers else 0.0
        hit_rows.append((watchlist.id, rate, f"{rate:.2f}% ({hits})"))
    hit_chart = charts.horizontal_bars(ctx.t("dash.hit_rate"), hit_rows)
    return render(
        ctx,
        "dashboard.html",
        alerts_chart=alerts_chart,
        age_chart=age_chart,
        hit_chart=hit_chart,
        buckets=buckets,
        hit_rows=hit_rows,
        series=series,
        totals={
            "alerts_open": stats["by_status"].get("open", 0),
            "cases_open": case_stats["open"],
            "overdue": case_stats["overdue"],
            "customers": customers,
            "proposed": case_stats["proposed"],
        },
        since=date.fromisoformat(days[0]),
    )


__all__ = ["CASE_ACTIONS", "SECURITY_HEADERS", "Ctx", "WebExit", "highlight", "router"]
