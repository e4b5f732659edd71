"""Tamper evidence on real ledgers: each edit a determined editor could make to the file is
named by `verify` (exit 1); a sweep changes one stored value in every column of every table
in turn; tail truncation and a rewritten chain are caught against a saved checkpoint; an
empty, truncated or overwritten file is one line, never a traceback. The PostgreSQL half
runs the edits that apply there."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pgutil import pg_database
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.runner.run import ingest_paths
from eventledger.signing import load_or_create_key
from eventledger.store import Store
from eventledger.store.seal import entry_hash
from eventledger.store import review as rv
from eventledger.store.checkpoint import make_checkpoint
from eventledger.store.seal import EXEMPT, SEALED, logged_form, registered_columns
from eventledger.store.audit import verify_location

REVIEWER = "ines.auditor"


def _reviewed(store: Store) -> None:
    """A reviewer, and one review of each kind, so every table has rows."""
    rv.add_user(store, REVIEWER, "a long enough password")
    rv.add_user(store, "second.reviewer", "another long password")
    ev = store.db.execute("SELECT id FROM events ORDER BY first_seq, id LIMIT 1").fetchone()[0]
    rv.review_event(store, ev, REVIEWER, "correct", "the article gives the day", {"date": "2025-06-07"})
    fig = store.db.execute("SELECT id FROM figures WHERE event_id IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    rv.review_figure(store, fig, REVIEWER, "correct", "the count was revised", value=40)
    q = store.db.execute("SELECT id FROM quotes ORDER BY id LIMIT 1").fetchone()[0]
    rv.review_quote(store, q, REVIEWER, "confirm", "checked against the page")
    rep = store.db.execute("SELECT id FROM reports ORDER BY id DESC LIMIT 1").fetchone()[0]
    rv.regroup_report(store, rep, REVIEWER, "a different raid")
    rv.end_sessions(store, "second.reviewer")


def _build(db: str, paths: list[str], profile, settings, key_at: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    with Store(db, profile) as store:
        stats = ingest_paths(paths, store, profile, settings, progress=False)
        assert stats.failed == 0
        _reviewed(store)
        key, _ = load_or_create_key(key_at or db)
        make_checkpoint(store, key)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, corpus, profile, settings) -> str:
    """A ledger of the seeds and the dev set, reviewed and checkpointed (copied per test)."""
    db = str(tmp_path_factory.mktemp("tamper") / "pristine.db")
    _build(db, sorted(str(p) for d in ("seeds", "dev") for p in (corpus / d).glob("*.txt")), profile, settings)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def ledger(pristine, tmp_path) -> str:
    db = tmp_path / "ledger.db"
    shutil.copy(pristine, db)
    for ext in (".key", ".pub"):
        shutil.copy(pristine + ext, str(db) + ext)
    return str(db)


def verify(db: str, *checkpoints: str) -> tuple[int, list[str], str]:
    args = ["verify", "--db", db]
    for c in checkpoints:
        args += ["--checkpoint", c]
    r = CliRunner().invoke(app, args)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.stdout + r.stderr
    return r.exit_code, r.stdout.splitlines(), r.stderr


def edit(db: str, sql: str, *args: Any) -> int:
    with sqlite3.connect(db) as c:
        n = c.execute(sql, args).rowcount
    return n


def one(db: str, sql: str, *args: Any) -> Any:
    with sqlite3.connect(db) as c:
        row = c.execute(sql, args).fetchone()
    return row[0] if row and len(row) == 1 else row


# ---- the matrix: every edit of the issue, each named -----------------------------------------

def test_the_pristine_ledger_verifies_clean(ledger):
    code, out, err = verify(ledger)
    assert code == 0 and out[0].startswith("ok: "), out + [err]


def _review_id(db: str) -> int:
    return one(db, "SELECT id FROM reviews WHERE target_kind = 'figure'")


MATRIX = [
    # (name, SQL, words every one of which some output line must hold)
    ("log detail", "UPDATE log SET detail = replace(detail, '\"source\": ', '\"source\": \"x\" || ') WHERE seq = 3",
     ["log entry 3", "hash chain broken"]),
    ("report moved to another event",
     "UPDATE reports SET event_id = (SELECT id FROM events ORDER BY id DESC LIMIT 1)"
     " WHERE id = (SELECT id FROM reports WHERE event_id <> (SELECT id FROM events ORDER BY id DESC LIMIT 1) LIMIT 1)",
     ["reports rows changed"]),
    ("figure moved to another event",
     "UPDATE figures SET event_id = (SELECT id FROM events ORDER BY id LIMIT 1)"
     " WHERE id = (SELECT id FROM figures WHERE event_id <> (SELECT id FROM events ORDER BY id LIMIT 1) LIMIT 1)",
     ["figures rows changed"]),
    ("review new value", "UPDATE reviews SET new_value = '{\"high\": 4000, \"value\": 4000}' WHERE target_kind = 'figure'",
     ["review", "changed"]),
    ("review re-attributed", "UPDATE reviews SET reviewer = 'second.reviewer' WHERE target_kind = 'figure'",
     ["review", "changed"]),
    ("review deleted", "DELETE FROM reviews WHERE target_kind = 'quote'", ["review", "missing"]),
    ("review added", "INSERT INTO reviews SELECT id + 100, at, reviewer, target_kind, target_id, event_id, 'reject',"
                     " old_value, new_value, reason, log_seq, log_hash FROM reviews WHERE target_kind = 'quote'",
     ["review", "not in the log"]),
    ("event review status", "UPDATE events SET review_status = 'confirmed' WHERE review_status = 'unreviewed'"
                            " AND id = (SELECT id FROM events WHERE review_status = 'unreviewed' LIMIT 1)",
     ["review_status changed"]),
    ("event reviewed_by", "UPDATE events SET reviewed_by = 'second.reviewer' WHERE reviewed_by IS NOT NULL",
     ["reviewed_by changed"]),
    ("password hash replaced", f"UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE name ="
                               f" 'second.reviewer') WHERE name = '{REVIEWER}'",
     [f"reviewer account {REVIEWER}", "changed"]),
    ("full-text index poisoned", "INSERT INTO documents_fts(rowid, title, text) VALUES"
                                 " ((SELECT MIN(rowid) FROM documents), 'planted', 'planted words')",
     ["documents_fts", "full-text index"]),
    ("figure value", "UPDATE figures SET value = value * 10 WHERE id = (SELECT MIN(id) FROM figures)",
     ["figures rows changed"]),
    ("report text", "UPDATE reports SET text = 'nothing happened' WHERE id = (SELECT MIN(id) FROM reports)",
     ["reports rows changed"]),
    ("entity", "UPDATE entities SET name = 'Someone Else' WHERE id = (SELECT MIN(id) FROM entities)", ["entity", "changed"]),
    ("event date", "UPDATE events SET date = '1999-01-01' WHERE id = (SELECT MIN(id) FROM events)", ["date changed"]),
    ("document text", "UPDATE documents SET text = text || ' And then nothing.' WHERE seq = 2",
     ["text does not match"]),
    ("outlet", "UPDATE documents SET outlet = 'Another Outlet' WHERE seq = 1", ["documents rows changed"]),
    ("blobs swapped", "UPDATE blobs SET data = (SELECT data FROM blobs b2 WHERE b2.sha256 <> blobs.sha256 LIMIT 1)"
                      " WHERE sha256 = (SELECT id FROM documents WHERE seq = 1)", ["stored bytes do not match"]),
    ("log timestamp", "UPDATE log SET at = '2000-01-01T00:00:00+00:00' WHERE seq = 2", ["log entry 2", "hash chain"]),
    ("middle log entry deleted", "DELETE FROM log WHERE seq = 4", ["log entry 4", "missing"]),
    ("newest log entry deleted", "DELETE FROM log WHERE seq = (SELECT MAX(seq) FROM log)", ["log truncated"]),
    ("ingested_at", "UPDATE documents SET ingested_at = '2001-01-01T00:00:00+00:00' WHERE seq = 3", ["ingested_at"]),
    ("near-copy index", "DELETE FROM document_bands WHERE band = (SELECT MIN(band) FROM document_bands)", ["document_bands"]),
    ("actor lookup", "DELETE FROM report_actors WHERE report_id = (SELECT MIN(report_id) FROM report_actors)",
     ["report_actors"]),
    ("checkpoint forged", "UPDATE checkpoints SET root_hash = (CASE WHEN substr(root_hash, 1, 1) = 'f' THEN '0' ELSE 'f' END)"
                           " || substr(root_hash, 2)",  # always a different hash (the root is new each run)
     ["stored checkpoint", "signature"]),
]


@pytest.mark.parametrize(("name", "sql", "words"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_edit_is_named(ledger, name, sql, words):
    assert edit(ledger, sql) >= 1, f"{name}: the edit changed nothing"
    code, out, _ = verify(ledger)
    assert code == 1, out
    assert any(all(w in line for w in words) for line in out), (name, out)


def test_the_newest_document_deleted_with_its_rows_and_log_entries_is_caught_by_a_checkpoint(ledger, tmp_path):
    """Tail truncation a careful editor does: the newest document, everything it added, its
    log entry and every later one, and the stored checkpoints. Only a checkpoint kept outside
    the file can tell; it does."""
    saved = tmp_path / "saved.json"
    assert CliRunner().invoke(app, ["checkpoint", "--db", ledger, "-o", str(saved)]).exit_code == 0
    doc, seq = one(ledger, "SELECT id, seq FROM documents ORDER BY seq DESC LIMIT 1")
    entry = one(ledger, "SELECT seq FROM log WHERE subject = ? AND action = 'ingest'", doc)
    with sqlite3.connect(ledger) as c:
        c.execute("PRAGMA foreign_keys = OFF")
        for t in ("report_actors",):
            c.execute(f"DELETE FROM {t} WHERE report_id IN (SELECT id FROM reports WHERE document_id = ?)", (doc,))
        for t in ("mentions", "figures", "quotes", "reports", "document_bands", "entity_roles"):
            c.execute(f"DELETE FROM {t} WHERE document_id = ?", (doc,))
        c.execute("DELETE FROM documents_fts WHERE rowid = (SELECT rowid FROM documents WHERE id = ?)", (doc,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc,))
        c.execute("DELETE FROM blobs WHERE sha256 = ?", (doc,))
        c.execute("DELETE FROM reviews WHERE log_seq > ?", (entry,))
        c.execute("DELETE FROM log WHERE seq >= ?", (entry,))
        c.execute("DELETE FROM checkpoints")
    code, out, _ = verify(ledger, str(saved))
    assert code == 1
    assert any("log truncated" in line and "saved.json" in line for line in out), out


def _rewrite_chain(db: str, from_seq: int) -> None:
    """What an editor with the file can do: recompute every hash from ``from_seq`` on."""
    with sqlite3.connect(db) as c:
        prev = c.execute("SELECT hash FROM log WHERE seq = ?", (from_seq - 1,)).fetchone()
        prev_hash = prev[0] if prev else "0" * 64
        for seq, at, action, subject, detail in c.execute(
                "SELECT seq, at, action, subject, detail FROM log WHERE seq >= ? ORDER BY seq", (from_seq,)).fetchall():
            h = entry_hash(prev_hash, seq, at, action, subject, json.loads(detail))
            c.execute("UPDATE log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev_hash, h, seq))
            c.execute("UPDATE reviews SET log_hash = ? WHERE log_seq = ?", (h, seq))
            prev_hash = h
        c.execute("DELETE FROM checkpoints")


def test_an_edited_figure_with_the_whole_chain_recomputed_is_caught_by_a_checkpoint(ledger, tmp_path):
    saved = tmp_path / "saved.json"
    assert CliRunner().invoke(app, ["checkpoint", "--db", ledger, "-o", str(saved)]).exit_code == 0
    fid, doc = one(ledger, "SELECT id, document_id FROM figures ORDER BY id LIMIT 1")
    edit(ledger, "UPDATE figures SET value = value + 1000 WHERE id = ?", fid)
    with sqlite3.connect(ledger) as c:  # re-seal the document's figures in the entry that sealed them last
        rows = [tuple(r) for r in c.execute(
            "SELECT " + ", ".join(f'"{x}"' for x in SEALED["figures"].columns) + " FROM figures WHERE document_id = ?", (doc,))]
        seq, detail = [(s, json.loads(d)) for s, d in c.execute("SELECT seq, detail FROM log ORDER BY seq")
                       if doc in (json.loads(d).get("seal") or {}).get("figures", {})][-1]
        detail["seal"]["figures"][doc] = logged_form("figures", rows)
        c.execute("UPDATE log SET detail = ? WHERE seq = ?", (json.dumps(detail, sort_keys=True), seq))
    _rewrite_chain(ledger, seq)
    code, out, _ = verify(ledger)
    assert code == 0, out  # what verify cannot tell from the file alone (docs/verify.md)
    code, out, _ = verify(ledger, str(saved))
    assert code == 1
    assert any("saved.json" in line and "Merkle consistency proof fails" in line for line in out), out


def test_a_checkpoint_still_verifies_after_the_ledger_grows(ledger, tmp_path, corpus):
    saved = tmp_path / "saved.json"
    r = CliRunner().invoke(app, ["checkpoint", "--db", ledger, "-o", str(saved)])
    assert r.exit_code == 0, r.stderr
    cp = json.loads(saved.read_text())
    assert cp["tree_size"] == one(ledger, "SELECT COUNT(*) FROM log") and len(cp["root_hash"]) == 64
    assert cp["public_key"] == Path(ledger + ".pub").read_text().strip()
    with Store(ledger) as store:
        rv.add_user(store, "third.reviewer", "yet another password")
    code, out, _ = verify(ledger, str(saved))
    assert code == 0 and "consistent with 1 checkpoint" in out[-1], out


def test_a_checkpoint_signed_by_another_key_or_edited_is_refused(ledger, tmp_path):
    saved = tmp_path / "saved.json"
    CliRunner().invoke(app, ["checkpoint", "--db", ledger, "-o", str(saved)])
    cp = json.loads(saved.read_text())
    forged = dict(cp, tree_size=cp["tree_size"] - 1)
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    code, out, _ = verify(ledger, str(tmp_path / "forged.json"))
    assert code == 1 and any("signature does not verify" in line for line in out), out
    other, _ = load_or_create_key(tmp_path / "other")
    r = CliRunner().invoke(app, ["checkpoint", "--db", ledger, "--key", str(tmp_path / "other.key")])
    assert r.exit_code == 1 and "signed by the key" in r.stderr


# ---- files that are not whole ledgers ---------------------------------------------------------

def test_an_empty_file_is_refused(ledger):
    Path(ledger).write_bytes(b"")
    code, out, _ = verify(ledger)
    assert code == 1 and len(out) == 1 and "empty" in out[0], out


def test_a_truncated_file_is_refused_in_one_line(ledger):
    raw = Path(ledger).read_bytes()
    Path(ledger).write_bytes(raw[: len(raw) // 2])
    code, out, _ = verify(ledger)
    assert code == 1 and len(out) == 1 and "truncated" in out[0], out


@pytest.mark.parametrize("where", [0.3, 0.5, 0.7])
def test_4_kb_overwritten_in_the_middle_is_one_line(ledger, where):
    raw = bytearray(Path(ledger).read_bytes())
    at = int(len(raw) * where) // 4096 * 4096 + 100
    raw[at : at + 4096] = bytes((i * 37) % 251 for i in range(4096))
    Path(ledger).write_bytes(bytes(raw))
    code, out, _ = verify(ledger)
    assert code == 1 and len(out) == 1 and "damaged" in out[0], out


def test_a_ledger_with_an_empty_log_is_not_ok(tmp_path):
    db = str(tmp_path / "new.db")
    Store(db).close()
    code, out, _ = verify(db)
    assert code == 1 and any("log: empty" in line for line in out)


# ---- the sweep: one stored value changed in every column of every table ---------------------

def _columns(db: str) -> Iterator[tuple[str, str]]:
    with sqlite3.connect(db) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                          " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for t in tables:
            for col in c.execute(f'PRAGMA table_xinfo("{t}")').fetchall():
                if col[6] == 0:  # not a hidden column of a virtual table
                    yield t, col[1]


def _changed(v: Any) -> Any:
    if v is None:
        return "tampered"
    if isinstance(v, bytes):
        # a byte put first (an FTS5 page separator term changed within the slack between its
        # neighbours still points at the right page, so no search and no check can tell)
        return b"\xff" + v
    if isinstance(v, int):
        return v + 1
    if isinstance(v, float):
        return v + 0.5
    return v + "x"


def _change_one_value(db: str, table: str, column: str) -> None:
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA foreign_keys = OFF")
        try:
            key_cols = ["rowid"]
            row = c.execute(f'SELECT rowid, "{column}" FROM "{table}" ORDER BY "{column}" IS NULL, rowid LIMIT 1').fetchone()
        except sqlite3.OperationalError:  # WITHOUT ROWID: the primary key names the row
            key_cols = [r[1] for r in c.execute(f'PRAGMA table_info("{table}")') if r[5]]
            cols = ", ".join(f'"{k}"' for k in key_cols)
            # a row whose value is not empty (a segment's first term, b'', is a placeholder FTS5 skips)
            row = c.execute(f'SELECT {cols}, "{column}" FROM "{table}" ORDER BY length("{column}") = 0 LIMIT 1').fetchone()
        assert row is not None, f"{table} is empty in the sweep's ledger: give it a row"
        where = " AND ".join(f'"{k}" = ?' if k != "rowid" else "rowid = ?" for k in key_cols)
        new = _changed(row[-1])
        try:
            n = c.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where}', (new, *row[:-1])).rowcount
        except sqlite3.IntegrityError:  # a unique value taken (seq + 1): one nobody has
            new = new + 1_000_003 if isinstance(new, int) else new + "-unique"
            n = c.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where}', (new, *row[:-1])).rowcount
        assert n == 1, (table, column)


def _kit_rows(store: Store, folder: Path) -> None:
    """One row in every table of the accountability kit (issue 10), through its own functions."""
    from eventledger.kit import exhibits as kx
    from eventledger.kit import register as kr
    from eventledger.kit import requests as kq

    ev = store.db.execute("SELECT id FROM events ORDER BY first_seq, id LIMIT 1").fetchone()[0]
    note = folder / "response.txt"
    note.write_text("The agency confirmed that its officers gathered in the north lot on March 3, 2025.\n")
    added = kx.add_exhibit(store, note, by=REVIEWER, note="the agency's reply", event=ev,
                           source_url="https://example.org/reply", collected_at="2025-03-05T10:00:00Z")
    kx.cite(store, added.sha256, "officers gathered in the north lot", by=REVIEWER, why="states the place", event=ev)
    rid = kq.add_request(store, "Example County Sheriff", "cpra", "2025-03-06", "staging records", by=REVIEWER,
                         events=[ev])
    kq.update_request(store, rid, "acknowledged", "2025-03-10", by=REVIEWER, note="letter received")
    parcels = folder / "parcels.geojson"
    parcels.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"OWNER": "CITY OF EXAMPLE"},
        "geometry": {"type": "Polygon", "coordinates": [[[-118.3, 34.0], [-118.2, 34.0], [-118.2, 34.1],
                                                         [-118.3, 34.1], [-118.3, 34.0]]]}}]}))
    kr.load_layer(store, parcels, by=REVIEWER, owner_field="OWNER", city_owners=["CITY OF EXAMPLE"])
    kr.add_site(store, "north lot", "2025-03-03", by=REVIEWER, lat=34.05, lon=-118.25, event=ev, exhibit=added.sha256)


@pytest.fixture(scope="module")
def small(tmp_path_factory, corpus, profile, settings) -> str:
    folder = tmp_path_factory.mktemp("sweep")
    db = str(folder / "small.db")
    _build(db, sorted(str(p) for p in (corpus / "seeds").glob("*.txt")), profile, settings)
    with Store(db, profile) as store:
        _kit_rows(store, folder)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def test_every_column_of_every_table_is_covered_by_verify(small):
    """A new table or column (another migration) fails here until store/seal.py declares it."""
    known = registered_columns()
    missing = [f"{t}.{c}" for t, c in _columns(small)
               if t not in known or (known[t] is not None and c not in known[t])]
    assert missing == [], f"declare these in eventledger/store/seal.py: {missing}"
    assert set(EXEMPT) == {("migrations", "applied_at")}


def test_sweep_one_changed_value_in_every_column_is_named(small, tmp_path):
    assert verify_location(small)[0] == []
    named, cases = [], []
    for table, column in _columns(small):
        if (table, column) in EXEMPT:
            continue
        db = str(tmp_path / f"{table}.{column}.db")
        shutil.copy(small, db)
        _change_one_value(db, table, column)
        try:
            problems = verify_location(db)[0]
        except Exception as e:  # noqa: BLE001 - refused to open is named too (a one-line error in the CLI)
            problems = [f"refused: {e}"]
        cases.append(f"{table}.{column}")
        if problems:
            named.append(f"{table}.{column}")
        Path(db).unlink()
    missed = sorted(set(cases) - set(named))
    assert not missed, f"verify did not notice a changed value in {missed} ({len(named)} of {len(cases)} named)"
    assert len(cases) > 100


# ---- PostgreSQL ------------------------------------------------------------------------------

PG_MATRIX = [m for m in MATRIX if m[0] not in ("full-text index poisoned", "near-copy index", "blobs swapped",
                                               "newest log entry deleted")] + [
    ("full-text index poisoned", "UPDATE documents_fts SET tsv = to_tsvector('simple', 'planted words')"
                                 " WHERE seq = (SELECT MIN(seq) FROM documents)", ["documents_fts"]),
    ("near-copy index", "DELETE FROM document_bands WHERE band = (SELECT MIN(band) FROM document_bands)",
     ["document_bands"]),
    ("newest log entry deleted", "DELETE FROM log WHERE seq = (SELECT MAX(seq) FROM log)", ["log truncated"]),
]




@pytest.fixture(scope="module")
def pg_pristine(pg_server, corpus, profile, settings, tmp_path_factory) -> Iterator[str]:
    with pg_database(pg_server) as url:
        _build(url, sorted(str(p) for p in (corpus / "seeds").glob("*.txt")), profile, settings,
               key_at=tmp_path_factory.mktemp("pgkey") / "ledger")
        yield url


@pytest.mark.postgresql
@pytest.mark.parametrize(("name", "sql", "words"), PG_MATRIX, ids=[m[0] for m in PG_MATRIX])
def test_each_edit_is_named_on_postgresql(pg_server, pg_pristine, name, sql, words):
    from eventledger.store.backend import pg_database_url

    with pg_database(pg_server, template=pg_pristine.rsplit("/", 1)[1].split("?")[0]) as url:
        with Store(url) as store:
            assert store.verify() == []
            sql = sql.replace("rowid", "seq") if "documents_fts" not in sql else sql
            store.db.execute(sql)
            problems = store.verify()
        assert any(all(w in p for w in words) for p in problems), (name, problems)
        assert pg_database_url(pg_server, "x")
