"""labels.toml and outlets.jsonl: the shipped files load, bad entries are refused with the
file, line and field, users' own outlets (outlets.local.jsonl) are read; docs/glossary.md is
what docs/gen_glossary.py writes from the profile."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from eventledger.errors import ProfileError
from eventledger.profile import DEFAULT_PROFILE, OUTLET_KINDS, PLOVER_TYPES, load_profile

REPO = Path(__file__).resolve().parents[1]

GOOD_LABEL = '[[label]]\ntype = "COERCE"\nmode = "seize"\nlabel = "Raid"\nverb = "raid"\n'


def test_shipped_labels_cover_every_trigger_and_every_plover_type():
    p = load_profile()
    for t in p.triggers:
        assert p.label_for(t.type, t.mode) is not None, (t.type, t.mode)
    assert {t for t, m in p.labels if m is None} == PLOVER_TYPES
    assert {"city", "state", "country"} <= p.area_types


def test_shipped_outlets_are_valid_and_unique():
    p = load_profile()
    assert p.outlets
    assert {o.kind for o in p.outlets} == set(OUTLET_KINDS)
    domains = [d for o in p.outlets for d in o.domains]
    assert len(domains) == len(set(domains))


def write(d: Path, name: str, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("text, line, field, reason", [
    (GOOD_LABEL + '\n[[label]]\ntype = "RAID"\nlabel = "Raid"\nverb = "raid"\n', 7, "type", "PLOVER root type"),
    (GOOD_LABEL + '\n[[label]]\ntype = "PROTEST"\nverb = "march"\n', 7, "label", "required"),
    (GOOD_LABEL + '\n[[label]]\ntype = "PROTEST"\nlabel = "protest"\nverb = "march"\n', 7, "label", "capital"),
    ('# a comment\n\n' + GOOD_LABEL + '\n[[label]]\ntype = "COERCE"\nmode = "seize"\nlabel = "Sweep"\nverb = "sweep"\n',
     9, "mode", "second label"),
    (GOOD_LABEL + 'colour = "red"\n', 1, None, "unknown field"),
    (GOOD_LABEL + 'verb_site = ""\n', 1, "verb_site", "non-empty"),
    ('area_types = ["city", 3]\n' + GOOD_LABEL, 1, "area_types", "list of non-empty strings"),
])
def test_bad_labels_name_file_line_field(tmp_path, text, line, field, reason):
    d = write(tmp_path / "p", "labels.toml", text)
    with pytest.raises(ProfileError) as e:
        load_profile(d)
    assert e.value.file.endswith("labels.toml")
    assert e.value.line == line
    assert e.value.field == field
    assert reason in e.value.reason


def test_a_trigger_without_a_label_is_refused(tmp_path):
    d = write(tmp_path / "p", "labels.toml", GOOD_LABEL)
    write(d, "events.toml", '[[trigger]]\ntype = "PROTEST"\nmode = "demo"\npatterns = ["rall(?:y|ies)"]\n')
    with pytest.raises(ProfileError, match=r"no label for PROTEST demo"):
        load_profile(d)
    # a label for the type alone covers every mode of it
    write(d, "labels.toml", GOOD_LABEL + '[[label]]\ntype = "PROTEST"\nlabel = "Protest"\nverb = "protest"\n')
    d2 = write(tmp_path / "p2", "labels.toml", (d / "labels.toml").read_text(encoding="utf-8"))
    write(d2, "events.toml", (d / "events.toml").read_text(encoding="utf-8"))
    assert load_profile(d2).label_for("PROTEST", "demo").label == "Protest"


def outlet(**kw) -> str:
    o = {"name": "Prairie Ledger", "aliases": ["The Ledger"], "domains": ["prairieledger.example"], "kind": "local"}
    o.update(kw)
    return json.dumps({k: v for k, v in o.items() if v is not None})


@pytest.mark.parametrize("lines, line, field, reason", [
    ([outlet(kind="blog")], 1, "kind", "wire, national, local, aggregator"),
    ([outlet(name="")], 1, "name", "required"),
    ([outlet(domains=["https://prairieledger.example/news"])], 1, "domains", "host name"),
    ([outlet(domains=["www.prairieledger.example"])], 1, "domains", "without www."),
    ([outlet(domains=["PrairieLedger.example"])], 1, "domains", "lower-case"),
    (["// shipped by us", outlet(), outlet(name="Other Ledger", aliases=[])], 3, "aliases/domains", "line 2"),
    ([outlet(), outlet(domains=["other.example"])], 2, "name", "line 1"),
    ([outlet(url="x")], 1, None, "unknown field"),
    ([outlet(aliases="The Ledger")], 1, "aliases", "list"),
    (["{not json"], 1, None, "invalid JSON"),
])
def test_bad_outlets_name_file_line_field(tmp_path, lines, line, field, reason):
    d = write(tmp_path / "p", "outlets.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(ProfileError) as e:
        load_profile(d)
    assert e.value.file.endswith("outlets.jsonl")
    assert (e.value.line, e.value.field) == (line, field)
    assert reason in e.value.reason


def test_users_add_and_replace_outlets_in_a_local_file(tmp_path):
    d = write(tmp_path / "p", "outlets.jsonl", outlet() + "\n" + outlet(name="Coast Wire", aliases=["CW"],
                                                                          domains=["coastwire.example"], kind="wire") + "\n")
    write(d, "outlets.local.jsonl", outlet(owner="Prairie Media Co.", domains=["prairieledger.example", "pl.example"])
          + "\n" + outlet(name="Valley Digest", aliases=[], domains=["valleydigest.example"], kind="aggregator") + "\n")
    p = load_profile(d)
    by_name = {o.name: o for o in p.outlets}
    assert set(by_name) == {"Prairie Ledger", "Coast Wire", "Valley Digest"}
    assert by_name["Prairie Ledger"].owner == "Prairie Media Co."
    assert by_name["Prairie Ledger"].domains == ("prairieledger.example", "pl.example")
    assert by_name["Prairie Ledger"].source == "outlets.local.jsonl:1"
    # a mistake in the local file is named there
    d2 = write(tmp_path / "p2", "outlets.local.jsonl", outlet(kind="zine") + "\n")
    with pytest.raises(ProfileError, match=r"outlets\.local\.jsonl:1 \[kind\]"):
        load_profile(d2)


def _gen_glossary():
    spec = importlib.util.spec_from_file_location("gen_glossary", REPO / "docs" / "gen_glossary.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_glossary_is_what_the_generator_writes():
    gen = _gen_glossary()
    text = (REPO / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert text == gen.render(), "docs/glossary.md is out of date: run python docs/gen_glossary.py"


def test_glossary_maps_every_label_to_its_plover_code():
    text = (REPO / "docs" / "glossary.md").read_text(encoding="utf-8")
    p = load_profile(DEFAULT_PROFILE)
    for (typ, mode), lab in p.labels.items():
        assert f"| {lab.label} | {typ} | {mode or '—'} |" in text
