"""Signed packages: a dossier's originals, a SHA-256 manifest, the custody log and an Ed25519
signature, in one zip that anyone can check with the ledger's public key alone.

Layout::

    manifest.json      {"format", "subject", "created_at", "key": {public, fingerprint},
                        "files": {path: {"sha256", "size"}}}   (UTF-8, sorted keys)
    manifest.sig       base64 Ed25519 signature of manifest.json's exact bytes
    README.txt         what the package is and how to check it, with or without eventledger
    dossier.html       the dossier page as the web app shows it (dossier.pdf too, when printed)
    custody.jsonl      the log entries of the exhibits, the sources and the event's reviews
    exhibits/<sha256>-<file name>   each exhibit's bytes, unchanged
    sources/<sha256>.<ext>          each report's source document, as collected

:func:`verify_package` needs only this module, ``zipfile`` and ``cryptography``: it reports a
bad signature and every changed, missing or added file, and re-computes each custody entry's
hash (an entry's hash covers its fields and the hash of the entry before it in the ledger).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eventledger.errors import EventLedgerError
from eventledger.store.seal import entry_hash
from eventledger.signing import LedgerKey, SigningKeyError, verify_signature

__all__ = ["FORMAT", "PackageError", "build_package", "verify_package"]

FORMAT = "eventledger-package/1"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
README = """This is an evidence package written by eventledger ({subject}).

Contents: exhibits/ (each file as collected, named by its SHA-256), sources/ (the news sources
quoted), dossier.html (and dossier.pdf), custody.jsonl (the log entries of every action on
them), manifest.json (the SHA-256 and size of every file) and manifest.sig (an Ed25519
signature of manifest.json's exact bytes, base64).

The signer's public key: {public}
(fingerprint, SHA-256 of its 32 raw bytes: {fingerprint}). Compare it with the key the
ledger's owner publishes; a key read only from this file proves nothing about who signed.

To check it with eventledger:   eventledger verify-package THIS.zip --key LEDGER.pub

To check it without eventledger (Python 3 and the `cryptography` package):

    import base64, hashlib, json, zipfile
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    z = zipfile.ZipFile("THIS.zip")
    m = z.read("manifest.json")
    key = base64.b64decode("PUBLIC KEY BASE64, the part after 'ed25519 '")
    Ed25519PublicKey.from_public_bytes(key).verify(base64.b64decode(z.read("manifest.sig")), m)  # raises if forged
    files = json.loads(m)["files"]
    for name, f in files.items():
        assert hashlib.sha256(z.read(name)).hexdigest() == f["sha256"], name
    print("extra files:", set(z.namelist()) - set(files) - {{"manifest.json", "manifest.sig"}})
"""
_META = ("manifest.json", "manifest.sig")


class PackageError(EventLedgerError):
    """A package could not be written or read at all (not a zip, no manifest)."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_hash(e: dict[str, Any]) -> str:
    """The log's own entry hash (store/seal.py) of an entry as the package holds it."""
    return entry_hash(e["prev_hash"], e["seq"], e["at"], e["action"], e["subject"], e["detail"])


def build_package(store: Any, target: str, out: Path, key: LedgerKey, by: str, why: str,
                  html: bytes, pdf: bytes | None = None) -> dict[str, Any]:
    """Write the package of ``target`` (an event or a story) to ``out``; each exhibit's export is logged."""
    from eventledger.kit.exhibits import export_log
    from eventledger.kit.dossier import dossier_record
    from eventledger.store import kit as sk

    rec = dossier_record(store, target)
    files: dict[str, bytes] = {"dossier.html": html, "README.txt": README.format(
        subject=f"{rec['kind']} {target}", public=key.public_line, fingerprint=key.fingerprint).encode()}
    if pdf is not None:
        files["dossier.pdf"] = pdf
    subjects = []
    for ex in rec["exhibits"]:
        data = sk.exhibit_bytes(store, ex["sha256"])
        if _sha(data) != ex["sha256"]:
            raise PackageError(f"exhibit {ex['filename']} ({ex['sha256']}): stored bytes do not match their SHA-256;"
                               " run `eventledger verify`")
        files[f"exhibits/{ex['sha256']}-{_SAFE.sub('_', ex['filename'])}"] = data
        subjects.append(f"exhibit:{ex['sha256']}")
        if ex["document_id"]:  # the ingest of its text
            subjects.append(ex["document_id"])
    docs = sorted({r["document_id"] for ev in rec["events"] for r in ev["reports"]} | {c["document_id"] for c in rec["citations"]})
    for d in docs:
        data = sk.blob_bytes(store, d)
        if data is None:
            raise PackageError(f"source {d}: stored bytes missing; run `eventledger verify`")
        if _sha(data) != d:
            raise PackageError(f"source {d}: stored bytes do not match their SHA-256; run `eventledger verify`")
        head = data[:512].lstrip().lower()
        ext = ".pdf" if data[:5] == b"%PDF-" else (".html" if head.startswith((b"<!doctype", b"<html")) else ".txt")
        if d in {e["sha256"] for e in rec["exhibits"]}:
            continue  # already under exhibits/
        files[f"sources/{d}{ext}"] = data
    subjects += docs + [f"event:{ev['id']}" for ev in rec["events"]] + ([f"story:{target}"] if rec["kind"] == "story" else [])
    entries = sk.log_entries(store, sorted(set(subjects)))
    files["custody.jsonl"] = "".join(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n" for e in entries).encode()
    manifest = {"format": FORMAT, "subject": f"{rec['kind']}:{target}",
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "created_by": by,
                "ledger_head": rec["ledger_head"],
                "key": {"public": key.public_line, "fingerprint": key.fingerprint},
                "files": {p: {"sha256": _sha(b), "size": len(b)} for p, b in sorted(files.items())}}
    mbytes = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False).encode()
    sig = base64.b64encode(key.sign(mbytes)) + b"\n"
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("manifest.json", mbytes)
            z.writestr("manifest.sig", sig)
            for p, b in sorted(files.items()):  # media are compressed already: stored as they are
                text = p.endswith((".html", ".txt", ".jsonl", ".json"))
                z.writestr(p, b, compress_type=zipfile.ZIP_DEFLATED if text else zipfile.ZIP_STORED)
        tmp.replace(out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise PackageError(f"{out}: cannot write: {e.strerror or e}") from e
    for ex in rec["exhibits"]:
        export_log(store, ex["sha256"], by, why, {"to": out.name, "package_manifest_sha256": _sha(mbytes)})
    return {"files": len(files), "exhibits": len(rec["exhibits"]), "sources": len(docs), "custody_entries": len(entries),
            "manifest_sha256": _sha(mbytes)}


def verify_package(path: Path, public: str | None = None) -> tuple[list[str], dict[str, Any]]:
    """Problems found in the package (empty: intact) and what was checked.

    ``public`` is the signer's public key (``ed25519 <base64>``, the ledger's .pub file);
    without it the key inside the package is used, which proves integrity but not who signed."""
    problems: list[str] = []
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise PackageError(f"{path}: not a readable zip file: {e}") from e
    with z:
        names = [i.filename for i in z.infolist() if not i.is_dir()]
        if "manifest.json" not in names:
            raise PackageError(f"{path}: no manifest.json: not an eventledger package")
        mbytes = z.read("manifest.json")
        try:
            manifest = json.loads(mbytes)
            listed: dict[str, dict[str, Any]] = manifest["files"]
        except (ValueError, KeyError, TypeError) as e:
            raise PackageError(f"{path}: manifest.json unreadable: {e}") from e
        key_line = public or (manifest.get("key") or {}).get("public", "")
        if "manifest.sig" not in names:
            problems.append("manifest.sig: missing (the package is not signed)")
        else:
            try:
                sig = base64.b64decode(z.read("manifest.sig").strip(), validate=True)
                ok = verify_signature(key_line, mbytes, sig)
            except (ValueError, SigningKeyError) as e:
                ok = False
                problems.append(f"manifest.sig: unreadable ({e})")
            else:
                if not ok:
                    problems.append("manifest.json: signature does not match"
                                    + (" this public key" if public else "") + " (the manifest was changed or signed by another key)")
        for p, info in sorted(listed.items()):
            if p not in names:
                problems.append(f"{p}: missing")
            elif _sha(z.read(p)) != info.get("sha256"):
                problems.append(f"{p}: changed (SHA-256 differs from the manifest)")
        for p in sorted(set(names) - set(listed) - set(_META)):
            problems.append(f"{p}: added (not in the manifest)")
        custody = 0
        if "custody.jsonl" in names:
            for i, line in enumerate(z.read("custody.jsonl").decode("utf-8", "replace").splitlines(), 1):
                try:
                    e = json.loads(line)
                    good = _entry_hash(e) == e["hash"]
                except (ValueError, KeyError, TypeError):
                    good = False
                if not good:
                    problems.append(f"custody.jsonl line {i}: entry does not match its hash")
                custody += 1
    info = {"files": len(listed), "custody_entries": custody, "subject": manifest.get("subject"),
            "fingerprint": hashlib.sha256(_raw(key_line)).hexdigest() if key_line else None,
            "key_from_package": public is None}
    return problems, info


def _raw(line: str) -> bytes:
    from eventledger.signing import public_from_line

    try:
        return public_from_line(line)
    except SigningKeyError:
        return b""
