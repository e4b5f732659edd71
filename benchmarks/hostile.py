"""Hostile inputs, made from a seed: every kind of file that once stopped a run or took
minutes (issue 12), and random variations of them. Used by benchmarks/fuzz.py (minutes of
them) and by tests/test_fuzz.py (a bounded few, with Hypothesis).

    for name, data in hostile_batch(random.Random(7), 40):
        (folder / name).write_bytes(data)

No corpus text is copied here: the stories are our own, in towns the corpus does not cover.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from collections.abc import Callable

__all__ = ["GOOD", "KINDS", "hostile_batch", "hostile_file"]

GOOD = [
    "Federal agents detained 14 workers at a meatpacking plant in Greeley, Colorado, on March 4, 2025, the county"
    " sheriff said. The workers were taken to a processing center in Aurora.",
    "Protesters gathered outside the federal building in Tucson on April 2, 2025, after immigration officers"
    " arrested 6 people at a car wash, according to a statement from the city.",
    "The city council of Eugene, Oregon, voted 6 to 2 on May 8, 2025, to bar police from helping immigration"
    " agents, Mayor Ana Lutz said.",
]
CHARSETS = ["zlib", "hex", "quopri", "base64", "rot13", "bz2", "uu", "utf-7", "utf-16", "utf-32", "cp1252", "latin-1",
            "koi8-r", "shift_jis", "x-unknown", "utf-8\x00", "", " ", "a" * 300, "idna", "punycode", "undefined",
            "unicode_escape", "raw_unicode_escape", "mbcs", "cp65001", "iso-2022-jp", "big5", "utf_8_sig"]
TAGS = ["div", "span", "p", "table", "tr", "td", "ul", "li", "a", "b", "font", "section", "article", "svg", "math",
        "select", "option", "template", "iframe", "object", "form", "textarea", "noscript", "pre"]


def _story(r: random.Random) -> str:
    return r.choice(GOOD)


def _mutate(r: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(r.randint(1, 12)):
        op = r.random()
        pos = r.randrange(len(b) + 1)
        if op < 0.4 and b:
            b[min(pos, len(b) - 1)] = r.randrange(256)
        elif op < 0.7:
            b[pos:pos] = bytes(r.randrange(256) for _ in range(r.randint(1, 8)))
        elif b:
            del b[pos : pos + r.randint(1, 16)]
    return bytes(b)


def random_bytes(r: random.Random) -> tuple[str, bytes]:
    ext = r.choice([".txt", ".html", ".jsonl", ".xml", ".rss", ".warc", ".warc.gz", ".atom"])
    return ext, bytes(r.randrange(256) for _ in range(r.choice([0, 1, 3, 64, 1000, 5000])))


def declared_charset(r: random.Random) -> tuple[str, bytes]:
    cs = r.choice(CHARSETS)
    story = _story(r).replace("Eugene", "Eug\u00e8ne").replace("Tucson", "T\u00facson")
    enc = r.choice(["latin-1", "utf-8", "utf-16", "cp1252", "koi8-r"])
    try:
        body = story.encode(enc, "replace")
    except LookupError:
        body = story.encode()
    page = f'<html><head><meta charset="{cs}"><title>t</title></head><body><article><p>'.encode() + body + b"</p></article></body></html>"
    if r.random() < 0.5:
        return ".html", page
    return ".xml", f'<?xml version="1.0" encoding="{cs}"?><rss version="2.0"><channel><title>x</title><item><title>a</title><description>'.encode() + body + b"</description></item></channel></rss>"


def _deep_json(r: random.Random, depth: int) -> str:
    o, c = r.choice([("[", "]"), ('{"a":', "}")])
    return o * depth + "1" + c * depth


def json_lines(r: random.Random) -> tuple[str, bytes]:
    lines = []
    for _ in range(r.randint(1, 6)):
        k = r.random()
        if k < 0.15:
            lines.append(json.dumps({"text": _story(r) + " \\ud800 \\udfff x"}).replace("\\\\ud", "\\ud"))
        elif k < 0.3:
            lines.append('{"text": "x", "deep": ' + _deep_json(r, r.choice([500, 5000, 50000])) + "}")
        elif k < 0.4:
            lines.append(json.dumps({"text": r.choice([None, 5, [], {}, True, 1e308])}))
        elif k < 0.5:
            lines.append('{"text": 1e999999, "published": "' + "9" * r.randint(1, 400) + '"}')
        elif k < 0.6:
            lines.append(json.dumps({"html": "<div>" * r.randint(50, 3000) + _story(r), "url": "file:///etc/passwd"}))
        elif k < 0.7:
            lines.append(json.dumps({"text": _story(r), "published": r.choice(["2025-13-45", "0000-00-00", "yesterday",
                                                                                   "-1", "2025-02-30T99:99"]),
                                     "bylines": [{"name": {"x": 1}}, 5, "By =cmd|"], "outlet": "=HYPERLINK(\"x\")"}))
        elif k < 0.8:
            lines.append(_mutate(r, json.dumps({"text": _story(r), "title": "t"}).encode()).decode("latin-1"))
        else:
            lines.append(json.dumps({"text": _story(r), "url": "https://news.example/" + "a" * r.randint(1, 5000)}))
    return ".jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")


def feed(r: random.Random) -> tuple[str, bytes]:
    k = r.random()
    head = b"<?xml version='1.0'?>"
    if k < 0.25:  # many items never closed (the item pattern was quadratic)
        return ".rss", head + b"<rss version='2.0'><channel><title>T</title>" + b"<item><title>x</title>" * r.randint(100, 1500) + b"</channel></rss>"
    if k < 0.4:  # entity expansion and external entities
        dtd = (b"<!DOCTYPE rss [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
               b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>"
               b"<!ENTITY x SYSTEM 'file:///etc/passwd'>]>")
        return ".rss", head + dtd + b"<rss version='2.0'><channel><title>&d;</title><item><title>&x;</title><description>" + _story(r).encode() + b" &d;</description></item></channel></rss>"
    if k < 0.6:
        items = b"".join(b"<entry><title>" + str(i).encode() + b"</title><content type='html'>" + (b"&lt;div&gt;" * r.randint(0, 400)) + _story(r).encode() + b"</content><updated>" + r.choice([b"2025-03-04T10:00:00Z", b"not a date", b"99999-99-99"]) + b"</updated></entry>" for i in range(r.randint(1, 20)))
        return ".atom", head + b"<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>" + items + b"</feed>"
    base = head + b"<rss version='2.0'><channel><title>T</title><item><title>A</title><link>javascript:alert(1)</link><description><![CDATA[" + _story(r).encode() + b"]]></description></item></channel></rss>"
    return ".rss", _mutate(r, base)


def _warc_record(uri: str, body: bytes, ctype: str, rtype: str = "response") -> bytes:
    if rtype == "response":
        payload = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
        wctype = "application/http; msgtype=response"
    else:
        payload, wctype = body, ctype
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Target-URI: {uri}\r\nWARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
            f"Content-Type: {wctype}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"


def warc(r: random.Random) -> tuple[str, bytes]:
    recs = []
    for i in range(r.randint(1, 5)):
        k = r.random()
        uri = f"https://news.example/{i}"
        if k < 0.3:
            recs.append(_warc_record(uri, _story(r).encode("latin-1", "replace"), f"text/html; charset={r.choice(CHARSETS)}"))
        elif k < 0.45:
            recs.append(_warc_record(uri, b" " * r.choice([10**6, 5 * 10**6, 30 * 10**6]), "text/plain"))
        elif k < 0.6:
            recs.append(_warc_record(uri, ("<div>" * 300 + _story(r)).encode(), "text/html"))
        elif k < 0.75:
            recs.append(_mutate(r, _warc_record(uri, _story(r).encode(), "text/plain", "resource")))
        else:
            recs.append(_warc_record(uri, _story(r).encode(), "text/plain", "resource"))
    data = b"".join(recs)
    if r.random() < 0.6:
        if r.random() < 0.5:
            data = b"".join(gzip.compress(x, 6) for x in recs)  # one member per record, as WARC writers do
        else:
            data = gzip.compress(data, 9)
        if r.random() < 0.2:
            data = data[: r.randrange(1, len(data))]
        return ".warc.gz", data
    return ".warc", data


def gzip_bomb(r: random.Random) -> tuple[str, bytes]:
    size = r.choice([50, 120, 300]) * 10**6
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = _warc_record("https://news.example/bomb", b"", "text/plain").split(b"\r\n\r\n")[0]
    head = head.replace(b"Content-Length: 0", f"Content-Length: {size}".encode())
    out = [z.compress(head + b"\r\n\r\n")]
    chunk = b"\x00" * 10**6
    for _ in range(size // 10**6):
        out.append(z.compress(chunk))
    out.append(z.flush())
    return ".warc.gz", b"".join(out)


def html_nesting(r: random.Random) -> tuple[str, bytes]:
    k = r.random()
    story = f"<p>{_story(r)}</p>"
    if k < 0.3:
        t = r.choice(TAGS)
        n = r.choice([90, 150, 300, 3000, 30000])
        body = f"<{t}>" * n + story + f"</{t}>" * n
    elif k < 0.5:
        d = r.choice([50, 99, 150])
        body = ("<div>" * d + story + "</div>" * d) * r.randint(2, 60)
    elif k < 0.7:
        body = "".join(f"<{r.choice(TAGS)} {'x' * r.randint(1, 50)}=\"{'y' * r.randint(0, 2000)}\">" for _ in range(r.randint(10, 3000))) + story
    elif k < 0.85:
        body = "<script>" + "a" * r.randint(1, 100000) + "</script>" + story + "<!--" + "-" * r.randint(1, 5000)
    else:
        body = _mutate(r, ("<article>" + story * 3 + "</article>").encode()).decode("latin-1")
    return ".html", f"<!doctype html><html><head><title>T</title></head><body>{body}</body></html>".encode("utf-8", "replace")


def giant_lines(r: random.Random) -> tuple[str, bytes]:
    n = r.choice([5_000, 20_000, 60_000])
    unit = r.choice(["The Agents Arrested People In The City And ", "Ab-", "1,2", "a.", "A. ", "((((", "\"“", "U.S. ",
                     "arrested 3 people in Reno on June 3, 2025 and ", "ICE ", "- ", "$1,000,000 ", "Mr. ", "'s ",
                     "Los Angeles Police Department "])
    text = (unit * (n // len(unit) + 1))[:n]
    if r.random() < 0.3:
        text = _story(r) + "\n" + text + "\n" + _story(r)
    return ".txt", text.encode()


def mutated(r: random.Random) -> tuple[str, bytes]:
    ext = r.choice([".txt", ".html", ".jsonl"])
    s = _story(r)
    base = {".txt": s.encode(), ".html": f"<html><body><p>{s}</p></body></html>".encode(),
            ".jsonl": json.dumps({"text": s}).encode()}[ext]
    return ext, _mutate(r, base)


KINDS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "bytes": random_bytes, "charset": declared_charset, "jsonl": json_lines, "feed": feed, "warc": warc,
    "gzip-bomb": gzip_bomb, "html": html_nesting, "giant-lines": giant_lines, "mutated": mutated,
}
_WEIGHTS = {"bytes": 14, "charset": 14, "jsonl": 14, "feed": 10, "warc": 10, "gzip-bomb": 1, "html": 12,
            "giant-lines": 3, "mutated": 22}


def hostile_file(r: random.Random, kind: str | None = None) -> tuple[str, str, bytes]:
    """(kind, file extension, bytes) of one hostile input."""
    kind = kind or r.choices(list(_WEIGHTS), weights=list(_WEIGHTS.values()))[0]
    ext, data = KINDS[kind](r)
    return kind, ext, data


def hostile_batch(r: random.Random, n: int) -> list[tuple[str, bytes]]:
    """``n`` hostile files named by number and kind, and the good stories as .txt files."""
    out = []
    for i in range(n):
        kind, ext, data = hostile_file(r)
        out.append((f"h{i:04d}-{kind}{ext}", data))
    out += [(f"good{i}.txt", s.encode()) for i, s in enumerate(GOOD)]
    return out
