"""eventledger: news coverage of enforcement actions -> a sourced, verifiable ledger.

The public names below are imported when first used (PEP 562), not when the package is:
`eventledger --help` and every command import only what they need, and the store
(numpy, the database drivers) or the extractors are loaded by the code that calls them.
"""

from __future__ import annotations

import logging as _logging
import typing as _typing
from importlib import import_module as _import_module

if _typing.TYPE_CHECKING:
    from eventledger.pipeline import process, process_many
    from eventledger.profile import load_profile
    from eventledger.records import Document, Entity, Event, Extraction, Figure, Mention, Quote
    from eventledger.settings import Settings, load_settings
    from eventledger.store import Store, open_store

_WHERE = {
    "Document": "eventledger.records",
    "Entity": "eventledger.records",
    "Event": "eventledger.records",
    "Extraction": "eventledger.records",
    "Figure": "eventledger.records",
    "Mention": "eventledger.records",
    "Quote": "eventledger.records",
    "Settings": "eventledger.settings",
    "Store": "eventledger.store",
    "load_profile": "eventledger.profile",
    "load_settings": "eventledger.settings",
    "open_store": "eventledger.store",
    "process": "eventledger.pipeline",
    "process_many": "eventledger.pipeline",
}

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


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'eventledger' has no attribute {name!r}")
    value = getattr(_import_module(module), name)
    globals()[name] = value  # later look-ups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


_logging.getLogger(__name__).addHandler(_logging.NullHandler())
