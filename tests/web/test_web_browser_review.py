"""End to end, in real headless Chromium: who says each value of a figure conflict, and a
reviewer correcting an event's place by name.

The ledger is built here from tests/data/reviews/ (two reports, written for these tests, of
one made-up raid: 41 arrested "according to" the agency, 63 "church volunteers said"), so
the conflict and its two sides are known; `eventledger serve` runs on it on loopback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventledger.runner.run import ingest_paths
from eventledger.settings import Settings
from eventledger.store import open_store
from eventledger.store.review import add_user

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data" / "reviews"
REVIEWER, PASSWORD = "rita", "correct horse battery"
ICE = "U.S. Immigration and Customs Enforcement"


@pytest.fixture(scope="module")
def e2e_ledger(tmp_path_factory, profile) -> Path:
    """This module's own ledger (the `server` fixture serves it)."""
    path = tmp_path_factory.mktemp("e2e-review") / "ledger.db"
    with open_store(path, profile) as store:
        stats = ingest_paths([str(p) for p in sorted(DATA.glob("*.txt"))], store, profile, Settings(), progress=False)
        assert stats.failed == 0, stats.errors
        add_user(store, REVIEWER, PASSWORD)
    return path


@pytest.fixture(scope="module")
def ids(e2e_ledger) -> dict[str, str]:
    with open_store(e2e_ledger) as s:
        (event,) = [r[0] for r in s.db.execute("SELECT id FROM events")]
        (story,) = [r[0] for r in s.db.execute("SELECT id FROM stories")]
    return {"event": event, "story": story}


def _no_problems(page) -> None:  # type: ignore[no-untyped-def]
    assert page.problems == [], page.problems
    assert page.dialogs == []


def test_a_figure_conflict_says_who_says_each_value(page, server, ids, shoot):
    page.goto(server + f"/events/{ids['event']}")
    table = page.locator("table.compare")
    assert table.locator(".badge.conflict").count() == 1
    sides = table.locator("ul.who-says li").all_inner_texts()
    assert sides == [f"{ICE} said 41", "church volunteers said 63"] or \
        sides == ["church volunteers said 63", f"{ICE} said 41"], sides
    # beside each value, who says it and the words that state it, linked to the source
    said = {t.strip() for t in table.locator(".fig-source .says").all_inner_texts()}
    assert said == {f"{ICE} said:", "church volunteers said:"}
    shoot(page, "figure-conflict-who-says")
    page.goto(server + f"/stories/{ids['story']}")
    story = page.locator("table.story-figures tr.conflict")
    assert story.count() == 1
    assert set(story.locator("ul.who-says li").all_inner_texts()) == {f"{ICE} said 41", "church volunteers said 63"}
    _no_problems(page)


def test_a_reviewer_corrects_the_place_by_name(page, server, ids, e2e_ledger, shoot):
    ev = ids["event"]
    page.goto(server + f"/events/{ev}")
    page.click("text=Reviewer log in")
    page.fill("input[name=name]", REVIEWER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(re.compile(rf"/events/{ev}$"))
    form = page.locator("form.review-event")
    place = form.locator("input[name=place]")
    # suggestions by name: the ledger's places and the gazetteer's, never an id
    options = page.locator("datalist#place-names option")
    names = options.evaluate_all("os => os.map(o => o.value)")
    assert "Boise" in names and "Columbus" in names and not any(n.startswith("place:") for n in names)
    assert place.get_attribute("list") == "place-names"
    # a misspelt name: the form comes back as typed, with one line saying what was meant
    form.locator("select[name=action]").select_option("correct")
    place.fill("Colombus")
    form.locator("input[name=reason]").fill("the factory is in Ohio")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("form.review-event .form-error")
    said = error.inner_text()
    assert said.startswith("no place 'Colombus' in the ledger or the gazetteer; did you mean ") and "\n" not in said
    assert "'Columbus'" in said
    # the refused form is answered 422 (Chromium logs that status); nothing else went wrong
    assert [p for p in page.problems if "status of 422" not in p] == []
    page.problems.clear()
    page.locator("#review").scroll_into_view_if_needed()
    shoot(page, "review-by-name")
    form = page.locator("form.review-event")
    assert form.locator("input[name=place]").input_value() == "Colombus"
    assert form.locator("input[name=reason]").input_value() == "the factory is in Ohio"
    assert form.locator("select[name=action]").input_value() == "correct"
    # the name as suggested
    form.locator("input[name=place]").fill("Columbus")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/events/{ev}#review$"))
    facts = page.locator("dl.facts").inner_text()
    assert "Columbus reviewed; extracted as Boise" in facts  # the extracted place beside the reviewed one
    history = page.locator("#history ol.history li")
    assert history.count() == 1
    assert re.match(rf"{REVIEWER} corrected the place from Boise to Columbus, \d+ \w+ \d{{4}}, because the factory"
                    r" is in Ohio\. #\d+ [0-9a-f]{12}…$", history.inner_text()), history.inner_text()
    with open_store(e2e_ledger) as s:
        assert s.db.execute("SELECT place_id FROM events WHERE id = ?", (ev,)).fetchone()[0] == "place:columbus-oh"
        assert s.verify() == []
    _no_problems(page)
