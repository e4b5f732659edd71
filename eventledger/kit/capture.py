"""Captures: cited pages fetched politely into a WARC archive, then ingested and kept as an exhibit.

Polite means: robots.txt is read first and obeyed for our user agent (a robots.txt that
answers 401 or 403 forbids everything, as Python's robotparser does); requests to one host
are spaced by ``delay_s``; the user agent names the tool and a contact; a response larger
than ``max_bytes`` or slower than ``timeout_s`` is dropped, not truncated. Only http and
https URLs are fetched. The WARC (``warcio``) holds a warcinfo record, then a request and a
response record per page, so the archive shows what was asked and what came back.
"""

from __future__ import annotations

import io
import logging
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from eventledger.errors import EventLedgerError

__all__ = ["CaptureError", "CaptureOptions", "CaptureResult", "capture_to_warc", "ingest_warc"]

log = logging.getLogger(__name__)

DEFAULT_AGENT = "eventledger-capture/0.1 (archiving cited news pages for a public-interest ledger; +https://example.org/eventledger)"


class CaptureError(EventLedgerError):
    """A capture could not start (bad options, unwritable archive)."""


@dataclass(frozen=True, slots=True)
class CaptureOptions:
    user_agent: str = DEFAULT_AGENT
    delay_s: float = 2.0
    """At least this long between two requests to one host (robots.txt included)."""
    max_bytes: int = 10 * 1024 * 1024
    timeout_s: float = 20.0


@dataclass
class CaptureResult:
    captured: list[tuple[str, int, int]] = field(default_factory=list)  # url, status, bytes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # url, reason


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are recorded as they are (a 3xx response), not followed behind robots.txt's back."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class _Fetcher:
    def __init__(self, opts: CaptureOptions, sleep: Callable[[float], None] = time.sleep) -> None:
        self.opts, self.sleep = opts, sleep
        self.last: dict[str, float] = {}
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def _wait(self, host: str) -> None:
        if host in self.last:
            gap = self.opts.delay_s - (time.monotonic() - self.last[host])
            if gap > 0:
                self.sleep(gap)
        self.last[host] = time.monotonic()

    def get(self, url: str) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """(status, reason, headers, body) of one GET; raises OSError/ValueError on failure."""
        host = urlsplit(url).netloc
        self._wait(host)
        req = urllib.request.Request(url, headers={"User-Agent": self.opts.user_agent, "Accept-Encoding": "identity"})
        try:
            resp = self.opener.open(req, timeout=self.opts.timeout_s)
        except urllib.error.HTTPError as e:  # 4xx/5xx/3xx: a real answer, recorded as it is
            resp = e
        with resp:
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.opts.max_bytes:
                raise ValueError(f"larger than the {self.opts.max_bytes}-byte limit ({declared} bytes declared)")
            deadline = time.monotonic() + self.opts.timeout_s
            chunks, n = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"took longer than {self.opts.timeout_s:g} s")
                chunk = resp.read(65536)
                if not chunk:
                    break
                n += len(chunk)
                if n > self.opts.max_bytes:
                    raise ValueError(f"larger than the {self.opts.max_bytes}-byte limit")
                chunks.append(chunk)
            return resp.status if hasattr(resp, "status") else resp.code, resp.reason or "", list(resp.headers.items()), b"".join(chunks)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        rp = self.robots.get(root)
        if rp is None:
            rp = urllib.robotparser.RobotFileParser(root + "/robots.txt")
            try:
                status, _, _, body = self.get(root + "/robots.txt")
            except (OSError, ValueError) as e:
                log.info("%s/robots.txt unreadable (%s): treated as no robots.txt", root, e)
                status, body = 404, b""
            if status in (401, 403):
                rp.disallow_all = True
            elif 200 <= status < 300:
                rp.parse(body.decode("utf-8", "replace").splitlines())
            else:
                rp.allow_all = True
            self.robots[root] = rp
        return rp.can_fetch(self.opts.user_agent, url)


def capture_to_warc(urls: Iterable[str], warc_path: Path, opts: CaptureOptions | None = None,
                    sleep: Callable[[float], None] = time.sleep) -> CaptureResult:
    """Fetch each URL politely and write what came back to ``warc_path`` (gzipped WARC 1.1)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    opts = opts or CaptureOptions()
    if opts.delay_s < 0 or opts.max_bytes <= 0 or opts.timeout_s <= 0:
        raise CaptureError("--delay must be >= 0, --max-bytes and --timeout > 0")
    fetcher = _Fetcher(opts, sleep)
    result = CaptureResult()
    try:
        out = warc_path.open("xb")
    except OSError as e:
        raise CaptureError(f"{warc_path}: cannot create the archive: {e.strerror or e}") from e
    with out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(warc_path.name, {
            "software": "eventledger capture", "http-header-user-agent": opts.user_agent,
            "description": f"delay {opts.delay_s:g} s per host, at most {opts.max_bytes} bytes and {opts.timeout_s:g} s per page, robots.txt obeyed"}))
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                result.skipped.append((url, "not an http(s) URL"))
                continue
            try:
                if not fetcher.allowed(url):
                    result.skipped.append((url, "robots.txt disallows it for our user agent"))
                    continue
                at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                status, reason, headers, body = fetcher.get(url)
            except (OSError, ValueError, socket.timeout) as e:
                result.skipped.append((url, str(getattr(e, "reason", None) or e)))
                continue
            headers = [(k, v) for k, v in headers if k.lower() not in ("transfer-encoding", "content-length")]
            headers.append(("Content-Length", str(len(body))))
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            req_headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", parts.netloc), ("User-Agent", opts.user_agent)],
                                           is_http_request=True)
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req_headers,
                                            warc_headers_dict={"WARC-Date": at})
            resp = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                             http_headers=StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1"),
                                             warc_headers_dict={"WARC-Date": at})
            writer.write_request_response_pair(req, resp)
            result.captured.append((url, status, len(body)))
    return result


def ingest_warc(store, warc_path: Path, on_error: Callable[[str], None]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Ingest the archive's pages through the ordinary path; (added, already stored)."""
    from eventledger.pipeline import process_many
    from eventledger.ingest import read_inputs

    raws = {}
    added = skipped = 0
    for raw in read_inputs([str(warc_path)]):
        if isinstance(raw, EventLedgerError):
            on_error(str(raw))
            continue
        raws[raw.id] = raw
    for ext in process_many(raws.values(), store.profile):
        if isinstance(ext, EventLedgerError):
            on_error(str(ext))
            continue
        if store.add(raws[ext.document.id], ext).added:
            added += 1
        else:
            skipped += 1
    return added, skipped
