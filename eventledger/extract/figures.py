"""Newsworthy numbers: counts of people, money, percentages, rates, ranges.

A figure is a number (digits or words, with an optional scale, a range, a currency or
a percent sign) that is not a date, time, age, duration, distance or a name with digits.
Its kind comes from the profile's figures.toml: first from the words around it that
say what happened to what is counted ("arrested 135 immigrants", "nine officers were
injured"), then from the counted noun ("1,500 troops"); a bare number inherits the kind
of the figure before it in the sentence ("400 people, 137 over the weekend").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate, islice

from eventledger.extract.attribution import Attributor
from eventledger.extract.numbers import NUMBER_WORD_RE, parse_number, word_alternation
from eventledger.extract.sentences import Sentence
from eventledger.extract.tokens import ascii_lower, ascii_lowered, for_lowered, search_lowered
from eventledger.nouns import MONEY, PERSON, noun_class
from eventledger.profile import Profile
from eventledger.records import Entity, Figure, Mention, span

__all__ = ["extract_figures"]

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = NUMBER_WORD_RE.pattern.replace(r"\b", "")
_NUM = rf"(?:{_DIGITS}|\b(?:{_WORDS})\b)"
_SCALE = r"(?:\s+(?:million|billion|trillion|thousand))"
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?")
_VAGUE = {"hundred", "hundreds", "thousand", "thousands", "dozens", "millions"}
_WORD_RE = re.compile(r"[A-Za-z][\w’'.-]*")


@dataclass(frozen=True)
class _Vocab:
    expr: re.Pattern[str]
    nouns: dict[str, str]  # lower-case word or phrase -> kind
    noun_phrases: tuple[tuple[str, str], ...]
    before: tuple[tuple[re.Pattern[str], str], ...]
    after: tuple[tuple[re.Pattern[str], str], ...]
    per_after: re.Pattern[str]
    per_words: dict[str, str]
    per_any: re.Pattern[str]
    not_after: re.Pattern[str]
    not_before: re.Pattern[str]
    not_before_width: int  # its longest word
    predicate: re.Pattern[str]  # the first verb group of a clause, a kind's phrase or any other
    predicate_kind: dict[str, str]
    capacity: re.Pattern[str]
    totals: re.Pattern[str]
    # the profile's kinds by class (figures.toml [kinds]): the rules below name classes, not kinds
    generic: str                # the kind of any noun for persons ("people")
    persons: frozenset[str]     # kinds that count persons
    acted_on: frozenset[str]    # persons something was done to (arrested, deported, killed)
    tally: frozenset[str]       # counts of an act (arrests, removals, crossings)
    body: frozenset[str]        # persons counted as a body present (troops, a crowd)
    outcome: frozenset[str]     # a fate that outranks the group's name ("of those arrested ... removal orders")
    harm: frozenset[str]        # harm done to persons: its verb decides over the noun
    force: frozenset[str]       # armed or police personnel ("members of the Guard")


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# grammar, not vocabulary: auxiliaries, adverbs between them and the participle, finite verbs, modals
_PRED_AUX = (r"was|were|is|are|be|been|being|has been|have been|had been|had|have|has|will be|would be|got|get|"
             r"with|are being|were being|was being|remain|remained|remains|are still|were still")
_PRED_ADV = r"also|all|later|then|reportedly|allegedly|subsequently|eventually|since|already|now|just|each|either|still"
_FINITE = (r"was|were|is|are|had|has|have|will|would|could|did|do|does|remain|remained|remains|said|says|say|told|"
           r"saw|watched|reported|described|claimed|added|stood|waited|gathered")
_OWN_VERB_RE = re.compile(rf"\s+(?:{_FINITE})\b", re.IGNORECASE)
_MODAL = r"can|could|would|will|to|able to|designed to|built to|meant to|expected to|projected to"
_CLAUSE_END_RE = re.compile(r";|\s[—–]\s|,\s+(?:including|among them|of whom|of which|while|but|whereas|although|though|and\s+(?:the|a|an|he|she|they|it|police|officials))\b"
                            r"|\s(?:while|whereas|where|when|after|before|because|although|though|but)\s")


@lru_cache(maxsize=4)
def _vocab(profile: Profile) -> _Vocab:
    f = profile.figures
    approx = word_alternation(f.get("approx", ()))  # (a trie: the pattern is tried at every word)
    expr = re.compile(
        rf"(?<![\w$.,/-])(?P<approx>(?:{approx})\s+)?(?P<between>between\s+)?(?P<cur>\$\s?)?"
        rf"(?P<n1>{_NUM})(?P<s1>{_SCALE})?"
        rf"(?:\s*(?P<sep>-|–|—|\bto\b|\band\b)\s*(?:\$\s?)?(?P<n2>{_NUM})(?P<s2>{_SCALE})?)?"
        rf"(?P<pct>\s?%|\s+percent\b|\s+per\s?cent\b)?(?![\w-]*\d)",
        re.IGNORECASE,
    )
    nouns: dict[str, str] = {}
    phrases = []
    for kind, words in f.get("nouns", {}).items():
        for w in words:
            if " " in w:
                phrases.append((w.lower(), kind))
            else:
                nouns[w.lower()] = kind
    # (a conjunction between the verb and the count starts another clause: "six were arrested overnight
    # and two officers suffered injuries")
    before = tuple((re.compile(rf"\b(?:{_alt(ws)})\W*(?:(?!and\b|or\b|but\b|while\b)\w+\W+){{0,2}}$", re.IGNORECASE), k)
                   for k, ws in f.get("before", {}).items())
    aux = r"(?:(?:was|were|is|are|has been|have been|had been|had|have|has)\s+)?"
    after = tuple((re.compile(rf"^\W*{aux}(?:{_alt(ws)})\b", re.IGNORECASE), k) for k, ws in f.get("after", {}).items())
    per = f.get("per", {})
    per_words = {w.lower(): k for k, ws in per.items() for w in ws}
    nf = f.get("not_figures", {})
    # the clause's verb: a kind's phrase ("were taken into custody") or any finite verb ("had", "are")
    pk: dict[str, str] = {}
    for k, ws in f.get("after", {}).items():
        for w in ws:
            pk.setdefault(w.lower(), k)
    predicate = re.compile(
        rf"\b(?:(?:{_PRED_AUX})\s+(?:(?:{_PRED_ADV})\s+)?[\"“”']?)?(?P<kind>{_alt(list(pk))})\b"
        rf"|\b(?P<verb>{_FINITE})\b",
        re.IGNORECASE,
    )
    cap = f.get("capacity_verbs", [])
    capacity = re.compile(rf"\b(?:{_MODAL})\s+(?:\w+\s+)?(?:{_alt(cap)})\W+(?:\w+\W+){{0,3}}$" if cap else r"(?!)",
                          re.IGNORECASE)
    totals = re.compile(rf"\s+(?:{_alt(f.get('total_words', ['mark']))})\b", re.IGNORECASE)
    classes: dict[str, set[str]] = {}
    for kind, cs in f.get("kinds", {}).items():
        for c in cs:
            classes.setdefault(c, set()).add(kind)
    generic = next(iter(classes.get("generic", ())), "people")
    return _Vocab(
        expr=expr,
        nouns=nouns,
        noun_phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        before=before,
        after=after,
        per_after=re.compile(rf"\s*(?:{_alt(list(per_words))})\b", re.IGNORECASE),
        per_words=per_words,
        per_any=re.compile(rf"\b(?:{_alt([w for w in per_words if ' ' not in w])})\b", re.IGNORECASE),
        not_after=re.compile(rf"^(?:\s*|-)(?:{_alt(nf.get('after', ()))})\b", re.IGNORECASE),
        not_before=re.compile(rf"\b(?:{_alt(nf.get('before', ()))})\s*$", re.IGNORECASE),
        not_before_width=max(map(len, nf.get("before", ())), default=0),
        predicate=predicate,
        predicate_kind=pk,
        capacity=capacity,
        totals=totals,
        generic=generic,
        **{c: frozenset(classes.get(c, ())) for c in ("persons", "acted_on", "tally", "body", "outcome", "harm", "force")},
    )


def _noun_kind(v: _Vocab, word: str) -> str | None:
    """The kind the profile gives a counted noun (arrests, personnel, ...), or None."""
    w = word.lower().strip("’'.,\"”“")
    if w.endswith(("’s", "'s")):
        w = w[:-2]
    if w in v.nouns:
        return v.nouns[w]
    for suf in ("s", "es"):
        if w.endswith(suf) and w[: -len(suf)] in v.nouns:
            return v.nouns[w[: -len(suf)]]
    return None


# the kinds the code gives by a number's form or a noun's WordNet class, whatever the profile says
MONEY_KIND, PERCENT_KIND, OTHER_KIND = "money", "percent", "other"
# classes of nouns the profile does not list, from WordNet: a person of any kind is the profile's
# generic kind ("people"), a monetary unit MONEY_KIND; a known noun of any other class counts things
# ("guns", "agencies")
_THING = "#thing"
_MEASURE = "#measure"


def _class_kind(word: str, v: _Vocab) -> str | None:
    c = noun_class(word.strip("’'.,\"”“"))
    if c is None:
        return None
    if c == PERSON:
        return v.generic
    if c == MONEY:
        return MONEY_KIND
    if c in ("measure", "time"):
        return _MEASURE
    return _THING


_STOP = frozenset("""of the a an and or to in at on from for by with over since than who that which were was have
had has are is be been will would could said says say told according compared including per following during after
before into onto near outside across under about as their its his her our your this these those while when where
now then also still just only each every all some many most more less last next yesterday today tonight
monday tuesday wednesday thursday friday saturday sunday""".split())
_PLURAL_OK = frozenset({"people", "men", "women", "children", "personnel", "marines", "police", "staff", "dead",
                         "killed", "injured", "wounded"})

# the fixed patterns of the figure tests below, compiled once (each is tried per number)
_CONJ_RES = {w: re.compile(rf"\s+{w}\s+") for w in ("and", "or")}
_OF_RE = re.compile(r"\s+of\b")
_NAME_BEFORE_RE = re.compile(r"[A-Za-z]-$|[A-Za-z]$|/$|:$|#$")
_NAME_AFTER_RE = re.compile(r"^(?::\d|/\d|-[A-Za-z]|\.\d|\([a-z]\))")
_MONTH_BEFORE_RE = re.compile(rf"\b{_MONTHS}\s*$")
_MONTH_AFTER_RE = re.compile(rf"^,?\s*{_MONTHS}\b")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_CAP_BEFORE_RE = re.compile(r"([A-Z][\w.]*)\s+$")
_STREET_RE = re.compile(r"^\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St\.|Avenue|Ave\.|Plaza|Road|Boulevard|Blvd\.|Place|Way|Drive)\b")
_NEXT_WORD_RE = re.compile(r"\s+([a-z][\w-]*)")
_MONEY_FOR_RE = re.compile(r"\s+(?:in|of|for)\s+((?:[\w-]+\s+){0,3}[\w-]+)")
_OF_THEM_RE = re.compile(r"\s+of\s+(?:them|whom|those)\b")
_AND_RE = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*")
_MEMBERS_RE = re.compile(r"\bmembers?\b", re.I)
_BODY_RE = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Z][\w.'’-]*\s+){0,4}(?:Guard|Army|Marines?|Corps|Navy|Air Force|Police|Patrol))\b")
_ARMED_RE = re.compile(r"guard|military|army|marine", re.I)
_AMONG_RE = re.compile(r"\b(?:among|of)\s+(?:them|those|these|whom)\W*$", re.IGNORECASE)



def _tail_at(s: str, width: int) -> int:
    """Where to search ``s`` for a pattern anchored at its end by "$" whose matches are at most
    ``width`` characters long: a match ends at the end or before a final line break, so none
    starts earlier ("\\b" and look-behinds still see the characters before)."""
    return max(0, len(s) - width - 1)


def _counted(text: str, end: int, limit: int, v: _Vocab, depth: int = 0) -> tuple[str | None, int, int]:
    """The counted noun phrase after a number: (kind or "?" for an unknown noun or None, start, end).

    The phrase runs over up to six words until a function word, a verb form or punctuation;
    a singular known noun followed by more words is a modifier ("immigrant ... organizations")."""
    words = list(islice(_WORD_RE.finditer(text, end, min(limit, end + 100)), 8))  # (the first 8 found, not all)
    if not words:
        return None, end, end
    gap0 = text[end : words[0].start()]
    i0 = 0
    if gap0.strip(" “\"") != "":
        return None, end, end
    if words[0].group().lower() == "of" and len(words) > 1:  # "five of the detainees"
        i0 = 2 if len(words) > 2 and words[1].group().lower() in ("the", "her", "his", "their", "our", "its", "my", "your") else 1
    phrase = []
    stopped_by = ""
    for i in range(i0, min(len(words), i0 + 6)):
        m = words[i]
        low = m.group().lower().strip("’'.")
        if low in _STOP or low.endswith("ly") and i > i0 or low in v.per_words:  # "1,500 daily": a rate, no noun
            stopped_by = low
            break
        if i > i0 and (low.endswith("ed") or low.endswith("ing")) and _noun_kind(v, low) is None:
            break
        phrase.append(m)
        nxt_gap = text[m.end() : words[i + 1].start()] if i + 1 < len(words) else "."
        if nxt_gap.strip(" -") != "" and not nxt_gap.strip() in ("’", "'"):
            break
    if not phrase:
        return None, end, end
    start = phrase[0].start()
    # multi-word nouns first ("National Guard members", "border crossings")
    tail = text[start : phrase[-1].end()].lower()
    for ph, kind in v.noun_phrases:
        k = tail.rfind(ph)
        if k != -1 and k + len(ph) == len(tail):
            return kind, start, phrase[-1].end()
    for j, m in enumerate(phrase):
        k = _noun_kind(v, m.group())
        if not k and m.group().endswith(("’", "'")) and _class_kind(m.group(), v) == v.generic:
            k = v.generic  # "eight detainees’ families"
        if not k:
            continue
        w = m.group().lower().strip("’'.,")
        last = j == len(phrase) - 1
        possessive = m.group().endswith(("’", "'"))
        plural = w.endswith("s") or w in _PLURAL_OK or possessive
        if last and not plural and stopped_by in ("and", "or"):
            continue  # "immigrant and social justice organizations": a modifier
        if possessive or last or (plural and not any(_noun_kind(v, x.group()) for x in phrase[j + 1 :]) and
                    not any(x.group()[0].islower() and x.group().lower().endswith("s") for x in phrase[j + 1 :])):
            return k, start, m.end()
    head = phrase[-1]
    if stopped_by in ("and", "or") and not head.group().lower().endswith("s") and depth < 2:
        # "13 state and federal agencies", "local and state officers": the head comes after the conjunction
        conj = _CONJ_RES[stopped_by].search(text[head.end() : head.end() + 6])
        if conj:
            k2, _, e2 = _counted(text, head.end() + conj.end(), limit, v, depth + 1)
            if k2 is not None:
                return k2, start, e2
    return (_class_kind(head.group(), v) or "?"), start, head.end()


def extract_figures(text: str, sentences: Sequence[Sentence], profile: Profile,
                    excluded: Sequence[Mention] = (), entities: Sequence[Entity] = ()) -> list[Figure]:
    """Every figure of the document; with the entities, each says who the text credits for it
    (``attributed_to``: "ICE said 76", "according to advocates, 107")."""
    v = _vocab(profile)
    # the excluded spans by start, with the furthest end reached so far: whether a span holds a
    # place is then one bisection, not a pass over every span for every sentence and figure
    ex = sorted((m.start, m.end) for m in excluded)
    ex_starts = [a for a, _ in ex]
    reach = list(accumulate((b for _, b in ex), max))
    # candidates found on the ASCII-lowered text (same offsets, several times faster than the
    # case-blind pattern), each matched again on the text itself at its start for its groups
    low, expr = for_lowered(v.expr), v.expr
    scanned = ascii_lowered(text) if low is not None else text
    out: list[Figure] = []
    last: Figure | None = None  # the document's previous counted figure
    for s in sentences:
        k = bisect_right(ex_starts, s.start)
        if k and reach[k - 1] >= s.end:  # inside an excluded span
            continue
        prev: Figure | None = None
        for c in (low or expr).finditer(scanned, s.start, s.end):
            m = expr.match(text, c.start(), s.end) if low is not None else c
            if m is None:
                continue
            f = _figure(text, s, m, v, prev, last)
            if f is None:
                continue
            k = bisect_right(ex_starts, f.start)
            if k and reach[k - 1] > f.start:  # starts in an excluded span
                continue
            if out and f.start < out[-1].end:
                continue
            out.append(f)
            if f.kind != OTHER_KIND:
                prev = last = f
    if out:
        attr = Attributor(text, sentences, entities, profile)
        out = [replace(f, attributed_to=attr.chain(f.start, f.end)) for f in out]
    return out


def _figure(text: str, s: Sentence, m: re.Match[str], v: _Vocab, prev: Figure | None,
            last: Figure | None = None) -> Figure | None:
    n1 = m.group("n1")
    if n1.lower() in _VAGUE or (not m.group("n2") and n1.lower() in ("one", "a dozen") and not m.group("cur")):
        if n1.lower() != "a dozen" and n1.lower() != "one":
            return None
    start, end = m.start(), m.end()
    one = n1.lower() == "one" and not m.group("n2") and not m.group("cur") and not m.group("pct")
    if one:
        if _OF_RE.match(text[end : end + 4]):
            return None  # "one of the officers" picks one out, it does not count
        k, _, _ = _counted(text, end, s.end, v)
        if k not in v.persons:
            return None  # "one" counts a person, not "one of the", "one day"
    before = text[max(s.start, start - 30) : start]
    after = text[end : min(s.end, end + 30)]
    money, pct = bool(m.group("cur")), bool(m.group("pct"))
    # not figures: names with digits, dates, times, ages, durations, distances, addresses
    # the patterns ending in "$" are tried only where a match can start: so many characters
    # from the end as their longest match, one more for a final line break (see _tail_at)
    if _NAME_BEFORE_RE.search(before, _tail_at(before, 2)) or _NAME_AFTER_RE.match(after):
        return None  # "MS-13", "287(g)", "10:30"
    if not money and not pct:
        na = v.not_after.match(after.lstrip("+"))
        if na and not _compound_head(after, na.end(), v):
            return None
        bare = before.rstrip()  # what "\s*$" skips ("\s" is str.isspace())
        if v.not_before.search(bare, _tail_at(bare, v.not_before_width)):
            return None
        if _MONTH_BEFORE_RE.search(bare, _tail_at(bare, len("September."))) or _MONTH_AFTER_RE.match(after):
            return None
        if _YEAR_RE.fullmatch(n1) and not m.group("n2"):
            return None
        # a capitalised word right before: "Title 10", "FOX 5", "Directive No. 17" (sentence starts excepted)
        w = _CAP_BEFORE_RE.search(before)
        if w and not m.group("approx") and start - len(w.group(0)) > s.start and w.group(1).lower() not in v.per_words \
                and noun_class(w.group(1)) != "time":  # "Yesterday 40 arrests", "Monday 12 people"
            return None
        # a street number: "26 Federal Plaza"
        if _STREET_RE.match(after):
            return None
    val = parse_number(n1 + (m.group("s1") or ""))
    if val is None:
        return None
    high = val
    if m.group("n2"):
        sep = m.group("sep").lower()
        s2 = m.group("s2") or m.group("s1") or ""
        hv = parse_number(m.group("n2") + s2)
        if sep == "and" and not m.group("between"):
            return _figure_single(text, s, m, v, prev)
        if hv is None or hv < val:
            if sep in ("-", "–") and hv is not None and hv < val:
                # a tally "12-0": keep as other
                f = _build(text, m.start("n1"), m.end(), val, val, False, OTHER_KIND, None, "")
                return f
            return None
        if m.group("s1") is None and m.group("s2") and val < 1000:
            val = parse_number(n1 + m.group("s2")) or val
        high = hv
    approx = bool(m.group("approx"))
    if money:
        kind, subj_end, subject = MONEY_KIND, end, _money_subject(text, end, s.end)
    elif pct:
        kind, subj_end, subject = PERCENT_KIND, end, "percent"
    else:
        kind, subj_end, subject = _kind(text, s, m, v, prev, last)
        if kind is None:
            return None
        if one and kind not in v.acted_on:
            return None  # "one witness said": one person named, not a count of what happened to people
    per = _per(text, s, subj_end, v, prev if kind == getattr(prev, "kind", None) else None)
    f_end = subj_end
    pa = v.per_after.match(text, subj_end, s.end)
    if pa:
        f_end = pa.end()
    if not isinstance(val, float) or val.is_integer():
        val, high = int(val), int(high)
    return _build(text, start, f_end, val, high, approx, kind, per, subject)


def _compound_head(after: str, k: int, v: _Vocab) -> bool:
    """'12 day laborers': the time word is a modifier of a noun for persons, not a duration."""
    nxt = _NEXT_WORD_RE.match(after[k:] + " ")
    if nxt is None or after[k - 1 : k] == "-":
        return False
    return _class_kind(nxt.group(1), v) == v.generic


def _figure_single(text: str, s: Sentence, m: re.Match[str], v: _Vocab, prev: Figure | None) -> Figure | None:
    """'$4.2 million and 1,200 hours', '7 and 8': two numbers; the first is read on its own (the
    second is found by the next match)."""
    one = v.expr.match(text, m.start(), m.end("s1") if m.group("s1") else m.end("n1"))
    if one is None or one.group("n2"):
        return None
    return _figure(text, s, one, v, prev)


def _build(text: str, start: int, end: int, val: float, high: float, approx: bool, kind: str,
           per: str | None, subject: str) -> Figure:
    while end > start and (text[end - 1] in " ,;:" or (text[end - 1] == "." and text[end - 2 : end - 1].islower())):
        end -= 1
    subject = subject.rstrip(" ,;:")
    if subject.endswith(".") and subject[-2:-1].islower():
        subject = subject[:-1]
    sp = span(text, start, end)
    return Figure(value=val, high=high, approx=approx, kind=kind, per=per, subject=subject,
                  text=sp.text, start=sp.start, end=sp.end)


def _money_subject(text: str, end: int, limit: int) -> str:
    m = _MONEY_FOR_RE.match(text[end:limit])
    return m.group(1) if m else "US dollars"


_PART_OF_RE = re.compile(r"\s+of\s+(?:those|the|them|these|whom|which)\s+")


def _predicate(text: str, pos: int, limit: int, v: _Vocab) -> tuple[str | None, bool, int]:
    """The verb of the clause a count is the subject of: (its kind, whether a verb was found, where).

    The first verb group after the counted phrase decides, over modifiers between them
    ("nine vendors from Senegal suspected of overstaying were taken into custody"); a kind's
    phrase counts only when it is that first verb group ("300 had records and 12 were
    arrested" does not make the 300 arrests)."""
    stop = _CLAUSE_END_RE.search(text, pos, min(limit, pos + 140))
    end = stop.start() if stop else min(limit, pos + 140)
    m = search_lowered(v.predicate, text, ascii_lowered(text), pos, end)  # (its group "kind" is read lowered)
    if m is None:
        return None, False, pos
    if m.group("kind"):
        return v.predicate_kind[m.group("kind").lower()], True, m.start()
    return None, True, m.start()


def _kind(text: str, s: Sentence, m: re.Match[str], v: _Vocab, prev: Figure | None,
          last: Figure | None = None) -> tuple[str | None, int, str]:
    end = m.end()
    # "the 1 million mark": the clause's subject is what is counted
    if v.totals.match(text, end, s.end):
        head = _sentence_subject_kind(text, s.start, m.start(), v)
        return head or OTHER_KIND, end, head or ""
    # capacity, not a count: "a camp that can hold up to 3,000 detainees"
    if search_lowered(v.capacity, text, ascii_lowered(text), max(s.start, m.start() - 60), m.start()):
        return OTHER_KIND, end, ""
    part = _PART_OF_RE.match(text, end, s.end)
    part_kind = None
    if part:  # "31 of those arrested", "200 of the protesters", "40 of whom": a part of a group
        noun_kind, ps, pe = _counted(text, part.end(), s.end, v)
        if noun_kind in v.persons or noun_kind in v.tally or noun_kind == MONEY_KIND:
            part_kind, part_end, part_subj = noun_kind, pe, text[ps:pe]
        else:
            for pat, k in v.after:
                a = pat.match(text[part.end() - 1 : s.end])
                if a:
                    part_kind, part_end = k, part.end() - 1 + a.end()
                    part_subj = text[part.end() : part_end].strip()
                    break
        if part_kind is None and _OF_THEM_RE.match(text[end : part.end()]):
            part_kind, part_end, part_subj = v.generic, part.end(), ""
        if part_kind is not None:
            pk, verb, _ = _predicate(text, part_end, s.end, v)
            if pk and pk != part_kind and pk in v.outcome:
                return pk, part_end, part_subj  # "275 of those arrested had final removal orders"
            return part_kind, part_end, part_subj
    noun_kind, ps, pe = _counted(text, end, s.end, v)
    if pe > ps and _TOLD_RE.fullmatch(text, ps, pe):
        noun_kind, ps, pe = None, end, end  # "more than the 64 reported by ICE": a verb of telling, no counted noun
    if noun_kind == _MEASURE:
        return None, end, ""  # "three miles", "20 pounds": a measure, not a count
    subject = text[ps:pe] if pe > ps else ""
    before = text[max(s.start, m.start() - 45) : m.start()]
    before_low = ascii_lower(before)
    pred_kind, has_verb, pred_at = _predicate(text, end, s.end, v)
    own_verb = _OWN_VERB_RE.match(text[pe if pe > end else end : s.end]) is not None
    # a verb of a kind before the count makes it that verb's object ("arrested 12 people"); then a
    # verb after it counts only when it follows at once ("detained 40, released 12 of them" aside)
    before_kinds = [k for pat, k in v.before if search_lowered(pat, before, before_low)]  # (searched once, used twice)
    object_of = before_kinds[0] if before_kinds else None
    adjacent = pred_at <= max(pe, end) + 1 or not text[max(pe, end) : pred_at].strip(" \"“”'")
    ctx = None
    if pred_kind and (pred_kind in v.harm or noun_kind in (None, "?", v.generic) or noun_kind in v.body) \
            and (object_of is None or adjacent):
        ctx = pred_kind
    if ctx is None and (noun_kind in (None, "?") or noun_kind in v.persons and noun_kind not in v.harm) and not own_verb:
        # a verb before the count makes it its object ("arrested 135 immigrants"), not when the count
        # is the subject of its own verb ("Of the arrests, 790 individuals had convictions")
        for k in before_kinds:
            if not (k in v.force and (noun_kind == v.generic or noun_kind in v.acted_on
                                      and noun_kind in v.tally and noun_kind not in v.outcome)):
                if k in v.harm and noun_kind in v.acted_on and noun_kind not in v.outcome:
                    continue
                ctx = k
                break
    if ctx is None and prev is not None and (noun_kind in ("?", v.generic) or noun_kind in v.body) \
            and prev.kind in v.acted_on and _AND_RE.fullmatch(text[prev.end : m.start()]):
        ctx = prev.kind  # "deported 300 Hondurans and 25 Guatemalans": the second count shares the verb
    if ctx in v.harm or (ctx and noun_kind in (None, "?", v.generic)) or (ctx and ctx == getattr(prev, "kind", None)):
        return ctx, max(pe, end), subject or ctx
    if ctx in v.acted_on and ctx in v.tally and noun_kind in v.body:
        return ctx, max(pe, end), subject
    if (noun_kind == v.generic or noun_kind in v.force) and _MEMBERS_RE.search(subject):
        # "200 members of the Oregon National Guard": the body they belong to says who they are
        body = _BODY_RE.match(text[pe : s.end])
        if body:
            return next(iter(sorted(v.force)), v.generic), pe + body.end(), subject + text[pe : pe + body.end()]
    if noun_kind == _THING:
        return OTHER_KIND, pe, subject  # "28 guns", "13 agencies", "2,800 citations"
    if noun_kind and noun_kind != "?":
        if noun_kind == v.generic and not has_verb:
            # "reaching 1,000-1,200 people" after "Daily immigration arrests": the sentence says what they are
            # (not when the count has a verb of its own: "of the arrests, 790 individuals had convictions")
            head = _sentence_subject_kind(text, s.start, m.start(), v)
            if head in v.tally:
                return head, pe, subject
        if noun_kind in v.force and _MEMBERS_RE.search(subject) and not _ARMED_RE.search(subject):
            return v.generic, pe, subject
        return noun_kind, pe, subject
    if noun_kind == "?":
        if ctx:
            return ctx, pe, subject
        return OTHER_KIND, pe, subject
    # no noun after the number
    if own_verb and ((prev or last) is not None and (prev or last).kind in v.persons
                     or _AMONG_RE.search(before)):
        # "of the 1,500 arrested, 790 had convictions": a part described by its own verb is a count of people
        return v.generic, end, v.generic
    # a kind named just before ("crossings dropped from 10,000"), or the previous figure's
    head = _sentence_subject_kind(text, max(s.start, m.start() - 60), m.start(), v, near=True)
    if not head and _GREW_TO_RE.search(text, max(s.start, m.start() - 40), m.start()):
        # "the crowd had grown to about 1,000": what grew is the clause's subject
        head = next((k for w in _WORD_RE.finditer(text, s.start, m.start())
                     if (k := _noun_kind(v, w.group())) in v.persons or k in v.tally), None)
    if head:
        return head, end, head
    if ctx:
        return ctx, end, ctx
    if prev is not None and prev.kind not in (MONEY_KIND, PERCENT_KIND):
        return prev.kind, end, prev.subject
    return None, end, ""


# a participle of telling right after a number ("the 64 reported by ICE") is no noun it counts
_TOLD_RE = re.compile(r"(?:reported|cited|announced|confirmed|given|counted|recorded|tallied|listed|stated|claimed|released)",
                      re.IGNORECASE)
# a verb of growth or decline right before a bare number: the number counts the verb's subject
_GREW_TO_RE = re.compile(r"\b(?:grown|grew|grow|swelled|swollen|rose|risen|climbed|jumped|increased|reached|topped|"
                         r"surpassed|fell|fallen|dropped|declined|dwindled)\s+(?:to\s+)?(?:(?:about|around|nearly|almost|"
                         r"roughly|some|more than|over|at least|an estimated)\s+)?$", re.IGNORECASE)


def _sentence_subject_kind(text: str, a: int, b: int, v: _Vocab, near: bool = False) -> str | None:
    words = list(_WORD_RE.finditer(text, a, b))
    if near:
        words = words[-4:]
    for w in words:
        k = _noun_kind(v, w.group())
        if k in v.tally:
            return k
    return None


def _per(text: str, s: Sentence, subj_end: int, v: _Vocab, prev: Figure | None) -> str | None:
    pa = v.per_after.match(text, subj_end, s.end)
    if pa:
        return v.per_words[pa.group().strip().lower()]
    # "1,200-1,400 arrests per day" after a noun-less number: per right after the number handled above;
    # a rate adjective earlier in the sentence: "Daily immigration arrests ... reaching 1,000"
    m = v.per_any.search(text, s.start, subj_end)
    if m and m.group().lower() in ("daily", "weekly", "monthly", "annual", "annually", "yearly"):
        return v.per_words[m.group().lower()]
    if prev is not None and prev.per:
        return prev.per
    return None
