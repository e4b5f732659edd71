"""Entity finding on hand-written news sentences and on the real corpus."""

from __future__ import annotations

import json

import pytest


def _by_kind(ext, kind):
    return {e.name: e for e in ext.entities if e.kind == kind}


def _all_names(ext, kind):
    out = set()
    for e in ext.entities:
        if e.kind == kind:
            out.add(e.name)
            out.update(e.aliases)
    return out


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("Chicago Mayor Brandon Johnson said the city would not cooperate.", "person", "Brandon Johnson"),
        ("Sheriff Maria Delgado told reporters the jail would stay closed.", "person", "Maria Delgado"),
        ("The protest was led by organizer Wendell Okafor, who spoke for an hour.", "person", "Wendell Okafor"),
        ("Agents from the Fresno Police Department joined the operation.", "organization", "Fresno Police Department"),
        ("The Center for Migrant Justice filed a complaint on Tuesday.", "organization", "Center for Migrant Justice"),
        ("Families gathered outside the Otay Mesa Detention Center overnight.", "place", "Otay Mesa Detention Center"),
        ("Marchers walked down Figueroa Street toward City Hall.", "place", "Figueroa Street"),
        ("Agents were seen in Santa Ana, California, on Friday.", "place", "Santa Ana"),
        ("Troops arrived in Memphis, Tennessee, last week.", "place", "Tennessee"),
        ("Officials in Guatemala said deportation flights resumed.", "place", "Guatemala"),
    ],
)
def test_finds_unseen_names(run, text, kind, name):
    ext = run(text)
    assert name in _all_names(ext, kind), [(e.kind, e.name) for e in ext.entities]


def test_surname_and_title_forms_are_one_person(run):
    ext = run(
        "Portland Mayor Keith Wilson criticised the deployment. Wilson said the city was calm. "
        "\"We do not need troops here,\" Mayor Wilson told the council."
    )
    people = [e for e in ext.entities if e.kind == "person"]
    assert len(people) == 1
    assert people[0].name == "Keith Wilson"
    assert len(people[0].mentions) == 3
    assert any("Mayor" in r for r in people[0].roles)


def test_acronym_and_full_name_are_one_organization(run):
    ext = run(
        "U.S. Immigration and Customs Enforcement said it detained 12 people. "
        "An ICE spokesperson declined to comment, and Immigration and Customs Enforcement later confirmed it."
    )
    ice = [e for e in ext.entities if e.kind == "organization" and "ICE" in (e.name, *e.aliases)]
    assert len(ice) == 1
    assert ice[0].id == "org:ice"
    assert len(ice[0].mentions) == 3


def test_misspelt_agency_resolves_to_profile(run):
    ext = run("U.S. Customs and Immigrations Enforcement is planning a raid in Denver.")
    assert "org:ice" in {e.id for e in ext.entities}


def test_sentence_initial_and_headline_words_are_not_names(run):
    ext = run(
        "Federal Agents Descend On Quiet Suburb\n\n"
        "Federal agents arrived early. Residents said they were afraid. Despite the rain, "
        "dozens gathered in the plaza."
    )
    names = {e.name for e in ext.entities}
    assert not names & {"Federal", "Residents", "Despite", "Federal Agents Descend", "Quiet Suburb"}


def test_possessive_and_era_forms(run):
    ext = run("Trump's order reversed Biden-era rules, and Newsom's office objected.")
    people = _all_names(ext, "person")
    assert {"Donald Trump", "Joe Biden", "Gavin Newsom"} <= people


def test_a_known_name_may_start_with_a_stopword(run):
    # "National", "Federal", "Home" are dropped at a sentence start unless a known name begins there
    ext = run("National Guard troops arrived. Federal Bureau of Investigation agents watched. "
              "Home Depot workers fled.")
    assert {"org:national-guard", "org:fbi", "org:home-depot"} <= {e.id for e in ext.entities}


def test_a_title_of_several_words_opening_a_sentence(run):
    ext = run("The council voted. Council Member Aisha Chughtai, who wrote the ordinance, said so.")
    people = {e.name: e for e in ext.entities if e.kind == "person"}
    assert "Aisha Chughtai" in people and "Council Member" in people["Aisha Chughtai"].roles


def test_an_unknown_name_before_neighborhood_is_a_place(run):
    ext = run("The mayor imposed a curfew on the Segundo Barrio neighborhood. Police fired near the Paso del Norte bridge.")
    kinds = {e.name: e.kind for e in ext.entities}
    assert kinds.get("Segundo Barrio") == "place" and kinds.get("Paso del Norte") == "place"


def test_a_part_of_a_place_is_a_place_at_its_coordinates(run):
    ext = run("Nightly protests in east Charlotte continued, and crowds gathered in Southern California.")
    places = {e.name: e for e in ext.entities if e.kind == "place"}
    assert places["east Charlotte"].lat == pytest.approx(35.22, abs=0.1)
    assert "Southern California" in places and "Charlotte" in places  # the whole is mentioned too
    assert "suburban Chicago" not in {e.name for e in run("Agents raided a site in suburban Chicago.").entities}


def test_page_words_before_a_known_name_are_not_part_of_it(run):
    ext = run("The Brief More National Guard troops are headed to D.C. at the administration's request.")
    assert "org:national-guard" in {e.id for e in ext.entities}
    assert not [e for e in ext.entities if "Brief" in e.name]


def test_fuzzy_names_fix_letters_not_words(run):
    ext = run("The Department of Homland Security spoke. The Department of Motor Security did not.")
    orgs = {m.text: e.id for e in ext.entities for m in e.mentions if e.kind == "organization"}
    assert orgs["Department of Homland Security"] == "org:dhs"
    assert orgs.get("Department of Motor Security") != "org:dhs"


def test_places_carry_coordinates(run):
    ext = run("Protesters marched through MacArthur Park in Los Angeles and later in Chicago.")
    places = _by_kind(ext, "place")
    assert places["MacArthur Park"].lat == pytest.approx(34.0577, abs=0.02)
    assert places["Los Angeles"].lon == pytest.approx(-118.24, abs=0.1)
    assert places["Chicago"].lat == pytest.approx(41.88, abs=0.1)


def test_mentions_state_their_text(corpus_records):
    for name, ext in corpus_records.items():
        text = ext.document.text
        for e in ext.entities:
            assert e.mentions, (name, e.id)
            for m in e.mentions:
                assert text[m.start : m.end] == m.text, (name, e.id, m)


def _f1(pred, gold):
    from eventledger.profile import norm_key

    gk = [{norm_key(g["name"]), *map(norm_key, g["aliases"])} for g in gold]
    used, tp = set(), 0
    for p in pred:
        pk = {norm_key(p.name), *map(norm_key, p.aliases)}
        for i, k in enumerate(gk):
            if i not in used and pk & k:
                used.add(i)
                tp += 1
                break
    return tp, len(pred) - tp, len(gold) - tp


@pytest.mark.parametrize(("kind", "cat", "floor"), [("person", "people", 0.85), ("organization", "organizations", 0.75), ("place", "places", 0.80)])
def test_corpus_entity_f1_floor(corpus, corpus_records, kind, cat, floor):
    tp = fp = fn = 0
    for name, ext in corpus_records.items():
        gdir = corpus / ("dev" if name.startswith("d") else "seeds-gold")
        gold = json.loads((gdir / f"{name}.json").read_text(encoding="utf-8"))
        a, b, c = _f1([e for e in ext.entities if e.kind == kind], gold[cat])
        tp, fp, fn = tp + a, fp + b, fn + c
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * p * r / max(1e-9, p + r)
    assert f1 >= floor, f"{cat} F1 {f1:.2f} below {floor}"
