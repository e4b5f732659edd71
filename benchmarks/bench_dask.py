"""Ingest throughput in one process and on a local Dask cluster of 1 and 2 workers, and the
per-document costs a capacity plan needs (docs/capacity.md).

    python benchmarks/bench_dask.py [--n 2000] [--seed 0] [--workers 1,2] [--pg postgresql://...]

1. Build N synthetic documents with benchmarks/synth.py (corpus paragraphs recombined, names,
   numbers and dates varied, ~10% exact and ~10% near copies), as one JSON Lines file.
2. Per-document costs, in this process, one stage at a time: reading and parsing the input;
   extraction (CPU time per document: what a Dask worker spends); the ledger write
   (Store.add of the ready extractions into a fresh SQLite ledger: what the single ordered
   writer spends), by chunks of 500 so a cost growing with the ledger shows; the bytes sent to
   and from a worker (pickled RawDocument and Extraction); and the ledger's size per document,
   with and without the stored source bytes (blobs) and the full-text index (SQLite dbstat).
   The writes again with every document published on one day, so events crowd on few dates
   as they would at a million articles a day. With --pg, the writes into a fresh PostgreSQL
   database.
3. Throughput end to end, `ingest_paths` as `eventledger ingest` runs it, into a fresh SQLite
   ledger each: in this process, then with --workers 1 and 2 (a LocalCluster per run). Wall
   time with and without the cluster's start and stop (measured on an empty run), and the
   client's own CPU time per document (reading, writing, moving results).

The machine's core count and load average are recorded: other work on it skews wall times.
Prints a table and writes benchmarks/results/dask.json.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import synth  # noqa: E402
from report import git_commit, timed_writes  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "dask.json"
CHUNK = 500
ONE_DAY = "2025-06-10"


def _ms(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    pick = lambda p: xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]  # noqa: E731
    return {"mean_ms": round(1000 * statistics.fmean(xs), 3), "p50_ms": round(1000 * pick(0.5), 3),
            "p95_ms": round(1000 * pick(0.95), 3), "max_ms": round(1000 * xs[-1], 3)}


def per_document_costs(src: Path, tmp: Path, pg: str | None) -> dict[str, Any]:
    from eventledger import load_profile
    from eventledger.errors import EventLedgerError
    from eventledger.ingest import read_inputs
    from eventledger.pipeline import process
    from eventledger.settings import Settings
    from eventledger.store import Store

    profile, settings = load_profile(), Settings()
    t0, c0 = time.perf_counter(), time.process_time()
    raws = [r for r in read_inputs([str(src)], settings) if not isinstance(r, EventLedgerError)]
    read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
    process(raws[0], profile, settings)  # warm-up: gazetteer index, regex caches
    exts, cpu = [], []
    for raw in raws:
        c = time.process_time()
        exts.append(process(raw, profile, settings))
        cpu.append(time.process_time() - c)
    n = len(raws)
    raw_pickled = sum(len(pickle.dumps(r, protocol=5)) for r in raws) / n
    ext_pickled = sum(len(pickle.dumps(e, protocol=5)) for e in exts) / n
    out: dict[str, Any] = {
        "documents": n,
        "input_bytes_per_doc": round(src.stat().st_size / n),
        "read_ms_per_doc": round(1000 * read_s / n, 3),
        "read_cpu_ms_per_doc": round(1000 * read_cpu / n, 3),
        "extract_cpu": _ms(cpu),
        "extract_cpu_s_total": round(sum(cpu), 2),
        "pickled_rawdocument_bytes_per_doc": round(raw_pickled),
        "pickled_extraction_bytes_per_doc": round(ext_pickled),
    }
    db = tmp / "costs.db"
    out["sqlite_write"] = _write_costs(Store(str(db), profile), raws, exts)
    out["sqlite_write"]["events_per_event_date"] = _density(db)
    out["sqlite_size"] = _sqlite_size(db, n)
    # the same documents all published on one day: relative dates ("on Tuesday") then fall in
    # one week, so far more events share a type and date, as at a million articles a day
    day = [replace(r, published=ONE_DAY, published_basis="metadata") for r in raws]
    day_exts = [process(r, profile, settings) for r in day]
    db = tmp / "one-day.db"
    out["sqlite_write_one_day"] = _write_costs(Store(str(db), profile), day, day_exts)
    out["sqlite_write_one_day"]["events_per_event_date"] = _density(db)
    del day, day_exts
    if pg:
        from eventledger.store.backend import pg_create_database, pg_drop_database

        name = f"el_bench_dask_{os.getpid()}"
        url = pg_create_database(pg, name)
        try:
            out["postgresql_write"] = _write_costs(Store(url, profile), raws, exts)
            with Store(url, profile) as s:
                out["postgresql_size_bytes_per_doc"] = round(
                    s.db.execute("SELECT pg_database_size(current_database())").fetchone()[0] / n)
        finally:
            pg_drop_database(pg, name)
    return out


def _write_costs(store: Any, raws: list[Any], exts: list[Any]) -> dict[str, Any]:
    wall, cpu, chunks = timed_writes(store, zip(raws, exts, strict=True), CHUNK)
    return {"wall": _ms(wall), "cpu": _ms(cpu), "docs_per_s": round(len(wall) / sum(wall), 1), "by_chunk": chunks}


def _density(db: Path) -> dict[str, float]:
    """How crowded the ledger's days are: events per distinct event date, mean and the busiest."""
    con = sqlite3.connect(db)
    try:
        per = [c for (c,) in con.execute("SELECT COUNT(*) FROM events WHERE date IS NOT NULL GROUP BY date")]
    finally:
        con.close()
    return {"dates": len(per), "mean": round(statistics.fmean(per), 1) if per else 0.0, "max": max(per, default=0)}


def _sqlite_size(db: Path, n: int) -> dict[str, Any]:
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        by_table: dict[str, int] = {}
        for name, size in con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            owner = con.execute("SELECT tbl_name FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            key = owner[0] if owner else name
            key = "documents_fts" if key.startswith("documents_fts") else key
            by_table[key] = by_table.get(key, 0) + size
        blob_payload = con.execute("SELECT SUM(size) FROM blobs").fetchone()[0]
    finally:
        con.close()
    total = db.stat().st_size
    blobs, fts = by_table.get("blobs", 0), by_table.get("documents_fts", 0)
    return {
        "file_bytes": total,
        "bytes_per_doc": round(total / n),
        "bytes_per_doc_without_blobs": round((total - blobs) / n),
        "bytes_per_doc_without_blobs_and_fts": round((total - blobs - fts) / n),
        "source_bytes_per_doc": round(blob_payload / n),
        "bytes_per_doc_by_table": {k: round(v / n) for k, v in sorted(by_table.items(), key=lambda kv: -kv[1])},
    }


def throughput(src: Path, tmp: Path, workers: int) -> dict[str, Any]:
    from eventledger import load_profile
    from eventledger.runner.dask_run import DaskOptions, run_on_dask
    from eventledger.runner.run import ingest_paths
    from eventledger.settings import Settings
    from eventledger.store import Store

    profile, settings = load_profile(), Settings()
    dask = DaskOptions(workers=workers) if workers else None
    overhead = 0.0
    if workers:  # the cluster's start, worker warm-up (profile load) and stop, with nothing to do
        t = time.perf_counter()
        run_on_dask([], DaskOptions(workers=workers), profile, settings, lambda _i: False,
                    lambda r, e: None, lambda e: None)
        overhead = time.perf_counter() - t
    db = tmp / f"throughput-{workers}.db"
    store = Store(str(db), profile)
    t, c = time.perf_counter(), time.process_time()
    try:
        stats = ingest_paths([str(src)], store, profile, settings, progress=False, dask=dask)
        counts = store.counts()
    finally:
        store.close()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    n = stats.added + stats.skipped + stats.failed
    steady = max(wall - overhead, 1e-9)
    return {"workers": workers, "documents": n, "failed": stats.failed, "copies": stats.copies,
            "elapsed_s": round(wall, 2), "docs_per_s": round(n / wall, 1),
            "cluster_start_stop_s": round(overhead, 2), "docs_per_s_without_start_stop": round(n / steady, 1),
            "client_cpu_ms_per_doc": round(1000 * cpu / n, 3),
            "counts": {k: counts[k] for k in ("documents", "events", "figures") if k in counts}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Ingest throughput in one process and on Dask, and per-document costs.",
                                 epilog="Example: python benchmarks/bench_dask.py --n 2000 --workers 1,2")
    ap.add_argument("--n", type=int, default=2000, help="synthetic documents (default 2000)")
    ap.add_argument("--seed", type=int, default=0, help="synth seed (default 0)")
    ap.add_argument("--workers", default="1,2", help="Dask worker counts to run, comma-separated (default 1,2)")
    ap.add_argument("--pg", help="a PostgreSQL server URL: also measure ledger writes there (a database is made and dropped)")
    a = ap.parse_args(argv)
    counts = [int(w) for w in a.workers.split(",") if w.strip()]
    load0 = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        src = synth.write_corpus(tmp / "synth.jsonl", a.n, a.seed)
        print(f"{a.n} synthetic documents, {src.stat().st_size / 1e6:.1f} MB; measuring per-document costs ...",
              file=sys.stderr)
        costs = per_document_costs(src, tmp, a.pg)
        runs = []
        for w in [0, *counts]:
            print(f"ingest with {'no Dask' if not w else f'{w} Dask worker(s)'} ...", file=sys.stderr)
            runs.append(throughput(src, tmp, w))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    same = len({json.dumps(r["counts"], sort_keys=True) for r in runs}) == 1
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_before": round(load0, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "synth": {"documents": a.n, "seed": a.seed},
        "per_document": costs,
        "throughput": runs,
        "same_ledger_counts_in_every_run": same,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print(result)
    return 0 if same else 1


def _print(r: dict[str, Any]) -> None:
    c = r["per_document"]
    w, s = c["sqlite_write"], c["sqlite_size"]
    print(f"\n{r['per_document']['documents']} documents, {r['cpu_count']} cores, load average "
          f"{r['load_average_before']} before, {r['load_average_after']} after")
    print(f"  read+parse           {c['read_ms_per_doc']:8.2f} ms/doc")
    print(f"  extraction CPU       {c['extract_cpu']['mean_ms']:8.2f} ms/doc mean, p95 {c['extract_cpu']['p95_ms']:.2f}")
    print(f"  SQLite write         {w['wall']['mean_ms']:8.2f} ms/doc mean ({w['docs_per_s']} docs/s), CPU by chunk: "
          + ", ".join(f"{x['cpu_ms_per_doc']:.2f}" for x in w["by_chunk"]))
    d = c["sqlite_write_one_day"]
    print(f"  SQLite write, 1 day  {d['wall']['mean_ms']:8.2f} ms/doc mean ({d['docs_per_s']} docs/s), CPU by chunk: "
          + ", ".join(f"{x['cpu_ms_per_doc']:.2f}" for x in d["by_chunk"])
          + f"; events per date {w['events_per_event_date']['mean']} -> {d['events_per_event_date']['mean']}")
    if "postgresql_write" in c:
        p = c["postgresql_write"]
        print(f"  PostgreSQL write     {p['wall']['mean_ms']:8.2f} ms/doc mean ({p['docs_per_s']} docs/s), by chunk: "
              + ", ".join(f"{x['wall_ms_per_doc']:.2f}" for x in p["by_chunk"]))
    print(f"  to/from a worker     {c['pickled_rawdocument_bytes_per_doc']} / {c['pickled_extraction_bytes_per_doc']} bytes/doc")
    print(f"  ledger size          {s['bytes_per_doc']} bytes/doc, {s['bytes_per_doc_without_blobs']} without blobs, "
          f"{s['bytes_per_doc_without_blobs_and_fts']} without blobs and full-text index")
    print(f"\n  {'run':<16}{'docs/s':>8}{'w/o start':>11}{'start+stop s':>14}{'client CPU ms/doc':>19}")
    for t in r["throughput"]:
        name = "in process" if not t["workers"] else f"Dask, {t['workers']} worker" + ("s" if t["workers"] > 1 else "")
        print(f"  {name:<16}{t['docs_per_s']:>8}{t['docs_per_s_without_start_stop']:>11}"
              f"{t['cluster_start_stop_s']:>14}{t['client_cpu_ms_per_doc']:>19}")
    print(f"\nwrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
