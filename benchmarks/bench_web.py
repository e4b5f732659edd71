"""Web app page times over loopback, on a 10,000-document ledger.

    python benchmarks/bench_web.py [--n 10000] [--requests 200] [--rebuild]

1. The ledger: benchmarks/synth.py writes N synthetic documents (recombined from the
   corpus beside the repo) and they are ingested with the library (runner.run.ingest_paths).
   That takes minutes, so the ledger is cached as benchmarks/results/web-ledger-N.db and
   reused while its stamp (N, seed, synth.py's SHA-256) matches; --rebuild forces a new one.
2. The server: `python -m eventledger serve` (uvicorn) in its own process, on a free port
   of 127.0.0.1, map tiles off.
3. Real HTTP requests over one keep-alive connection, each timed from sending the request
   to reading the last byte of the body:
   - overview: GET / (cached between ledger changes; the first, cold, request is reported apart)
   - events: GET /events on pages drawn at random, and filtered by type, place, outlet, date
     and full-text words (the first request of each filter computes its facets cold)
   - dossier: GET /events/ID for events drawn at random (all distinct, so all cold)
   - source: GET /sources/ID for documents drawn at random (not a target; reported)
   p50, p95 and max per page. Target: p95 under 100 ms for overview, events and dossier.

Prints a table and writes benchmarks/results/web.json. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
TARGET_MS = 100.0
SEED = 0


def _percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def build_ledger(n: int, rebuild: bool) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synth import write_corpus  # benchmarks/synth.py

    from eventledger.runner.run import ingest_paths
    from eventledger.profile import load_profile
    from eventledger.settings import Settings
    from eventledger.store import open_store

    RESULTS.mkdir(parents=True, exist_ok=True)
    db = RESULTS / f"web-ledger-{n}.db"
    stamp_path = RESULTS / f"web-ledger-{n}.json"
    stamp = {"n": n, "seed": SEED, "synth_sha256": hashlib.sha256((REPO / "benchmarks" / "synth.py").read_bytes()).hexdigest()}
    old = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    if not rebuild and db.exists() and old.get("complete") and all(old.get(k) == v for k, v in stamp.items()):
        print(f"ledger: reusing {db.relative_to(REPO)}", file=sys.stderr)
        return db
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), stamp_path):
        p.unlink(missing_ok=True)
    corpus = write_corpus(RESULTS / f"synth-{n}.jsonl", n, seed=SEED)
    t0 = time.perf_counter()
    store = open_store(db, load_profile())
    stats = ingest_paths([str(corpus)], store, store.profile, Settings(), progress=sys.stderr.isatty())
    counts = store.counts()
    store.close()
    took = time.perf_counter() - t0
    print(f"ledger: built in {took:.0f} s: {stats.added} added, {stats.failed} failed; {counts}", file=sys.stderr)
    stamp_path.write_text(json.dumps({**stamp, "complete": True, "build_s": round(took, 1), "counts": counts}))
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = dict(os.environ, EVENTLEDGER_SECRET_KEY="bench")
    proc = subprocess.Popen([sys.executable, "-m", "eventledger", "serve", "--db", str(db), "--port", str(port), "--tiles", ""],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> tuple[float, int, bytes]:
        t0 = time.perf_counter()
        self.conn.request("GET", path, headers={"Accept": "text/html"})
        resp = self.conn.getresponse()
        body = resp.read()
        return (time.perf_counter() - t0) * 1000, resp.status, body


def _summary(times: list[float]) -> dict[str, float]:
    return {"requests": len(times), "p50_ms": round(_percentile(times, 0.5), 2), "p95_ms": round(_percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2), "mean_ms": round(statistics.fmean(times), 2)}


def run(db: Path, requests: int) -> dict[str, object]:
    sys.path.insert(0, str(REPO))
    from eventledger.store import open_store

    store = open_store(db)
    rng = random.Random(SEED)
    event_ids = [r[0] for r in store.db.execute("SELECT id FROM events ORDER BY id")]
    doc_ids = [r[0] for r in store.db.execute("SELECT id FROM documents ORDER BY id")]
    types = [r[0] for r in store.db.execute("SELECT DISTINCT type FROM events ORDER BY type")]
    places = [r[0] for r in store.db.execute("SELECT place_id FROM events WHERE place_id IS NOT NULL GROUP BY place_id"
                                             " ORDER BY COUNT(*) DESC LIMIT 20")]
    outlets = [r[0] for r in store.db.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL ORDER BY outlet")][:20]
    counts = store.counts()
    store.close()
    total_pages = max(1, len(event_ids) // 50)
    filters = ([f"type={t}" for t in types] + [f"place={quote(p)}" for p in places] + [f"outlet={quote(o)}" for o in outlets]
               + ["from=2025-06&to=2025-09", "q=curfew", "q=National+Guard", "type=COERCE&mode=arrest"])
    events_paths = []
    for i in range(requests):
        events_paths.append(f"/events?page={rng.randint(1, total_pages)}" if i % 2 == 0 else f"/events?{rng.choice(filters)}")
    plan = {
        "overview": ["/"] * requests,
        "events": events_paths,
        "dossier": [f"/events/{e}" for e in rng.sample(event_ids, min(requests, len(event_ids)))],
        "source": [f"/sources/{d}" for d in rng.sample(doc_ids, min(requests // 4, len(doc_ids)))],
    }
    proc, port = start_server(db)
    try:
        client = Client(port)
        for path in ("/static/app.css", "/api/openapi.json"):  # the process's own warm-up, not a page of the ledger
            client.get(path)
        out: dict[str, object] = {}
        for page, paths in plan.items():
            times = []
            first = None
            for p in paths:
                ms, status, body = client.get(p)
                if status != 200:
                    raise SystemExit(f"GET {p}: HTTP {status}: {body[:200]!r}")
                if first is None:
                    first = ms
                times.append(ms)
            out[page] = {**_summary(times), "first_ms": round(first or 0, 2)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"ledger": counts, "pages": out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000, help="documents in the ledger (default 10000)")
    ap.add_argument("--requests", type=int, default=200, help="requests per page kind (default 200)")
    ap.add_argument("--rebuild", action="store_true", help="build the ledger even when a cached one matches")
    args = ap.parse_args(argv)
    db = build_ledger(args.n, args.rebuild)
    res = run(db, args.requests)
    print(f"ledger: {res['ledger']['documents']} documents, {res['ledger']['events']} events, "  # type: ignore[index]
          f"{res['ledger']['reports']} reports, {res['ledger']['figures']} figures")  # type: ignore[index]
    print(f"{'page':10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'first ms':>9}")
    missed = []
    for page, r in res["pages"].items():  # type: ignore[union-attr]
        flag = ""
        if page in ("overview", "events", "dossier") and r["p95_ms"] >= TARGET_MS:
            flag = "  MISSED"
            missed.append(page)
        print(f"{page:10} {r['requests']:8d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f} {r['first_ms']:9.1f}{flag}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "n": args.n, "target_p95_ms": TARGET_MS,
           "python": platform.python_version(), "cpus": os.cpu_count(), "load_avg": os.getloadavg(), **res,
           "missed": missed}
    (RESULTS / "web.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {(RESULTS / 'web.json').relative_to(REPO)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
