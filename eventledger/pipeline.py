"""The only module that knows the order of the extraction stages.

    RawDocument -> normalise -> document metadata -> sentences -> entities -> figures
                -> quotes -> events -> Extraction
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator

from eventledger.errors import EventLedgerError
from eventledger.extract.document import extract_document
from eventledger.extract.entities import extract_entities
from eventledger.extract.events import extract_events
from eventledger.extract.figures import extract_figures
from eventledger.extract.quotes import extract_quotes
from eventledger.extract.sentences import split_sentences
from eventledger.normalise import normalise
from eventledger.profile import Profile, load_profile
from eventledger.records import Extraction, RawDocument
from eventledger.settings import Settings

__all__ = ["process", "process_many"]

log = logging.getLogger(__name__)


def process(raw: RawDocument, profile: Profile | None = None, settings: Settings | None = None) -> Extraction:
    """Run every stage on one document and return its extraction record."""
    profile = profile or load_profile()
    settings = settings or Settings()
    text = normalise(raw.text)
    if len(text.strip()) < settings.min_text_chars:
        from eventledger.errors import InputError

        raise InputError(raw.source, "no text left after extraction (empty document)")
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = extract_document(raw, text, text_sha, profile)
    doc = meta.document
    sentences = split_sentences(text)
    entities = extract_entities(text, sentences, doc, meta.excluded, profile)
    figures = extract_figures(text, sentences, profile, excluded=meta.excluded, entities=entities)
    quotes = extract_quotes(text, sentences, entities, profile)
    events = extract_events(text, sentences, doc, entities, figures, profile, settings, excluded=meta.excluded, quotes=quotes)
    return Extraction(doc, tuple(entities), tuple(figures), tuple(quotes), tuple(events))


def process_many(
    raws: Iterable[RawDocument | EventLedgerError],
    profile: Profile | None = None,
    settings: Settings | None = None,
) -> Iterator[Extraction | EventLedgerError]:
    """Process a stream of inputs; a failing document yields its error and the run goes on."""
    profile = profile or load_profile()
    settings = settings or Settings()
    for raw in raws:
        if isinstance(raw, EventLedgerError):
            yield raw
            continue
        try:
            yield process(raw, profile, settings)
        except EventLedgerError as e:
            log.debug("failed %s: %s", raw.source, e)
            yield e
