"""The accountability kit's costs: storing exhibits, verifying them, dossiers and packages.

    python benchmarks/bench_kit.py [--files 20] [--mb 5]

1. A ledger of the corpus seeds and dev texts (ingested with the library), its newest event.
2. ``--files`` random files of ``--mb`` MB each added as exhibits of that event
   (kit.exhibits.add_exhibits: hashing, metadata, blob write, log entries): MB/s.
3. ``Store.verify`` before and after: the cost of re-hashing exhibit bytes, s per 100 MB.
4. A real JPEG, WAV and PDF (the test files' makers) added and a PDF sentence cited, then
   ``eventledger dossier EVENT --pdf --package`` in its own process (web app in-process,
   headless Chromium prints the page): wall seconds; ``verify-package`` on the result.

Prints a table and writes benchmarks/results/kit.json. No targets: these are the figures a
city's staff would wait for.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CORPUS = REPO.parent / "shared" / "corpus"


def _timed(fn):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--mb", type=float, default=5.0)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "benchmarks"))
    sys.path.insert(0, str(REPO / "tests" / "kit"))
    from files import make_jpeg, make_pdf, make_wav  # tests/kit/files.py
    from report import git_commit, peak_mb, table

    from eventledger.kit.exhibits import add_exhibits, cite
    from eventledger.runner.run import ingest_paths
    from eventledger.profile import load_profile
    from eventledger.settings import Settings
    from eventledger.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-kit-") as tmp:
        d = Path(tmp)
        db = d / "ledger.db"
        profile = load_profile()
        store = open_store(db, profile)
        texts = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "dev").glob("*.txt"))
        ingest_paths([str(p) for p in texts], store, profile, Settings(), progress=False)
        event = store.event_ids(limit=1)[0]
        _, verify0, _ = _timed(store.verify)
        size = int(args.mb * 1024 * 1024)
        paths = []
        for i in range(args.files):
            p = d / f"clip{i:03d}.mp4"
            p.write_bytes(os.urandom(size))
            paths.append(p)
        (done, errors), add_wall, add_cpu = _timed(lambda: add_exhibits(store, paths, "bench", event=event))
        assert not errors and len(done) == args.files, errors
        problems, verify1, _ = _timed(store.verify)
        assert problems == [], problems
        total_mb = args.files * args.mb
        real = [make_jpeg(d / "lot.jpg", 36.7378, -119.7871), make_wav(d / "call.wav"),
                make_pdf(d / "reply.pdf", ["This responds to your request.", "We located 12 pages of records."])]
        done2, errors2 = add_exhibits(store, real, "bench", event=event)
        assert not errors2, errors2
        cite(store, done2[2].sha256, "located 12 pages", "bench", None, event=event)
        store.close()
        cmd = [sys.executable, "-m", "eventledger", "dossier", event, "--pdf", str(d / "d.pdf"), "--package",
               str(d / "d.zip"), "--by", "bench", "--db", str(db)]
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        dossier_s = time.perf_counter() - t0
        assert r.returncode == 0, r.stderr
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "eventledger", "verify-package", str(d / "d.zip"), "--key",
                            str(d / "ledger.db.pub")], capture_output=True, text=True, cwd=REPO)
        vp_s = time.perf_counter() - t0
        assert r.returncode == 0, r.stdout + r.stderr
        zip_mb = (d / "d.zip").stat().st_size / 1e6
    rows = [
        (f"exhibit add, {args.files} x {args.mb:g} MB", f"{total_mb / add_wall:.0f} MB/s wall ({total_mb / add_cpu:.0f} by CPU)", "-"),
        ("verify, added cost per 100 MB of exhibits", f"{(verify1 - verify0) / total_mb * 100:.2f} s", "-"),
        (f"dossier --pdf --package ({zip_mb:.0f} MB zip), own process", f"{dossier_s:.1f} s", "-"),
        ("verify-package, own process", f"{vp_s:.1f} s", "-"),
    ]
    print(table(rows))
    out = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": git_commit(),
           "machine": platform.machine(), "cpus": os.cpu_count(), "load_average": os.getloadavg(),
           "files": args.files, "mb_each": args.mb, "add_wall_s": round(add_wall, 2), "add_cpu_s": round(add_cpu, 2),
           "verify_before_s": round(verify0, 2), "verify_after_s": round(verify1, 2),
           "dossier_pdf_package_s": round(dossier_s, 2), "verify_package_s": round(vp_s, 2), "zip_mb": round(zip_mb, 1),
           "peak_mb": round(peak_mb(), 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "kit.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
