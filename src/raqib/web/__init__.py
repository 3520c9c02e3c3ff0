"""The analyst's web application: server-rendered pages in Arabic and English.

Served by the API process (``raqib serve``) under ``/``, beside the JSON API under ``/v1``; no build
step, no CDN, no network. Pages are Jinja2 templates (``templates/``) with one stylesheet and a
small script for progressive enhancement (``static/``); charts are SVG drawn on the server
(:mod:`raqib.web.charts`). Every word comes from ``locales/{ar,en}.yml`` (:mod:`raqib.web.i18n`);
an Arabic page is ``<html lang="ar" dir="rtl">`` and the stylesheet uses logical properties only,
so one layout serves both directions; names are wrapped in ``<bdi>`` so a Latin name inside an
Arabic sentence (and the reverse) keeps its order.

Security: the session is the API's server-side session (:mod:`raqib.auth`) in an HttpOnly,
SameSite=Strict cookie, Secure over HTTPS; every form POST carries a per-session CSRF token
(:mod:`raqib.web.csrf`); every action calls the same function the API calls with the signed-in
principal, so the same permission and four-eyes checks apply (:mod:`raqib.web.routes`).
"""

from pathlib import Path

from raqib.web.routes import router

STATIC_DIR = Path(__file__).parent / "static"

__all__ = ["STATIC_DIR", "router"]
