"""ACLED's ``fatalities`` of a ledger event, shared by the CSV/GeoJSON rows (eventledger/export.py)
and the PLOVER records: from casualties figures counting the dead (killed, dead, deaths,
died, fatal...), within one figure group the lowest value reported (ACLED takes the most
conservative of conflicting reports), across groups the largest (groups may count the same
people, so they are not added); None, not 0, when no figure counts the dead.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["fatalities"]

_DEAD_RE = re.compile(r"\b(kill\w*|dead|deaths?|died|dying|fatal\w*|slain|murder\w*|homicides?|lives)\b", re.I)


def fatalities(groups: list[dict[str, Any]]) -> int | float | None:
    """The fatalities of an event from its figure groups (spec/ledger.md ``figures``)."""
    counts = [min(v["value"] for v in g["values"]) for g in groups
              if g["kind"] == "casualties" and g["values"] and _DEAD_RE.search(g["subject"] or "")]
    return max(counts) if counts else None
