"""Shared fixtures: the shipped profile, default settings, the corpus beside the repo."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgutil import pg_database  # noqa: F401  (tests import it from here too)

from eventledger.normalise import normalise
from eventledger.pipeline import process
from eventledger.profile import load_profile
from eventledger.records import RawDocument
from eventledger.settings import Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current output")


@pytest.fixture(scope="session")
def profile():
    return load_profile()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "dev").is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


PG_ENV = "EVENTLEDGER_TEST_PG"


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server of the postgresql tests: $EVENTLEDGER_TEST_PG, the URL that
    `scripts/start-postgres.sh` prints. Unset, those tests skip on a workstation and fail
    in CI (where .ci/run sets CI and starts the server), so CI never passes without them."""
    url = os.environ.get(PG_ENV)
    if not url:
        msg = f"{PG_ENV} is not set: run `export {PG_ENV}=$(scripts/start-postgres.sh)` to test the PostgreSQL backend"
        if os.environ.get("CI"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return url




@pytest.fixture
def pg_db(pg_server) -> Iterator[str]:
    """A fresh PostgreSQL database of this test's own, dropped afterwards: its URL."""
    with pg_database(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def ledger_db(request, tmp_path) -> Iterator[str]:
    """Where a fresh, empty ledger lives: what `--db` and `open_store()` take.

    Every ledger test gets its store location from here, so the suite runs on each storage
    backend: an SQLite file, and a database of its own on the PostgreSQL server (dropped
    after the test).
    """
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    with pg_database(request.getfixturevalue("pg_server")) as url:
        yield url


def make_raw(text: str, published: str | None = None, source: str = "test.txt") -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument(
        id=hashlib.sha256(data).hexdigest(), source=source, text=text, published=published,
        published_basis="metadata" if published else None, raw=data,
    )


@pytest.fixture(scope="session")
def run(profile, settings):
    """Extract one hand-written text: run(text, published=None) -> Extraction."""

    def _run(text: str, published: str | None = None):
        return process(make_raw(text, published), profile, settings)

    return _run


@pytest.fixture(scope="session")
def corpus_records(corpus, profile, settings):
    """Extraction records of every seed and dev text, keyed by basename."""
    out = {}
    for f in sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt")):
        data = f.read_bytes()
        raw = RawDocument(id=hashlib.sha256(data).hexdigest(), source=str(f), text=data.decode("utf-8"), raw=data)
        out[f.stem] = process(raw, profile, settings)
    return out


__all__ = ["CORPUS", "make_raw", "normalise", "pg_database"]


import resource as _resource

_INITIAL_AS = _resource.getrlimit(_resource.RLIMIT_AS)


@pytest.fixture(autouse=True)
def _address_space_limit_restored() -> Iterator[None]:
    """A command run in this process (Typer's CliRunner, also from a module's fixture) caps the
    address space for its documents (limits.cap_memory, as the real CLI does for its own
    process); put the session's limit back after every test, or a browser launched later
    from this process inherits the cap and cannot start."""
    yield
    if _resource.getrlimit(_resource.RLIMIT_AS) != _INITIAL_AS:
        _resource.setrlimit(_resource.RLIMIT_AS, _INITIAL_AS)
