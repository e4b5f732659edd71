"""The staging-site register: where reports or exhibits say federal agents staged or gathered
for an operation, on whose land, with the evidence.

Past events only: a site is recorded with the day it was used, never a day to come, and the
register is a record of what happened, never a live view or a forecast. A parcel layer (a
GeoJSON file or a shapefile, with an owner attribute) is loaded into the ledger, and every
site is classified:

- ``city-owned``: the point lies in or on the edge of a parcel whose owner is one of the names
  the user gave as the city's (``--city-owner``, compared without case);
- ``private``: in or on the edge of a parcel owned by anyone else, the owner as the file names it;
- ``unknown``: no point; a point in no parcel (then the distance to the nearest parcel and its
  owner are given, so a person can judge it); a parcel without an owner; or a point whose
  uncertainty (``uncertainty_m``) reaches a parcel of another class.

Distances are metres on a local flat projection around the site (error well under 1% within
a few kilometres), computed with shapely.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from eventledger.errors import EventLedgerError
from eventledger.store import Store, _now
from eventledger.store import kit as sk

__all__ = ["CSV_COLUMNS", "Parcel", "RegisterError", "add_site", "classify", "load_parcel_file", "load_parcels",
           "register_csv", "register_geojson", "register_rows"]

OWNER_FIELDS = ("owner", "owner_name", "ownername", "own_name", "owner1")
CSV_COLUMNS = ("site_id", "name", "occurred", "classification", "owner", "parcel_id", "distance_m", "uncertainty_m",
               "lat", "lon", "event_id", "evidence_sentence", "evidence_document", "evidence_span", "exhibit_sha256", "note")


class RegisterError(EventLedgerError):
    """A parcel file or a site could not be used; the message names the file or field and why."""


@dataclass(frozen=True)
class Parcel:
    id: str
    owner: str | None
    city_owned: bool
    geometry: Any  # shapely geometry, lon/lat


def _features_from_geojson(data: bytes, name: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise RegisterError(f"{name}: not JSON: {e}") from e
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise RegisterError(f"{name}: not a GeoJSON FeatureCollection")
    return doc["features"]


def _features_from_shapefile(data: bytes, name: str) -> list[dict[str, Any]]:
    import shapefile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {Path(n).suffix.lower(): z.read(n) for n in z.namelist() if Path(n).suffix.lower() in (".shp", ".shx", ".dbf")}
    except zipfile.BadZipFile as e:
        raise RegisterError(f"{name}: not a zipped shapefile: {e}") from e
    missing = [s for s in (".shp", ".dbf") if s not in parts]
    if missing:
        raise RegisterError(f"{name}: shapefile parts missing: {', '.join(missing)}")
    try:
        r = shapefile.Reader(shp=io.BytesIO(parts[".shp"]), dbf=io.BytesIO(parts[".dbf"]),
                             shx=io.BytesIO(parts[".shx"]) if ".shx" in parts else None)
        return [{"type": "Feature", "geometry": sr.shape.__geo_interface__, "properties": sr.record.as_dict()}
                for sr in r.iterShapeRecords()]
    except (shapefile.ShapefileException, ValueError, OSError) as e:
        raise RegisterError(f"{name}: not a readable shapefile: {e}") from e


def load_parcel_file(path: Path) -> tuple[str, bytes]:
    """(file name, bytes) of a parcel layer: a .geojson/.json file, a .zip of a shapefile, or a
    .shp with its .dbf and .shx beside it (zipped together so the ledger keeps one file)."""
    try:
        if path.suffix.lower() == ".shp":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for ext in (".shp", ".shx", ".dbf", ".prj"):
                    part = path.with_suffix(ext)
                    if part.exists():
                        z.writestr(part.name, part.read_bytes())
            return path.with_suffix(".zip").name, buf.getvalue()
        return path.name, path.read_bytes()
    except OSError as e:
        raise RegisterError(f"{path}: cannot read: {e.strerror or e}") from e


def load_parcels(name: str, data: bytes, owner_field: str | None, city_owners: list[str]) -> tuple[list[Parcel], str]:
    """The parcels of a layer and the owner attribute used (given, or the first usual name found)."""
    from shapely.geometry import shape

    feats = _features_from_shapefile(data, name) if name.lower().endswith(".zip") else _features_from_geojson(data, name)
    if not feats:
        raise RegisterError(f"{name}: no parcels in the file")
    props0 = {k.lower(): k for f in feats[:50] for k in (f.get("properties") or {})}
    field = owner_field
    if field is None:
        field = next((props0[k] for k in OWNER_FIELDS if k in props0), None)
        if field is None:
            raise RegisterError(f"{name}: no owner attribute found (tried {', '.join(OWNER_FIELDS)}); give --owner-field")
    elif field.lower() not in props0:
        raise RegisterError(f"{name}: no attribute {field!r} (attributes: {', '.join(sorted(props0.values()))})")
    else:
        field = props0[field.lower()]
    city = {c.strip().casefold() for c in city_owners if c.strip()}
    parcels = []
    for i, f in enumerate(feats, 1):
        try:
            geom = shape(f["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise RegisterError(f"{name}: parcel {i}: bad geometry: {e}") from e
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise RegisterError(f"{name}: parcel {i}: a parcel is a polygon, not {geom.geom_type}")
        props = f.get("properties") or {}
        owner = props.get(field)
        owner = str(owner).strip() if owner not in (None, "") else None
        pid = str(props.get("parcel_id") or props.get("PARCEL_ID") or props.get("apn") or props.get("APN") or f.get("id") or i)
        parcels.append(Parcel(pid, owner, bool(owner and owner.casefold() in city), geom))
    return parcels, field


def _local_metres(lat0: float, lon0: float):  # type: ignore[no-untyped-def]
    """A function mapping a geometry in lon/lat to metres east and north of (lat0, lon0)."""
    import numpy as np
    import shapely

    k = math.cos(math.radians(lat0))

    def to_metres(geom):  # type: ignore[no-untyped-def]
        return shapely.transform(geom, lambda c: np.column_stack(((c[:, 0] - lon0) * 111_320.0 * k,
                                                                  (c[:, 1] - lat0) * 110_574.0)))
    return to_metres


def _class(p: Parcel) -> str:
    return "city-owned" if p.city_owned else ("private" if p.owner else "unknown")


def classify(lat: float | None, lon: float | None, parcels: list[Parcel], uncertainty_m: float | None = None) -> dict[str, Any]:
    """classification, owner, parcel_id, distance_m (0 inside or on an edge) and why, of one point.

    A point whose uncertainty reaches a parcel of another class (a city parcel next to a private
    one) is ``unknown``: the register never states more than the evidence supports."""
    from shapely.geometry import Point

    if lat is None or lon is None:
        return {"classification": "unknown", "owner": None, "parcel_id": None, "distance_m": None,
                "why": "no location recorded"}
    if not parcels:
        return {"classification": "unknown", "owner": None, "parcel_id": None, "distance_m": None, "why": "no parcel layer"}
    pt = Point(lon, lat)
    to_metres = _local_metres(lat, lon)
    origin = Point(0.0, 0.0)
    inside = next((p for p in parcels if p.geometry.covers(pt)), None)  # inside or on the boundary
    if inside is not None:
        out = {"classification": _class(inside), "owner": inside.owner, "parcel_id": inside.id, "distance_m": 0.0,
               "why": "in the parcel" if inside.geometry.contains(pt) else "on the parcel's edge"}
        if uncertainty_m:
            others = [(to_metres(p.geometry).distance(origin), p) for p in parcels
                      if p is not inside and (_class(p), p.owner) != (_class(inside), inside.owner)]
            near = min(others, key=lambda x: x[0], default=None)
            if near is not None and near[0] <= uncertainty_m:
                d, p = near
                out.update({"classification": "unknown",
                            "why": f"the point is in a {_class(inside)} parcel ({inside.owner or 'owner not named'}), but a"
                                   f" {_class(p)} parcel ({p.owner or 'owner not named'}) lies {d:.0f} m away, within"
                                   f" its uncertainty of {uncertainty_m:g} m"})
        return out
    dist, near_p = min(((to_metres(p.geometry).distance(origin), p) for p in parcels), key=lambda x: x[0])
    return {"classification": "unknown", "owner": near_p.owner, "parcel_id": near_p.id, "distance_m": round(dist, 1),
            "why": f"in no parcel; the nearest ({near_p.owner or 'owner not named'}) is {dist:.0f} m away"}


def add_site(store: Store, name: str, occurred: str, by: str, lat: float | None = None, lon: float | None = None,
             uncertainty_m: float | None = None, event: str | None = None, exhibit: str | None = None,
             note: str | None = None, today: date | None = None) -> str:
    """Record a place where agents staged on a past day, with its evidence (an event and/or an exhibit)."""
    if not name or not name.strip():
        raise RegisterError("a staging site needs a --name")
    try:
        day = date.fromisoformat(occurred)
    except (TypeError, ValueError) as e:
        raise RegisterError(f"--occurred must be YYYY-MM-DD, not {occurred!r}") from e
    if day > (today or max(date.today(), datetime.now(timezone.utc).date())):
        raise RegisterError(f"--occurred {occurred} is in the future: the register records past events only")
    if not event and not exhibit:
        raise RegisterError("a staging site needs its evidence: --event and/or --exhibit")
    if (lat is None) != (lon is None):
        raise RegisterError("give both --lat and --lon, or neither")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):  # type: ignore[operator]
        raise RegisterError(f"--lat {lat} --lon {lon} is not a place on Earth")
    sha = None
    if exhibit:
        from eventledger.kit.exhibits import resolve

        sha = resolve(store, exhibit)["sha256"]
    return sk.insert_site(store, {"name": name.strip(), "lat": lat, "lon": lon, "uncertainty_m": uncertainty_m,
                                  "occurred": day.isoformat(), "event_id": event, "exhibit_sha256": sha, "note": note,
                                  "added_by": by, "added_at": _now()}, note)


def load_layer(store: Store, path: Path, by: str, owner_field: str | None, city_owners: list[str],
               why: str | None = None) -> dict[str, Any]:
    """Check a parcel layer, then keep it in the ledger (its bytes and how to read it)."""
    name, data = load_parcel_file(path)
    parcels, field = load_parcels(name, data, owner_field, city_owners)
    row = {"sha256": hashlib.sha256(data).hexdigest(), "filename": name, "owner_field": field,
           "city_owners": city_owners, "loaded_by": by, "loaded_at": _now()}
    sk.insert_parcel_layer(store, row, data, why)
    return {**row, "parcels": len(parcels), "city_owned": sum(p.city_owned for p in parcels)}


def register_rows(store: Store) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Every site, oldest first, classified against the latest parcel layer, with its evidence."""
    layer = sk.latest_parcel_layer(store)
    parcels: list[Parcel] = []
    meta = None
    if layer:
        meta, data = layer
        parcels, _ = load_parcels(meta["filename"], data, meta["owner_field"], meta["city_owners"])
    rows = []
    for s in sk.list_sites(store):
        c = classify(s["lat"], s["lon"], parcels, s["uncertainty_m"]) if parcels else {
            "classification": "unknown", "owner": None, "parcel_id": None, "distance_m": None, "why": "no parcel layer loaded"}
        ev = sk.event_evidence(store, s["event_id"])[:1] if s["event_id"] else []
        rows.append({**s, **c, "evidence": ev[0] if ev else None})
    return rows, meta


def _csv_row(r: dict[str, Any]) -> list[Any]:
    ev = r["evidence"] or {}
    return [r["id"], r["name"], r["occurred"], r["classification"], r["owner"] or "", r["parcel_id"] or "",
            "" if r["distance_m"] is None else r["distance_m"], "" if r["uncertainty_m"] is None else r["uncertainty_m"],
            "" if r["lat"] is None else r["lat"], "" if r["lon"] is None else r["lon"], r["event_id"] or "",
            ev.get("text", ""), ev.get("document_id", ""), f"{ev['start']}-{ev['end']}" if ev else "",
            r["exhibit_sha256"] or "", r["note"] or ""]


def register_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        w.writerow(_csv_row(r))
    return buf.getvalue()


def register_geojson(rows: list[dict[str, Any]], layer: dict[str, Any] | None) -> dict[str, Any]:
    """A FeatureCollection, one feature per site; a site without a point has geometry null."""
    feats = []
    for r in rows:
        props = dict(zip(CSV_COLUMNS, _csv_row(r)))
        for k in ("lat", "lon", "distance_m", "uncertainty_m"):
            props[k] = r[k]
        geom = {"type": "Point", "coordinates": [r["lon"], r["lat"]]} if r["lat"] is not None else None
        feats.append({"type": "Feature", "id": r["id"], "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": feats,
            "parcel_layer": None if layer is None else {k: layer[k] for k in ("filename", "sha256", "owner_field", "loaded_at")},
            "note": "Past staging sites as reported, with their evidence. Not a live view or a prediction."}
