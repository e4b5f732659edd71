"""The pipeline pauses the cyclic garbage collector for a document and gives it back as it was."""

from __future__ import annotations

import gc
import hashlib

import pytest

from eventledger.errors import InputError
from eventledger.pipeline import process


def _raw(text: str):
    from eventledger.records import RawDocument

    data = text.encode("utf-8")
    return RawDocument(id=hashlib.sha256(data).hexdigest(), source="mine.txt", text=text, raw=data)


TEXT = ("Sheriff's deputies arrested 14 people at a warehouse in Tacoma on Thursday, the county said.\n"
        "About 200 people marched to the county jail the next day.\n")


def test_the_collector_runs_again_after_a_document(profile, settings):
    assert gc.isenabled()
    ext = process(_raw(TEXT), profile, settings)
    assert ext.figures and gc.isenabled()


def test_the_collector_runs_again_after_a_failing_document(profile, settings):
    with pytest.raises(InputError):
        process(_raw("   \n"), profile, settings)
    assert gc.isenabled()


def test_a_caller_who_paused_the_collector_keeps_it_paused(profile, settings):
    gc.disable()
    try:
        process(_raw(TEXT), profile, settings)
        assert not gc.isenabled()
    finally:
        gc.enable()

