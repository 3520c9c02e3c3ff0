"""Who may do what: roles and API keys.

Roles are a closed set (:class:`Role`). Machines authenticate with API keys: a key is shown once
when created (``rqb_<prefix>_<secret>``); the store keeps only its SHA-256, so a database leak does
not leak usable keys. Permissions are checked by the server on every request, never by the UI.
"""

from raqib.auth.keys import ApiKey, ApiKeyStore, Role

__all__ = ["ApiKey", "ApiKeyStore", "Role"]
