"""CSRF protection for the web forms: a token per session, checked on every POST.

Signed in, the token is derived from the session token the browser holds in its HttpOnly cookie
(``HMAC-SHA256(session token, "raqib-csrf")``): it changes with every login, needs no storage, and
another site can neither read the cookie nor compute the token. Before sign-in (the login form
itself) a random value is kept in a short-lived cookie and must come back in the form (double
submit). Both are compared in constant time. SameSite=Strict cookies are a second line of defence,
not the only one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PRE_SESSION_COOKIE = "raqib_csrf"
FIELD = "csrf_token"


def session_token(session_secret: str) -> str:
    """The CSRF token of a signed-in session (stable for the session's life)."""
    return hmac.new(session_secret.encode(), b"raqib-csrf", hashlib.sha256).hexdigest()


def new_pre_session_token() -> str:
    return secrets.token_urlsafe(32)


def expected_token(session_secret: str | None, pre_session: str | None) -> str | None:
    """What a form must carry: the session's token when signed in, else the pre-session cookie."""
    if session_secret:
        return session_token(session_secret)
    return pre_session or None


def valid(submitted: str | None, expected: str | None) -> bool:
    """True when the form's token is present and equals the expected one (constant time)."""
    if not submitted or not expected:
        return False
    return hmac.compare_digest(submitted.encode(), expected.encode())


__all__ = ["FIELD", "PRE_SESSION_COOKIE", "expected_token", "new_pre_session_token", "session_token", "valid"]
