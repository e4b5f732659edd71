"""The shipped domain profile loads and is consistent; invalid profiles are refused with an
error that names the file, the line and the field (docs/profile.md)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eventledger.errors import ProfileError
from eventledger.profile import DEFAULT_PROFILE, WordPattern, leading, load_profile, needles, norm_key, word_pattern

ALIASES = DEFAULT_PROFILE / "aliases.jsonl"
GAZETTEER = DEFAULT_PROFILE / "gazetteer.jsonl"


def _rows(path: Path) -> list[tuple[int, dict]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            out.append((n, json.loads(line)))
    return out


def _km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


# ---- the shipped profile -----------------------------------------------------------------


def test_shipped_profile_loads_with_broad_coverage(profile):
    kinds = Counter(e.kind for e in profile.entities)
    assert kinds["organization"] >= 400
    assert kinds["person"] >= 150
    assert kinds["place"] >= 300
    assert profile.triggers


def test_ids_are_unique_across_both_files():
    ids = [obj.get("id") for f in (ALIASES, GAZETTEER) for _, obj in _rows(f)]
    assert all(ids), "every shipped entry states its id"
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup


def test_every_within_resolves_to_a_place_without_cycles(profile):
    for e in profile.entities:
        seen = {e.id}
        cur = e
        while cur.within:
            assert cur.within in profile.by_id, f"{cur.id}: within {cur.within} is unknown"
            cur = profile.by_id[cur.within]
            assert cur.kind == "place", f"{e.id} is within {cur.id}, which is no place"
            assert cur.id not in seen, f"{e.id}: within loops at {cur.id}"
            seen.add(cur.id)


def test_coordinates_are_in_range_and_paired(profile):
    for e in profile.entities:
        assert (e.lat is None) == (e.lon is None), e.id
        if e.lat is not None:
            assert e.kind == "place", e.id
            assert -90 <= e.lat <= 90 and -180 <= e.lon <= 180, e.id


def _in_us(profile, e) -> bool:
    while e.within:
        e = profile.by_id[e.within]
        if e.id == "place:united-states":
            return True
    return False


def test_us_places_lie_in_the_us_and_near_their_container(profile):
    """Catches swapped or mistyped coordinates: a place lies near what contains it."""
    limit_km = {"state": 1000, "territory": 200, "county": 250, "city": 45, "borough": 15, "neighborhood": 10}
    for e in profile.entities:
        if e.lat is None or not _in_us(profile, e):
            continue
        assert 17 <= e.lat <= 72 and -180 <= e.lon <= -64, f"{e.id} is not in the United States"
        c = profile.by_id[e.within]
        while c.lat is None and c.within:
            c = profile.by_id[c.within]
        if c.lat is not None:
            assert _km(e, c) <= limit_km.get(c.type, 30), f"{e.id} is {_km(e, c):.0f} km from {c.id}"


def test_every_state_and_dc_is_there_with_a_point(profile):
    states = [e for e in profile.entities if e.type == "state"]
    assert len(states) == 51 and "District of Columbia" in {e.name for e in states}
    assert all(e.lat is not None for e in states)
    dc = profile.lookup("D.C.")[0]
    assert dc.id == "place:washington-dc" and dc.within == "place:district-of-columbia"


def test_no_two_entries_share_a_lookup_key(profile):
    shared = {k: ids for k, ids in profile.alias_index.items() if len(ids) > 1}
    assert not shared, "the first entry would silently win these keys; see docs/profile.md"


def test_people_have_no_bare_surnames_or_titles_as_aliases(profile):
    for e in profile.entities:
        if e.kind != "person":
            continue
        for a in e.aliases:
            assert len(a.split()) >= 2 or a.isupper(), f"{e.id}: bare alias {a!r}"
            assert not re.match(r"(Mayor|Gov\.|Governor|Sen\.|Senator|President|Judge|Secretary)\b", a), f"{e.id}: title in {a!r}"


def test_role_dates_are_ordered():
    for n, obj in _rows(ALIASES):
        for r in obj.get("roles", ()):
            if isinstance(r, dict) and r.get("from") and r.get("to"):
                assert r["from"] <= r["to"], f"aliases.jsonl:{n} {obj['id']}"


def test_context_words_are_lower_case(profile):
    for e in profile.entities:
        assert all(w == w.lower() and " " not in w for w in e.context), e.id


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("ICE", "U.S. Immigration and Customs Enforcement"),
        ("U.S. Customs and Immigrations Enforcement", "U.S. Immigration and Customs Enforcement"),
        ("Immigrations and Customs Enforcement", "U.S. Immigration and Customs Enforcement"),
        ("DHS", "United States Department of Homeland Security"),
        ("CBP", "U.S. Customs and Border Protection"),
        ("Border Patrol", "U.S. Border Patrol"),
        ("FBI", "Federal Bureau of Investigation"),
        ("Justice Department", "United States Department of Justice"),
        ("Pentagon", "United States Department of Defense"),
        ("Department of War", "United States Department of Defense"),
        ("Marines", "United States Marine Corps"),
        ("NORTHCOM", "United States Northern Command"),
        ("Supreme Court", "Supreme Court of the United States"),
        ("9th Circuit", "United States Court of Appeals for the Ninth Circuit"),
        ("AP", "Associated Press"),
        ("Charlotte Observer", "The Charlotte Observer"),
        ("Home Depot", "The Home Depot"),
        ("MS-13", "Mara Salvatrucha"),
        ("GOP", "Republican Party"),
        ("CMPD", "Charlotte-Mecklenburg Police Department"),
        ("NYPD", "New York City Police Department"),
        ("MPD", "Metropolitan Police Department of the District of Columbia"),
        ("Oregon Guard", "Oregon National Guard"),
        ("J.B. Pritzker", "JB Pritzker"),
        ("Janey Cowell", "Janet Cowell"),
        ("Karin J. Immergut", "Karin Immergut"),
        ("NYC", "New York City"),
        ("downtown Los Angeles", "Downtown Los Angeles"),
        ("Calif.", "California"),
        ("N.C.", "North Carolina"),
        ("Jacob K. Javits Federal Building", "26 Federal Plaza"),
    ],
)
def test_names_the_coverage_uses_resolve(profile, alias, name):
    hits = profile.lookup(alias)
    assert [e.name for e in hits] == [name]


def test_twitter_needs_a_context_word(profile):
    x = profile.lookup("Twitter")[0]
    assert x.name == "X" and "on" in x.context


@pytest.mark.parametrize(
    ("person", "title", "date", "held"),
    [
        ("Karen Bass", "Mayor of Los Angeles", "2025-06-10", True),
        ("Karen Bass", "Mayor of Los Angeles", "2021-06-10", False),
        ("Eric Adams", "Mayor of New York City", "2025-12-31", True),
        ("Eric Adams", "Mayor of New York City", "2026-02-01", False),
        ("Zohran Mamdani", "Mayor of New York City", "2026-02-01", True),
        ("Kristi Noem", "Secretary of Homeland Security", "2025-06", True),
        ("Joe Biden", "President of the United States", "2025-06-10", False),
    ],
)
def test_roles_are_held_on_their_dates(profile, person, title, date, held):
    (e,) = profile.lookup(person, "person")
    roles = [r for r in e.roles if r.title == title]
    assert roles
    assert any(r.held_on(date) for r in roles) is held


# ---- invalid profiles --------------------------------------------------------------------

GOOD_ORG = {"id": "org:acme", "kind": "organization", "name": "Acme Agency", "aliases": ["ACME"], "roles": []}
GOOD_PLACE = {"id": "place:springfield", "name": "Springfield", "type": "city", "lat": 39.8, "lon": -89.6}


def _write(tmp_path: Path, aliases: list[str] | None = None, gazetteer: list[str] | None = None,
           events: str | None = None) -> Path:
    folder = tmp_path / "prof"
    folder.mkdir()
    lines = aliases if aliases is not None else [json.dumps(GOOD_ORG)]
    (folder / "aliases.jsonl").write_text("// test\n" + "\n".join(lines) + "\n", encoding="utf-8")
    lines = gazetteer if gazetteer is not None else [json.dumps(GOOD_PLACE)]
    (folder / "gazetteer.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if events is not None:
        (folder / "events.toml").write_text(events, encoding="utf-8")
    return folder


def _refused(folder: Path) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        load_profile(folder)
    return info.value


def test_a_small_valid_profile_loads(tmp_path):
    p = load_profile(_write(tmp_path, events='[[trigger]]\ntype = "PROTEST"\nmode = "demo"\npatterns = ["rall(?:y|ies)"]\n'))
    assert p.lookup("acme")[0].id == "org:acme"
    assert p.by_id["place:springfield"].lat == 39.8
    assert p.triggers[0].pattern.search("a rally downtown")


@pytest.mark.parametrize(
    ("file", "lines", "line", "field"),
    [
        ("aliases.jsonl", [json.dumps(GOOD_ORG), '{"id": "org:b", "kind": "organization", "name": "B",'], 3, None),
        ("aliases.jsonl", [json.dumps({**GOOD_ORG, "kind": "agency"})], 2, "kind"),
        ("aliases.jsonl", [json.dumps({**GOOD_ORG, "id": "org:Acme Agency"})], 2, "id"),
        ("aliases.jsonl", [json.dumps({**GOOD_ORG, "id": "person:acme"})], 2, "id"),
        ("aliases.jsonl", [json.dumps({**GOOD_ORG, "name": ""})], 2, "name"),
        ("aliases.jsonl", [json.dumps({**GOOD_ORG, "aliases": "ACME"})], 2, "aliases"),
        ("aliases.jsonl", [json.dumps({**GOOD_ORG, "roles": [{"title": "Chief", "from": "June 2025"}]})], 2, "roles[0].from"),
        ("gazetteer.jsonl", [json.dumps(GOOD_PLACE), json.dumps({**GOOD_PLACE, "id": "place:x", "lat": 91})], 2, "lat"),
        ("gazetteer.jsonl", [json.dumps({**GOOD_PLACE, "lon": "-89.6"})], 1, "lon"),
    ],
)
def test_bad_entries_name_file_line_and_field(tmp_path, file, lines, line, field):
    folder = _write(tmp_path, **{file.split(".")[0]: lines})
    err = _refused(folder)
    assert err.file.endswith(file) and err.line == line and err.field == field
    where = f"{file}:{line}" + (f" [{field}]" if field else "")
    assert where in str(err)


def test_unknown_field_is_named(tmp_path):
    err = _refused(_write(tmp_path, aliases=[json.dumps({**GOOD_ORG, "alias": ["ACME"]})]))
    assert err.file.endswith("aliases.jsonl") and err.line == 2
    assert "'alias'" in str(err)


def test_bad_trigger_type_is_named(tmp_path):
    events = '[[trigger]]\ntype = "PROTEST"\npatterns = ["march"]\n\n[[trigger]]\ntype = "RAID"\npatterns = ["raid"]\n'
    err = _refused(_write(tmp_path, events=events))
    assert err.file.endswith("events.toml") and err.field == "type"
    assert "trigger[1]" in str(err) and "RAID" in str(err)


@pytest.mark.parametrize(
    "events",
    [
        '[[trigger]]\ntype = "PROTEST"\npatterns = ["march"]\nverbs = ["x"]\n',
        '[[trigger]]\ntype = "PROTEST"\npatterns = []\n',
        '[[trigger]]\ntype = "PROTEST"\npatterns = ["(unclosed"]\n',
        '[[trigger]\ntype = "PROTEST"\n',
        '[[trigger]]\ntype = "PROTEST"\npatterns = ["march"]\nin_names = "yes"\n',
        '[cues]\nrumoured = ["it is said"]\n',
        '[cues]\nplanned = []\n',
        '[cues]\nplanned = ["(will"]\n',
        'cues = ["will"]\n',
    ],
)
def test_other_bad_triggers_are_refused(tmp_path, events):
    err = _refused(_write(tmp_path, events=events))
    assert err.file.endswith("events.toml")


def test_event_cues_load_as_one_pattern_each(tmp_path):
    events = ('[cues]\nplanned = ["will", "plans? to"]\n\n[[trigger]]\ntype = "COERCE"\nmode = "seize"\n'
              'patterns = ["raid(?:s|ed)?"]\nin_names = true\n')
    p = load_profile(_write(tmp_path, events=events))
    assert p.event_cues["planned"].search("agents PLAN TO raid") and not p.event_cues["planned"].search("willow")
    assert p.triggers[0].in_names is True


def test_within_must_name_a_known_id(tmp_path):
    err = _refused(_write(tmp_path, gazetteer=[json.dumps({**GOOD_PLACE, "within": "place:nowhere"})]))
    assert err.field == "within" and "place:nowhere" in str(err)
    assert err.file.endswith("gazetteer.jsonl") and err.line == 1


@pytest.mark.parametrize("field", ["type", "within"])
def test_type_and_within_must_be_strings(tmp_path, field):
    err = _refused(_write(tmp_path, gazetteer=[json.dumps({**GOOD_PLACE, field: 7})]))
    assert err.field == field and err.line == 1


def test_duplicate_id_is_refused(tmp_path):
    err = _refused(_write(tmp_path, aliases=[json.dumps(GOOD_ORG), json.dumps({**GOOD_ORG, "name": "Acme Two"})]))
    assert err.field == "id" and "org:acme" in str(err)


def test_duplicate_id_names_file_and_line(tmp_path):
    err = _refused(_write(tmp_path, aliases=[json.dumps(GOOD_ORG), json.dumps({**GOOD_ORG, "name": "Acme Two"})]))
    assert err.file.endswith("aliases.jsonl") and err.line == 3


def test_norm_key_is_the_documented_normalisation():
    assert norm_key("U.S. Border Patrol") == norm_key("US border patrol") == "us border patrol"
    assert norm_key("The Home Depot") == norm_key("Home Depot")
    assert norm_key("Lowe’s") == norm_key("Lowe's") == "lowes"


# ---- WordPattern: the trigger patterns' fast path finds what the patterns themselves find ----

_HAND_PATTERNS = [
    r"\b(?:sue[ds]?|suing)\b",
    r"\b(?:march(?:ed|es)?(?! \d)|rall(?:y|ies))\b",
    r"\b(?:judge (?:\w+ ){0,3}(?:ruled|blocked))\b",
    r"\b(?:a|an|ab)",  # no closing \b: a match may end inside a word
    r"\b(?:o'?neil|café)\b",
    r"\b(?:anti-ice|ice)\b",  # in "santi-ice" a match inside the word hides one at its "ice"
    r"\b(?:(?:temporary )?order|judge (?:\w+ ){0,3}(?:ruled|blocked))\b",  # tried where its leading strings occur
    r"\b(?:(?:ab)+c|abd|x?cab)",
    # leading strings looked up among the word starts ("raid" in "braids" is none), and one that
    # opens with a non-word character, found anywhere
    r"\b(?:raid(?:s|ed)?|sweeps?|ice agents?)\b",
    r"\b(?:-ban|ban)\b",
    # a short factored run that goes on into its alternatives ("p" + "laced|ut"), and a pattern
    # searched for by its one needle ("order") rather than at every "the "
    r"\b(?:(?:placed|put) (?:\w+ )?under)\b",
    r"\b(?:(?:the|this) (?:\w+ )?order)\b",
]
_WORDS = ["sue", "sued", "pursued", "issues", "suing", "march", "marches 3", "unmarched", "rally", "rallies",
          "judge", "ruled", "blocked", "an", "ab", "cab", "a", "o'neil", "oneil", "café", "caféteria", "-", "_",
          "'", "9", "x", "anti-ice", "santi-ice", "ice", "temporary",
          "order", "judge", "ab", "abab", "ababc", "abd", "cab", "xcab", "c", "raid", "raids", "braids", "raided",
          "sweeper", "sweep", "mice", "agent", "agents", "ban", "x-ban", "urban", "placed", "put", "input", "under",
          "the", "this", "bathe", "order"]


def _spans(it):
    return [(m.start(), m.end()) for m in it]


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.lists(st.sampled_from([" ", "", "-", ". ", "_"]), max_size=12))
def test_word_pattern_finds_the_same_matches_as_the_pattern(words, seps):
    text = "".join(w + (seps[i] if i < len(seps) else " ") for i, w in enumerate(words))
    for p in _HAND_PATTERNS:
        assert _spans(WordPattern(p).finditer(text)) == _spans(re.finditer(p, text)), (p, text)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.integers(0, 60), st.integers(0, 80))
def test_word_pattern_between_pos_and_endpos_finds_what_the_pattern_finds(words, pos, endpos):
    # a sentence of a text: the same matches as re's finditer(text, pos, endpos), index shared with the text
    text = " ".join(words)
    for p in _HAND_PATTERNS:
        want = _spans(re.compile(p).finditer(text, pos, endpos))
        assert _spans(WordPattern(p).finditer(text, pos, endpos)) == want, (p, text, pos, endpos)


def test_word_pattern_made_after_a_text_was_indexed_finds_its_own_words():
    text = "the zebrafish quota was lifted; a quokka-sized zeppelin drifted over Quincy"
    first = WordPattern(r"\b(?:zebrafish|zeppelins?)\b")
    at = text.index
    assert _spans(first.finditer(text)) == [(at("zebrafish"), at("zebrafish") + 9), (at("zeppelin"), at("zeppelin") + 8)]
    later = WordPattern(r"\b(?:quokka|quota)\b")  # keys the text's index did not hold
    assert _spans(later.finditer(text)) == [(at("quota"), at("quota") + 5), (at("quokka"), at("quokka") + 6)]


def test_word_pattern_on_shipped_triggers_and_written_text(profile):
    text = ("Deputies pursued the suspects; the county sued. Unmarched protesters marched 3 miles, then the "
            "protest grew. A judge in Tacoma quickly ruled; the city's lawsuit and a restraining order followed. "
            "troops deployed, guardsmen withdrew, curfews ended at dawn; non-protesters watched.").lower()
    found = 0
    for t in profile.triggers:
        if t.lower is None:  # only a trigger that needs its capitals ("Operation Midway Blitz") has none
            assert re.search(r"[A-Z]", re.sub(r"\\.", "", t.pattern.pattern)), t.source
            continue
        assert _spans(t.lower.finditer(text)) == _spans(re.compile(t.lower.pattern).finditer(text)), t.source
        found += len(_spans(t.lower.finditer(text)))
    assert found >= 8


def test_cased_word_pattern_finds_the_same_matches_as_the_pattern():
    # a trigger that needs its capitals runs on the text itself, not on the lowered copy
    pat = re.compile(r"\b(?:[Oo]peration [A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,2})\b")
    text = ("Cooperation Fenwick stalled; Operation Harbor Gale began in Duluth and operation Tinderbox "
            "followed. Xoperation Quill, (Operation Larkspur) and the operation Vane-Marsh: OPERATION Nope.")
    wp = word_pattern(pat, cased=True)
    assert wp is not None
    got = _spans(wp.finditer(text))
    assert got == _spans(pat.finditer(text))
    assert [text[a:b] for a, b in got] == ["Operation Harbor Gale", "operation Tinderbox", "Operation Larkspur",
                                           "operation Vane-Marsh"]


@pytest.mark.parametrize("pattern", [r"\bfoo|bar", r"(?:foo)\b", r"\b(?:x?)", r"\bFoo"])
def test_word_pattern_refuses_what_it_cannot_match_alike(pattern):
    assert word_pattern(re.compile(pattern)) is None


@pytest.mark.parametrize(
    ("file", "content", "field"),
    [
        ("lexicon.toml", 'title_modifiers = "Deputy"\n', "title_modifiers"),
        ("lexicon.toml", 'numbered_heads = ["Local", 4]\n', "numbered_heads"),
        ("lexicon.toml", '[place_agencies]\npolice = 3\n', "place_agencies.police"),
        ("figures.toml", 'capacity_verbs = ["hold", ""]\n', "capacity_verbs"),
        ("figures.toml", '[after]\narrests = [1, 2]\n', "after.arrests"),
    ],
)
def test_word_lists_of_the_finders_are_checked(tmp_path, file, content, field):
    folder = _write(tmp_path)
    (folder / file).write_text(content, encoding="utf-8")
    err = _refused(folder)
    assert err.file.endswith(file) and err.field == field, str(err)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"raid(?:s|ed)?|sweeps?", {"raid", "sweep"}),
        (r"(?:temporary )?restraining order|judge (?:\w+ ){0,6}(?:ruled|blocked)", {"restraining order", "judge "}),
        (r"(?:federal|ice) (?:push|surge)s?", {"push", "surge"}),  # the set whose shortest is longest
        (r"x(?:abc)+y", {"abc"}),
        (r"(?:abc)*|raid", None),  # an alternative that may hold no string
        (r"(?i)raid|sweep", None),  # case ignored: a plain substring test would miss "RAID"
        (r"ab(?i:cdef)", None),
        (r"foo|ba", None),  # "ba" is shorter than 3 characters
    ],
)
def test_needles(pattern, expected):
    assert needles(pattern) == (frozenset(expected) if expected is not None else None)


_NEEDLE_PATTERNS = [r"raid(?:s|ed)?|sweeps?", r"(?:sen[dt]|deploy\w*) (?:\w+ ){0,2}agents", r"round-?ups?|clear(?:ed)? out",
                    r"(?:a|an) (?:riot|unrest)+"]


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["raid", "raids", "sweep", "sen", "send", "sent", "deployed", "agents", "round",
                                 "roundup", "round-ups", "clear", "cleared out", "a", "an", "riot", "unrest", "x"]),
                max_size=10))
def test_every_match_holds_a_needle(words):
    text = " ".join(words)
    for p in _NEEDLE_PATTERNS:
        ns = needles(p)
        assert ns
        for m in re.finditer(p, text):
            assert any(n in m.group() for n in ns), (p, m.group(), ns)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:temporary )?restraining order|judge \w+ ruled", {"temporary restraining order", "restraining order", "judge "}),
        (r"(?:abc)+xyz", {"abc"}),  # "abcabcxyz" does not start with "abcxyz"
        (r"(?:abc)*xyz", {"abc", "xyz"}),
        (r"(?:raid|)foo", {"raidfoo", "foo"}),
        (r"\bsen[dt] agents", {"sen"}),
        (r"[ab]cd|raid", None),  # a match may start with a character class
        (r"(?i)raid", None),
        (r"ab|raid", None),  # "ab" is shorter than 3 characters
        # the parser factors "placed|put" into "p" and "laced|ut": the short run goes on into them
        (r"(?:placed|put) (?:\w+ )?under", {"placed ", "put "}),
        (r"(?:the|this) \w+ inquiry", {"the ", "this "}),
        (r"(?:p|q)\w+", None),  # the run cannot go on into a character class
    ],
)
def test_leading(pattern, expected):
    assert leading(pattern) == (frozenset(expected) if expected is not None else None)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["abc", "abcabc", "xyz", "raid", "foo", "raidfoo", "judge", "ruled", "temporary",
                                 "restraining", "order", "x", "ab"]), max_size=10))
def test_every_match_starts_with_a_leading_string(words):
    text = " ".join(words) + " " + "".join(words)
    for p in [r"(?:temporary )?restraining order|judge \w+ ruled", r"(?:abc)+xyz", r"(?:abc)*xyz", r"(?:raid|)foo",
              r"(?:raid|ruled) order", r"(?:abcd|abxy)+z"]:
        ls = leading(p)
        assert ls
        for m in re.finditer(p, text):
            assert m.group().startswith(tuple(ls)), (p, m.group(), ls)
