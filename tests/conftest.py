"""Shared fixtures: the shipped profile, default settings, the corpus beside the repo."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

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


@pytest.fixture
def ledger_db(tmp_path) -> str:
    """Where a fresh, empty ledger lives: what `--db` and `open_store()` take.

    Every ledger test gets its store location from here, so the suite can run on each
    storage backend (an SQLite file by default).
    """
    return str(tmp_path / "ledger.db")


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


__all__ = ["CORPUS", "make_raw", "normalise"]
