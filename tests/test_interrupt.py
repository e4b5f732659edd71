"""Ctrl-C is never lost: an interrupt swallowed where Python ignores exceptions (a GC
callback, a __del__) still stops the ingest at the next document."""

from __future__ import annotations

import gc
import os
import signal

import pytest

from eventledger.runner.interrupt import catching_interrupts, raise_if_interrupted


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowed interrupt, as intended
def test_an_interrupt_swallowed_by_a_callback_still_stops_the_run_at_the_next_document():
    seen = []

    def swallow(phase: str, info: dict) -> None:  # a callback whose exceptions Python ignores
        if phase == "start" and not seen:
            seen.append(phase)
            os.kill(os.getpid(), signal.SIGINT)  # delivered here: the KeyboardInterrupt is swallowed

    gc.callbacks.append(swallow)
    stored = []
    try:
        with catching_interrupts(), pytest.raises(KeyboardInterrupt):
            for doc in range(100):
                try:
                    raise_if_interrupted()
                    stored.append(doc)
                    if doc == 3:
                        gc.collect()  # the interrupt lands in the callback and is printed, not raised
                except KeyboardInterrupt:
                    raise
    finally:
        gc.callbacks.remove(swallow)
    assert seen and stored == [0, 1, 2, 3]


def test_without_an_interrupt_nothing_is_raised_and_the_handler_is_put_back():
    before = signal.getsignal(signal.SIGINT)
    with catching_interrupts():
        raise_if_interrupted()
    raise_if_interrupted()
    assert signal.getsignal(signal.SIGINT) is before
