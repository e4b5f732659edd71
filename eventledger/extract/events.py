"""Events typed with PLOVER root types and modes, dated, placed, with actors and figures."""
from __future__ import annotations

__all__ = ["extract_events"]


def extract_events(text, sentences, doc, entities, figures, profile, settings, excluded=()):
    return []
