"""Named people, organizations and places: found in capitalised runs, classified by the
domain profile, the package gazetteer and the words around them, then resolved within
the document (surnames, acronyms, titles) into one entity per referent.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from eventledger.extract.names import NameModel, name_model
from eventledger.extract.sentences import Sentence
from eventledger.extract.tokens import Token, name_tokens
from eventledger.gazetteer import GeoPlace
from eventledger.nouns import common_noun, lemma, noun_class, proper_place
from eventledger.profile import Profile, ProfileEntity, norm_key, slug
from eventledger.records import Document, Entity, Mention, span

__all__ = ["extract_entities"]

log = logging.getLogger(__name__)

_LOCATIVE = {"in", "at", "near", "from", "to", "outside", "across", "around", "inside", "into", "toward", "towards", "throughout", "through", "of"}
_QUOTE_OPEN = "\"“‘'("
_QUOTE_OPEN_CHARS = frozenset(_QUOTE_OPEN)  # one set test, not a generator over the characters
# what follows a city opening a story's dateline: ", State", "(Agency)", a dash
_DATELINE_AFTER_RE = re.compile(r",\s+[A-Z]|\s+\(|\s+[—–-]")
_QUOTE_BEFORE_CHARS = frozenset("\"“‘(")
_MAX_RUN = 64  # capitalised words in one run looked at together (no name is longer)


_LIST_RE = re.compile(r"\b([a-z]+)\s*,?\s+(?:such as|like|including|among them|namely)\s+((?:[^.;:]*?)(?:,\s+|\s+and\s+|\s+or\s+))?$")
_ON_BEFORE_RE = re.compile(r"(?<!said )(?<!says )(?<!wrote )(?<!posted )(?<!appeared )(?<!spoke )(?<!commented )"
                           r"(?<!tweeted )(?<!announced )(?<!shared )(?<!interview )(?<!statement )\b(?:on|along|off|onto)\s+$")
_SAYS_AFTER_RE = re.compile(r"[’']?s?,?\s+(?:said|says|told|who|whose|a|an|the)\b")
_PLACE_CUE_AFTER_RE = re.compile(r"\s+(?:near|between|at|and|&|toward|towards|from|in front of|outside|by)\s")
_ORDINAL_WORDS = frozenset("First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth".split())  # "Third Avenue"
_ORDINAL_RE = re.compile(r"^\d{1,4}(?:st|nd|rd|th)$")
_PAREN_ACRO_RE = re.compile(r"\s*\(([A-Z][A-Za-z.&-]{1,9})\)")
# patterns asked per name or mention, compiled once (re's cache lookup costs as much as a short search)
_QUOTE_END_RE = re.compile(r"[”\"],?\s*$")
_POSSESSIVE_END_RE = re.compile(r"[’']s$")
_LOWER_WORD_AFTER_RE = re.compile(r" ([a-z][a-z-]+)\b")
_WORD_BEFORE_RE = re.compile(r"(?:^|[^\w’'-])(\w+) $")
_WORD_COMMA_END_RE = re.compile(r"[A-Za-z.]+,\s*$")
_CAPITAL_AFTER_RE = re.compile(r"\s+[A-Z]")
_LOWER_AFTER_RE = re.compile(r" [a-z]")
_COMMA_CAPITAL_RE = re.compile(r",\s+[A-Z]")
_LISTED_BEFORE_RE = re.compile(r"([A-Z][\w.’'-]*)(?:,\s+|,?\s+(?:and|or)\s+)$")
_LISTED_AFTER_RE = re.compile(r"(?:,\s+|,?\s+(?:and|or)\s+)([A-Z][\w.’'-]*)")
_LAST_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")
_SPEECH_AFTER_RE = re.compile(r"^[’']?s?\s+(?:said|says|told|wrote|added|stated|explained|argued|noted|declared|who)\b")
_SPEECH_BEFORE_RE = re.compile(r"\b(?:said|says|according to|told)\s*$")
_COMMA_AND_END_RE = re.compile(r"(?:,|\band)\s*$")
_TWO_NAMES_END_RE = re.compile(r"[A-Z][a-z]+ [A-Z][a-z]+,?\s*(?:and)?\s*$")
_WORD_CHAR_RE = re.compile(r"\w")
_INITIAL_RE = re.compile(r"[A-Z]\.")
_PARENTHESES_RE = re.compile(r"\([^)]*\)")
_LIST_ENDED_RE = re.compile(r"(?<![\w-])(?!(?:and|or|de|del|la|of|the)\b)[a-z][a-z]*\b")


def _conn(t: Token, connectors: frozenset[str]) -> bool:
    """A lower-case word that may join the parts of a name ("Department of Justice", "Beto
    de la Cruz"): ``connectors`` is the name model's (grammar words and the profile's particles)."""
    return t.norm in connectors and (t.text.islower() or t.text == "&")  # the set test first: most words fail it


@dataclass(slots=True)  # (made some thirty times a document: slots make it and read it faster)
class Cand:
    """A candidate mention: where, what kind, and how it was recognised."""

    start: int
    end: int
    kind: str | None  # person | organization | place | None (undecided single word / unknown)
    key: str  # profile id, or kind:slug for new entities, or '' while undecided
    surface: str
    tokens: tuple[Token, ...]
    role: str | None = None
    geo: GeoPlace | None = None
    how: str = ""
    aliases: list[str] = field(default_factory=list)


_HEADLINE_WORD_RE = re.compile(r"[A-Za-z][\w’'-]*")


def _is_headline(line: str) -> bool:
    if line.rstrip().endswith((".", "?\"", ".”", ".\"")):  # a sentence's end: before the words are read
        return False
    words = _HEADLINE_WORD_RE.findall(line)
    if not words or len(words) > 22:
        return False
    big = [w for w in words if len(w) > 3]
    return bool(big) and sum(w[0].isupper() for w in big) / len(big) >= 0.7 and len(words) >= 3


class _Finder:
    """One document's entity finding; holds the per-document evidence."""

    def __init__(self, text: str, sentences: Sequence[Sentence], doc: Document,
                 excluded: Sequence[Mention], profile: Profile) -> None:
        self.text = text
        self.doc = doc
        self.profile = profile
        self.nm: NameModel = name_model(profile)
        self.conns = self.nm.connectors
        self.excluded = sorted((m.start, m.end) for m in excluded)
        self.sentences = sentences
        # the words outside the excluded spans, less the lower-case ones no name holds (see runs)
        self.tokens, lower_words, self._after_left_out = name_tokens(text, self.nm.name_lower_words, self.excluded)
        # evidence: words seen lower-case, capitalised words seen mid-sentence
        sent_starts = {s.start for s in sentences}
        self.headline_lines = self._headline_spans()
        self._hl_starts = [s for s, _ in self.headline_lines]
        midcap: list[str] = []
        in_headline = self._in_headline if self.headline_lines else None  # most texts have none
        for s, _, _, norm, cap in self.tokens:  # (unpacked: no attribute lookups)
            if cap and s not in sent_starts and not (in_headline and in_headline(s)):
                prev = text[max(0, s - 2) : s]
                if _QUOTE_OPEN_CHARS.isdisjoint(prev) and ":" not in prev:
                    midcap.append(norm)
        self.lower_words = lower_words
        self.midcap = Counter(midcap)  # counted in C
        self.sent_starts = sent_starts
        self.cands: list[Cand] = []

    # ---- helpers -------------------------------------------------------------------------
    def _headline_spans(self) -> list[tuple[int, int]]:
        out, pos = [], 0
        for line in self.text.split("\n"):
            if _is_headline(line):
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out

    def _in_headline(self, pos: int) -> bool:
        if not self._hl_starts:  # most texts have no headline line
            return False
        i = bisect_right(self._hl_starts, pos) - 1
        return i >= 0 and pos < self.headline_lines[i][1]

    def _name_evidence(self, t: Token, headline: bool = False) -> bool:
        """A capitalised word at a sentence start or in a headline is a name only with evidence."""
        if t.text in self.nm.stop:  # no evidence makes a stopword a name: the cheap test first
            return False
        if headline:
            return self.midcap[t.norm] > 0 or t.norm in self.nm.alias_tokens or proper_place(t.norm)
        return (
            self.midcap[t.norm] > 0
            or self.midcap[t.base] > 0
            or t.norm in self.nm.alias_tokens
            or t.base in self.nm.alias_tokens
            or self.nm.first_name(t.text)
            or t.upper
            or bool(self.nm.geo.places.get(t.norm))
            or (bool(_QUOTE_END_RE.search(self.text[max(0, t.start - 4) : t.start]))
                and bool(_QUOTED_SPEAKER_RE.match(self.text[t.end : t.end + 16])))  # '” Okonjo said'
        )

    # ---- runs --------------------------------------------------------------------------------
    def runs(self) -> list[list[Token]]:
        toks, text, conns = self.tokens, self.text, self.conns
        runs: list[list[Token]] = []
        cur: list[Token] = []

        heads = self.nm.numbered_heads

        def close() -> None:
            nonlocal cur
            if not cur:  # most words close no run: nothing to trim or cut
                return
            while cur and (_conn(cur[-1], conns) or cur[-1].text.isdigit() and not (
                    len(cur) > 1 and (cur[-2].upper or cur[-2].text in heads))):
                cur.pop()
            # no name is _MAX_RUN words long: longer runs (a title-case page) are taken in pieces,
            # as _shape's peeling of one word at a time would recurse once per word
            for k in range(0, len(cur), _MAX_RUN):
                runs.append(cur[k : k + _MAX_RUN])
            cur = []

        comma_names, after_left_out = self.nm.comma_names, self._after_left_out
        until = -1  # the end of a name with commas being read
        for i, t in enumerate(toks):
            if t.start < until:
                cur.append(t)
                continue
            if cur and t.start in after_left_out:
                close()  # where the lower-case word left out of the tokens would have closed the run
            if cur:  # _joinable(cur[-1], t), inline: it is asked for every word of a run
                gap = t.start - cur[-1].end
                gap_ok = gap == 1 and text[t.start - 1] == " " or gap == 0 and t.text == "&"
            else:
                gap_ok = False
            if t.cap and t.text in comma_names:
                name = next((a for a in comma_names[t.text] if text.startswith(a, t.start)), None)
                if name:
                    close()
                    cur.append(t)
                    until = t.start + len(name)
                    continue
            if t.cap:
                if cur and not gap_ok:
                    close()
                cur.append(t)
            elif t.text[0].isdigit() and ((t.text.isdigit() and len(t.text) <= 4) or _ORDINAL_RE.match(t.text)):
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                if cur and gap_ok and (cur[-1].upper or cur[-1].text in heads) and t.text.isdigit():
                    cur.append(t)  # "FOX 5", "Teamsters Local 804", "Joint Task Force 9"
                elif nxt is not None and nxt.cap and self._joinable(t, nxt) and (not cur or gap_ok and _ORDINAL_RE.match(t.text)):
                    if cur and not gap_ok:
                        close()
                    cur.append(t)  # "26 Federal Plaza", "82nd Airborne Division", "West 23rd Street"
                else:
                    close()
            elif gap_ok and _conn(t, conns):  # (gap_ok: a run is open; the cheap test first, most words close none)
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                if nxt is not None and nxt.cap and self._joinable(t, nxt):
                    cur.append(t)
                else:
                    close()
            elif cur:
                close()
        close()
        return runs

    def _joinable(self, a: Token, b: Token) -> bool:
        gap = self.text[a.end : b.start]
        return gap == " " or (gap == "" and b.text == "&")

    # ---- classification of a run -----------------------------------------------------------
    def _recased(self, run: list[Token]) -> list[Token]:
        """An ALL-CAPS run ("DHS SECRETARY KRISTI NOEM") read as if it were title case; an
        all-caps acronym the profile knows ("ICE") keeps its case. Offsets do not change."""
        out: list[Token] = []
        for t in run:
            if t.text in self.nm.upper_aliases or t.text[0].isdigit():
                out.append(t)
            elif t.norm in self.conns and out:  # "BUREAU OF INVESTIGATION", but "LOS ANGELES" opens a name
                out.append(Token(t.start, t.end, t.text.lower(), t.norm, False))
            else:
                out.append(Token(t.start, t.end, t.text[0] + t.text[1:].lower(), t.norm, True))
        return out

    def classify_run(self, run: list[Token]) -> None:
        # (the first word tested before the generator is made: most runs are not in capitals)
        if len(run) >= 2 and (run[0].upper or run[0].text[0].isdigit() or len(run[0].text) == 1) \
                and all(t.upper or t.text[0].isdigit() or len(t.text) == 1 for t in run) \
                and sum(len(t.text) >= 3 and t.text not in self.nm.upper_aliases for t in run) >= 2:
            run = self._recased(run)
        # leading words that are not names: sentence-initial common words, stopwords
        while run:
            t = run[0]
            if t.text in self.nm.operation_words:
                break  # "Operation Mile High" after a quote or opening a sentence: an operation's name, kept whole
            first_in_sent = t.start in self.sent_starts or self._after_quote(t)
            if (t.text in self.nm.stop and not self._alias_starts(run) and not self._title_first(run)
                    and not (t.text in _ORDINAL_WORDS and len(run) >= 2 and self._pattern_kind(run))) \
                    or _conn(t, self.conns) or t.text.isdigit() and len(run) == 1:
                run = run[1:]
            elif (first_in_sent or self._in_headline(t.start)) and not self._name_evidence(t) and not self._alias_starts(run) \
                    and not self._title_first(run) and not self._place_phrase_at(run):
                run = run[1:]
            else:
                break
        if not run:
            return
        if self._in_headline(run[0].start):
            # in a headline only words with evidence of being names count
            pieces, cur = [], []
            named = set()  # tokens of a place name of several words ("Canary Islands")
            for k in range(len(run) - 1):
                for n in (3, 2):
                    phrase = " ".join([t.norm for t in run[k : k + n]])
                    if len(run[k : k + n]) == n and (proper_place(phrase) or self.nm.geo.places.get(phrase)):
                        named.update(range(k, k + n))
            for k, t in enumerate(run):
                if k in named or self._name_evidence(t, headline=True) or cur and (_conn(t, self.conns) or t.text in self.nm.place_heads or t.text in self.nm.org_heads):
                    cur.append(t)
                else:
                    if cur:
                        pieces.append(cur)
                    cur = []
            if cur:
                pieces.append(cur)
            for p in pieces:
                if not self._known(p) and not proper_place(" ".join([t.norm for t in p])) \
                        and all((common_noun(t.text) or t.norm in self.lower_words)
                                              and not self.nm.geo.places.get(t.norm) for t in p):
                    continue  # capitalised common words of a title-case headline ("Detention Camp")
                self._classify(p)
            return
        self._classify(run)

    def _place_phrase_at(self, run: list[Token]) -> bool:
        """The run opens with a place name of two or three words ("Canary Islands", "Big Sur")."""
        for n in (3, 2):
            if len(run) >= n:
                phrase = " ".join([t.norm for t in run[:n]])
                if proper_place(phrase) or self.nm.geo.places.get(phrase):
                    return True
        return False

    def _after_quote(self, t: Token) -> bool:
        prev = self.text[max(0, t.start - 2) : t.start]
        return not _QUOTE_BEFORE_CHARS.isdisjoint(prev) or prev.endswith(": ") or prev.endswith("— ")

    def _title_first(self, run: list[Token]) -> bool:
        """The run opens with a title of several words ("Council Member Aisha Chughtai")."""
        return run[0].text in self.nm.title_first_words \
            and any(" ".join([t.text for t in run[:k]]) in self.nm.titles for k in (2, 3) if len(run) > k)

    def _alias_starts(self, run: list[Token]) -> bool:
        return len(run) > 1 and (" ".join([t.norm for t in run[:2]]) in self.nm.alias_prefixes
                                 or f"{run[0].norm} {run[1].base}" in self.nm.alias_prefixes)

    def _classify(self, run: list[Token]) -> None:
        # drop trailing/leading connectors
        while run and (_conn(run[0], self.conns) or run[0].text[0].isdigit() and not (
                self._pattern_kind(run) == "place" or _ORDINAL_RE.match(run[0].text) and self._pattern_kind(run))):
            run = run[1:]
        while run and (_conn(run[-1], self.conns) or len(run) > 1 and run[-1].text in self.nm.not_entity_words):
            run = run[:-1]  # "... Glenn Valley Foods Tuesday": a weekday or month ends no name
        if not run:
            return
        if self.nm.not_entity_key(" ".join([t.text for t in run])):
            return
        if run[0].text in self.nm.operation_words:
            return
        # "the U.S. Department of State’s Diplomatic Security Service", "Chicago’s Little Village": two names
        for k, t in enumerate(run[:-1]):
            if not (t.text.endswith(("’s", "'s")) and run[k + 1].cap):
                continue
            j = max((i + 1 for i in range(k) if run[i].norm in ("and", "&")), default=0)
            left = run[j : k + 1]
            if self._known(left) or self._profile_lookup(" ".join([x.norm for x in left[:-1]] + [t.base]), left) \
                    or self._headed(left) or len(left) == 1 and self.nm.geo.places.get(t.base):
                if j > 1:
                    self._classify(run[: j - 1])
                self._classify(left)
                self._classify(run[k + 1 :])
                return
        # titles: "Los Angeles Mayor Karen Bass", "Homeland Security Secretary Kristi Noem"
        ti = self._title_at(run)
        if ti is not None:
            i, j = ti
            before, title, after = run[:i], run[i:j], run[j:]
            if before:
                self._classify(before)
            if after and (self._titles_only(after) or len(after) == 1 and (after[0].upper or self.profile.lookup(after[0].text, "organization"))):
                self._classify(after)  # "Acting ICE Director", "a Deputy U.S. Marshal": no one is named
            elif after:
                conns = [k for k, t in enumerate(before) if _conn(t, self.conns)]
                rs = before[conns[-1] + 1].start if conns and conns[-1] + 1 < len(before) else (title[0].start if conns else run[0].start)
                role = self.text[rs : title[-1].end]
                self._person(after[:5], role=role, how="title")
                if len(after) > 5:
                    self._classify(after[5:])
            return
        # the whole run as a known name
        if self._profile_whole(run):
            return
        # "Immigration and Customs Enforcement (ICE)": a name defined by its acronym
        m = _PAREN_ACRO_RE.match(self.text, run[-1].end)
        if m and len(run) >= 2 and not self._title_at(run):
            ents = self.profile.lookup(m.group(1), "organization")
            if ents:
                self._add_profile(run, ents[0])
            else:
                self._add(run, "organization", how="defined")
                self.cands[-1].aliases.append(m.group(1))
            return
        if len(run) >= 3 and any(t.norm in ("and", "of") for t in run) and not self._pattern_kind(run):
            hit = self.nm.fuzzy_org(" ".join([t.text for t in run]))
            if hit:
                self._add_profile(run, self.profile.by_id[hit])
                return
        # "FBI and Drug Enforcement Administration": two names joined by "and"
        for k, t in enumerate(run):
            if t.norm in ("and", "&") and 0 < k < len(run) - 1:
                left, right = run[:k], run[k + 1 :]
                if self._known(left) or self._known(right) or self._headed(left) and (self._pattern_kind(right) or len(right) <= 3):
                    # "14th Street and Mission Avenue", "82nd Airborne Division and Joint Task Force 9":
                    # two names, each with its own head word
                    self._classify(left)
                    self._classify(right)
                    return
        # an unknown name followed by "neighborhood", "bridge"...: a place
        pa = self.nm.place_after_re
        if pa is not None and pa.match(self.text, run[-1].end) and not self._known(run) \
                and not self.nm.geo.places.get(" ".join([t.norm for t in run])):
            self._add(run, "place", how="pattern")
            return
        # an organization or place by its head word ("... Police Department", "... Avenue")
        kind = self._pattern_kind(run)
        if kind and not self._junk_prefix(run):
            self._add(run, kind, how="pattern")
            return
        # split at words that are never part of a name (months, weekdays, demonyms...)
        for i, t in enumerate(run):
            if t.text in self.nm.not_entity_words or t.text in self.nm.demonyms or self._possessive_base(t) in self.nm.demonyms:
                if i:
                    self._classify(run[:i])
                if i + 1 < len(run):
                    self._classify(run[i + 1 :])
                return
        # known names inside the run, longest first; what is left is classified by its shape
        self._greedy(run)

    def _org_list_item(self, start: int) -> bool:
        """The name is an item of a list that a noun for organizations introduces: "criminal
        organizations such as MS-13, Barrio Azteca and ..." (WordNet: the noun names a group)."""
        seg = self.text[max(0, start - 200) : start]
        if not any(w in seg for w in (" such as ", " like ", " including ", " among them ", " namely ")):
            return False
        m = _LIST_RE.search(seg)
        if m is None:
            return False
        items = _PARENTHESES_RE.sub("", m.group(2) or "")
        if _LIST_ENDED_RE.search(items):
            return False  # the list has ended: a lower-case word came between
        lem = lemma(m.group(1))
        return lem is not None and lem not in ("people", "family", "folk") and noun_class(lem) == "group"

    def _street_after_on(self, run: list[Token], first_name: bool) -> bool:
        """A name after "on", "along" or "off" is a street when nothing makes it a person's: no
        first name, or words of place after it ("near the park", "and Fifth Avenue")."""
        if not _ON_BEFORE_RE.search(self.text, max(0, run[0].start - 20), run[0].start) or run[-1].text.endswith(("’s", "'s")):
            return False
        if not first_name:
            return not _SAYS_AFTER_RE.match(self.text, run[-1].end)
        return bool(_PLACE_CUE_AFTER_RE.match(self.text, run[-1].end))

    def _titles_only(self, run: Sequence[Token]) -> bool:
        return all(t.text in self.nm.titles or t.text in self.nm.title_modifiers or t.text in self.nm.not_acronyms
                   or any(g.kind == "country" for g in self.nm.geo.places.get(t.norm, ())) for t in run)

    def _whole_line(self, run: list[Token]) -> bool:
        """The run is all the words of its line (bullets, emoji and spaces aside)."""
        a = self.text.rfind("\n", 0, run[0].start) + 1
        b = self.text.find("\n", run[-1].end)
        b = len(self.text) if b < 0 else b
        return not _WORD_CHAR_RE.search(self.text[a : run[0].start]) and not _WORD_CHAR_RE.search(self.text[run[-1].end : b])

    def _headed(self, run: list[Token]) -> bool:
        """The run ends in a head word of a place or organization, or a number after one."""
        if len(run) < 2:
            return False
        last = self._possessive_base(run[-1])
        return (last in self.nm.place_heads or last in self.nm.org_heads
                or last.isdigit() and run[-2].text in self.nm.numbered_heads)

    def _known(self, run: list[Token]) -> bool:
        key = " ".join([t.norm for t in run])
        bkey = " ".join([t.norm for t in run[:-1]] + [run[-1].base]) if run else ""
        return bool(run) and (key in self.profile.alias_index or bkey in self.profile.alias_index
                              or (len(run) == 1 and run[0].upper))

    def _junk_prefix(self, run: list[Token]) -> bool:
        """Words before a known name that nothing says are names ("Brief More National Guard")."""
        for k in range(1, len(run) - 1):
            if self._known(run[k:]):
                return not all(t.norm in self.nm.alias_tokens or _conn(t, self.conns) or self.nm.geo.places.get(t.norm)
                               or t.upper for t in run[:k])
        return False

    def _possessive_base(self, t: Token) -> str:
        w = t.text
        return w[:-2] if w.endswith(("'s", "’s")) else w

    def _title_at(self, run: list[Token]) -> tuple[int, int] | None:
        """(start, end) of the last title in the run that a capitalised name follows."""
        best = None
        first = self.nm.title_first_words
        for i in range(len(run)):
            if run[i].text not in first and run[i].text.split("-", 1)[0] not in first:
                continue  # no title opens with the word: no phrase to join and look up
            for j in range(min(len(run) - 1, i + 3), i, -1):
                phrase = " ".join([t.text for t in run[i:j]])
                if j == i + 1 and "-" in phrase:  # "Commander-at-Large", "Editor-in-Chief": the title before the hyphen
                    phrase = phrase.split("-", 1)[0]
                if phrase in self.nm.titles and run[j].cap and run[j].text not in self.nm.stop \
                        and run[j].text not in self.nm.titles and run[-1].text not in self.nm.org_heads \
                        and run[-1].text not in self.nm.place_heads:
                    best = (i, j)
                    break
        if best is not None:
            # words before a title that make it longer: "Deputy Press Secretary", "Acting Field Office Director"
            i, mods, titles = best[0], self.nm.title_modifiers, self.nm.titles
            while i > 0:
                if run[i - 1].text in mods or run[i - 1].text in titles:
                    i -= 1
                elif i > 1 and f"{run[i - 2].text} {run[i - 1].text}" in mods:
                    i -= 2
                else:
                    break
            best = (i, best[1])
        return best

    def _profile_whole(self, run: list[Token]) -> bool:
        key = " ".join([t.norm for t in run])
        ents = self._profile_lookup(key, run)
        if not ents and run[-1].text.endswith(("'s", "’s")):
            key2 = " ".join([t.norm for t in run[:-1]] + [run[-1].norm[:-1]])
            ents = self._profile_lookup(key2, run)
            if ents:
                self._add_profile(run, ents[0], possessive=True)
                return True
        if ents:
            self._add_profile(run, ents[0])
            return True
        return False

    def _profile_lookup(self, key: str, run: Sequence[Token]) -> list[ProfileEntity]:
        ids = self.profile.alias_index.get(key, ())
        out = []
        for i in ids:
            e = self.profile.by_id[i]
            if e.context:
                before = self.text[max(0, run[0].start - 12) : run[0].start].lower().split()
                if not any(w in before[-2:] for w in e.context):
                    continue
                if len(run) == 1 and len(run[0].text) == 1 and run[0].text != run[0].text.upper():
                    continue
            if e.kind == "place" and e.type not in ("state", "country") and run:
                m = _STATE_AFTER_RE.match(self.text, run[-1].end)
                code = m and (self.nm.state_code(m.group(1)) or self.nm.state_code(m.group(2)))
                if code and self._state_of(e) not in (None, code):
                    continue  # "Alexandria, Louisiana" is not the profile's Alexandria, Virginia
            out.append(e)
        return out

    def _state_of(self, e: ProfileEntity) -> str | None:
        """The code of the state a profile place lies in, by its ``within`` chain."""
        seen = 0
        while e is not None and seen < 8:
            if e.type == "state":
                return self.nm.state_code(e.name)
            e = self.profile.by_id.get(e.within) if e.within else None
            seen += 1
        return None

    def _pattern_kind(self, run: list[Token]) -> str | None:
        words = [self._possessive_base(t) for t in run]
        if len(run) == 1:
            return None
        last = words[-1]
        two = " ".join(words[-2:])
        if words[0] in self.nm.place_prefixes and len(run) >= 2 and not any(w in self.nm.org_heads for w in words[1:]):
            return "place"
        if last in self.nm.place_heads or two in self.nm.place_heads:
            if last in ("Center", "Centre") and not any(w in self.nm.center_places for w in words):
                return "organization"
            if last in self.nm.org_heads and last not in ("Center", "Centre", "Market"):
                return "organization"
            if self.nm.first_name(words[0], strict=True) and len(run) == 2:
                before = self.text[max(0, run[0].start - 16) : run[0].start].lower().split()
                if before and before[-1] in self.nm.role_nouns:
                    return None  # "spokeswoman Tricia Lane": a role before a name names a person
                if last in ("Park", "Hall", "Heights", "Field", "Fields", "Hills", "Lake", "Way", "Street") \
                        and not (before and before[-1] in _LOCATIVE):
                    return None  # "Traci Park" is a person; "in Grant Park" a place
            return "place"
        if any(w in self.nm.org_heads for w in words[1:]) or (words[0] in self.nm.org_heads and len(words) > 2 and run[1].norm in ("of", "for", "on")):
            return "organization"
        if words[-1].isdigit() and len(words) >= 2 and (words[-2] in self.nm.numbered_heads or run[-2].upper):
            return "organization"  # "Channel 4", "Local 12"
        return None

    def _greedy(self, run: list[Token]) -> None:
        i, n = 0, len(run)
        if n == 2 and self.nm.first_name(run[0].text) and not run[0].upper and run[1].cap \
                and not run[1].upper and not self.profile.alias_index.get(run[1].base) and not self.nm.geo.places.get(run[1].base):
            self._shape(run)  # "said Lupe Dominguez": a first name and a surname, whatever else "Lupe" names
            return
        pending: list[Token] = []
        while i < n:
            best = None
            key = ""
            for j in range(i, min(n, i + 8)):
                key = run[j].norm if j == i else key + " " + run[j].norm
                if key not in self.nm.alias_prefixes and key not in self.nm.geo_prefixes:
                    b = key[: len(key) - len(run[j].norm)] + run[j].base
                    if b not in self.nm.alias_prefixes and b not in self.nm.geo_prefixes:
                        break
                bkey = key if run[j].base == run[j].norm else key[: len(key) - len(run[j].norm)] + run[j].base
                ents = self._profile_lookup(key, run[i : j + 1]) or self._profile_lookup(bkey, run[i : j + 1])
                if ents:
                    best = (j + 1, ents[0], None)
                elif j > i and (self.nm.geo.places.get(key) or self.nm.geo.places.get(bkey)):
                    best = (j + 1, None, None)
            if best and (best[1] is None or best[1].kind == "place") and i == 1 and n == 2 and best[0] == 2 \
                    and run[0].text not in self.nm.stop and not self.nm.geo.places.get(run[0].norm) \
                    and run[0].norm not in self.lower_words \
                    and (self.nm.first_name(run[0].text, strict=True) or _APPOS_RE.match(self.text, run[-1].end)):
                self._shape(run)  # "Jaqueline Chino, protesting ...": a surname that is also a town
                return
            if best:
                if pending:
                    self._shape(pending)
                    pending = []
                j, ent, geo = best
                if ent is not None:
                    self._add_profile(run[i:j], ent)
                else:
                    self._add(run[i:j], "place", how="geo")
                i = j
            else:
                pending.append(run[i])
                i += 1
        if pending:
            self._shape(pending)

    def _shape(self, run: list[Token]) -> None:
        """A run no list knows: decide by its shape and the words around it."""
        while run and (_conn(run[0], self.conns) or run[0].text[0].isdigit()):
            run = run[1:]
        while run and _conn(run[-1], self.conns):
            run = run[:-1]
        if not run:
            return
        if self._org_list_item(run[0].start) and not self.nm.geo.places.get(" ".join([t.base for t in run])) \
                and not proper_place(" ".join([t.base for t in run])):
            k = next((i for i, t in enumerate(run) if t.norm in ("and", "&") and 0 < i < len(run) - 1), None)
            if k is not None:  # "..., Calle Ocho Kings and Barrio Sereno": the list's last two items
                self._add(run[:k], "organization", how="list")
                self._add(run[k + 1 :], "organization", how="list")
            else:
                self._add(run, "organization", how="list")  # "gangs such as Barrio Azteca and Los Zetas"
            return
        if len(run) == 1:
            t = run[0]
            base = self._possessive_base(t)
            if (t.upper or base.endswith(".")) and self.nm.state_code(base) \
                    and _WORD_COMMA_END_RE.search(self.text[max(0, t.start - 30) : t.start]):
                self._add(run, "place", how="state-code")  # "Reno, NV", "Ruston, La.": the state, not an agency
            elif t.upper and len(base) >= 4 and self.nm.geo.places.get(t.norm) and base not in self.nm.upper_aliases \
                    and (t.start == 0 or self.text[t.start - 1] == "\n") and _DATELINE_AFTER_RE.match(self.text, t.end):
                self._add(self._recased(run), "place", how="dateline")  # "AUSTIN, Texas (Reuters) -": the dateline's city
            elif t.upper and 2 <= len(base) <= 6 and base not in self.nm.not_acronyms and base.isalpha() and base.lower() not in self.lower_words:
                self._add(run, "organization", how="acronym")
            elif not t.text[0].isdigit():
                self._add(run, None, how="single")
            return
        kind = self._pattern_kind(run)
        if kind:
            self._add(run, kind, how="pattern")
            return
        for k, t in enumerate(run):
            if _conn(t, self.conns):  # "Traci Park and Nithya Raman": two names
                self._shape(run[:k])
                self._shape(run[k + 1 :])
                return
        words = [t.text for t in run]
        if all(t.upper for t in run):
            return  # ALL-CAPS headline words that matched nothing
        if self._whole_line(run):
            return  # a heading standing alone on its line ("Key Takeaways", "At a Glance")
        if self._titles_only(run):
            return  # titles without a name: "Deputy Attorney", "U.S. Marshal"
        first_ok = self.nm.first_name(words[0]) or _INITIAL_RE.fullmatch(words[0]) or words[0] in ("JB", "JD", "TJ", "AJ", "CJ", "DJ", "RJ")
        if not first_ok and all(lemma(t.text) for t in run):
            return  # common nouns in capitals, no first name: "Criminal Investigation", "Services Program"
        if not first_ok and (proper_place(run[0].base) or self.nm.geo.places.get(run[0].base)):
            return  # a name that opens with a place ("Everglades Jetport") is no person
        if 2 <= len(run) <= 4 and not self._in_headline(run[0].start) and self._street_after_on(run, first_ok):
            self._add(run, "place", how="street")  # "traffic on Martin Luther King near the park"
            return
        if first_ok and 2 <= len(run) <= 4 and run[-1].cap:
            self._person(run, how="first-name")
            return
        if 2 <= len(run) <= 3:
            self._add(run, "person?", how="unknown")
            return
        # longer unknown runs: try the parts
        if len(run) > 4:
            self._add(run[:1], None, how="single")
            self._shape(run[1:])

    # ---- adding candidates ----------------------------------------------------------------
    def _person(self, run: list[Token], role: str | None = None, how: str = "") -> None:
        """A person's name ends before a connector: "Gavin Newsom of California"."""
        for i, t in enumerate(run):
            if _conn(t, self.conns) and i:
                self._add(run[:i], "person", how=how, role=role)
                self._classify(run[i + 1 :])
                return
        self._add(run, "person", how=how, role=role)

    def _add(self, run: Sequence[Token], kind: str | None, how: str, role: str | None = None) -> None:
        s, e = run[0].start, run[-1].end
        surf = self.text[s:e]
        if surf.endswith(("'s", "’s")):
            e -= 2
            surf = surf[:-2]
        if not surf.strip():
            return
        self.cands.append(Cand(s, e, kind, "", surf, tuple(run), role=role, how=how))

    def _add_profile(self, run: Sequence[Token], ent: ProfileEntity, possessive: bool = False) -> None:
        s, e = run[0].start, run[-1].end
        surf = self.text[s:e]
        if surf.endswith(("'s", "’s")) and (possessive or norm_key(surf) not in self.profile.alias_index):
            e -= 2
            surf = surf[:-2]
        self.cands.append(Cand(s, e, ent.kind, ent.id, surf, tuple(run), how="profile"))


# ---- document-level resolution --------------------------------------------------------------


@dataclass(slots=True)
class _Ent:
    key: str
    kind: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    profile: ProfileEntity | None = None
    geo: GeoPlace | None = None
    coords: tuple[float | None, float | None] | None = None  # a part of a place: the whole's


def extract_entities(text: str, sentences: Sequence[Sentence], doc: Document,
                     excluded: Sequence[Mention], profile: Profile) -> list[Entity]:
    """Every named person, organization and place of the document with all its mentions."""
    f = _Finder(text, sentences, doc, excluded, profile)
    for run in f.runs():
        f.classify_run(run)
    return _resolve(f)


def _resolve(f: _Finder) -> list[Entity]:
    nm, prof, text = f.nm, f.profile, f.text
    bylines = {norm_key(b) for b in f.doc.bylines}
    ents: dict[str, _Ent] = {}
    by_surname: dict[str, set[str]] = {}

    def get(key: str, kind: str, name: str, pe: ProfileEntity | None = None, geo: GeoPlace | None = None) -> _Ent:
        if key not in ents:
            ents[key] = _Ent(key, kind, name, profile=pe, geo=geo)
        return ents[key]

    def add_mention(ent: _Ent, c: Cand) -> None:
        ent.mentions.append((c.start, c.end))
        ent.surfaces.append(c.surface)
        if c.role:
            ent.roles.append(c.role)

    cands = sorted(f.cands, key=lambda c: c.start)
    # 1. profile entities and full person names
    later: list[Cand] = []
    for c in cands:
        if c.how == "profile":
            pe = prof.by_id[c.key]
            ent = get(pe.id, pe.kind, pe.name, pe=pe)
            add_mention(ent, c)
            if pe.kind == "person":
                by_surname.setdefault(_surname(pe.name, nm.name_suffixes), set()).add(pe.id)
        elif c.kind == "person" and len(c.tokens) >= 2:
            name = _clean_person(c.surface)
            if norm_key(name) in bylines:
                continue
            pes = [e for e in prof.lookup(name, "person")]
            if pes:
                ent = get(pes[0].id, "person", pes[0].name, pe=pes[0])
            else:
                ent = get(_person_key(name, ents, nm.name_suffixes), "person", name)
            add_mention(ent, c)
            by_surname.setdefault(_surname(ent.name, nm.name_suffixes), set()).add(ent.key)
        else:
            later.append(c)
    # 2. single words, title + surname, unknown runs
    defined: dict[str, _Ent] = {}  # acronyms defined in the text: "(CMPD)" -> its organization
    singles = Counter([c.tokens[0].base for c in later if c.kind is None and len(c.tokens) == 1
                       and not nm.geo.places.get(c.tokens[0].base)])
    state_codes = _states_in(ents, later, nm)
    for c in later:
        if c.kind == "person":  # title + one word: "Mayor Bass"
            ent = _surname_ref(c, ents, by_surname, prof, nm, title=True)
            if ent is None:
                name = _clean_person(c.surface)
                if norm_key(name) in bylines:
                    continue
                ent = get(_person_key(name, ents, nm.name_suffixes), "person", name)
                by_surname.setdefault(_surname(name, nm.name_suffixes), set()).add(ent.key)
            add_mention(ent, c)
            continue
        if c.kind == "organization" and c.how == "acronym" and c.surface in defined:
            add_mention(defined[c.surface], c)
            continue
        if c.kind in ("organization", "place"):
            name = _canonical_surface(c.surface)
            geo = None
            if c.how == "state-code":
                name = nm.geo.state_names.get(nm.state_code(c.surface) or "", name)
                pes = prof.lookup(name, "place")
                if pes:
                    add_mention(get(pes[0].id, "place", pes[0].name, pe=pes[0]), c)
                    continue
            if c.kind == "place":
                code = _state_after(c, f)
                geo = _pick_geo(nm.geo.places.get(norm_key(name), []), {code} if code else state_codes)
            fuzzy = _fuzzy_org(name, prof, nm) if c.kind == "organization" and c.how == "pattern" else None
            if fuzzy is not None:
                ent = get(fuzzy.id, fuzzy.kind, fuzzy.name, pe=fuzzy)
            else:
                if c.kind == "place" and not geo:
                    name = _expand_abbreviations(name)  # "Canal St." and "Canal Street" are one street
                key = _geo_key(geo) if geo else f"{'org' if c.kind == 'organization' else 'place'}:{slug(name)}"
                ent = get(key, c.kind, geo.name if geo and c.how == "geo" else name, geo=geo)
            add_mention(ent, c)
            for a in c.aliases:
                defined.setdefault(a, ent)
                ent.surfaces.append(a)
            continue
        if c.kind == "person?":
            last = c.tokens[-1].norm
            if singles.get(last) or _speech_or_apposition(text, c, nm.role_nouns) or nm.first_name(c.tokens[0].text):
                name = _clean_person(c.surface)
                if norm_key(name) in bylines:
                    continue
                ent = get(_person_key(name, ents, nm.name_suffixes), "person", name)
                add_mention(ent, c)
                by_surname.setdefault(_surname(name, nm.name_suffixes), set()).add(ent.key)
            continue
    for c in later:
        if c.kind is not None:
            continue
        # a single capitalised word: a known surname, a place, or nothing
        ent = _surname_ref(c, ents, by_surname, prof, nm, title=False)
        if ent is not None:
            add_mention(ent, c)
            continue
        places = nm.geo.places.get(c.tokens[0].norm) or nm.geo.places.get(c.tokens[0].base) or []
        if not places and _before_a_state(c, f, nm):
            # "in Ochopee, Florida": a town the gazetteer does not know, named with its state
            name = _canonical_surface(c.surface)
            add_mention(get(f"place:{slug(name)}", "place", name), c)
            continue
        cut = _cut_last_word(c, f)
        if cut is not None:
            add_mention(get(cut.id, cut.kind, cut.name, pe=cut), c)
            continue
        geo = _accept_geo(c, places, state_codes, f)
        if geo is not None:
            ent = get(_geo_key(geo), "place", geo.name, geo=geo)
            add_mention(ent, c)
        elif _quoted_speaker(c, f) and not places and not proper_place(c.tokens[0].base) and not common_noun(c.tokens[0].base):
            # '”, Hartmann said.': a surname alone as the speaker of a quote is a person
            name = _clean_person(c.surface)
            if norm_key(name) not in bylines:
                ent = get(_person_key(name, ents, nm.name_suffixes), "person", name)
                add_mention(ent, c)
                by_surname.setdefault(_surname(name, nm.name_suffixes), set()).add(ent.key)
        elif not places and len(c.tokens[0].base) >= 3 and c.tokens[0].base.isalpha() and proper_place(c.tokens[0].base) \
                and (c.start not in f.sent_starts or not common_noun(c.tokens[0].base)) \
                and not (c.tokens[0].norm in nm.place_modifiers and _CAPITAL_AFTER_RE.match(text[c.end : c.end + 3])) \
                and not nm.first_name(c.tokens[0].text, strict=True):
            # a place or natural feature WordNet names and the gazetteer has no point for ("Everglades")
            name = _canonical_surface(c.surface)
            add_mention(get(f"place:{slug(name)}", "place", name), c)
    _parts_of_places(ents, f)
    _place_agencies(ents, f)
    _names_of_groups(ents, f)
    _short_forms_of_organizations(ents)
    _adjectival_countries(ents, f)
    _one_guard_unit(ents)
    return [_to_entity(e, f) for e in ents.values() if e.mentions]


_FUNCTION_WORDS = frozenset("""a an the and or but to of in on at by for from with as than that this these those is are was
were be been has have had will would said says after before since until while over under into onto about against
between during without within through across via per so if then also only just even still yet""".split())


def _adjectival_countries(ents: dict[str, _Ent], f: _Finder) -> None:
    """'U.S. citizens', 'U.S. soil': a country's name before a lower-case noun is an adjective,
    not a mention of the place ('deported from the U.S. to Honduras' is one)."""
    text = f.text
    for e in ents.values():
        country = (e.geo is not None and e.geo.kind == "country") or (e.profile is not None and e.profile.type == "country")
        if e.kind != "place" or not country:
            continue
        keep = []
        for a, b in e.mentions:
            m = _LOWER_WORD_AFTER_RE.match(text[b : b + 30])
            if m and m.group(1) not in _FUNCTION_WORDS and not m.group(1).endswith("ly") and lemma(m.group(1)):
                continue
            keep.append((a, b))
        e.mentions = keep


_ABBREVIATIONS = {"St.": "Street", "Ave.": "Avenue", "Blvd.": "Boulevard", "Rd.": "Road", "Dr.": "Drive",
                  "Pkwy.": "Parkway", "Hwy.": "Highway", "Ft.": "Fort", "Mt.": "Mount"}


def _expand_abbreviations(name: str) -> str:
    words = name.split()
    if len(words) < 2:
        return name
    if words[-1] in _ABBREVIATIONS and words[-1] not in ("Ft.", "Mt."):
        words[-1] = _ABBREVIATIONS[words[-1]]
    if words[0] in ("Ft.", "Mt."):
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


def _short_forms_of_organizations(ents: dict[str, _Ent]) -> None:
    """'Glenn Valley Foods ... Glenn Valley used E-Verify': a place-shaped name that begins an
    organization's name in the same text is that organization's short form."""
    orgs = [e for e in ents.values() if e.kind == "organization" and e.mentions]
    for e in list(ents.values()):
        if e.kind != "place" or e.geo is not None or e.profile is not None or not e.mentions:
            continue
        key = norm_key(e.name) + " "
        owners = [o for o in orgs if norm_key(o.name).startswith(key)]
        if len(owners) == 1:
            owners[0].mentions.extend(e.mentions)
            owners[0].surfaces.extend(e.surfaces)
            e.mentions = []


def _names_of_groups(ents: dict[str, _Ent], f: _Finder) -> None:
    """'18th Street gang members', 'the Gulf cartel': a name before a lower-case noun for a group
    is that group's name, an organization, not a mention of the place it is named after."""
    rx = f.nm.group_noun_re
    if rx is None:
        return
    text = f.text
    for e in list(ents.values()):
        if e.kind != "place" or e.geo is not None or e.profile is not None:
            continue
        keep = []
        for a, b in e.mentions:
            m = rx.match(text, b)
            if not m:
                keep.append((a, b))
                continue
            name = f"{text[a:b]} {m.group(1).title()}"
            key = f"org:{slug(name)}"
            org = ents.setdefault(key, _Ent(key, "organization", name))
            org.mentions.append((a, m.end()))
            org.surfaces.append(text[a : m.end()])
        e.mentions = keep


def _place_agencies(ents: dict[str, _Ent], f: _Finder) -> None:
    """'Omaha police', 'the Douglas County sheriff': a place's name before a lower-case agency noun
    names that place's agency, an organization ("Omaha Police Department")."""
    agencies, rx = f.nm.place_agencies, f.nm.place_agency_re
    if rx is None:
        return
    text = f.text
    for e in list(ents.values()):
        if e.kind != "place" or (e.geo is not None and e.geo.kind == "country") or (e.profile is not None and e.profile.type == "country"):
            continue
        for a, b in list(e.mentions):
            m = rx.match(text, b)
            if not m or text[a:b].endswith(("’s", "'s")):
                continue
            name = f"{text[a:b]} {agencies[m.group(1)]}"
            org = ents.get(f"org:{slug(name)}")
            if org is None:
                pes = f.profile.lookup(name, "organization")
                key = pes[0].id if pes else f"org:{slug(name)}"
                org = ents.get(key) or ents.setdefault(key, _Ent(key, "organization", pes[0].name if pes else name,
                                                                 profile=pes[0] if pes else None))
            org.mentions.append((a, m.end()))
            org.surfaces.append(text[a : m.end()])


def _one_guard_unit(ents: dict[str, _Ent]) -> None:
    """'The Ohio National Guard ... the National Guard': with one state's Guard in the text, the
    plain name is that unit, not a second organization."""
    plain = [e for e in ents.values() if e.kind == "organization" and norm_key(e.name) == "national guard"]
    states = [e for e in ents.values() if e.kind == "organization" and e.mentions and norm_key(e.name).endswith("national guard")
              and norm_key(e.name) not in ("national guard", "army national guard", "air national guard")
              and not norm_key(e.name).startswith(("us ", "united states"))]
    if len(plain) == 1 and len(states) == 1:
        p, st = plain[0], states[0]
        st.mentions.extend(p.mentions)
        st.surfaces.extend(p.surfaces)
        p.mentions = []


def _parts_of_places(ents: dict[str, _Ent], f: _Finder) -> None:
    """'east Charlotte', 'downtown Los Angeles': a part of a place is a place of its own, at the
    coordinates of the whole (the nearest the evidence allows)."""
    text, mods = f.text, f.nm.place_parts
    taken = {(a, b) for e in ents.values() for a, b in e.mentions}
    for e in list(ents.values()):
        if e.kind != "place" or e.key.count(":") != 1:
            continue
        for a, b in list(e.mentions):
            m = _WORD_BEFORE_RE.search(text[max(0, a - 16) : a])
            word = m.group(1) if m else ""
            ws = a - len(word) - 1
            if word.lower() in mods and (word.islower() or word.istitle()) and not any(x <= ws < y for x, y in taken):
                key = f"place:{slug(word.lower())}-{e.key.split(':', 1)[1]}"
                part = ents.get(key)
                if part is None:
                    lat = e.profile.lat if e.profile else e.geo.lat if e.geo else None
                    lon = e.profile.lon if e.profile else e.geo.lon if e.geo else None
                    part = ents[key] = _Ent(key, "place", f"{word} {text[a:b]}", coords=(lat, lon))
                part.mentions.append((ws, b))
                part.surfaces.append(text[ws:b])


def _surname(name: str, suffixes: frozenset[str]) -> str:
    parts = [p for p in name.replace(",", " ").split() if norm_key(p) not in suffixes]
    return norm_key(parts[-1]) if parts else ""


def _clean_person(s: str) -> str:
    return _POSSESSIVE_END_RE.sub("", s).strip()


def _canonical_surface(s: str) -> str:
    s = _POSSESSIVE_END_RE.sub("", s).strip()
    return s


def _person_key(name: str, ents: dict[str, _Ent], suffixes: frozenset[str]) -> str:
    """First and last name: "Roland T. Ashby Jr.", "Roland Ashby Jr" and "Roland Ashby" are one person
    (``suffixes``: the profile's name_suffixes)."""
    parts = [p for p in name.replace(",", " ").split() if norm_key(p) not in suffixes]
    if len(parts) >= 3:
        parts = [parts[0], parts[-1]]
    return f"person:{slug(' '.join(parts) or name)}"


def _geo_key(g: GeoPlace) -> str:
    if g.kind == "city" and g.country == "US":
        return f"place:{slug(g.name)}-{g.admin1.lower()}"
    if g.kind == "city":
        return f"place:{slug(g.name)}-{g.country.lower()}"
    return f"place:{slug(g.name)}"


def _states_in(ents: dict[str, _Ent], later: list[Cand], nm: NameModel) -> set[str]:
    codes = set()
    for e in ents.values():
        if e.profile and e.profile.type == "state":
            code = nm.state_code(e.profile.name)
            if code:
                codes.add(code)
    for c in later:
        code = nm.state_code(c.surface)
        if code:
            codes.add(code)
        for g in nm.geo.places.get(norm_key(c.surface), [])[:1]:
            if g.kind == "state":
                codes.add(g.admin1)
    return codes


def _pick_geo(places: list[GeoPlace], states: set[str]) -> GeoPlace | None:
    if not places:
        return None
    for p in places:
        if p.kind in ("country", "state"):
            return p
    in_state = [p for p in places if p.country == "US" and p.admin1 in states]
    if in_state:
        return max(in_state, key=lambda p: p.population)
    return max(places, key=lambda p: p.population)


def _accept_geo(c: Cand, places: list[GeoPlace], states: set[str], f: _Finder) -> GeoPlace | None:
    if not places or c.tokens[0].text in f.nm.stop or f.nm.first_name(c.tokens[0].text, strict=True) and not places[0].kind == "country":
        if not places or places[0].population < 200_000 and not _coordinated_with_place(c, f):
            return None
    if c.start in f.sent_starts and common_noun(c.tokens[0].text) and _LOWER_AFTER_RE.match(f.text[c.end : c.end + 2]) \
            and places[0].kind == "city":
        return None  # "Mobile command centers": a common word opening a sentence, not the city
    code = _state_after(c, f)
    g = _pick_geo(places, {code} if code else states)
    if g is None:
        return None
    if g.kind == "country" and _CAPITAL_AFTER_RE.match(f.text[c.end : c.end + 3]) and c.tokens[0].upper:
        return None  # "U.S. Senator", "US Immigration": a modifier, not a mention of the country
    if g.kind in ("country", "state"):
        return g
    if c.tokens[0].norm in f.lower_words or c.tokens[0].norm in f.nm.place_modifiers:
        return None
    before = f.text[max(0, c.start - 10) : c.start].lower().split()
    locative = bool(before) and before[-1] in _LOCATIVE
    after = f.text[c.end : c.end + 6]
    if g.population >= 100_000 or (g.country == "US" and g.admin1 in states) or (locative and g.population >= 10_000) \
            or _COMMA_CAPITAL_RE.match(after) or (g.population >= 20_000 and _coordinated_with_place(c, f)):
        return g
    return None


_STATE_AFTER_RE = re.compile(r",\s+(([A-Z][A-Za-z.]+)(?:\s+[A-Z][a-z]+)?)\b")
_QUOTED_SPEAKER_RE = re.compile(r"^[’']?s?\s+(?:said|says|added|adds|told|explained|continued|asked|recalled)\b")


def _quoted_speaker(c: Cand, f: _Finder) -> bool:
    t = c.tokens[0]
    if t.upper or len(c.tokens) != 1 or not t.cap or t.text in f.nm.stop:
        return False
    return bool(_QUOTE_END_RE.search(f.text[max(0, c.start - 4) : c.start])) and bool(_QUOTED_SPEAKER_RE.match(f.text[c.end : c.end + 16]))


def _state_after(c: Cand, f: _Finder) -> str | None:
    """The state named right after a place ("Alexandria, Louisiana", "Reno, NV"): its code."""
    m = _STATE_AFTER_RE.match(f.text, c.end)
    if not m:
        return None
    return f.nm.state_code(m.group(1)) or f.nm.state_code(m.group(2) or "")


def _before_a_state(c: Cand, f: _Finder, nm: NameModel) -> bool:
    return _state_after(c, f) is not None and not nm.first_name(c.tokens[0].text)


def _cut_last_word(c: Cand, f: _Finder) -> ProfileEntity | None:
    """An excerpt cut inside its last word ("... will target Louisiana and Mississip"): the one
    place of the profile whose name that unfinished word begins."""
    if len(c.surface) < 5 or f.text[c.end :].strip():
        return None
    pre = norm_key(c.surface)
    hits = {f.profile.by_id[i].id for k, ids in f.profile.alias_index.items() if k.startswith(pre) and " " not in k
            for i in ids if f.profile.by_id[i].kind == "place"}
    return f.profile.by_id[hits.pop()] if len(hits) == 1 else None


def _coordinated_with_place(c: Cand, f: _Finder) -> bool:
    """'Boston, Worcester and Lawrence': an item of a list of places is a place."""
    m = _LISTED_BEFORE_RE.search(f.text[max(0, c.start - 40) : c.start])
    if m and any(g.kind == "city" for g in f.nm.geo.places.get(norm_key(m.group(1)), ())):
        return True
    m = _LISTED_AFTER_RE.match(f.text[c.end : c.end + 40])
    return bool(m) and any(g.kind == "city" and g.population >= 50_000 for g in f.nm.geo.places.get(norm_key(m.group(1)), ()))


def _surname_ref(c: Cand, ents: dict[str, _Ent], by_surname: dict[str, set[str]], prof: Profile,
                 nm: NameModel, title: bool) -> _Ent | None:
    word = c.tokens[-1].base if title else c.tokens[0].base
    keys = by_surname.get(word)
    if keys and len(keys) == 1:
        return ents[next(iter(keys))]
    if keys:
        return None
    # a surname the profile knows for exactly one person: "Trump", "Homan"
    pes = nm.profile_surnames.get(word, [])
    if len(pes) == 1 and (title or (not nm.first_name(c.tokens[0].text) and not nm.geo.places.get(word))):
        pe = prof.by_id[pes[0]]
        if pe.id not in ents:
            ents[pe.id] = _Ent(pe.id, "person", pe.name, profile=pe)
        by_surname.setdefault(word, set()).add(pe.id)
        return ents[pe.id]
    return None


_APPOS_RE = re.compile(r",\s+(?:a|an|the|who|whose|[a-z]+\s+of|[a-z]+ing)\b")


def _speech_or_apposition(text: str, c: Cand, role_nouns: frozenset[str]) -> bool:
    after = text[c.end : c.end + 40]
    before = text[max(0, c.start - 30) : c.start]
    prev = _LAST_WORD_RE.findall(before)
    if prev and prev[0].lower() in role_nouns:
        return True
    if _APPOS_RE.match(after):
        return True
    if _SPEECH_AFTER_RE.match(after):
        return True
    if _SPEECH_BEFORE_RE.search(before):
        return True
    if _COMMA_AND_END_RE.search(before) and _TWO_NAMES_END_RE.search(before):
        return True
    return False


def _fuzzy_org(name: str, prof: Profile, nm: NameModel) -> ProfileEntity | None:
    if len(name.split()) < 3:
        return None
    hit = nm.fuzzy_org(name)
    return prof.by_id[hit] if hit else None


def _to_entity(e: _Ent, f: _Finder) -> Entity:
    text = f.text
    mentions = tuple([span(text, s, t) for s, t in sorted(set(e.mentions))])
    pe, geo = e.profile, e.geo
    name = e.name
    if e.kind == "place" and not pe and name.isupper() and len(name) > 3:
        # a place named only in capitals (a dateline's "TULSA"): the gazetteer's spelling
        name = geo.name if geo and norm_key(geo.name) == norm_key(name) else name.title()
    if not pe and e.kind == "person":
        # the longest surface form without title is the canonical name
        longest = max((_clean_person(s) for s in e.surfaces if len(s.split()) >= 2), key=len, default=name)
        name = longest if len(longest) > len(name) else name
    seen: dict[str, None] = {}  # (a dict: ordered, and asked in one step whether it holds a form)
    name_key, person = norm_key(name), e.kind == "person"  # (asked once, not per surface)
    for s in [*e.surfaces, *(pe.aliases if pe else ())]:
        s = _clean_person(s) if person else s
        if s not in seen and norm_key(s) != name_key:
            seen[s] = None
    roles = list(dict.fromkeys(e.roles))
    if pe and pe.roles:
        date = f.doc.published
        for r in pe.roles:
            if r.held_on(date) and r.title not in roles:
                roles.append(r.title)
    lat = pe.lat if pe and pe.lat is not None else (geo.lat if geo else None)
    lon = pe.lon if pe and pe.lon is not None else (geo.lon if geo else None)
    if e.coords is not None:
        lat, lon = e.coords
    return Entity(
        id=e.key, kind=e.kind, name=name, aliases=tuple(seen), roles=tuple(roles),
        mentions=mentions, lat=lat, lon=lon,
    )
