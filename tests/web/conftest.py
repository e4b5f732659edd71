"""Fixtures of the web app's tests: a real ledger built from the corpus (seeds and dev)
plus the documents in tests/web/data/ (two reports of one raid that disagree on the
count, and a hostile document full of markup), a reviewer, the app in-process, and for
the end-to-end tests the real server on loopback and real headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from eventledger.runner.run import ingest_paths
from eventledger.settings import Settings
from eventledger.store import Store, open_store
from eventledger.store.backend import is_postgres, pg_create_database, pg_drop_database
from eventledger.store.review import add_user
from browserutil import browser, page, start_server, stop_server  # noqa: F401  (fixtures)

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
REVIEWER, PASSWORD = "rita", "correct horse battery"


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def web_template(request, tmp_path_factory, corpus, profile) -> Iterator[Path | str]:
    """The ledger, built once per session and backend with the library; tests get copies
    of it: of the SQLite file, or of the PostgreSQL database (CREATE DATABASE ... TEMPLATE)."""
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        path: Path | str = pg_create_database(server, f"el_web_{os.getpid()}")
    else:
        path = tmp_path_factory.mktemp("web") / "template.db"
    store = open_store(path, profile)
    paths = [str(p) for p in sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))]
    paths += [str(DATA / "omaha_a.txt"), str(DATA / "omaha_b.txt"), str(DATA / "hostile.jsonl")]
    stats = ingest_paths(paths, store, profile, Settings(), progress=False)
    assert stats.failed == 0, stats.errors
    add_user(store, REVIEWER, PASSWORD)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    yield path
    if request.param == "postgresql":
        for name in [*_PG_COPIES.pop(str(path), []), urlsplit(str(path)).path.lstrip("/")]:
            pg_drop_database(server, name)


_PG_COPIES: dict[str, list[str]] = {}


def _copy(template: Path | str, dest: Path) -> Path | str:
    if is_postgres(template):  # a new database made from the template one, dropped with it
        name = f"{urlsplit(str(template)).path.lstrip('/')}_{len(_PG_COPIES.setdefault(str(template), [])) + 1}"
        _PG_COPIES[str(template)].append(name)
        return pg_create_database(str(template), name, template=urlsplit(str(template)).path.lstrip("/"))
    shutil.copyfile(template, dest)
    return dest


@pytest.fixture(scope="session")
def shared_ledger(web_template, tmp_path_factory) -> Path:
    """A ledger the read-only tests share (nothing may write to it)."""
    return _copy(web_template, tmp_path_factory.mktemp("shared") / "ledger.db")


@pytest.fixture
def fresh_ledger(web_template, tmp_path) -> Path:
    """A ledger of this test's own, to write reviews to."""
    return _copy(web_template, tmp_path / "ledger.db")


def _make_client(path: Path, profile, **web):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from eventledger.web import WebSettings, create_app

    store = open_store(path, profile)
    app = create_app(store, profile, Settings(), WebSettings(**{"tile_url": "", **web}))
    return TestClient(app, base_url="http://127.0.0.1"), store


@pytest.fixture
def make_client(profile):  # type: ignore[no-untyped-def]
    """make_client(ledger_path, **WebSettings) -> a TestClient of the app over that ledger."""
    opened = []

    def _make(path: Path, **web):  # type: ignore[no-untyped-def]
        c, store = _make_client(path, profile, **web)
        opened.append(store)
        return c

    yield _make
    for s in opened:
        s.close()


@pytest.fixture(scope="module")
def client(shared_ledger, profile):
    c, store = _make_client(shared_ledger, profile)
    with c:
        yield c
    store.close()


@pytest.fixture(scope="module")
def store(shared_ledger, profile) -> Iterator[Store]:
    s = open_store(shared_ledger, profile)
    yield s
    s.close()


@pytest.fixture(scope="session")
def known(web_template, profile) -> dict[str, str]:
    """Ids every copy of the ledger shares: the Omaha raid (two reports, 76 vs 107 arrested,
    tests/web/data/omaha_*.txt), its documents and the hostile document."""
    s = open_store(web_template, profile)
    try:
        row = s.db.execute("SELECT r.event_id, r.document_id FROM reports r JOIN documents d ON d.id = r.document_id"
                           " WHERE d.source LIKE '%omaha_a.txt'").fetchone()
        assert row, "the Omaha fixture made no event"
        hostile = s.db.execute("SELECT id FROM documents WHERE source LIKE 'javascript:%'").fetchone()[0]
        hostile_event = s.db.execute("SELECT event_id FROM reports WHERE document_id = ? ORDER BY idx", (hostile,)).fetchone()[0]
        omaha_b = s.db.execute("SELECT id FROM documents WHERE source LIKE '%omaha_b.txt'").fetchone()[0]
    finally:
        s.close()
    return {"conflict_event": row[0], "omaha_a": row[1], "omaha_b": omaha_b, "hostile_doc": hostile,
            "hostile_event": hostile_event}


# ---- end to end: the real server and a real browser ------------------------------------------

@pytest.fixture(scope="module")
def e2e_ledger(web_template, tmp_path_factory) -> Path:
    return _copy(web_template, tmp_path_factory.mktemp("e2e") / "ledger.db")


@pytest.fixture(scope="module")
def server(e2e_ledger) -> Iterator[str]:
    """`eventledger serve` in its own process on a free loopback port, map tiles off."""
    url, proc = start_server(e2e_ledger, "e2e-test-key")
    yield url
    stop_server(proc)


@pytest.fixture
def shoot():  # type: ignore[no-untyped-def]
    """shoot(page, NAME) writes docs/screenshots/NAME.png, linked from the README."""
    def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    return _shoot
