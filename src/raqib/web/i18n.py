"""UI strings as data: ``locales/{ar,en}.yml``, the chosen language and its writing direction.

Every word the web UI shows comes from a locale file, so a translator edits YAML, never a template.
The language is the ``raqib_lang`` cookie (set by ``/lang/{code}``), else the browser's
``Accept-Language``, else Arabic (Raqib is Arabic-first). A key missing from a locale falls back to
English and then to the key itself, so a half-translated page is still usable; ``tests/web`` checks
that both files hold the same keys.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
LANG_COOKIE = "raqib_lang"
RTL_LANGUAGES = frozenset({"ar"})

Translate = Callable[..., str]


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat ``key -> text`` table of one language (read once per process)."""
    text = resources.files("raqib.web").joinpath("locales", f"{lang}.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    strings: dict[str, str] = data["strings"]
    return strings


def direction(lang: str) -> str:
    """``rtl`` or ``ltr`` for the ``dir`` attribute of the page."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def translator(lang: str) -> Translate:
    """A ``t(key, **values)`` function for one language; values fill ``{name}`` placeholders."""
    own, english = catalogue(lang), catalogue("en")

    def translate(key: str, **values: Any) -> str:
        text = own.get(key) or english.get(key) or key
        return text.format(**values) if values else text

    return translate


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language, else the first supported one the browser asks for, else Arabic."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANG_COOKIE",
    "RTL_LANGUAGES",
    "Translate",
    "catalogue",
    "choose_language",
    "direction",
    "translator",
]
