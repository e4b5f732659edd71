"""Inputs -> RawDocument: the only module that reads files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from eventledger.errors import InputError
from eventledger.records import RawDocument
from eventledger.settings import Settings

__all__ = ["read_inputs"]


def read_inputs(
    paths: Iterable[str],
    settings: Settings | None = None,
    published: str | None = None,
    outlet: str | None = None,
) -> Iterator[RawDocument | InputError]:
    """Yield one RawDocument per input document, or an InputError for one that cannot be read."""
    settings = settings or Settings()
    for p in paths:
        try:
            data = Path(p).read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            yield InputError(p, str(e))
            continue
        yield RawDocument(
            id=hashlib.sha256(data).hexdigest(), source=p, text=text, published=published,
            published_basis="metadata" if published else None, outlet=outlet, raw=data,
        )
