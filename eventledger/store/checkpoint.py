"""Signed checkpoints: anchors of the log outside the ledger file.

The log's entries are the leaves of a Merkle tree (eventledger/merkle.py, RFC 6962/9162).
A checkpoint is the tree size and root hash at one moment, signed with the ledger's Ed25519
key (eventledger/signing.py). Whoever keeps a copy of a checkpoint can later prove, with a
consistency proof, that the ledger still holds exactly the entries it covered: a truncated
log, or a log rewritten and re-chained from any entry it covered, fails the proof.

The public half of the key is recorded in the log itself (an entry ``key``) the first time a
checkpoint is made, so later checkpoints must be signed by that key.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eventledger.errors import StoreError
from eventledger.merkle import consistency_proof, tree_hash, verify_consistency
from eventledger.signing import LedgerKey, SigningKeyError, verify_signature

__all__ = ["CheckpointError", "check_checkpoint", "check_stored_checkpoints", "latest_checkpoint", "ledger_public_key",
           "log_leaves", "make_checkpoint", "read_checkpoint"]

_FIELDS = ("tree_size", "root_hash", "at", "public_key", "signature")


class CheckpointError(StoreError):
    """A checkpoint file cannot be read or is not a checkpoint."""


def checkpoint_body(tree_size: int, root_hash: str, at: str, public_key: str) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return f"eventledger checkpoint v1\n{tree_size}\n{root_hash}\n{at}\n{public_key}\n".encode("ascii")


def log_leaves(store: Any) -> list[bytes]:
    """The Merkle tree's leaves: every log entry's chain hash, in order."""
    out = []
    for (h,) in store.db.execute("SELECT hash FROM log ORDER BY seq"):
        try:
            out.append(bytes.fromhex(h))
        except (ValueError, TypeError):
            out.append(str(h).encode("utf-8", "surrogatepass"))
    return out


def ledger_public_key(store: Any) -> str | None:
    """The public key the log records for this ledger (its newest ``key`` entry), if any."""
    row = store.db.execute("SELECT detail FROM log WHERE action = 'key' ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        return str(json.loads(row[0])["public_key"])
    except (ValueError, KeyError, TypeError):
        return None


def make_checkpoint(store: Any, key: LedgerKey) -> dict[str, Any]:
    """Sign the log's current tree head with ``key``, store the checkpoint and return it.

    The first checkpoint records the key's public half in the log; a key other than the one
    recorded is refused."""
    db = store.db
    db.execute("BEGIN IMMEDIATE")
    try:
        logged = ledger_public_key(store)
        if logged is None:
            store._log("key", f"key:{key.fingerprint[:16]}", {"public_key": key.public_line})
        elif logged != key.public_line:
            raise StoreError(f"this ledger's checkpoints are signed by the key {logged!r}, not by {key.public_line!r}"
                             " (give the ledger's own key with --key)")
        leaves = log_leaves(store)
        if not leaves:
            raise StoreError("the log is empty: nothing to checkpoint")
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        root = tree_hash(leaves).hex()
        sig = base64.b64encode(key.sign(checkpoint_body(len(leaves), root, at, key.public_line))).decode("ascii")
        cp = {"tree_size": len(leaves), "root_hash": root, "at": at, "public_key": key.public_line, "signature": sig}
        db.execute("INSERT INTO checkpoints(tree_size, root_hash, at, public_key, signature) VALUES (?,?,?,?,?)"
                   " ON CONFLICT(tree_size) DO NOTHING", tuple(cp[f] for f in _FIELDS))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return cp


def latest_checkpoint(store: Any) -> dict[str, Any] | None:
    row = store.db.execute("SELECT tree_size, root_hash, at, public_key, signature FROM checkpoints"
                           " ORDER BY tree_size DESC LIMIT 1").fetchone()
    return dict(zip(_FIELDS, tuple(row), strict=True)) if row else None


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """A checkpoint file (the JSON `eventledger checkpoint` writes), checked for its fields."""
    try:
        cp = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CheckpointError(f"{path}: cannot read the checkpoint: {e.strerror or e}") from e
    except ValueError as e:
        raise CheckpointError(f"{path}: not a checkpoint (not JSON: {e})") from e
    if not isinstance(cp, dict) or any(f not in cp for f in _FIELDS) or not isinstance(cp["tree_size"], int):
        raise CheckpointError(f"{path}: not a checkpoint (it needs {', '.join(_FIELDS)})")
    return cp


def check_checkpoint(cp: dict[str, Any], leaves: list[bytes], ledger_key: str | None, name: str = "checkpoint") -> list[str]:
    """Problems with one checkpoint against the log's leaves: its signature, its key, and a
    Merkle consistency proof from its tree to the ledger's current tree."""
    size, root, at, pub = cp["tree_size"], str(cp["root_hash"]), str(cp["at"]), str(cp["public_key"])
    where = f"{name} (tree size {size}, {at})"
    try:
        sig = base64.b64decode(str(cp["signature"]), validate=True)
        good = verify_signature(pub, checkpoint_body(size, root, at, pub), sig)
    except (SigningKeyError, ValueError, binascii.Error, UnicodeEncodeError):
        good = False
    if not good:
        return [f"{where}: signature does not verify with its public key"]
    out = []
    if ledger_key is not None and ledger_key != pub:
        out.append(f"{where}: signed by {pub}, not by the key the ledger records ({ledger_key})")
    n = len(leaves)
    if size < 1:
        return [*out, f"{where}: empty tree"]
    if n < size:
        return [*out, f"{where}: log truncated: the checkpoint covers {size} entries, the ledger has {n}"]
    if ledger_key is None:
        out.append(f"{where}: the ledger records no signing key (its key entry was removed?)")
    try:
        old = bytes.fromhex(root)
    except ValueError:
        return [*out, f"{where}: root hash is not hex"]
    proof = consistency_proof(size, leaves)
    if not verify_consistency(size, n, old, tree_hash(leaves), proof):
        out.append(f"{where}: the log is not an extension of the checkpointed one: entries 1-{size} were changed,"
                   " replaced or re-chained since (Merkle consistency proof fails)")
    return out


def check_stored_checkpoints(store: Any, leaves: list[bytes]) -> list[str]:
    key = ledger_public_key(store)
    out: list[str] = []
    for row in store.db.execute("SELECT tree_size, root_hash, at, public_key, signature FROM checkpoints ORDER BY tree_size"):
        out += check_checkpoint(dict(zip(_FIELDS, tuple(row), strict=True)), leaves, key, "stored checkpoint")
    return out
