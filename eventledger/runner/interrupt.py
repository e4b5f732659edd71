"""Ctrl-C that is never lost. Python turns SIGINT into a KeyboardInterrupt raised in whatever
frame is running; when that frame is a callback whose exceptions are ignored (distributed's
garbage-collection diagnosis, a ``__del__``), the interrupt is printed as "Exception ignored"
and the run goes on. Inside :func:`catching_interrupts` the signal also sets a flag, and the
writer calls :func:`raise_if_interrupted` before each document, so such an interrupt still
stops the run there, with every document stored so far complete."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["catching_interrupts", "raise_if_interrupted"]

_interrupted = threading.Event()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt when Ctrl-C came since :func:`catching_interrupts` began."""
    if _interrupted.is_set():
        raise KeyboardInterrupt


@contextmanager
def catching_interrupts() -> Iterator[None]:
    """Remember SIGINT for the block (only the main thread can set a handler; elsewhere the
    block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _interrupted.clear()
    old = signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        _interrupted.clear()
