"""Fixtures of the kit's tests: a small ledger of articles written for these tests (one raid
with its event), the files the tests make, and the reviewer of the web tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventledger.runner.run import ingest_paths
from eventledger.settings import Settings
from eventledger.store import Store, open_store
from browserutil import browser, page, start_server, stop_server  # noqa: F401  (fixtures)

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]


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

@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    """serve(ledger) -> the base URL of `eventledger serve` over it on a free loopback port."""
    procs = []

    def _serve(ledger: Path) -> str:
        url, proc = start_server(ledger, "kit-e2e-key")
        procs.append(proc)
        return url
    yield _serve
    for p in procs:
        stop_server(p)


