"""Who the text says makes a claim: "ICE said 76 people ...", "according to advocates, 107 ...",
"... 40 were arrested, officials told reporters", and for a relayed claim the chain, outermost
first: "NBC News reported that a federal source said ..." -> ("org:nbc-news", "a federal source").

The source is the subject of a verb of saying in the claim's sentence (before the claim, or
after it at the clause's end), or the object of "according to"; it is given as the entity id
when the words are a name the entity finder found, else as the words themselves.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import NamedTuple

from eventledger.extract.sentences import Sentence
from eventledger.profile import Profile
from eventledger.records import Entity

__all__ = ["Attributor"]

# a claim's source named as the agent of a passive right after it: "the 64 reported by ICE"
_BY_AGENT_RE = re.compile(r"\s+(?:reported|cited|given|announced|released|provided|confirmed|counted|claimed)\s+by\s+")
_ACCORDING_RE = re.compile(r"\b(?:[Aa]ccording to|[Cc]iting)\s+|\b[Pp]er\s+(?=[A-Z])")
# where a subject noun phrase begins, going back from its verb
_NP_START_RE = re.compile(r"[,;:(“\"—–]\s*|\b(?:that|and|but|while|as|after|when|because|who|which|if)\s+")
_LEAD_TRIM_RE = re.compile(r"^(?:(?:and|but|also|then|later|previously|earlier|separately|meanwhile)\s+)+", re.I)
# a document that states a claim for whoever issued it ("a statement from ICE", "court filings")
_DOCUMENT_RE = re.compile(r"\b(?:statement|update|report|release|memo|filings?|data|figures|records|documents?|post|"
                          r"tweet|email|letter|announcement|notice|website|spokesperson|spokesman|spokeswoman)\b", re.I)
_TAIL_TRIM_RE = re.compile(r"\s+(?:also|previously|earlier|later|had|has|have|on \w+day|\w+day|last week|this week|in a statement)$", re.I)
# where a verb's clause ends: a verb after it belongs to another clause
_CLAUSE_BREAK_RE = re.compile(r";|\s[—–]\s|,\s+(?:and|but|while|although|though)\s|\.\s")
# the noun phrase after "according to": up to a comma, a colon or a sentence's end (not an initial's period)
_OBJECT_RE = re.compile(r"(?:[^,;:.“\"]|\.(?=\S)|(?<=[A-Z])\.(?=\s+[A-Z]))+")
_LETTER_RE = re.compile(r"[A-Za-z]")
_DIGIT_RE = re.compile(r"\d")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"})


@lru_cache(maxsize=4)
def _claim_patterns(profile: Profile) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The profile's claim verbs (lexicon.toml claim_verbs: verbs of saying and counting that
    credit a claim to their subject) as the three patterns the attributor reads, made once per
    profile: a verb anywhere, ", ICE said" and ", said Mayor Ortiz" after a claim."""
    say = "|".join(re.escape(w).replace("\\ ", " ") for w in profile.lexicon.get("claim_verbs", ()))
    say = say or "(?!)"
    return (re.compile(rf"\b(?:{say})\b"),
            re.compile(rf",\s+((?:[\w.’'-]+\s+){{0,5}}?)(?:{say})\b"),
            re.compile(rf",\s+(?:{say})\s+((?:[A-Z][\w.’'-]*|of|the)(?:\s+(?:[A-Z][\w.’'-]*|of|the)){{0,5}})"))


class _Mention(NamedTuple):
    """A named tuple: a document has hundreds of mentions, made again for each Attributor, and
    a frozen dataclass's __init__ costs several times a tuple's."""

    start: int
    end: int
    id: str
    kind: str


class Attributor:
    """Built once per document from its sentences and entities; ``chain(a, b)`` for a claim's span."""

    def __init__(self, text: str, sentences: Sequence[Sentence], entities: Sequence[Entity], profile: Profile) -> None:
        self.text = text
        self.say_re, self.said_after_re, self.said_name_after_re = _claim_patterns(profile)
        self.sent_starts = [s.start for s in sentences]
        self.sents = list(sentences)
        self._entities = entities

    # the mentions in text order, made when a claim's words are first read for a name: most
    # figures and many quotes of a page have no verb of saying near them
    @cached_property
    def mentions(self) -> list[_Mention]:
        return sorted((_Mention(m.start, m.end, e.id, e.kind) for e in self._entities for m in e.mentions),
                      key=lambda m: m.start)

    @cached_property
    def m_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    def _sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.sent_starts, pos + 1) - 1
        if i < 0:
            return 0, len(self.text)
        s = self.sents[i]
        return s.start, s.end

    def chain(self, a: int, b: int) -> tuple[str, ...] | None:
        s0, s1 = self._sentence(a)
        text = self.text
        found: list[tuple[int, str]] = []
        # sources before the claim, outermost first: "NBC reported that a source said ..."
        for m in self.say_re.finditer(text, s0, a):
            if _CLAUSE_BREAK_RE.search(text, m.end(), a):
                continue  # the verb belongs to another clause
            who = self._subject(s0, m.start())
            if who:
                found.append((m.start(), who))
                outlet = self._outlet_after(m)
                if outlet:
                    found.append((m.start() - 1, outlet))  # "a source told NBC News": the outlet relays it
        for m in _ACCORDING_RE.finditer(text, s0, s1):
            if a <= m.start() < b:
                continue
            who = self._object(m.end(), a if m.start() < a else s1)
            if who:
                found.append((m.start(), who))
        m = _BY_AGENT_RE.match(text, b, s1)
        if m:  # "more than the 64 reported by ICE": the agent gives it, as relayed by whoever says the sentence
            who = self._object(m.end(), s1)
            if who:
                found.append((b, who))
        if not found:
            # after the claim, closing its clause: "..., ICE said." / "..., said Mayor Ortiz."
            tail = text[b:s1]
            m = self.said_after_re.search(tail)
            if m and m.group(1).strip():
                who = self._name(b + m.start(1), b + m.end(1))
                if who:
                    found.append((b + m.start(), who))
            else:
                m = self.said_name_after_re.search(tail)
                if m:
                    who = self._name(b + m.start(1), b + m.end(1))
                    if who:
                        found.append((b + m.start(), who))
        found.sort()
        return tuple(dict.fromkeys(w for _, w in found)) or None

    def _outlet_after(self, m: re.Match[str]) -> str | None:
        """The organization right after "told" ("a source told NBC News that ...")."""
        if m.group() not in ("told", "tells"):
            return None
        i = bisect_left(self.m_starts, m.end() + 1)
        while i < len(self.mentions) and self.mentions[i].start <= m.end() + 5:
            if self.mentions[i].kind == "organization":
                return self.mentions[i].id
            i += 1
        return None

    def _subject(self, s0: int, verb: int) -> str | None:
        """The noun phrase before a verb of saying, back to the start of its clause."""
        before = self.text[s0:verb]
        bounds = [m for m in _NP_START_RE.finditer(before)]
        start = s0 + (bounds[-1].end() if bounds else 0)
        if not self.text[start:verb].strip() and bounds and bounds[-1].group().startswith(","):
            # "..., Murad Awawdeh, said": the subject is the phrase before the comma
            a = s0 + (bounds[-2].end() if len(bounds) > 1 else 0)
            return self._name(a, s0 + bounds[-1].start())
        return self._name(start, verb)

    def _object(self, start: int, limit: int) -> str | None:
        """The noun phrase after "according to", up to a comma or the claim."""
        seg = self.text[start:limit]
        m = _OBJECT_RE.match(seg[:100])
        if not m:
            return None
        return self._name(start, start + m.end())

    def _name(self, a: int, b: int) -> str | None:
        words = self.text[a:b].strip()
        words = _LEAD_TRIM_RE.sub("", words)
        words = _TAIL_TRIM_RE.sub("", words).strip(" ,")
        if not words or words.lower() in _PRONOUNS or len(words.split()) > 12 or not _LETTER_RE.search(words):
            return None
        if _DIGIT_RE.search(words):
            return None  # a count, not a source ("76 people said")
        a = self.text.find(words, a, b + 1)
        e = a + len(words)
        # a person named in the phrase is the speaker ("Acting ICE Director Todd Lyons"), else its organization
        i = bisect_left(self.m_starts, a)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < e:
            if self.mentions[i].end <= e:
                found.append(self.mentions[i])
            i += 1
        people = [m for m in found if m.kind == "person"]
        if people:
            return people[-1].id
        orgs = [m for m in found if m.kind == "organization"]
        if orgs and ((len(words.split()) - len(self.text[orgs[-1].start : orgs[-1].end].split())) <= 2
                     or len(orgs) == 1 and _DOCUMENT_RE.search(words)):
            return orgs[-1].id  # "ICE", "a Saturday update from ICE"
        return words
