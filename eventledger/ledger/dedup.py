"""Exact and near-duplicate documents (wire copies, reposts with another headline or
boilerplate) by MinHash over word shingles, with banded signatures for lookup.

Each document gets a MinHash signature of ``PERMS`` values over its 5-word shingles;
documents that share a band of ``ROWS`` values are candidates, and a candidate whose
estimated Jaccard similarity reaches the threshold is a near copy.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

__all__ = ["BANDS", "bands", "jaccard", "signature"]

PERMS = 64
ROWS = 4
BANDS = PERMS // ROWS
_SHINGLE = 5
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20250209)
_A = _rng.integers(1, (1 << 61) - 1, size=PERMS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=PERMS, dtype=np.uint64)
_WORD_RE = re.compile(r"\w+")


def signature(text: str) -> np.ndarray:
    """MinHash signature (uint64[PERMS]) of the text's 5-word shingles."""
    words = _WORD_RE.findall(text.casefold())
    if len(words) < _SHINGLE:
        words = words + [""] * (_SHINGLE - len(words))
    shingles = {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    x = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    # (a*x + b) mod p, in uint64 with wrap-around: a universal-enough hash family for MinHash
    h = (np.outer(_A, x) + _B[:, None]) % _PRIME
    return h.min(axis=1)


def bands(sig: np.ndarray) -> list[str]:
    """One short hex key per band; documents sharing a key are near-copy candidates."""
    return [f"{i:02d}{zlib.crc32(sig[i * ROWS : (i + 1) * ROWS].tobytes()):08x}" for i in range(BANDS)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two documents' shingle sets."""
    return float(np.mean(a == b))
