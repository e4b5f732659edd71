"""Captures against a local HTTP server on 127.0.0.1 (never any other address): robots.txt
obeyed, one host asked at most once per delay, size limit, an honest user agent; the WARC
read back with warcio, its pages ingested and the archive kept as an exhibit."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from eventledger.cli import app
from eventledger.kit.capture import CaptureOptions, capture_to_warc, ingest_warc
from eventledger.store import kit as sk

runner = CliRunner()

ARTICLE = b"""<!doctype html><html><head><title>Agents stage at county fairgrounds</title>
<meta property="og:site_name" content="Valley Courier"></head><body><article>
<h1>Agents stage at county fairgrounds</h1>
<p>Federal immigration agents arrested 12 people at a packing house in Yakima on May 6, 2025, officials said.</p>
<p>Residents said the agents had gathered at the county fairgrounds before dawn.</p>
</article></body></html>"""


class _Site(BaseHTTPRequestHandler):
    hits: list[tuple[str, str, float]] = []

    def do_GET(self):  # noqa: N802
        _Site.hits.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow: /private/\n", "text/plain"
        elif self.path == "/news/raid.html":
            body, ctype = ARTICLE, "text/html; charset=utf-8"
        elif self.path == "/news/huge.html":
            body, ctype = b"<html><body>" + b"x" * 300_000 + b"</body></html>", "text/html"
        elif self.path == "/private/memo.html":
            body, ctype = b"<html><body>secret</body></html>", "text/html"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def site():
    _Site.hits = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_polite_capture_into_warc(site, tmp_path):
    warc = tmp_path / "c.warc.gz"
    opts = CaptureOptions(user_agent="eventledger-test/1 (+mailto:records@example.org)", delay_s=0.4, max_bytes=100_000)
    res = capture_to_warc([f"{site}/news/raid.html", f"{site}/private/memo.html", f"{site}/news/huge.html",
                           "ftp://127.0.0.1/file", f"{site}/news/gone.html"], warc, opts)
    assert [u for u, _, _ in res.captured] == [f"{site}/news/raid.html", f"{site}/news/gone.html"]
    skipped = dict(res.skipped)
    assert "robots.txt disallows" in skipped[f"{site}/private/memo.html"]
    assert "100000-byte limit" in skipped[f"{site}/news/huge.html"]
    assert skipped["ftp://127.0.0.1/file"] == "not an http(s) URL"
    paths = [h[0] for h in _Site.hits]
    assert paths[0] == "/robots.txt" and "/private/memo.html" not in paths  # never asked for
    assert {h[1] for h in _Site.hits} == {opts.user_agent}
    gaps = [b[2] - a[2] for a, b in zip(_Site.hits, _Site.hits[1:])]
    assert min(gaps) >= 0.38  # one host, at most once per delay
    records = list(ArchiveIterator(warc.open("rb")))
    kinds = [r.rec_type for r in records]
    assert kinds[0] == "warcinfo" and kinds.count("request") == 2 and kinds.count("response") == 2
    resp = [r for r in records if r.rec_type == "response"]
    assert resp[0].rec_headers.get_header("WARC-Target-URI") == f"{site}/news/raid.html"
    assert resp[0].http_headers.get_statuscode() == "200"
    assert resp[1].http_headers.get_statuscode() == "404"  # recorded as it was


def test_capture_command_ingests_and_keeps_the_archive(site, ledger, kstore, tmp_path, raid):
    kstore.close()
    warc = tmp_path / "raid.warc.gz"
    r = runner.invoke(app, ["capture", f"{site}/news/raid.html", f"{site}/private/memo.html", "--warc", str(warc),
                            "--by", "dana", "--event", raid, "--delay", "0.1", "--db", str(ledger)])
    assert r.exit_code == 1, r.output  # one page skipped: reported, the rest done
    assert "robots.txt disallows" in r.output and "1 document(s) added" in r.output
    from eventledger.store import open_store

    s = open_store(ledger)
    try:
        doc = s.db.execute("SELECT id, url, title, text FROM documents WHERE url = ?", (f"{site}/news/raid.html",)).fetchone()
        assert doc is not None and "county fairgrounds" in doc["text"]
        ex = sk.list_exhibits(s, "event", raid)
        assert [x["media_type"] for x in ex] == ["application/warc"]
        assert ex[0]["metadata"]["responses"][0]["url"] == f"{site}/news/raid.html"
        assert s.verify() == []
        again = ingest_warc(s, warc, on_error=lambda m: None)
        assert again == (0, 1)  # the same bytes are not stored twice
        captured_event = s.db.execute("SELECT event_id FROM reports WHERE document_id = ?", (doc["id"],)).fetchone()[0]
    finally:
        s.close()
    # later: capture an event's sources again, by the event alone
    _Site.hits = []
    r = runner.invoke(app, ["capture", "--warc", str(tmp_path / "again.warc.gz"), "--event", captured_event, "--by", "dana",
                            "--delay", "0", "--db", str(ledger)])
    assert r.exit_code == 0, r.output
    assert [h[0] for h in _Site.hits] == ["/robots.txt", "/news/raid.html"]
    r = runner.invoke(app, ["capture", "--warc", str(tmp_path / "none.warc.gz"), "--event", "ev-nope", "--by", "dana",
                            "--db", str(ledger)])
    assert r.exit_code == 2 and "no URLs given" in r.output


def test_unwritable_or_existing_archive_is_refused(site, tmp_path):
    from eventledger.kit.capture import CaptureError

    warc = tmp_path / "exists.warc.gz"
    warc.write_bytes(b"")
    with pytest.raises(CaptureError, match="cannot create the archive"):
        capture_to_warc([f"{site}/news/raid.html"], warc, CaptureOptions(delay_s=0))
