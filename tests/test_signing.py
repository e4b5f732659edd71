"""The ledger's Ed25519 key: made once beside the ledger, private half private, signatures checked."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from eventledger.signing import (SigningKeyError, key_paths, load_key, load_or_create_key, public_from_line,
                                 verify_signature)


def test_key_is_made_once_beside_the_ledger_and_signs(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.db"
    key, made = load_or_create_key(ledger)
    assert made
    priv, pub = key_paths(ledger)
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    assert pub.read_text().strip() == key.public_line
    again, made = load_or_create_key(ledger)
    assert not made and again.public_raw == key.public_raw
    sig = key.sign(b"tree size 3")
    assert verify_signature(pub.read_text(), b"tree size 3", sig)
    assert not verify_signature(pub.read_text(), b"tree size 4", sig)
    other, _ = load_or_create_key(tmp_path / "other.db")
    assert not verify_signature(other.public_line, b"tree size 3", sig)


@pytest.mark.parametrize("line", ["", "rsa AAAA", "ed25519 !!!", "ed25519 AAAA"])
def test_bad_public_lines_are_refused(line: str) -> None:
    with pytest.raises(SigningKeyError):
        public_from_line(line)


def test_damaged_private_key_names_the_file(tmp_path: Path) -> None:
    ledger = tmp_path / "l.db"
    load_or_create_key(ledger)
    key_paths(ledger)[0].write_bytes(b"not a key")
    with pytest.raises(SigningKeyError, match="l.db.key"):
        load_key(ledger)
