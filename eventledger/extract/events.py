"""Events: sentences that report something happening, typed with a PLOVER root type and
mode from the profile's trigger words, dated as the text allows, placed, with the actors,
figures and sources stated with them.

Dating, clause by clause (``date_basis``):

- ``stated`` / ``relative``: a date in the trigger's own clause (an absolute date, or a
  relative one resolved against the document's day anchor), or, for a clause that continues
  an earlier one of its sentence ("raided a plant on Tuesday, detaining 80"), that clause's.
  A linked expression ("two days later", "the day before", "later that night") counts from
  the date of the clause it refers to: the one before it in the sentence, else the paragraph.
- ``inherited``: a definite reference to a happening already dated ("the raid", "during the
  operation") takes that happening's date; a sentence without a date of its own takes the
  date stated earlier in its paragraph.
- otherwise the event is undated (``date: null``): never the nearest date by distance, never
  the publication month. Undated recaps are no events at all.

A date without a year takes the anchor's year, or a weekday stated with it pins the year
("Thursday, May 1"), or the year the document states elsewhere. Weekday expressions need a
day anchor: against a month they stay unresolved.

Every mention of one happening (same type, mode and date; an undated mention of a type the
document already dated) is one event with the figures, places and actors of all its mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache

from eventledger.extract.dates import (
    DateMatch,
    find_absolute,
    find_linked,
    find_relative,
    find_weekdays_after,
    finditer_at,
    precision_of,
    shift,
    to_date,
)
from eventledger.extract.sentences import Sentence
from eventledger.extract.tokens import ascii_lower, ascii_lowered, for_lowered, search_lowered
from eventledger.nouns import common_noun
from eventledger.profile import Profile, WordPattern, needles, word_pattern
from eventledger.records import Attribution, Document, Entity, Event, Figure, Mention, Quote, span
from eventledger.settings import Settings

__all__ = ["clauses", "extract_events"]

_NEG_RE = re.compile(r"\b(?:not|no|never|won[’']t|wouldn[’']t|didn[’']t|doesn[’']t|don[’']t|cannot|can[’']t|without)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
# A trigger under "might", "could" or "may" in its clause is a possibility, not an event
# ("agents might return at a later date to continue the crackdown").
_MODAL_RE = re.compile(r"\b(?:might|could|may)\b[^.;:,“”\"]{0,70}$"
                       # a goal or quota is not an event ("told agents to aim for 1,200 arrests a day")
                       r"|\b(?:aim(?:s|ed|ing)? (?:for|at)|goals? of|targets? of|quotas? of|amount(?:s|ed)? to)\b"
                       r"(?:[^.;:,“”\"]|,(?=\d)){0,30}$")
# "41 of those detained": the people of an event already told, not a new event.
_PEOPLE_BEFORE_RE = re.compile(r"\bthose $", re.I)
# A trigger word that names a statistic, not a happening ("deportation numbers", "arrest quotas").
# case-blind ones above, for ascii_lowered text (same matches, several times faster; never None:
# tests/extract/test_lowered.py)
_NEG_LOWER, _PEOPLE_BEFORE_LOWER = for_lowered(_NEG_RE), for_lowered(_PEOPLE_BEFORE_RE)
_STAT_AFTER_RE = re.compile(r"\s+(?:numbers|figures|rates?|statistics|totals|quotas?|targets?|goals?|counts?|records?)\b")
# A count's trend after the noun of an enforcement act is a statistic, no happening ("arrests by ICE rose
# 40%", "detention reached 61,000", "deportations have doubled")
_TREND_AFTER_RE = re.compile(r"(?:\s+(?:by|of|in|at)\s+[^,.;]{1,40}?)?\s+(?:(?:have|has|had)\s+)?"
                             r"(?:rose|risen|fell|fallen|increased|decreased|doubled|tripled|dropped|declined|climbed|"
                             r"jumped|surged|soared|plunged|reached|hit|topped|surpassed|grew|grown|outpaced|slowed)\b",
                             re.IGNORECASE)
# A date right after "first reported by the AP" dates the report, not the event.
# So does one right after a verb of saying ("announced Wednesday that ... were arrested").
_REPORT_DATE_RE = re.compile(r"\b(?:first |originally )?(?:reported|revealed|published)(?:\s+by\s+[^,.;]{1,60}?)?\s+$"
                             r"|\b(?:said|says|announced|confirmed|told reporters|claimed|stated|disclosed|denied|denies|acknowledged|"
                             r"insisted|argued|wrote|posted|disputed)\s+(?:on\s+)?$")
_SPEECH_WORDS = 6
_MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_FULL_YEAR_RE = re.compile(rf"\b{_MONTH_WORD}[ \t]+(?:[0-3]?\d(?:st|nd|rd|th)?,?[ \t]+)?(?:of[ \t]+)?(?P<y>(?:19|20)\d{{2}})\b"
                           r"|\b[0-3]?\d[ \t]+" + _MONTH_WORD + r",?[ \t]+(?P<y2>(?:19|20)\d{2})\b")
_PINNED_RE = re.compile(rf"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?[ \t]+{_MONTH_WORD}[ \t]+[0-3]?\d\b(?!,?[ \t]+(?:19|20)\d\d)")
# Where their matches can begin (dates.finditer_at tries them there alone): a month's first
# letter or a digit (one character class: the engine skips to it in C), a weekday's three letters.
_FULL_YEAR_STARTS = re.compile(r"[JFMASOND\d]")
_PINNED_STARTS = re.compile(r"Mon|Tue|Wed|Thu|Fri|Sat|Sun")
_DATELINE_BEFORE_RE = re.compile(r"\s*(?:[A-Z][A-Za-z.'’-]*(?:[ \t]+[A-Z][A-Za-z.'’-]*){0,3},?[ \t]*(?:[A-Z][a-z]{1,5}\.,?[ \t]*)?)?(?:\([^)\n]{1,30}\)[ \t]*)?")
_DATELINE_AFTER_RE = re.compile(r",?[ \t]*(?:\([^)\n]{1,30}\)[ \t]*)?(?:—|–|--|-)[ \t]")
# Where a clause begins inside a sentence: a semicolon, a dash, a comma before a conjunction
# or a relative or participle, a temporal subordinator. Grammar words, not a topic list.
# (The cuts at punctuation and spaces sit behind one look at their first character, so that
# at a letter the engine tries them once rather than each: the same matches, fewer steps.)
_CLAUSE_RE = re.compile(
    r"(?=[\s;,])(?:\s*;\s*|\s+[—–]\s+|\s+--\s+"
    r"|,\s+(?=(?:and|but|while|whereas|although|though|as|when|after|before|since|until|following|which|who|where|because|"
    r"(?!including|according|regarding|concerning|during|excluding|notwithstanding|nothing|something|anything)[a-z]+ing)\b)"
    r"|\s+(?=(?:after|before|since|until|following|prior to|because)\s)"
    # a second complement of a verb of saying ("said that agents detained 40 ... and that protesters blocked")
    r"|\s+(?=(?:and|but) that\s))"
    # the complement of a verb of saying has its own time: "announced Monday that agents arrested 40 in May"
    r"|\b(?:said|says|say|announced|announces|reported|reports|confirmed|claimed|claims|stated|disclosed|revealed|told reporters|"
    r"estimated|estimates|found|finds|shows|showed|concluded|noted|argued|argues|wrote|added|believes|believed)(?P<cut>\s+)(?=that\b)",
    re.IGNORECASE,
)
_CLAUSE_LOWER = for_lowered(_CLAUSE_RE)  # on ascii_lowered(text): the same cuts, several times faster
# A clause that tells another time than its sentence's main clause.
# The future tense of a clause ("will march Saturday", "are planned for Saturday"): its weekday is the coming one.
_FUTURE_RE = re.compile(r"\b(?:will|shall|going to|plan(?:s|ned|ning)? (?:to|for)|(?:is|are) (?:planned|scheduled|set|expected|slated)|"
                        r"scheduled|upcoming)\b|[’']ll\b", re.IGNORECASE)
_AFTER_RE = re.compile(r"[\s,;—–-]*(?:after|following)\b", re.IGNORECASE)
_OTHER_TIME_RE = re.compile(r"[\s,;—–-]*(?:after|before|since|until|following|prior to)\b", re.IGNORECASE)
# A definite reference right before a trigger: the happening is one already told.
# "that" opening a relative clause ("a raid that sparked protests") is no determiner.
_RELATIVE_THAT_RE = re.compile(r"(?:that|which)\s+(?:\w+ed|led|drew|brought|began|saw|set off|touched off|spread|left|caught|"
                               r"(?:has|have|had) (?:\w+ )?\w+)\b", re.IGNORECASE)
_OF_COUNT_RE = re.compile(r"\s+of\s+(?:(?:more than|nearly|about|at least|some|over|up to|roughly)\s+)?(?:\d|dozens|hundreds|"
                          r"thousands|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty)", re.IGNORECASE)
_DEFINITE_RE = re.compile(r"\b(?:the|this|that|these|those|its|their|his|her)(?P<np>\s+(?:[\w’'-]+\s+){0,3})$", re.IGNORECASE)


# A date stated in full: with its year, or opening with a weekday's name.
_FULL_DAY_RE = re.compile(r"(?:19|20)\d{2}|^[A-Z][a-z]+day")
_BREAK_RE = re.compile(r"[,;:—–]")  # punctuation between a trigger and a date: the date is not attached


def _definite(text: str, start: int, pos: int, others: Sequence[int] = ()) -> bool:
    """Whether the noun phrase ending at ``pos`` opens with a definite determiner ("the raid",
    "the city's July directive"), not merely follows one ("the city since agents arrested")."""
    low = ascii_lowered(text)
    m = _DEFINITE_LOWER.search(low, max(start, pos - 40), pos)
    return (bool(m) and not _NOT_IN_NP_LOWER.search(low, m.start("np"), pos) and not _RELATIVE_THAT_LOWER.match(low, m.start())
            # "The raid drew protests": the determiner heads the trigger before, not this one
            and not any(m.start() < o < pos for o in others))
# A source named by words, not an entity: "officials said", "according to a federal source".
_SOURCE_WORDS_RE = re.compile(
    r"\b(?:(?:a|an|the|two|three|several|some|other|many|local|federal|state|city|police|senior|administration|"
    r"government|white house|pentagon|defense|ice|dhs|court|immigration)\s+){0,3}"
    r"(?:officials?|sources?|spokes(?:wo)?m[ae]n|spokespersons?|witnesses|advocates|authorities|organizers|residents|"
    r"protesters|activists|lawyers|attorneys|prosecutors|documents?|memos?|records|filings?|statements?|agents|officers|police)\b",
    re.IGNORECASE,
)
# A preposition before a trigger noun: "fired tear gas at protesters" names the people of another event.
_PARTICIPANT_RE = re.compile(r"\b(?:on|at|against|toward|towards|with|among|of|from|into|to)\s+(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
_MAX_MAIN_GAP_DAYS = 14
_PREP_DEF_RE = re.compile(r"\b(?:over|against|about|on|for|of|amid|despite|from|with|into|to|at|by|under)\s+"
                          r"(?:the|this|that|these|those|its|their|his|her)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
_ATTACH_CHARS = 30
# The end of a stretch of time ("will continue through June", "stays until Friday") is no date of
# the happening; "from April 2 through April 6" starts at its first date.
_SPAN_END_RE = re.compile(r"\b(?:through|thru|until|till|into|as of)\s+(?:the end of\s+|late\s+|early\s+|mid-?)?$", re.IGNORECASE)
_SPAN_END_WORD_RE = re.compile(r"(?:through|thru|until|till|into)\b", re.IGNORECASE)
# A clause of result: what it names is the outcome of the happening before it.
_RESULT_RE = re.compile(r"[\s,;—–-]*(?:resulting in|causing|leaving|leading to|which (?:resulted in|caused|left|led to))\b",
                        re.IGNORECASE)
# The present perfect of a beginning ("troops have begun patrols", "agents have moved in") tells a
# happening that started shortly before the story was written: the month of a day anchor.
_ONSET_RE = re.compile(r"\b(?:has|have)\s+(?:now\s+|just\s+|already\s+|officially\s+)?(?:begun|started|launched|"
                       r"kicked off|rolled out|arrived|moved in|set up)\b", re.IGNORECASE)
# A named or definite operation that a dated happening is part of spans that happening's time:
# "arrested 40 people during May as part of Operation X" dates the operation to May.
_PART_OF_RE = re.compile(r"\bas (?:a )?part of\s+(?:the\s+|an?\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
# A sentence about the report itself ("The announcement comes two days after ...") counts its linked
# expressions from the day the report was told; a clause with a verb of announcing and a date tells that day.
_REPORT_NOUN_RE = re.compile(r"\s*(?:The|This|That|Its|Their|His|Her)\s+(?:\w+\s+)?(?:announcement|statement|report|disclosure|"
                             r"news|release|decision|move|update|remarks?)\b")
_ANNOUNCE_RE = re.compile(r"\b(?:announc(?:ed|es|ing)|said|says|stated|confirmed|reported|revealed|disclosed|released)\b")
# A clause in the present progressive ("authorities are wrapping up"): the time of writing. ("The
# announcement comes two days after" is the time of the announcement, which the story must tell.)
_PRESENT_RE = re.compile(r"\b(?:is|are|am)\s+(?:now\s+|still\s+)?\w+ing\b(?![^.;]*\b(?:was|were|had)\b)")
# An aside set off by a pair of dashes or by parentheses ("arrested 400 people—137 over the
# weekend—and seized 21 guns"): a date inside it dates only the aside, not the clause around it.
# What a clause forbids did not happen: "a judge barred agents from making arrests", "the order
# blocks the Guard from deploying" (the trigger is the object of "from", a verb's -ing at most
# and two words between; no conjunction, which would start a new happening).
_PROHIBITED_RE = re.compile(
    r"\b(?:bar(?:s|red|ring)?|block(?:s|ed|ing)?|prohibit(?:s|ed|ing)?|ban(?:s|ned|ning)?|forb(?:id|ids|ade|idding|idden)|"
    r"enjoin(?:s|ed|ing)?|restrain(?:s|ed|ing)?|prevent(?:s|ed|ing)?|stop(?:s|ped|ping)?|keep(?:s|ing)?|kept)\b"
    r"[^.;:]{0,50}?\bfrom\s+(?:[a-z]\w+ing\s+)?(?:(?!and\b|or\b|but\b|then\b)[\w-]+\s+){0,2}$", re.IGNORECASE)
# "the largest raid since 2019", "its first deployment since June": a date after "since" that a
# superlative before it compares with is no date of the happening
_SINCE_RE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_SUPERLATIVE_RE = re.compile(r"\b(?:the|its|their|his|her|our|this|[\w-]+['’]s)\s+(?:[\w-]+\s+)?"
                             r"(?P<w>most|least|first|only|worst|best|[a-z]{2,}est)\b", re.IGNORECASE)
# plans made known in the past tense: a weekday in their clause is the day they were told
_TOLD_PLANS_RE = re.compile(r"\b(?:announced|unveiled|revealed|disclosed|outlined|detailed|laid out)\s+(?:[\w’'-]+\s+){0,2}?plans?\b",
                            re.IGNORECASE)
# a relative clause or participle telling when the thing before it began, took place or was made
# ("Operation X, which began Sept. 8", "the ordinance, passed in December 2024,", "the suit, filed June 3")
_WHICH_BEGAN_RE = re.compile(r"[\"”’',]{0,3}\s+(?:(?:which|that)\s+(?:was\s+|were\s+)?)?(?:began|started|kicked off|got under ?way|"
                             r"launched|took place|happened|occurred|passed|adopted|approved|enacted|signed|issued|filed)"
                             r"\s+(?:on\s+|in\s+)?", re.IGNORECASE)
_ASIDE_RE = re.compile(r"[—–][^—–\n]{1,80}[—–]|\([^()\n]{1,80}\)|\s--\s[^\n]{1,80}?\s--\s")
# A phrase that places a happening inside another one: "during the operation", "on the day of the
# raid", "during what officials called a targeted operation".
_DURING_RE = re.compile(r"\b(?:during|in the course of|(?:on |in )?the (?:day|night|morning|evening|afternoon) of)\s+"
                        r"(?:what\s+[^.;:]{1,40}?\s+(?:called|described as|termed|dubbed)\s+)?[^.;:]{0,50}$"
                        r"|\bin what\s+[^.;:]{1,40}?\s+(?:called|described as|termed|dubbed|said was|says was)\s+[^.;:]{0,50}$",
                        re.IGNORECASE)
_ATTACH_BEFORE_CHARS = 25
_NOT_IN_NP_RE = re.compile(r"[,;:—–.]|\b(?:is|are|was|were|has|have|had|against|for|over|amid|on|in|at|of|to|after|before|"
                           r"during|with|by|from|and|or|but|that|which|who|where|when|while|since|until|as|than)\b"
                           # a verb's -ing form and its object ("filed on June 12 challenging the arrests")
                           r"|\b[a-z]\w+ing\s+(?:the|a|an|its|their|his|her|this|these|those)\b", re.IGNORECASE)
# A trigger that is the topic of another event's clause ("amid escalating raids", "for immigration operations").
# ("about" and "over" also mean "nearly" and "more than" before a count: no topic words here)
# "Over" is a topic only after a noun of dispute ("protests over the crackdown", "a lawsuit over the raids").
_TOPIC_RE = re.compile(r"\b(?:for|against|amid|despite|toward|towards|condemn(?:s|ed|ing)?|protest(?:s|ed|ing)?|"
                       r"(?:protests|rall(?:y|ies)|outrage|anger|fury|backlash|tensions?|disputes?|lawsuits?|suits?|fights?|"
                       r"battles?|clash(?:es)?|feud|standoff) over|"
                       r"(?:su(?:e|ed|es|ing)|challeng(?:e|ed|es|ing)|fought|fight(?:s|ing)?)\s+(?:[\w’'-]+\s+){0,4}?over|"
                       # what a court or an official stops ("blocked the deployment of troops")
                       r"(?:block(?:s|ed|ing)?|halt(?:s|ed|ing)?|stop(?:s|ped|ping)?|enjoin(?:s|ed|ing)?|paus(?:e|es|ed|ing))"
                       r"\s+(?:the|a|an|its|their|his|her|any|further)|"
                       # a feared or possible happening is no happening ("closed out of fear of raids")
                       r"(?:fears?|risk|threats?|prospect|possibility|specter|spectre|rumou?rs?) of|"
                       r"denounc(?:e|es|ed|ing)|oppos(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|"
                       # what a suit or a motion contests ("a lawsuit challenging the arrests")
                       r"challeng(?:e|es|ed|ing)\s+(?:the|its|their|these|those|his|her)|contest(?:s|ed|ing)\s+(?:the|its|their))\s+(?!\d)(?:[\w’'-]+\s+){0,5}$", re.IGNORECASE)
# A phrase or relative clause that attaches to the noun before it and may date it.
_ATTACHED_RE = re.compile(r"[\s,]*(?P<pp>before|after|since|until|through|by|in|on|during)\s+|,\s+(?:which|that|when)\b")
_PP_DATE_GAP = 12  # "before the end of the month": the date follows the preposition closely
# Nouns made from verbs, which stand as modifiers before another noun; "arrest" does too.
_COMPOUNDING = ("tion", "sion", "al", "ment", "ance", "ence", "arrest")
_NEXT_WORD_RE = re.compile(r" ([A-Za-z][\w-]*)")
_VERB_BEFORE_RE = re.compile(r"\b(?:to|will|would|could|should|shall|can|may|might|must|did|do|does|not)\s+$", re.IGNORECASE)
_ATTRIB_BEFORE_RE = re.compile(r"\b(?:the|a|an|with|of|both|their|its|his|her|all|other|newly|those|"
                               r"(?!having\b|being\b)[a-z]\w+ing)\s+$", re.IGNORECASE)  # "vans carrying detained migrants"
# Grammar words after which a noun is no modifier of the next word.
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in on at to for from by with without into onto over under after before since until "
    "during amid among against as than that which who whom whose where when while is are was were be been being has "
    "have had do does did will would shall should can could may might must not no this these those there here it "
    "its their his her our your my they he she we you i also then so such only even just about across along around "
    "near outside inside through throughout toward towards upon via per".split())


# The case-blind cues read for each trigger, for ascii_lowered text: the same matches, found
# several times faster (tests/extract/test_lowered.py)
_DEFINITE_LOWER, _NOT_IN_NP_LOWER, _RELATIVE_THAT_LOWER = (
    for_lowered(_DEFINITE_RE), for_lowered(_NOT_IN_NP_RE), for_lowered(_RELATIVE_THAT_RE))
_DURING_LOWER, _PARTICIPANT_LOWER, _TOPIC_LOWER, _PREP_DEF_LOWER = (
    for_lowered(_DURING_RE), for_lowered(_PARTICIPANT_RE), for_lowered(_TOPIC_RE), for_lowered(_PREP_DEF_RE))
_SPAN_END_LOWER, _PART_OF_LOWER, _ONSET_LOWER, _FUTURE_LOWER, _SOURCE_WORDS_LOWER = (
    for_lowered(_SPAN_END_RE), for_lowered(_PART_OF_RE), for_lowered(_ONSET_RE), for_lowered(_FUTURE_RE),
    for_lowered(_SOURCE_WORDS_RE))


@dataclass(frozen=True, slots=True)
class _Hit:
    type: str
    mode: str | None
    priority: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _When:
    date: str | None
    precision: str | None
    basis: str | None
    future: bool = False
    weekday: bool = False


@dataclass(slots=True)
class _Group:
    """The mentions of one happening, gathered before the event record is built."""

    first: Event
    figures: list[int] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: str | None = None
    occurred: bool = False
    main: bool = False
    new: bool = False  # an undated mention told as a new happening, not a reference ("agents raided a plant")


class _Spans:
    """Sorted, merged (start, end) spans with bisect look-ups, so per-sentence checks stay
    logarithmic however many spans a long page excludes."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def _at(self, pos: int) -> int:
        return bisect_left(self.starts, pos + 1) - 1

    def covers(self, pos: int) -> bool:
        i = self._at(pos)
        return i >= 0 and pos < self.ends[i]

    def contains(self, a: int, b: int) -> bool:
        i = self._at(a)
        return i >= 0 and b <= self.ends[i]


@lru_cache(maxsize=32)
def _lowered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive cue pattern as a case-sensitive one for ASCII-lowered text (same
    offsets, several times faster); the pattern itself when it holds a capital letter."""
    if re.search(r"[A-Z]", re.sub(r"\\.", "", pattern.pattern)):
        return pattern
    return re.compile(pattern.pattern)


def _scan(text: str, profile: Profile) -> list[tuple[int, int, int]]:
    """(start, end, trigger index) of every trigger word in the text, in text order."""
    low = ascii_lowered(text)
    found = [(m.start(), m.end(), i) for i, t in enumerate(profile.triggers)
             for m in (t.lower.finditer(low) if t.lower is not None else _cased(t.pattern).finditer(text))]
    found.sort()
    return found


# A pattern that opens with \b as a WordPattern (the same matches, without the leading \b that
# makes the engine try every position of the text), or the pattern itself where it cannot be one;
# by the pattern's identity (its hash would hash all its compiled code).
_WORDS: dict[tuple[int, bool], tuple[re.Pattern[str], WordPattern | re.Pattern[str]]] = {}


def _words(pattern: re.Pattern[str], cased: bool = False) -> WordPattern | re.Pattern[str]:
    got = _WORDS.get((id(pattern), cased))
    if got is None or got[0] is not pattern:
        wp = word_pattern(pattern, cased=cased)
        got = _WORDS[(id(pattern), cased)] = (pattern, wp if wp is not None else pattern)
    return got[1]


def _cased(pattern: re.Pattern[str]) -> WordPattern | re.Pattern[str]:
    """A trigger that needs its capitals ("\\b(?:[Oo]peration [A-Z]...)"), run on the text itself."""
    return _words(pattern, cased=True)


def _triggers_in(text: str, s: Sentence, found: list[tuple[int, int, int]], starts: list[int],
                 profile: Profile, names: list[tuple[int, int]]) -> list[_Hit]:
    """The triggers of a sentence, one per (type, mode): several events in one sentence are kept."""
    i = bisect_left(starts, s.start)
    if i == len(found) or found[i][0] >= s.end:
        return []  # (most sentences hold no trigger word)
    hits: dict[tuple[str, str | None], _Hit] = {}
    named: list[_Hit] = []  # a happening named as a noun ("protest the arrest of ...") that a verb after it tells
    sentence = None
    low = ascii_lowered(text)
    while i < len(found) and found[i][0] < s.end:
        a, b, k = found[i]
        i += 1
        t = profile.triggers[k]
        if (t.type, t.mode) in hits and hits[(t.type, t.mode)].priority >= t.priority:
            h0 = hits[(t.type, t.mode)]
            if not (_NOUN_REF_RE.search(low, max(s.start, h0.start - 6), h0.start) and a - h0.end > 20
                    and not _NOUN_REF_RE.search(low, max(s.start, a - 6), a)):
                continue
            named.append(h0)  # the verb after the noun keeps its own clause and date; the noun stays too
            del hits[(t.type, t.mode)]
        if sentence is None:
            sentence, low_sentence = text[s.start : s.end], low[s.start : s.end]
        if t.needs is not None and not search_lowered(t.needs, sentence, low_sentence):
            continue
        if t.needs_not is not None and search_lowered(t.needs_not, sentence, low_sentence):
            continue
        if not t.in_names and _inside_name(names, a, b):
            continue  # "Homeland Security Investigations" names an agency, not an investigation
        if _NEG_LOWER.search(low[max(s.start, a - 40) : a]) or _searched(_MODAL_RE, text[max(s.start, a - 70) : a]) \
                or _PEOPLE_BEFORE_LOWER.search(low, max(s.start, a - 6), a) or _STAT_AFTER_RE.match(text, b) \
                or t.type == "COERCE" and _TREND_AFTER_RE.match(text, b):
            continue
        hits[(t.type, t.mode)] = _Hit(t.type, t.mode, t.priority, a, b)
    out = sorted([*hits.values(), *named], key=lambda h: h.start)
    # a trigger inside a longer one is part of it ("should expect more crackdowns" is a threat, not a raid)
    return [h for h in out if not any(o is not h and o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start
                                      for o in out)]


# a participle before a date before the trigger: the date modifies that participle's noun phrase
_PARTICIPLE_DATE_RE = re.compile(r"\b[a-z]{3,}ed\s+(?:(?:in|on|during|since)\s+)?(?:early\s+|late\s+|mid-?)?$")
# a determiner right before a trigger word: the happening named as a noun
_NOUN_REF_RE = re.compile(r"\b(?:the|an?|its|their|his|her)\s+$")


# The strings one of which every match of a pattern holds (profile.needles; of its lowered copy for
# a case-blind one), by the pattern's identity: a few substring tests before a regex search of a
# short stretch of text, which most stretches fail.
_NEEDLES: dict[int, tuple[re.Pattern[str], frozenset[str] | None, bool]] = {}


def _searched(pattern: re.Pattern[str], text: str, lowered: str | None = None) -> bool:
    """Whether ``pattern`` matches in ``text`` (``lowered``: its ASCII-lowered copy, for a case-blind pattern)."""
    got = _NEEDLES.get(id(pattern))
    if got is None or got[0] is not pattern:
        low = for_lowered(pattern)
        ns = needles(low.pattern, low.flags) if low is not None else needles(pattern.pattern, pattern.flags)
        got = _NEEDLES[id(pattern)] = (pattern, ns, low is not None)
    if got[2] and lowered is None:
        lowered = ascii_lower(text)
    if got[1] is not None:
        s = lowered if got[2] and lowered is not None else text
        for n in got[1]:
            if n in s:
                break
        else:
            return False
    return bool(search_lowered(pattern, text, lowered)) if lowered is not None else bool(pattern.search(text))


def _inside_name(names: list[tuple[int, int]], a: int, b: int) -> bool:
    i = bisect_left(names, (a + 1, -1)) - 1
    while i >= 0 and names[i][0] > a - 120:
        s, e = names[i]
        if s <= a and b <= e and (s, e) != (a, b):
            return True
        i -= 1
    return False


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``text[start:end]`` as (start, end) spans, in order (a light split on
    punctuation, conjunctions, relatives, participles and temporal subordinators)."""
    out, a = [], start
    for m in _CLAUSE_LOWER.finditer(ascii_lowered(text), start, end):
        cut = m.start("cut") if m.group("cut") else m.start()
        if cut > a:
            out.append((a, cut))
            a = cut
    out.append((a, end))
    return out


def _sentence_dates(text: str, all_dates: list[DateMatch], starts: list[int], s: Sentence) -> list[DateMatch]:
    i = bisect_left(starts, s.start)
    found = []
    while i < len(all_dates) and all_dates[i].start < s.end:
        if all_dates[i].end <= s.end:
            found.append(all_dates[i])
        i += 1
    # a relative expression inside an absolute one ("Wednesday, Dec. 3, 2025") is the same date
    out = [d for d in found if not any(o is not d and not o.relative and o.start <= d.start and d.end <= o.end for o in found)]
    # a dateline opening the sentence ("SPOKANE, Sept. 3 (Reuters) —") dates the report, not what it tells
    out = [d for d in out if not (_DATELINE_BEFORE_RE.fullmatch(text, s.start, d.start) and _DATELINE_AFTER_RE.match(text, d.end))]
    # the date of a report ("first reported by the AP last month") is not an event's, when the
    # sentence dates the event too
    events_dates = [d for d in out if not _REPORT_DATE_RE.search(text[max(s.start, d.start - 80) : d.start])]
    return events_dates or out


def _year_hint(text: str, anchor: str | None, excluded: _Spans) -> int | None:
    """The year of the document's year-less dates when it has no anchor: the latest year of a
    date it states in full ("June 10, 2025", "June 2025") or pins by a weekday ("Thursday, May 1").
    A bare year ("since 2003") is no hint."""
    if anchor:
        return None
    years = [int(m.group("y") or m.group("y2")) for m in finditer_at(_FULL_YEAR_RE, _FULL_YEAR_STARTS, text, 0, len(text))
             if not excluded.covers(m.start())]
    today = _date.today().year
    for m in finditer_at(_PINNED_RE, _PINNED_STARTS, text, 0, len(text)):
        if not excluded.covers(m.start()):
            d = find_absolute(m.group(), year_hint=today)
            if d and d[0].precision == "day":
                years.append(int(d[0].date[:4]))
    return max(years) if years else None


def extract_events(text: str, sentences: Sequence[Sentence], doc: Document, entities: Sequence[Entity],
                   figures: Sequence[Figure], profile: Profile, settings: Settings,
                   excluded: Sequence[Mention] = (), quotes: Sequence[Quote] = ()) -> list[Event]:
    """Events reported by the story's own sentences (not inside quotations, headlines or excluded spans)."""
    anchor = doc.published
    ex = [(m.start, m.end) for m in excluded]
    exs = _Spans(ex)
    hint = _year_hint(text, anchor, exs)
    absolute = find_absolute(text, anchor=anchor, year_hint=hint)
    # a weekday before the date it names ("on Thursday, Sept. 3") is that date, not a weekday of its own
    taken_abs = _Spans([(d.start, d.end) for d in absolute])
    relative = [d for d in find_relative(text, 0, len(text), anchor)
                if not (taken_abs.covers(d.start) or taken_abs.covers(d.end - 1))]
    all_dates = sorted(absolute + relative, key=lambda d: d.start)
    all_dates = [d for d in all_dates if not exs.covers(d.start)]
    if precision_of(anchor) != "day":
        # no day anchor: weekdays count forward from the first day the text states in full
        stated = [d for d in all_dates if d.precision == "day" and not d.relative
                  and _FULL_DAY_RE.search(text[d.start : d.end])]
        if stated:
            taken = _Spans([(d.start, d.end) for d in all_dates])
            extra = [w for w in find_weekdays_after(text, 0, len(text), stated[0].date)
                     if not taken.covers(w.start) and not exs.covers(w.start)]
            all_dates = sorted(all_dates + extra, key=lambda d: d.start)
    # quoted speech reports an event only when it dates it ("departed ... as of this morning")
    # (a few quoted words inside a sentence of the story's own are its words too: "a 'targeted' operation")
    dstarts = [d.start for d in all_dates]
    quoted = _Spans([(q.start, q.end) for q in quotes if bisect_left(dstarts, q.start) == bisect_left(dstarts, q.end)
                     and len(text[q.start : q.end].split()) >= _SPEECH_WORDS])
    mentions = sorted((m.start, m.end, e) for e in entities for m in e.mentions)
    names = sorted((a, b) for a, b, _ in mentions)
    mstarts = [a for a, _, _ in mentions]
    fig_order = sorted(range(len(figures)), key=lambda i: figures[i].start)
    fstarts_fig = [figures[i].start for i in fig_order]
    sstarts = [t.start for t in sentences]
    headlines = _headline_paragraphs(text, sentences, doc.title)
    found = _scan(text, profile)
    fstarts = [f[0] for f in found]
    date_starts = [d.start for d in all_dates]
    cues = profile.event_cues
    low = ascii_lowered(text)  # the case-blind cues of each trigger run on it (the *_LOWER patterns)
    report = cues.get("report")
    lowered_report = for_lowered(report) if report is not None else None  # (once: for_lowered's cache hashes the pattern)
    report_low = _words(lowered_report) if lowered_report is not None else None
    # background cues found once per document (outside entity names: "Arizona Daily Star" is no habit)
    bg_starts = [m.start() for m in _lowered(cues["background"]).finditer(ascii_lowered(text))
                 if not _inside_name(names, m.start(), m.end())] if cues.get("background") else []
    groups: dict[tuple[str, str | None, str | None], _Group] = {}
    dated_by_type: dict[tuple[str, str | None], str] = {}
    context: tuple[int, _When] | None = None  # (paragraph, the last date stated in it)
    last_stated: _When | None = None  # the last date stated before, in any paragraph
    report_when: _When | None = None  # the day a report of the story was told ("On Monday, ICE announced")
    for s in sentences:
        if exs.contains(s.start, s.end):
            continue
        if context and context[0] != s.paragraph:
            context = None
        dates = _sentence_dates(text, all_dates, date_starts, s)
        hits = [] if s.paragraph in headlines else [
            h for h in _triggers_in(text, s, found, fstarts, profile, names) if not quoted.covers(h.start)
            and not any(d.start <= h.start < d.end for d in dates)]  # "in March" is a date, not a march
        if not hits:
            if dates:
                if _ANNOUNCE_RE.search(text, s.start, s.end) and not dates[0].future:
                    report_when = _When(dates[0].date, dates[0].precision, "stated")
                last = dates[-1]
                context = (s.paragraph, _When(last.date, last.precision, "relative" if last.relative else "stated", last.future))
                last_stated = context[1]
            continue
        linked = [ld for ld in find_linked(text, s.start, s.end) if not any(d.start <= ld.start < d.end for d in dates)]
        cls = clauses(text, s.start, s.end)
        ents = mentions[bisect_left(mstarts, s.start) : bisect_left(mstarts, s.end)]
        sfigs = [i for i in fig_order[bisect_left(fstarts_fig, s.start) : bisect_left(fstarts_fig, s.end)]
                 if figures[i].kind != "other"]
        chain = _attributed_to(text, s, ents, report, report_low)
        top = _top(hits, cls)
        hstarts = [o.start for o in hits]
        # a happening the sentence names by definite reference and the story already dated ("during the operation")
        ref_date = next((dated_by_type[(h.type, h.mode)] for h in hits if (h.type, h.mode) in dated_by_type
                         and _definite(text, s.start, h.start, hstarts)), None)
        if not ref_date:
            ref_date = next((dated_by_type[(h.type, h.mode)] for h in hits if (h.type, h.mode) in dated_by_type
                             and (text[h.start : h.end].lower().startswith(("the ", "this ", "that "))
                                  or _DURING_LOWER.search(low, max(s.start, h.start - 90), h.start))), None)
        # "The shooting came three days after ...": a happening already dated, named first, that a
        # linked expression after it counts from
        first = min(hits, key=lambda o: o.start)
        subject = (first.start, _When(dated_by_type[(first.type, first.mode)],
                                      precision_of(dated_by_type[(first.type, first.mode)]), "inherited")) \
            if (first.type, first.mode) in dated_by_type and _definite(text, s.start, first.start, hstarts) else None
        asides = [(m.start(), m.end()) for m in _ASIDE_RE.finditer(text, s.start, s.end)] if dates else []
        dates = [d for d in dates if not (_SPAN_END_LOWER.search(low, max(s.start, d.start - 20), d.start)
                                          or _SPAN_END_WORD_RE.match(text, d.start))]
        all_sdates = dates
        told: _When | None = None
        for h in hits:
            # a date inside an aside dates only what the aside tells
            dates = [d for d in all_sdates if not any(a <= d.start < b and not a <= h.start < b for a, b in asides)]
            k = _clause_of(cls, h.start)
            before = text[cls[k][0] : h.start]
            word = text[h.start : h.end].lower()
            # a proper name ("Operation Desert Lantern") is as definite as "the raid"
            definite = (_definite(text, s.start, h.start, hstarts) or word.startswith(("the ", "this ", "that "))
                        or text[h.start].isupper() and word.startswith("operation "))
            if h is not top and word.endswith(("ers", "ors", "ants", "ists")) and (
                    _PARTICIPANT_LOWER.search(low, max(s.start, h.start - 40), h.start)
                    or any(o.priority > h.priority and o.type != h.type and _clause_of(cls, o.start) == k for o in hits)):
                continue  # "tear gas on demonstrators", "five protesters were arrested": the people of another event
            if k > 0 and _RESULT_RE.match(text, cls[k][0]) and any(
                    o.type == h.type and o.priority >= h.priority and _clause_of(cls, o.start) < k for o in hits):
                # "protests ..., resulting in property damage": an outcome of the same kind told no stronger than
                # the happening is that happening ("raids ..., resulting in 30 arrests" are arrests of their own)
                continue
            if _modifier(text, h) or _attributive(text, h, s.start):
                continue  # "deportation orders", "the alleged members": a word that describes, not a happening
            if _PROHIBITED_RE.search(text, max(cls[k][0], h.start - 90), h.start):
                continue  # "barred agents from making arrests": what is forbidden is no happening
            i = bisect_left(bg_starts, cls[k][0])
            bg_cue = i < len(bg_starts) and bg_starts[i] < cls[k][1]
            # "led to the arrest of 31 workers": a noun whose "of" names who or how many is new, not a
            # reference (unless the count is a recap: "the arrest of 1,500 in the past 30 days")
            definite = definite and (bg_cue or not _OF_COUNT_RE.match(text, h.end))
            ctx = context or ((s.paragraph, last_stated) if last_stated else None)
            # the topic of another event's clause; the sentence's main trigger too when another event comes
            # first ("residents protested against the deployment of troops")
            topic = (h is not top or any(o.start < h.start for o in hits)) and bool(
                _TOPIC_LOWER.search(low, max(s.start, h.start - 70), h.start))
            anaphor = word.startswith(("the ", "this ", "that "))  # "the operation": nothing but a reference
            # a definite object of a preposition ("sued the city over its ordinance") names a known thing
            anaphor = anaphor or definite and bool(_PREP_DEF_LOWER.search(low, max(s.start, h.start - 50), h.start))
            if definite and (h is not top or (h.type, h.mode) in dated_by_type) or topic or anaphor:
                # a happening already told, or the topic of another ("to condemn the raid", "alleging its
                # ordinance violates", "amid escalating raids"): only a date attached to it dates it, else
                # the story's date for it, else (named inside another's clause) none
                when = _attached(text, h, dates, linked, ctx, [o.start for o in hits if o is not h])
                if when.date is None and (h.type, h.mode) in dated_by_type:
                    d = dated_by_type[(h.type, h.mode)]
                    when = _When(d, precision_of(d), "inherited")
                elif when.date is None and _PART_OF_LOWER.search(low, max(s.start, h.start - 60), h.start):
                    part = _date_of(text, h, cls, dates, linked, ctx, own_only=True)
                    if part.date:  # the whole spans the part: its month
                        when = _When(part.date[:7], "month", part.basis)
            elif bg_cue:
                # a recap ("prior raids resulted in ..."): only its own clause can date it
                when = _date_of(text, h, cls, dates, linked, ctx, own_only=True)
            else:
                when = _date_of(text, h, cls, dates, linked, ctx,
                                report=report_when if _REPORT_NOUN_RE.match(text, s.start) else None,
                                now=anchor if precision_of(anchor) == "day" else None, subject=subject)
                if when.date is None and ref_date is not None and not bg_cue:
                    when = _When(ref_date, precision_of(ref_date), "inherited")
                if when.date is None and not bg_cue:
                    when = _inherited(text, h, s, dated_by_type, context)
                if (when.date is None and anchor and precision_of(anchor) == "day"
                        and _ONSET_LOWER.search(low, cls[k][0], cls[k][1])):
                    when = _When(anchor[:7], "month", "relative")
            if when.basis == "relative" and not dates and when.precision == "day":
                told = when  # (a month counted in weeks, "nearly a week after", tells no day to carry on)
            # the clause up to the trigger, and the verb group right after a subject ("Operation X will continue")
            status = _status(before + " " + text[h.end : min(cls[k][1], h.end + 25)], when, anchor, cues)
            if h.type == "THREATEN" and status == "occurred":
                status = "threatened"  # a threat, however worded, is no happening of what it threatens
            if status == "planned" and when.weekday and when.date and _FUTURE_LOWER.search(low, cls[k][0], cls[k][1]) \
                    and not _TOLD_PLANS_RE.search(before):
                # "marches are planned for Saturday": the coming one, not the one past (but "announced plans
                # to send troops on Saturday" tells the day of the announcement, as news tells what was done)
                nd = shift(when.date, 7)
                when = _When(nd, when.precision, when.basis, True, True)
            if status == "planned" and when.basis == "inherited" and not definite:
                # a plan is dated by when it is to happen, not by the day of the sentences around it
                when = _When(None, None, None)
            elif status == "planned" and when.date and any(
                    d.date == when.date and _REPORT_DATE_RE.search(text[max(s.start, d.start - 80) : d.start]) for d in dates):
                # nor by the day it was told ("the governor said Thursday she would sue")
                when = _When(None, None, None)
            if h is first and subject is None and definite and when.date is not None:
                subject = (h.start, when)  # "The raids came one week after ...": counted from the raids' day
            background = bg_cue or _far_back(when, anchor)
            if when.date is None and background:
                continue  # an undated look back ("follows a series of sweeps"): no happening of this story
            date = when.date
            reference = definite or topic or anaphor
            if date is None and (h.type, h.mode) in dated_by_type and _joins(groups, h.type, h.mode, dated_by_type, reference):
                date = dated_by_type[(h.type, h.mode)]  # an undated mention of a happening the story dates
                when = _When(None, None, None)
                key = (h.type, h.mode, date)
            else:
                key = (h.type, h.mode, date)
            if date is None and settings.events_require_date:
                continue
            place = _place(ents, h.start)
            actors, targets = _roles(text, ents, h, cls[k])
            figs = sfigs
            g = groups.get(key)
            if g is None:
                sp = span(text, s.start, s.end)
                ev = Event(
                    type=h.type, mode=h.mode, date=date, date_precision=when.precision if date == when.date else precision_of(date),
                    place=place, actors=(), targets=(), figures=(), text=sp.text, start=sp.start, end=sp.end,
                    trigger=span(text, h.start, h.end), attribution=_attribution(text, sentences, sstarts, s, mentions, mstarts),
                    status=status, salience="background" if background else "main",
                    date_basis=when.basis if date == when.date else "inherited", attributed_to=chain,
                )
                g = groups[key] = _Group(ev, place=place)
                if date is not None:
                    dated_by_type.setdefault((h.type, h.mode), date)
            g.figures.extend(f for f in figs if f not in g.figures)
            g.actors.extend(a for a in actors if a not in g.actors)
            g.targets.extend(t for t in targets if t not in g.targets)
            g.place = g.place or place
            g.new = g.new or (date is None and not reference)
            # an undated mention joined to the dated happening does not tell whether it happened
            g.occurred = g.occurred or (status == "occurred" and when.basis in ("stated", "relative"))
            # nor whether it is the news: a dated happening's salience is that of its dated mentions
            g.main = g.main or (not background and (when.date is not None or date is None))
        dates = [d for d in all_sdates if not any(a <= d.start < b for a, b in asides)] if hits else dates
        for d in dates:
            k = _clause_of(cls, d.start) if hits else 0
            a, b = cls[k] if hits else (s.start, s.end)
            if _ANNOUNCE_RE.search(text, a, b) and not d.future:
                report_when = _When(d.date, d.precision, "relative" if d.relative else "stated")
                break
        if dates:
            last = dates[-1]
            context = (s.paragraph, _When(last.date, last.precision, "relative" if last.relative else "stated", last.future))
            last_stated = context[1]
        elif ref_date is not None:
            # a sentence set inside a happening already dated ("arrested during the operation"): the
            # sentences after it in its paragraph tell the same day
            context = (s.paragraph, _When(ref_date, precision_of(ref_date), "inherited"))
        elif told is not None:  # a day told by a linked expression ("overnight", "two days later") carries on too
            context = (s.paragraph, told)
            last_stated = told
    for (t, m, d), g in list(groups.items()):  # an undated mention told before the story dates it
        if d is None and (t, m) in dated_by_type and _joins(groups, t, m, dated_by_type, not g.new):
            into = groups[(t, m, dated_by_type[(t, m)])]
            into.figures.extend(f for f in g.figures if f not in into.figures)
            into.place = into.place or g.place
            into.occurred = into.occurred or g.occurred
            del groups[(t, m, d)]
    return [_built(g) for g in groups.values()]


# a preposition right before a name: the name is no subject ("the arrest of X", "a lawsuit from X")
_PREP_BEFORE_RE = re.compile(r"\b(?:of|for|from|with|to|at|in|on|against|about|over|by|near|outside|inside)\s+(?:the\s+)?$",
                             re.IGNORECASE)
# a verb of saying right after a name: its speaker, not a doer ("Sheriff Nick Hunter said his office ...")
_SAYS_AFTER_RE = re.compile(r"\s*,?\s+(?:said|says|told|added|noted|stated|claimed|confirmed|announced|argued|wrote)\b")
# a form of "be" before the trigger in its clause: a passive ("was among 23 workers detained")
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|been|being|is|are|got|get)\b[^,.;]{0,40}$", re.IGNORECASE)
# a passive's agent right after the trigger ("was detained by ICE agents")
_BY_AFTER_RE = re.compile(r"\s+by\s+(?:the\s+|federal\s+|local\s+)?$", re.IGNORECASE)


def _roles(text: str, ents: list[tuple[int, int, Entity]], h: _Hit, clause: tuple[int, int]) -> tuple[list[str], list[str]]:
    """Who does and who undergoes a happening: the names before its trigger in its own clause that no
    preposition governs ("ICE agents arrested ..."), or a passive's agent after it ("was detained by
    ICE"); the names after it in its clause are its targets."""
    a0, b0 = clause
    before = [e.id for a, b, e in ents if e.kind != "place" and a0 <= a < h.start
              and not _PREP_BEFORE_RE.search(text, max(a0, a - 14), a)
              and text[a - 1 : a] != "(" and not _SAYS_AFTER_RE.match(text, b)]  # (no "(Reuters)", no "X said")
    after = [(a, e) for a, b, e in ents if e.kind != "place" and h.end <= a < b0]
    by = [e.id for a, e in after if _BY_AFTER_RE.search(text, max(h.end, a - 16), a)]
    passive = _PASSIVE_BEFORE_RE.search(text, max(a0, h.start - 50), h.start) is not None
    # a happening named as a noun ("criticized the arrests", "challenging the arrests") has no subject of its
    # own: the clause's subject does something else to it
    noun = _NOUN_REF_RE.search(ascii_lowered(text), max(a0, h.start - 6), h.start) is not None  # (lower-case pattern)
    actors = by if passive or noun or not before else before  # "Her husband was among 23 workers detained": no doer
    targets = [e.id for a, e in after if e.id not in by] + (before if passive and not noun else [])
    return actors, targets


def _joins(groups: dict, t: str, m: str | None, dated_by_type: dict[tuple[str, str | None], str],
           reference: bool) -> bool:
    """Whether an undated mention is the happening the story dates for its type: a reference to
    it ("the ordinance", "the raid") always is; a happening told as new only when the dated one
    is news, not a recap, and dated closer than a year ("Agents raided a plant ... the largest
    raid since 2019, when agents arrested 280": the arrests told first are not those of 2019)."""
    if reference:
        return True
    d = dated_by_type[(t, m)]
    g = groups.get((t, m, d))
    return g is not None and g.main and precision_of(d) != "year"


def _compared(text: str, start: int, at: int) -> bool:
    """Whether "since" right before ``at`` follows a superlative of its sentence ("the largest
    raid since"): what comes after it is the measure, not the happening's own time."""
    if not _SINCE_RE.search(text, max(start, at - 8), at):
        return False
    return any(m.group("w").lower() in ("most", "least", "first", "only", "worst", "best")
               or not common_noun(m.group("w")) for m in _SUPERLATIVE_RE.finditer(text, start, at))


def _built(g: _Group) -> Event:
    e = g.first
    return Event(
        type=e.type, mode=e.mode, date=e.date, date_precision=e.date_precision, place=g.place, actors=tuple(g.actors),
        targets=tuple(g.targets), figures=tuple(g.figures), text=e.text, start=e.start, end=e.end, trigger=e.trigger,
        attribution=e.attribution, status="occurred" if g.occurred else e.status,
        salience="main" if g.main else "background", date_basis=e.date_basis, attributed_to=e.attributed_to,
    )


def _attached(text: str, h: _Hit, dates: list[DateMatch], linked: list, context: tuple[int, _When] | None,
              others: Sequence[int] = ()) -> _When:
    """A date in a trigger's own phrase: right before it ("the July 2025 directive", "a June 10
    raid") or right after it ("the raid on Oct. 21", "the raid the day before"), or none. A date
    after another trigger is that one's ("the arrests drew protests the next day")."""
    for d in dates:
        if 0 <= d.start - h.end <= _ATTACH_CHARS and not _BREAK_RE.search(text, h.end, d.start) \
                and not any(h.end <= o < d.start for o in others):
            return _When(d.date, d.precision, "relative" if d.relative else "stated", d.future, d.weekday)
    for ld in linked:
        if 0 <= ld.start - h.end <= _ATTACH_CHARS and not _BREAK_RE.search(text, h.end, ld.start) and not ld.governs_after \
                and not any(h.end <= o < ld.start for o in others):
            ref = _reference(dates, ld.start, context)
            iso = shift(ref.date, ld.days) if ref and ref.date else None
            if iso:
                iso = iso[:7] if ld.approx else iso
                return _When(iso, precision_of(iso), "relative")
    m = _WHICH_BEGAN_RE.match(text, h.end)
    if m:  # "Operation Midway Blitz, which began Sept. 8": the relative clause dates what it follows
        d = next((d for d in dates if d.start == m.end()), None)
        if d is not None:
            return _When(d.date, d.precision, "relative" if d.relative else "stated", d.future, d.weekday)
    for d in dates:  # a premodifier: only determiners, adjectives and nouns between it and the trigger
        if 0 <= h.start - d.end <= _ATTACH_BEFORE_CHARS and not _NOT_IN_NP_RE.search(text, d.end, h.start):
            return _When(d.date, d.precision, "relative" if d.relative else "stated", d.future, d.weekday)
    return _When(None, None, None)


def _top(hits: list[_Hit], cls: list[tuple[int, int]]) -> _Hit | None:
    """The event a sentence is about: the highest priority trigger of its first clause with one."""
    if not hits:
        return None
    first = min(_clause_of(cls, h.start) for h in hits)
    return max((h for h in hits if _clause_of(cls, h.start) == first), key=lambda h: (h.priority, -h.start))


def _modifier(text: str, h: _Hit) -> bool:
    """A one-word singular noun trigger right before another noun modifies it ("deportation
    orders", "detention purposes", "arrest warrant"): the thing named is not a happening."""
    w = text[h.start : h.end]
    if " " in w or not w.isalpha() or not w.lower().endswith(_COMPOUNDING):
        return False  # "the raid began": only nominalizations compound ("deportation flights", "arrest warrant")
    if _VERB_BEFORE_RE.search(text, max(0, h.start - 12), h.start):
        return False  # "plans to raid farms": a verb and its object
    m = _NEXT_WORD_RE.match(text, h.end)
    if not m:
        return False
    nxt = m.group(1)
    return nxt.islower() and nxt not in _FUNCTION_WORDS and not nxt.endswith(("ed", "ing", "ly"))


def _attributive(text: str, h: _Hit, start: int) -> bool:
    """A participle used as an adjective after a determiner or preposition ("the alleged
    members", "with alleged histories", "both detained migrants")."""
    w = text[h.start : h.end]
    if " " in w or not w.lower().endswith("ed"):
        return False
    m = _NEXT_WORD_RE.match(text, h.end)
    return bool(m and m.group(1).isalpha() and m.group(1) not in _FUNCTION_WORDS
                and _ATTRIB_BEFORE_RE.search(text, max(start, h.start - 12), h.start))


def _clause_of(cls: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(cls):
        if a <= pos < b:
            return i
    return len(cls) - 1


def _date_of(text: str, h: _Hit, cls: list[tuple[int, int]], dates: list[DateMatch],
             linked: list, context: tuple[int, _When] | None, own_only: bool = False,
             report: _When | None = None, now: str | None = None,
             subject: tuple[int, _When] | None = None) -> _When:
    """The date of a trigger from its own clause, from a phrase or relative clause attached right
    after it ("raid before the end of the month", "Operation X, which took place in May"), or from
    the clause its clause continues."""
    k = _clause_of(cls, h.start)
    order = [k]
    nxt = _ATTACHED_RE.match(text, cls[k + 1][0]) if k + 1 < len(cls) else None
    if nxt and (not nxt.group("pp") or any(0 <= d.start - nxt.end() <= _PP_DATE_GAP for d in dates)) \
            and not (nxt.group("pp") == "since" and _compared(text, cls[0][0], nxt.end())):
        order.append(k + 1)  # a temporal phrase only when a date opens it, not a clause ("since agents arrested ...")
    if not own_only:
        order += list(range(k - 1, -1, -1))
    own_time = False  # the trigger's clause tells a time of its own: no earlier clause dates it
    for j in order:
        if own_time and j < k:
            break
        a, b = cls[j]
        own = [d for d in dates if a <= d.start < b]
        # "two days after agents arrived" dates what follows it, not the clause before it
        links = [ld for ld in linked if (a <= ld.start < b or ld.start < a < ld.end)  # "a day | after ..." spans the cut
                 and not (ld.governs_after and h.start < ld.start)]
        if own or links:
            cands: list[tuple[int, _When]] = [((d.start + d.end) // 2, _When(d.date, d.precision, "relative" if d.relative else "stated",
                                                                            d.future, d.weekday)) for d in own]
            for ld in links:
                if ld.governs_after:
                    rest = [d for d in dates if not a <= d.start < b and d.end <= ld.start]
                    # counted from the rest of its own sentence ("on Oct. 22 ... the day after the raid"), never from afar
                    ref = _When(rest[-1].date, rest[-1].precision, "stated") if rest else \
                        subject[1] if subject is not None and subject[0] < ld.start else report
                    if ref is None and now and _PRESENT_RE.search(text, max(0, ld.start - 120), ld.start):
                        ref = _When(now, "day", "relative")  # "are wrapping up ... a week after X": counted from today
                else:
                    ref = _reference(dates, ld.start, context)
                iso = shift(ref.date, ld.days) if ref and ref.date else None
                iso = iso[:7] if iso and ld.approx else iso
                if iso:
                    cands.append(((ld.start + ld.end) // 2, _When(iso, precision_of(iso), "relative")))
            if len(cands) > 1:
                # "denied Wednesday that officers used tear gas ... on Tuesday night": the day after a verb of
                # saying is the day it was said; the happening told in its clause has a day of its own
                told_on = {(d.start + d.end) // 2 for d in own
                           if d.end <= h.start and _REPORT_DATE_RE.search(text, max(a, d.start - 40), d.start)}
                cands = [c for c in cands if c[0] not in told_on] or cands
                # a date inside the trigger's own words, or after another participle before it, modifies a
                # noun phrase ("members federalized in September left on Thursday"): the happening's day is another
                drop = {(d.start + d.end) // 2 for d in own if h.start < (d.start + d.end) // 2 < h.end
                        or d.end <= h.start and _PARTICIPLE_DATE_RE.search(text, max(a, d.start - 30), d.start)}
                cands = [c for c in cands if c[0] not in drop] or cands
            if cands:
                rank = {"day": 0, "month": 1, "year": 2}
                return min(cands, key=lambda c: (abs(c[0] - h.start), rank.get(c[1].precision or "", 3)))[1]
        if j == k and _OTHER_TIME_RE.match(text, a) and not own_only:
            # "since agents arrived": its own time, not that of the clause before it; but "after
            # protesters smashed windows" tells the same night as the clause it follows
            if _AFTER_RE.match(text, a) and j > 0:
                prev = [d for d in dates if cls[j - 1][0] <= d.start < cls[j - 1][1]]
                if prev:
                    return _When(prev[-1].date, prev[-1].precision, "inherited")
            own_time = True  # (a relative clause attached to it still may: "during X, which began May 2")
    return _When(None, None, None)


def _reference(dates: list[DateMatch], pos: int, context: tuple[int, _When] | None) -> _When | None:
    """The date a linked expression counts from: the last date before it in its sentence, else
    the paragraph's."""
    before = [d for d in dates if d.end <= pos]
    if before:
        d = before[-1]
        return _When(d.date, d.precision, "stated")
    return context[1] if context else None


def _inherited(text: str, h: _Hit, s: Sentence, dated_by_type: dict[tuple[str, str | None], str],
               context: tuple[int, _When] | None) -> _When:
    """A date the text links to an undated mention: a definite reference to a happening already
    dated ("the raid"), else the date stated earlier in the paragraph."""
    if _definite(text, s.start, h.start):
        d = dated_by_type.get((h.type, h.mode))
        if d is None:
            d = next((v for (t, _), v in dated_by_type.items() if t == h.type), None)
        if d is not None:
            return _When(d, precision_of(d), "inherited")
    if context is not None and context[1].date:
        return _When(context[1].date, context[1].precision, "inherited", context[1].future)
    return _When(None, None, None)


def _status(before: str, when: _When, anchor: str | None, cues: dict[str, re.Pattern[str]]) -> str:
    """occurred | planned | threatened | denied, from the words of the clause before the trigger
    and from a date after the anchor."""
    lowered = ascii_lower(before)
    if cues.get("denied") and _searched(cues["denied"], before, lowered):
        return "denied"
    if cues.get("threatened") and _searched(cues["threatened"], before, lowered):
        return "threatened"
    if cues.get("planned") and _searched(cues["planned"], before, lowered):
        return "planned"
    if when.future or (when.date and anchor and precision_of(anchor) == "day" and when.precision == "day"
                       and when.date > anchor):
        return "planned"
    return "occurred"


def _far_back(when: _When, anchor: str | None) -> bool:
    """A happening dated weeks before the story's day is a recap, not the news."""
    if not when.date or not anchor or precision_of(anchor) != "day":
        return False
    if when.precision == "year":
        return True
    end = to_date(when.date) if when.precision == "day" else to_date(_month_end(when.date))
    return (to_date(anchor) - end).days > _MAX_MAIN_GAP_DAYS


def _month_end(iso: str) -> str:
    """The last day of the month of an ISO month ("2025-02" -> "2025-02-28")."""
    y, m = int(iso[:4]), int(iso[5:7])
    nxt = _date(y + (m == 12), m % 12 + 1, 1)
    return _date.fromordinal(nxt.toordinal() - 1).isoformat()


# a list item's mark at the start of its line
_BULLET_RE = re.compile(r"[ \t]*(?:[•·▪◦●■►‣⁃*]|[-–—](?=[ \t]))")


def _headline_paragraphs(text: str, sentences: Sequence[Sentence], title: str | None) -> set[int]:
    """Paragraphs that are headlines, not story sentences: the document's title, one short
    sentence without final punctuation, or a line in title case."""
    by_para: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_para.setdefault(s.paragraph, []).append(s)
    out = set()
    tkey = " ".join(title.split()) if title else None
    first = tkey.split(" ", 1)[0] if tkey else ""  # (a paragraph that is the title opens with its first word)
    for p, ss in by_para.items():
        t = text[ss[0].start : ss[-1].end]
        if tkey and t.lstrip().startswith(first) and " ".join(t.split()) == tkey:
            out.add(p)
            continue
        if len(ss) == 1:
            words = t.split()
            line_start = text.rfind("\n", 0, ss[0].start) + 1
            if _BULLET_RE.match(text, line_start, ss[0].start + 2):
                continue  # "• ICE raided three farms on Aug. 27, detaining 45": a list item of the story, no headline
            if len(words) <= 18 and not t.rstrip("”\"')").endswith((".", "!", "?")):
                out.add(p)
            elif 4 <= len(words) <= 25:
                caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
                if caps >= 0.8 * len(words):
                    out.add(p)
    return out


def _attributed_to(text: str, s: Sentence, ents: list[tuple[int, int, Entity]],
                   report: re.Pattern[str] | None, low: WordPattern | re.Pattern[str] | None) -> tuple[str, ...] | None:
    """Who the sentence says tells it, outermost first: "according to X" and "per X" before
    the rest, then in text order ("NBC reported that a source said" -> NBC, a source)."""
    if report is None:
        return None
    outer: list[tuple[int, str]] = []
    inner: list[tuple[int, str]] = []
    for m in (low.finditer(ascii_lowered(text), s.start, s.end) if low is not None else report.finditer(text, s.start, s.end)):
        w = m.group().lower()
        after = w in ("according to", "per", "citing")
        if after:
            src = _source_at(text, m.end(), s.end, ents, forward=True)
        else:
            src = _source_at(text, s.start, m.start(), ents, forward=False) or \
                _source_at(text, m.end(), s.end, ents, forward=True, tight=True)
        if src:
            (outer if w in ("according to", "per") else inner).append((m.start(), src))
    chain = [n for _, n in sorted(outer)] + [n for _, n in sorted(inner)]
    chain = list(dict.fromkeys(chain))
    return tuple(chain) or None


def _source_at(text: str, a: int, b: int, ents: list[tuple[int, int, Entity]], forward: bool,
               tight: bool = False) -> str | None:
    """The organization or person (its id), or the words naming a source, right after ``a``
    (forward) or right before ``b``."""
    reach = 6
    cands = [(s, e, ent) for s, e, ent in ents if ent.kind in ("organization", "person")
             and (a <= s <= a + reach if forward else (e <= b and b - e <= 3))]
    if cands:
        s, e, ent = cands[0] if forward else cands[-1]
        return ent.id
    w0, w1 = (a, min(b, a + 60)) if forward else (max(a, b - 60), b)
    window = text[w0:w1]
    ms = list(_SOURCE_WORDS_LOWER.finditer(ascii_lowered(text)[w0:w1]))  # (its words are read from the text)
    if not ms:
        return None
    m = ms[0] if forward else ms[-1]
    if forward and m.start() > (6 if tight else 12) or not forward and len(window) - m.end() > 3:
        return None
    return window[m.start() : m.end()].strip()


_ATTR_RE = re.compile(
    r"\b(?:(?:(?:first |originally )?reported by|according to|per|citing|obtained by|told)\s+(?:the\s+)?"
    r"|(?:first )?(?P<rep>reported|revealed|reports)\b)",
    re.IGNORECASE,
)
_ATTR_LOWER = for_lowered(_ATTR_RE) or _ATTR_RE
# on ascii_lowered text, looked up in its index of word starts, not tried at every position of three sentences
_ATTR_WORDS = _words(_ATTR_LOWER)


def _attribution(text: str, sentences: Sequence[Sentence], sstarts: list[int], s: Sentence,
                 mentions: list[tuple[int, int, Entity]], mstarts: list[int]) -> Attribution | None:
    """The source the story credits for this report: in the sentence, or the next one of the
    paragraph ("... according to a leaked document. The document was first reported by X")."""
    i = bisect_left(sstarts, s.end)
    nxt = [t for t in sentences[i : i + 2] if t.start <= s.end + 300]
    low = ascii_lowered(text) if _ATTR_LOWER is not _ATTR_RE else text
    for sent in (s, *nxt):
        for m in _ATTR_WORDS.finditer(low, sent.start, sent.end):  # (its place and its group "rep" are read)
            near = mentions[bisect_left(mstarts, sent.start) : bisect_left(mstarts, sent.end)]
            if m.group("rep"):
                # "The Los Angeles Times reported": the organization right before the verb
                cands = [(a, b, e) for a, b, e in near if b <= m.start() and m.start() - b <= 2]
            else:
                cands = [(a, b, e) for a, b, e in near if m.end() <= a <= m.end() + 4 and b <= sent.end]
            cands = [c for c in cands if c[2].kind in ("organization", "person")]
            if cands:
                a, b, e = cands[-1] if m.group("rep") else cands[0]
                sp = span(text, min(a, m.start()), max(b, m.end()))
                return Attribution(e.id, e.name, sp.text, sp.start, sp.end)
    return None


def _place(ents: list[tuple[int, int, Entity]], pos: int) -> str | None:
    places = [(a, e) for a, b, e in ents if e.kind == "place"]
    if not places:
        return None
    # the place nearest the trigger, preferring ones after it ("raid in Los Angeles")
    return min(places, key=lambda p: abs(p[0] - pos) + (0 if p[0] >= pos else 20))[1].id
