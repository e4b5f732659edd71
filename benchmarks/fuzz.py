"""Fuzz ingest for N minutes: batches of hostile files (benchmarks/hostile.py) beside good
documents, each batch ingested by a fresh worker process into a ledger of its own, as
`eventledger ingest` does (read, extract, store, one boundary per document).

    python benchmarks/fuzz.py --minutes 10

Prints inputs tried, crashes (an exception escaping the per-document boundary: a worker
traceback), runs lost (a worker that died or had to be killed), hangs (a document that ran
over its time budget without being cut off and reported), good documents lost, the slowest
file and the peak memory of any worker. Exit status 1 when any crash, lost run, hang or lost
good document was seen; the failing batch is kept in --keep for a test to replay.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from report import git_commit, table  # noqa: E402

SLACK_S = 5.0  # a document may overrun its budget by this much (the timer is checked between steps)


def _peak_mb() -> int:
    """This program's peak resident memory (VmHWM: reset by exec, unlike ru_maxrss, which
    also counts the parent's pages a forked child held before it ran this)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _rss_mb() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1 << 20)
    except OSError:
        return 0


def worker(folder: str, db: str) -> None:
    """Ingest ``folder`` document by document, printing one JSON line per document."""
    from eventledger.errors import EventLedgerError
    from eventledger.ingest import read_inputs
    from eventledger.limits import cap_memory
    from eventledger.pipeline import process_guarded
    from eventledger.profile import load_profile
    from eventledger.settings import Settings
    from eventledger.store import Store

    settings = Settings()
    profile = load_profile()
    cap_memory(settings.max_document_memory_mb)
    with Store(db, profile) as store:
        t = time.perf_counter()
        for item in read_inputs([folder], settings):
            if isinstance(item, EventLedgerError):
                rec = {"source": str(item).split(": ")[0], "ok": False, "error": str(item)}
            else:
                ext = process_guarded(item, profile, settings)
                if isinstance(ext, EventLedgerError):
                    rec = {"source": item.source, "ok": False, "error": str(ext)}
                else:
                    try:
                        store.add(item, ext)
                        rec = {"source": item.source, "ok": True}
                    except EventLedgerError as e:
                        rec = {"source": item.source, "ok": False, "error": str(e)}
            now = time.perf_counter()
            rec["s"] = round(now - t, 3)
            rec["rss"] = _rss_mb()
            t = now
            print(json.dumps(rec), flush=True)
    print(json.dumps({"done": True, "hwm": _peak_mb()}), flush=True)


PEAK_KEEP_MB = 400


def _run_worker(folder: Path, db: str, limit: float, tmp: Path) -> tuple[str, str, int, float]:
    """Run one worker: its output, error output, exit status and peak resident memory (MB)."""
    with open(tmp / "out", "w+b") as out, open(tmp / "err", "w+b") as err:
        p = subprocess.Popen([sys.executable, __file__, "--worker", str(folder), db], stdout=out, stderr=err)
        deadline = time.monotonic() + limit
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                _, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.05)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text_out, text_err = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if time.monotonic() > deadline:
        text_err += "\nkilled: the run outlived every document's budget"
    return text_out, text_err, p.returncode, usage.ru_maxrss / 1024 if usage else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=250, help="hostile files per worker run")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="where failing batches are kept")
    ap.add_argument("--worker", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    from eventledger.settings import Settings

    from hostile import GOOD, hostile_batch

    budget = Settings().max_document_seconds
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rnd = random.Random(seed)
    deadline = time.monotonic() + args.minutes * 60
    tried = crashes = lost = hangs = good_lost = runs = over_budget = refused = 0
    slowest = (0.0, "")
    peak_run = (0, 0)
    kinds: dict[str, int] = {}
    seconds: dict[str, float] = {}
    started = time.monotonic()
    while time.monotonic() < deadline:
        runs += 1
        with tempfile.TemporaryDirectory(prefix="el-fuzz-") as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            batch = hostile_batch(rnd, args.batch)
            for name, data in batch:
                (folder / name).write_bytes(data)
                if not name.startswith("good"):
                    kind = name.split("-", 1)[1].rsplit(".", 2)[0].removesuffix(".warc")
                    kinds[kind] = kinds.get(kind, 0) + 1
            tried += args.batch
            db = str(Path(tmp) / "fuzz.db")
            limit = max(600.0, budget * 4)  # a batch takes well under a minute; past this, a run is lost
            out, err, code, run_peak = _run_worker(folder, db, limit, Path(tmp))
            done = [json.loads(line) for line in out.splitlines() if line.startswith('{"done"')]
            if done and done[0].get("hwm"):
                run_peak = done[0]["hwm"]  # the worker's own peak (ru_maxrss counts the parent's pages too)
            if run_peak > peak_run[0]:
                peak_run = (run_peak, runs)
            recs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
            bad = False
            if "Traceback" in err:
                crashes += 1
                bad = True
            if code != 0 or not any(r.get("done") for r in recs):
                lost += 1
                bad = True
            for r in recs:
                if "s" not in r:
                    continue
                m = re.search(r"h\d{4}-([a-z-]+?)(?:\.warc)?\.\w+", r["source"])
                k = m.group(1) if m else "good"
                seconds[k] = seconds.get(k, 0.0) + r["s"]
                if r["s"] > slowest[0]:
                    slowest = (r["s"], r["source"])
                if not r["ok"] and "over the time budget" in r.get("error", ""):
                    over_budget += 1
                elif r["s"] > budget + SLACK_S:
                    hangs += 1
                    bad = True
                refused += not r["ok"]
            stored = {Path(r["source"]).name for r in recs if r.get("ok")}
            missing = [f"good{i}.txt" for i in range(len(GOOD)) if f"good{i}.txt" not in stored]
            if missing and not bad and code == 0:
                good_lost += len(missing)
                bad = True
            if run_peak > PEAK_KEEP_MB:  # kept to find what used the memory
                bad = True
            if bad:
                keep = args.keep / f"run{runs:04d}-seed{seed}"
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copytree(folder, keep / "in", dirs_exist_ok=True)
                (keep / "stderr.txt").write_text(err[-20000:])
                print(f"run {runs}: exit {code}; kept in {keep}: {err.strip().splitlines()[-1] if err.strip() else ''}",
                      file=sys.stderr)
        elapsed = time.monotonic() - started
        print(f"\r{elapsed / 60:5.1f} min  {tried} inputs  {runs} runs  crashes {crashes}  lost {lost}  hangs {hangs}",
              end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    peak = peak_run[0]
    rows = [
        ("minutes", f"{(time.monotonic() - started) / 60:.1f}", str(args.minutes)),
        ("hostile inputs tried", str(tried), ">= 10000 in 10 min"),
        ("worker runs", str(runs), ""),
        ("crashes (tracebacks)", str(crashes), "0"),
        ("runs lost", str(lost), "0"),
        ("hangs (over budget, not reported)", str(hangs), "0"),
        ("good documents lost", str(good_lost), "0"),
        ("documents refused, one line each", str(refused), ""),
        ("documents over the time budget, reported", str(over_budget), ""),
        ("slowest document", f"{slowest[0]:.1f} s", f"<= {budget:g} s + {SLACK_S:g}"),
        ("peak memory of a worker", f"{peak:.0f} MB", "< 500 MB"),
    ]
    print(table(rows))
    print(f"slowest file: {slowest[1]}; peak memory in run {peak_run[1]}")
    print(f"inputs by kind: {json.dumps(dict(sorted(kinds.items())))}")
    print(f"seconds by kind: {json.dumps({k: round(v, 1) for k, v in sorted(seconds.items())})}")
    print(f"seed {seed}, commit {git_commit()}, {os.cpu_count()} cores")
    return 1 if crashes or lost or hangs or good_lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
