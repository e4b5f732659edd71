"""Everything the entity finder knows before it reads a document, built once per profile:
the profile's aliases as token prefixes, the package gazetteer, first names, word lists."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from eventledger.extract.tokens import tokenize
from eventledger.gazetteer import Gazetteer, load_gazetteer
from eventledger.profile import Profile, norm_key

__all__ = ["NameModel", "given_name_detector", "name_model"]

@lru_cache(maxsize=1)
def _ap_states() -> dict[str, str]:
    """AP style's state abbreviations ("Calif.", "N.Y.", "W.Va.", "D.C.") by their lookup key -> the
    postal code, from the ``us`` package's state metadata (not a hand-typed list)."""
    import us

    return {norm_key(s.ap_abbr): s.abbr for s in (*us.states.STATES, us.states.DC) if s.ap_abbr}


# grammar, not vocabulary: the words that join the parts of a name ("Department of Justice", "Bureau of
# Alcohol, Tobacco, Firearms and Explosives", "Fish & Wildlife")
_JOINING_WORDS = frozenset({"of", "and", "for", "the", "&"})


@lru_cache(maxsize=1)
def given_name_detector():  # type: ignore[no-untyped-def]
    """gender-guesser's list of given names, parsed once per process (it takes seconds and
    megabytes): the entity finder and the outlet reader share it."""
    import gender_guesser.detector as gd

    return gd.Detector(case_sensitive=True)


class NameModel:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        lex = profile.lexicon
        self.titles = frozenset(lex.get("titles", ()))
        self.title_first_words = frozenset(t.split(" ")[0] for t in self.titles)
        """The first word of each title: a phrase that does not open with one is no title."""
        self.org_heads = frozenset(lex.get("org_heads", ()))
        self.place_heads = frozenset(lex.get("place_heads", ()))
        self.place_prefixes = frozenset(lex.get("place_prefixes", ()))
        self.stop = frozenset(lex.get("stopwords", ()))
        self.demonyms = frozenset(lex.get("demonyms", ()))
        self.not_acronyms = frozenset(lex.get("not_acronyms", ()))
        self.role_nouns = frozenset(lex.get("role_nouns", ()))
        self.place_modifiers = frozenset(lex.get("place_modifiers", ()))
        self.place_parts = frozenset(lex.get("place_parts", ()))
        self.title_modifiers = frozenset(lex.get("title_modifiers", ()))
        self.center_places = frozenset(lex.get("center_places", ("Detention", "Processing", "Convention", "Medical", "Trade")))
        self.numbered_heads = frozenset(lex.get("numbered_heads", ()))
        after = sorted(lex.get("place_nouns_after", ()), key=len, reverse=True)
        self.place_after_re = re.compile(r"\s+(?:" + "|".join(map(re.escape, after)) + r")\b") if after else None
        ne = list(lex.get("not_entities", ()))
        self.not_entity_words = frozenset(w for w in ne if " " not in w and w[0].isupper() and w not in ("Operation",))
        self._not_entity_keys = frozenset(norm_key(w) for w in ne)
        self.operation_words = frozenset({"Operation"})
        self.geo: Gazetteer = load_gazetteer()
        # profile aliases as token sequences
        self.alias_tokens: set[str] = set()
        self.alias_prefixes: set[str] = set()
        for key in profile.alias_index:
            toks = key.split()
            self.alias_tokens.update(toks)
            for i in range(1, len(toks) + 1):
                self.alias_prefixes.add(" ".join(toks[:i]))
        self.geo_prefixes: set[str] = set()
        for key in self.geo.places:
            toks = key.split()
            for i in range(1, len(toks) + 1):
                self.geo_prefixes.add(" ".join(toks[:i]))
        # acronyms the profile spells in capitals ("ICE", "FBI"): they keep their case in an ALL-CAPS run
        self.upper_aliases = frozenset(a for e in profile.entities for a in (e.name, *e.aliases)
                                       if " " not in a and a.isupper() and len(a) <= 6)
        # names written with commas ("Bureau of Alcohol, Tobacco, Firearms and Explosives"): a run
        # of capitalised words stops at a comma, so these are matched on the text by their first word
        self.comma_names: dict[str, tuple[str, ...]] = {}
        for e in profile.entities:
            for a in (e.name, *e.aliases):
                if "," in a and a.split()[0][:1].isupper():
                    self.comma_names.setdefault(a.split()[0], ())
                    self.comma_names[a.split()[0]] += (a,)
        self.comma_names = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in self.comma_names.items()}
        agencies = lex.get("place_agencies", {})
        self.place_agencies: dict[str, str] = {k.lower(): v for k, v in agencies.items()}
        self.group_nouns_after = tuple(lex.get("group_nouns_after", ()))
        self.place_agency_re = re.compile(r" (" + "|".join(re.escape(k) for k in sorted(
            self.place_agencies, key=len, reverse=True)) + r")\b") if self.place_agencies else None
        self.group_noun_re = re.compile(r" (" + "|".join(map(re.escape, self.group_nouns_after)) + r")\b") \
            if self.group_nouns_after else None
        self.name_suffixes = frozenset(norm_key(w) for w in lex.get("name_suffixes", ()))
        self.connectors = _JOINING_WORDS | frozenset(w.lower() for w in lex.get("name_particles", ()))
        """Lower-case words that may stand inside a name: grammar ("of", "and") and the
        profile's name particles ("de", "van")."""
        """Words after a surname that are no surname ("Jr.", "III"), by their lookup key."""
        self.profile_surnames: dict[str, list[str]] = {}
        for e in profile.entities:
            if e.kind == "person":
                parts = [p for p in e.name.split() if norm_key(p) not in self.name_suffixes]
                if parts:
                    self.profile_surnames.setdefault(norm_key(parts[-1]), []).append(e.id)
        self._state_by_name = {norm_key(n): c for c, n in self.geo.state_names.items()}
        self.name_lower_words = self._name_lower_words()
        self._gender = None

    def _name_lower_words(self) -> frozenset[str] | None:
        """The lower-case words the entity finder reads (by norm): those that join the parts of
        a name, and those inside a name with commas, whose words it takes whatever they are.
        Its runs() treats any other lower-case word as the end of a run, as it treats the gap
        where the word was left out. None (keep every word) when a name with commas ends in a
        lower-case word, which the text might continue into a longer word."""
        words = set(self.connectors)
        for names in self.comma_names.values():
            for a in names:
                toks = tokenize(a)
                if toks and toks[-1].text[0].islower():
                    return None
                words.update(t.norm for t in toks if t.text[0].islower())
        return frozenset(words)

    def not_entity_key(self, phrase: str) -> bool:
        return norm_key(phrase) in self._not_entity_keys

    @property
    def _detector(self):  # type: ignore[no-untyped-def]
        return given_name_detector()

    @lru_cache(maxsize=20000)  # noqa: B019 - one model per profile, lives for the process
    def first_name(self, word: str, strict: bool = False) -> bool:
        if not word or not word[0].isupper() or len(word) < 2 or word in self.stop or word.isupper():
            return False
        g = self._detector.get_gender(word)
        return g in ("male", "female") if strict else g != "unknown"

    def state_code(self, s: str) -> str | None:
        k = norm_key(s)
        if len(s) == 2 and s.isupper() and s in self.geo.state_names:
            return s  # a postal code: "NV"
        return self._state_by_name.get(k) or _ap_states().get(k)

    @cached_property
    def _org_choices(self) -> dict[str, str]:
        """Organization names of three words or more, their words sorted -> profile id."""
        out: dict[str, str] = {}
        for e in self.profile.entities:
            if e.kind == "organization":
                for a in (e.name, *e.aliases):
                    if len(a.split()) >= 3:
                        out[" ".join(sorted(norm_key(a).split()))] = e.id
        return out

    @cached_property
    def _org_keys(self) -> list[str]:
        return list(self._org_choices)  # a list: rapidfuzz reads it in C, a dict's keys view item by item (2x slower)

    @lru_cache(maxsize=512)  # noqa: B019 - one model per profile, lives for the process
    def _org_keys_near(self, n: int, threshold: float) -> list[str]:
        """The organization keys whose length allows a ratio of ``threshold`` with a key of ``n``
        characters, in _org_keys' order (so extractOne's pick among equal scores is the same):
        rapidfuzz scores every choice it is given, most of them hopeless. fuzz.ratio is
        100 * (1 - distance / total length) and the distance is at least the difference in
        length (the bound is widened by one character for rounding)."""
        slack = 1 - threshold / 100
        return [k for k in self._org_keys if abs(len(k) - n) <= slack * (len(k) + n) + 1]

    def fuzzy_org(self, name: str, threshold: float = 90.0) -> str | None:
        """The profile organization an unknown name misspells, if one is close enough."""
        key = " ".join(sorted(norm_key(name).split()))  # words sorted once here, as token_sort_ratio would
        found = self._fuzzy_found
        if (key, threshold) not in found:  # answers kept by name: names recur across a feed's documents
            if len(found) >= 4096:
                found.clear()
            found[key, threshold] = self._fuzzy_org_key(key, threshold)
        return found[key, threshold]

    @cached_property
    def _fuzzy_found(self) -> dict[tuple[str, float], str | None]:
        return {}

    def _fuzzy_org_key(self, key: str, threshold: float) -> str | None:
        from rapidfuzz import fuzz, process

        choices = self._org_choices
        keys = self._org_keys_near(len(key), threshold)
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
        if not hit:
            return None
        # a misspelling changes letters, not words: every word must be close to its counterpart
        a, b = key.split(), hit[0].split()
        if len(a) != len(b) or any(fuzz.ratio(x, y) < 75 for x, y in zip(a, b)):
            return None
        return choices[hit[0]]


@lru_cache(maxsize=4)
def name_model(profile: Profile) -> NameModel:
    return NameModel(profile)
