"""The ledger writer alone (Store.add of ready extractions) as the ledger grows to 100,000
documents, and on a crowded day: the grouping's cost per document.

    python benchmarks/bench_write.py [--n 100000] [--day 4000] [--seed 0] [--cache DIR]

1. Build N synthetic documents with benchmarks/synth.py and extract them once (the
   extractions are kept as a pickle in --cache, default the system's temporary folder, so
   another eventledger checkout can be measured on the very same records: run this script
   with PYTHONPATH pointing at that checkout).
2. Write them in order into a fresh SQLite ledger, timing each Store.add (wall and CPU);
   report the mean per chunk of 500, and at 10,000 and 100,000 documents (the chunk ending
   there), and documents per second over the whole run.
3. The crowded day: the first --day documents all published on one day (re-extracted, so
   relative dates fall in one week), written into a fresh ledger; the last chunk's cost
   against the normal run's chunk at the same ledger size ("within 2x" is the target).

Prints a table and writes benchmarks/results/write.json (not in git).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
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

RESULTS = REPO / "benchmarks" / "results" / "write.json"
CHUNK = 500
ONE_DAY = "2025-06-10"


def _records(n: int, seed: int, cache: Path) -> tuple[list[Any], list[Any]]:
    """(raws, extractions) of n synthetic documents, extracted once and cached."""
    from eventledger import load_profile
    from eventledger.errors import EventLedgerError
    from eventledger.ingest import read_inputs
    from eventledger.pipeline import process
    from eventledger.settings import Settings

    import hashlib

    import eventledger.records

    # the pickled records are instances of eventledger.records' classes: a cache made before
    # those classes changed cannot be loaded into them, so the file is named by their source
    shape = hashlib.sha256(Path(eventledger.records.__file__).read_bytes()).hexdigest()[:12]
    path = cache / f"eventledger-bench-write-{n}-{seed}-{shape}.pickle"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    src = synth.write_corpus(cache / f"eventledger-bench-write-{n}-{seed}.jsonl", n, seed)
    profile, settings = load_profile(), Settings(max_input_bytes=src.stat().st_size + 1)  # one JSON Lines file
    raws = [r for r in read_inputs([str(src)], settings) if not isinstance(r, EventLedgerError)]
    if len(raws) != n:
        raise SystemExit(f"{src}: read {len(raws)} of {n} documents")
    exts = [process(r, profile, settings) for r in raws]
    with path.open("wb") as f:
        pickle.dump((raws, exts), f, protocol=5)
    return raws, exts


def _write(db: Path, raws: list[Any], exts: list[Any]) -> dict[str, Any]:
    from eventledger import load_profile
    from eventledger.store import Store

    store = Store(str(db), load_profile())
    wall, cpu, chunks = timed_writes(store, zip(raws, exts, strict=True), CHUNK, label=db.name)
    with Store(str(db), load_profile()) as store:
        counts = store.counts()
    return {"documents": len(wall), "docs_per_s": round(len(wall) / sum(wall), 1),
            "cpu_ms_per_doc": round(1000 * statistics.fmean(cpu), 3), "by_chunk": chunks,
            "events": counts["events"], "copies": counts["copies"]}


def _at(run: dict[str, Any], n: int) -> dict[str, Any] | None:
    return next((c for c in run["by_chunk"] if c["documents"].endswith(f"-{n}")), None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--day", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    import eventledger

    t0 = time.perf_counter()
    raws, exts = _records(args.n, args.seed, args.cache)
    prep_s = time.perf_counter() - t0
    out: dict[str, Any] = {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": git_commit(),
        "code": str(Path(eventledger.__file__).resolve().parents[1]), "python": platform.python_version(),
        "cores": os.cpu_count(), "load_before": os.getloadavg()[0], "documents": len(raws),
        "prepare_s": round(prep_s, 1),
    }
    with tempfile.TemporaryDirectory() as tmp:
        out["normal"] = _write(Path(tmp) / "normal.db", raws, exts)
        from eventledger import load_profile
        from eventledger.pipeline import process
        from eventledger.settings import Settings

        profile, settings = load_profile(), Settings()
        day = [replace(r, published=ONE_DAY, published_basis="metadata") for r in raws[: args.day]]
        day_exts = [process(r, profile, settings) for r in day]
        out["one_day"] = _write(Path(tmp) / "one-day.db", day, day_exts)
    out["load_after"] = os.getloadavg()[0]
    summary = {f"at_{n}": _at(out["normal"], n) for n in (10_000, 100_000) if n <= len(raws)}
    last_day = out["one_day"]["by_chunk"][-1]
    same = _at(out["normal"], int(last_day["documents"].split("-")[1]))
    summary["one_day_last_chunk"] = last_day
    summary["one_day_vs_normal_cpu"] = round(last_day["cpu_ms_per_doc"] / same["cpu_ms_per_doc"], 2) if same else None
    out["summary"] = summary
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"code": out["code"], "commit": out["commit"], "docs_per_s": out["normal"]["docs_per_s"],
                      "cpu_ms_per_doc": out["normal"]["cpu_ms_per_doc"], **summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
