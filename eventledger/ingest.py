"""Inputs -> RawDocument: the only module that reads files.

    path / folder / "-"
      -> bytes (size checked first, binary refused)
      -> one of: plain text | HTML page | JSON Lines | RSS/Atom feed | WARC archive
      -> one RawDocument per document (an InputError for each one that cannot be read)

Nothing is ever fetched: links, feeds' item URLs and WARC target URIs are only
recorded. Text is decoded by eventledger.decode; HTML is reduced to its main text by
eventledger.webpage (trafilatura after scripts, styles, frames and hidden elements are
removed), so no markup or code reaches the text.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import io
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from eventledger.decode import BOMS, NotText, declared_charset, decode, refuse_binary
from eventledger.errors import InputError
from eventledger.extract.dates import parse_date_string
from eventledger.limits import Overtime, time_budget
from eventledger.records import RawDocument
from eventledger.settings import Settings

__all__ = ["read_inputs"]

log = logging.getLogger(__name__)

_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
_TEXT_EXT = {".txt", ".text"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_FEED_EXT = {".xml", ".rss", ".atom"}
_WARC_EXT = {".warc", ".warc.gz"}
_FOLDER_EXT = _HTML_EXT | _TEXT_EXT | _JSONL_EXT | _FEED_EXT | _WARC_EXT

_URL_DATE_RES = [
    re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d{2})/([a-z]{3,9})/(\d{1,2})(?=/|$)", re.I),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(?=/[a-z])", re.I),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)"),  # a path segment of eight digits: /20250929/
]


class _Bad(Exception):
    """Why one document cannot be read (becomes an InputError with its source)."""


def _decode(data: bytes, declared: str | None = None) -> str:
    try:
        return decode(data, declared)
    except NotText as e:
        raise _Bad(str(e)) from e


def _refuse_binary(data: bytes) -> None:
    try:
        refuse_binary(data)
    except NotText as e:
        raise _Bad(str(e)) from e


# ---- entry point -----------------------------------------------------------------------------


def read_inputs(
    paths: Iterable[str],
    settings: Settings | None = None,
    published: str | None = None,
    outlet: str | None = None,
) -> Iterator[RawDocument | InputError]:
    """Yield one RawDocument per input document, or an InputError for one that cannot be read.

    ``paths`` are files, folders (read recursively, sorted, hidden entries skipped) or "-"
    for standard input. ``published`` and ``outlet`` override what the documents say.
    Never raises for a bad input: each yields its InputError and the rest are still read.
    """
    settings = settings or Settings()
    pub = None
    if published is not None:
        pub = parse_date_string(published)
        if pub is None:
            yield InputError("--published", f"not a date: {published!r} (give YYYY-MM-DD)")
            return
    for p in paths:
        for item in _read_path(str(p), settings):
            if isinstance(item, RawDocument):
                if pub:
                    item = replace(item, published=pub, published_basis="metadata")
                if outlet:
                    item = replace(item, outlet=outlet)
            yield item


def _read_path(p: str, settings: Settings) -> Iterator[RawDocument | InputError]:
    if p == "-":
        try:
            data = sys.stdin.buffer.read(settings.max_input_bytes + 1)
        except OSError as e:
            yield InputError("-", f"cannot read standard input: {e.strerror or e}")
            return
        if len(data) > settings.max_input_bytes:
            yield InputError("-", f"too large: standard input is over the {_size(settings.max_input_bytes)} limit")
            return
        yield from _read_bytes(data, "-", "", settings)
        return
    if not p.strip():
        yield InputError(repr(p), "empty path")
        return
    path = Path(p)
    if path.is_dir():
        files = _walk(path)
        if not files:
            yield InputError(p, "folder holds no readable files (.txt, .html, .jsonl, .xml, .rss, .atom, .warc)")
        for f in files:
            yield from _read_file(f, str(f), settings)
        return
    yield from _read_file(path, p, settings)


def _walk(folder: Path) -> list[Path]:
    out: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and _ext(name) in _FOLDER_EXT:
                out.append(Path(root) / name)
    return sorted(out, key=lambda f: f.relative_to(folder).parts)


def _ext(name: str) -> str:
    low = name.lower()
    return ".warc.gz" if low.endswith(".warc.gz") else os.path.splitext(low)[1]


def _read_file(path: Path, source: str, settings: Settings) -> Iterator[RawDocument | InputError]:
    limit = settings.max_input_bytes
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError
        if size > limit:
            yield InputError(source, f"too large: file is {_size(size)}, over the {_size(limit)} limit")
            return
        with path.open("rb") as fh:
            data = fh.read(min(size, limit) + 1)  # not a buffer of the limit's size for every file
    except FileNotFoundError:
        yield InputError(source, "no such file or folder")
        return
    except PermissionError:
        yield InputError(source, "cannot read: permission denied")
        return
    except OSError as e:
        yield InputError(source, f"cannot read: {e.strerror or e}")
        return
    except MemoryError:
        yield InputError(source, "over the memory limit for one document: skipped")
        return
    if len(data) > limit:
        yield InputError(source, f"too large: file is over the {_size(limit)} limit")
        return
    yield from _read_bytes(data, source, path.name, settings)


# ---- dispatch --------------------------------------------------------------------------------


def _read_bytes(data: bytes, source: str, name: str, settings: Settings) -> Iterator[RawDocument | InputError]:
    """One file's documents; whatever goes wrong in it is that file's (or record's) error line."""
    try:
        if not data.strip():
            raise _Bad("empty file" if not data else "empty file (only whitespace)")
        kind = _kind(name, data)
        if kind == "warc":
            yield from _warc_docs(data, source, settings)
        elif kind == "jsonl":
            yield from _jsonl_docs(data, source, settings)
        elif kind == "feed":
            yield from _feed_docs(data, source, settings)
        elif kind == "html":
            yield _guarded(source, settings, _html_doc, data, source, settings)
        else:
            yield _guarded(source, settings, _text_doc, data, source, settings)
    except _Bad as e:
        yield InputError(source, str(e))
    except (Exception, Overtime) as e:  # noqa: BLE001 - the boundary: never let one file end the run
        yield InputError(source, _reason(e, settings))


def _reason(e: BaseException, settings: Settings) -> str:
    """The one-line reason for an unexpected failure reading a document."""
    if isinstance(e, Overtime):
        return f"over the time budget ({settings.max_document_seconds:g} s per document): skipped"
    if isinstance(e, RecursionError):
        return "nested too deeply to read (over Python's recursion limit)"
    if isinstance(e, MemoryError):
        return "over the memory limit for one document: skipped"
    msg = str(e).strip().splitlines()[0][:160] if str(e).strip() else ""
    log.debug("unexpected error reading a document", exc_info=e)
    return f"cannot read ({type(e).__name__}{': ' + msg if msg else ''})"


def _guarded(where: str, settings: Settings, fn: Any, *args: Any) -> Any:
    """``fn(*args)`` within the time budget, any failure turned into ``where``'s InputError."""
    try:
        with time_budget(settings.max_document_seconds):
            return fn(*args)
    except _Bad as e:
        return InputError(where, str(e))
    except (Exception, Overtime) as e:  # noqa: BLE001 - the per-document boundary
        return InputError(where, _reason(e, settings))


def _kind(name: str, data: bytes) -> str:
    ext = _ext(name)
    if ext in _WARC_EXT or data.startswith(b"WARC/"):
        return "warc"
    if data.startswith(b"\x1f\x8b"):
        if _gunzip_head(data).startswith(b"WARC/"):
            return "warc"
        raise _Bad("binary file (gzip-compressed); only .warc.gz archives are read compressed")
    _refuse_binary(data)
    head = _head(data)
    if ext in _JSONL_EXT:
        return "jsonl"
    if ext in _FEED_EXT or ext == "":
        if re.search(r"<(?:rss|feed|rdf:rdf)[\s>]", head):
            return "feed"
        if ext in _FEED_EXT and not _looks_html(head):
            return "feed"  # named a feed: let the feed parser say what is wrong with it
    if ext in _HTML_EXT or _looks_html(head):
        return "html"
    if ext not in _TEXT_EXT and head.lstrip().startswith("{") and _first_line_is_json(data):
        return "jsonl"
    return "text"


def _gunzip_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], 16)
    except zlib.error:
        return b""


def _head(data: bytes) -> str:
    for bom, enc in BOMS:
        if data.startswith(bom):
            return data[:4096].decode(enc, "ignore").lower()
    return data[:4096].decode("utf-8", "ignore").lower()


def _looks_html(head: str) -> bool:
    h = re.sub(r"^(?:\s|<\?xml[^>]*>|<!--.*?-->)+", "", head, flags=re.S)
    return h.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:head|body)[\s>]", h[:2048]))


def _first_line_is_json(data: bytes) -> bool:
    line = next((ln for ln in data.splitlines() if ln.strip()), b"")
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and bool({"text", "html", "url"} & set(obj))


def _size(n: int) -> str:
    """A byte count as people read it: "900 bytes", "25.0 MB", "20 MB"."""
    for unit, k in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= k:
            return f"{n // k} {unit}" if n % k == 0 else f"{n / k:.1f} {unit}"
    return f"{n} bytes"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_text(text: str, settings: Settings, what: str = "text") -> str:
    if not text.strip():
        raise _Bad(f"empty {what} (only whitespace)" if text else f"empty {what}")
    if len(text) > settings.max_text_chars:
        raise _Bad(f"{what} too long ({len(text)} characters; the limit is {settings.max_text_chars})")
    return text


# ---- formats ---------------------------------------------------------------------------------


def _text_doc(data: bytes, source: str, settings: Settings) -> RawDocument:
    text = _check_text(_decode(data), settings, "file")
    return RawDocument(id=_sha(data), source=source, text=text, raw=data)


def _html_doc(data: bytes, source: str, settings: Settings, url: str | None = None,
              charset: str | None = None) -> RawDocument:
    html = _decode(data, charset or declared_charset(data))
    page = _page(html, url)
    return RawDocument(id=_sha(data), source=source, text=_check_text(page["text"], settings), raw=data,
                       **{k: v for k, v in page.items() if k != "text"})


def _page(html: str, url: str | None) -> dict[str, Any]:
    """Main text and metadata of an HTML page (eventledger.webpage), the URL's date if it has none."""
    from eventledger.webpage import page_from_html

    try:
        p = page_from_html(html, url)
    except ValueError as e:
        raise _Bad(str(e)) from e
    out: dict[str, Any] = {"text": p.text, "title": p.title, "outlet": p.outlet, "bylines": p.bylines,
                           "url": p.url or url, "published": p.published,
                           "published_basis": "metadata" if p.published else None}
    if not out["published"]:
        out["published"] = _url_date(out["url"]) or _url_date(url)
        out["published_basis"] = "url" if out["published"] else None
    return out


def _url_date(url: str | None) -> str | None:
    """The publication date a URL path states (/2025/10/23/, /2025-12-03/, /2025/oct/23/,
    /20250929/), or None."""
    if not url:
        return None
    path = urlsplit(url).path
    m = _URL_DATE_RES[0].search(path) or _URL_DATE_RES[3].search(path)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            return None
    m = _URL_DATE_RES[1].search(path)
    if m:
        return parse_date_string(f"{m.group(2)} {m.group(3)}, {m.group(1)}")
    m = _URL_DATE_RES[2].search(path)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    return None


def _jsonl_docs(data: bytes, source: str, settings: Settings) -> Iterator[RawDocument | InputError]:
    found = False
    for n, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        where = f"{source}:{n}"
        doc = _guarded(where, settings, _jsonl_doc, line, where, settings)
        if isinstance(doc, InputError):
            yield doc
            continue
        found = True
        yield doc
    if not found:
        log.debug("%s: no document in the JSON Lines file", source)


def _jsonl_doc(line: bytes, where: str, settings: Settings) -> RawDocument:
    try:
        obj = _no_surrogates(json.loads(line.decode("utf-8-sig")))
    except UnicodeDecodeError as e:
        raise _Bad("line is not UTF-8") from e
    except RecursionError as e:
        raise _Bad("JSON nested too deeply (over Python's recursion limit, about 1,000 levels)") from e
    except ValueError as e:
        raise _Bad(f"not valid JSON ({e.args[0].split(':')[0] if e.args else e})") from e
    if not isinstance(obj, dict):
        raise _Bad("line is not a JSON object")
    url = obj.get("url") if isinstance(obj.get("url"), str) and obj.get("url") else None
    source = url or where
    text, html = obj.get("text"), obj.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise _Bad('no "text" or "html" string')
    fields: dict[str, Any] = {"url": url}
    if isinstance(text, str) and text.strip():
        fields["text"] = _check_text(text, settings)
        fields["published"] = _url_date(url)
        fields["published_basis"] = "url" if fields["published"] else None
    elif isinstance(html, str) and html.strip():
        fields.update(_page(html, url))
        _check_text(fields["text"], settings)
    else:
        raise _Bad('empty "text"' if isinstance(text, str) else 'empty "html"')
    for key in ("title", "outlet"):
        if isinstance(obj.get(key), str) and obj[key].strip():
            fields[key] = obj[key].strip()
    authors = obj.get("bylines", obj.get("authors", obj.get("author")))
    if authors:
        fields["bylines"] = _as_names(authors)
    if obj.get("published"):
        pub = parse_date_string(str(obj["published"]))
        if pub:
            fields["published"], fields["published_basis"] = pub, "metadata"
        else:
            log.warning("%s: ignoring unreadable published %r", where, obj["published"])
    return RawDocument(id=_sha(line), source=source, raw=line, **fields)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _no_surrogates(v: Any) -> Any:
    """JSON strings with lone surrogate escapes ("\\ud800": no character, not encodable) get
    U+FFFD in their place, as a decoder does for bytes it cannot read."""
    if isinstance(v, str):
        return _SURROGATE_RE.sub("\ufffd", v)
    if isinstance(v, dict):
        return {_no_surrogates(k): _no_surrogates(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_no_surrogates(x) for x in v]
    return v


def _as_names(v: Any) -> tuple[str, ...]:
    from eventledger.webpage import split_authors

    items = v if isinstance(v, list) else [v]
    names: list[str] = []
    for it in items:
        name = it.get("name") if isinstance(it, dict) else it
        if isinstance(name, str):
            names.extend(split_authors(name))
    return tuple(dict.fromkeys(names))


def _feed_docs(data: bytes, source: str, settings: Settings) -> Iterator[RawDocument | InputError]:
    import feedparser

    # a stream, never a string: feedparser fetches strings that look like URLs
    with time_budget(settings.max_document_seconds):
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    entries = parsed.get("entries") or []
    if not entries:
        exc = parsed.get("bozo_exception")
        if parsed.get("bozo") or not parsed.get("version"):
            reason = f"malformed feed ({_short(exc)})" if exc else "not an RSS or Atom feed"
            raise _Bad(reason)
        raise _Bad("feed has no entries")
    feed_title = (parsed.get("feed") or {}).get("title") or None
    chunks = _entry_chunks(data)
    if len(chunks) != len(entries):
        chunks = [json.dumps(e, sort_keys=True, default=str).encode("utf-8") for e in entries]
    for n, (entry, chunk) in enumerate(zip(entries, chunks, strict=True), start=1):
        link = entry.get("link") or None
        src = link or f"{source}#{n}"
        yield _guarded(src if link is None else f"{source}#{n} ({link})", settings, _feed_doc, entry, chunk, src,
                       link, feed_title, settings)


def _feed_doc(entry: Any, chunk: bytes, src: str, link: str | None, feed_title: str | None,
              settings: Settings) -> RawDocument:
    from eventledger.webpage import fragment_text

    body = None
    for c in entry.get("content") or []:
        if c.get("value", "").strip():
            body = c
            break
    if body is None and entry.get("summary", "").strip():
        body = entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}
    if body is None:
        raise _Bad("feed entry has no content or summary")
    value = body.get("value", "")
    text = value if body.get("type") == "text/plain" else fragment_text(value)
    pub = None
    for key in ("published", "updated", "created"):
        pub = parse_date_string(dict.get(entry, key))  # dict.get: no feedparser fallback mapping
        if pub:
            break
        st = dict.get(entry, f"{key}_parsed")
        if st:
            pub = f"{st.tm_year:04d}-{st.tm_mon:02d}-{st.tm_mday:02d}"
            break
    basis = "metadata" if pub else None
    if not pub:
        pub = _url_date(link)
        basis = "url" if pub else None
    names = [a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict)]
    bylines = _as_names(names or entry.get("author") or [])
    return RawDocument(id=_sha(chunk), source=src, text=_check_text(text, settings, "feed entry"),
                       title=(entry.get("title") or "").strip() or None, outlet=feed_title, bylines=bylines,
                       published=pub, published_basis=basis, url=link, raw=chunk)


_ENTRY_OPEN_RE = re.compile(rb"<((?:[\w-]+:)?(?:item|entry))\b[^>]*>", re.I)
_ENTRY_CLOSE_RE = re.compile(rb"</((?:[\w-]+:)?(?:item|entry))\s*>", re.I)


def _entry_chunks(data: bytes) -> list[bytes]:
    """The raw bytes of each <item>/<entry>, in order (the document's own bytes for its id):
    each opening tag to the first closing tag of its name after it. Opening and closing tags
    are found in one pass each (a pattern from each opening tag to its close rescanned the
    rest of the feed for every unclosed one: a 94 KB feed took 14 s)."""
    closes: dict[bytes, list[tuple[int, int]]] = {}
    for m in _ENTRY_CLOSE_RE.finditer(data):
        closes.setdefault(m.group(1).lower(), []).append((m.start(), m.end()))
    out, pos = [], 0
    for m in _ENTRY_OPEN_RE.finditer(data):
        if m.start() < pos:
            continue
        ends = closes.get(m.group(1).lower(), [])
        k = bisect.bisect_left(ends, (m.end(), 0))
        if k == len(ends):
            continue
        out.append(data[m.start() : ends[k][1]])
        pos = ends[k][1]
    return out


def _short(exc: Any) -> str:
    s = str(getattr(exc, "getMessage", lambda: exc)()) if exc else ""
    return s.splitlines()[0][:120] if s else type(exc).__name__


def _warc_docs(data: bytes, source: str, settings: Settings) -> Iterator[RawDocument | InputError]:
    from warcio.archiveiterator import ArchiveIterator

    found = 0
    with time_budget(settings.max_document_seconds):
        stream = _warc_stream(data, settings)
    del data
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            # warcio reports damage by printing whole records to standard error: kept quiet
            with time_budget(settings.max_document_seconds), contextlib.redirect_stderr(io.StringIO()):
                item = _next_response(records, settings)
        except StopIteration:
            break
        except Overtime:
            yield InputError(source, f"over the time budget ({settings.max_document_seconds:g} s) reading the archive:"
                                     " skipped the rest")
            return
        except Exception as e:  # warcio fails in many ways on a damaged archive  # noqa: BLE001
            why = _short(e) if type(e).__name__ == "ArchiveLoadFailed" else "a record is damaged or truncated"
            yield InputError(source, f"not a valid WARC archive ({why})")
            return
        if item is None:
            continue
        uri, ctype, payload = item
        where = uri or f"{source}#{found + 1}"
        doc = _guarded(f"{where} (in {source})", settings, _warc_doc, payload, where, ctype, source, settings)
        if doc is not None:
            found += 1
            yield doc
    if not found:
        yield InputError(source, "WARC archive holds no HTML or text responses")


MAX_WARC_LINE = 8 * 1024 * 1024
"""A WARC archive with a run of bytes this long without a line break is refused: warcio reads
header and separator lines whole, in time that grows with the square of their length."""
_CHUNK = 1 << 20


def _warc_stream(data: bytes, settings: Settings) -> io.BytesIO:
    """The archive's bytes as a stream: inflated (under the limit) when gzip-compressed, and
    checked for lines too long to parse."""
    out = io.BytesIO()
    run = 0  # bytes since the last line break

    def take(chunk: bytes) -> None:  # chunks of at most _CHUNK bytes, smaller than the line limit
        nonlocal run
        last = chunk.rfind(b"\n")
        if last == -1:
            run += len(chunk)
        else:
            run += chunk.find(b"\n")
            if run <= MAX_WARC_LINE:
                run = len(chunk) - 1 - last
        if run > MAX_WARC_LINE:
            raise _Bad(f"not a valid WARC archive (over {_size(MAX_WARC_LINE)} without a line break)")
        out.write(chunk)

    if data.startswith(b"\x1f\x8b"):
        try:
            _inflate(data, settings.max_decompressed_bytes, take)
        except zlib.error as e:
            raise _Bad(f"not a valid WARC archive (its gzip data is damaged: {e})") from e
    else:
        for k in range(0, len(data), _CHUNK):
            take(data[k : k + _CHUNK])
    out.seek(0)
    return out


def _inflate(data: bytes, limit: int, take: Any) -> None:
    """Inflate every gzip member of ``data`` into ``take(chunk)``, a megabyte at a time,
    refusing as soon as the total passes ``limit`` (the compressed size says nothing: 1 MB of
    gzip can hold gigabytes)."""
    total = 0
    while data:
        z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pos = 0
        while pos < len(data) and not z.eof:
            chunk = z.decompress(data[pos : pos + 65536], _CHUNK)
            while True:  # the output cap leaves input unconsumed: drain it
                total += len(chunk)
                if total > limit:
                    raise _Bad(f"decompresses to over {_size(limit)} (the limit for a compressed input)")
                if chunk:
                    take(chunk)
                if z.eof or not z.unconsumed_tail:  # (after the end, unused_data holds the rest)
                    break
                chunk = z.decompress(z.unconsumed_tail, _CHUNK)
            pos += 65536
        if not z.eof:
            raise _Bad("not a valid WARC archive (its gzip data is truncated)")
        rest = (z.unused_data + data[pos:]).lstrip(b"\x00")
        if len(rest) >= len(data) or (rest and not rest.startswith(b"\x1f\x8b")):
            break  # trailing bytes that are not another member (or no progress: never loop)
        data = rest


def _next_response(records: Iterator[Any], settings: Settings) -> tuple[str | None, str, bytes] | None:
    """The next record's target URI, content type and payload, or None to skip it."""
    rec = next(records)
    if rec.rec_type not in ("response", "resource"):
        return None
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if rec.rec_type == "response":
        if rec.http_headers is None or not (rec.http_headers.get_statuscode() or "").startswith("2"):
            return None  # redirects and error pages are not documents
        ctype = rec.http_headers.get_header("Content-Type") or ""
    else:
        ctype = rec.rec_headers.get_header("Content-Type") or ""
    return uri, ctype, rec.content_stream().read(settings.max_input_bytes + 1)


def _warc_doc(payload: bytes, uri: str, ctype: str, source: str, settings: Settings) -> RawDocument | InputError | None:
    mime = ctype.split(";")[0].strip().lower()
    m = re.search(r"charset\s*=\s*[\"']?([\w:.-]+)", ctype, re.I)
    charset = m.group(1) if m else None
    if mime and mime not in ("text/html", "application/xhtml+xml", "text/plain"):
        return None
    try:
        if len(payload) > settings.max_input_bytes:
            raise _Bad(f"too large: response is over the {_size(settings.max_input_bytes)} limit")
        if not payload.strip():
            raise _Bad("empty response")
        if mime == "text/plain" or (not mime and not _looks_html(_head(payload))):
            doc = RawDocument(id=_sha(payload), source=uri, url=uri, raw=payload,
                              text=_check_text(_decode(payload, charset), settings))
            pub = _url_date(uri)
            return replace(doc, published=pub, published_basis="url") if pub else doc
        return _html_doc(payload, uri, settings, url=uri, charset=charset)
    except _Bad as e:
        return InputError(uri, f"{e} (in {source})")
