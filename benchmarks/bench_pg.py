"""The ledger's write and read speed on PostgreSQL against SQLite.

    python benchmarks/bench_pg.py [--n 2000] [--seed 0] [--pg URL] [--writers 2]

The server is --pg or $EVENTLEDGER_TEST_PG (scripts/start-postgres.sh prints it); the
benchmark makes its own databases there and drops them.

1. N synthetic documents (benchmarks/synth.py) are extracted once, untimed, so what is
   timed is the store alone: ``Store.add`` per document (copy detection, event grouping,
   the hash-chained log, one transaction each) into a fresh SQLite file and a fresh
   PostgreSQL database: documents per second, and p50/p95 of one add.
2. Reads on each finished ledger, p50/p95 over --reps: the 50 newest events as records
   (Store.event_ids + event_rows + build_event_record, what `eventledger events` does),
   one event's dossier, a full-text search.
3. --writers processes add disjoint shares of the same documents to one new PostgreSQL
   ledger at once (each extracts its share first, then all start together): the combined
   rate, and a check that every document is stored once and ``verify()`` is clean.
4. End to end, `ingest_paths` (reading + extraction + store) on one core for both.

Prints a table; writes benchmarks/results/pg.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import synth  # noqa: E402

from eventledger.ingest import read_inputs  # noqa: E402
from eventledger.ledger.compare import build_event_record  # noqa: E402
from eventledger.runner.run import ingest_paths  # noqa: E402
from eventledger.pipeline import process  # noqa: E402
from eventledger.profile import load_profile  # noqa: E402
from eventledger.settings import Settings  # noqa: E402
from eventledger.store import Store  # noqa: E402
from eventledger.store.backend import pg_create_database, pg_drop_database  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "pg.json"


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _ms(xs: list[float]) -> dict[str, float]:
    return {"p50_ms": round(_pct(xs, 50) * 1000, 2), "p95_ms": round(_pct(xs, 95) * 1000, 2)}


def _writes(loc: str, items: list, profile) -> dict[str, float]:  # type: ignore[no-untyped-def]
    times = []
    with Store(loc, profile) as store:
        t0 = time.perf_counter()
        for raw, ext in items:
            t = time.perf_counter()
            store.add(raw, ext)
            times.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        counts = store.counts()
    return {"documents": counts["documents"], "events": counts["events"], "seconds": round(total, 2),
            "docs_per_s": round(len(items) / total, 1), "add": _ms(times)}


def _reads(loc: str, profile, reps: int) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[float]] = {"events_50": [], "show": [], "search": []}
    with Store(loc, profile) as store:
        ids = store.event_ids(limit=reps)
        for i in range(reps):
            t = time.perf_counter()
            [build_event_record(store.event_rows(e)) for e in store.event_ids(limit=50)]
            out["events_50"].append(time.perf_counter() - t)
            t = time.perf_counter()
            build_event_record(store.event_rows(ids[i % len(ids)]))
            out["show"].append(time.perf_counter() - t)
            t = time.perf_counter()
            store.search(["National Guard", "arrested", "Chicago", "border patrol agents"][i % 4])
            out["search"].append(time.perf_counter() - t)
    return {k: _ms(v) for k, v in out.items()}


def _writer(loc: str, lines: list[bytes], path: str, barrier, queue) -> None:  # type: ignore[no-untyped-def]
    Path(path).write_bytes(b"".join(lines))
    profile, settings = load_profile(), Settings()
    items = [(r, process(r, profile, settings)) for r in read_inputs([path], settings)]
    store = Store(loc, profile)
    barrier.wait()
    t0 = time.perf_counter()
    added = sum(store.add(r, e).added for r, e in items)
    queue.put((added, t0, time.perf_counter()))
    store.close()


def _concurrent(server: str, lines: list[bytes], writers: int, tmp: Path) -> dict[str, object]:
    name = f"bench_pg_conc_{os.getpid()}"
    loc = pg_create_database(server, name)
    try:
        Store(loc).close()  # schema first, so the timing is of writes
        ctx = mp.get_context("spawn")
        barrier, queue = ctx.Barrier(writers), ctx.Queue()
        procs = [ctx.Process(target=_writer, args=(loc, lines[i::writers], str(tmp / f"w{i}.jsonl"), barrier, queue))
                 for i in range(writers)]
        for p in procs:
            p.start()
        res = [queue.get(timeout=3600) for _ in procs]
        for p in procs:
            p.join()
        start, end = min(r[1] for r in res), max(r[2] for r in res)
        with Store(loc) as store:
            c, problems = store.counts(), store.verify()
            seqs = [d["seq"] for d in store.documents()]
        return {"writers": writers, "added": [r[0] for r in res], "seconds": round(end - start, 2),
                "docs_per_s": round(sum(r[0] for r in res) / (end - start), 1), "documents": c["documents"],
                "all_stored_once": c["documents"] == len(lines) == sum(r[0] for r in res) and seqs == list(range(1, len(lines) + 1)),
                "verify_problems": len(problems)}
    finally:
        pg_drop_database(server, name)


def _end_to_end(loc: str, path: Path, profile) -> dict[str, float]:  # type: ignore[no-untyped-def]
    with Store(loc, profile) as store:
        t0 = time.perf_counter()
        stats = ingest_paths([str(path)], store, profile, Settings(), progress=False)
        dt = time.perf_counter() - t0
    return {"documents": stats.added, "seconds": round(dt, 2), "docs_per_s": round(stats.added / dt, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--pg", default=os.environ.get("EVENTLEDGER_TEST_PG"))
    args = ap.parse_args(argv)
    if not args.pg:
        print("error: no server: give --pg URL or set EVENTLEDGER_TEST_PG (scripts/start-postgres.sh)", file=sys.stderr)
        return 2
    profile, settings = load_profile(), Settings()
    result: dict[str, object] = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip(),
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "load_average_before": round(os.getloadavg()[0], 2), "documents": args.n, "seed": args.seed,
    }
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        corpus = synth.write_corpus(tmp / "synth.jsonl", args.n, seed=args.seed)
        lines = corpus.read_bytes().splitlines(keepends=True)
        t = time.perf_counter()
        items = [(r, process(r, profile, settings)) for r in read_inputs([str(corpus)], settings)]
        result["extract_s_untimed"] = round(time.perf_counter() - t, 1)
        pg_name = f"bench_pg_{os.getpid()}"
        for backend in ("sqlite", "postgresql"):
            loc = pg_create_database(args.pg, pg_name) if backend == "postgresql" else str(tmp / "bench.db")
            try:
                result[backend] = {"store_add": _writes(loc, items, profile), "reads": _reads(loc, profile, args.reps)}
            finally:
                if backend == "postgresql":
                    pg_drop_database(args.pg, pg_name)
        result["postgresql_concurrent"] = _concurrent(args.pg, lines, args.writers, tmp)
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        for backend in ("sqlite", "postgresql"):
            loc = pg_create_database(args.pg, pg_name) if backend == "postgresql" else str(tmp / "e2e.db")
            try:
                result[backend]["ingest_end_to_end"] = _end_to_end(loc, corpus, profile)  # type: ignore[index]
            finally:
                if backend == "postgresql":
                    pg_drop_database(args.pg, pg_name)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'':28}{'SQLite':>14}{'PostgreSQL':>14}")
    lite, pg = result["sqlite"], result["postgresql"]  # type: ignore[index]
    print(f"{'Store.add docs/s':28}{lite['store_add']['docs_per_s']:>14}{pg['store_add']['docs_per_s']:>14}")
    print(f"{'Store.add p50/p95 ms':28}{_pair(lite['store_add']['add']):>14}{_pair(pg['store_add']['add']):>14}")
    for k in ("events_50", "show", "search"):
        print(f"{k + ' p50/p95 ms':28}{_pair(lite['reads'][k]):>14}{_pair(pg['reads'][k]):>14}")
    print(f"{'ingest end to end docs/s':28}{lite['ingest_end_to_end']['docs_per_s']:>14}{pg['ingest_end_to_end']['docs_per_s']:>14}")
    conc = result["postgresql_concurrent"]
    print(f"{conc['writers']} PostgreSQL writers at once: {conc['docs_per_s']} docs/s, added {conc['added']},"  # type: ignore[index]
          f" all stored once: {conc['all_stored_once']}, verify problems: {conc['verify_problems']}")  # type: ignore[index]
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0 if conc["all_stored_once"] and not conc["verify_problems"] else 1  # type: ignore[index]


def _pair(d: dict[str, float]) -> str:
    return f"{d['p50_ms']}/{d['p95_ms']}"


if __name__ == "__main__":
    sys.exit(main())
