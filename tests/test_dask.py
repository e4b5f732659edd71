"""Extraction on Dask: a real LocalCluster of 2 worker processes writes the same ledger, row for
row, as the single-process run; a worker's error is its document's error line; at most a few
batches are out at once; a bad scheduler or an interrupt ends the run in one line, cleanly.

"Row for row": every table of both ledgers (on SQLite also the full-text index's own tables) is
read whole and compared, leaving out only columns holding the wall-clock time of the write:

    documents.ingested_at, migrations.applied_at    when the row was written
    log.at                                          when the log entry was written
    log.prev_hash, log.hash                         hashes over the entries, `at` included

The hashes are not simply skipped: the Dask ledger's chain is recomputed with the reference
ledger's `at` values and must then equal the reference's hashes, byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pgutil import pg_database

from eventledger.errors import EventLedgerError
from eventledger.runner.dask_run import DaskOptions, run_on_dask
from eventledger.runner.run import ingest_paths
from eventledger.profile import DEFAULT_PROFILE, load_profile
from eventledger.settings import Settings
from eventledger.store import Store
from eventledger.store.seal import entry_hash
from eventledger.store.backend import is_postgres

REPO = Path(__file__).resolve().parents[1]
EXCLUDED = {
    "documents": {"ingested_at"},
    "migrations": {"applied_at"},
    "log": {"at", "prev_hash", "hash"},
}
SHORT = "Agents arrested 3 people in Reno."  # readable, but shorter than the settings below allow


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A real local Dask cluster: 2 worker processes of one thread each."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as c:
        yield c


@pytest.fixture
def inputs(tmp_path: Path, corpus: Path) -> list[str]:
    """The seeds and dev texts, with an exact byte copy, a near copy, two syndicated copies in
    JSON Lines, a text too short to extract (fails on the worker) and an empty file (fails when
    read), so copy detection, event grouping and error order all depend on input order."""
    texts = sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))
    d = tmp_path / "extra"
    d.mkdir()
    (d / "exact-copy.txt").write_bytes(texts[0].read_bytes())
    near = texts[6].read_text(encoding="utf-8")
    (d / "near-copy.txt").write_text("Share this story\n" + near + "\nSign up for our newsletter.\n", encoding="utf-8")
    wire = texts[2].read_text(encoding="utf-8")
    (d / "wire.jsonl").write_text("".join(
        json.dumps({"url": f"https://{o}.example/story", "title": "Raid", "text": wire, "outlet": o}) + "\n"
        for o in ("valley-courier", "harbor-post")), encoding="utf-8")
    (d / "short.txt").write_text(SHORT + "\n", encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    extra = [d / n for n in ("exact-copy.txt", "short.txt", "near-copy.txt", "empty.txt", "wire.jsonl")]
    return [str(p) for p in texts[:7] + extra[:2] + texts[7:] + extra[2:]]


@pytest.fixture
def short_settings(tmp_path: Path) -> Path:
    p = tmp_path / "settings.toml"
    p.write_text(f"[eventledger]\nmin_text_chars = {len(SHORT) + 5}\n", encoding="utf-8")
    return p


@contextmanager
def reference_location(ledger_db: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second fresh ledger on the same backend as ``ledger_db``."""
    if is_postgres(ledger_db):
        with pg_database(request.getfixturevalue("pg_server")) as url:
            yield url
    else:
        yield str(tmp_path / "reference.db")


def _tables(store: Store) -> list[str]:
    if store.backend == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    else:
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
               " AND table_type = 'BASE TABLE' ORDER BY table_name")
    return [r[0] for r in store.db.execute(sql).fetchall()]


def _value(v: Any) -> Any:
    return bytes(v) if isinstance(v, (bytes, memoryview, bytearray)) else v


def dump(location: str) -> tuple[dict[str, list[tuple[Any, ...]]], list[dict[str, Any]]]:
    """Every table's rows, sorted, without the wall-clock columns; and the log in order, whole."""
    with Store(location) as store:
        assert store.verify() == [], "a ledger under test must verify clean"
        tables: dict[str, list[tuple[Any, ...]]] = {}
        for t in _tables(store):
            rows = [dict(r) for r in store.db.execute(f'SELECT * FROM "{t}"').fetchall()]
            keep = [c for c in (rows[0] if rows else {}) if c not in EXCLUDED.get(t, set())]
            tables[t] = sorted((tuple(_value(r[c]) for c in keep) for r in rows), key=repr)
        log = [dict(r) for r in store.db.execute("SELECT * FROM log ORDER BY seq").fetchall()]
    return tables, log


def assert_same_ledger(reference: str, other: str) -> dict[str, list[tuple[Any, ...]]]:
    ref_tables, ref_log = dump(reference)
    got_tables, got_log = dump(other)
    assert sorted(got_tables) == sorted(ref_tables)
    for t in ref_tables:
        assert got_tables[t] == ref_tables[t], f"table {t} differs"
    # the chain (each ledger's own verified by dump): the other ledger's entries, hashed with
    # the reference's times, give the reference's hashes
    prev = "0" * 64
    assert len(got_log) == len(ref_log)
    for got, ref in zip(got_log, ref_log, strict=True):
        prev = entry_hash(prev, got["seq"], ref["at"], got["action"], got["subject"], json.loads(got["detail"]))
        assert prev == ref["hash"], f"log entry {got['seq']} differs"
    return ref_tables


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventledger", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
def test_two_local_workers_write_the_same_ledger_as_one_process(ledger_db, inputs, short_settings, tmp_path, request):
    with reference_location(ledger_db, tmp_path, request) as ref:
        one = cli("ingest", *inputs, "--db", ref, "--settings", str(short_settings))
        two = cli("ingest", *inputs, "--db", ledger_db, "--settings", str(short_settings), "--workers", "2")
        assert (one.returncode, two.returncode) == (1, 1)  # the two bad inputs
        assert two.stderr == one.stderr  # the same error lines, in input order, and the same summary
        lines = two.stderr.splitlines()
        assert len(lines) == 3 and lines[0].startswith("error: ") and "short.txt" in lines[0] and "empty.txt" in lines[1]
        assert lines[2].startswith("added 16, already stored 1, copies 3, failed 2;"), lines[2]
        tables = assert_same_ledger(ref, ledger_db)
    assert len(tables["documents"]) == 16 and len(tables["events"]) > 20 and len(tables["reports"]) > len(tables["events"])


def test_an_existing_cluster_writes_the_same_ledger_in_many_small_batches(ledger_db, inputs, cluster, tmp_path,
                                                                          request):
    """Through --scheduler's path, with batches of 3 and 2 in flight: results of later batches
    arrive while earlier ones are written, and are still written in input order."""
    profile, settings = load_profile(), Settings(min_text_chars=len(SHORT) + 5)
    dask = DaskOptions(scheduler=cluster.scheduler_address, batch_size=3, in_flight=2)
    with reference_location(ledger_db, tmp_path, request) as ref:
        with Store(ref) as store:
            one = ingest_paths(inputs, store, profile, settings, progress=False)
        with Store(ledger_db) as store:
            two = ingest_paths(inputs, store, profile, settings, progress=False, dask=dask)
        assert (two.added, two.skipped, two.copies, two.failed) == (one.added, one.skipped, one.copies, one.failed) == (16, 1, 3, 2)
        assert two.errors == one.errors
        assert_same_ledger(ref, ledger_db)
        with Store(ledger_db) as store:  # again: everything is already stored, nothing changes
            again = ingest_paths(inputs, store, profile, settings, progress=False, dask=dask)
        assert (again.added, again.skipped, again.failed) == (0, 17, 2)
        assert_same_ledger(ref, ledger_db)


def test_a_document_failing_on_a_worker_is_its_own_error_line(cluster, corpus, tmp_path):
    """Workers load the profile by path (here a copy of the shipped one); a document that fails
    extraction there is reported with its source and the others are extracted."""
    prof_dir = tmp_path / "profile"
    prof_dir.mkdir()
    for f in DEFAULT_PROFILE.iterdir():
        if f.is_file():
            (prof_dir / f.name).write_bytes(f.read_bytes())
    short = tmp_path / "short.txt"
    short.write_text(SHORT, encoding="utf-8")
    good = sorted((corpus / "dev").glob("*.txt"))[:2]
    written: list[tuple[str, str]] = []

    def write(raw, ext):  # type: ignore[no-untyped-def]
        written.append((Path(raw.source).name, ext if isinstance(ext, str) else type(ext).__name__))

    from eventledger.ingest import read_inputs

    settings = Settings(min_text_chars=len(SHORT) + 5)
    paths = [str(good[0]), str(short), str(good[1])]
    run_on_dask(read_inputs(paths, settings), DaskOptions(scheduler=cluster.scheduler_address), load_profile(prof_dir),
                settings, lambda _id: False, write, lambda e: written.append(("input", str(e))))
    assert [w[0] for w in written] == [good[0].name, "short.txt", good[1].name]
    assert written[0][1] == written[2][1] == "Extraction"
    assert written[1][1].startswith(f"{short}: ") and "no text left" in written[1][1]


def test_a_profile_the_workers_cannot_load_stops_the_run_in_one_line(cluster, corpus, tmp_path):
    prof_dir = tmp_path / "gone"
    shutil.copytree(DEFAULT_PROFILE, prof_dir)
    profile = load_profile(prof_dir)
    shutil.rmtree(prof_dir)  # the client holds it loaded; the workers look for the folder
    with pytest.raises(EventLedgerError, match=r"^Dask worker tcp://\S+ cannot load the profile: .*gone: profile folder not found$"):
        run_on_dask([], DaskOptions(scheduler=cluster.scheduler_address), profile, Settings(),
                    lambda _id: False, lambda raw, ext: None, lambda e: None)


def test_no_more_than_in_flight_batches_are_out_at_once(cluster, corpus):
    """Inputs are read only as fast as results are written: memory does not grow with the input."""
    from eventledger.ingest import read_inputs

    texts = [str(p) for p in sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))]
    written = 0
    ahead: list[int] = []

    def items() -> Iterator[Any]:
        n = 0
        for _ in range(4):
            for item in read_inputs(texts, Settings()):
                ahead.append(n - written)  # read but not yet written, before this one
                n += 1
                yield item

    def write(raw, ext):  # type: ignore[no-untyped-def]
        nonlocal written
        assert not isinstance(ext, str), ext
        written += 1

    run_on_dask(items(), DaskOptions(scheduler=cluster.scheduler_address, batch_size=2, in_flight=3),
                load_profile(), Settings(), lambda _id: False, write, lambda e: pytest.fail(str(e)))
    assert written == 4 * len(texts)
    assert max(ahead) <= (3 + 1) * 2  # the batches in flight plus the one being filled
    assert max(ahead) >= 3 * 2  # and the workers were kept busy: several batches were out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:{port}", "bogus://somewhere:8786", "tcp://"])
def test_an_unreachable_scheduler_is_one_line_naming_it(address, corpus, tmp_path):
    address = address.format(port=_free_port())
    r = cli("ingest", str(corpus / "seeds"), "--db", str(tmp_path / "l.db"), "--scheduler", address,
            "--scheduler-timeout", "1")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"error: cannot reach the Dask scheduler at {address}: ")
    assert r.stdout == ""


def test_workers_and_scheduler_together_is_a_usage_error(corpus, tmp_path):
    r = cli("ingest", str(corpus / "seeds"), "--db", str(tmp_path / "l.db"), "--workers", "2", "--scheduler", "tcp://h:1")
    assert r.returncode == 2 and r.stderr == "error: give --workers or --scheduler, not both\n"
    assert not (tmp_path / "l.db").exists()
    with pytest.raises(EventLedgerError, match="not both"):
        run_on_dask([], DaskOptions(workers=1, scheduler="tcp://h:1"), load_profile(), Settings(),
                    lambda _id: False, lambda raw, ext: None, lambda e: None)


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_and_leaves_a_ledger_that_finishes_on_rerun(ledger_db, corpus, tmp_path):
    import psutil

    texts = sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))
    big = tmp_path / "many.jsonl"  # the corpus, many times over, each copy its own bytes
    with big.open("w", encoding="utf-8") as f:
        for i in range(8):
            for p in texts:
                f.write(json.dumps({"url": f"https://example.org/{i}/{p.stem}", "text": p.read_text(encoding="utf-8"),
                                    "outlet": f"Outlet {i}"}) + "\n")
    args = [sys.executable, "-m", "eventledger", "ingest", str(big), "--db", ledger_db, "--workers", "2"]
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    me = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while len(me.children(recursive=True)) < 2 or not _stored(ledger_db):  # workers up, writing begun
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    children = me.children(recursive=True)
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: to the CLI and its workers
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "error: interrupted; every document stored so far is complete (run again to finish)\n"
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == [], f"worker processes left running: {alive}"
    with Store(ledger_db) as store:
        stored = store.counts()["documents"]
        assert store.verify() == []
    assert 0 < stored < 8 * len(texts)
    r = subprocess.run(args + ["--quiet"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"added {8 * len(texts) - stored}, already stored {stored},"), r.stderr


def _stored(location: str) -> int:
    if not is_postgres(location) and not os.path.exists(location):
        return 0
    try:
        with Store(location) as store:
            return store.counts()["documents"]
    except EventLedgerError:
        return 0
