"""Document metadata (title, outlet, bylines, publication date) from the container and the text."""

from __future__ import annotations

from dataclasses import dataclass

from eventledger.profile import Profile
from eventledger.records import Document, Mention, RawDocument

__all__ = ["DocumentMeta", "extract_document"]


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    document: Document
    excluded: tuple[Mention, ...] = ()
    """Spans that are not story text (bylines, photo credits, author bios, subscribe boxes):
    no person, figure or event is taken from them."""


def extract_document(raw: RawDocument, text: str, text_sha256: str, profile: Profile) -> DocumentMeta:
    doc = Document(
        id=raw.id,
        source=raw.source,
        title=raw.title,
        outlet=raw.outlet,
        bylines=raw.bylines,
        published=raw.published,
        published_basis=raw.published_basis,
        text_sha256=text_sha256,
        text=text,
        url=raw.url,
    )
    return DocumentMeta(doc)
