"""Named people, organizations and places, resolved to profile ids where known."""
from __future__ import annotations

__all__ = ["extract_entities"]


def extract_entities(text, sentences, doc, excluded, profile):
    return []
