"""A Merkle tree over the ledger's log, as Certificate Transparency logs build theirs
(RFC 6962 section 2.1, RFC 9162 section 2.1): leaf and node hashes, the tree head, and
consistency proofs that a tree of ``m`` leaves is a prefix of a tree of ``n`` leaves.

Leaves are bytes (the log entries' chain hashes). SHA-256 from hashlib; nothing else.

    root = tree_hash(leaves)
    proof = consistency_proof(m, leaves)
    verify_consistency(m, len(leaves), old_root, root, proof)   # True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["consistency_proof", "leaf_hash", "node_hash", "tree_hash", "verify_consistency"]


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def _mth(hashes: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes, bottom-up (no recursion over the leaves' count)."""
    n = len(hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashes[0]
    k = _split(n)
    return node_hash(_mth(hashes[:k]), _mth(hashes[k:]))


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """The Merkle tree hash (RFC 6962 MTH) of the leaves."""
    return _mth([leaf_hash(x) for x in leaves])


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 section 2.1.2: the nodes that show the tree of the first
    ``m`` leaves is a prefix of the tree of all of them."""
    n = len(leaves)
    if not 0 < m <= n:
        raise ValueError(f"no consistency proof from {m} to {n} leaves")
    hashes = [leaf_hash(x) for x in leaves]

    def sub(m: int, d: Sequence[bytes], complete: bool) -> list[bytes]:
        if m == len(d):
            return [] if complete else [_mth(d)]
        k = _split(len(d))
        if m <= k:
            return sub(m, d[:k], complete) + [_mth(d[k:])]
        return sub(m - k, d[k:], False) + [_mth(d[:k])]

    return sub(m, hashes, True)


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: whether ``proof`` shows the tree (``first``, ``first_hash``)
    is a prefix of the tree (``second``, ``second_hash``)."""
    if first < 1 or first > second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        path.insert(0, first_hash)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0
