"""The names the ledger knows, for looking up what a user typed (the CLI's --place,
--actor, --outlet, --kind, --event): every entity id, name and alias, every outlet name,
every figure kind, and whether an event id is there."""

from __future__ import annotations

from eventledger.store import Store

__all__ = ["entity_choices", "entity_names", "event_codes", "figure_kinds", "has_event", "outlet_names"]


def entity_names(store: Store, places: bool) -> dict[str, str]:
    """Each place's (or, with ``places`` false, each other entity's) id, name and aliases ->
    its id. A name two entities share maps to the first by id."""
    op = "=" if places else "<>"
    out: dict[str, str] = {}
    for r in store.db.execute(f"SELECT id, name FROM entities WHERE kind {op} 'place' ORDER BY id"):
        out.setdefault(r[0], r[0])
        out.setdefault(r[1], r[0])
    for r in store.db.execute(f"SELECT a.alias, a.entity_id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
                              f" WHERE e.kind {op} 'place' ORDER BY a.entity_id"):
        out.setdefault(r[0], r[1])
    return out


def entity_choices(store: Store, places: bool) -> list[tuple[str, str, list[str]]]:
    """(id, name, aliases) of each place (or, with ``places`` false, each other entity) in the
    ledger, by id: what a reviewer picks from by name."""
    op = "=" if places else "<>"
    out: dict[str, tuple[str, str, list[str]]] = {}
    for r in store.db.execute(f"SELECT id, name FROM entities WHERE kind {op} 'place' ORDER BY id"):
        out[r[0]] = (r[0], r[1], [])
    for r in store.db.execute(f"SELECT a.entity_id, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
                              f" WHERE e.kind {op} 'place' ORDER BY a.entity_id, a.alias"):
        if r[0] in out and r[1] != out[r[0]][1]:
            out[r[0]][2].append(r[1])
    return list(out.values())


def outlet_names(store: Store) -> dict[str, str]:
    """Each outlet named by a stored document -> itself."""
    return {r[0]: r[0] for r in store.db.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")}


def figure_kinds(store: Store) -> dict[str, str]:
    """Each kind of figure the ledger holds -> itself."""
    return {r[0]: r[0] for r in store.db.execute("SELECT DISTINCT kind FROM figures")}


def has_event(store: Store, event_id: str) -> bool:
    return store.db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None


def event_codes(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """The PLOVER types and modes the ledger's events have (a review may set one the profile
    does not trigger), each -> itself."""
    types: dict[str, str] = {}
    modes: dict[str, str] = {}
    for t, m in store.db.execute("SELECT DISTINCT type, mode FROM events"):
        types[t] = t
        if m:
            modes[m] = m
    return types, modes
