"""A fuzz harness in the suite: Hypothesis draws bytes, encodings and declared charsets,
JSON Lines, feeds, WARC records, HTML nesting and giant lines; every input must come out of
reading and extraction as documents or one-line errors, never an exception, and within its
time budget. Bounded (a few dozen examples a strategy, small inputs) so the suite stays
fast; benchmarks/fuzz.py --minutes N runs the long version."""

from __future__ import annotations

import gzip
import json
import random
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from eventledger.errors import EventLedgerError, InputError
from eventledger.ingest import read_inputs
from eventledger.pipeline import process_guarded
from eventledger.records import Extraction, RawDocument
from eventledger.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import hostile  # noqa: E402

SETTINGS = Settings(max_document_seconds=20)
FUZZ = hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow, HealthCheck.data_too_large])


def _through(tmp_path: Path, name: str, data: bytes, profile) -> list[object]:  # type: ignore[no-untyped-def]
    """Read and extract one file as ingest does; every item must be a document or an error line."""
    f = tmp_path / name
    f.write_bytes(data)
    out: list[object] = []
    for item in read_inputs([str(f)], SETTINGS):
        assert isinstance(item, (RawDocument, InputError)), item
        if isinstance(item, InputError):
            assert "\n" not in str(item) and str(item).strip(), repr(str(item))
            out.append(item)
            continue
        started = time.monotonic()
        ext = process_guarded(item, profile, SETTINGS)
        assert time.monotonic() - started < SETTINGS.max_document_seconds + 5
        assert isinstance(ext, (Extraction, EventLedgerError)), ext
        if isinstance(ext, Extraction):
            text = ext.document.text
            for f_ in ext.figures:
                assert text[f_.start:f_.end] == f_.text
        out.append(ext)
    return out


FUZZ_FEW = hsettings(FUZZ, max_examples=12)  # each example extracts up to 60,000 characters
EXTS = st.sampled_from([".txt", ".html", ".jsonl", ".xml", ".rss", ".atom", ".warc", ".warc.gz"])


@FUZZ
@given(data=st.binary(max_size=3000), ext=EXTS)
def test_any_bytes(tmp_path_factory, profile, data, ext):
    _through(tmp_path_factory.mktemp("b"), "f" + ext, data, profile)


@FUZZ
@given(charset=st.one_of(st.sampled_from(hostile.CHARSETS), st.text(max_size=40)),
       encoding=st.sampled_from(["latin-1", "utf-8", "utf-16", "cp1252", "koi8-r", "utf-32"]),
       story=st.sampled_from(hostile.GOOD), where=st.sampled_from(["meta", "xml", "warc"]))
def test_declared_charsets(tmp_path_factory, profile, charset, encoding, story, where):
    body = story.replace("Eugene", "Eugène").encode(encoding, "replace")
    cs = charset.replace('"', "").replace("\r", "").replace("\n", "")
    if where == "meta":
        name, data = "p.html", f'<html><head><meta charset="{cs}"></head><body><p>'.encode("utf-8", "replace") + body + b"</p></body></html>"
    elif where == "xml":
        name, data = "f.rss", (f"<?xml version='1.0' encoding='{cs}'?><rss version='2.0'><channel><title>t</title><item>"
                               f"<title>a</title><description>").encode("utf-8", "replace") + body + b"</description></item></channel></rss>"
    else:
        name, data = "a.warc", hostile._warc_record("https://news.example/c", body, f"text/html; charset={cs}")
    _through(tmp_path_factory.mktemp("c"), name, data, profile)


JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)


@FUZZ
@given(records=st.lists(st.one_of(
    st.fixed_dictionaries({"text": st.one_of(st.sampled_from(hostile.GOOD), JSON)},
                          optional={"title": JSON, "outlet": JSON, "published": JSON, "bylines": JSON, "url": JSON,
                                    "html": JSON}),
    JSON), min_size=1, max_size=5),
       surrogate=st.booleans(), depth=st.sampled_from([0, 10, 3000, 30000]))
def test_json_lines(tmp_path_factory, profile, records, surrogate, depth):
    lines = [json.dumps(r) for r in records]
    if surrogate:
        lines.append('{"text": "Agents arrested 3 people in Boise \\ud800 on June 3, 2025.", "title": "\\udfff"}')
    if depth:
        lines.append('{"text": "x", "deep": ' + "[" * depth + "]" * depth + "}")
    _through(tmp_path_factory.mktemp("j"), "r.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"), profile)


@FUZZ
@given(items=st.lists(st.tuples(st.text(max_size=30), st.one_of(st.sampled_from(hostile.GOOD), st.text(max_size=200)),
                                st.booleans()), max_size=8),
       unclosed=st.integers(0, 2000), atom=st.booleans())
def test_feeds(tmp_path_factory, profile, items, unclosed, atom):
    from xml.sax.saxutils import escape

    tag = "entry" if atom else "item"
    body = "".join(f"<{tag}><title>{escape(t)}</title><description>{escape(d)}</description>" + (f"</{tag}>" if closed else "")
                   for t, d, closed in items)
    root = ("<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>{}</feed>" if atom
            else "<rss version='2.0'><channel><title>T</title>{}</channel></rss>")
    data = ("<?xml version='1.0'?>" + root.format(body + f"<{tag}><title>x</title>" * unclosed)).encode("utf-8", "replace")
    _through(tmp_path_factory.mktemp("f"), "f.atom" if atom else "f.rss", data, profile)


@FUZZ
@given(records=st.lists(st.tuples(st.sampled_from(["response", "resource", "request", "metadata"]),
                                  st.one_of(st.sampled_from([s.encode() for s in hostile.GOOD]), st.binary(max_size=500)),
                                  st.sampled_from(["text/html", "text/plain", "application/pdf", "text/html; charset=zlib",
                                                   "", "text/plain; charset=utf-16"])), min_size=1, max_size=4),
       compress=st.sampled_from(["none", "whole", "members"]), cut=st.one_of(st.none(), st.integers(1, 400)))
def test_warc_records(tmp_path_factory, profile, records, compress, cut):
    recs = [hostile._warc_record(f"https://news.example/{i}", body, ctype, kind) for i, (kind, body, ctype) in enumerate(records)]
    if compress == "whole":
        data = gzip.compress(b"".join(recs))
    elif compress == "members":
        data = b"".join(gzip.compress(r) for r in recs)
    else:
        data = b"".join(recs)
    if cut is not None:
        data = data[: max(1, len(data) - cut)]
    _through(tmp_path_factory.mktemp("w"), "a.warc.gz" if compress != "none" else "a.warc", data, profile)


@FUZZ
@given(tags=st.lists(st.sampled_from(hostile.TAGS), min_size=1, max_size=6), depth=st.integers(1, 400),
       copies=st.integers(1, 20), close=st.booleans(), story=st.sampled_from(hostile.GOOD))
def test_html_nesting(tmp_path_factory, profile, tags, depth, copies, close, story):
    opened = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    closed = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth))) if close else ""
    html = "<html><body>" + (opened + f"<p>{story}</p>" + closed) * copies + "</body></html>"
    _through(tmp_path_factory.mktemp("h"), "p.html", html.encode(), profile)


@FUZZ_FEW
@given(unit=st.one_of(st.sampled_from(["The Agents Arrested People In The City And ", "Ab-", "1,2", "a.", "U.S. ", "((((",
                                       "Mr. ", "$1,000,000 ", "ICE "]), st.text(min_size=1, max_size=12)),
       size=st.sampled_from([5000, 20000, 60000]), newlines=st.booleans())
def test_giant_lines(tmp_path_factory, profile, unit, size, newlines):
    text = (unit * (size // len(unit) + 1))[:size]
    if newlines:
        text = hostile.GOOD[0] + "\n" + text + "\n" + hostile.GOOD[1]
    _through(tmp_path_factory.mktemp("g"), "g.txt", text.encode("utf-8", "surrogatepass"), profile)


@pytest.mark.parametrize("kind", sorted(hostile.KINDS))
def test_each_kind_of_the_long_fuzzer(tmp_path, profile, kind):
    """A few inputs of each kind benchmarks/fuzz.py makes, from fixed seeds."""
    for seed in range(3):
        _, ext, data = hostile.hostile_file(random.Random(seed * 31 + len(kind)), kind)
        _through(tmp_path, f"{kind}-{seed}{ext}", data, profile)
