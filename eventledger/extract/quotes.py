"""Quoted words and their speakers.

A quote is text between quotation marks (curly or straight; a quote that runs over
paragraphs reopens each paragraph with an opening mark) of at least a few words, so
scare quotes around one or two words ("sanctuary") are not quotes. The speaker is the
entity named in the attribution next to it ("..., Bass said", "said Homan", "Noem
declared:", "according to NBC News") or, for a pronoun ("she explained"), the person
last named before the quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from eventledger.extract.attribution import Attributor
from eventledger.extract.sentences import Sentence
from eventledger.extract.tokens import ascii_lowered, for_lowered
from eventledger.profile import Profile
from eventledger.records import Entity, Quote, span

__all__ = ["extract_quotes"]

_MIN_WORDS = 4
_QUOTE_MARK_RE = re.compile('[“"]')
_PRONOUN_RE = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)


@lru_cache(maxsize=4)
def _verb_re(profile: Profile) -> re.Pattern[str]:
    verbs = sorted(profile.lexicon.get("speech_verbs", ["said", "says", "told", "stated"]), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(v) for v in verbs) + r")\b|\baccording to\b", re.IGNORECASE)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of quoted text, marks excluded; multi-paragraph quotes joined."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        # skip to the next quotation mark in C: every other character only moves on by one
        q = _QUOTE_MARK_RE.search(text, i)
        if q is None:
            break
        i = q.start()
        c = text[i]
        if c == "“":
            j = i + 1
            while True:
                close = text.find("”", j)
                nl = text.find("\n", j)
                if close == -1:
                    j = -1
                    break
                if nl != -1 and nl < close:
                    # a paragraph ends inside the quote: it goes on only if the next paragraph reopens
                    k = nl
                    while k < n and text[k] in "\n ":
                        k += 1
                    if k < n and text[k] == "“" and text.find("”", j) > k:
                        j = k + 1
                        continue
                    j = -1
                    break
                j = close
                break
            if j == -1:
                i += 1
                continue
            out.append((i + 1, j))
            i = j + 1
        elif c == '"':
            close = text.find('"', i + 1)
            nl = text.find("\n", i + 1)
            if close == -1 or (nl != -1 and nl < close):
                i += 1
                continue
            out.append((i + 1, close))
            i = close + 1
        else:
            i += 1
    return out


def extract_quotes(text: str, sentences: Sequence[Sentence], entities: Sequence[Entity], profile: Profile) -> list[Quote]:
    verb_re = _verb_re(profile)
    # the speech verbs run on the ASCII-lowered text (the same matches, without a case table per character)
    verb_low = for_lowered(verb_re) or verb_re
    low = ascii_lowered(text) if verb_low is not verb_re else text
    mentions = sorted(
        ((m.start, m.end, e.id, e.kind) for e in entities for m in e.mentions), key=lambda x: x[0]
    )
    starts = [m[0] for m in mentions]
    sent_ends = [s.end for s in sentences]
    sent_starts = [s.start for s in sentences]
    # line breaks and paragraph breaks before a quote, counted by bisection: counting them in
    # the text before each quote made the quotes of a long text quadratic
    breaks = [m.start() for m in re.finditer("\n", text)]
    para_breaks = [m.start() for m in re.finditer("\n\n", text)]
    out: list[Quote] = []
    attr = Attributor(text, sentences, entities, profile)
    last: tuple[int, str | None] = (-10, None)  # (paragraph, speaker) of the previous quote
    for qs, qe in _quote_spans(text):
        words = text[qs:qe].split()
        if len(words) < _MIN_WORDS:
            continue
        quoted = text[qs:qe].strip().rstrip(",")
        s0 = qs + (len(text[qs:qe]) - len(text[qs:qe].lstrip()))
        e0 = s0 + len(quoted)
        speaker = _speaker(text, low, qs, qe, mentions, starts, sent_starts, sent_ends, verb_low)
        para = bisect_left(para_breaks, qs - 1) + bisect_left(breaks, qs)  # text.count("\n\n"|"\n", 0, qs)
        if speaker is None and para - last[0] <= 2:
            speaker = last[1]  # a quote that goes on from the one before it
        last = (para, speaker)
        # who the text credits, outermost first: a quote relayed by an outlet carries the chain
        chain = attr.chain(s0, e0)
        if chain is None and speaker is not None:
            chain = (speaker,)
        out.append(Quote(speaker=speaker, text=quoted, start=s0, end=e0, attributed_to=chain))
        span(text, s0, e0, quoted)
    return out


def _speaker(text: str, low: str, qs: int, qe: int, mentions: list[tuple[int, int, str, str]], starts: list[int],
             sent_starts: list[int], sent_ends: list[int], verb_re: re.Pattern[str]) -> str | None:
    """The speaker of the quote at ``qs:qe``; ``verb_re`` (the speech verbs) runs on ``low``, the text with its
    ASCII letters lowered (or the text itself for a pattern that needs its capitals)."""
    # after the quote, to the end of its sentence: ”, Bass said. / ” said Homan. / ” Noem declared
    si = bisect_left(sent_ends, qe + 1)
    end = sent_ends[si] if si < len(sent_ends) else len(text)
    end = min(max(end, qe + 1), qe + 160)
    after = text[qe + 1 : end]
    near = verb_re.search(low, qe + 1, min(end, qe + 46))
    if near:
        who = _first_in(mentions, starts, qe + 1, min(end, near.end() + 45), person_first=True)
        if who:
            return who
        if _PRONOUN_RE.search(after[:40]):
            return _subject_before(mentions, starts, sent_starts, qs)
        who = _first_in(mentions, starts, qe + 1, end, person_first=True)
        if who:
            return who
        if _PRONOUN_RE.search(after[:40]):
            return _subject_before(mentions, starts, sent_starts, qs)
    # before the quote, in its sentence: Bass said, “ / According to X, “ / Homan stated: “
    bi = bisect_left(sent_starts, qs) - 1
    b0 = sent_starts[bi] if bi >= 0 else max(0, qs - 200)
    before = text[b0 : qs - 1]
    if verb_re.search(low[b0 : qs - 1][-120:]) or before.rstrip().endswith(":"):
        # the subject before the verb, stepping over an apposition: "Judge X, a Trump appointee, wrote that"
        lim = qs
        win = before[-200:]
        # a speech word after a determiner is a noun ("the president's claims"), not the verb
        verbs = [v for v in verb_re.finditer(low[b0 : qs - 1][-200:])
                 if not _NOUN_BEFORE_RE.search(win[max(0, v.start() - 12) : v.start()])]
        if verbs and not verbs[-1].group().lower().startswith("according"):
            vpos = b0 + len(before) - len(win) + verbs[-1].start()
            appo = _APPOS_BEFORE_RE.search(text, max(b0, vpos - 120), vpos)
            lim = appo.start() if appo else vpos
            if _last_in(mentions, starts, max(b0, qs - 200), lim) is None:
                lim = qs
        who = _last_in(mentions, starts, max(b0, qs - 200), lim)
        if who:
            return who
        if _PRONOUN_RE.search(before[-60:]):
            return _last_person_before(mentions, starts, b0)
    # a quote standing alone as its own sentence: the speaker of the sentence before
    return None


_NOUN_BEFORE_RE = re.compile(r"(?:\b(?:the|a|an|his|her|their|its|our|these|those)|[’']s)\s+$", re.I)
_APPOS_BEFORE_RE = re.compile(r",\s+(?:a|an|the|who|whose|[a-z]+\s+of)\b[^,;]{0,80},\s*$")


def _subject_before(mentions, starts, sent_starts, pos: int) -> str | None:  # type: ignore[no-untyped-def]
    """The first person named in the sentence before ``pos`` (its likely subject)."""
    si = bisect_left(sent_starts, pos) - 1
    while si >= 0:
        s0 = sent_starts[si]
        s1 = sent_starts[si + 1] if si + 1 < len(sent_starts) else pos
        who = _first_in(mentions, starts, s0, min(s1, pos), person_first=True)
        if who and who.startswith("person:"):
            return who
        si -= 1
        if si < 0 or pos - sent_starts[si] > 600:
            break
    return _last_person_before(mentions, starts, pos)


def _first_in(mentions, starts, a: int, b: int, person_first: bool = False) -> str | None:  # type: ignore[no-untyped-def]
    i = bisect_left(starts, a)
    found = []
    while i < len(mentions) and mentions[i][0] < b:
        found.append(mentions[i])
        i += 1
    if person_first:
        for m in found:
            if m[3] == "person":
                return m[2]
    return found[0][2] if found and found[0][3] != "place" else None


def _last_in(mentions, starts, a: int, b: int) -> str | None:  # type: ignore[no-untyped-def]
    i = bisect_left(starts, b) - 1
    while i >= 0 and mentions[i][0] >= a:
        if mentions[i][3] != "place":
            return mentions[i][2]
        i -= 1
    return None


def _last_person_before(mentions, starts, pos: int) -> str | None:  # type: ignore[no-untyped-def]
    i = bisect_left(starts, pos) - 1
    while i >= 0:
        if mentions[i][3] == "person":
            return mentions[i][2]
        i -= 1
    return None
