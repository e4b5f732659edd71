"""End to end: `eventledger serve` on loopback, driven by real headless Chromium (Debian's
/usr/bin/chromium through Playwright; scripts/install-browser.sh installs it and builds the
map library). The tests write the screenshots in docs/screenshots/ that the README shows."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from eventledger.store import open_store

pytestmark = pytest.mark.e2e

REVIEWER, PASSWORD = "rita", "correct horse battery"  # made by tests/web/conftest.py
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def shoot():  # type: ignore[no-untyped-def]
    """shoot(page, NAME) writes docs/screenshots/NAME.png, the pictures the README shows,
    when it is missing or EVENTLEDGER_UPDATE_SCREENSHOTS=1 (so a test run leaves git clean)."""
    def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        path = SCREENSHOTS / f"{name}.png"
        if path.exists() and os.environ.get("EVENTLEDGER_UPDATE_SCREENSHOTS") != "1":
            page.screenshot()  # still rendered, so a page that cannot be drawn fails the test
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=False)
    return _shoot


def _no_problems(page) -> None:  # type: ignore[no-untyped-def]
    assert page.problems == [], page.problems  # console errors, CSP violations, page errors
    assert page.dialogs == []


def test_overview(page, server, shoot):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Overview"
    assert int(page.locator(".count b").first.inner_text().replace(",", "")) > 0
    assert page.locator("svg.chart rect").count() > 0
    page.wait_for_selector(".map[data-markers]", timeout=10000)  # the map library loaded and placed the events
    assert int(page.locator(".map").get_attribute("data-markers")) > 0
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".leaflet-marker-pane > *, .leaflet-overlay-pane path").count() > 0
    shoot(page, "overview")
    _no_problems(page)


def test_filter_events(page, server, shoot):
    page.goto(server + "/events")
    total = int(re.search(r"([\d,]+) found", page.locator("h1").inner_text()).group(1).replace(",", ""))
    page.select_option("select[name=type]", "COERCE")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"type=COERCE"))
    filtered = int(re.search(r"([\d,]+) found", page.locator("h1").inner_text()).group(1).replace(",", ""))
    assert 0 < filtered < total
    codes = page.locator("table.events tbody .plover").all_inner_texts()  # the PLOVER code beside each headline
    assert codes and {c.split()[0] for c in codes} == {"COERCE"}
    # a facet narrows further and the URL carries both filters, so the view can be shared
    page.locator('.facet[data-facet="place"] a').first.click()
    page.wait_for_url(re.compile(r"type=COERCE.*place=|place=.*type=COERCE"))
    shared = page.url
    narrowed = page.locator("table.events tbody tr").count()
    assert 0 < narrowed <= filtered
    page.goto(shared)
    assert page.locator("table.events tbody tr").count() == narrowed
    page.fill("input[name=q]", "meatpacking")
    page.select_option("select[name=type]", "")
    page.goto(server + "/events?q=meatpacking")
    assert page.locator("table.events tbody tr").count() == 1
    page.goto(server + "/events?type=COERCE")
    shoot(page, "events")
    _no_problems(page)


def test_dossier_shows_the_figures_compared(page, server, known, shoot):
    page.goto(server + f"/events/{known['conflict_event']}")
    table = page.locator("table.compare")
    assert table.count() == 1
    assert table.locator(".badge.conflict").count() == 1
    values = table.locator("td.value").all_inner_texts()
    assert sorted(values) == ["107", "76"]
    assert page.locator("table.reports tbody tr").count() == 2
    page.wait_for_selector(".map.small[data-markers='1']", timeout=10000)
    shoot(page, "event")
    _no_problems(page)


def test_source_with_highlights(page, server, known, shoot):
    page.goto(server + f"/events/{known['conflict_event']}")
    page.locator("table.compare a.src").first.click()
    page.wait_for_url(re.compile(r"/sources/[0-9a-f]{64}\?hl=\d+-\d+"))
    target = page.locator("mark.target")
    assert target.count() >= 1
    assert re.sub(r"\s+", " ", "".join(target.all_inner_texts())) in ("76 people", "107 people")
    for kind in ("figure", "place", "quote", "event"):
        assert page.locator(f"mark.k-{kind}").count() > 0, kind
    assert page.locator("aside.record h2").inner_text() == "Extraction record"
    shoot(page, "source")
    _no_problems(page)


def test_reviewer_corrects_a_figure(page, server, known, e2e_ledger, shoot):
    ev = known["conflict_event"]
    page.goto(server + f"/events/{ev}")
    assert page.locator("details.review-form").count() == 0  # anonymous: read only
    page.click("text=Reviewer log in")
    page.fill("input[name=name]", REVIEWER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(re.compile(rf"/events/{ev}$"))
    assert page.locator(".reviewer b").inner_text() == REVIEWER
    row = page.locator("table.compare tr", has=page.locator("td.value", has_text="107"))
    row.locator("details.review-form summary").click()
    form = row.locator("details.review-form form")
    form.locator("select[name=action]").select_option("correct")
    form.locator("input[name=value]").fill("76")
    form.locator("input[name=reason]").fill("the 107 counts a second site; see the ICE statement")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/events/{ev}#figures$"))
    # the change shows: both sources now agree on 76, the extracted 107 is struck out, who and when
    assert page.locator("table.compare td.value").all_inner_texts() == ["76"]
    assert page.locator("table.compare .badge.agree").count() == 1
    assert page.locator("table.compare .was s").inner_text() == "107"
    assert f"corrected by {REVIEWER}" in page.locator("table.compare").inner_text()
    history = page.locator("#history ol.history li")
    assert history.count() == 1  # a sentence, not JSON: who, what, from and to, when, why
    assert re.match(rf"{REVIEWER} corrected arrests from 107 to 76, \d+ \w+ \d{{4}}, because the 107 counts a second"
                    r" site; see the ICE statement\. #\d+ [0-9a-f]{12}…$", history.inner_text()), history.inner_text()
    log_cell = history.locator(".log-entry").inner_text()
    seq = int(re.match(r"#(\d+)", log_cell).group(1))
    with open_store(e2e_ledger) as s:
        entry = s.db.execute("SELECT action, subject, detail, hash FROM log WHERE seq = ?", (seq,)).fetchone()
        assert entry["action"] == "review" and REVIEWER in entry["detail"] and "second site" in entry["detail"]
        assert log_cell.split()[1].rstrip("…") == entry["hash"][:12]
        assert s.verify() == []
    shoot(page, "review")
    page.goto(server + "/reviews")
    assert "the 107 counts a second site" in page.locator("ol.history").inner_text()
    _no_problems(page)


def test_hostile_document_shows_its_payloads_as_text(page, server, known):
    for path in (f"/sources/{known['hostile_doc']}", f"/events/{known['hostile_event']}", "/events?q=Denver", "/",
                 "/entities/place:denver-co"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload], b[onmouseover]').length") == 0, path
    page.goto(server + f"/sources/{known['hostile_doc']}")
    text = page.locator("article.doc-text").inner_text()
    assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=1;alert(1)">' in text
    assert "<script>window.__pwned=1</script>Raid in Denver" in page.locator("h1").inner_text()
    assert page.locator("a[href^='javascript:']").count() == 0
    page.goto(server + f"/events/{known['hostile_event']}")
    assert "<img src=x onerror" in page.locator("table.reports").inner_text()  # the outlet, as text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []


def test_pages_work_without_javascript(browser, server, known):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(server + "/events")
        page.select_option("select[name=type]", "PROTEST")
        page.click("form.filters button[type=submit]")
        page.wait_for_url(re.compile(r"type=PROTEST"))
        assert {c.split()[0] for c in page.locator("table.events tbody .plover").all_inner_texts()} == {"PROTEST"}
        page.goto(server + f"/events/{known['conflict_event']}")
        assert page.locator("table.compare td.value").count() >= 1
        assert "needs JavaScript" in page.locator(".map").inner_text()
    finally:
        ctx.close()


def test_story_page_shows_sources_figures_and_coverage(page, server, known, shoot):
    page.goto(server + "/")
    link = page.locator("section.stories a").first
    assert link.count() == 1  # stories come first on the overview
    story = next(s for s in page.request.get(server + "/api/stories").json()
                 if known["omaha_a"] in {d["document_id"] for d in s["documents"]})
    page.goto(server + f"/stories/{story['id']}")
    assert page.locator("h1.story-title").inner_text() == story["headline"]  # read by its headline
    assert page.locator("tr.story-source").count() == len(story["documents"]) >= 2
    assert page.locator("li.story-event").count() == len(story["events"])
    conflicts = page.locator(".story-figures tr.conflict")
    assert conflicts.count() == sum(g["conflict"] for g in story["figures"])
    omaha = [s for g in story["figures"] for v in g["values"] for s in v["sources"] if s["document_id"] == known["omaha_b"]]
    if any(s["reviewed"] for s in omaha):  # test_reviewer_corrects_a_figure ran first: the 107 was corrected to 76
        assert "76 (reviewed; extracted 107)" in page.locator(".story-figures").inner_text()
    else:  # the Omaha fixture: 76 against 107
        assert conflicts.count() >= 1
        text = conflicts.first.inner_text()
        assert "76" in text and "107" in text
    assert page.locator(".story-coverage tbody tr").count() == len(story["coverage"])
    page.locator(".story-sources a.src").first.click()  # a sentence opens in its source, highlighted
    page.wait_for_url(re.compile(r"/sources/"))
    assert page.locator("#hl").count() == 1
    _no_problems(page)
