"""Word lists of the entity finder are profile data (issue 11): name_suffixes in lexicon.toml,
read once per profile, checked on load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventledger.errors import ProfileError
from eventledger.profile import DEFAULT_PROFILE, load_profile


def _profile_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "profile"
    shutil.copytree(DEFAULT_PROFILE, folder)
    f = folder / "lexicon.toml"
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _people(run_profile, text: str) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    return sorted((e.name, sorted(m.text for m in e.mentions)) for e in run_profile(text).entities if e.kind == "person")


def make_raw(text: str):  # type: ignore[no-untyped-def]
    import hashlib

    from eventledger.records import RawDocument

    data = text.encode("utf-8")
    return RawDocument(id=hashlib.sha256(data).hexdigest(), source="mine.txt", text=text, raw=data)


@pytest.fixture
def run_with(settings):  # type: ignore[no-untyped-def]
    from eventledger.pipeline import process

    def _run(profile):  # type: ignore[no-untyped-def]
        return lambda text: process(make_raw(text), profile, settings)

    return _run


TEXT = ("Sheriff Dana Whitfield Esq. said deputies would not help federal agents in Yakima County. "
        "Whitfield said the county jail would not hold anyone on a federal request alone.")


def test_a_suffix_the_profile_adds_is_no_surname(tmp_path, run_with):
    default = _people(run_with(load_profile()), TEXT)
    folder = _profile_with(tmp_path, 'name_suffixes = ["Jr.", "Sr.", "II", "III", "IV"]',
                           'name_suffixes = ["Jr.", "Sr.", "II", "III", "IV", "Esq."]')
    added = _people(run_with(load_profile(folder)), TEXT)
    # with "Esq." a suffix, the later "Whitfield" is the same person as "Dana Whitfield Esq."
    assert len(added) == 1 and len(added[0][1]) == 2, added
    assert default != added


def test_the_shipped_suffixes_join_a_name_with_and_without_jr():
    from eventledger.extract.names import name_model

    assert {"jr", "sr", "ii", "iii", "iv"} <= name_model(load_profile()).name_suffixes


def test_a_word_list_that_is_not_a_list_is_refused_by_file_and_field(tmp_path):
    folder = _profile_with(tmp_path, 'name_suffixes = ["Jr.", "Sr.", "II", "III", "IV"]', 'name_suffixes = "Jr."')
    with pytest.raises(ProfileError) as e:
        load_profile(folder)
    assert e.value.file.endswith("lexicon.toml") and e.value.field == "name_suffixes"


def test_a_particle_the_profile_adds_joins_a_name(tmp_path, run_with):
    """'dos' is no shipped particle: the entity finder reads "Casa dos Amigos" as two runs of
    capitalised words until the profile adds it, then as one."""
    from eventledger.extract.entities import _Finder
    from eventledger.extract.sentences import split_sentences
    from eventledger.pipeline import process
    from eventledger.settings import Settings

    text = "Protesters gathered outside Casa dos Amigos in Tucson on Friday."

    def runs(profile):  # type: ignore[no-untyped-def]
        doc = process(make_raw(text), profile, Settings()).document
        return [" ".join(t.text for t in run) for run in _Finder(text, split_sentences(text), doc, (), profile).runs()]

    assert "Casa dos Amigos" not in runs(load_profile())
    folder = _profile_with(tmp_path, 'name_particles = ["de", "del",', 'name_particles = ["dos", "de", "del",')
    assert "Casa dos Amigos" in runs(load_profile(folder))


def test_a_claim_verb_the_profile_adds_credits_the_figure(tmp_path, run_with):
    text = "Volunteers calculated that 107 people were detained in Fresno over the weekend."

    def credited(profile):  # type: ignore[no-untyped-def]
        figs = [f for f in run_with(profile)(text).figures if f.value == 107]
        assert figs, "the figure itself is found either way"
        return figs[0].attributed_to

    assert not credited(load_profile())
    folder = _profile_with(tmp_path, 'claim_verbs = [\n  "said",', 'claim_verbs = [\n  "calculated", "said",')
    assert credited(load_profile(folder)) == ("Volunteers",)


def test_ap_state_abbreviations_come_from_the_us_package():
    import us

    from eventledger.extract.names import name_model

    nm = name_model(load_profile())
    assert [nm.state_code(s) for s in ("Calif.", "W.Va.", "N.M.", "D.C.", "Texas", "NV")] == ["CA", "WV", "NM", "DC", "TX", "NV"]
    assert nm.state_code("Calif") == "CA" and nm.state_code("Springfield") is None
    assert all(nm.state_code(s.ap_abbr) == s.abbr for s in us.states.STATES)
