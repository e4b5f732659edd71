"""Synthetic news documents for benchmarks, recombined from the real corpus texts.

    python benchmarks/synth.py OUT.jsonl [--n 10000] [--seed 0]

Each original document takes 4 to 8 paragraphs from the corpus articles
(../shared/corpus/seeds/*.txt and dev/*.txt beside the repo, read at run time and never
copied into the repo), mixed across articles, then varies them: people's names (a first
name that gender-guesser knows, followed by a capitalised word) are swapped for names
from a pool, counts are scaled, and the calendar is moved (years shifted, month names
rotated), so events spread over many dates and places keep their real names.
About 10% of the documents are exact copies of an earlier one (same title and text under
another outlet and URL: wire syndication) and about 10% near copies (another headline,
a boilerplate line before and after, a few words changed).

Output is JSON Lines in the shape `eventledger ingest` reads:
{"url", "title", "text", "published", "outlet"}. The same (n, seed) always gives the same
bytes. Other benchmarks import `write_corpus(path, n, seed=0)`; `generate(n, seed)` also
says which documents are copies of which.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

__all__ = ["CORPUS", "SynthDoc", "generate", "write_corpus"]

EXACT_SHARE = 0.10
NEAR_SHARE = 0.10

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_ABBR = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
_ABBR_IN = {"Jan": 0, "Feb": 1, "Mar": 2, "Apr": 3, "Jun": 5, "Jul": 6, "Aug": 7, "Sep": 8, "Sept": 8,
            "Oct": 9, "Nov": 10, "Dec": 11}
_FIRST = ["Maria", "James", "Ana", "David", "Sofia", "Michael", "Lucia", "Robert", "Elena", "Daniel",
          "Grace", "Thomas", "Rosa", "Kevin", "Laura", "Peter", "Nadia", "Samuel", "Irene", "Victor",
          "Helen", "Oscar", "Teresa", "Frank", "Alicia", "George", "Monica", "Henry", "Carmen", "Paul"]
_LAST = ["Alvarez", "Bennett", "Castillo", "Dawson", "Espinoza", "Fletcher", "Guerrero", "Hayes", "Ibarra",
         "Jennings", "Kowalski", "Lindqvist", "Moreno", "Nakamura", "Okafor", "Pritchard", "Quintero",
         "Ramsey", "Salazar", "Thornton", "Underwood", "Valdez", "Whitaker", "Yilmaz", "Zamora", "Abbott",
         "Brennan", "Cordero", "Delgado", "Ellison"]
_OUTLET_A = ["Valley", "Harbor", "Metro", "Capitol", "Prairie", "Coastal", "Lakeside", "Summit", "Riverside",
             "Northern", "Desert", "Bay", "Frontier", "Granite", "Union"]
_OUTLET_B = ["Courier", "Tribune", "Dispatch", "Herald", "Ledger", "Observer", "Sentinel", "Gazette", "Post",
             "Chronicle", "Register", "Record"]
_FILLERS = ["reportedly", "also", "later", "again", "then", "still", "now", "officially"]
_BOILER_TOP = ["Share this story", "Listen to this article", "Updated {d}", "Advertisement", "Breaking news"]
_BOILER_END = ["Copyright {y} {o}. All rights reserved.", "Sign up for the {o} newsletter for more stories like this.",
               "This story was first published by {o}.", "Follow {o} on social media for updates."]

_NAME_RE = re.compile(r"\b([A-Z][a-z]{2,})\s+((?:[A-Z]\.\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_CALENDAR_RE = re.compile(
    r"\b(?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d))\b"
    r"|\b(?P<month>" + "|".join(_MONTHS) + r")\b"
    r"|\b(?P<abbr>" + "|".join(_ABBR_IN) + r")\.(?=\s)"
    r"|(?<![\w.:])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\w:/-]|[.,]\d)"
)
_AFTER_MONTH_RE = re.compile(r"(?:" + "|".join(_MONTHS) + r"|" + "|".join(_ABBR_IN) + r")\.?\s+$")
_CLOCK_RE = re.compile(r"(?::\d\d)?\s*[ap]\.?m\b")
_WORD_RE = re.compile(r"\b[a-z]{4,}\b")
# a capitalised word after a first name that makes the pair a place or an institution
_NOT_SURNAME = {"Observer", "Street", "Park", "County", "City", "Station", "Plaza", "Square", "Avenue", "Boulevard",
                "Department", "Times", "News", "Post", "Police", "Center", "University", "College", "School", "Court",
                "Council", "House", "Hall", "Bridge", "River", "Valley", "Beach", "Airport", "Guard", "Republicans",
                "Democrats", "Heights", "Hills", "Island", "Bay", "Harbor", "Depot", "Mall", "Church", "Hospital"}


@dataclass(frozen=True, slots=True)
class SynthDoc:
    record: dict[str, str]  # {"url", "title", "text", "published", "outlet"}
    kind: str  # original | exact | near
    of: int | None  # index of the original this is a copy of


def _paragraphs(corpus: Path) -> list[tuple[int, str]]:
    """(article index, paragraph) for every paragraph long enough to stand in a story."""
    files = sorted((corpus / "seeds").glob("*.txt")) + sorted((corpus / "dev").glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no corpus texts under {corpus} (seeds/*.txt, dev/*.txt)")
    out = []
    for i, f in enumerate(files):
        for line in f.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.split())
            if len(line) >= 80 and len(line.split()) >= 12:
                out.append((i, line))
    return out


class _Varier:
    """One document's variation: its names, its calendar shift, its scale of counts."""

    def __init__(self, rng: random.Random, is_person) -> None:  # type: ignore[no-untyped-def]
        self.rng = rng
        self.is_person = is_person
        self.year_shift = rng.randrange(-12, 4)
        self.month_shift = rng.randrange(12)
        self.names: dict[str, str] = {}
        self.lasts: dict[str, str] = {}

    def vary(self, text: str) -> str:
        return self._calendar(self._people(text))

    def _people(self, text: str) -> str:
        def person(m: re.Match[str]) -> str:
            first, last = m.group(1), m.group(2)
            if not self.is_person(first, last):
                return m.group(0)
            key = f"{first} {last}"
            if key not in self.names:
                if self.rng.random() < 0.35:  # some known people stay, as in real coverage
                    self.names[key] = key
                else:
                    new_last = self.rng.choice(_LAST)
                    self.names[key] = f"{self.rng.choice(_FIRST)} {new_last}"
                    self.lasts.setdefault(last.split()[-1], new_last)
            return self.names[key]

        text = _NAME_RE.sub(person, text)
        if self.lasts:  # "Bass said" after "Karen Bass" is the same person
            text = re.sub(r"\b(" + "|".join(map(re.escape, self.lasts)) + r")\b", lambda m: self.lasts[m.group(1)], text)
        return text

    def _month(self, i: int) -> int:
        return (i + self.month_shift) % 12

    def _calendar(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            if m.group("iso"):
                mo = self._month(int(m.group("im")) - 1) + 1 if 1 <= int(m.group("im")) <= 12 else int(m.group("im"))
                return f"{int(m.group('iy')) + self.year_shift:04d}-{mo:02d}-{m.group('id')}"
            if m.group("month"):
                return _MONTHS[self._month(_MONTHS.index(m.group("month")))]
            if m.group("abbr"):
                return _ABBR[self._month(_ABBR_IN[m.group("abbr")])]
            num, frac = m.group("num"), m.group("frac") or ""
            v = int(num.replace(",", ""))
            if len(num) == 4 and 1990 <= v <= 2035 and not frac:  # a year
                return str(v + self.year_shift)
            if (_AFTER_MONTH_RE.search(m.string, max(0, m.start() - 12), m.start()) or v == 0
                    or _CLOCK_RE.match(m.string, m.end())):
                return m.group(0)  # a day of the month, a time of day, or nothing to scale
            x = float(num.replace(",", "") + frac) * self.rng.uniform(0.5, 2.0)
            if frac:
                return f"{x:.{len(frac) - 1}f}"
            n = max(1, round(x))
            return f"{n:,}" if "," in num else str(n)

        return _CALENDAR_RE.sub(one, text)

    def published(self) -> str:
        return f"{2025 + self.year_shift:04d}-{self.rng.randrange(12) + 1:02d}-{self.rng.randrange(28) + 1:02d}"


def _person_test():  # type: ignore[no-untyped-def]
    """(first, last) -> whether the pair reads as a person's name: a known first name, and
    neither word nor the pair a place or organization of the domain profile."""
    import gender_guesser.detector as gd

    from eventledger.profile import load_profile

    det = gd.Detector(case_sensitive=False)
    profile = load_profile()
    known = {"male", "female", "mostly_male", "mostly_female", "andy"}

    def other(name: str) -> bool:
        return any(e.kind != "person" for e in profile.lookup(name))

    return lambda first, last: (det.get_gender(first) in known and last not in _NOT_SURNAME
                                and not other(first) and not other(f"{first} {last}"))


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:60]


def _headline(text: str, rng: random.Random) -> str:
    words = text.split()
    return " ".join(words[: rng.randrange(7, 13)]).rstrip(",.;:\"'")


def _outlet(rng: random.Random) -> str:
    return f"{rng.choice(_OUTLET_A)} {rng.choice(_OUTLET_B)}"


def _url(outlet: str, published: str, title: str, i: int) -> str:
    return f"https://{_slug(outlet)}.example/{published.replace('-', '/')}/{_slug(title)}-{i}"


def _near_copy(rec: dict[str, str], rng: random.Random, outlet: str) -> tuple[str, str]:
    """Another headline, boilerplate before and after, a few words changed."""
    words = list(_WORD_RE.finditer(rec["text"]))
    picks = sorted(rng.sample(range(len(words)), min(3, len(words))), reverse=True)
    text = rec["text"]
    for k in picks:
        w = words[k]
        text = text[: w.start()] + rng.choice(_FILLERS) + " " + w.group(0) + text[w.end():]
    top = rng.choice(_BOILER_TOP).format(d=rec["published"], o=outlet)
    end = rng.choice(_BOILER_END).format(y=rec["published"][:4], o=outlet)
    title = rng.choice(["Report: ", "Update: ", "", "Watch: "]) + _headline(rec["text"].split(". ", 1)[-1], rng)
    return title, f"{top}\n\n{text}\n\n{end}"


def generate(n: int, seed: int = 0, corpus: Path = CORPUS) -> Iterator[SynthDoc]:
    """N synthetic documents, deterministic for a given seed and corpus."""
    rng = random.Random(seed)
    paras = _paragraphs(corpus)
    is_person = _person_test()
    originals: list[int] = []
    records: dict[int, dict[str, str]] = {}
    for i in range(n):
        r = rng.random()
        if originals and r < EXACT_SHARE + NEAR_SHARE:
            j = rng.choice(originals)
            src = records[j]
            outlet = _outlet(rng)
            if r < EXACT_SHARE:  # syndicated: the same story under another masthead
                rec = {"url": _url(outlet, src["published"], src["title"], i), "title": src["title"], "text": src["text"],
                       "published": src["published"], "outlet": outlet}
                yield SynthDoc(rec, "exact", j)
            else:
                title, text = _near_copy(src, rng, outlet)
                rec = {"url": _url(outlet, src["published"], title, i), "title": title, "text": text,
                       "published": src["published"], "outlet": outlet}
                yield SynthDoc(rec, "near", j)
            continue
        v = _Varier(rng, is_person)
        chosen = rng.sample(paras, rng.randrange(4, 9))
        text = "\n\n".join(v.vary(p) for _, p in chosen)
        outlet, published = _outlet(rng), v.published()
        title = _headline(text, rng)
        rec = {"url": _url(outlet, published, title, i), "title": title, "text": text, "published": published,
               "outlet": outlet}
        originals.append(i)
        records[i] = rec
        yield SynthDoc(rec, "original", None)


def write_corpus(path: str | Path, n: int, seed: int = 0, corpus: Path = CORPUS) -> Path:
    """Write N synthetic documents to PATH as JSON Lines; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for d in generate(n, seed, corpus):
            out.write(json.dumps(d.record, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write N synthetic news documents (JSON Lines) built from the corpus texts.",
                                 epilog="Example: python benchmarks/synth.py /tmp/synth.jsonl --n 10000 --seed 0")
    ap.add_argument("out", type=Path, help="the JSON Lines file to write")
    ap.add_argument("--n", type=int, default=10_000, help="number of documents (default 10000)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help=f"corpus folder (default {CORPUS})")
    a = ap.parse_args(argv)
    try:
        write_corpus(a.out, a.n, a.seed, a.corpus)
    except (OSError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {a.n} documents to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
