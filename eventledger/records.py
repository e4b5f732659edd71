"""The extraction record (spec/extraction.md) as frozen dataclasses.

Field names are those of the spec. Every span-bearing record is built through
:func:`span`, which refuses unless ``text[start:end]`` equals the span's text, so a
value can never carry offsets that do not state it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventledger.errors import SpanError

EVENT_STATUSES = ("occurred", "planned", "threatened", "denied")
EVENT_SALIENCES = ("main", "background")
EVENT_DATE_BASES = ("stated", "relative", "inherited", "story")

__all__ = [
    "EVENT_DATE_BASES",
    "EVENT_SALIENCES",
    "EVENT_STATUSES",
    "Attribution",
    "Document",
    "Entity",
    "Event",
    "Extraction",
    "Figure",
    "Mention",
    "Quote",
    "RawDocument",
    "span",
]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


def span(text: str, start: int, end: int, expected: str | None = None) -> Mention:
    """A checked span of ``text``: raises :class:`SpanError` rather than guess."""
    if not (0 <= start <= end <= len(text)):
        raise SpanError(f"span {start}:{end} outside text of length {len(text)}")
    got = text[start:end]
    if expected is not None and got != expected:
        raise SpanError(f"span {start}:{end} is {got!r}, not {expected!r}")
    return Mention(start, end, got)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """An input as read from disk or a feed, before normalisation.

    ``id`` is the SHA-256 of the raw bytes. Metadata fields are what the container
    (HTML meta tags, a JSON Lines record, command-line overrides) said, or None.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    bylines: tuple[str, ...] = ()
    published: str | None = None
    published_basis: str | None = None
    url: str | None = None
    raw: bytes = b""


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    title: str | None
    outlet: str | None
    bylines: tuple[str, ...]
    published: str | None
    published_basis: str | None
    text_sha256: str
    text: str
    url: str | None = None
    title_span: Mention | None = None
    """Where the text states the title (None when the container gave it)."""
    outlet_span: Mention | None = None
    """Where the text names the outlet (None when the container or the URL gave it)."""
    outlet_basis: str | None = None
    """How the outlet was found: metadata (the container), text (the page's own byline, dateline
    or credit lines), byline | staff | parts | republished | dateline | title (the outlet
    registry's reading of the head, eventledger/outlets.py), url (the URL's domain), or None."""

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "bylines": list(self.bylines),
            "published": self.published,
            "published_basis": self.published_basis,
            "text_sha256": self.text_sha256,
            "url": self.url,
            "title_span": self.title_span.to_dict() if self.title_span else None,
            "outlet_span": self.outlet_span.to_dict() if self.outlet_span else None,
            "outlet_basis": self.outlet_basis,
        }
        if with_text:
            d["text"] = self.text
        return d


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str  # person | organization | place
    name: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    mentions: tuple[Mention, ...]
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "aliases": list(self.aliases),
            "roles": list(self.roles),
            "lat": self.lat,
            "lon": self.lon,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class Figure:
    value: float | int
    high: float | int
    approx: bool
    kind: str
    per: str | None
    subject: str
    text: str
    start: int
    end: int
    attributed_to: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "high": self.high,
            "approx": self.approx,
            "kind": self.kind,
            "per": self.per,
            "subject": self.subject,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "attributed_to": _chain(self.attributed_to),
        }


def _chain(chain: tuple[str, ...] | None) -> str | list[str] | None:
    """``attributed_to`` as spec/extraction.md writes it: null, one claimant, or the chain of a
    relayed claim outermost first (``["NBC News", "a source"]``)."""
    if not chain:
        return None
    return chain[0] if len(chain) == 1 else list(chain)


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str | None
    text: str
    start: int
    end: int
    attributed_to: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "text": self.text, "start": self.start, "end": self.end,
                "attributed_to": _chain(self.attributed_to)}


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who the document credits for the report ("according to Daily Mail",
    "first reported by the Los Angeles Times"): an entity id or null, and the words."""

    source: str | None
    says: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "says": self.says, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    mode: str | None
    date: str | None
    date_precision: str | None
    place: str | None
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    figures: tuple[int, ...]
    text: str
    start: int
    end: int
    trigger: Mention | None = None
    attribution: Attribution | None = None
    status: str = "occurred"  # occurred | planned | threatened | denied
    salience: str = "main"  # main | background
    date_basis: str | None = None  # stated | relative | inherited | story | None
    attributed_to: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mode": self.mode,
            "date": self.date,
            "date_precision": self.date_precision,
            "place": self.place,
            "actors": list(self.actors),
            "targets": list(self.targets),
            "figures": list(self.figures),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger.to_dict() if self.trigger else None,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "status": self.status,
            "salience": self.salience,
            "date_basis": self.date_basis,
            "attributed_to": _chain(self.attributed_to),
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    document: Document
    entities: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(with_text=with_text),
            "entities": [e.to_dict() for e in self.entities],
            "figures": [f.to_dict() for f in self.figures],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
        }
