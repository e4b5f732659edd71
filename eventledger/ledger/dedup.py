"""Exact and near-duplicate documents (wire copies, reposts with another headline or
boilerplate, excerpts) by MinHash over word shingles, with banded signatures for lookup.

Each document gets a MinHash signature of ``PERMS`` values over its 5-word shingles and
the number of distinct shingles it has. Documents that share a band (``ROWS`` values of the
first ``BANDS * ROWS``) are candidates. A candidate is a near copy when the shingles of the
smaller document lie almost all (``NEAR_COPY``) in the other: containment, estimated from
the MinHash Jaccard and the two shingle counts, is what a repost keeps when a headline,
a byline line and a copyright line are added or a few words are changed (a 300-word story
so edited keeps ~0.95 of its shingles but only ~0.82 Jaccard). The Jaccard must still be at
least ``MIN_JACCARD``, so a short text quoted whole inside a much longer article, or two
stories that share a few paragraphs, are not copies.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

__all__ = ["BANDS", "MIN_JACCARD", "NEAR_COPY", "bands", "jaccard", "pack", "signature", "similarity", "sketch",
           "unpack"]

PERMS = 128
ROWS = 4
BANDS = 16
NEAR_COPY = 0.85
MIN_JACCARD = 0.6
_SHINGLE = 5
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20250209)
# drawn 64 at a time in this order, so the first 64 are those of ledgers made with 64
_A0 = _rng.integers(1, (1 << 61) - 1, size=64, dtype=np.uint64)
_B0 = _rng.integers(0, (1 << 61) - 1, size=64, dtype=np.uint64)
_A = np.concatenate([_A0, _rng.integers(1, (1 << 61) - 1, size=PERMS - 64, dtype=np.uint64)])
_B = np.concatenate([_B0, _rng.integers(0, (1 << 61) - 1, size=PERMS - 64, dtype=np.uint64)])
_WORD_RE = re.compile(r"\w+")


def sketch(text: str) -> tuple[np.ndarray, int]:
    """MinHash signature (uint64[PERMS]) of the text's 5-word shingles, and how many distinct
    shingles it has."""
    words = _WORD_RE.findall(text.casefold())
    if len(words) < _SHINGLE:
        words = words + [""] * (_SHINGLE - len(words))
    shingles = {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    x = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    # (a*x + b) mod p, in uint64 with wrap-around: a universal-enough hash family for MinHash
    h = (np.outer(_A, x) + _B[:, None]) % _PRIME
    return h.min(axis=1), len(shingles)


def signature(text: str) -> np.ndarray:
    return sketch(text)[0]


def pack(sig: np.ndarray, n: int) -> bytes:
    """The stored form: the signature, then the shingle count."""
    return np.append(sig, np.uint64(n)).astype("<u8").tobytes()


def unpack(data: bytes) -> tuple[np.ndarray, int | None]:
    """Signature and shingle count from the stored form (older ledgers stored 64 values, no count)."""
    a = np.frombuffer(data, dtype="<u8")
    if len(a) == PERMS + 1:
        return a[:PERMS], int(a[PERMS])
    return a, None


def bands(sig: np.ndarray) -> list[str]:
    """One short hex key per band; documents sharing a key are near-copy candidates."""
    return [f"{i:02d}{zlib.crc32(sig[i * ROWS : (i + 1) * ROWS].tobytes()):08x}" for i in range(BANDS)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two documents' shingle sets."""
    n = min(len(a), len(b))
    return float(np.mean(a[:n] == b[:n]))


def similarity(a: np.ndarray, na: int | None, b: np.ndarray, nb: int | None) -> float:
    """How much of the smaller document the other holds (estimated containment), 0 when the
    two are too different in size or content to be copies; the Jaccard estimate when a
    shingle count is unknown (signatures of older ledgers)."""
    j = jaccard(a, b)
    if na is None or nb is None:
        return j
    if j < MIN_JACCARD:
        return 0.0
    shared = j * (na + nb) / (1.0 + j)
    return min(1.0, shared / max(1, min(na, nb)))
