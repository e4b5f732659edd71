"""End to end, the reading half of the web app: events and stories read by their headline,
a rejected event gone from the counts, the timeline and the map, month-precision events
drawn as spans on the timeline, the map's offline basemap and its count of the events it
cannot place, pop-ups with the headline, the entity chart and the glossary. Real server,
real Chromium (tests/web/conftest.py); this module's ledger is its own copy, and the test
that rejects an event runs last in it."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from eventledger.store import open_store
from eventledger.store.review import review_event

pytestmark = pytest.mark.e2e

REVIEWER = "rita"  # made by tests/web/conftest.py


def _no_problems(page) -> None:  # type: ignore[no-untyped-def]
    assert page.problems == [], page.problems
    assert page.dialogs == []


def _api(page, server: str, path: str):  # type: ignore[no-untyped-def]
    r = page.request.get(server + path)
    assert r.ok, (path, r.status)
    return r.json()


def test_events_and_stories_read_by_headline(page, server):
    page.goto(server + "/events")
    first = page.locator("table.events tbody tr").first
    link = first.locator("a.headline")
    event_id = link.get_attribute("href").rsplit("/", 1)[-1]
    rec = _api(page, server, f"/api/events/{event_id}")
    assert rec["headline"] and rec["label"]
    assert link.inner_text() == rec["headline"]
    # the plain label links to the glossary; the PLOVER code stays, small, beside it
    assert first.locator("a.label").inner_text() == rec["label"]
    assert first.locator(".plover").inner_text().split()[0] == rec["type"]
    link.click()
    page.wait_for_url(re.compile(rf"/events/{event_id}$"))
    assert page.locator("h1.headline").inner_text().startswith(rec["headline"])
    assert page.title().startswith(rec["headline"])
    # a story: its headline on the overview and as its page's title
    story = _api(page, server, "/api/stories")[0]
    page.goto(server + "/")
    assert story["headline"] in page.locator("section.stories").inner_text()
    page.goto(server + f"/stories/{story['id']}")
    assert page.locator("h1.story-title").inner_text() == story["headline"]
    heads = page.locator("li.story-event a.headline").all_inner_texts()
    assert heads == [_api(page, server, f"/api/events/{e}")["headline"] for e in story["events"]]
    _no_problems(page)


def test_month_precision_event_is_a_span_on_the_timeline(page, server):
    tl = _api(page, server, "/api/timeline")
    month = next(e for e in tl["events"] if e["date_precision"] == "month")
    day = next(e for e in tl["events"] if e["date_precision"] == "day")
    page.goto(server + "/")
    chart = page.locator("svg.chart.timeline")
    bar = chart.locator(f'a.bar[href="/events/{month["id"]}"]')
    assert bar.count() == 1 and bar.get_attribute("data-precision") == "month"
    day_bar = chart.locator(f'a.bar[href="/events/{day["id"]}"]')
    month_w = float(bar.locator("rect").get_attribute("width"))
    day_w = float(day_bar.locator("rect").get_attribute("width"))
    assert month_w > 5 * day_w  # a month spans about 30 days; a day is a thin bar
    # one date label per bar, said at the event's precision
    y, m = month["date"].split("-")
    assert bar.locator("text").count() == 1
    assert bar.locator("text").text_content() == f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][int(m) - 1]} {y}"
    assert all(chart.locator("a.bar").nth(i).locator("text").count() == 1 for i in range(chart.locator("a.bar").count()))
    # every dated event is drawn, undated ones are not
    assert chart.locator("a.bar").count() == len(tl["events"])
    # a labelled time axis: month names with years, left to right in time
    ticks = chart.locator("text.axis-label").all_text_contents()
    assert len(ticks) >= 2 and all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}|\d{4}", t) for t in ticks)
    # the bar is a link to its event
    bar.click()
    page.wait_for_url(re.compile(rf"/events/{month['id']}$"))
    _no_problems(page)


def test_basemap_is_drawn_with_the_network_blocked(page, server):
    outside: list[str] = []
    local = urlsplit(server).netloc

    def only_local(route):  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc != local:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", only_local)
    page.goto(server + "/")
    page.wait_for_selector(".map.big[data-outlines]", timeout=15000)
    el = page.locator(".map.big")
    assert int(el.get_attribute("data-outlines")) > 200  # ~177 countries and 56 states and territories
    assert page.locator(".leaflet-outlines-pane svg path").count() > 200  # drawn as vector paths: no tiles
    assert page.locator(".leaflet-tile").count() == 0
    assert outside == []
    _no_problems(page)


def test_map_says_what_it_cannot_place_and_popups_give_the_headline(page, server):
    geo = _api(page, server, "/api/map")
    unplaced = geo["no_place"] + geo["no_coordinates"]
    assert unplaced > 0  # this ledger has events without a place
    page.goto(server + "/")
    page.wait_for_selector(".map.big[data-markers]", timeout=15000)
    assert int(page.locator(".map.big").get_attribute("data-markers")) == len(geo["features"])
    note = page.locator(".map-unplaced").inner_text()
    assert note.startswith(f"{unplaced} events have no coordinates")
    # a pop-up: pick a place with one event only, so the marker is not clustered
    at = Counter(tuple(f["geometry"]["coordinates"]) for f in geo["features"])
    one = next(f for f in geo["features"] if at[tuple(f["geometry"]["coordinates"])] == 1)
    rec = _api(page, server, f"/api/events/{one['id']}")
    page.goto(server + f"/events?place={one['properties']['place_id']}&type={one['properties']['type']}")
    page.wait_for_selector(".map[data-markers='1']", timeout=15000)
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content a.headline")
    popup.wait_for(timeout=10000)
    page.wait_for_function("h => document.querySelector('.leaflet-popup-content a.headline').textContent === h",
                           arg=rec["headline"], timeout=10000)
    assert popup.get_attribute("href") == f"/events/{one['id']}"
    _no_problems(page)


def test_entity_chart_has_axis_labels_and_counts(page, server):
    geo = _api(page, server, "/api/map")
    place_events = Counter(f["properties"]["place"] for f in geo["features"])
    page.goto(server + "/events")
    facet = page.locator('.facet[data-facet="place"] a').first
    place_id = re.search(r"place=([^&]+)", facet.get_attribute("href")).group(1)
    ent = _api(page, server, f"/api/entities/{place_id}")
    page.goto(server + f"/entities/{place_id}")
    chart = page.locator("svg.chart.months")
    assert chart.count() == 1
    counted = [e for e in ent["events"] if e["date"] and len(e["date"]) >= 7 and e["review"]["status"] != "rejected"]
    assert sum(int(t) for t in chart.locator("text.count").all_text_contents()) == len(counted) > 0
    months = chart.locator("text.axis-label.mid").all_text_contents()
    assert months and all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", m) for m in months)
    assert chart.locator("text.axis-label.end").count() == 2  # the count axis: its top value and 0
    assert place_events  # the map and the entity page draw from one ledger
    _no_problems(page)


def test_glossary_is_linked_from_the_nav_and_from_each_label(page, server, profile):
    page.goto(server + "/")
    page.click("header.top nav >> text=Glossary")
    page.wait_for_url(re.compile(r"/glossary$"))
    rows = page.locator("table.glossary tbody tr")
    assert rows.count() == len(profile.labels)
    assert "PLOVER" in page.locator("h1").inner_text()
    page.goto(server + "/events")
    label = page.locator("table.events tbody a.label").first
    text, code = label.inner_text(), page.locator("table.events tbody .plover").first.inner_text().split()
    label.click()
    page.wait_for_url(re.compile(r"/glossary#[A-Z]+"))
    target = page.locator("table.glossary tbody tr:target")
    assert target.count() == 1
    cells = target.locator("td").all_inner_texts()
    assert cells[0] == text and cells[1] == code[0]
    assert cells[2] in ("—", code[1] if len(code) > 1 else "—")
    _no_problems(page)


def test_rejected_event_leaves_the_counts_the_timeline_and_the_map(page, server, e2e_ledger):
    """Runs last: it writes a review to this module's ledger."""
    geo = _api(page, server, "/api/map")
    tl = _api(page, server, "/api/timeline")
    dated = {e["id"] for e in tl["events"]}
    victim = next(f["id"] for f in geo["features"] if f["id"] in dated)

    def read() -> tuple[int, int, int]:
        page.goto(server + "/")
        page.wait_for_selector(".map.big[data-markers]", timeout=15000)
        events = int(page.locator('.count[data-count="events"] b').inner_text().replace(",", ""))
        bars = page.locator("svg.chart.timeline a.bar").count()
        return events, bars, int(page.locator(".map.big").get_attribute("data-markers"))

    before = read()
    assert page.locator(f'svg.chart.timeline a.bar[href="/events/{victim}"]').count() == 1
    with open_store(e2e_ledger) as s:  # the review path the web form calls
        review_event(s, victim, REVIEWER, "reject", "the sentence reports a plan, not a raid")
    after = read()
    assert after == (before[0] - 1, before[1] - 1, before[2] - 1)
    assert page.locator(f'svg.chart.timeline a.bar[href="/events/{victim}"]').count() == 0
    assert "1 event rejected by reviewers is left out" in page.locator(".rejected-note").inner_text()
    assert victim not in {f["id"] for f in _api(page, server, "/api/map")["features"]}
    # the documented flag brings it back, marked
    shown = _api(page, server, "/api/map?rejected=show")
    assert next(f for f in shown["features"] if f["id"] == victim)["properties"]["review"] == "rejected"
    page.goto(server + "/events?rejected=show")
    assert page.locator(f'table.events tr.rejected a[href="/events/{victim}"]').count() >= 1
    page.goto(server + "/events")
    assert page.locator(f'table.events a[href="/events/{victim}"]').count() == 0
    _no_problems(page)
