"""In-process tests of the reading half: the timeline's spans and lanes, the entity chart,
and a rejected event leaving the API's counts, lists, map, timeline and downloads (the
browser half is tests/web/test_web_reading.py). Events here are written by hand, in
places and months of their own."""

from __future__ import annotations

import csv
import io
from html import escape

import pytest

from eventledger.store import open_store
from eventledger.store.review import review_event
from eventledger.web.pages import _month_bars
from eventledger.web.views import timeline_chart

REVIEWER = "rita"


def _ev(i: int, date: str | None, precision: str | None, type_: str = "PROTEST", mode: str | None = "demo") -> dict:
    return {"id": f"ev-{i}", "type": type_, "mode": mode, "date": date, "date_precision": precision}


def _bar(chart: dict, eid: str) -> dict:
    return next(b for b in chart["bars"] if b["id"] == eid)


def test_month_and_year_events_span_their_month_and_year(profile):
    events = [_ev(1, "2023-02-14", "day"), _ev(2, "2023-04", "month", "COERCE", "arrest"), _ev(3, "2023", "year", "SANCTION", None),
              _ev(4, "2023-11-30", "day")]
    chart = timeline_chart(events, profile, width=1200)
    day, month, year = _bar(chart, "ev-1"), _bar(chart, "ev-2"), _bar(chart, "ev-3")
    per_day = 1200 / 365  # the axis runs from January 2023 to January 2024
    assert month["w"] == pytest.approx(30 * per_day, rel=0.02)  # April has 30 days
    assert month["x"] == pytest.approx((31 + 28 + 31) * per_day, rel=0.02)  # it starts on April 1
    assert year["x"] == 0 and year["w"] == pytest.approx(1200, rel=0.001)
    assert day["w"] == pytest.approx(max(per_day, 3), abs=0.05)  # one day, at least 3 units wide to be seen
    assert [month["precision"], year["precision"], day["precision"]] == ["month", "year", "day"]
    # one date label a bar, at the event's precision
    assert [month["text"], year["text"], day["text"]] == ["Apr 2023", "2023", "Feb 14"]
    assert "Arrests" in month["title"] and "April 2023" in month["title"]
    # the axis: labelled months across the year
    assert chart["ticks"][0]["text"] == "Jan 2023" and len(chart["ticks"]) >= 4
    assert all(t["x"] <= 1200 for t in chart["ticks"])


def test_bars_that_would_overlap_go_to_other_lanes(profile):
    events = [_ev(i, "2022-06", "month") for i in range(5)] + [_ev(9, "2022-06-15", "day")]
    chart = timeline_chart(events, profile)
    lanes = {b["y"] for b in chart["bars"]}
    assert len(lanes) == len(chart["bars"]) == 6  # every bar covers mid-June: each has a lane of its own
    few = timeline_chart(events, profile, max_lanes=2)
    assert few["drawn"] == 2 and few["not_drawn"] == 4


def test_undated_events_are_not_drawn(profile):
    assert timeline_chart([_ev(1, None, None)], profile)["bars"] == []
    assert timeline_chart([], profile)["bars"] == []


def test_entity_chart_counts_every_month_with_its_axis():
    evs = [{"date": "2021-01-05", "review": {"status": "unreviewed"}}, {"date": "2021-01", "review": {"status": "confirmed"}},
           {"date": "2021-04-02", "review": {"status": "unreviewed"}}, {"date": "2021-03-09", "review": {"status": "rejected"}},
           {"date": "2021", "review": {"status": "unreviewed"}}, {"date": None, "review": {"status": "unreviewed"}}]
    m = _month_bars(evs)
    assert [b["month"] for b in m["bars"]] == ["Jan 2021", "Feb 2021", "Mar 2021", "Apr 2021"]  # empty months too
    assert [b["n"] for b in m["bars"]] == [2, 0, 0, 1]  # the rejected March event is not counted
    assert m["top"] == 2 and m["total"] == 3 and m["left_out"] == 3
    tallest = m["bars"][0]
    assert tallest["y"] >= 10 and tallest["y"] + tallest["h"] == pytest.approx(m["base"])  # room for its count above
    assert _month_bars([])["bars"] == []


def test_a_rejected_event_leaves_counts_lists_map_timeline_and_downloads(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    geo = c.get("/api/map").json()
    tl = c.get("/api/timeline").json()
    dated = {e["id"] for e in tl["events"]}
    victim = next(f["id"] for f in geo["features"] if f["id"] in dated)
    before = c.get("/api/overview").json()["counts"]
    total = c.get("/api/events", params={"per_page": 1}).json()["total"]
    rows = list(csv.DictReader(io.StringIO(c.get("/api/events.csv").text)))
    with open_store(fresh_ledger) as s:
        review_event(s, victim, REVIEWER, "reject", "a plan that was never carried out")
    after = c.get("/api/overview").json()["counts"]
    assert (after["events"], after["rejected"]) == (before["events"] - 1, 1)
    assert victim not in {e["id"] for e in c.get("/api/overview").json()["latest"]}
    assert c.get("/api/events", params={"per_page": 1}).json()["total"] == total - 1
    assert len(c.get("/api/map").json()["features"]) == len(geo["features"]) - 1
    assert victim not in {e["id"] for e in c.get("/api/timeline").json()["events"]}
    assert victim not in {r["event_id_cnty"] for r in csv.DictReader(io.StringIO(c.get("/api/events.csv").text))}
    assert len(list(csv.DictReader(io.StringIO(c.get("/api/events.csv").text)))) == len(rows) - 1
    # ?rejected=show brings it back, marked
    shown = c.get("/api/map", params={"rejected": "show"}).json()
    assert next(f for f in shown["features"] if f["id"] == victim)["properties"]["review"] == "rejected"
    assert next(e for e in c.get("/api/timeline", params={"rejected": "show"}).json()["events"]
                if e["id"] == victim)["review"] == "rejected"
    assert c.get("/api/events", params={"per_page": 1, "rejected": "show"}).json()["total"] == total
    row = next(r for r in csv.DictReader(io.StringIO(c.get("/api/events.csv", params={"rejected": "show"}).text))
               if r["event_id_cnty"] == victim)
    assert row["review_status"] == "rejected"
    page = c.get("/", headers={"accept": "text/html"}).text
    assert "1 event rejected by reviewers is left out" in page
    assert c.get(f"/events/{victim}").status_code == 200  # its own page still opens
    assert c.get("/api/map", params={"rejected": "maybe"}).status_code == 422


def test_map_counts_the_events_it_cannot_place(client, store):
    geo = client.get("/api/map").json()
    n = store.db.execute("SELECT COUNT(*) FROM events WHERE review_status != 'rejected'").fetchone()[0]
    assert len(geo["features"]) + geo["no_place"] + geo["no_coordinates"] == n
    assert geo["no_place"] == store.db.execute("SELECT COUNT(*) FROM events WHERE place_id IS NULL").fetchone()[0]


def test_records_carry_headline_and_label(client):
    rec = client.get("/api/events", params={"per_page": 5}).json()["events"][0]
    assert list(rec)[:3] == ["id", "headline", "label"]
    assert client.get(f"/api/events/{rec['id']}").json()["headline"] == rec["headline"]
    story = client.get("/api/stories").json()[0]
    assert story["headline"] and story["label"]
    assert client.get(f"/api/stories/{story['id']}").json()["headline"] == story["headline"]
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text)))
    assert all(r["headline"] and r["label"] for r in csv_rows)


def test_glossary_page_lists_every_label(client, profile):
    html = client.get("/glossary", headers={"accept": "text/html"}).text
    for lab in profile.labels.values():
        assert f'id="{lab.type}{"-" + lab.mode if lab.mode else ""}"' in html
        assert f"<b>{escape(lab.label)}</b>" in html


def test_a_rejected_event_leaves_its_storys_headline(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    stories = c.get("/api/stories").json()
    # a story whose events have two different labels: reject those of the headline's own label
    for st in stories:
        labels = {e: c.get(f"/api/events/{e}").json()["label"] for e in st["events"]}
        if len(set(labels.values())) > 1:
            break
    else:
        pytest.skip("no story with two kinds of event")
    with open_store(fresh_ledger) as s:
        for e, lab in labels.items():
            if lab == st["label"]:
                review_event(s, e, REVIEWER, "reject", "not what the sources report")
    after = c.get(f"/api/stories/{st['id']}").json()
    assert after["label"] != st["label"] and not after["headline"].startswith(st["label"])
