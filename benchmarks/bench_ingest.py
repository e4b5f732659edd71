"""Ledger ingest end to end, then the read queries the CLI runs, on one core.

    python benchmarks/bench_ingest.py [--n 10000] [--seed 0] [--reps 200] [--db FILE]

1. Build N synthetic documents with benchmarks/synth.py (corpus paragraphs recombined,
   names and numbers varied, ~10% exact and ~10% near copies) as JSON Lines, cut into
   four files of N/4 documents.
2. Ingest them into a fresh ledger with `eventledger.runner.run.ingest_paths`, the function
   `eventledger ingest` calls (reading, extraction, copy detection, event grouping, the
   hash-chained log, one transaction per document). After each file: documents per second
   so far, the process's resident memory now (RSS, /proc/self/statm) and its peak, so a
   memory that grows with the ledger would show.
3. Copies: every exact and near copy synth made is checked against the copy_of the ledger
   stored (recall), and every copy_of stored against synth's truth (precision).
4. Reads, over --reps repetitions each, p50 and p95: the `events` listing (50 records, with
   and without filters) and a `show` dossier of events picked at random plus the most
   reported one, timed as the library calls the CLI makes (Store.event_ids, event_rows,
   build_event_record); then the CLI itself in a fresh process, a few times (this includes
   starting Python).

Prints a table and writes the figures to benchmarks/results/ingest.json.
Exit status 1 when a target is missed: >= 50 documents/s, read p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import synth  # noqa: E402
from report import git_commit, peak_mb, pin_one_core, table  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "ingest.json"
TARGET_RATE = 50.0  # documents per second, end to end
TARGET_P95_MS = 50.0
CHUNKS = 4






def _rss_mb() -> float:
    """Resident memory now (Linux); the peak elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return peak_mb()


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def _ms(xs: list[float]) -> dict[str, float]:
    return {"p50_ms": round(_pct(xs, 0.5) * 1000, 2), "p95_ms": round(_pct(xs, 0.95) * 1000, 2),
            "max_ms": round(max(xs) * 1000, 2), "reps": len(xs)}


def write_chunks(tmp: Path, n: int, seed: int) -> tuple[list[Path], list[synth.SynthDoc]]:
    docs = list(synth.generate(n, seed))
    paths = []
    per = -(-n // CHUNKS)
    for c in range(CHUNKS):
        part = docs[c * per : (c + 1) * per]
        if not part:
            break
        p = tmp / f"synth-{c + 1}.jsonl"
        with p.open("w", encoding="utf-8") as out:
            for d in part:
                out.write(json.dumps(d.record, ensure_ascii=False) + "\n")
        paths.append(p)
    return paths, docs


def bench_ingest(paths: list[Path], db: str) -> dict:
    from eventledger import load_profile
    from eventledger.runner.run import ingest_paths
    from eventledger.settings import Settings
    from eventledger.store import open_store

    # each part is one JSON Lines file: at 100,000 documents a quarter is ~50 MB, over the
    # 20 MB a single input may have by default
    profile = load_profile()
    settings = Settings(max_input_bytes=max(Settings().max_input_bytes, *(p.stat().st_size + 1 for p in paths)))
    store = open_store(db, profile)
    samples = []
    done = failed = copies = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    try:
        for p in paths:
            w, c = time.perf_counter(), time.process_time()
            stats = ingest_paths([str(p)], store, profile, settings, progress=sys.stderr.isatty())
            n = stats.added + stats.skipped
            done += n
            failed += stats.failed
            if n == 0:
                raise SystemExit(f"{p}: no document ingested ({stats.failed} failed); the figures would mean nothing")
            copies += stats.copies
            el = time.perf_counter() - t0
            # this quarter's own rate, by wall and by CPU time: a rate falling with CPU time
            # would mean the ledger's growth slows ingest; with wall time only, other load
            samples.append({"documents": done, "elapsed_s": round(el, 2), "docs_per_s": round(done / el, 1),
                            "part_docs_per_s": round(n / (time.perf_counter() - w), 1),
                            "part_docs_per_cpu_s": round(n / (time.process_time() - c), 1),
                            "rss_mb": round(_rss_mb(), 1), "peak_rss_mb": round(peak_mb(), 1)})
            print(f"  {done:>6} documents  {done / el:6.1f}/s  this part {samples[-1]['part_docs_per_s']:6.1f}/s, "
                  f"by CPU {samples[-1]['part_docs_per_cpu_s']:6.1f}/s  RSS {_rss_mb():6.1f} MB", file=sys.stderr)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        counts = store.counts()
    finally:
        store.close()
    return {"documents": done, "failed": failed, "copies_found": copies, "elapsed_s": round(elapsed, 2),
            "docs_per_s": round(done / elapsed, 1), "cpu_s": round(cpu, 2), "docs_per_cpu_s": round(done / cpu, 1),
            "samples": samples, "peak_rss_mb": round(peak_mb(), 1),
            "rss_growth_mb_first_to_last_sample": round(samples[-1]["rss_mb"] - samples[0]["rss_mb"], 1),
            "counts": counts}


def check_copies(db: str, docs: list[synth.SynthDoc]) -> dict:
    """synth's own record of which document copies which, against what the ledger stored."""
    from eventledger.store import open_store

    with open_store(db) as store:
        by_url = {d["url"]: d for d in store.documents()}
    id_of = [by_url[d.record["url"]]["id"] if d.record["url"] in by_url else None for d in docs]
    out = {}
    for kind in ("exact", "near"):
        truth = [(i, d) for i, d in enumerate(docs) if d.kind == kind]
        found = 0
        for i, d in truth:
            stored = by_url.get(d.record["url"])
            orig = id_of[d.of] if d.of is not None else None
            if stored and orig and stored["copy_of"] in (orig, by_url[docs[d.of].record["url"]]["copy_of"]):
                found += 1
        out[kind] = {"made": len(truth), "found": found, "recall": round(found / len(truth), 4) if truth else None}
    flagged = [(i, d) for i, d in enumerate(docs) if by_url.get(d.record["url"], {}).get("copy_of")]
    false = [i for i, d in flagged if d.kind == "original"]
    out["flagged"] = len(flagged)
    out["originals_flagged_as_copies"] = len(false)
    # synth recombines ~150 paragraphs, so a few "originals" repeat most of an earlier one:
    # how much of the smaller text the pair really shares (exact 5-word shingles)
    texts = {by_url[d.record["url"]]["id"]: d.record["text"] for d in docs if d.record["url"] in by_url}
    out["originals_flagged_shared_share"] = sorted(
        round(_containment(docs[i].record["text"], texts.get(by_url[docs[i].record["url"]]["copy_of"], "")), 3)
        for i in false)
    out["precision"] = round(1 - len(false) / len(flagged), 4) if flagged else None
    return out


def _containment(a: str, b: str) -> float:
    def shingles(t: str) -> set[str]:
        w = re.findall(r"\w+", t.casefold())
        return {" ".join(w[i : i + 5]) for i in range(len(w) - 4)}

    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb)))


def bench_reads(db: str, reps: int, seed: int) -> dict:
    """The library calls behind `events` and `show`, as the CLI makes them."""
    from eventledger.ledger.compare import build_event_record
    from eventledger.store import open_store

    rng = random.Random(seed)
    out: dict[str, dict] = {}
    with open_store(db) as store:
        all_ids = store.event_ids()
        biggest = store.db.execute(
            "SELECT event_id, COUNT(*) n FROM reports GROUP BY event_id ORDER BY n DESC LIMIT 1").fetchone()
        top_outlet = store.db.execute(
            "SELECT outlet, COUNT(*) n FROM documents GROUP BY outlet ORDER BY n DESC LIMIT 1").fetchone()[0]

        def listing(**filters: object) -> int:
            ids = store.event_ids(limit=50, **filters)  # type: ignore[arg-type]
            return len([build_event_record(store.event_rows(i)) for i in ids])

        cases = {
            "events": {},
            "events_type_place": {"type_": "COERCE", "place": "Los Angeles"},
            "events_actor": {"actor": "ICE"},
            "events_outlet": {"outlet": top_outlet},
            "events_dates": {"date_from": "2020-01", "date_to": "2020-06"},
        }
        for name, filters in cases.items():
            listing(**filters)  # warm
            times, n = [], 0
            for _ in range(reps):
                t = time.perf_counter()
                n = listing(**filters)
                times.append(time.perf_counter() - t)
            out[name] = {**_ms(times), "records": n, "filters": {k: str(v) for k, v in filters.items()}}

        def show(eid: str) -> dict:
            return build_event_record(store.event_rows(eid))

        picks = [rng.choice(all_ids) for _ in range(reps)]
        show(picks[0])
        times = []
        for eid in picks:
            t = time.perf_counter()
            show(eid)
            times.append(time.perf_counter() - t)
        out["show_random"] = _ms(times)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            rec = show(biggest[0])
            times.append(time.perf_counter() - t)
        out["show_most_reported"] = {**_ms(times), "event": biggest[0], "reports": len(rec["reports"]),
                                     "figure_groups": len(rec["figures"])}
        out["_events_total"] = {"events": len(all_ids)}  # type: ignore[dict-item]
        out["_pick"] = {"show": picks[0]}  # type: ignore[dict-item]
    return out


def bench_cli(db: str, event_id: str, reps: int) -> dict:
    """The CLI read commands in a fresh process each (Python start-up included)."""
    out = {}
    for name, args in {"events": ["events", "--json"], "show": ["show", event_id, "--json"]}.items():
        times, status = [], 0
        for _ in range(reps):
            t = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "eventledger", *args, "--db", db], capture_output=True, cwd=REPO)
            times.append(time.perf_counter() - t)
            status = status or p.returncode
        out[name] = {**_ms(times), "exit_status": status}
    return out


def _size_mb(db: str) -> float:
    return round(sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p)) / (1 << 20), 1)






def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Example: python benchmarks/bench_ingest.py --n 10000")
    ap.add_argument("--n", type=int, default=10_000, help="synthetic documents to ingest (default 10000)")
    ap.add_argument("--seed", type=int, default=0, help="synth seed (default 0)")
    ap.add_argument("--reps", type=int, default=200, help="repetitions of each read query (default 200)")
    ap.add_argument("--cli-reps", type=int, default=5, help="runs of each CLI read command (default 5; 0 skips)")
    ap.add_argument("--db", help="ledger to write (default: a temporary SQLite file, deleted after)")
    ap.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS.relative_to(REPO)})")
    a = ap.parse_args(argv)
    if a.n < CHUNKS:
        ap.error(f"--n must be at least {CHUNKS}")

    core = pin_one_core()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmpd = Path(tmp)
        db = a.db or str(tmpd / "ledger.db")
        if a.db and Path(a.db).exists():
            sys.exit(f"error: {a.db} exists; give a new file")
        t = time.perf_counter()
        paths, docs = write_chunks(tmpd, a.n, a.seed)
        synth_s = time.perf_counter() - t
        print(f"synth: {a.n} documents in {synth_s:.1f} s; ingesting ...", file=sys.stderr)
        ing = bench_ingest(paths, db)
        size = _size_mb(db)
        copies = check_copies(db, docs)
        reads = bench_reads(db, a.reps, a.seed)
        cli = bench_cli(db, reads.pop("_pick")["show"], a.cli_reps) if a.cli_reps else None

    worst = max(v["p95_ms"] for k, v in reads.items() if not k.startswith("_"))
    ok = {"rate": ing["docs_per_s"] >= TARGET_RATE, "reads_p95": worst < TARGET_P95_MS}
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_core": core,
        # other work on the machine slows wall time: by CPU time is this process's own rate
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "targets": {"docs_per_s": TARGET_RATE, "read_p95_ms_below": TARGET_P95_MS},
        "synth": {"documents": a.n, "seed": a.seed, "seconds": round(synth_s, 2),
                  "exact_copies": sum(d.kind == "exact" for d in docs),
                  "near_copies": sum(d.kind == "near" for d in docs)},
        "ingest": ing,
        "ledger_mb": size,
        "copies": copies,
        "reads": reads,
        "cli": cli,
        "ok": ok,
    }
    a.output.parent.mkdir(parents=True, exist_ok=True)
    a.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    per = -(-a.n // CHUNKS)
    rows = [
        ("ingest, one core", f"{ing['docs_per_s']} docs/s", f">= {TARGET_RATE:g}"),
        ("ingest by CPU time", f"{ing['docs_per_cpu_s']} docs/s", ""),
        ("load average before / after", f"{result['load_average_before']} / {result['load_average_after']}", ""),
        *[(f"docs {s['documents'] - per + 1}-{s['documents']}: rate, by CPU, RSS after",
           f"{s['part_docs_per_s']} / {s['part_docs_per_cpu_s']} docs/s, {s['rss_mb']} MB", "RSS flat")
          for s in ing["samples"]],
        ("peak RSS", f"{ing['peak_rss_mb']} MB", ""),
        ("ledger size", f"{size} MB", ""),
        ("documents / events / figures", f"{ing['counts']['documents']} / {ing['counts']['events']} / "
                                         f"{ing['counts']['figures']}", ""),
        ("exact copies found", f"{copies['exact']['found']}/{copies['exact']['made']}", ""),
        ("near copies found", f"{copies['near']['found']}/{copies['near']['made']}", ""),
        ("synth originals found to be copies", str(copies["originals_flagged_as_copies"]), ""),
        ("  their shared text (min-max)", " - ".join(f"{x:.0%}" for x in copies["originals_flagged_shared_share"][::max(
            1, len(copies["originals_flagged_shared_share"]) - 1)]) or "-", ""),
        *[(f"{k} p50 / p95", f"{v['p50_ms']} / {v['p95_ms']} ms", f"< {TARGET_P95_MS:g}")
          for k, v in reads.items() if not k.startswith("_")],
        *[(f"CLI {k} p50 (fresh process)", f"{v['p50_ms']} ms", "") for k, v in (cli or {}).items()],
    ]
    print(table(rows))
    print(f"results: {a.output}")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
