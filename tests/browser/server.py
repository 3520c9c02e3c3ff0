"""A real Raqib server for browser tests and the screenshot script.

:func:`running_server` builds a world in a temporary ``RAQIB_HOME`` (the UN extract of
2017-06-30 and 2017-07-03, a small customer register screened into real alerts, and the users of
``tests.web.conftest.USERS`` with real argon2id hashes), then starts ``uvicorn`` on 127.0.0.1 and a
free port in a subprocess, exactly as ``raqib serve`` runs the app, and waits until it is ready.
:func:`launch_chromium` starts Debian's Chromium through Playwright (never a downloaded browser).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from tests.web.conftest import build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]


def browser_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright; no browser download)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/ready", timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server at {url} was not ready after {timeout} s")


@contextmanager
def running_server(home: Path) -> Iterator[str]:
    """Build the world in ``home``, serve it, yield the base URL; stop the server afterwards."""
    _settings, engine, _users = build_world(home, hasher=PasswordHasher())
    engine.dispose()
    port = free_port()
    log = (home / "server.log").open("wb")  # a file, not a pipe: a full pipe would block the server
    env = {**os.environ, "RAQIB_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    env.pop("RAQIB_DB", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "raqib.api.app:serve_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=home,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, no network services of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
