"""Every tunable threshold, with its default. Overridable from a TOML file or the CLI."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from eventledger.errors import SettingsError

__all__ = ["Settings", "load_settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    # ingest
    max_input_bytes: int = 20 * 1024 * 1024
    """Inputs larger than this are refused with an error (not truncated)."""
    max_text_chars: int = 2_000_000
    """Extracted text longer than this is refused."""
    min_text_chars: int = 1
    max_decompressed_bytes: int = 100 * 1024 * 1024
    """A compressed input (.warc.gz) that inflates past this is refused (a gzip bomb)."""
    max_document_seconds: float = 30.0
    """A document read or extracted for longer is reported and skipped; the run goes on (0: no budget)."""
    max_document_memory_mb: int = 1536
    """ingest and extract may grow this many MB over their size at start; a document needing more
    is reported and skipped (0: no limit)."""
    # events
    events_require_date: bool = False
    """Drop event mentions whose date cannot be resolved at all (they cannot be placed in time)."""
    # output
    with_text: bool = True
    """``extract`` keeps each document's text in its records (false: as ``--no-text``)."""


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then a TOML file's ``[eventledger]`` table, then keyword overrides."""
    s = Settings()
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise SettingsError(f"{path}: cannot read settings: {e}") from e
        values.update(data.get("eventledger", data))
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return replace(s, **values)
