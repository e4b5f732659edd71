"""What the browser tests share (tests/web, tests/kit): `eventledger serve` on a free loopback
port, and the headless Chromium fixtures. The conftests import the fixtures from here."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(ledger: Path | str, secret: str) -> tuple[str, subprocess.Popen]:  # type: ignore[type-arg]
    """`eventledger serve` over ``ledger`` in its own process, map tiles off; (base URL, process)
    once it listens (the test fails if it exits or does not listen within 60 s)."""
    port = free_port()
    env = dict(os.environ, EVENTLEDGER_SECRET_KEY=secret)
    proc = subprocess.Popen([sys.executable, "-m", "eventledger", "serve", "--db", str(ledger), "--port", str(port),
                             "--tiles", ""], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"eventledger serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return f"http://127.0.0.1:{port}", proc
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("eventledger serve did not listen within 60 s")
            time.sleep(0.1)


def stop_server(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-browser.sh (CI runs it before the tests)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser context; console errors, page errors and dialogs are recorded on it."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))

    def on_dialog(d):  # type: ignore[no-untyped-def]
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    ctx.close()
