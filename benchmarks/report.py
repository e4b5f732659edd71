"""What every benchmark prints and records: peak memory, the commit measured, a figures table."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size: ru_maxrss is KiB on Linux, bytes on macOS."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def table(rows: list[tuple[str, str, str]]) -> str:
    """An aligned text table of (measure, value, target) rows."""
    head = ("measure", "value", "target")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    fmt = "| " + " | ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths)) + " |"
    return "\n".join([line, fmt.format(*head), line, *(fmt.format(*r) for r in rows), line])


def pin_one_core() -> int | None:
    """Run on one core where the OS lets us choose; returns the core or None."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def timed_writes(store: Any, pairs: Iterable[tuple[Any, Any]], chunk: int = 500,
                 label: str | None = None) -> tuple[list[float], list[float], list[dict[str, Any]]]:
    """``store.add(raw, extraction)`` for each pair, timed one by one (wall and CPU seconds),
    with the mean per chunk of ``chunk`` documents in milliseconds. With ``label``, each
    chunk's cost is printed on standard error as it ends, so a long run can be read while it
    goes. The store is closed at the end."""
    wall: list[float] = []
    cpu: list[float] = []
    chunks: list[dict[str, Any]] = []
    try:
        for raw, ext in pairs:
            t, c = time.perf_counter(), time.process_time()
            store.add(raw, ext)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            if len(wall) % chunk == 0:
                chunks.append(_chunk(wall, cpu, len(wall) - chunk))
                if label:
                    last = chunks[-1]
                    print(f"{label}: {len(wall)} documents, last {chunk}: {last['wall_ms_per_doc']:.2f} ms wall, "
                          f"{last['cpu_ms_per_doc']:.2f} ms CPU a document", file=sys.stderr, flush=True)
    finally:
        store.close()
    if len(wall) % chunk:
        chunks.append(_chunk(wall, cpu, len(wall) - len(wall) % chunk))
    return wall, cpu, chunks


def _chunk(wall: list[float], cpu: list[float], start: int) -> dict[str, Any]:
    return {"documents": f"{start + 1}-{len(wall)}",
            "wall_ms_per_doc": round(1000 * statistics.fmean(wall[start:]), 3),
            "cpu_ms_per_doc": round(1000 * statistics.fmean(cpu[start:]), 3)}
