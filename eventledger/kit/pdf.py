"""A dossier printed to PDF: :func:`render_pdf` serves the ledger with the web app on a free
loopback port inside this process and has headless Chromium print ``/kit/dossier/<target>``,
so the PDF is the HTML the web app shows (eventledger/kit/dossier.py gathers what it shows).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from eventledger.kit.dossier import DossierError

__all__ = ["CHROMIUM", "fetch_page", "render_pdf", "served"]

CHROMIUM = os.environ.get("EVENTLEDGER_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class served:
    """The web app over ``ledger`` on a free 127.0.0.1 port in a background thread (a context manager)."""

    def __init__(self, ledger: str, profile: Any = None) -> None:
        self.ledger, self.profile = ledger, profile

    def __enter__(self) -> str:
        import uvicorn

        from eventledger.settings import Settings
        from eventledger.store import open_store
        from eventledger.web import WebSettings, create_app

        self.store = open_store(self.ledger, self.profile)
        app = create_app(self.store, self.store.profile, Settings(), WebSettings(tile_url=""))
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, name="eventledger-dossier", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise DossierError("the web app did not start to render the dossier")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.store.close()


def fetch_page(base: str, path: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(base + path, timeout=60) as r:
        return r.read()


def render_pdf(ledger: str, target: str, out: Path, profile: Any = None, timeout_s: float = 120) -> bytes:
    """Print the web app's dossier page of ``target`` (an event or a story) to ``out`` with headless
    Chromium; returns the HTML that was printed."""
    import urllib.error

    chromium = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise DossierError(f"Chromium not found at {CHROMIUM} (set EVENTLEDGER_CHROMIUM, or run scripts/install-browser.sh)")
    with served(ledger, profile) as base:
        path = f"/kit/dossier/{target}"
        try:
            html = fetch_page(base, path)
        except urllib.error.HTTPError as e:
            raise DossierError(f"no event or story {target}" if e.code == 404 else
                               f"no dossier for {target}: {e.code} {e.reason}") from e
        with tempfile.TemporaryDirectory(prefix="eventledger-pdf-") as tmp:
            target = Path(tmp) / "dossier.pdf"
            cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={target}", base + path]
            try:
                proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s)
            except subprocess.TimeoutExpired as e:
                raise DossierError(f"Chromium took over {timeout_s:g} s to print the dossier") from e
            if not target.exists() or target.stat().st_size == 0:
                err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                raise DossierError(f"Chromium did not print the dossier: {err[-1] if err else proc.returncode}")
            try:
                shutil.copyfile(target, out)
            except OSError as e:
                raise DossierError(f"{out}: cannot write: {e.strerror or e}") from e
    return html
