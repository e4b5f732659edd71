"""The ledger's Ed25519 key: made once beside the ledger, used to sign checkpoints and packages.

The private half lives in ``<ledger>.key`` (PEM, PKCS#8, mode 0600) and the public half in
``<ledger>.pub`` (one line: ``ed25519 <base64 of the 32 raw bytes>``), so a third party can
check a signature with the ``.pub`` file alone. Signatures come from the ``cryptography``
library; nothing here is hand-written crypto.

    key = load_or_create_key(Path("ledger.db"))
    sig = key.sign(b"...")
    verify_signature(key.public_line, b"...", sig)   # True
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from eventledger.errors import EventLedgerError

__all__ = ["LedgerKey", "SigningKeyError", "key_paths", "load_key", "load_or_create_key", "public_from_line", "verify_signature"]

_PREFIX = "ed25519"


class SigningKeyError(EventLedgerError):
    """A key file is missing, unreadable or not an Ed25519 key."""


@dataclass(frozen=True)
class LedgerKey:
    private: object  # cryptography's Ed25519PrivateKey
    public_raw: bytes

    @property
    def public_line(self) -> str:
        """``ed25519 <base64>``: the form written to ``.pub`` files and served by the web app."""
        return f"{_PREFIX} {base64.b64encode(self.public_raw).decode('ascii')}"

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the raw public key, hex: a short way to name the key in reports."""
        return hashlib.sha256(self.public_raw).hexdigest()

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)  # type: ignore[attr-defined]


def key_paths(ledger: Path | str) -> tuple[Path, Path]:
    """Where the private and public halves of ``ledger``'s key live: ``<ledger>.key``, ``<ledger>.pub``."""
    p = Path(ledger)
    return p.with_name(p.name + ".key"), p.with_name(p.name + ".pub")


def _raw_public(private: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return private.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_key(ledger: Path | str) -> LedgerKey:
    """The ledger's key; raises :class:`SigningKeyError` naming the file when it is missing or damaged."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    priv_path, _ = key_paths(ledger)
    try:
        data = priv_path.read_bytes()
    except OSError as e:
        raise SigningKeyError(f"{priv_path}: cannot read the ledger's signing key: {e.strerror or e}") from e
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise SigningKeyError(f"{priv_path}: not a PEM private key: {e}") from e
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningKeyError(f"{priv_path}: not an Ed25519 key")
    return LedgerKey(private, _raw_public(private))


def load_or_create_key(ledger: Path | str) -> tuple[LedgerKey, bool]:
    """The ledger's key, made (and both halves written) when there is none yet.

    Returns the key and whether it was made now, so a command can print the public half once.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    priv_path, pub_path = key_paths(ledger)
    if priv_path.exists():
        key = load_key(ledger)
        if not pub_path.exists():
            pub_path.write_text(key.public_line + "\n", encoding="ascii")
        return key, False
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    priv_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    key = LedgerKey(private, _raw_public(private))
    pub_path.write_text(key.public_line + "\n", encoding="ascii")
    return key, True


def public_from_line(line: str) -> bytes:
    """The 32 raw bytes of an ``ed25519 <base64>`` line (a ``.pub`` file's content)."""
    parts = line.strip().split()
    if len(parts) != 2 or parts[0] != _PREFIX:
        raise SigningKeyError("a public key is written 'ed25519 <base64>'")
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except ValueError as e:
        raise SigningKeyError(f"public key is not base64: {e}") from e
    if len(raw) != 32:
        raise SigningKeyError(f"an Ed25519 public key has 32 bytes, not {len(raw)}")
    return raw


def verify_signature(public: str | bytes, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``data`` signed by the key ``public`` (a ``.pub`` line or raw bytes)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = public_from_line(public) if isinstance(public, str) else public
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except InvalidSignature:
        return False
    return True
