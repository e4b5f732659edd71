"""The ledger store on real ledgers built from the corpus: what one ingest stores, repeating
it, bad inputs beside good ones, a run killed with SIGKILL and rerun, tampering found by
`verify`, and a ledger written by a newer eventledger refused."""

from __future__ import annotations

import hashlib
import io
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.errors import StoreError
from eventledger.runner.run import ingest_paths
from eventledger.store.schema import MIGRATIONS
from eventledger.store import open_store

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

TABLES = ("blobs", "documents", "document_bands", "entities", "entity_aliases", "entity_roles", "mentions",
          "figures", "quotes", "events", "reports", "log")


def corpus_files(corpus: Path) -> list[str]:
    return sorted(str(p) for d in ("seeds", "dev") for p in (corpus / d).glob("*.txt"))


def cli(*args: str, db: str) -> Result:
    """Run the real command line in this process (a fresh process only where it matters)."""
    return Result(CliRunner().invoke(app, [*args, "--db", db]))


class Result:
    def __init__(self, r) -> None:  # type: ignore[no-untyped-def]
        self.returncode, self.stdout, self.stderr = r.exit_code, r.stdout, r.stderr
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise r.exception


def ingest(db: str, paths: list[str], profile, settings):  # type: ignore[no-untyped-def]
    with open_store(db, profile) as store:
        stats = ingest_paths(paths, store, profile, settings, progress=False)
        return stats, store.counts()


def dump(db: str) -> dict[str, list[tuple]]:
    """Every row of every ledger table, in a stable order."""
    with open_store(db) as store:
        out = {}
        for t in TABLES:
            rows = [tuple(r) for r in store.db.execute(f"SELECT * FROM {t}")]
            out[t] = sorted(rows, key=repr)
        return out


def grouping(db: str) -> dict[str, list[str]]:
    """Ledger event id -> its report ids."""
    with open_store(db) as store:
        out: dict[str, list[str]] = {}
        for r in store.db.execute("SELECT event_id, id FROM reports ORDER BY id"):
            out.setdefault(r[0], []).append(r[1])
        return out


# ---- one ingest ------------------------------------------------------------------------------

def test_ingest_stores_sources_and_every_item_with_its_span(ledger_db, corpus, profile, settings, corpus_records):
    files = corpus_files(corpus)
    stats, counts = ingest(ledger_db, files, profile, settings)
    assert (stats.added, stats.failed) == (len(files), 0)
    assert counts["documents"] == len(files)
    with open_store(ledger_db) as store:
        for f in files:
            data = Path(f).read_bytes()
            doc_id = hashlib.sha256(data).hexdigest()
            rec = corpus_records[Path(f).stem]
            assert rec.document.id == doc_id
            blob = store.db.execute("SELECT data, size FROM blobs WHERE sha256 = ?", (doc_id,)).fetchone()
            assert bytes(blob[0]) == data and blob[1] == len(data)  # content-addressed raw bytes
            doc = store.db.execute("SELECT text, text_sha256, record, source FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
            text = doc["text"]
            assert hashlib.sha256(text.encode()).hexdigest() == doc["text_sha256"] == rec.document.text_sha256
            assert json.loads(doc["record"]) == rec.to_dict(with_text=False)
            assert doc["source"] == f

            def spans(sql: str) -> list[tuple[int, int, str]]:
                return [(r[0], r[1], r[2]) for r in store.db.execute(sql, (doc_id,))]

            mentions = spans('SELECT start, "end", text FROM mentions WHERE document_id = ?')
            assert sorted(mentions) == sorted({(m.start, m.end, m.text) for e in rec.entities for m in e.mentions})
            figures = spans('SELECT start, "end", text FROM figures WHERE document_id = ? ORDER BY idx')
            assert figures == [(x.start, x.end, x.text) for x in rec.figures]
            quotes = spans('SELECT start, "end", text FROM quotes WHERE document_id = ? ORDER BY idx')
            assert quotes == [(x.start, x.end, x.text) for x in rec.quotes]
            reports = spans('SELECT start, "end", text FROM reports WHERE document_id = ? ORDER BY idx')
            assert reports == [(x.start, x.end, x.text) for x in rec.events]
            for start, end, said in mentions + figures + quotes + reports:
                assert text[start:end] == said
        # every entity extracted is a ledger entity, with every alias and role the records give
        for rec in corpus_records.values():
            for e in rec.entities:
                row = store.db.execute("SELECT kind, name FROM entities WHERE id = ?", (e.id,)).fetchone()
                assert row is not None and row["kind"] == e.kind
                aliases = {r[0] for r in store.db.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (e.id,))}
                assert {e.name, *e.aliases} <= aliases
                roles = {r[0] for r in store.db.execute("SELECT role FROM entity_roles WHERE entity_id = ?", (e.id,))}
                assert set(e.roles) <= roles
    assert counts["mentions"] == sum(len({(m.start, e.id) for e in r.entities for m in e.mentions})
                                     for r in corpus_records.values())
    assert counts["figures"] == sum(len(r.figures) for r in corpus_records.values())
    assert counts["reports"] == sum(len(r.events) for r in corpus_records.values())


def test_every_input_kind_in_a_folder_goes_into_the_ledger(ledger_db, corpus, tmp_path):
    """A folder holding a text file, an RSS feed, an Atom feed, a JSON Lines file and a WARC
    archive, made from corpus texts: each document stored once, its raw bytes hashed."""
    from xml.sax.saxutils import escape

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((corpus / "dev").glob("*.txt"))}
    inbox = tmp_path / "inbox"
    (inbox / "feeds").mkdir(parents=True)
    (inbox / "d01.txt").write_text(texts["d01"], encoding="utf-8")
    items = "".join(f"<item><title>Story {k}</title><link>https://courier.example/{k}</link>"
                    f"<pubDate>Thu, 20 Nov 2025 10:00:00 GMT</pubDate>"
                    f"<description>{escape('<p>' + texts[k].replace(chr(10) + chr(10), '</p><p>') + '</p>')}</description></item>"
                    for k in ("d02", "d03"))
    (inbox / "feeds" / "courier.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>{items}</channel></rss>', encoding="utf-8")
    (inbox / "feeds" / "dispatch.atom").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Dispatch</title>'
        "<id>urn:x</id><updated>2025-10-04T00:00:00Z</updated><entry><title>Portland</title>"
        '<link href="https://dispatch.example/portland"/><id>urn:y</id><updated>2025-10-04T00:00:00Z</updated>'
        f'<content type="html">{escape("<p>" + texts["d04"] + "</p>")}</content></entry></feed>', encoding="utf-8")
    (inbox / "wire.jsonl").write_text(json.dumps({"url": "https://wire.example/d05", "text": texts["d05"]}) + "\n",
                                      encoding="utf-8")
    with (inbox / "crawl.warc.gz").open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/plain; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://crawl.example/d06", "response",
                                            payload=io.BytesIO(texts["d06"].encode()), http_headers=headers))
    r = cli("ingest", str(inbox), "-q", db=ledger_db)
    assert r.returncode == 0, r.stderr
    with open_store(ledger_db) as store:
        docs = {d["source"]: d for d in store.documents()}
        assert set(docs) == {str(inbox / "d01.txt"), "https://courier.example/d02", "https://courier.example/d03",
                             "https://dispatch.example/portland", "https://wire.example/d05", "https://crawl.example/d06"}
        for d in docs.values():
            data = bytes(store.db.execute("SELECT data FROM blobs WHERE sha256 = ?", (d["id"],)).fetchone()[0])
            assert hashlib.sha256(data).hexdigest() == d["id"]
        assert docs["https://courier.example/d02"]["outlet"] == "Courier"
        assert store.counts()["reports"] > 0
    again = cli("ingest", str(inbox), "-q", db=ledger_db)
    assert again.returncode == 0 and "added 0, already stored 6" in again.stderr


def test_same_bytes_again_change_nothing(ledger_db, corpus, profile, settings, tmp_path):
    files = corpus_files(corpus)
    ingest(ledger_db, files, profile, settings)
    before = dump(ledger_db)
    stats, _ = ingest(ledger_db, files, profile, settings)
    assert (stats.added, stats.skipped, stats.failed) == (0, len(files), 0)
    # the same bytes under another name are the same source
    renamed = tmp_path / "renamed-copy.txt"
    renamed.write_bytes(Path(files[0]).read_bytes())
    stats, _ = ingest(ledger_db, [str(renamed)], profile, settings)
    assert (stats.added, stats.skipped) == (0, 1)
    assert dump(ledger_db) == before
    with open_store(ledger_db) as store:
        assert store.verify() == []


def test_bad_inputs_are_reported_and_skipped_and_stored_rows_untouched(ledger_db, corpus, tmp_path):
    seeds = sorted(str(p) for p in (corpus / "seeds").glob("*.txt"))
    first = cli("ingest", *seeds[:2], "-q", db=ledger_db)
    assert first.returncode == 0, first.stderr
    before = dump(ledger_db)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "feed.jsonl").write_text('{"url": "https://example.com/a", "text": "ok text"}\n{broken\n', encoding="utf-8")
    r = cli("ingest", str(bad / "empty.txt"), str(bad / "binary.txt"), str(bad / "feed.jsonl"),
            str(tmp_path / "missing.txt"), *seeds[2:], "-q", db=ledger_db)
    assert r.returncode == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4, r.stderr
    for name in ("empty.txt", "binary.txt", "feed.jsonl:2", "missing.txt"):
        assert sum(name in line for line in errors) == 1, (name, errors)
    after = dump(ledger_db)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), f"{table}: stored rows changed"
    with open_store(ledger_db) as store:
        c = store.counts()
        assert c["documents"] == len(seeds) + 1  # the other seeds and the good JSON Lines record
        assert store.verify() == []


# ---- interrupted runs ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def synth_jsonl(tmp_path_factory, corpus) -> Path:
    return synth.write_corpus(tmp_path_factory.mktemp("synth") / "synth.jsonl", 60, seed=7, corpus=corpus)


def _kill_after(db: str, jsonl: Path, at_least: int) -> int:
    """Start `eventledger ingest`, SIGKILL it once at least `at_least` documents are stored."""
    p = subprocess.Popen([sys.executable, "-m", "eventledger", "ingest", str(jsonl), "--db", db, "-q"],
                         cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and p.poll() is None:
            try:
                with open_store(db) as store:
                    if store.counts()["documents"] >= at_least:
                        break
            except StoreError:  # the ledger is being created
                pass
            time.sleep(0.05)
        assert p.poll() is None, "ingest finished before it could be killed"
        p.send_signal(signal.SIGKILL)
    finally:
        p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL
    with open_store(db) as store:
        return store.counts()["documents"]


@pytest.mark.slow
def test_ingest_killed_mid_run_leaves_a_consistent_ledger_and_rerun_completes(ledger_db, synth_jsonl, tmp_path,
                                                                               profile, settings):
    reference = str(tmp_path / "reference.db")
    stats, want = ingest(reference, [str(synth_jsonl)], profile, settings)
    assert stats.failed == 0 and want["documents"] == 60
    stored = []
    for at_least in (8, 30):  # killed twice, at different points
        n = _kill_after(ledger_db, synth_jsonl, at_least)
        stored.append(n)
        with open_store(ledger_db) as store:
            assert store.verify() == []  # consistent: every stored document whole and logged
            c = store.counts()
            assert c["log"] == c["documents"] == n
            orphans = store.db.execute("SELECT COUNT(*) FROM reports WHERE event_id NOT IN (SELECT id FROM events)").fetchone()[0]
            assert orphans == 0
    assert stored[0] < want["documents"] and stored[1] < want["documents"]
    r = subprocess.run([sys.executable, "-m", "eventledger", "ingest", str(synth_jsonl), "--db", ledger_db, "-q"],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    with open_store(ledger_db) as store:
        assert store.counts() == want
        assert store.verify() == []
    assert grouping(ledger_db) == grouping(reference)  # the same events, from the same reports


# ---- tampering -------------------------------------------------------------------------------

@pytest.fixture
def seeds_ledger(tmp_path, corpus, profile, settings) -> str:
    """An SQLite ledger of the seeds (the tests that edit it go under the store, to the file)."""
    db = str(tmp_path / "tamper.db")
    ingest(db, sorted(str(p) for p in (corpus / "seeds").glob("*.txt")), profile, settings)
    return db


def _verify(db: str) -> Result:
    return cli("verify", db=db)


def _one_doc(db: str) -> tuple[str, str]:
    with sqlite3.connect(db) as c:
        doc_id, source = c.execute("SELECT id, source FROM documents ORDER BY seq LIMIT 1").fetchone()
    return doc_id, source


def test_untouched_ledger_verifies_clean(seeds_ledger):
    r = _verify(seeds_ledger)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("ok: 5 sources")


def test_flipped_byte_in_a_stored_source_is_reported(seeds_ledger):
    doc_id, source = _one_doc(seeds_ledger)
    with sqlite3.connect(seeds_ledger) as c:
        data = bytearray(c.execute("SELECT data FROM blobs WHERE sha256 = ?", (doc_id,)).fetchone()[0])
        data[len(data) // 2] ^= 0x01
        c.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (bytes(data), doc_id))
    r = _verify(seeds_ledger)
    assert r.returncode == 1
    assert doc_id in r.stdout and source in r.stdout
    assert len(r.stdout.splitlines()) == 1, r.stdout


def test_flipped_byte_in_the_ledger_file_is_reported(seeds_ledger):
    """A byte of a source's text changed in the file itself, below SQLite."""
    doc_id, source = _one_doc(seeds_ledger)
    needle = Path(source).read_bytes()[200:260]
    raw = bytearray(Path(seeds_ledger).read_bytes())
    at = raw.find(needle)
    assert at > 0, "the source's bytes should be in the ledger file"
    raw[at + 10] ^= 0x20  # a letter's case: still valid UTF-8, still a valid page
    Path(seeds_ledger).write_bytes(bytes(raw))
    r = _verify(seeds_ledger)
    assert r.returncode == 1, r.stdout + r.stderr
    assert doc_id in r.stdout


@pytest.mark.parametrize(("table", "sql"), [
    ("figures", "UPDATE figures SET value = value + 1 WHERE rowid = (SELECT MIN(rowid) FROM figures WHERE document_id = :d)"),
    ("mentions", "DELETE FROM mentions WHERE document_id = :d AND start = (SELECT MIN(start) FROM mentions WHERE document_id = :d)"),
    ("reports", "UPDATE reports SET text = 'nothing happened' WHERE document_id = :d"),
    ("documents", "UPDATE documents SET outlet = 'Another Outlet' WHERE id = :d"),
    ("quotes", "UPDATE quotes SET speaker = NULL WHERE document_id = :d"),
])
def test_edited_row_is_reported_by_name(seeds_ledger, table, sql):
    with sqlite3.connect(seeds_ledger) as c:
        doc_id = c.execute(f"SELECT document_id FROM {table if table != 'documents' else 'figures'} "
                           "GROUP BY document_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
        source = c.execute("SELECT source FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        assert c.execute(sql, {"d": doc_id}).rowcount >= 1
    r = _verify(seeds_ledger)
    assert r.returncode == 1
    assert any(doc_id in line and source in line and table in line for line in r.stdout.splitlines()), r.stdout


def test_edited_event_entity_or_alias_is_reported_by_name(seeds_ledger):
    with sqlite3.connect(seeds_ledger) as c:
        ev = c.execute("SELECT id FROM events ORDER BY first_seq LIMIT 1").fetchone()[0]
        c.execute("UPDATE events SET date = '1999-01-01' WHERE id = ?", (ev,))
        c.execute("UPDATE entities SET lat = lat + 1 WHERE id = 'place:los-angeles-ca'")
        c.execute("INSERT INTO entity_aliases(entity_id, alias) VALUES ('org:ice', 'Made-up Alias')")
    r = _verify(seeds_ledger)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(ev in line and "date" in line for line in lines), lines
    assert sum("entity place:los-angeles-ca" in line for line in lines) == 1
    assert sum("entity org:ice" in line for line in lines) == 1
    assert len(lines) == 3, lines


def test_deleted_document_or_source_is_reported(seeds_ledger):
    doc_id, source = _one_doc(seeds_ledger)
    with sqlite3.connect(seeds_ledger) as c:
        other = c.execute("SELECT id, source FROM documents ORDER BY seq DESC LIMIT 1").fetchone()
        c.execute("DELETE FROM blobs WHERE sha256 = ?", (other[0],))
        c.execute("PRAGMA foreign_keys = OFF")
        for t in ("mentions", "figures", "quotes", "reports", "document_bands", "entity_roles"):
            c.execute(f"DELETE FROM {t} WHERE document_id = ?", (doc_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    r = _verify(seeds_ledger)
    assert r.returncode == 1
    assert any(doc_id in line and "missing" in line for line in r.stdout.splitlines()), r.stdout
    assert any(other[0] in line and other[1] in line and "missing" in line for line in r.stdout.splitlines()), r.stdout


def test_edited_or_deleted_log_entry_breaks_the_chain(seeds_ledger):
    with sqlite3.connect(seeds_ledger) as c:
        c.execute("UPDATE log SET at = '2000-01-01T00:00:00+00:00' WHERE seq = 2")
    r = _verify(seeds_ledger)
    assert r.returncode == 1 and "log entry 2" in r.stdout
    with sqlite3.connect(seeds_ledger) as c:
        c.execute("DELETE FROM log WHERE seq = 3")
    r = _verify(seeds_ledger)
    assert r.returncode == 1 and "log entry 3" in r.stdout


# ---- schema versions -------------------------------------------------------------------------

def test_a_ledger_from_a_newer_version_is_refused(ledger_db, corpus):
    with open_store(ledger_db) as store:
        store.db.execute("INSERT INTO migrations(name, applied_at) VALUES ('999_from_the_future', '2030-01-01')")
    with pytest.raises(StoreError, match=r"newer eventledger.*999_from_the_future"):
        open_store(ledger_db)
    for args in (["events"], ["verify"], ["ingest", str(next((corpus / "seeds").glob("*.txt")))]):
        r = cli(*args, db=ledger_db)
        assert r.returncode == 2, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "newer eventledger" in lines[0], r.stderr
    with _raw(ledger_db) as c:
        assert c.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0  # nothing was written


def test_a_ledger_from_before_the_lookups_migration_is_upgraded_in_place(tmp_path, corpus, profile, settings):
    db = str(tmp_path / "old.db")
    ingest(db, corpus_files(corpus), profile, settings)
    want_actors = _report_actors(db)
    assert want_actors, "the corpus names actors of its events"
    events_ice = cli("events", "--actor", "ICE", "--json", db=db).stdout
    with sqlite3.connect(db) as c:  # the ledger as 003_lookups found it
        c.executescript("DROP TABLE report_actors; DROP INDEX figures_document; DROP INDEX quotes_document;"
                        " DROP INDEX entity_roles_document; DROP INDEX entity_aliases_alias;"
                        " DROP INDEX documents_outlet; DROP INDEX events_place;"
                        " DELETE FROM migrations WHERE name = '003_lookups';")
    with open_store(db) as store:
        names = [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY name")]
        assert "003_lookups" in names and names[-1] == MIGRATIONS[-1][0]
        assert store.verify() == []
    assert _report_actors(db) == want_actors
    assert cli("events", "--actor", "ICE", "--json", db=db).stdout == events_ice != ""


def _report_actors(db: str) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as c:
        return sorted(c.execute("SELECT entity_id, report_id FROM report_actors"))


def test_a_file_that_is_not_a_ledger_is_refused(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a ledger\n" * 100, encoding="utf-8")
    r = cli("events", db=str(junk))
    assert r.returncode == 2
    assert r.stderr.startswith("error:") and str(junk) in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert junk.read_text(encoding="utf-8").startswith("these are my notes")


def _raw(db: str):  # type: ignore[no-untyped-def]
    """The ledger's own database connection, without migrating it."""
    from eventledger.store.backend import connect

    return _Closing(connect(db))


class _Closing:
    def __init__(self, c) -> None:  # type: ignore[no-untyped-def]
        self.c = c

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.c

    def __exit__(self, *exc: object) -> None:
        self.c.close()


def test_every_sealed_scope_is_looked_up_by_an_index(tmp_path, profile):
    """Each write seals its rows by scope (a document, an entity, a story): a scope column
    with no index makes every write scan its whole table, so the write cost grows with the
    ledger (story_keys did: 12 ms a document at 5,000 documents, 27 at 16,500)."""
    from eventledger.store.seal import SEALED

    db = tmp_path / "ledger.db"
    open_store(str(db), profile).close()
    con = sqlite3.connect(db)
    try:
        scans = []
        for table, s in SEALED.items():
            cols = ", ".join(f'"{c}"' for c in s.columns)
            plan = con.execute(f'EXPLAIN QUERY PLAN SELECT "{s.scope}", {cols} FROM {table} WHERE "{s.scope}" IN (?, ?)',
                               ("a", "b")).fetchall()
            if any(str(row[-1]).startswith("SCAN") for row in plan):
                scans.append(f"{table}.{s.scope}: {[row[-1] for row in plan]}")
    finally:
        con.close()
    assert not scans


def test_a_blocking_keys_documents_are_read_along_the_index_without_sorting_them_all(tmp_path, profile):
    """The grouping reads each blocking key's nearest documents: walked along story_keys(key,
    day) and stopped at the limit. A sort of every document under a key (a TEMP B-TREE) grows
    with the ledger: it made the writer's cost climb past 10,000 documents."""
    from eventledger import store as st

    db = tmp_path / "ledger.db"
    open_store(str(db), profile).close()
    con = sqlite3.connect(db)
    try:
        for sql, args in [(st._KEY_BEFORE, ("k", "2025-01-01", "2025-02-01", 5)), (st._KEY_AFTER, ("k", "2025-01-01", "2025-02-01", 5)),
                          (st._KEY_UNDATED, ("k", 5)), (st._KEY_LATEST, ("k", 5))]:
            plan = " / ".join(str(r[-1]) for r in con.execute("EXPLAIN QUERY PLAN " + sql, args))
            assert "story_keys_day" in plan and "TEMP B-TREE" not in plan and "SCAN" not in plan, plan
    finally:
        con.close()
