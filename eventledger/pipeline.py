"""The only module that knows the order of the extraction stages.

    RawDocument -> normalise -> document metadata -> sentences -> entities -> figures
                -> quotes -> events -> Extraction
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Iterable, Iterator

from eventledger.errors import EventLedgerError, InputError
from eventledger.limits import Overtime, time_budget
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

__all__ = ["process", "process_guarded", "process_many", "warm_up"]

log = logging.getLogger(__name__)


_WARM_UP = "Federal agents arrested 12 people in Denver on Tuesday, officials said.\n"


def warm_up(profile: Profile, settings: Settings) -> None:
    """Extract one short text so that the lazily built indexes (gazetteer, noun classes, pattern
    caches) are loaded now: before a per-document memory cap is measured from what the process
    holds, and before a worker's first batch. Best effort: the real documents will tell."""
    data = _WARM_UP.encode()
    try:
        process(RawDocument(id=hashlib.sha256(data).hexdigest(), source="warm-up", text=_WARM_UP, raw=data),
                profile, settings)
    except Exception:  # noqa: BLE001  settings may refuse so short a text
        log.debug("warm-up extraction failed", exc_info=True)


def process(raw: RawDocument, profile: Profile | None = None, settings: Settings | None = None) -> Extraction:
    """Run every stage on one document and return its extraction record."""
    # A document's stages allocate tens of thousands of short-lived objects (tokens, matches,
    # spans) that reference counting frees; none makes a reference cycle. The cyclic collector,
    # run by allocation counts, would walk the survivors about once every 700 allocations: it
    # is paused for the document (only if it was running: a caller who disabled it keeps it so)
    # and collects what is due afterwards.
    if not gc.isenabled():
        return _process(raw, profile, settings)
    gc.disable()
    try:
        return _process(raw, profile, settings)
    finally:
        gc.enable()


def _process(raw: RawDocument, profile: Profile | None, settings: Settings | None) -> Extraction:
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
        yield process_guarded(raw, profile, settings)


def process_guarded(raw: RawDocument, profile: Profile, settings: Settings) -> Extraction | EventLedgerError:
    """``process`` inside the per-document boundary: within the time budget, and any failure
    (a bug on a hostile text included) returned as this document's one-line error."""
    try:
        with time_budget(settings.max_document_seconds):
            return process(raw, profile, settings)
    except EventLedgerError as e:
        log.debug("failed %s: %s", raw.source, e)
        return e
    except Overtime:
        return InputError(raw.source, f"over the time budget ({settings.max_document_seconds:g} s per document):"
                                      " skipped")
    except RecursionError:
        return InputError(raw.source, "extraction failed: text nested or repeated too deeply (RecursionError)")
    except MemoryError:
        return InputError(raw.source, "over the memory limit for one document: skipped")
    except Exception as e:  # noqa: BLE001 - a bug on one document is that document's failure
        log.debug("extraction failed on %s", raw.source, exc_info=True)
        msg = str(e).strip().splitlines()[0][:160] if str(e).strip() else ""
        return InputError(raw.source, f"extraction failed ({type(e).__name__}{': ' + msg if msg else ''})")
