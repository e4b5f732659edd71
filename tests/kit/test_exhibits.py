"""Exhibits on real files the tests make: a JPEG with EXIF and GPS (Pillow), a WAV recording,
a PDF with text (whose sentence becomes a citable span), the chain of custody in the log, and
verify naming a changed byte."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3

import pytest
from PIL import Image
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.kit import exhibits as kx
from eventledger.store import kit as sk

from .files import make_jpeg, make_pdf, make_wav

runner = CliRunner()

LETTER = ["Dear Ms. Okafor:",
          "This responds to your request of January 6, 2026.",
          "The agency located 17 pages of records about the April 15 operation in Boise.",
          "Nine pages are withheld under Exemption 7(E).",
          "Sincerely, FOIA Office"]


@pytest.fixture
def files(tmp_path):
    return {"jpg": make_jpeg(tmp_path / "lot.jpg", 43.6012, -116.2347),
            "wav": make_wav(tmp_path / "call.wav", seconds=2.0),
            "pdf": make_pdf(tmp_path / "response.pdf", LETTER, title="FOIA response")}


def test_photo_metadata_and_gps(kstore, files, raid):
    ex = kx.add_exhibit(kstore, files["jpg"], "dana", note="photo of the lot", event=raid, device="phone")
    row = sk.get_exhibit(kstore, ex.sha256)
    assert ex.sha256 == hashlib.sha256(files["jpg"].read_bytes()).hexdigest()
    assert row["media_type"] == "image/jpeg"
    assert row["metadata"]["gps"] == {"lat": pytest.approx(43.6012, abs=1e-5), "lon": pytest.approx(-116.2347, abs=1e-5)}
    assert row["metadata"]["exif"]["make"] == "TestCam"
    assert row["collected_at"] == "2025-06-08T14:31:05"  # from the camera clock, said so
    assert "camera clock" in row["metadata"]["collected_at_from"]
    assert sk.exhibit_bytes(kstore, ex.sha256) == files["jpg"].read_bytes()  # stored unchanged
    assert [c["action"] for c in sk.custody_log(kstore, f"exhibit:{ex.sha256}")] == ["exhibit-add", "exhibit-link"]
    assert not row["released"]


def test_audio_duration_and_codec(kstore, files):
    ex = kx.add_exhibit(kstore, files["wav"], "dana")
    meta = sk.get_exhibit(kstore, ex.sha256)["metadata"]
    assert meta["duration_s"] == pytest.approx(2.0, abs=0.01)
    assert meta["sample_rate"] == 8000 and meta["channels"] == 1
    assert meta["codec"] == "PCM 16-bit"


def test_pdf_text_becomes_a_document_and_a_sentence_is_cited(kstore, files, raid):
    ex = kx.add_exhibit(kstore, files["pdf"], "dana", request=None, event=raid, source_url="https://agency.example/foia/123")
    row = sk.get_exhibit(kstore, ex.sha256)
    assert row["metadata"]["pages"] == 1 and row["metadata"]["title"] == "FOIA response"
    assert ex.document_id == ex.sha256
    doc = sk.document_row(kstore, ex.document_id)
    assert "located 17 pages of records" in doc["text"]
    c = kx.cite(kstore, ex.sha256[:10], "located 17 pages", "dana", "the agency's own count", event=raid)
    assert c["text"] == "The agency located 17 pages of records about the April 15 operation in Boise."
    assert doc["text"][c["start"]:c["end"]] == c["text"]
    assert sk.citations(kstore, "event", raid)[0]["document_id"] == ex.sha256
    with pytest.raises(kx.ExhibitError, match="not in its text"):
        kx.cite(kstore, ex.sha256, "forty pages", "dana", None, event=raid)
    with pytest.raises(kx.ExhibitError, match="occurs 2 times"):
        kx.cite(kstore, ex.sha256, "pages", "dana", None, event=raid)
    assert kstore.verify() == []


def test_saved_page_and_text_notes_go_through_the_ordinary_input_path(kstore, tmp_path):
    page = tmp_path / "notice.html"
    page.write_text("<!doctype html><html><head><title>Notice to residents</title></head><body><nav>Home | News</nav>"
                    "<article><h1>Notice to residents</h1><p>The county closed the Riverside Park lot on June 9, 2025,"
                    " after federal agents used it as a staging area.</p></article></body></html>")
    note = tmp_path / "notes.txt"
    note.write_text("Observed 11 unmarked vans in the Riverside Park lot at 6:40 a.m. on June 8, 2025.\n")
    for path, want in ((page, "The county closed the Riverside Park lot"), (note, "Observed 11 unmarked vans")):
        ex = kx.add_exhibit(kstore, path, "dana")
        doc = sk.document_row(kstore, ex.document_id)
        assert ex.document_id == ex.sha256 and want in doc["text"]
        assert "<p>" not in doc["text"] and doc["source"] == f"exhibit:{path.name}"
    assert sk.document_row(kstore, kx.resolve(kstore, hashlib.sha256(page.read_bytes()).hexdigest())["document_id"])["title"] \
        == "Notice to residents"


def test_a_file_whose_text_cannot_be_extracted_is_still_kept(kstore, tmp_path, caplog):
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n  ")
    ex = kx.add_exhibit(kstore, blank, "dana")
    assert ex.added and ex.document_id is None
    assert sk.exhibit_bytes(kstore, ex.sha256) == blank.read_bytes()
    assert "kept without a ledger document of its text" in caplog.text


def test_every_action_is_logged_with_who_and_why(kstore, files, raid, tmp_path):
    ex = kx.add_exhibit(kstore, files["jpg"], "dana", note="taken from the sidewalk")
    kx.link(kstore, ex.sha256[:12], "lee", "same lot, same morning", event=raid)
    kx.view(kstore, ex.sha256, "public visitor")
    out = tmp_path / "copy.jpg"
    kx.export_exhibit(kstore, ex.sha256, out, "lee", "for counsel")
    assert out.read_bytes() == files["jpg"].read_bytes()
    old = kx.correct(kstore, ex.sha256, "lee", "the phone clock was on UTC", collected_at="2025-06-08T07:31:05-07:00")
    assert old == {"collected_at": "2025-06-08T14:31:05"}
    kx.release(kstore, ex.sha256, "rita", "no one identifiable; public lot")
    log = sk.custody_log(kstore, f"exhibit:{ex.sha256}")
    assert [(c["action"], c["by"], c["why"]) for c in log] == [
        ("exhibit-add", "dana", "taken from the sidewalk"),
        ("exhibit-link", "lee", "same lot, same morning"),
        ("exhibit-view", "public visitor", "viewed in the web app"),
        ("exhibit-export", "lee", "for counsel"),
        ("exhibit-correct", "lee", "the phone clock was on UTC"),
        ("exhibit-release", "rita", "no one identifiable; public lot"),
    ]
    assert log[4]["detail"]["old"] == {"collected_at": "2025-06-08T14:31:05"}
    assert all(c["at"] for c in log)
    assert kstore.verify() == []
    with pytest.raises(kx.ExhibitError, match="reason"):
        kx.correct(kstore, ex.sha256, "lee", "", note="x")


def test_verify_names_a_changed_byte_and_an_edited_row(kstore, files, ledger, profile):
    from eventledger.store import open_store

    photo = kx.add_exhibit(kstore, files["jpg"], "dana")
    audio = kx.add_exhibit(kstore, files["wav"], "dana")
    pdf = kx.add_exhibit(kstore, files["pdf"], "dana")
    assert kstore.verify() == []
    kstore.close()
    db = sqlite3.connect(ledger)
    for sha in (audio.sha256, pdf.sha256):
        data = bytearray(db.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha,)).fetchone()[0])
        data[len(data) // 2] ^= 0x01  # one bit of one byte
        db.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (bytes(data), sha))
    db.execute("UPDATE exhibits SET collected_by = 'someone else' WHERE sha256 = ?", (photo.sha256,))
    db.commit()
    db.close()
    s = open_store(ledger, profile)
    try:
        problems = s.verify()
    finally:
        s.close()
    assert f"exhibit call.wav ({audio.sha256}): stored bytes do not match their SHA-256" in problems
    assert f"exhibit response.pdf ({pdf.sha256}): stored bytes do not match their SHA-256" in problems
    assert f"exhibit {photo.sha256}: exhibits rows changed since they were logged" in problems
    r = runner.invoke(app, ["verify", "--db", str(ledger)])
    assert r.exit_code == 1 and "call.wav" in r.output


def test_redacted_preview_has_no_location_and_no_detail(files):
    data = files["jpg"].read_bytes()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the original has GPS
    png = kx.redacted_preview(data, "image/jpeg")
    im = Image.open(io.BytesIO(png))
    assert im.format == "PNG"
    assert not im.getexif() and "exif" not in im.info and b"GPS" not in png
    # the picture is PREVIEW_CELLS uniform blocks wide: shapes show, faces do not
    scale = im.width // kx.PREVIEW_CELLS
    assert scale > 1 and im.width == kx.PREVIEW_CELLS * scale
    px = im.load()
    for bx in range(kx.PREVIEW_CELLS):
        for by in range(im.height // scale):
            block = {px[bx * scale + i, by * scale + j] for i in range(scale) for j in range(scale)}
            assert len(block) == 1


def test_same_bytes_twice_is_one_exhibit_and_bad_files_do_not_stop_the_rest(kstore, files, tmp_path, raid):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    done, errors = kx.add_exhibits(kstore, [files["jpg"], empty, broken, tmp_path / "missing.wav", files["jpg"]], "dana")
    assert [d.added for d in done] == [True, False]
    assert len(errors) == 3
    assert any(e.startswith(f"{empty}: empty file") for e in errors)
    assert any(e.startswith(f"{broken}: not a readable PDF") for e in errors)
    assert any(str(tmp_path / "missing.wav") in e and "cannot read" in e for e in errors)
    with pytest.raises(kx.ExhibitError, match="no event ev-nope"):
        kx.add_exhibit(kstore, files["wav"], "dana", event="ev-nope")


def test_cli_exhibit_commands(ledger, files, raid, tmp_path):
    db = ["--db", str(ledger)]
    r = runner.invoke(app, ["exhibit", "add", str(files["jpg"]), str(files["pdf"]), str(tmp_path / "nope.jpg"),
                            "--event", raid, "--by", "dana", "--note", "from the lot", *db])
    assert r.exit_code == 1, r.output
    assert "lot.jpg  image/jpeg" in r.output and "response.pdf  application/pdf  text: document" in r.output
    assert "error:" in r.output and "nope.jpg" in r.output
    sha = hashlib.sha256(files["pdf"].read_bytes()).hexdigest()
    r = runner.invoke(app, ["exhibit", "cite", sha[:8], "--quote", "Nine pages are withheld", "--event", raid, "--by", "dana", *db])
    assert r.exit_code == 0 and "Exemption 7(E)" in r.output
    r = runner.invoke(app, ["exhibit", "show", sha[:8], *db])
    shown = json.loads(r.output)
    assert [c["action"] for c in shown["custody"]] == ["exhibit-add", "exhibit-link", "exhibit-cite"]
    r = runner.invoke(app, ["exhibit", "add", str(files["wav"]), *db])
    assert r.exit_code == 2 and "--by NAME is required" in r.output


def test_cli_export_correct_release_link(ledger, files, raid, tmp_path):
    db = ["--db", str(ledger)]
    assert runner.invoke(app, ["exhibit", "add", str(files["jpg"]), "--by", "dana", *db]).exit_code == 0
    sha = hashlib.sha256(files["jpg"].read_bytes()).hexdigest()
    r = runner.invoke(app, ["exhibit", "link", sha[:8], "--event", raid, "--by", "lee", "--why", "same lot", *db])
    assert r.exit_code == 0 and f"linked to event:{raid}" in r.output
    out = tmp_path / "out.jpg"
    r = runner.invoke(app, ["exhibit", "export", sha[:8], "-o", str(out), "--by", "lee", "--why", "for counsel", *db])
    assert r.exit_code == 0 and out.read_bytes() == files["jpg"].read_bytes()
    r = runner.invoke(app, ["exhibit", "correct", sha[:8], "--device", "Pixel 7", "--by", "lee", *db])
    assert r.exit_code == 1 and "needs a reason" in r.output
    r = runner.invoke(app, ["exhibit", "correct", sha[:8], "--device", "Pixel 7", "--by", "lee", "--why", "was blank", *db])
    assert r.exit_code == 0 and '"device": null' in r.output
    r = runner.invoke(app, ["exhibit", "release", sha[:8], "--by", "rita", "--why", "public lot, no one in frame", *db])
    assert r.exit_code == 0
    r = runner.invoke(app, ["exhibit", "list", "--event", raid, "--json", *db])
    row = json.loads(r.output.splitlines()[0])
    assert (row["device"], row["released"]) == ("Pixel 7", True)
    r = runner.invoke(app, ["exhibit", "show", "deadbeef", *db])
    assert r.exit_code == 1 and "no exhibit deadbeef" in r.output
    r = runner.invoke(app, ["exhibit", "show", "xyz", *db])
    assert r.exit_code == 1 and "at least 8 hex digits" in r.output
    assert runner.invoke(app, ["verify", *db]).exit_code == 0
