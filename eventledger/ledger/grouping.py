"""The grouping decision: which story a new document belongs to, and which ledger event
each report of that story joins. Policy only: the store reads what this asks for, this
module decides (``decide``), the store writes the decision in one transaction.

Stories, as news clustering does it: each document is a vector of its words and names
weighted by how rare they are in English (wordfreq's Zipf frequencies, a fixed table, so a
document's weights do not depend on what else is in the ledger or in which order it came),
plus marks of what it states (a main happening's type, mode family, day and town; a counted
figure) that two documents share only when they report the same thing. Its rarest terms and
its marks are its blocking keys: it is compared only with the documents sharing one, within
the time window. Those documents' stories are re-clustered with it by average linkage (or
one very similar pair), a pure function of the set of documents; past ``max_block``
documents (a large story, a crowded day) the document joins the closest story summary.

Events within a story are a pure function of the story's set of reports: reports join by
type, a mode family (seize and arrest for one raid), status (planned apart from the
happening), compatible dates (a day is inside its month; an undated report takes its
event's date) and compatible places (one inside the other, close by, or one not saying).
The most specific reports are clustered first; a vaguer one then joins the cluster it agrees
with entirely and shares most with, so a report that names no place or date never chains two
happenings. Background reports (a recap of last month's raids) only join an event some main
report founded. Copies follow their originals. Ids derive from the earliest member (by
publication date, then document id), so they stay put when later coverage joins.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from wordfreq import zipf_frequency

__all__ = ["EventDecision", "Decision", "StoryDecision", "centroid", "cluster_stories", "Policy", "Rep", "StoryDoc", "cluster_events", "compatible", "dates_compatible",
           "decide", "doc_day", "doc_vector", "with_marks", "event_id", "load_policy", "story_id"]

_NEAR_KM = 40.0
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_UNDATED = "9999-99-99"


@dataclass(frozen=True, slots=True)
class Policy:
    mode_families: dict[str, dict[str, str]]  # type -> mode -> family name
    same_quantity: dict[str, str]  # figure kind -> quantity family
    link: float = 0.18
    strong_link: float = 0.38
    window_days: int = 45
    terms: int = 80
    keys: int = 8
    common_zipf: float = 5.5
    event_mark: float = 0.15
    figure_mark: float = 0.08
    max_block: int = 40  # documents re-clustered at once; a larger block keeps its stories
    large_candidates: int = 20  # stories a document of a large block is compared with
    undated_factor: float = 0.9  # similarity kept between an undated document and another, below strong_link

    def family(self, type_: str, mode: str | None) -> str | None:
        if mode is None:
            return None
        return self.mode_families.get(type_, {}).get(mode, mode)


@lru_cache(maxsize=8)
def load_policy(profile_path: Path | None) -> Policy:
    """The grouping policy of a profile (its stories.toml); the defaults without one."""
    data: dict[str, Any] = {}
    if profile_path is not None and (profile_path / "stories.toml").exists():
        data = tomllib.loads((profile_path / "stories.toml").read_text(encoding="utf-8"))
    fams: dict[str, dict[str, str]] = {}
    for type_, groups in (data.get("mode_families") or {}).items():
        for g in groups:
            for m in g:
                fams.setdefault(type_, {})[m] = "+".join(sorted(g))
    same = {k: fam for fam, kinds in (data.get("same_quantity") or {}).items() for k in kinds}
    st = data.get("story") or {}
    return Policy(fams, same, float(st.get("link", 0.18)), float(st.get("strong_link", 0.38)), int(st.get("window_days", 45)), int(st.get("terms", 80)),
                  int(st.get("keys", 8)), float(st.get("common_zipf", 5.5)), float(st.get("event_mark", 0.15)),
                  float(st.get("figure_mark", 0.08)), int(st.get("max_block", 40)), int(st.get("large_candidates", 20)),
                  float(st.get("undated_factor", 0.9)))


# ---- documents and stories ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StoryDoc:
    id: str
    story: str | None  # its story now (None: the document being added)
    published: str | None
    day: str | None  # what the time window compares: the publication day, else its happenings'
    vector: dict[str, float]
    copy_of: str | None = None


@lru_cache(maxsize=200_000)
def _weight(word: str, common: float) -> float:
    return max(0.0, common - zipf_frequency(word, "en"))


def doc_vector(text: str, names: Iterable[tuple[str, str, int]], policy: Policy) -> dict[str, float]:
    """Unit vector of the document's rare words and named entities: log term frequency times
    rarity in English (0 for common words); ``names`` are (entity id, name, mentions)."""
    tf = Counter(w.lower().strip("'’-") for w in _WORD_RE.findall(text))
    v: dict[str, float] = {}
    for w, n in tf.items():
        if len(w) >= 3 and (x := _weight(w, policy.common_zipf)) > 0:
            v[w] = (1.0 + math.log(n)) * x
    for eid, name, n in names:
        words = [w.lower() for w in _WORD_RE.findall(name) if len(w) > 2]
        if words and (x := min(_weight(w, policy.common_zipf) for w in words)) > 0:
            v["@" + eid] = 2.0 * (1.0 + math.log(max(1, n))) * x
    top = sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[: policy.terms]
    norm = math.sqrt(sum(x * x for _, x in top)) or 1.0
    return {k: round(x / norm, 5) for k, x in top}


def with_marks(vector: dict[str, float], reps: Iterable[tuple[Rep, str | None]], figures: Iterable[tuple[str, float]],
               policy: Policy) -> dict[str, float]:
    """The vector with marks of what the document states, which two documents share only when
    they report the same thing: a main happening of one type and mode family on one day in one
    town (each report comes with its place's town: the city it lies in, or the place itself
    below the county), and a counted figure (kind and value, 20 or more). Each shared mark adds
    its weight squared to the two documents' similarity (policy: event_mark, figure_mark)."""
    v = dict(vector)
    for r, town in reps:
        if r.salience == "main" and r.date and len(r.date) == 10 and town:
            v[f"#ev:{r.type}:{policy.family(r.type, r.mode) or ''}:{r.date}:{town}"] = round(math.sqrt(policy.event_mark), 5)
    for kind, value in figures:
        if kind != "other" and value >= 20 and not (1900 <= value <= 2100 and float(value).is_integer()):
            v[f"#fig:{kind}:{value:g}"] = round(math.sqrt(policy.figure_mark), 5)
    return v


def blocking_keys(vector: dict[str, float], policy: Policy) -> list[str]:
    """The document's heaviest terms and its marks: the documents it is compared with share one."""
    terms = sorted((kv for kv in vector.items() if not kv[0].startswith("#")), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in terms[: policy.keys]] + sorted(k for k in vector if k.startswith("#"))


def doc_day(published: str | None, dates: Iterable[str | None]) -> str | None:
    """The day a document is placed at in time: its publication day, else the latest day its
    reports state."""
    if published and len(published) >= 10:
        return published[:10]
    days = sorted(d for d in dates if d and len(d) == 10)
    return days[-1] if days else None


def _similarities(docs: Sequence[StoryDoc], policy: Policy) -> np.ndarray:
    """All pairwise similarities at once, 0 outside the time window (the diagonal is not
    meaningful). Only terms two documents share count, multiplied a slice of columns at a
    time: small products, which a loaded machine's threaded BLAS does not slow down."""
    df = Counter(k for d in docs for k in d.vector)
    index = {k: i for i, k in enumerate(sorted(k for k, c in df.items() if c > 1))}
    m = np.zeros((len(docs), max(1, len(index))))
    for i, d in enumerate(docs):
        for k, x in d.vector.items():
            j = index.get(k)
            if j is not None:
                m[i, j] = x
    sim = np.zeros((len(docs), len(docs)))
    for c in range(0, m.shape[1], 64):
        part = m[:, c : c + 64]
        sim += part @ part.T
    day = np.array([_ordinal(d.day) for d in docs], dtype=float)  # nan: undated
    far = np.abs(day[:, None] - day[None, :]) > policy.window_days  # False where either is nan
    sim[far] = 0.0
    # a document with no date cannot be placed in the window: it joins only on strong evidence
    undated = np.isnan(day)
    weak = (undated[:, None] | undated[None, :]) & (sim < policy.strong_link)
    sim[weak] *= policy.undated_factor
    return sim


@lru_cache(maxsize=100_000)
def _ordinal(day: str | None) -> float:
    from datetime import date

    return float(date.fromisoformat(day).toordinal()) if day else float("nan")


def cluster_stories(docs: Sequence[StoryDoc], policy: Policy) -> list[list[StoryDoc]]:
    """Average-linkage clustering of the documents: the two groups whose documents are on
    average most similar merge, while that average reaches the policy's link. A pure function
    of the set of documents (ties go to the smaller document ids); a near copy is put with its
    original first, whatever its words."""
    docs = sorted(docs, key=lambda d: d.id)
    n = len(docs)
    sim = _similarities(docs, policy)
    pos = {d.id: i for i, d in enumerate(docs)}
    for i, d in enumerate(docs):  # copies sit with their originals
        if d.copy_of in pos:
            j = pos[d.copy_of]
            sim[i, j] = sim[j, i] = max(sim[i, j], 1.0)
    np.fill_diagonal(sim, -np.inf)
    best = sim.copy()  # the most similar pair of documents across two groups
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(groups) > 1:
        # two groups merge when their documents are on average similar enough, or when two of
        # them are very similar (a story's reports of one of its happenings, far from the rest)
        score = np.where(best >= policy.strong_link, np.maximum(sim, policy.link), sim)
        flat = int(np.argmax(score))  # the first maximum: the smallest (row, column), so ties are stable
        a, b = divmod(flat, n)
        if score[a, b] < policy.link:
            break
        a, b = min(a, b), max(a, b)
        na, nb = len(groups[a]), len(groups[b])
        merged = (na * sim[a] + nb * sim[b]) / (na + nb)  # Lance-Williams: the merged group's averages
        top = np.maximum(best[a], best[b])
        for mat, row in ((sim, merged), (best, top)):
            mat[a, :] = row
            mat[:, a] = row
            mat[a, a] = -np.inf
            mat[b, :] = -np.inf
            mat[:, b] = -np.inf
        groups[a] += groups.pop(b)
    return [[docs[i] for i in sorted(g)] for _, g in sorted(groups.items())]


def _anchor_key(published: str | None, doc_id: str) -> tuple[str, str]:
    return ((published or _UNDATED)[:10], doc_id)


def story_id(docs: Iterable[tuple[str | None, str]]) -> str:
    """A story's id, from its earliest document (by publication date, then document id)."""
    _, doc = min(_anchor_key(p, d) for p, d in docs)
    return "st-" + hashlib.sha256(doc.encode()).hexdigest()[:16]


# ---- events within a story ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Rep:
    id: str  # "document_id:index", the report's id
    document_id: str
    idx: int
    published: str | None
    seq: int
    type: str
    mode: str | None
    date: str | None
    place: str | None
    lat: float | None
    lon: float | None
    within: frozenset[str]  # the place and the places it lies in
    actors: frozenset[str] = frozenset()
    figures: frozenset[tuple[str, float]] = frozenset()
    status: str = "occurred"
    salience: str = "main"
    event: str | None = None  # the ledger event it is in now (None: not yet stored)
    fixed: bool = False  # a reviewer put it in that event or reviewed the event: it stays there


@dataclass(frozen=True, slots=True)
class EventDecision:
    id: str
    type: str
    mode: str | None
    date: str | None
    date_precision: str | None
    place: str | None
    first_seq: int
    reports: tuple[str, ...]
    status: str = "occurred"  # occurred | planned (planned or threatened) | denied


@dataclass(frozen=True, slots=True)
class StoryDecision:
    id: str
    documents: tuple[str, ...]  # its documents whose story is (re)decided here
    events: tuple[EventDecision, ...]  # its events as decided here (new or changed)
    size: int  # documents in the story
    centroid: dict[str, float]  # what a document is compared with once the story is large


@dataclass(frozen=True, slots=True)
class Decision:
    """The stories of the block the new document was compared with, as re-decided from their
    documents: each with all its documents and events; events no longer decided; stored
    reports that move to another event."""
    stories: tuple[StoryDecision, ...]
    removed_events: tuple[str, ...] = ()
    moved: tuple[tuple[str, str], ...] = ()  # (report id, event id)
    retired: tuple[str, ...] = ()  # stories merged into others or split up

    @property
    def events(self) -> tuple[EventDecision, ...]:
        return tuple(e for st in self.stories for e in st.events)


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Two stated dates that can be one happening's: equal, or a day inside a month (year)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _km(a: Rep, b: Rep) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _places(a: Rep, b: Rep) -> tuple[bool, bool]:
    """(compatible, same): no place does not contradict a place; one inside the other is the
    same; places far apart are not. Reports compared here are already in one story."""
    if not a.place or not b.place:
        return True, False
    if a.place == b.place or a.place in b.within or b.place in a.within:
        return True, True
    d = _km(a, b)
    if d is not None:
        return d <= _NEAR_KM, d <= _NEAR_KM / 4
    return True, False  # no coordinates and no known nesting: nothing says they differ


def _status_class(status: str) -> str:
    return "planned" if status in ("planned", "threatened") else status


def compatible(a: Rep, b: Rep, policy: Policy) -> bool:
    """Whether two reports can be one happening: type, mode family, status, date and place allow it."""
    if a.type != b.type or _status_class(a.status) != _status_class(b.status):
        return False
    fa, fb = policy.family(a.type, a.mode), policy.family(b.type, b.mode)
    if fa and fb and fa != fb:
        return False
    if a.date and b.date and not dates_compatible(a.date, b.date):
        return False
    return _places(a, b)[0]


def _evidence(r: Rep, members: list[Rep]) -> float:
    s = 0.0
    for m in members:
        s += 2.0 * _places(r, m)[1] + (r.date is not None and r.date == m.date and len(r.date) == 10)
        s += len(r.actors & m.actors) + 2.0 * len(r.figures & m.figures)
    return s / len(members) + 0.001 * len(members)


def _tier(r: Rep) -> int:
    prec = {10: 0, 7: 2, 4: 4}.get(len(r.date or ""), 6)
    return (0 if r.salience == "main" else 8) + prec + (0 if r.place else 1)


def cluster_events(reps: Iterable[Rep], policy: Policy, copy_of: dict[str, str] | None = None) -> list[list[Rep]]:
    """The story's reports grouped into happenings; the same set of reports gives the same
    groups whatever order it is given in. Copies (``copy_of``: document -> its original) do
    not change how their originals' reports group: a copy's report joins the event of its
    original's report of the same kind, date and place, else it is placed like any report."""
    copy_of = copy_of or {}
    reps = list(reps)
    # a reviewer's grouping stands: the reports of a reviewed event (or moved by a reviewer)
    # stay together in it, and later reports may join it like any event
    fixed: dict[str, list[Rep]] = {}
    for r in reps:
        if r.fixed and r.event:
            fixed.setdefault(r.event, []).append(r)
    reps = [r for r in reps if not (r.fixed and r.event)]
    clusters = _tiered([r for r in reps if r.document_id not in copy_of], policy,
                       [sorted(fixed[e], key=lambda r: (r.document_id, r.idx)) for e in sorted(fixed)])
    copies = sorted((r for r in reps if r.document_id in copy_of), key=lambda r: (r.document_id, r.idx))
    home = {(r.document_id, r.type, policy.family(r.type, r.mode), r.date, r.place): c for c in clusters for r in c}
    rest = []
    for r in copies:
        c = home.get((copy_of[r.document_id], r.type, policy.family(r.type, r.mode), r.date, r.place))
        if c is not None:
            c.append(r)
        else:
            rest.append(r)
    return _tiered(rest, policy, clusters) if rest else clusters


def _tiered(reps: Iterable[Rep], policy: Policy, clusters: list[list[Rep]]) -> list[list[Rep]]:
    """The reports placed tier by tier, most specific first: each joins the earlier cluster it
    agrees with entirely and shares most with (those given included), or founds one."""
    by_tier: dict[int, list[Rep]] = {}
    for r in sorted(reps, key=lambda r: (r.document_id, r.idx)):
        by_tier.setdefault(_tier(r), []).append(r)
    clusters = list(clusters)
    for tier in sorted(by_tier):
        background = tier >= 8
        settled = [c for c in clusters if any(m.salience == "main" for m in c)] if background else list(clusters)
        fresh: list[Rep] = []
        for r in by_tier[tier]:
            best, best_s = None, -1.0
            for c in settled:
                if all(compatible(r, m, policy) for m in c):
                    s = _evidence(r, c)
                    if s > best_s:
                        best, best_s = c, s
            if best is not None:
                best.append(r)
            else:
                fresh.append(r)
        # what joined no earlier cluster: compatible reports of this tier together; background
        # ones only with their own document's (a recap never joins two documents on its own)
        new: list[list[Rep]] = []
        for r in fresh:
            home = [c for c in new if all(compatible(r, m, policy) for m in c)
                    and (not background or all(m.document_id == r.document_id for m in c))]
            if home:
                max(home, key=lambda c: (_evidence(r, c), -new.index(c))).append(r)
            else:
                new.append([r])
        clusters += new
    return clusters


def event_id(members: Iterable[Rep]) -> str:
    """From the earliest main report (publication date, document id, index); the earliest
    report when there is no main one. An event a reviewer fixed keeps its id."""
    ms = list(members)
    reviewed = sorted({m.event for m in ms if m.fixed and m.event})
    if reviewed:
        return reviewed[0]
    pool = [m for m in ms if m.salience == "main"] or ms
    first = min(pool, key=lambda m: (*_anchor_key(m.published, m.document_id), m.idx))
    return "ev-" + hashlib.sha256(f"{first.document_id}:{first.idx}".encode()).hexdigest()[:16]


def _most_common(values: Iterable[str]) -> str | None:
    """The most frequent value, the smallest of those equally frequent; None for none."""
    c = Counter(values)
    if not c:
        return None
    return min(c, key=lambda v: (-c[v], v))


def describe(members: list[Rep], policy: Policy) -> EventDecision:
    """What the ledger event is: its most reported mode; its most precise date, the one most
    reports give; its most specific place."""
    main = [m for m in members if m.salience == "main"] or members
    mode = _most_common(m.mode for m in main if m.mode) or _most_common(m.mode for m in members if m.mode)
    date = None
    for n in (10, 7, 4):
        date = _most_common(m.date for m in members if m.date and len(m.date) == n)
        if date:
            break
    places = [m for m in members if m.place]
    place = None
    if places:
        inner = [m for m in places if all(o.place in m.within or _places(m, o)[0] for o in places)]
        deepest = max(len(m.within) for m in inner or places)
        place = _most_common(m.place for m in (inner or places) if len(m.within) == deepest)  # type: ignore[misc]
    prec = {10: "day", 7: "month", 4: "year"}.get(len(date or ""))
    return EventDecision(event_id(members), members[0].type, mode, date, prec, place, min(m.seq for m in members),
                         tuple(sorted(m.id for m in members)), _status_class(members[0].status))


class StoryReader(Protocol):
    """What the decision reads, through the store."""

    def story_block(self, keys: list[str], day: str | None, window_days: int, also: list[str]) -> list[StoryDoc]: ...
    def story_members(self, story_ids: list[str]) -> list[StoryDoc]: ...
    def story_reports(self, doc_ids: list[str]) -> list[Rep]: ...
    def story_event_ids(self, story_ids: list[str]) -> list[str]: ...
    def story_sizes(self, story_ids: list[str]) -> dict[str, tuple[int, dict[str, float]]]: ...
    def story_events(self, story_id: str, type_: str, date: str | None) -> list[Rep]: ...


def centroid(vectors: Iterable[dict[str, float]], policy: Policy, weights: Iterable[float] | None = None) -> dict[str, float]:
    """The unit-length sum of the vectors (its heaviest terms): a story's summary."""
    total: dict[str, float] = {}
    for v, w in zip(vectors, weights or iter(lambda: 1.0, None)):
        for k, x in v.items():
            total[k] = total.get(k, 0.0) + w * x
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[: policy.terms]
    norm = math.sqrt(sum(x * x for _, x in top)) or 1.0
    return {k: round(x / norm, 4) for k, x in top}


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


def decide(reader: StoryReader, new: StoryDoc, new_reps: list[Rep], policy: Policy) -> Decision:
    """Read once, decide. The block is the new document, the documents sharing its rarest
    terms or marks within the time window, and the rest of their stories. While the block is
    small (policy.max_block documents) its stories are re-clustered from all its documents,
    and each story's events from all its reports, so the result depends on which documents
    there are, not on the order they came in. A larger block (a story that has grown large,
    a crowded day) is decided incrementally, at a bounded cost: the new document joins the
    story whose summary (centroid) it is most similar to, and each of its reports the
    compatible event of that story it shares most with."""
    found = reader.story_block(blocking_keys(new.vector, policy), new.day, policy.window_days,
                               [new.copy_of] if new.copy_of else [])
    old_stories = sorted({d.story for d in found if d.story})
    sizes = reader.story_sizes(old_stories) if old_stories else {}
    if sum(n for n, _ in sizes.values()) + 1 > policy.max_block:
        return _decide_large(reader, new, new_reps, found, sizes, policy)
    members = [d for d in reader.story_members(old_stories) if d.id != new.id] if old_stories else []
    docs = [*members, new]
    clusters = cluster_stories(docs, policy)
    before: dict[str, set[str]] = {}
    for d in members:
        before.setdefault(d.story or "", set()).add(d.id)
    kept = {sid for sid, was in before.items() if any({d.id for d in c} == was for c in clusters)}
    clusters = [c for c in clusters if not any({d.id for d in c} == before[sid] for sid in kept)]
    reps_by_doc: dict[str, list[Rep]] = {new.id: list(new_reps)}
    for r in reader.story_reports([d.id for c in clusters for d in c if d.id != new.id]):
        reps_by_doc.setdefault(r.document_id, []).append(r)
    stories = []
    for c in clusters:
        ids = {d.id for d in c}
        reps = [r for d in c for r in reps_by_doc.get(d.id, ())]
        copies = {d.id: d.copy_of for d in c if d.copy_of}
        events = tuple(sorted((describe(g, policy) for g in cluster_events(reps, policy, copies)), key=lambda e: e.id))
        stories.append(StoryDecision(story_id((d.published, d.id) for d in c), tuple(sorted(ids)), events,
                                     len(c), centroid((d.vector for d in c), policy)))
    stories.sort(key=lambda st: st.id)
    stories = _unique_event_ids(stories)
    event_of = {r: e.id for st in stories for e in st.events for r in e.reports}
    changed = [sid for sid in old_stories if sid not in kept]
    old = set(reader.story_event_ids(changed)) if changed else set()
    removed = tuple(sorted(old - set(event_of.values())))
    moved = tuple(sorted((r.id, event_of[r.id]) for rs in reps_by_doc.values() for r in rs
                         if r.id in event_of and r.event is not None and r.event != event_of[r.id]))
    retired = tuple(sorted(set(changed) - {st.id for st in stories}))
    return Decision(tuple(stories), removed, moved, retired)


def _unique_event_ids(stories: list[StoryDecision]) -> list[StoryDecision]:
    """A reviewed event's reports split over two stories: the event's id stays with the first
    story; the later story's part gets an id of its own."""
    seen: set[str] = set()
    out = []
    for st in stories:
        evs = []
        for e in st.events:
            if e.id in seen:
                e = replace(e, id="ev-" + hashlib.sha256(f"split:{e.id}:{st.id}".encode()).hexdigest()[:16])
            seen.add(e.id)
            evs.append(e)
        out.append(replace(st, events=tuple(sorted(evs, key=lambda e: e.id))) if evs != list(st.events) else st)
    return out


def _decide_large(reader: StoryReader, new: StoryDoc, new_reps: list[Rep], found: list[StoryDoc],
                  sizes: dict[str, tuple[int, dict[str, float]]], policy: Policy) -> Decision:
    forced = next((d.story for d in found if new.copy_of and d.id == new.copy_of and d.story), None)
    votes: dict[str, int] = {}
    for d in found:
        if d.story in sizes:
            votes[d.story] = votes.get(d.story, 0) + 1
    best, best_s = forced, policy.link
    if best is None:
        for sid in sorted(votes, key=lambda x: (-votes[x], x))[: policy.large_candidates]:
            s = _cos(new.vector, sizes[sid][1])
            if s >= best_s and (best is None or s > best_s):
                best, best_s = sid, s
    if best is None:
        sid, size, cen = story_id([(new.published, new.id)]), 1, new.vector
    else:
        n, old = sizes[best]
        sid, size, cen = best, n + 1, centroid([old, new.vector], policy, [float(n), 1.0])
    events: dict[str, tuple[EventDecision, Rep]] = {}
    for r in sorted(new_reps, key=lambda r: (_tier(r), r.idx)):
        cands: list[tuple[EventDecision, Rep]] = [v for v in events.values() if v[1].type == r.type]
        if best is not None:
            for e in reader.story_events(sid, r.type, r.date):
                if e.event not in events:
                    cands.append((EventDecision(e.event or "", e.type, e.mode, e.date, _prec(e.date), e.place, e.seq, (),
                                                _status_class(e.status)), e))
        fit = [(c, e) for c, e in cands if compatible(r, e, policy)]
        if fit:
            c, e = max(fit, key=lambda ce: (_evidence(r, [ce[1]]), ce[0].id))
            date = e.date if e.date and len(e.date) >= len(r.date or "") else r.date
            place = r.place if r.place and (not e.place or e.place in r.within) else e.place
            merged = Rep(e.id, e.document_id, e.idx, e.published, min(e.seq, r.seq), e.type, e.mode or r.mode, date,
                         place, r.lat if place == r.place else e.lat, r.lon if place == r.place else e.lon,
                         r.within if place == r.place else e.within, e.actors | r.actors, e.figures | r.figures,
                         e.status, "main" if "main" in (e.salience, r.salience) else e.salience, c.id)
            events[c.id] = (EventDecision(c.id, c.type, merged.mode, date, _prec(date), place, merged.seq,
                                          (*c.reports, r.id), c.status), merged)
        else:
            eid = event_id([r])
            events[eid] = (EventDecision(eid, r.type, r.mode, r.date, _prec(r.date), r.place, r.seq, (r.id,),
                                         _status_class(r.status)), replace(r, event=eid))
    st = StoryDecision(sid, (new.id,), tuple(sorted((e for e, _ in events.values()), key=lambda e: e.id)), size, cen)
    return Decision((st,))


def _prec(date: str | None) -> str | None:
    return {10: "day", 7: "month", 4: "year"}.get(len(date or ""))
