"""What every benchmark prints and records: peak memory, the commit measured, a figures table."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

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
