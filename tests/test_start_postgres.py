"""scripts/start-postgres.sh starts a private server on the port and in the folder it is given,
and `stop` leaves nothing behind: no process runs from that folder and nothing listens on the
port. scripts/test relies on this to run with a server of its own and stop it on exit.

Marked postgresql: it starts a real PostgreSQL server (on a free port, in a new folder under
/tmp; never the shared one)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "start-postgres.sh"

pytestmark = pytest.mark.postgresql


def free_port() -> int:
    out = subprocess.run(["python3", str(REPO / "scripts" / "free-port.py")], capture_output=True, text=True, check=True)
    return int(out.stdout)


def listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def processes_using(folder: Path) -> list[str]:
    """Command lines of running processes that name ``folder`` (a postmaster started with -D)."""
    out = []
    for f in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            cmd = Path(f).read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in cmd:
            out.append(cmd.strip())
    return out


def run(folder: Path, port: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVENTLEDGER_PG_DIR": str(folder), "EVENTLEDGER_PG_PORT": str(port)}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def pg_folder():
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        pytest.skip("PostgreSQL is not installed (scripts/start-postgres.sh installs it as root)")
    # not under pytest's tmp_path: the server runs as the postgres account, which must reach it
    folder = Path(tempfile.mkdtemp(prefix="eventledger-pgtest-", dir="/tmp"))
    port = free_port()
    try:
        yield folder, port
    finally:
        run(folder, port, "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_start_on_a_free_port_in_a_private_folder_then_stop_leaves_nothing(pg_folder):
    folder, port = pg_folder
    assert not listening(port)
    r = run(folder, port)
    assert r.returncode == 0, r.stderr
    url = r.stdout.strip()
    assert url.endswith(f"@127.0.0.1:{port}/eventledger"), url
    assert listening(port)
    assert processes_using(folder), "the server runs from the folder it was given"

    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        assert conn.execute("show port").fetchone()[0] == str(port)

    again = run(folder, port)  # idempotent: the same server, not a second one
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == url

    stop = run(folder, port, "stop")
    assert stop.returncode == 0, stop.stderr
    for _ in range(50):
        if not listening(port) and not processes_using(folder):
            break
        time.sleep(0.1)
    assert not listening(port), f"something still listens on {port}"
    assert not processes_using(folder), processes_using(folder)
    assert not (folder / "data" / "postmaster.pid").exists()


def test_scripts_test_starts_its_own_server_and_stops_it_on_exit():
    """scripts/test takes a free port and a folder of its own and stops the server on exit."""
    text = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    assert "trap stop_pg EXIT" in text
    assert "mktemp -d" in text and "scripts/free-port.py" in text
    assert "exec .venv/bin/python -m pytest" not in text, "exec would skip the EXIT trap"
    assert "55432" not in text and "/tmp/eventledger-pg" not in text
