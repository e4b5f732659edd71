"""Extraction throughput and peak memory, in one process on one core.

    python benchmarks/bench_extract.py [--n 1000] [--cold-cache]

1. Warm-up, reported on its own: load the profile and settings and extract one
   document (this loads the GeoNames gazetteer from ~/.cache/eventledger, or builds it
   there on first use).
2. Throughput: extract N documents made by cycling the corpus texts
   (../shared/corpus/seeds/*.txt and dev/*.txt beside the repo). Each copy gets a line
   of its own appended, so its bytes, id and text differ and no cache can answer for it.
   The texts are read from the corpus at run time, never copied into the repo.
3. The CLI end to end, once, in a fresh process: `python -m eventledger extract` over the
   13 corpus files (with --cold-cache, once more with an empty gazetteer cache). It runs
   before steps 1 and 2, so its peak memory is its own.

Prints a table and writes the figures to benchmarks/results/extract.json.
Exit status 1 when a target (>= 100 articles/s, < 500 MB peak) is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from report import git_commit, peak_mb, table  # noqa: E402
CORPUS = REPO.parent / "shared" / "corpus"
RESULTS = REPO / "benchmarks" / "results" / "extract.json"
TARGET_RATE = 100.0  # articles per second
TARGET_PEAK_MB = 500.0




def _pin_one_core() -> int | None:
    """Run on one core where the OS lets us choose; returns the core or None."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def _letters(i: int) -> str:
    """A counter spelled in lower-case letters: no digits for the figure finder to count,
    no capitals for the entity finder to name."""
    s = ""
    while True:
        i, r = divmod(i, 26)
        s = chr(ord("a") + r) + s
        if i == 0:
            return s


def corpus_files() -> list[Path]:
    files = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "dev").glob("*.txt"))
    if not files:
        sys.exit(f"error: no corpus texts under {CORPUS} (expected ../shared/corpus beside the repo)")
    return files


def make_documents(files: list[Path], n: int) -> list:
    """N RawDocuments cycling the corpus texts, each copy made distinct by an appended line."""
    from eventledger.records import RawDocument

    texts = [(f, f.read_bytes().decode("utf-8")) for f in files]
    docs = []
    for i in range(n):
        f, text = texts[i % len(texts)]
        body = f"{text.rstrip()}\n\nbenchmark copy {_letters(i)}\n"
        data = body.encode("utf-8")
        docs.append(RawDocument(id=hashlib.sha256(data).hexdigest(), source=f"{f.name}#copy-{i}", text=body, raw=data))
    return docs


def bench_library(n: int) -> dict:
    from eventledger import Settings, load_profile, process
    from eventledger.errors import EventLedgerError

    files = corpus_files()
    t0 = time.perf_counter()
    profile = load_profile()
    settings = Settings()
    t_profile = time.perf_counter() - t0
    warm = make_documents(files, 1)[0]
    warm = type(warm)(id="warm-up", source="warm-up", text=warm.text, raw=warm.raw)
    process(warm, profile, settings)
    t_warm = time.perf_counter() - t0
    docs = make_documents(files, n)
    chars = sum(len(d.text) for d in docs)

    per_doc: list[float] = []
    failed = counts = 0
    load_before = os.getloadavg()[0]
    cpu0 = time.process_time()
    start = time.perf_counter()
    for d in docs:
        t = time.perf_counter()
        try:
            ext = process(d, profile, settings)
            counts += len(ext.entities) + len(ext.figures) + len(ext.quotes) + len(ext.events)
        except EventLedgerError:
            failed += 1
        per_doc.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    per_doc.sort()
    return {
        "documents": n,
        "distinct_texts": len(files),
        "chars": chars,
        "failed": failed,
        "items_extracted": counts,
        "profile_load_s": round(t_profile, 4),
        "warmup_s": round(t_warm, 4),
        "elapsed_s": round(elapsed, 4),
        "articles_per_s": round(n / elapsed, 1),
        "cpu_s": round(cpu, 4),
        "articles_per_cpu_s": round(n / cpu, 1),
        "load_average_before": round(load_before, 2),
        "chars_per_s": round(chars / elapsed),
        "ms_per_doc_median": round(statistics.median(per_doc) * 1000, 3),
        "ms_per_doc_p95": round(per_doc[int(0.95 * (len(per_doc) - 1))] * 1000, 3),
        "ms_per_doc_max": round(per_doc[-1] * 1000, 3),
        "peak_rss_mb": round(peak_mb(), 1),
    }


def bench_cli(env_extra: dict[str, str] | None = None) -> dict:
    """`python -m eventledger extract` over the corpus files, in a fresh process."""
    files = corpus_files()
    env = {**os.environ, **(env_extra or {})}
    before = peak_mb(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "eventledger", "extract", "--no-text", *map(str, files)],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - t
    records = [line for line in proc.stdout.splitlines() if line.strip()]
    return {
        "files": len(files),
        "records": len(records),
        "exit_status": proc.returncode,
        "stderr": proc.stderr.strip()[-2000:],
        "elapsed_s": round(elapsed, 3),
        # RUSAGE_CHILDREN's peak is the largest child so far: exact when it grows.
        "peak_rss_mb": round(max(peak_mb(resource.RUSAGE_CHILDREN), before), 1),
    }






def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="documents to extract (default 1000)")
    ap.add_argument("--cold-cache", action="store_true", help="also time the CLI with an empty gazetteer cache")
    ap.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results file (default {RESULTS.relative_to(REPO)})")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be at least 1")

    core = _pin_one_core()
    # The CLI runs first, while this process is still small: Linux counts a child's
    # memory before exec (a copy of this process) in its peak.
    # The cold run goes second: building the gazetteer takes more memory, and the peak
    # of RUSAGE_CHILDREN is that of the largest child so far.
    cli = bench_cli()
    cold = None
    if args.cold_cache:
        with tempfile.TemporaryDirectory() as tmp:
            cold = bench_cli({"XDG_CACHE_HOME": tmp})
    lib = bench_library(args.n)

    rate_ok = lib["articles_per_s"] >= TARGET_RATE
    mem_ok = lib["peak_rss_mb"] < TARGET_PEAK_MB
    cli_ok = cli["exit_status"] == 0 and cli["records"] == cli["files"]
    mark = {True: "ok", False: "MISSED"}
    rows = [
        ("profile load", f"{lib['profile_load_s']:.3f} s", ""),
        ("warm-up (profile + gazetteer + 1st doc)", f"{lib['warmup_s']:.3f} s", ""),
        (f"extract {lib['documents']} docs ({lib['distinct_texts']} texts cycled)", f"{lib['elapsed_s']:.2f} s", ""),
        ("throughput", f"{lib['articles_per_s']:.1f} articles/s", f">= {TARGET_RATE:g} {mark[rate_ok]}"),
        ("throughput by CPU time (other load excluded)", f"{lib['articles_per_cpu_s']:.1f} articles/s", ""),
        ("machine load average before the run", f"{lib['load_average_before']:.2f}", ""),
        ("throughput (characters)", f"{lib['chars_per_s']:,} chars/s", ""),
        ("per document median / p95", f"{lib['ms_per_doc_median']:.2f} / {lib['ms_per_doc_p95']:.2f} ms", ""),
        ("per document max", f"{lib['ms_per_doc_max']:.2f} ms", ""),
        ("peak memory (whole process)", f"{lib['peak_rss_mb']:.1f} MB", f"< {TARGET_PEAK_MB:g} MB {mark[mem_ok]}"),
        ("failed documents", str(lib["failed"]), ""),
        (f"CLI extract, {cli['files']} files, end to end", f"{cli['elapsed_s']:.2f} s", ""),
        ("CLI records / exit status", f"{cli['records']} / {cli['exit_status']}", mark[cli_ok]),
        ("CLI peak memory", f"{cli['peak_rss_mb']:.1f} MB", ""),
    ]
    if cold:
        rows.append(("CLI, empty gazetteer cache (first use)", f"{cold['elapsed_s']:.2f} s", ""))
        rows.append(("CLI peak memory, first use", f"{cold['peak_rss_mb']:.1f} MB", ""))
    print(f"eventledger extraction benchmark: one process, core {core if core is not None else 'not pinned'}, "
          f"Python {platform.python_version()}")
    print(table(rows))
    if not cli_ok:
        print(f"CLI stderr:\n{cli['stderr']}", file=sys.stderr)

    import eventledger

    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "eventledger": eventledger.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_core": core,
        "targets": {"articles_per_s": TARGET_RATE, "peak_rss_mb_below": TARGET_PEAK_MB},
        "library": lib,
        "cli": cli,
        "cli_cold_cache": cold,
        "ok": {"rate": rate_ok, "memory": mem_ok, "cli": cli_ok},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.output}")
    return 0 if rate_ok and mem_ok and cli_ok else 1


if __name__ == "__main__":
    sys.exit(main())
