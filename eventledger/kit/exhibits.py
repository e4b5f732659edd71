"""Exhibits: files kept unchanged, content-addressed by SHA-256, with a chain of custody.

A photo, a recording, an agency's PDF or a note is stored byte for byte in the ledger, with
where and how it was collected and the metadata its own library reads (Pillow for EXIF and
GPS, mutagen for duration and codec, pypdf for pages and text). A PDF's or text file's text
becomes a ledger document through the ordinary extraction path, so its sentences are cited by
span like an article's. Every action (added, linked, viewed, exported, corrected, released) is
an entry in the hash-chained log naming who, when and why, sealing the exhibit's rows;
``eventledger verify`` checks them and re-hashes every exhibit's bytes (store/seal.py, store/verify.py).

Photos are not published as they are: :func:`redacted_preview` gives a picture without any
metadata (no location) and too coarse to recognise a face, until a reviewer releases it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from eventledger.errors import EventLedgerError
from eventledger.store import Store, _now
from eventledger.store import kit as sk

__all__ = [
    "AddedExhibit", "ExhibitError", "add_exhibit", "add_exhibits", "cite", "correct", "export_exhibit", "export_log", "link", "read_metadata",
    "redacted_preview", "release", "resolve", "view",
]

log = logging.getLogger(__name__)

MAX_EXHIBIT_BYTES = 512 * 1024 * 1024
TEXT_TYPES = ("application/pdf", "text/plain", "text/markdown")
PREVIEW_CELLS = 24  # a redacted preview is this many blocks wide: shapes show, faces do not
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?)?$")


class ExhibitError(EventLedgerError):
    """An exhibit could not be added or read; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class AddedExhibit:
    sha256: str
    filename: str
    media_type: str
    added: bool  # False: the same bytes were already an exhibit
    document_id: str | None


# ---- metadata ---------------------------------------------------------------------------------

def _media_type(name: str, data: bytes) -> str:
    if data[:5] == b"%PDF-":
        return "application/pdf"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:4] == b"WARC":
        return "application/warc"
    guessed = mimetypes.guess_type(name)[0]
    if name.lower().endswith(".md"):
        return "text/markdown"
    return guessed or "application/octet-stream"


def _rational(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError, ZeroDivisionError):
        return float(x[0]) / float(x[1])


def _gps(gps: dict[int, Any]) -> dict[str, float] | None:
    """Decimal degrees from an EXIF GPS IFD (tags 1-4: N/S, latitude, E/W, longitude)."""
    try:
        lat = sum(_rational(v) / 60 ** i for i, v in enumerate(gps[2]))
        lon = sum(_rational(v) / 60 ** i for i, v in enumerate(gps[4]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if str(gps.get(1, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(3, "E")).upper().startswith("W"):
        lon = -lon
    out = {"lat": round(lat, 7), "lon": round(lon, 7)}
    if 6 in gps:
        try:
            out["altitude_m"] = round(_rational(gps[6]), 2)
        except (TypeError, ValueError, ZeroDivisionError):
            pass
    return out


def _image_metadata(data: bytes) -> dict[str, Any]:
    from PIL import ExifTags, Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            meta: dict[str, Any] = {"format": im.format, "width": im.width, "height": im.height}
            exif = im.getexif()
    except (UnidentifiedImageError, OSError) as e:
        raise ExhibitError(f"not a readable image: {e}") from e
    names = {0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0132: "datetime"}
    tags = {names[k]: str(v) for k, v in exif.items() if k in names}
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    if 0x9003 in sub:
        tags["datetime_original"] = str(sub[0x9003])
    if tags:
        meta["exif"] = tags
    gps = _gps(dict(exif.get_ifd(ExifTags.IFD.GPSInfo)))
    if gps:
        meta["gps"] = gps
    return meta


def _media_metadata(data: bytes) -> dict[str, Any]:
    import mutagen

    try:
        f = mutagen.File(io.BytesIO(data))
    except mutagen.MutagenError as e:
        raise ExhibitError(f"not a readable audio or video file: {e}") from e
    if f is None or f.info is None:
        return {}
    info = f.info
    meta: dict[str, Any] = {"container": type(f).__name__}
    for attr, key in (("length", "duration_s"), ("sample_rate", "sample_rate"), ("channels", "channels"),
                      ("bitrate", "bitrate"), ("bits_per_sample", "bits_per_sample"), ("codec", "codec"),
                      ("codec_description", "codec_description")):
        v = getattr(info, attr, None)
        if v not in (None, ""):
            meta[key] = round(v, 3) if isinstance(v, float) else v
    if "codec" not in meta and meta["container"] == "WAVE":
        meta["codec"] = f"PCM {meta.get('bits_per_sample', '?')}-bit"
    return meta


def _pdf_metadata(data: bytes) -> tuple[dict[str, Any], str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [p.extract_text() or "" for p in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise ExhibitError(f"not a readable PDF: {e}") from e
    meta: dict[str, Any] = {"pages": len(pages)}
    for k in ("/Title", "/Author", "/Producer", "/CreationDate"):
        if info.get(k):
            meta[k[1:].lower()] = str(info[k])
    return meta, "\n\n".join(p.strip() for p in pages if p.strip())


def _warc_metadata(data: bytes) -> dict[str, Any]:
    from warcio.archiveiterator import ArchiveIterator

    pages = []
    try:
        for rec in ArchiveIterator(io.BytesIO(data)):
            if rec.rec_type == "response":
                status = rec.http_headers.get_statuscode() if rec.http_headers else None
                pages.append({"url": rec.rec_headers.get_header("WARC-Target-URI"), "status": status,
                              "captured_at": rec.rec_headers.get_header("WARC-Date"),
                              "payload_sha256": hashlib.sha256(rec.content_stream().read()).hexdigest()})
    except Exception as e:  # warcio fails in many ways on a damaged archive  # noqa: BLE001
        raise ExhibitError(f"not a readable WARC archive: {type(e).__name__}") from e
    return {"responses": pages}


def read_metadata(name: str, data: bytes) -> tuple[str, dict[str, Any], str | None]:
    """(media type, metadata, text or None) of a file, read by the library made for its kind."""
    mt = _media_type(name, data)
    if mt.startswith("image/"):
        return mt, _image_metadata(data), None
    if mt.startswith(("audio/", "video/")):
        return mt, _media_metadata(data), None
    if mt == "application/pdf":
        meta, text = _pdf_metadata(data)
        return mt, meta, text
    if mt == "application/warc" or name.endswith((".warc", ".warc.gz")):
        return "application/warc", _warc_metadata(data), None
    if mt in ("text/html", "application/xhtml+xml"):  # a saved page: its main text is read at ingest
        return mt, {"bytes": len(data)}, ""
    if mt.startswith("text/"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ExhibitError(f"text file is not UTF-8 ({e.reason} at byte {e.start})") from e
        return mt, {"characters": len(text)}, text
    return mt, {}, None


# ---- adding and acting on exhibits ------------------------------------------------------------

def _check_time(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not _TIME_RE.match(value):
        raise ExhibitError(f"{what} must be an ISO date or time (2025-06-08 or 2025-06-08T14:30-07:00), not {value!r}")
    return value


def _ingest_text(store: Store, path: Path, sha: str, mt: str, text: str, data: bytes, url: str | None,
                 title: str | None, published: str | None) -> str | None:
    """Store the exhibit's text as a ledger document (document id = the exhibit's SHA-256): a
    text file or saved page through the ordinary input path (ingest.read_inputs), a PDF's text
    as pypdf read it."""
    from dataclasses import replace

    from eventledger.ingest import read_inputs
    from eventledger.pipeline import process
    from eventledger.records import RawDocument

    name = path.name
    if mt == "application/pdf":
        if not text.strip():
            log.warning("%s: no text to extract (a scanned PDF needs OCR first)", name)
            return None
        raw = RawDocument(id=sha, source=f"exhibit:{name}", text=text, title=title or name, url=url, raw=data)
    else:
        got = [r for r in read_inputs([str(path)])]
        if len(got) != 1 or isinstance(got[0], EventLedgerError) or got[0].id != sha:
            why = str(got[0]) if got and isinstance(got[0], EventLedgerError) else "not one document"
            raise ExhibitError(f"text not read: {why}")
        raw = replace(got[0], source=f"exhibit:{name}", url=url or got[0].url, title=got[0].title or name)
    if published and not raw.published:
        raw = replace(raw, published=published, published_basis="metadata")
    try:
        ext = process(raw, store.profile)
    except EventLedgerError as e:
        raise ExhibitError(f"text not extracted: {e}") from e
    store.add(raw, ext)
    return sha


def add_exhibit(store: Store, path: Path | str, by: str, note: str | None = None, event: str | None = None,
                story: str | None = None, request: str | None = None, source_url: str | None = None,
                device: str | None = None, collected_at: str | None = None, collected_by: str | None = None) -> AddedExhibit:
    """Store one file as an exhibit, read its metadata, ingest its text, link it and log it all."""
    p = Path(path)
    if not by or not by.strip():
        raise ExhibitError("--by (who adds it) is required")
    try:
        size = p.stat().st_size
        if size > MAX_EXHIBIT_BYTES:
            raise ExhibitError(f"{p}: {size} bytes, over the {MAX_EXHIBIT_BYTES}-byte limit")
        data = p.read_bytes()
    except OSError as e:
        raise ExhibitError(f"{p}: cannot read: {e.strerror or e}") from e
    if not data:
        raise ExhibitError(f"{p}: empty file")
    sha = hashlib.sha256(data).hexdigest()
    try:
        mt, meta, text = read_metadata(p.name, data)
        collected_at = _check_time(collected_at, "--collected-at")
    except ExhibitError as e:
        raise ExhibitError(f"{p}: {e}") from e
    if collected_at is None:  # the camera's own clock, as a fallback, said so in the record
        stamp = (meta.get("exif") or {}).get("datetime_original")
        if stamp:
            try:
                collected_at = datetime.strptime(stamp, "%Y:%m:%d %H:%M:%S").isoformat()
                meta["collected_at_from"] = "EXIF DateTimeOriginal (camera clock, no time zone)"
            except ValueError:
                pass
    links = [(k, t) for k, t in (("event", event), ("story", story), ("request", request)) if t]
    for kind, target in links:
        if kind == "event" and not sk.event_exists(store, target):
            raise ExhibitError(f"{p}: no event {target}")
        if kind == "request" and sk.get_request(store, target) is None:
            raise ExhibitError(f"{p}: no records request {target}")
    doc_id = None
    if text is not None and sk.get_exhibit(store, sha) is None:
        try:
            doc_id = _ingest_text(store, p, sha, mt, text, data, source_url, meta.get("title"),
                                  (collected_at or "")[:10] or None)
        except ExhibitError as e:  # the file is still kept: preserving it matters more than its text
            log.warning("%s: kept without a ledger document of its text: %s", p, e)
    row = {"sha256": sha, "filename": p.name, "media_type": mt, "size": len(data), "source_url": source_url,
           "device": device, "collected_by": (collected_by or by).strip(), "collected_at": collected_at,
           "added_by": by.strip(), "added_at": _now(), "note": note, "document_id": doc_id, "released": 0,
           "metadata": _json(meta)}
    added = sk.insert_exhibit(store, row, data, note, links)
    if not added:
        doc_id = (sk.get_exhibit(store, sha) or {}).get("document_id")
    return AddedExhibit(sha, p.name, mt, added, doc_id)


def add_exhibits(store: Store, paths: Iterable[Path | str], by: str, **kw: Any) -> tuple[list[AddedExhibit], list[str]]:
    """Add many files; a bad one is reported (one line naming it) and the rest still added."""
    done, errors = [], []
    for p in paths:
        try:
            done.append(add_exhibit(store, p, by, **kw))
        except EventLedgerError as e:
            errors.append(str(e))
    return done, errors


def _json(obj: Any) -> str:
    import json

    return json.dumps(obj, sort_keys=True, ensure_ascii=False)


def resolve(store: Store, ref: str) -> dict[str, Any]:
    """The exhibit named by its SHA-256 or a prefix of at least 8 hex digits."""
    ex = sk.find_exhibit(store, ref)
    if ex is None:
        raise ExhibitError(f"no exhibit {ref}")
    return ex


def link(store: Store, ref: str, by: str, why: str | None, event: str | None = None, story: str | None = None,
         request: str | None = None) -> list[str]:
    ex = resolve(store, ref)
    made = []
    for kind, target in (("event", event), ("story", story), ("request", request)):
        if target and sk.link_exhibit(store, ex["sha256"], kind, target, by, why):
            made.append(f"{kind}:{target}")
    return made


def cite(store: Store, ref: str, quote: str, by: str, why: str | None, event: str | None = None,
         story: str | None = None) -> dict[str, Any]:
    """Cite the sentence of an exhibit's text that contains ``quote`` for an event or story: the
    citation is the ledger document's SHA-256 and the sentence's character span."""
    from eventledger.extract.sentences import split_sentences

    ex = resolve(store, ref)
    if not ex["document_id"]:
        raise ExhibitError(f"exhibit {ex['filename']} has no text to cite")
    doc = sk.document_row(store, ex["document_id"])
    if doc is None:
        raise ExhibitError(f"exhibit {ex['filename']}: its document {ex['document_id']} is missing")
    text = doc["text"]
    words = quote.split()
    hits = list(re.finditer(r"\s+".join(map(re.escape, words)), text)) if words else []
    if not hits:
        raise ExhibitError(f"exhibit {ex['filename']}: {quote!r} is not in its text")
    if len(hits) > 1:
        raise ExhibitError(f"exhibit {ex['filename']}: {quote!r} occurs {len(hits)} times; quote more of the sentence")
    at, q_end = hits[0].span()
    start, end = at, q_end
    for s in split_sentences(text):
        if s.start <= at < s.end:
            start, end = s.start, max(s.end, q_end)
            break
    kind, target = ("event", event) if event else ("story", story)
    if not target:
        raise ExhibitError("cite for an --event or a --story")
    sk.insert_citation(store, ex["sha256"], doc["id"], start, end, text[start:end], kind, target, by, why)
    return {"document_id": doc["id"], "start": start, "end": end, "text": text[start:end]}


def view(store: Store, sha: str, by: str, why: str = "viewed in the web app") -> None:
    sk.log_exhibit(store, sha, "exhibit-view", by, why)


def export_exhibit(store: Store, ref: str, dest: Path, by: str, why: str) -> dict[str, Any]:
    """Write the original bytes to ``dest`` (checked against the SHA-256 first) and log it."""
    ex = resolve(store, ref)
    data = sk.exhibit_bytes(store, ex["sha256"])
    if hashlib.sha256(data).hexdigest() != ex["sha256"]:
        raise ExhibitError(f"exhibit {ex['filename']} ({ex['sha256']}): stored bytes do not match their SHA-256; not exported")
    try:
        dest.write_bytes(data)
    except OSError as e:
        raise ExhibitError(f"{dest}: cannot write: {e.strerror or e}") from e
    sk.log_exhibit(store, ex["sha256"], "exhibit-export", by, why, {"to": dest.name})
    return ex


def export_log(store: Store, sha: str, by: str, why: str, extra: dict[str, Any] | None = None) -> None:
    """Log that an exhibit left the ledger (in a package, say)."""
    sk.log_exhibit(store, sha, "exhibit-export", by, why, extra)


def correct(store: Store, ref: str, by: str, why: str, **changes: Any) -> dict[str, Any]:
    """Correct how an exhibit was collected (never its bytes); returns the old values."""
    if not why or not why.strip():
        raise ExhibitError("a correction needs a reason (--why)")
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise ExhibitError("nothing to correct: give a new --source-url, --device, --collected-by, --collected-at or --note")
    if "collected_at" in changes:
        _check_time(changes["collected_at"], "--collected-at")
    return sk.correct_exhibit(store, resolve(store, ref)["sha256"], changes, by, why)


def release(store: Store, ref: str, by: str, why: str, released: bool = True) -> None:
    """A reviewer releases (or withholds again) an exhibit's original: location and faces."""
    if not why or not why.strip():
        raise ExhibitError("releasing an exhibit needs a reason")
    sk.set_released(store, resolve(store, ref)["sha256"], released, by, why)


def redacted_preview(data: bytes, media_type: str) -> bytes:
    """A PNG of the picture with no metadata at all (no location) and too coarse for faces."""
    from PIL import Image

    if not media_type.startswith("image/"):
        raise ExhibitError(f"no preview of {media_type}")
    with Image.open(io.BytesIO(data)) as im:
        im = im.convert("RGB")
        w, h = im.size
        cells = max(1, min(PREVIEW_CELLS, w))
        small = im.resize((cells, max(1, round(h * cells / w))), Image.Resampling.BOX)
        scale = max(1, 480 // cells)
        out = small.resize((small.width * scale, small.height * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    out.save(buf, "PNG")  # a new image: none of the original's EXIF, GPS or XMP
    return buf.getvalue()
