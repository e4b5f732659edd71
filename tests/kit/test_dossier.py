"""Dossiers and signed packages: the dossier page (the web app's HTML), the PDF Chromium prints
from it with its text read back, and packages whose changed, missing or added files and
forged manifests `verify-package` names with the public key alone."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.kit import exhibits as kx
from eventledger.kit.package import build_package, verify_package
from eventledger.signing import key_paths, load_or_create_key

from .files import make_jpeg, make_pdf, make_wav
from .test_exhibits import LETTER

runner = CliRunner()
SENTENCE = "The agency located 17 pages of records about the April 15 operation in Boise."


@pytest.fixture
def kit_event(kstore, raid, tmp_path):
    """The raid with a photo, a recording and the agency's PDF letter, one sentence of it cited."""
    out = {"event": raid}
    for key, path in (("jpg", make_jpeg(tmp_path / "lot.jpg", 43.6012, -116.2347)), ("wav", make_wav(tmp_path / "call.wav")),
                      ("pdf", make_pdf(tmp_path / "response.pdf", LETTER))):
        out[key] = kx.add_exhibit(kstore, path, "dana", note="for the dossier", event=raid).sha256
    kx.cite(kstore, out["pdf"], "located 17 pages", "dana", "the agency's own count", event=raid)
    out["report_doc"] = kstore.db.execute("SELECT document_id FROM reports WHERE event_id = ?", (raid,)).fetchone()[0]
    return out


def _html(make_client, ledger, event):
    c = make_client(ledger)
    r = c.get(f"/kit/dossier/{event}")
    assert r.status_code == 200, r.text
    return r.content


def test_dossier_page_has_sentences_hashes_and_custody(make_client, ledger, kit_event, kstore):
    html = _html(make_client, ledger, kit_event["event"]).decode()
    assert "Federal immigration agents arrested 23 people" in html
    assert kit_event["report_doc"] in html  # the source's SHA-256
    assert SENTENCE in html and kit_event["pdf"] in html
    for sha in (kit_event["jpg"], kit_event["wav"]):
        assert sha in html
    assert "exhibit-add" in html and "exhibit-cite" in html
    assert "43.6012" not in html and "withheld until a reviewer releases it" in html  # no location published
    assert make_client(ledger).get("/kit/dossier/ev-nope").status_code == 404


def test_package_verifies_and_names_every_change(make_client, ledger, kit_event, kstore, tmp_path):
    html = _html(make_client, ledger, kit_event["event"])
    key, _ = load_or_create_key(ledger)
    pkg = tmp_path / "dossier.zip"
    info = build_package(kstore, kit_event["event"], pkg, key, "dana", "for counsel", html)
    assert info["exhibits"] == 3
    with zipfile.ZipFile(pkg) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        assert z.read(f"exhibits/{kit_event['jpg']}-lot.jpg") == (tmp_path / "lot.jpg").read_bytes()
        custody = [json.loads(x) for x in z.read("custody.jsonl").decode().splitlines()]
    assert f"sources/{kit_event['report_doc']}.txt" in names
    # the README's recipe checks the package with the standard library and cryptography alone
    readme = zipfile.ZipFile(pkg).read("README.txt").decode()
    recipe = "\n".join(line[4:] for line in readme.splitlines() if line.startswith("    "))
    recipe = recipe.replace('"THIS.zip"', repr(str(pkg))).replace(
        "\"PUBLIC KEY BASE64, the part after 'ed25519 '\"", repr(key.public_line.split()[1]))
    exec(compile(recipe, "README.txt", "exec"), {})  # raises on a bad signature or hash
    assert manifest["files"]["dossier.html"]["sha256"] == hashlib.sha256(html).hexdigest()
    assert {c["action"] for c in custody} >= {"ingest", "exhibit-add", "exhibit-link", "exhibit-cite"}
    assert {c["subject"] for c in custody if c["action"] == "ingest"} == {kit_event["report_doc"], kit_event["pdf"]}
    pub = key_paths(ledger)[1].read_text().strip()
    assert verify_package(pkg, pub)[0] == []
    # the export of each exhibit is itself in the custody log
    assert kstore.db.execute("SELECT COUNT(*) FROM log WHERE action = 'exhibit-export'").fetchone()[0] == 3
    assert kstore.verify() == []

    def rewrite(name, change):
        out = tmp_path / name
        with zipfile.ZipFile(pkg) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                data = change(item.filename, src.read(item.filename))
                if data is not None:
                    dst.writestr(item.filename, data)
            extra = change("__extra__", b"")
            if extra:
                dst.writestr("notes.txt", extra)
        return out

    def flip(data: bytes) -> bytes:
        b = bytearray(data)
        b[len(b) // 2] ^= 0x01
        return bytes(b)

    photo = f"exhibits/{kit_event['jpg']}-lot.jpg"
    changed = rewrite("changed.zip", lambda n, d: flip(d) if n == photo else (None if n == "__extra__" else d))
    assert verify_package(changed, pub)[0] == [f"{photo}: changed (SHA-256 differs from the manifest)"]
    missing = rewrite("missing.zip", lambda n, d: None if n in ("dossier.html", "__extra__") else d)
    assert verify_package(missing, pub)[0] == ["dossier.html: missing"]
    added = rewrite("added.zip", lambda n, d: b"added later" if n == "__extra__" else d)
    assert verify_package(added, pub)[0] == ["notes.txt: added (not in the manifest)"]

    def forge(n, d):  # change a hash in the manifest to match a changed file: the signature catches it
        if n == "manifest.json":
            m = json.loads(d)
            m["files"][photo]["sha256"] = hashlib.sha256(flip((tmp_path / "lot.jpg").read_bytes())).hexdigest()
            return json.dumps(m, sort_keys=True, indent=1).encode()
        return flip(d) if n == photo else (None if n == "__extra__" else d)
    forged = rewrite("forged.zip", forge)
    assert verify_package(forged, pub)[0] == [
        "manifest.json: signature does not match this public key (the manifest was changed or signed by another key)"]
    other = load_or_create_key(tmp_path / "other.db")[0]
    assert verify_package(pkg, other.public_line)[0][0].startswith("manifest.json: signature does not match")


def test_verify_package_command(make_client, ledger, kit_event, kstore, tmp_path):
    html = _html(make_client, ledger, kit_event["event"])
    key, _ = load_or_create_key(ledger)
    pkg = tmp_path / "d.zip"
    build_package(kstore, kit_event["event"], pkg, key, "dana", "for counsel", html)
    pub = key_paths(ledger)[1]
    r = runner.invoke(app, ["verify-package", str(pkg), "--key", str(pub)])
    assert r.exit_code == 0 and r.output.startswith("ok: ") and key.fingerprint[:16] in r.output
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK not a zip")
    r = runner.invoke(app, ["verify-package", str(bad), "--key", str(pub)])
    assert r.exit_code == 2 and "not a readable zip file" in r.output


def test_story_dossier_covers_every_event_of_the_story(make_client, ledger, kit_event, kstore, tmp_path, profile):
    """A story (events.story_id, from the stories migration) gathers its events' reports and exhibits."""
    from eventledger.kit.dossier import DossierError, dossier_record
    from eventledger.runner.run import ingest_paths
    from eventledger.settings import Settings

    other = tmp_path / "followup.txt"
    other.write_text("Families rally after Boise arrests\n\nPublished April 18, 2025\n\n"
                     "About 300 people marched in Boise on April 17 to protest the arrests at the landscaping company.\n")
    ingest_paths([str(other)], kstore, profile, Settings(), progress=False)
    second = kstore.db.execute("SELECT r.event_id FROM reports r JOIN documents d ON d.id = r.document_id"
                               " WHERE d.source LIKE '%followup.txt'").fetchone()[0]
    cols = [r[1] for r in kstore.db.execute("PRAGMA table_info(events)")]
    if "story_id" not in cols:  # a ledger without the stories migration: the column as it adds it
        kstore.db.execute("ALTER TABLE events ADD COLUMN story_id TEXT")
    kstore.db.execute("UPDATE events SET story_id = 'st-boise' WHERE id IN (?, ?)", (kit_event["event"], second))
    kstore.db.commit() if kstore.db.in_transaction else None
    rec = dossier_record(kstore, "st-boise")
    assert rec["kind"] == "story" and [e["id"] for e in rec["events"]] == [kit_event["event"], second]
    assert len(rec["exhibits"]) == 3 and rec["citations"][0]["text"] == SENTENCE
    html = make_client(ledger).get("/kit/dossier/st-boise").text
    assert "Dossier: story st-boise (2 events)" in html
    assert "arrested 23 people" in html and "About 300 people marched in Boise" in html
    with pytest.raises(DossierError, match="no event or story st-none"):
        dossier_record(kstore, "st-none")
    key, _ = load_or_create_key(ledger)
    pkg = tmp_path / "story.zip"
    build_package(kstore, "st-boise", pkg, key, "dana", "for counsel", html.encode())
    problems, info = verify_package(pkg, key.public_line)
    assert problems == [] and info["subject"] == "story:st-boise"
    with zipfile.ZipFile(pkg) as z:
        assert sum(n.startswith("sources/") for n in z.namelist()) == 2


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)


@pytest.mark.e2e
def test_dossier_pdf_printed_by_chromium_and_read_back(ledger, kit_event, kstore, tmp_path):
    kstore.close()
    pdf, pkg = tmp_path / "dossier.pdf", tmp_path / "dossier.zip"
    r = runner.invoke(app, ["dossier", kit_event["event"], "--pdf", str(pdf), "--package", str(pkg), "--by", "dana",
                            "--why", "for counsel", "--db", str(ledger)])
    assert r.exit_code == 0, r.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(pdf)
    flat = re.sub(r"\s+", " ", text)
    squeezed = re.sub(r"\s+", "", text)
    assert "Federal immigration agents arrested 23 people at a landscaping company in Boise" in flat
    assert SENTENCE in flat  # the PDF response's sentence, cited by span
    for sha in (kit_event["report_doc"], kit_event["pdf"], kit_event["jpg"], kit_event["wav"]):
        assert sha in squeezed, sha
    assert "exhibit-cite" in squeezed
    r = runner.invoke(app, ["verify-package", str(pkg), "--key", str(key_paths(ledger)[1])])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(pkg) as z:
        assert z.read("dossier.pdf") == pdf.read_bytes()
