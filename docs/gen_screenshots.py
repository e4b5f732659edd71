"""Take the screenshots in docs/screenshots/ from a ledger of the corpus's seeds and stories.

    python docs/gen_screenshots.py                 # rewrite the pictures this script makes
    python docs/gen_screenshots.py --out /tmp/x    # write them elsewhere

Builds a fresh ledger in a temporary folder from ``../shared/corpus/seeds`` and
``../shared/corpus/stories`` (the texts only), starts ``eventledger serve`` on a free
loopback port with no tile server, and drives Debian's Chromium through Playwright
(scripts/install-browser.sh installs it; scripts/build-web.sh builds the map library and
the outlines). Every request that leaves the machine is refused, so the maps show what a
reader without internet sees. Pictures: overview, events, event, story, source, entity,
glossary and map (the overview's map alone). review.png is left to the browser tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_ledger(path: Path) -> None:
    from eventledger.runner.run import ingest_paths
    from eventledger.profile import load_profile
    from eventledger.settings import Settings
    from eventledger.store import open_store

    texts = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "stories").glob("*.txt"))
    if not texts:
        raise SystemExit(f"error: {CORPUS}: no seeds or stories to build the ledger from")
    profile = load_profile()
    store = open_store(path, profile)
    try:
        stats = ingest_paths([str(p) for p in texts], store, profile, Settings(), progress=False)
    finally:
        store.close()
    if stats.failed:
        print(f"warning: {stats.failed} documents failed: {stats.errors}", file=sys.stderr)


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventledger", "serve", "--db", str(db), "--port", str(port),
                             "--tiles", ""], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"error: eventledger serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("error: eventledger serve did not listen within 60 s") from None
            time.sleep(0.1)


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    local = urlsplit(base).netloc
    written: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == local
                  else route.abort())
        page = ctx.new_page()

        def get(path: str):  # type: ignore[no-untyped-def]
            return page.request.get(base + path).json()

        def snap(name: str, path: str, wait: str | None = None, element: str | None = None) -> None:
            page.goto(base + path)
            if wait:
                page.wait_for_selector(wait, timeout=20000)
                page.wait_for_timeout(400)  # let the map finish drawing
            target = out / f"{name}.png"
            if element:
                page.locator(element).screenshot(path=str(target))
            else:
                page.screenshot(path=str(target), full_page=False)
            written.append(target)

        snap("overview", "/", wait=".map.big[data-outlines][data-markers]")
        snap("map", "/", wait=".map.big[data-outlines][data-markers]", element="section:has(.map.big)")
        snap("events", "/events", wait=".map[data-outlines][data-markers]")
        events = get("/api/events?per_page=500&facets=false")["events"]
        conflict = next((e for e in events if any(g["conflict"] for g in e["figures"])), events[0])
        snap("event", f"/events/{conflict['id']}")
        stories = get("/api/stories")
        story = max(stories, key=lambda s: len(s["documents"]))
        snap("story", f"/stories/{story['id']}")
        first = conflict["reports"][0]
        snap("source", f"/sources/{first['document_id']}?hl={first['start']}-{first['end']}#hl")
        place = next((e["place"]["id"] for e in events if e["place"]), None)
        if place:
            snap("entity", f"/entities/{place}")
        snap("glossary", "/glossary")
        browser.close()
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"error: Chromium not found at {CHROMIUM}: run scripts/install-browser.sh", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        build_ledger(db)
        proc, base = serve(db)
        try:
            for p in shoot(base, out):
                print(p)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
