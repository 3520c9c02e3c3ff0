"""Who may do what: roles, API keys, users with passwords, sessions and permissions.

Roles are a closed set (:class:`Role`). Machines authenticate with API keys: a key is shown once
when created (``rqb_<prefix>_<secret>``); the store keeps only its SHA-256, so a database leak does
not leak usable keys. People log in with a password (argon2id) and get a server-side session
token (``rqs_...``, stored as SHA-256, with expiry and revocation). Either becomes a
:class:`Principal`; :func:`roles_for` says which roles may do each action, and
:func:`authorize` is checked by the server on every request, never by the UI.
"""

from raqib.auth.keys import ApiKey, ApiKeyStore, Role
from raqib.auth.users import (
    Forbidden,
    Principal,
    Session,
    Unauthenticated,
    User,
    UserStore,
    authorize,
    roles_for,
)

__all__ = [
    "ApiKey",
    "ApiKeyStore",
    "Forbidden",
    "Principal",
    "Role",
    "Session",
    "Unauthenticated",
    "User",
    "UserStore",
    "authorize",
    "roles_for",
]
