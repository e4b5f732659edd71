"""Helpers for tests that compare ledger records (imported as ``from recordutil import ...``)."""

from __future__ import annotations

import copy
from typing import Any


def without_review_marks(rec: dict[str, Any]) -> dict[str, Any]:
    """A record of an unreviewed event without what reviewed_record adds (said_by, reviewed,
    rejected_figures, review.extracted), which must then be nothing but those."""
    rec = copy.deepcopy(rec)
    assert rec.pop("rejected_figures") == [] and rec["review"].pop("extracted") == {}
    for g in rec["figures"]:
        for v in g["values"]:
            for s in v["sources"]:
                assert s.pop("reviewed") is None
                s.pop("said_by")
    return rec
