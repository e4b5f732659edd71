"""ingest.read_inputs: every input format, every kind of bad input, and nothing ever fetched."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger.errors import InputError
from eventledger.ingest import read_inputs
from eventledger.records import RawDocument
from eventledger.settings import Settings

HTML = Path(__file__).parent / "data" / "html"
REPO = Path(__file__).resolve().parents[1]
STORY = "Federal agents arrested 40 people in a raid on a construction site in Denver on Tuesday, officials said.\n"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: ingest never fetches."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def read(*paths, **kw) -> list[RawDocument | InputError]:
    return list(read_inputs([str(p) for p in paths], **kw))


def one(path, **kw) -> RawDocument:
    out = read(path, **kw)
    assert len(out) == 1 and isinstance(out[0], RawDocument), out
    return out[0]


def error(path, **kw) -> InputError:
    out = read(path, **kw)
    assert len(out) == 1 and isinstance(out[0], InputError), out
    return out[0]


# ---- HTML ----------------------------------------------------------------------------------------


def test_local_news_page_keeps_the_story_and_its_metadata():
    path = HTML / "local_news.html"
    doc = one(path)
    data = path.read_bytes()
    assert doc.id == hashlib.sha256(data).hexdigest() and doc.raw == data
    assert doc.source == str(path)
    assert doc.title == "Council adopts sanctuary ordinance after heated meeting"
    assert doc.outlet == "Riverside Ledger"
    assert doc.bylines == ("Maria Lopez", "David Chen")
    assert (doc.published, doc.published_basis) == ("2025-06-11", "metadata")
    assert doc.url == "https://www.riversideledger.example/news/2025/06/11/council-adopts-sanctuary-ordinance/"
    lines = doc.text.split("\n")
    assert "The Riverside City Council voted 5-2 on Wednesday night" in lines[1]
    assert lines[-1] == "About 200 people packed the council chamber, and dozens more watched on a screen outside City Hall."
    for junk in ("Obituaries", "Subscribe for $1", "Share on Facebook", "Email this story", "Advertisement",
                 "Related stories", "car washes on the east side", "Copyright", "Privacy policy", "Sign up",
                 "min-height", "analytics"):
        assert junk not in doc.text, junk


def test_wire_story_page():
    doc = one(HTML / "wire_story.html")
    assert doc.title == "Border Patrol agents arrive in New Orleans for enforcement operation"
    assert doc.outlet == "Gulf Wire"
    assert doc.bylines == ()  # "By The Associated Press" names no author
    assert (doc.published, doc.published_basis) == ("2025-12-03", "metadata")
    assert doc.text.startswith("NEW ORLEANS (AP) — Federal immigration agents fanned out")
    assert "5,000 arrests" in doc.text
    assert "Saints sign new kicker" not in doc.text and "World" not in doc.text


def test_hostile_page_runs_nothing_and_leaks_nothing():
    doc = one(HTML / "hostile.html")
    assert "Hundreds of protesters gathered outside the Delaney Hall detention center" in doc.text
    assert "Organizers said the rally was peaceful." in doc.text
    assert "Police reported no arrests" in doc.text  # story text after an unclosed <embed> survives
    for leak in ("alert", "cookie", "javascript", "vbscript", "onerror", "onload", "<", ">", "IFRAME-FALLBACK",
                 "OBJECT-FALLBACK", "SVG-TEXT", "NOSCRIPT", "HIDDEN-TEXT", "HIDDEN-ATTR", "INPUT-VALUE",
                 "BUTTON-TEXT", "WRITTEN-BY-SCRIPT", "evil.example"):
        assert leak not in doc.text, leak
    assert doc.url is None or "evil.example" not in doc.url  # <base href> is not the page's address
    assert doc.outlet is None or "evil" not in doc.outlet


def test_windows_1252_page_is_decoded_by_its_meta_charset():
    data = (HTML / "windows1252.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = one(HTML / "windows1252.html")
    assert "La alcaldesa María Núñez dijo el martes que la ciudad “no cooperará”" in doc.text
    assert "Según la policía, 14 personas" in doc.text
    assert doc.outlet == "El Diario del Valle" and doc.published == "2025-07-08"


def test_broken_html_still_gives_its_paragraphs():
    doc = one(HTML / "broken.html")
    assert doc.title == "Curfew lifted downtown after a week of protests"
    assert doc.text.startswith("Los Angeles Mayor Karen Bass lifted the downtown curfew on Tuesday")
    assert "more than 200 people were arrested" in doc.text
    assert "thousands of dollars in lost sales" in doc.text
    assert "<" not in doc.text


def test_html_is_sniffed_whatever_the_name(tmp_path):
    p = tmp_path / "story.page"
    p.write_bytes((HTML / "local_news.html").read_bytes())
    doc = one(p)
    assert "<" not in doc.text and doc.title == "Council adopts sanctuary ordinance after heated meeting"


def test_html_without_main_text_is_an_error(tmp_path):
    p = tmp_path / "nav.html"
    p.write_text("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
                 "<footer>Copyright 2025 Example Media. All rights reserved.</footer></body></html>")
    assert error(p).reason == "no article text found in the HTML"


# ---- plain text and encodings --------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("a.txt", STORY.encode("utf-8"), STORY),
    ("bom.txt", b"\xef\xbb\xbf" + STORY.encode("utf-8"), STORY),
    ("cp1252.txt", "The mayor said “we won’t stop” — Núñez, déjà vu, señor.\n".encode("cp1252"),
     "The mayor said “we won’t stop” — Núñez, déjà vu, señor.\n"),
    ("latin1.txt", "Le maire a déclaré que la ville était prête à résister.\n".encode("latin-1"),
     "Le maire a déclaré que la ville était prête à résister.\n"),
    ("utf16.txt", STORY.encode("utf-16"), STORY),
    ("utf16be.txt", b"\xfe\xff" + STORY.encode("utf-16-be"), STORY),
    ("story.article", STORY.encode("utf-8"), STORY),  # unknown extension that decodes as text
])
def test_text_files_decode(tmp_path, name, data, expected):
    p = tmp_path / name
    p.write_bytes(data)
    doc = one(p)
    assert doc.text == expected
    assert doc.id == hashlib.sha256(data).hexdigest() and doc.raw == data
    assert doc.source == str(p) and doc.published is None and doc.title is None


# ---- bad inputs --------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(1, 40))
UNDECODABLE = bytes((i * 7919 + 13) % 255 + 1 for i in range(600))  # no NUL, no encoding fits


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("nul.txt", b"some text\x00\x01\x02 more", "binary"),
    ("image.txt", PNG, "PNG"),
    ("archive.txt", ZIP, "zip"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\r\n   \n", "whitespace"),
    ("garbage.txt", UNDECODABLE, "cannot decode"),
    ("nav.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
    ("bad.rss", b"<?xml version='1.0'?><rss version='2.0'><channel><title>x<item><title>y</chan", "malformed feed"),
    ("data.xml", b"<?xml version='1.0'?><data><row>1</row></data>", "not an RSS or Atom feed"),
    ("broken.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\ntruncated", "WARC"),
    ("page.warc.gz", b"\x1f\x8b\x08\x00garbage-not-gzip", "WARC"),
    ("page.txt.gz", gzip.compress(STORY.encode()), "gzip"),
])
def test_bad_input_is_one_clear_error(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    err = error(p)
    assert err.source == str(p)
    assert reason.lower() in err.reason.lower(), err.reason
    assert str(p) in str(err)


def test_undecodable_really_has_no_encoding():
    assert b"\x00" not in UNDECODABLE
    with pytest.raises(UnicodeDecodeError):
        UNDECODABLE.decode("utf-8")


def test_missing_file():
    err = error("/nonexistent/story.txt")
    assert err.source == "/nonexistent/story.txt" and "no such file" in err.reason


def test_oversized_is_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_text(STORY * 10)  # 1,050 bytes
    assert isinstance(one(p, settings=Settings(max_input_bytes=10_000)), RawDocument)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(25 * 1024 * 1024)  # sparse: costs no disk

    def no_open(*args, **kwargs):
        raise AssertionError("an oversized file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    assert error(p, settings=Settings(max_input_bytes=100)).reason == "too large: file is 1.0 KB, over the 100 bytes limit"
    assert error(huge).reason == "too large: file is 25 MB, over the 20 MB limit"


def test_extracted_text_over_the_limit_is_refused(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text(STORY * 5)
    assert "too long" in error(p, settings=Settings(max_text_chars=50)).reason


def test_folder_mixing_good_and_bad_files(tmp_path):
    (tmp_path / "a_good.txt").write_text(STORY)
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_image.txt").write_bytes(PNG)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "d_page.html").write_bytes((HTML / "wire_story.html").read_bytes())
    (sub / "e_garbage.txt").write_bytes(UNDECODABLE)
    (sub / "f.jsonl").write_text(json.dumps({"text": STORY}) + "\n{not json\n")
    (tmp_path / ".hidden.txt").write_text(STORY)  # hidden: skipped
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(STORY)
    (tmp_path / "notes.json").write_text("{}")  # not an input extension: skipped
    (tmp_path / "photo.png").write_bytes(PNG)
    out = read(tmp_path)
    got = [(type(r).__name__, Path(r.source).name if isinstance(r, InputError) else r.source) for r in out]
    assert got == [
        ("RawDocument", str(tmp_path / "a_good.txt")),
        ("InputError", "b_empty.txt"),
        ("InputError", "c_image.txt"),
        ("RawDocument", str(sub / "d_page.html")),
        ("InputError", "e_garbage.txt"),
        ("RawDocument", f"{sub / 'f.jsonl'}:1"),
        ("InputError", "f.jsonl:2"),
    ]
    assert [r.reason for r in out if isinstance(r, InputError)][:2] == [
        "empty file", "binary file (a PNG image), not text"]


def test_empty_folder_is_an_error(tmp_path):
    assert "no readable files" in error(tmp_path).reason


def test_read_inputs_never_raises_on_odd_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    out = read("", tmp_path / "nope", "/dev/null", tmp_path / "sub", "/proc/self/mem")
    assert len(out) == 5 and all(isinstance(r, InputError) for r in out), out
    assert out[0].reason == "empty path" and "no such file" in out[1].reason and out[2].reason == "empty file"


# ---- JSON Lines ---------------------------------------------------------------------------------


def test_json_lines(tmp_path):
    page = (HTML / "local_news.html").read_text()
    lines = [
        json.dumps({"url": "https://news.example/2025/10/23/canal-street-raid/", "title": "Canal Street raid",
                    "text": STORY, "outlet": "News Example"}),
        "{this is not json",
        json.dumps({"text": STORY, "published": "June 10, 2025", "authors": ["Jane Doe", "John Roe"]}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"url": "https://www.wwno.org/immigration/2025-12-03/feds-announce", "html": page}),
        json.dumps({"url": "https://x.example/a", "text": "   "}),
        json.dumps({"title": "no text at all"}),
    ]
    p = tmp_path / "batch.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = read(p)
    docs = [r for r in out if isinstance(r, RawDocument)]
    errs = [r for r in out if isinstance(r, InputError)]
    assert [e.source for e in errs] == [f"{p}:2", f"{p}:4", f"{p}:7", f"{p}:8"]
    assert "not valid JSON" in errs[0].reason and "not a JSON object" in errs[1].reason
    a, b, c = docs
    assert a.source == a.url == "https://news.example/2025/10/23/canal-street-raid/"
    # a date read off the URL says so until extraction weighs it against the text's own dateline
    assert (a.title, a.outlet, a.published, a.published_basis) == ("Canal Street raid", "News Example", "2025-10-23", "url")
    assert a.id == hashlib.sha256(lines[0].encode()).hexdigest() and a.raw == lines[0].encode()
    assert b.source == f"{p}:3" and b.published == "2025-06-10" and b.bylines == ("Jane Doe", "John Roe")
    assert c.source == "https://www.wwno.org/immigration/2025-12-03/feds-announce"
    assert "<" not in c.text and "Riverside City Council voted" in c.text
    assert c.published == "2025-06-11"  # the page's own date beats the URL's


def test_url_date_when_the_page_has_none(tmp_path):
    p = tmp_path / "u.jsonl"
    rows = [{"url": "https://www.wwno.org/immigration/2025-12-03/feds-announce-launch", "html":
             "<html><body><article><p>" + STORY + "</p></article></body></html>"},
            {"url": "https://www.theguardian.com/us-news/2025/jun/09/la-protests", "text": STORY},
            {"url": "https://example.com/news/2025/13/40/not-a-date", "text": STORY},
            {"url": "https://www.example-times.com/articles/1755/20250929/guard-sent-to-city.htm", "text": STORY},
            {"url": "https://example.com/articles/20251340/not-a-date", "text": STORY},
            {"url": "https://example.com/story/202509291234/an-id-not-a-date", "text": STORY}]
    p.write_text("\n".join(json.dumps(r) for r in rows))
    assert [d.published for d in read(p)] == ["2025-12-03", "2025-06-09", None, "2025-09-29", None, None]


# ---- feeds -------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Valley Courier</title><link>https://valleycourier.example/</link><description>Local news</description>
<item><title>Agents detain workers at farm</title>
<link>https://valleycourier.example/news/2025/07/10/agents-detain-workers/</link>
<dc:creator>Ana Ruiz</dc:creator><pubDate>Thu, 10 Jul 2025 21:30:00 -0700</pubDate>
<content:encoded><![CDATA[<p>Federal agents detained 12 farmworkers at a berry farm near Oxnard on Thursday.</p>
<script>alert(1)</script><iframe src="https://evil.example/"></iframe><p onclick="alert(2)">The union called for their release.</p>
<p>The post <a href="https://valleycourier.example/x">Agents detain workers</a> appeared first on <a href="https://valleycourier.example">Valley Courier</a>.</p>]]></content:encoded>
</item>
<item><title>Council to vote on ordinance</title><link>https://valleycourier.example/news/council-vote/</link>
<description>&lt;p&gt;The council will vote &lt;b&gt;next week&lt;/b&gt; on a sanctuary ordinance.&lt;/p&gt;</description>
<pubDate>Fri, 11 Jul 2025 08:00:00 GMT</pubDate></item>
<item><title>Empty item</title><link>https://valleycourier.example/news/empty/</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbor Dispatch</title><id>urn:uuid:60a76c80</id>
<updated>2025-08-18T12:00:00Z</updated>
<entry><title>Guard troops arrive in capital</title><link href="https://harbordispatch.example/guard-troops"/>
<id>urn:uuid:1225c695</id><published>2025-08-18T09:15:00-04:00</published><updated>2025-08-19T11:00:00-04:00</updated>
<author><name>Sam Cole</name></author>
<content type="html">&lt;p&gt;About 750 National Guard troops arrived in Washington on Monday.&lt;/p&gt;&lt;p&gt;Officials said they would not make arrests.&lt;/p&gt;</content>
</entry></feed>
"""


def test_rss_feed(tmp_path):
    p = tmp_path / "courier.rss"
    p.write_text(RSS, encoding="utf-8")
    out = read(p)
    a, b, err = out
    assert a.source == a.url == "https://valleycourier.example/news/2025/07/10/agents-detain-workers/"
    assert a.text == ("Federal agents detained 12 farmworkers at a berry farm near Oxnard on Thursday.\n"
                      "The union called for their release.")
    assert (a.title, a.outlet, a.bylines) == ("Agents detain workers at farm", "Valley Courier", ("Ana Ruiz",))
    assert (a.published, a.published_basis) == ("2025-07-10", "metadata")  # the date as the feed wrote it
    assert a.raw.startswith(b"<item>") and a.raw.endswith(b"</item>")
    assert a.id == hashlib.sha256(a.raw).hexdigest()
    assert b.text == "The council will vote next week on a sanctuary ordinance." and b.published == "2025-07-11"
    assert a.id != b.id
    assert isinstance(err, InputError) and "no content" in err.reason and "courier.rss#3" in err.source


def test_atom_feed(tmp_path):
    p = tmp_path / "dispatch.atom"
    p.write_text(ATOM, encoding="utf-8")
    doc = one(p)
    assert doc.source == "https://harbordispatch.example/guard-troops"
    assert doc.text == "About 750 National Guard troops arrived in Washington on Monday.\nOfficials said they would not make arrests."
    assert (doc.outlet, doc.bylines, doc.published) == ("Harbor Dispatch", ("Sam Cole",), "2025-08-18")


def test_feed_is_sniffed_without_an_extension(tmp_path):
    p = tmp_path / "feed"
    p.write_text(ATOM, encoding="utf-8")
    assert one(p).outlet == "Harbor Dispatch"


# ---- WARC --------------------------------------------------------------------------------------


def _warc(path: Path, gz: bool) -> None:
    page = (HTML / "local_news.html").read_bytes()
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, body, ctype, status in [
            ("https://www.riversideledger.example/news/2025/06/11/council/", page, "text/html; charset=utf-8", "200 OK"),
            ("https://www.riversideledger.example/style.css", b"body { color: red }", "text/css", "200 OK"),
            ("https://www.riversideledger.example/old", b"", "text/html", "301 Moved Permanently"),
            ("https://www.riversideledger.example/missing", b"<html><body>Not found</body></html>", "text/html", "404 Not Found"),
            ("https://news.example/2025-12-03/wire", STORY.encode(), "text/plain", "200 OK"),
            ("https://news.example/nav-only", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html", "200 OK"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_archive(tmp_path, name):
    p = tmp_path / name
    _warc(p, name.endswith(".gz"))
    page, wire, err = read(p)
    assert page.source == "https://www.riversideledger.example/news/2025/06/11/council/"  # the target URI
    assert page.outlet == "Riverside Ledger" and page.published == "2025-06-11"
    assert page.raw == (HTML / "local_news.html").read_bytes()
    assert page.id == hashlib.sha256(page.raw).hexdigest()
    assert "Obituaries" not in page.text and "Riverside City Council voted" in page.text
    assert wire.source == wire.url == "https://news.example/2025-12-03/wire"
    assert wire.text == STORY and (wire.published, wire.published_basis) == ("2025-12-03", "url")
    assert isinstance(err, InputError) and err.source == "https://news.example/nav-only"
    assert "no article text" in err.reason and name in err.reason


def test_warc_without_documents(tmp_path):
    p = tmp_path / "empty.warc"
    with p.open("wb") as fh:
        w = WARCWriter(fh, gzip=False)
        w.write_record(w.create_warcinfo_record("empty.warc", {"software": "test"}))
    assert "no HTML or text" in error(p).reason


# ---- standard input and overrides --------------------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(("data", "expect"), [
    (STORY.encode(), ["-"]),
    ((HTML / "wire_story.html").read_bytes(), ["-"]),
    ((json.dumps({"url": "https://a.example/1", "text": STORY}) + "\n" + json.dumps({"text": STORY})).encode(),
     ["https://a.example/1", "-:2"]),
    (ATOM.encode(), ["https://harbordispatch.example/guard-troops"]),
])
def test_standard_input_is_sniffed(monkeypatch, data, expect):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    out = read("-")
    assert [r.source for r in out] == expect and all(isinstance(r, RawDocument) for r in out)
    assert "<" not in out[0].text


def test_standard_input_too_large(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"x" * 1000))
    assert "too large" in error("-", settings=Settings(max_input_bytes=100)).reason


def test_published_and_outlet_override(tmp_path):
    doc = one(HTML / "local_news.html", published="2025-06-12", outlet="Override Post")
    assert (doc.published, doc.published_basis, doc.outlet) == ("2025-06-12", "metadata", "Override Post")
    err = error(HTML / "local_news.html", published="last Tuesday")
    assert err.source == "--published" and "not a date" in err.reason


# ---- the command line --------------------------------------------------------------------------


def test_cli_extract_a_folder_with_bad_files(tmp_path):
    (tmp_path / "a.txt").write_text("Agents raid car wash\n\n" + STORY)
    (tmp_path / "b.html").write_bytes((HTML / "local_news.html").read_bytes())
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.txt").write_bytes(PNG)
    (tmp_path / "e.jsonl").write_text(json.dumps({"text": STORY}) + "\nnot json\n")
    proc = subprocess.run([sys.executable, "-m", "eventledger", "extract", "--no-text", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 1, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["document"]["source"] for r in records] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b.html"), f"{tmp_path / 'e.jsonl'}:1"]
    assert records[1]["document"]["outlet"] == "Riverside Ledger"
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, proc.stderr
    assert "c.txt: empty file" in errors[0]
    assert "d.txt: binary file" in errors[1]
    assert "e.jsonl:2: not valid JSON" in errors[2]
