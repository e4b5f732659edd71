"""Export ledger events as JSON Lines, ACLED-style CSV or GeoJSON.

- ``jsonl``: one spec/ledger.md record per line, the objects `eventledger events --json` prints.
- ``csv``: one row per ledger event, in the columns users of ACLED data already work with
  (:data:`CSV_COLUMNS`), then ours. How each ACLED column is filled:

  ``event_id_cnty`` our event id. ``event_date`` the ledger date as ISO 8601 at the
  precision known (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; no day is invented).
  ``time_precision`` ACLED's codes: 1 = the day is known, 2 = the week, 3 = the month;
  a date known only to the year is also 3 (ACLED has no coarser code), empty when undated.
  ``event_type`` the PLOVER type; ``sub_event_type`` the PLOVER mode. ``actor1`` and
  ``actor2`` the first two actors in order of mention (like ACLED's, they imply no
  direction), ``assoc_actor_1`` any further actors, joined by ``"; "``. ``interaction``,
  ``admin2`` and ``source_scale`` are left empty. ``country`` and ``admin1`` (the US state)
  come from the place: its GeoNames entry when the place id is the one the entity finder
  gives that entry (``place:portland-or`` is Portland, Oregon), else the profile
  gazetteer's ``within`` chain up to a city, state or country. ``location`` the place name;
  ``latitude``/``longitude`` its coordinates or, when it has none, those of the nearest
  place it lies within. ``geo_precision`` ACLED's codes: 1 = the coordinates are the
  place's own (a town or city, or anything smaller with its own coordinates); 2 = a
  smaller place without coordinates, located by the town or city it lies within; 3 = only
  a state, country or larger region; empty when there are no coordinates. ``source`` the
  outlets (else URL host, else the stored source), joined by ``"; "``. ``notes`` the first
  report's sentence. ``fatalities`` from casualties figures counting the dead (killed,
  dead, deaths, died, fatal...): within one figure group the lowest value reported (ACLED
  takes the most conservative of conflicting reports, and this is the agreed value when
  the sources agree), across groups the largest (groups may count the same people, so
  they are not added); empty, not 0, when no figure counts the dead.

  Ours: ``mode``, ``reports`` (count), ``independent_sources``, ``figures``
  (``kind=value[-high][~][/per] (n sources)`` per value, joined by ``"; "``),
  ``figure_conflict`` and ``attribution_conflict`` (``true``/``false``), ``document_ids``
  (joined by ``";"``), ``review_status``, ``extracted``, and the plain ``label`` and ``headline``
  of the ledger record (eventledger.headline: "Raid", "ICE raids a warehouse in Tulsa, May 2, 2024").

  Reviews carry through: a figure a reviewer corrected is written with its reviewed value,
  marked ``reviewed`` in ``figures`` with the extracted value beside it
  (``arrests=78 reviewed, extracted 76 (1 source)``); a rejected figure is left out. The
  event fields a reviewer corrected are written as corrected, and ``extracted`` lists what
  the extractor gave them and the figures (``date=2025-03-11; arrests=76``), empty when
  nothing was corrected. Events a reviewer rejected are left out unless
  a selection with ``rejected="show"`` keeps them, with ``review_status`` ``rejected`` (CLI ``--rejected mark``).
- ``jsonl`` records are those of :func:`eventledger.reviewed.reviewed_record`: a corrected
  figure's source carries ``reviewed`` with the ``extracted`` value, ``review.extracted``
  the extracted event fields.
- ``ftm`` and ``plover``: FollowTheMoney entities for Aleph and PLOVER-style records, one
  JSON object a line, written by :mod:`eventledger.exports`.
- ``geojson``: an RFC 7946 FeatureCollection, one Point feature per event with coordinates
  ``[longitude, latitude]`` (rounded to 6 decimals) and the CSV fields as properties.
  Events without coordinates are left out and counted in the foreign member
  ``skipped_no_coordinates``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TextIO
from urllib.parse import urlsplit

from eventledger.errors import EventLedgerError
from eventledger.exports.fatalities import fatalities
from eventledger.gazetteer import Gazetteer, GeoPlace, load_gazetteer
from eventledger.profile import slug
from eventledger.reviewed import reviewed_record
from eventledger.store import Store
from eventledger.store.queries import EventFilter, EventIndex, event_index, filtered_event_ids, rejected_left_out

__all__ = ["CSV_COLUMNS", "FORMATS", "ExportResult", "Location", "PlaceLocator", "event_row", "export_events"]

FORMATS = ("csv", "jsonl", "geojson", "ftm", "plover")

CSV_COLUMNS = (
    # ACLED's columns, in ACLED's order (those we cannot fill are left out or empty)
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "interaction", "country", "admin1", "admin2", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    # ours
    "mode", "reports", "independent_sources", "figures", "figure_conflict", "attribution_conflict",
    "document_ids", "review_status", "extracted", "label", "headline",
)

_TIME_PRECISION = {"day": 1, "month": 3, "year": 3}
_DATE_PRECISION = {10: "day", 7: "month", 4: "year"}
# profile gazetteer place types, by the ACLED level they stand for
_STATE_TYPES = {"state", "province", "territory"}
_REGION_TYPES = {"region", "county", "district", "continent"}
_TOWN_TYPES = {"city", "town", "village", "municipality"}


@dataclass(frozen=True, slots=True)
class ExportResult:
    written: int
    skipped_no_coordinates: int = 0
    rejected_left_out: int = 0


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened, as ACLED's columns need it."""

    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None


def export_events(store: Store, fmt: str, out: TextIO, selection: EventFilter | None = None, *,
                  limit: int | None = None, index: EventIndex | None = None) -> ExportResult:
    """Write the ledger events that pass ``selection`` to ``out``, at most ``limit``: the one
    selection and order of store/queries.py (``filtered_event_ids``), as ``events`` and the web
    app list them; ``index`` is a prebuilt event index (the web app keeps one). Records are
    written with reviews applied; events a reviewer rejected are left out unless the selection
    shows them (``EventFilter(rejected="show")``, CLI ``--rejected mark``), then marked;
    ``rejected_left_out`` counts those left out.

    ``out`` should be opened with ``newline=""`` for CSV (the csv module writes ``\\r\\n``).
    """
    if fmt not in FORMATS:
        raise EventLedgerError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sel = selection or EventFilter()
    ix = index or event_index(store)
    ids = filtered_event_ids(store, sel, limit, index=ix)
    left_out = [rejected_left_out(store, sel, ix)]
    records = _records(store, ids)
    if fmt in ("ftm", "plover"):  # FollowTheMoney entities, PLOVER records: eventledger/exports/
        from eventledger.exports import write_records

        return ExportResult(write_records(fmt, records, out, store.profile), rejected_left_out=left_out[0])
    if fmt == "jsonl":
        n = 0
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
        return ExportResult(n, rejected_left_out=left_out[0])
    locate = PlaceLocator(store)
    rows = (event_row(rec, locate(rec["place"])) for rec in records)
    res = _write_csv(rows, out) if fmt == "csv" else _write_geojson(rows, out)
    return ExportResult(res.written, res.skipped_no_coordinates, left_out[0])


def _records(store: Store, ids: list[str]) -> Iterator[dict[str, Any]]:
    for i in ids:
        rec = reviewed_record(store, i)
        if rec is not None:
            yield rec


# ---- one flat row per event --------------------------------------------------------------------

def event_row(rec: dict[str, Any], loc: Location) -> dict[str, Any]:
    """The flat CSV/GeoJSON fields of one ledger event record (native types; None when empty)."""
    date = rec["date"]
    precision = rec["date_precision"] or (_DATE_PRECISION.get(len(date)) if date else None)
    actors = [a["name"] for a in rec["actors"]]
    reports = rec["reports"]
    notes = " ".join(reports[0]["text"].split()) if reports else None
    return {
        "event_id_cnty": rec["id"],
        "event_date": date,
        "year": int(date[:4]) if date else None,
        "time_precision": _TIME_PRECISION.get(precision) if date else None,
        "event_type": rec["type"],
        "sub_event_type": rec["mode"],
        "actor1": actors[0] if actors else None,
        "assoc_actor_1": "; ".join(actors[2:]) or None,
        "actor2": actors[1] if len(actors) > 1 else None,
        "interaction": None,
        "country": loc.country,
        "admin1": loc.admin1,
        "admin2": None,
        "location": loc.name,
        "latitude": loc.lat,
        "longitude": loc.lon,
        "geo_precision": loc.geo_precision,
        "source": "; ".join(_unique(_source_name(r) for r in reports)) or None,
        "source_scale": None,
        "notes": notes,
        "fatalities": fatalities(rec["figures"]),
        "mode": rec["mode"],
        "reports": len(reports),
        "independent_sources": rec["independent_sources"],
        "figures": "; ".join(_figure_text(g["kind"], v) for g in rec["figures"] for v in g["values"]) or None,
        "figure_conflict": any(g["conflict"] for g in rec["figures"]),
        "attribution_conflict": bool(rec["attribution_conflicts"]),
        "document_ids": ";".join(_unique(r["document_id"] for r in reports)) or None,
        "review_status": (rec.get("review") or {}).get("status"),
        "extracted": _extracted_text(rec),
        "label": rec.get("label"),
        "headline": rec.get("headline"),
    }


def _extracted_text(rec: dict[str, Any]) -> str | None:
    """What the extractor gave the values reviewers corrected: ``date=2025-03-11; arrests=76``."""
    out = []
    for k, v in ((rec.get("review") or {}).get("extracted") or {}).items():
        if k == "date_precision":
            continue
        if k == "place":
            v = (v or {}).get("name")
        out.append(f"{k}={'' if v is None else v}")
    for g in rec["figures"]:
        for v in g["values"]:
            for s in v["sources"]:
                x = (s.get("reviewed") or {}).get("extracted")
                if x:
                    out.append(f"{g['kind']}={_range(x)}")
    return "; ".join(dict.fromkeys(out)) or None


def _range(d: dict[str, Any]) -> str:
    return f"{d['value']}" if d.get("high") in (None, d["value"]) else f"{d['value']}-{d['high']}"


def _unique(items: Iterator[str | None] | list[str | None]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x and x not in out:
            out.append(x)
    return out


def _source_name(report: dict[str, Any]) -> str | None:
    if report.get("outlet"):
        return report["outlet"]
    src = report.get("source") or ""
    host = urlsplit(src).hostname if "://" in src else None
    return host.removeprefix("www.") if host else (src or None)


def _figure_text(kind: str, v: dict[str, Any]) -> str:
    rng = f"{v['value']}" if v["high"] == v["value"] else f"{v['value']}-{v['high']}"
    n = v["independent_sources"]
    was = _unique(_range(x) for s in v["sources"] if (x := (s.get("reviewed") or {}).get("extracted")))
    mark = f" reviewed, extracted {' and '.join(was)}" if was else ""
    return (f"{kind}={rng}{'~' if v['approx'] else ''}{'/' + v['per'] if v.get('per') else ''}{mark}"
            f" ({n} source{'' if n == 1 else 's'})")


# ---- writers -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(x: Any) -> Any:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, str) and x.startswith(_FORMULA_START):
        # a spreadsheet would run it as a formula (=HYPERLINK(...)): as OWASP advises, a leading
        # single quote makes it text (numbers are written as numbers and are never changed)
        return "'" + x
    return x


def _write_csv(rows: Iterator[dict[str, Any]], out: TextIO) -> ExportResult:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    w.writeheader()
    n = 0
    for row in rows:
        w.writerow({k: _csv_value(row[k]) for k in CSV_COLUMNS})
        n += 1
    return ExportResult(n)


def _write_geojson(rows: Iterator[dict[str, Any]], out: TextIO) -> ExportResult:
    out.write('{"type": "FeatureCollection", "features": [')
    n = skipped = 0
    for row in rows:
        if row["latitude"] is None or row["longitude"] is None:
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": row["event_id_cnty"],
            "geometry": {"type": "Point", "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)]},
            "properties": row,
        }
        out.write(("\n" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write(f'\n], "skipped_no_coordinates": {skipped}}}\n')
    return ExportResult(n, skipped)


# ---- where an event happened ---------------------------------------------------------------------

@lru_cache(maxsize=4)
def _country_names(gz: Gazetteer) -> dict[str, str]:
    return {p.country: p.name for places in gz.places.values() for p in places if p.kind == "country"}


def _geo_id(g: GeoPlace) -> str:
    """The entity id the entity finder gives a GeoNames place (extract/entities.py)."""
    if g.kind == "city" and g.country == "US":
        return f"place:{slug(g.name)}-{g.admin1.lower()}"
    if g.kind == "city":
        return f"place:{slug(g.name)}-{g.country.lower()}"
    return f"place:{slug(g.name)}"


@dataclass(frozen=True, slots=True)
class _Node:
    name: str
    lat: float | None
    lon: float | None
    level: str  # country | state | region | town | local | unknown
    country: str | None
    admin1: str | None


class PlaceLocator:
    """A record's place (``{"id", "name", "lat", "lon"}``) -> :class:`Location`, from the
    stored entities, the profile gazetteer's ``within`` chain and GeoNames."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.profile = store.profile
        self.gz = load_gazetteer()
        self.cache: dict[str, Location] = {}

    def __call__(self, place: dict[str, Any] | None) -> Location:
        if not place:
            return Location()
        if place["id"] not in self.cache:
            self.cache[place["id"]] = self._locate(place)
        return self.cache[place["id"]]

    def _locate(self, place: dict[str, Any]) -> Location:
        chain = self._chain(place)
        country = next((n.country for n in chain if n.country), None)
        admin1 = next((n.admin1 for n in chain if n.admin1), None)
        lat = lon = precision = None
        for i, n in enumerate(chain):
            coarse = n.level in ("country", "state", "region")
            if n.lat is not None and n.lon is not None:
                lat, lon = n.lat, n.lon
                precision = 3 if coarse else (1 if i == 0 else 2)
                break
            if coarse:  # a state without coordinates is not placed at its country's centre
                break
        return Location(place["name"], country, admin1, lat, lon, precision)

    def _chain(self, place: dict[str, Any]) -> list[_Node]:
        """The place, then each place it lies within (profile gazetteer `within`)."""
        out: list[_Node] = []
        seen: set[str] = set()
        pid: str | None = place["id"]
        while pid and pid not in seen:
            seen.add(pid)
            node = self._node(pid, place if pid == place["id"] else None)
            if node is not None:
                out.append(node)
            pe = self.profile.by_id.get(pid)
            pid = pe.within if pe is not None else None
        return out

    def _node(self, pid: str, given: dict[str, Any] | None) -> _Node | None:
        stored = given or self.store.entities_by_id([pid]).get(pid)
        pe = self.profile.by_id.get(pid)
        name = stored["name"] if stored else (pe.name if pe else None)
        if name is None:
            return None
        lat, lon = (stored.get("lat"), stored.get("lon")) if stored else (None, None)
        if (lat is None or lon is None) and pe is not None:
            lat, lon = pe.lat, pe.lon
        geo = next((g for g in self.gz.lookup(name) if _geo_id(g) == pid), None)
        if geo is not None:
            level = {"city": "town"}.get(geo.kind, geo.kind)
            country = _country_names(self.gz).get(geo.country)
            admin1 = self.gz.state_names.get(geo.admin1) if geo.country == "US" else None
            if lat is None and geo.kind == "city":
                lat, lon = geo.lat, geo.lon
            return _Node(name, lat, lon, level, country, admin1)
        ptype = (pe.type or "").lower() if pe else ""
        if ptype == "country":
            return _Node(name, lat, lon, "country", name, None)
        if ptype in _STATE_TYPES:
            return _Node(name, lat, lon, "state", None, name)
        if ptype in _REGION_TYPES:
            return _Node(name, lat, lon, "region", None, None)
        if ptype in _TOWN_TYPES:
            return _Node(name, lat, lon, "town", None, None)
        return _Node(name, lat, lon, "local" if ptype else "unknown", None, None)
