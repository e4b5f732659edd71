"""Fixtures of the kit's tests: a small ledger of articles written for these tests (one raid
with its event), the files the tests make, and the reviewer of the web tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventledger.runner.run import ingest_paths
from eventledger.settings import Settings
from eventledger.store import Store, open_store

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def kit_template(tmp_path_factory, profile) -> Path:
    path = tmp_path_factory.mktemp("kit") / "template.db"
    store = open_store(path, profile)
    stats = ingest_paths([str(DATA / "boise_raid.txt")], store, profile, Settings(), progress=False)
    assert stats.failed == 0
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def ledger(kit_template, tmp_path) -> Path:
    """A copy of the small ledger, this test's own."""
    dest = tmp_path / "ledger.db"
    shutil.copyfile(kit_template, dest)
    return dest


@pytest.fixture
def kstore(ledger, profile) -> Store:
    s = open_store(ledger, profile)
    yield s
    s.close()


@pytest.fixture
def raid(kstore) -> str:
    """The ledger event of the Boise raid (arrested 23)."""
    row = kstore.db.execute("SELECT r.event_id FROM reports r JOIN figures f ON f.event_id = r.event_id"
                            " WHERE f.value = 23 LIMIT 1").fetchone()
    assert row, "the fixture article made no event with its figure"
    return row[0]


@pytest.fixture
def make_client(profile):  # type: ignore[no-untyped-def]
    """make_client(ledger_path) -> a TestClient of the web app over that ledger."""
    from fastapi.testclient import TestClient

    from eventledger.web import WebSettings, create_app

    opened = []

    def _make(path):  # type: ignore[no-untyped-def]
        store = open_store(path, profile)
        opened.append(store)
        return TestClient(create_app(store, profile, Settings(), WebSettings(tile_url="")), base_url="http://127.0.0.1")
    yield _make
    for s in opened:
        s.close()


# ---- end to end: `eventledger serve` and real headless Chromium ----------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    """serve(ledger) -> the base URL of `eventledger serve` over it on a free loopback port."""
    procs = []

    def _serve(ledger: Path) -> str:
        port = _free_port()
        env = dict(os.environ, EVENTLEDGER_SECRET_KEY="kit-e2e-key")
        proc = subprocess.Popen([sys.executable, "-m", "eventledger", "serve", "--db", str(ledger), "--port", str(port),
                                 "--tiles", ""], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(proc)
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"eventledger serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return f"http://127.0.0.1:{port}"
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("eventledger serve did not listen within 60 s")
                time.sleep(0.1)
    yield _serve
    for p in procs:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser context; console errors and page errors (CSP violations) are recorded."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    yield pg
    ctx.close()
