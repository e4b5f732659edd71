"""Bytes -> text: byte order marks, UTF-8, a declared charset, else a confident guess; binary refused.

Used by ingest (the only module that reads files) for every text it decodes.
"""

from __future__ import annotations

import codecs
import logging
import re

__all__ = ["BOMS", "NotText", "declared_charset", "decode", "refuse_binary"]

log = logging.getLogger(__name__)


class NotText(ValueError):
    """The bytes are binary or in no encoding that can be told: the message says which."""


MAGIC = [
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive"), (b"PK\x05\x06", "a zip archive"), (b"%PDF-", "a PDF file"),
    (b"\x7fELF", "an executable"), (b"\xd0\xcf\x11\xe0", "an Office document"), (b"RIFF", "a media file"),
    (b"7z\xbc\xaf", "a 7-zip archive"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3", "an SQLite database"), (b"wOFF", "a font"), (b"OggS", "a media file"),
]
BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# Western single-byte guesses that charset-normalizer confuses with one another: read as windows-1252
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "cp1257", "cp1254", "iso8859_2", "iso8859_9",
            "iso8859_13", "mac_roman", "mac_latin2", "cp850", "cp437"}
_DECLARED_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w:.-]+)""", re.I)
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


def refuse_binary(data: bytes) -> None:
    """Raise NotText for a known binary signature or NUL bytes (UTF-16/32 with a BOM aside)."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise NotText(f"binary file ({what}), not text")
    if b"\x00" in data[:65536] and not any(data.startswith(b) for b, _ in BOMS):
        raise NotText("binary file (holds NUL bytes), not text")


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes -> text: BOM, else UTF-8, else the declared charset, else a confident guess."""
    text = _decode_bytes(data, declared)
    if _CTRL_RE.search(text) and len(_CTRL_RE.findall(text)) > max(2, len(text) // 200):
        raise NotText("binary file (control characters), not text")
    return text


def _decode_bytes(data: bytes, declared: str | None) -> str:
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise NotText(f"cannot decode: invalid {enc.upper()} after its byte order mark") from e
    refuse_binary(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    enc = _codec(declared)
    if enc and enc != "utf-8":
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError, ValueError):
            log.debug("declared charset %s does not fit the bytes", declared)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise NotText("cannot decode: not UTF-8 and no confident character encoding found")
    guess = best.encoding
    if guess in _WESTERN:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _codec(declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        info = codecs.lookup(declared.strip().strip("\"'"))
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # zlib, hex, base64, quopri...: bytes-to-bytes codecs, not character encodings
    name = info.name
    # as browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean windows-1252
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML meta tag or XML declaration names, if any."""
    m = _DECLARED_RE.search(data[:4096])
    return (m.group(1) or m.group(2)).decode("ascii", "ignore") if m else None
