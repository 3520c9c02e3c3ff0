"""The REST API (FastAPI): screening, lists and entities, behind API keys with roles.

``create_app(settings)`` builds the application; ``raqib serve`` runs it with uvicorn. Every
error has one JSON shape, ``{"ok": false, "code", "message", "details"}``; OpenAPI is at ``/docs``.
"""

from raqib.api.app import configure_logging, create_app

__all__ = ["configure_logging", "create_app"]
