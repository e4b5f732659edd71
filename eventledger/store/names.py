"""The names the ledger knows, for looking up what a user typed (the CLI's --place,
--actor and --outlet): every entity id, name and alias, and every outlet name."""

from __future__ import annotations

from eventledger.store import Store

__all__ = ["entity_names", "outlet_names"]


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


def outlet_names(store: Store) -> dict[str, str]:
    """Each outlet named by a stored document -> itself."""
    return {r[0]: r[0] for r in store.db.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")}
