"""Quoted words and their speakers."""
from __future__ import annotations

__all__ = ["extract_quotes"]


def extract_quotes(text, sentences, entities, profile):
    return []
