"""eventledger: news coverage of enforcement actions -> a sourced, verifiable ledger."""

from __future__ import annotations

import logging

from eventledger.pipeline import process, process_many
from eventledger.profile import load_profile
from eventledger.records import Document, Entity, Event, Extraction, Figure, Mention, Quote
from eventledger.settings import Settings, load_settings
from eventledger.store import Store, open_store

__all__ = [
    "Document",
    "Entity",
    "Event",
    "Extraction",
    "Figure",
    "Mention",
    "Quote",
    "Settings",
    "Store",
    "load_profile",
    "load_settings",
    "open_store",
    "process",
    "process_many",
]

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
