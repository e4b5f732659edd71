"""Load and validate a domain profile into a frozen :class:`Profile`.

A profile is a folder of data files (see docs/profile.md):

- ``aliases.jsonl``   known people and organizations: id, kind, name, aliases, roles
- ``gazetteer.jsonl`` places of the domain: id, name, aliases, type, lat, lon, within
- ``events.toml``     event vocabulary: PLOVER type, mode and trigger patterns
- ``figures.toml``    what figures count: kinds and their nouns, verbs, rate words
- ``lexicon.toml``    word lists the entity finder uses (titles, org and place head words)

Errors name the file, the line and the field. The profile is loaded once per process.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventledger.errors import ProfileError

__all__ = [
    "DEFAULT_PROFILE",
    "EventTrigger",
    "Profile",
    "ProfileEntity",
    "Role",
    "load_profile",
    "norm_key",
    "slug",
]

DEFAULT_PROFILE = Path(__file__).parent / "profiles" / "default"

ENTITY_KINDS = {"person", "organization", "place"}
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
_ID_RE = re.compile(r"^(person|org|place):[a-z0-9][a-z0-9-]*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_KIND_PREFIX = {"person": "person", "organization": "org", "place": "place"}


@lru_cache(maxsize=1 << 16)
def norm_key(s: str) -> str:
    """The lookup key of a name: casefolded, diacritics and punctuation stripped,
    spaces collapsed, a leading "the" dropped (the scoring normalisation)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("’", "'")
    s = re.sub(r"[^\w\s]", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def slug(s: str) -> str:
    k = norm_key(s)
    return re.sub(r"[^a-z0-9]+", "-", k).strip("-") or "x"


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    start: str | None = None  # YYYY[-MM[-DD]]
    end: str | None = None

    def held_on(self, date: str | None) -> bool:
        if date is None:
            return self.end is None
        if self.start and date < self.start[: len(date)]:
            return False
        if self.end and date > self.end[: len(date)] + "\uffff":
            return False
        return True


@dataclass(frozen=True, slots=True)
class ProfileEntity:
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    lat: float | None = None
    lon: float | None = None
    type: str | None = None  # places: city, neighbourhood, park, base, building, street, ...
    within: str | None = None
    context: tuple[str, ...] = ()
    """Words one of which must stand right before an ambiguous alias (e.g. "on" before X)."""


@dataclass(frozen=True, slots=True)
class EventTrigger:
    type: str
    mode: str | None
    pattern: re.Pattern[str]
    source: str  # "events.toml: [[trigger]] #n" for error messages and debugging
    needs: re.Pattern[str] | None = None
    """A second pattern that must also match the sentence (e.g. an enforcement word)."""
    priority: int = 0
    needs_not: re.Pattern[str] | None = None
    """A pattern that, when it matches the sentence, cancels the trigger ("won't make arrests")."""
    lower: re.Pattern[str] | None = None
    """The pattern without IGNORECASE, for text whose ASCII letters are lowered (much faster);
    None when the pattern itself holds an upper-case letter outside an escape."""
    in_names: bool = False
    """Whether the trigger counts inside an entity's name ("the Oregon National Guard" deployed);
    by default a trigger word in a name ("Homeland Security Investigations") is no trigger."""


@dataclass(frozen=True, eq=False)
class Profile:
    name: str
    path: Path
    entities: tuple[ProfileEntity, ...]
    by_id: dict[str, ProfileEntity]
    alias_index: dict[str, tuple[str, ...]]
    """norm_key(alias) -> profile entity ids (several when an alias is ambiguous)."""
    triggers: tuple[EventTrigger, ...]
    figures: dict[str, Any]
    lexicon: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    event_cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """events.toml [cues]: name -> one pattern of its words (planned, threatened, denied,
    background, report): how a clause tells a plan, a threat, a denial, a recap or a source."""

    def lookup(self, name: str, kind: str | None = None) -> list[ProfileEntity]:
        ids = self.alias_index.get(norm_key(name), ())
        out = [self.by_id[i] for i in ids]
        return [e for e in out if kind is None or e.kind == kind]

    def words(self, key: str) -> frozenset[str]:
        """A lexicon word list as a frozenset (cached on first use)."""
        cache = self.extra.setdefault("_words", {})
        if key not in cache:
            cache[key] = frozenset(self.lexicon.get(key, ()))
        return cache[key]


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ProfileError(str(path), f"cannot read: {e.strerror or e}") from e
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ProfileError(str(path), f"invalid JSON: {e.msg}", line=n) from e
        if not isinstance(obj, dict):
            raise ProfileError(str(path), "each line must be a JSON object", line=n)
        rows.append((n, obj))
    return rows


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ProfileError(str(path), f"cannot read: {e.strerror or e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(str(path), f"invalid TOML: {e}") from e


def _str_list(v: Any, file: str, line: int, fld: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise ProfileError(file, "must be a list of non-empty strings", line=line, field=fld)
    return tuple(v)


def _opt_str(v: Any, file: str, line: int, fld: str) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str) or not v.strip():
        raise ProfileError(file, "must be a non-empty string", line=line, field=fld)
    return v


def _coord(v: Any, lo: float, hi: float, file: str, line: int, fld: str) -> float | None:
    if v is None:
        return None
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not lo <= v <= hi:
        raise ProfileError(file, f"must be a number from {lo} to {hi}", line=line, field=fld)
    return float(v)


def _entity(obj: dict[str, Any], file: str, line: int, default_kind: str | None) -> ProfileEntity:
    known = {"id", "kind", "name", "aliases", "roles", "lat", "lon", "type", "within", "context", "note"}
    unknown = set(obj) - known
    if unknown:
        raise ProfileError(file, f"unknown field(s) {sorted(unknown)}", line=line)
    kind = obj.get("kind", default_kind)
    if kind not in ENTITY_KINDS:
        raise ProfileError(file, f"must be one of {sorted(ENTITY_KINDS)}", line=line, field="kind")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ProfileError(file, "required, a non-empty string", line=line, field="name")
    eid = obj.get("id") or f"{_KIND_PREFIX[kind]}:{slug(name)}"
    if not isinstance(eid, str) or not _ID_RE.match(eid) or not eid.startswith(_KIND_PREFIX[kind] + ":"):
        raise ProfileError(file, f"must look like {_KIND_PREFIX[kind]}:a-slug", line=line, field="id")
    roles = []
    for i, r in enumerate(obj.get("roles") or ()):
        if isinstance(r, str):
            r = {"title": r}
        if not isinstance(r, dict) or not isinstance(r.get("title"), str):
            raise ProfileError(file, "each role is a string or {title, from, to}", line=line, field=f"roles[{i}]")
        for k in ("from", "to"):
            if r.get(k) is not None and not (isinstance(r[k], str) and _DATE_RE.match(r[k])):
                raise ProfileError(file, "must be YYYY, YYYY-MM or YYYY-MM-DD", line=line, field=f"roles[{i}].{k}")
        roles.append(Role(r["title"], r.get("from"), r.get("to")))
    return ProfileEntity(
        id=eid,
        kind=kind,
        name=name.strip(),
        aliases=_str_list(obj.get("aliases"), file, line, "aliases"),
        roles=tuple(roles),
        lat=_coord(obj.get("lat"), -90, 90, file, line, "lat"),
        lon=_coord(obj.get("lon"), -180, 180, file, line, "lon"),
        type=_opt_str(obj.get("type"), file, line, "type"),
        within=_opt_str(obj.get("within"), file, line, "within"),
        context=_str_list(obj.get("context"), file, line, "context"),
    )


def _triggers(data: dict[str, Any], file: str) -> tuple[EventTrigger, ...]:
    out = []
    allowed = {"type", "mode", "patterns", "needs", "needs_not", "priority", "in_names"}
    for i, t in enumerate(data.get("trigger", ())):
        where = f"trigger[{i}]"
        if set(t) - allowed:
            raise ProfileError(file, f"{where}: unknown field(s) {sorted(set(t) - allowed)}", field="trigger")
        typ = t.get("type")
        if typ not in PLOVER_TYPES:
            raise ProfileError(file, f"{where}: type must be a PLOVER root type, not {typ!r}", field="type")
        words = t.get("patterns")
        if not isinstance(words, list) or not words:
            raise ProfileError(file, f"{where}: patterns must be a non-empty list of regexes", field="patterns")
        # a pattern with a capital letter (outside an escape) is matched as written ("Operation [A-Z]\w+":
        # a name); the others ignore case and run on the lowered text
        cased = any(re.search(r"[A-Z]", re.sub(r"\\.", "", w)) for w in words)
        try:
            pat = re.compile(r"\b(?:" + "|".join(words) + r")\b", 0 if cased else re.IGNORECASE)
            needs = t.get("needs")
            needs_pat = re.compile(r"\b(?:" + "|".join(needs) + r")\b", re.IGNORECASE) if needs else None
            nn = t.get("needs_not")
            not_pat = re.compile(r"\b(?:" + "|".join(nn) + r")\b", re.IGNORECASE) if nn else None
        except re.error as e:
            raise ProfileError(file, f"{where}: bad pattern: {e}", field="patterns") from e
        lower = None if cased else re.compile(pat.pattern)
        in_names = t.get("in_names", False)
        if not isinstance(in_names, bool):
            raise ProfileError(file, f"{where}: in_names must be true or false", field="in_names")
        out.append(EventTrigger(typ, t.get("mode"), pat, f"{file} {where}", needs_pat, int(t.get("priority", 0)),
                                not_pat, lower, in_names))
    return tuple(out)


EVENT_CUES = ("planned", "threatened", "denied", "background", "report")


def _cues(data: dict[str, Any], file: str) -> dict[str, re.Pattern[str]]:
    """events.toml [cues]: each a list of regexes, compiled into one case-insensitive pattern."""
    table = data.get("cues", {})
    if not isinstance(table, dict):
        raise ProfileError(file, "cues must be a table of pattern lists", field="cues")
    out = {}
    for name, words in table.items():
        if name not in EVENT_CUES:
            raise ProfileError(file, f"cues: unknown cue {name!r} (known: {', '.join(EVENT_CUES)})", field="cues")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise ProfileError(file, f"cues.{name}: must be a non-empty list of regexes", field=name)
        try:
            out[name] = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
        except re.error as e:
            raise ProfileError(file, f"cues.{name}: bad pattern: {e}", field=name) from e
    return out


def load_profile(path: str | Path | None = None) -> Profile:
    """Read and validate a profile folder (the shipped default when ``path`` is None)."""
    return _load(str(Path(path) if path else DEFAULT_PROFILE))


@lru_cache(maxsize=4)
def _load(path_s: str) -> Profile:
    path = Path(path_s)
    if not path.is_dir():
        raise ProfileError(path_s, "profile folder not found")
    entities: list[ProfileEntity] = []
    where: dict[str, tuple[str, int]] = {}  # id -> (file, line), for errors that come later
    by_id: dict[str, ProfileEntity] = {}
    for fname, default_kind in (("aliases.jsonl", None), ("gazetteer.jsonl", "place")):
        f = path / fname
        if f.exists():
            for line, obj in _read_jsonl(f):
                e = _entity(obj, str(f), line, default_kind)
                if e.id in by_id:
                    first = where[e.id]
                    raise ProfileError(str(f), f"duplicate id {e.id} (first at {Path(first[0]).name}:{first[1]})",
                                       line=line, field="id")
                entities.append(e)
                where[e.id] = (str(f), line)
                by_id[e.id] = e
    index: dict[str, list[str]] = {}
    for e in entities:
        for a in (e.name, *e.aliases):
            k = norm_key(a)
            if k and e.id not in index.setdefault(k, []):
                index[k].append(e.id)
    for e in entities:
        if e.within and e.within not in by_id:
            f, line = where[e.id]
            raise ProfileError(f, f"{e.id}: within names unknown id {e.within}", line=line, field="within")
    events = _read_toml(path / "events.toml") if (path / "events.toml").exists() else {}
    figures = _read_toml(path / "figures.toml") if (path / "figures.toml").exists() else {}
    lexicon = _read_toml(path / "lexicon.toml") if (path / "lexicon.toml").exists() else {}
    return Profile(
        name=path.name,
        path=path,
        entities=tuple(entities),
        by_id=by_id,
        alias_index={k: tuple(v) for k, v in index.items()},
        triggers=_triggers(events, str(path / "events.toml")),
        event_cues=_cues(events, str(path / "events.toml")),
        figures=figures,
        lexicon=lexicon,
    )
