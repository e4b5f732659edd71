"""The PostgreSQL ledger: the SQL translation, the same ledger on both backends, two
ingesters writing one PostgreSQL ledger at once, verify, search, and versioned migrations
(upgrade an older ledger, refuse a newer one, roll back a failed step) on both backends.

Tests needing a server take `pg_server` or `ledger_db` (see conftest: skipped locally and
failing in CI when $EVENTLEDGER_TEST_PG is unset)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventledger.errors import StoreError
from eventledger.ingest import read_inputs
from eventledger.ledger.compare import build_event_record
from eventledger.runner.run import ingest_paths
from eventledger.pipeline import process
from eventledger.records import RawDocument
from eventledger.settings import Settings
from eventledger.store import Store
from eventledger.store import schema as schema_mod
from eventledger.store.backend import connect, display_location, translate
from eventledger.store.pg_schema import PG_MIGRATIONS
from eventledger.store.schema import MIGRATIONS, migrate

REPO = Path(__file__).resolve().parents[1]
EVENTLEDGER = str(Path(sys.executable).with_name("eventledger"))


# ---- the SQL translation (no server needed) -----------------------------------------------

@pytest.mark.parametrize(("sqlite_sql", "pg_sql"), [
    ("SELECT 1 FROM documents WHERE id = ?", "SELECT 1 FROM documents WHERE id = %s"),
    ("SELECT '?', \"a?\" FROM t WHERE x = ?", "SELECT '?', \"a?\" FROM t WHERE x = %s"),
    ("SELECT id FROM t WHERE a LIKE '%\"' || ? || '\"%' ESCAPE '!'",
     "SELECT id FROM t WHERE a ILIKE '%%\"' || %s || '\"%%' ESCAPE '!'"),
    ("INSERT OR IGNORE INTO entities(id, kind) VALUES (?,?)",
     "INSERT INTO entities(id, kind) VALUES (%s,%s) ON CONFLICT DO NOTHING"),
    ("SELECT r.event_id FROM reports r, json_each(r.actors) a WHERE a.value = ?",
     "SELECT r.event_id FROM reports r, json_array_elements_text((r.actors)::json) AS a(value) WHERE a.value = %s"),
    ("SELECT * FROM q WHERE s IN (SELECT value FROM json_each(?)) ORDER BY d, i",
     "SELECT * FROM q WHERE s IN (SELECT value FROM json_array_elements_text((%s)::json) AS _je(value))"
     " ORDER BY d NULLS FIRST, i NULLS FIRST"),
    ("SELECT e.id FROM events e ORDER BY e.date DESC, e.first_seq LIMIT ? OFFSET ?",
     "SELECT e.id FROM events e ORDER BY e.date DESC NULLS LAST, e.first_seq NULLS FIRST"
     " LIMIT NULLIF(GREATEST(%s, -1), -1) OFFSET %s"),
    ("SELECT x FROM t ORDER BY CASE WHEN a IS NULL THEN 1 ELSE 0 END, f(a, b) DESC",
     "SELECT x FROM t ORDER BY CASE WHEN a IS NULL THEN 1 ELSE 0 END NULLS FIRST, f(a, b) DESC NULLS LAST"),
    ("SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?",
     "SELECT d.id FROM documents_fts JOIN documents d ON d.seq = documents_fts.seq"
     " WHERE documents_fts.tsv @@ websearch_to_tsquery('simple', %s)"),
])
def test_translate(sqlite_sql: str, pg_sql: str) -> None:
    assert translate(sqlite_sql).sql == pg_sql


def test_translate_transactions_and_pragmas() -> None:
    assert translate("BEGIN IMMEDIATE").kind == "begin_write"
    assert translate("PRAGMA wal_checkpoint(TRUNCATE)").kind == "noop"
    assert translate("COMMIT").sql == "COMMIT"
    with pytest.raises(sqlite3.OperationalError, match="INSERT OR REPLACE"):
        translate("INSERT OR REPLACE INTO t VALUES (?)")


def test_password_is_masked_in_messages() -> None:
    assert display_location("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    with pytest.raises(StoreError, match="not a PostgreSQL URL"):
        connect("postgresql:/u:secret@h/db")  # what pathlib.Path makes of a URL


def test_every_migration_has_a_postgresql_script() -> None:
    """A migration appended to schema.MIGRATIONS needs its twin in store/pg_schema.py."""
    assert list(PG_MIGRATIONS) == [name for name, _ in MIGRATIONS]


# ---- one ledger, two backends ------------------------------------------------------------

def _columns(store: Store) -> dict[str, list[str]]:
    if store.backend == "sqlite":
        tables = [r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: [c[1] for c in store.db.execute(f"PRAGMA table_info({t})")] for t in tables
                if not t.startswith(("documents_fts", "sqlite_"))}
    out: dict[str, list[str]] = {}
    for r in store.db.execute("SELECT table_name, column_name FROM information_schema.columns"
                              " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"):
        if not r[0].startswith("documents_fts"):
            out.setdefault(r[0], []).append(r[1])
    return out


@pytest.mark.postgresql
def test_both_schemas_have_the_same_tables_and_columns(tmp_path, pg_db) -> None:
    with Store(tmp_path / "l.db") as lite, Store(pg_db) as pg:
        assert _columns(pg) == _columns(lite)
        assert [r[0] for r in pg.db.execute("SELECT name FROM migrations ORDER BY name")] == \
            [r[0] for r in lite.db.execute("SELECT name FROM migrations ORDER BY name")]


def _ledger(store: Store) -> dict[str, object]:
    ids = store.event_ids()
    return {
        "counts": store.counts(),
        "order": [(r["date"], r["first_seq"]) for r in
                  (store.db.execute("SELECT date, first_seq FROM events WHERE id = ?", (i,)).fetchone() for i in ids)],
        "events": sorted((build_event_record(store.event_rows(i)) for i in ids), key=lambda r: r["id"]),
        "documents": list(store.documents()),
        "figures": store.figure_rows(),
        "filtered": [sorted(store.event_ids(type_="COERCE", place="Los Angeles")),
                     sorted(store.event_ids(actor="ICE")), sorted(store.event_ids(date_from="2025-06", date_to="2025-09"))],
        "search": sorted(r["id"] for r in store.search("National Guard troops")),
    }


@pytest.mark.postgresql
def test_same_ledger_on_both_backends(tmp_path, pg_db, corpus, profile) -> None:
    paths = [str(p) for p in sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))]
    got = {}
    for name, loc in (("sqlite", str(tmp_path / "l.db")), ("postgresql", pg_db)):
        with Store(loc, profile) as store:
            stats = ingest_paths(paths, store, profile, Settings(), progress=False)
            assert stats.failed == 0 and stats.added == len(paths)
            assert store.verify() == []
            got[name] = _ledger(store)
    lite, pg = got["sqlite"], got["postgresql"]
    assert lite["counts"]["events"] > 10 and lite["search"]
    for key in lite:
        assert pg[key] == lite[key], key


# ---- two ingesters, one PostgreSQL ledger -------------------------------------------------

def _synth():  # type: ignore[no-untyped-def]
    if "eventledger_bench_synth" in sys.modules:
        return sys.modules["eventledger_bench_synth"]
    spec = importlib.util.spec_from_file_location("eventledger_bench_synth", REPO / "benchmarks" / "synth.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = mod  # type: ignore[union-attr]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.mark.slow
@pytest.mark.postgresql
def test_two_ingesters_at_once_lose_and_duplicate_nothing(tmp_path, pg_db, corpus, profile) -> None:
    """Two `eventledger ingest` processes, one reading the documents forwards and the other
    backwards, write one new PostgreSQL ledger at the same time. Every document is stored
    once, and the ledger equals a serial ingest in the order they were committed."""
    n = 120
    forward = _synth().write_corpus(tmp_path / "forward.jsonl", n, seed=7)
    lines = forward.read_bytes().splitlines(keepends=True)
    backward = tmp_path / "backward.jsonl"
    backward.write_bytes(b"".join(reversed(lines)))
    url = pg_db
    env = {**os.environ, "EVENTLEDGER_DB": url}
    gate = connect(url)  # hold the writer lock until both have started and wait for it: a fair start
    gate.execute("BEGIN IMMEDIATE")
    procs = [subprocess.Popen([EVENTLEDGER, "ingest", "-q", str(f)], env=env, stderr=subprocess.PIPE, text=True)
             for f in (forward, backward)]
    deadline, watch = time.monotonic() + 120, connect(url)  # (a transaction sees one snapshot of the stats)
    while watch.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND wait_event = 'advisory'").fetchone()[0] < 2:
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "the ingesters did not start"
        time.sleep(0.1)
    gate.execute("COMMIT")
    gate.close()
    watch.close()
    outs = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    added = [int(re.search(r"added (\d+), already stored (\d+)", o).group(1)) for o in outs]  # type: ignore[union-attr]
    assert sum(added) == n and min(added) > 0, outs  # both wrote: they ran at the same time

    with Store(url, profile) as pg:
        assert pg.verify() == []
        docs = list(pg.documents())
        assert [d["seq"] for d in docs] == list(range(1, n + 1))
        assert len({d["id"] for d in docs}) == n
        assert pg.db.execute("SELECT COUNT(*) FROM log").fetchone()[0] == n
        assert pg.db.execute("SELECT COUNT(*) FROM (SELECT document_id, idx FROM reports"
                             " GROUP BY document_id, idx HAVING COUNT(*) > 1) d").fetchone()[0] == 0
        concurrent = _ledger(pg)

    # the same documents, stored one by one in the committed order, into SQLite
    raws = {r.id: r for r in read_inputs([str(forward)], Settings())}
    with Store(tmp_path / "serial.db", profile) as lite:
        for d in docs:
            raw = raws[d["id"]]
            assert lite.add(raw, process(raw, profile, Settings())).added
        serial = _ledger(lite)
    assert concurrent["counts"] == serial["counts"]
    assert concurrent["events"] == serial["events"]
    assert [dict(d, ingested_at=None) for d in concurrent["documents"]] == \
        [dict(d, ingested_at=None) for d in serial["documents"]]


# ---- verify and search on PostgreSQL -------------------------------------------------------

def _ingest_dev(loc: str, corpus: Path, profile) -> Store:  # type: ignore[no-untyped-def]
    store = Store(loc, profile)
    stats = ingest_paths([str(p) for p in sorted((corpus / "dev").glob("*.txt"))], store, profile, Settings(), progress=False)
    assert stats.failed == 0
    return store


@pytest.mark.postgresql
def test_verify_finds_an_edited_row_and_a_broken_chain(pg_db, corpus, profile) -> None:
    with _ingest_dev(pg_db, corpus, profile) as store:
        assert store.verify() == []
        fid, doc = store.db.execute("SELECT id, document_id FROM figures ORDER BY id LIMIT 1").fetchone()
        store.db.execute("UPDATE figures SET value = value + 1 WHERE id = ?", (fid,))
        store.db.execute("UPDATE blobs SET data = data || '\\x00'::bytea WHERE sha256 = ?", (doc,))
        store.db.execute("UPDATE log SET at = '2000-01-01T00:00:00+00:00' WHERE seq = 2")
        problems = store.verify()
        assert f"document {doc} " in "\n".join(problems)
        assert any("figures rows changed" in p for p in problems)
        assert any(doc in p and "stored bytes do not match" in p for p in problems)
        assert any(p.startswith("log entry 2 ") and "hash chain broken" in p for p in problems)


@pytest.mark.postgresql
def test_search_on_postgresql(pg_db, corpus, profile) -> None:
    with _ingest_dev(pg_db, corpus, profile) as store:
        hits = store.search("National Guard")
        assert hits
        for h in hits:
            text = store.db.execute("SELECT text FROM documents WHERE id = ?", (h["id"],)).fetchone()[0].lower()
            assert "national" in text and "guard" in text
            assert "[" in h["snippet"] and "]" in h["snippet"]
        assert store.search("zzyzx-no-such-word") == []
        assert store.search("   ") == []
        assert isinstance(store.search('"unbalanced -quote OR ('), list)  # any text is a query, never an error


# ---- migrations, on both backends ----------------------------------------------------------

def test_an_older_ledger_is_upgraded(ledger_db, run) -> None:
    db = connect(ledger_db)
    assert migrate(db, ledger_db, upto="001_initial") == ["001_initial"]
    db.close()
    with Store(ledger_db) as store:  # an ingest made by a version without reviews
        store.add(*_doc(run))
    with Store(ledger_db) as store:
        names = [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY name")]
        assert names == [n for n, _ in MIGRATIONS]
        assert store.db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
        assert store.counts()["documents"] == 1 and store.verify() == []
    with Store(ledger_db) as store:  # nothing left to do: opening again applies nothing
        assert migrate(store.db, ledger_db) == []


def test_a_newer_ledger_is_refused(ledger_db) -> None:
    with Store(ledger_db) as store:
        store.db.execute("INSERT INTO migrations(name, applied_at) VALUES ('999_from_the_future', '2099-01-01')")
    with pytest.raises(StoreError, match=r"written by a newer eventledger.*999_from_the_future.*upgrade eventledger"):
        Store(ledger_db)


def test_a_failed_migration_leaves_the_ledger_as_it_was(ledger_db, monkeypatch) -> None:
    Store(ledger_db).close()
    name, last = f"{len(MIGRATIONS) + 1:03d}_broken", MIGRATIONS[-1][0]
    broken = (name, "CREATE TABLE half_done (a TEXT);\nINSERT INTO no_such_table VALUES (1);\n")
    monkeypatch.setattr(schema_mod, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setitem(PG_MIGRATIONS, *broken)
    with pytest.raises(StoreError, match=rf"cannot upgrade the ledger: migration {name} failed \(.+\); it was rolled back and the ledger stays at {last}"):
        Store(ledger_db)
    monkeypatch.undo()
    with Store(ledger_db) as store:
        assert [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY name")] == [n for n, _ in MIGRATIONS]
        with pytest.raises(sqlite3.OperationalError):
            store.db.execute("SELECT * FROM half_done")


def _doc(run):  # type: ignore[no-untyped-def]
    text = "Federal agents arrested 12 people in Charlotte on June 3, 2025, ICE said."
    ext = run(text, "2025-06-04")
    data = text.encode()
    return RawDocument(id=ext.document.id, source="test.txt", text=text, published="2025-06-04",
                       published_basis="metadata", raw=data), ext


@pytest.mark.postgresql
def test_cli_takes_a_postgresql_url(pg_db, corpus) -> None:
    url = pg_db
    dev = sorted((corpus / "dev").glob("*.txt"))[:3]
    r = subprocess.run([EVENTLEDGER, "ingest", "-q", *map(str, dev), "--db", url], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "added 3" in r.stderr
    r = subprocess.run([EVENTLEDGER, "verify", "--db", url], capture_output=True, text=True)
    assert r.returncode == 0 and "3 sources" in r.stdout + r.stderr, r.stdout + r.stderr
    r = subprocess.run([EVENTLEDGER, "events", "--json", "--db", url], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout and all(json.loads(line)["reports"] for line in r.stdout.splitlines())
    started = time.monotonic()
    r = subprocess.run([EVENTLEDGER, "events", "--db", "postgresql://nobody:pw@127.0.0.1:1/none"], capture_output=True, text=True)
    assert r.returncode == 2 and "cannot connect to PostgreSQL" in r.stderr and "pw" not in r.stderr
    assert time.monotonic() - started < 30
