"""Figure kinds are profile data (issue 11): figures.toml [kinds] gives each kind the classes the
figure rules read, checked on load with errors that name the file, line and field; renaming
a kind in the profile renames it in what extraction finds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from eventledger.errors import ProfileError
from eventledger.extract.figures import extract_figures
from eventledger.extract.sentences import split_sentences
from eventledger.profile import DEFAULT_PROFILE, load_profile


def _profile_with(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "profile"
    shutil.copytree(DEFAULT_PROFILE, folder)
    f = folder / "figures.toml"
    f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _line_of(folder: Path, pattern: str) -> int:
    lines = (folder / "figures.toml").read_text(encoding="utf-8").splitlines()
    return next(n for n, ln in enumerate(lines, 1) if re.match(pattern, ln))


def test_an_unknown_class_names_the_file_line_and_field(tmp_path):
    folder = _profile_with(tmp_path, lambda t: t.replace('crowd = ["persons", "body"]', 'crowd = ["persons", "mob"]'))
    with pytest.raises(ProfileError) as e:
        load_profile(folder)
    assert e.value.file.endswith("figures.toml") and e.value.field == "kinds.crowd"
    assert e.value.line == _line_of(folder, r"crowd = \[\"persons\", \"mob\"\]")
    assert "unknown class" in str(e.value) and "mob" in str(e.value)


def test_a_kind_the_word_tables_use_must_be_declared(tmp_path):
    folder = _profile_with(tmp_path, lambda t: t.replace('crossings = ["tally"]\n', "", 1))
    with pytest.raises(ProfileError) as e:
        load_profile(folder)
    assert e.value.field == "nouns.crossings" and e.value.line == _line_of(folder, r"crossings = \[\"crossing\"")


def test_exactly_one_generic_kind(tmp_path):
    folder = _profile_with(tmp_path, lambda t: t.replace('people = ["generic", "persons"]', 'people = ["persons"]'))
    with pytest.raises(ProfileError, match="exactly one kind must be generic"):
        load_profile(folder)


def test_the_code_s_own_kinds_are_not_declared(tmp_path):
    folder = _profile_with(tmp_path, lambda t: t.replace("[kinds]\n", '[kinds]\nmoney = ["persons"]\n'))
    with pytest.raises(ProfileError, match="given by the code") as e:
        load_profile(folder)
    assert e.value.field == "kinds.money"


def _kinds(profile, text: str) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    return [(f.kind, f.value) for f in extract_figures(text, split_sentences(text), profile)]


def test_a_kind_renamed_in_the_profile_is_renamed_in_extraction(tmp_path):
    text = ("About 300 demonstrators marched past the county courthouse in Fresno on Saturday. "
            "Deputies detained 14 people near the bus depot.")
    default = _kinds(load_profile(), text)
    assert ("crowd", 300) in default and ("arrests", 14) in default

    def rename(t: str) -> str:  # the same kinds, "crowd" called "turnout"
        return re.sub(r"(?m)^crowd = ", "turnout = ", t)

    renamed = _kinds(load_profile(_profile_with(tmp_path, rename)), text)
    assert renamed == [("turnout" if k == "crowd" else k, v) for k, v in default]


def test_a_class_not_a_kind_name_decides_a_rule(tmp_path):
    """'one' counts a person something was done to (acted_on): "one man was deported" is a
    figure; "one witness said" is not. Take removals out of acted_on and the first goes too."""
    text = "Officials said one man was deported to Guatemala on Friday. One witness said the van left early."
    assert _kinds(load_profile(), text) == [("removals", 1)]
    folder = _profile_with(tmp_path, lambda t: t.replace('removals = ["persons", "acted_on", "tally", "outcome"]',
                                                          'removals = ["persons", "tally", "outcome"]'))
    assert _kinds(load_profile(folder), text) == []
