"""The JSON API and the pages, in-process (FastAPI TestClient), on a real ledger built from
the corpus's seeds and dev set plus tests/web/data/."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from eventledger.export import CSV_COLUMNS
from eventledger.ledger.compare import build_event_record
from recordutil import without_review_marks  # noqa: E402

LEDGER_FIELDS = {"id", "type", "mode", "date", "date_precision", "place", "actors", "reports", "independent_sources",
                 "figures", "attribution_conflicts", "review"}


def test_overview_counts_are_the_ledgers(client, store):
    data = client.get("/api/overview").json()
    assert data["counts"] == {**store.counts(), "rejected": 0}  # nothing rejected in this ledger
    assert sum(d["count"] for d in data["timeline"]["days"]) + data["timeline"]["not_day_dated"] == store.counts()["events"]
    assert [e["date"] for e in data["latest"]] == sorted((e["date"] for e in data["latest"]), reverse=True)
    top = data["top_figures"]
    assert top and all(t["sources"] >= 1 for t in top)
    assert [t["sources"] for t in top] == sorted((t["sources"] for t in top), reverse=True)


def test_events_are_the_ledger_records(client, store):
    data = client.get("/api/events", params={"per_page": 500}).json()
    assert data["total"] == store.counts()["events"] == len(data["events"])
    for rec in data["events"]:
        assert LEDGER_FIELDS <= set(rec)
        assert without_review_marks(rec) == build_event_record(store.event_rows(rec["id"]), store.profile)


@pytest.mark.parametrize("params, check", [
    ({"type": "COERCE"}, lambda r: r["type"] == "COERCE"),
    ({"type": "coerce", "mode": "arrest"}, lambda r: (r["type"], r["mode"]) == ("COERCE", "arrest")),
    ({"place": "place:omaha-ne"}, lambda r: r["place"]["id"] == "place:omaha-ne"),
    ({"place": "Omaha"}, lambda r: r["place"]["id"] == "place:omaha-ne"),
    ({"from": "2025-06", "to": "2025-09"}, lambda r: "2025-06" <= r["date"] <= "2025-09~"),
    ({"actor": "ICE"}, lambda r: "org:ice" in {a["id"] for a in r["actors"]}),
])
def test_filters(client, params, check):
    data = client.get("/api/events", params={**params, "per_page": 500}).json()
    assert data["total"] == len(data["events"]) > 0
    assert all(check(r) for r in data["events"]), params


def test_filters_narrow_and_facets_count_what_they_show(client, store):
    everything = client.get("/api/events", params={"per_page": 500}).json()
    by_type = {f["value"]: f["count"] for f in everything["facets"]["type"]}
    assert sum(by_type.values()) == everything["total"]
    for t, n in by_type.items():
        assert client.get("/api/events", params={"type": t}).json()["total"] == n
    for facet in ("place", "outlet", "actor", "mode"):
        for v in everything["facets"][facet][:3]:
            got = client.get("/api/events", params={facet: v["value"], "facets": False}).json()
            assert got["total"] == v["count"], (facet, v)


def test_full_text_search_finds_the_reporting_documents(client):
    data = client.get("/api/events", params={"q": "meatpacking plant", "per_page": 500}).json()
    assert data["total"] == 1
    assert len(data["events"][0]["reports"]) == 2
    assert client.get("/api/events", params={"q": "zzzxqnotaword"}).json()["total"] == 0
    assert client.get("/api/events", params={"q": 'AND OR "('}).status_code == 200  # words, not FTS syntax


def test_outlet_filter(client, store):
    outlet = store.db.execute("SELECT d.outlet FROM documents d JOIN reports r ON r.document_id = d.id"
                              " WHERE d.outlet IS NOT NULL LIMIT 1").fetchone()[0]
    data = client.get("/api/events", params={"outlet": outlet.upper(), "per_page": 500}).json()
    assert data["total"] > 0
    assert all(outlet in {r["outlet"] for r in rec["reports"]} for rec in data["events"])


def test_dossier_compares_the_figures(client, known):
    rec = client.get(f"/api/events/{known['conflict_event']}").json()
    assert {known["omaha_a"], known["omaha_b"]} == {r["document_id"] for r in rec["reports"]}
    assert rec["independent_sources"] == 2
    (group,) = [g for g in rec["figures"] if g["kind"] == "arrests"]
    assert group["conflict"] is True and group["status"] == "conflict"
    assert sorted(v["value"] for v in group["values"]) == [76, 107]
    for v in group["values"]:
        (s,) = v["sources"]
        assert s["figure_id"].startswith(s["document_id"] + ":") and s["review"] is None and s["reviewed"] is None
    # who says each value, in words (the agency's entity id named)
    assert {v["value"]: v["sources"][0]["said_by"] for v in group["values"]} == {
        76: "U.S. Immigration and Customs Enforcement", 107: "advocates"}
    assert any(q["speaker"] == "org:ice" for q in rec["quotes"])
    assert rec["review"] == {"status": "unreviewed", "by": None, "at": None, "extracted": {}}
    assert rec["reviews"] == []


def test_every_value_points_at_the_words_that_state_it(client, known):
    rec = client.get(f"/api/events/{known['conflict_event']}").json()
    texts = {}
    for r in rec["reports"]:
        texts[r["document_id"]] = client.get(f"/api/sources/{r['document_id']}").json()["document"]["text"]
        assert texts[r["document_id"]][r["start"]:r["end"]] == r["text"]
    for g in rec["figures"]:
        for v in g["values"]:
            for s in v["sources"]:
                assert texts[s["document_id"]][s["start"]:s["end"]] == s["text"]


def test_source_spans(client, known, store):
    data = client.get(f"/api/sources/{known['omaha_a']}").json()
    text = data["document"]["text"]
    kinds = {s["kind"] for s in data["spans"]}
    assert {"place", "organization", "figure", "quote", "event"} <= kinds
    for s in data["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(text)
    fig = next(s for s in data["spans"] if s["kind"] == "figure")
    assert text[fig["start"]:fig["end"]] == "76 people"
    assert data["document"]["record"]["figures"][0]["value"] == 76


def test_entity(client):
    ent = client.get("/api/entities/place:omaha-ne").json()
    assert ent["kind"] == "place" and ent["name"] == "Omaha"
    assert len(ent["events"]) >= 1 and ent["documents"] >= 2
    ice = client.get("/api/entities/org:ice").json()
    assert any(q["text"].startswith("We carried out") for q in ice["quotes"])
    assert "ICE" in ice["aliases"]


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_downloads_are_the_current_view(client, fmt):
    params = {"type": "COERCE"}
    total = client.get("/api/events", params=params).json()["total"]
    r = client.get(f"/api/events.{fmt}", params=params)
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert tuple(rows[0]) == CSV_COLUMNS
        assert len(rows) == total and {x["event_type"] for x in rows} == {"COERCE"}
    else:
        geo = r.json()
        assert geo["type"] == "FeatureCollection"
        assert len(geo["features"]) + geo["skipped_no_coordinates"] == total
    q = client.get(f"/api/events.{fmt}", params={"q": "meatpacking"})
    assert q.status_code == 200 and "Omaha" in q.text


def test_map_points(client):
    geo = client.get("/api/map").json()
    assert geo["features"]
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    only = client.get("/api/map", params={"type": "PROTEST"}).json()["features"]
    assert only and {f["properties"]["type"] for f in only} == {"PROTEST"}


def test_openapi_describes_the_api_only(client):
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/overview", "/api/events", "/api/events/{event_id}", "/api/events.csv", "/api/events.geojson",
            "/api/sources/{document_id}", "/api/entities/{entity_id}", "/api/map", "/api/reviews"} <= paths
    assert all(p.startswith("/api/") for p in paths)
    assert {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]} >= {
        "type", "mode", "place", "actor", "outlet", "from", "to", "q", "page", "per_page"}
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


# ---- the one error shape ---------------------------------------------------------------------

@pytest.mark.parametrize("path, status", [
    ("/api/events/ev-doesnotexist", 404),
    ("/api/sources/nope", 404),
    ("/api/entities/person:nobody", 404),
    ("/api/events?from=June", 422),
    ("/api/events?page=0", 422),
    ("/api/nothing-here", 404),
])
def test_error_shape(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status and body["error"]["detail"]


def test_pages_show_errors_as_html_for_browsers(client):
    r = client.get("/events/ev-doesnotexist", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no event ev-doesnotexist" in r.text


# ---- pages ----------------------------------------------------------------------------------

def test_pages_render(client, known):
    for path in ["/", "/events", "/events?type=COERCE&q=agents", f"/events/{known['conflict_event']}",
                 f"/sources/{known['omaha_a']}?hl=0-20", "/entities/org:ice", "/entities/place:omaha-ne", "/reviews", "/login"]:
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")


def test_events_page_keeps_filters_in_the_url(client):
    html = client.get("/events", params={"type": "COERCE", "q": "agents"}).text
    assert 'href="/events?q=agents"' in html  # the chip that removes the type filter keeps the search
    assert "/api/events.csv?type=COERCE&amp;q=agents" in html
    assert re.search(r'<option value="COERCE"\s+selected>', html)


def test_dossier_page_marks_the_conflict_and_links_sentences(client, known):
    html = client.get(f"/events/{known['conflict_event']}").text
    assert 'class="badge conflict"' in html
    assert f'href="/sources/{known["omaha_a"]}?hl=' in html


def test_security_headers_on_every_response(client):
    for path in ["/", "/api/overview", "/static/app.css", "/api/events/nope"]:
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_no_inline_script_or_style_in_pages(client, known):
    for path in ["/", "/events", f"/events/{known['conflict_event']}", f"/sources/{known['omaha_a']}"]:
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert re.search(r"<script\b[^>]*>(?!</script>)", html) is None
        assert " style=" not in html and "<style" not in html


def test_tile_url_is_the_only_outside_origin(make_client, shared_ledger):
    c = make_client(shared_ledger, tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    r = c.get("/")
    assert "img-src 'self' https://tiles.example.org;" in r.headers["content-security-policy"]
    assert "connect-src 'self'" in r.headers["content-security-policy"]
    assert re.findall(r"https?://[^\s\"'<]+", r.text) == ["https://tiles.example.org/{z}/{x}/{y}.png"]


def test_bad_tile_url_is_refused(shared_ledger, profile):
    from eventledger.errors import EventLedgerError
    from eventledger.settings import Settings
    from eventledger.store import open_store
    from eventledger.web import WebSettings, create_app

    with open_store(shared_ledger, profile) as s, pytest.raises(EventLedgerError, match="tile URL"):
        create_app(s, profile, Settings(), WebSettings(tile_url="javascript:alert(1)"))


# ---- hostile documents --------------------------------------------------------------------------

def test_hostile_document_is_escaped_everywhere(client, known):
    pages = [f"/sources/{known['hostile_doc']}", f"/events/{known['hostile_event']}", "/events?q=Denver", "/",
             "/entities/place:denver-co", "/entities/org:ice"]
    for path in pages:
        html = client.get(path, headers={"Accept": "text/html"}).text
        assert "<script>window.__pwned" not in html, path
        assert "<img src=x" not in html and "<svg onload" not in html and "<b onmouseover" not in html, path
        assert not re.search(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", html, re.I), path
    src = client.get(f"/sources/{known['hostile_doc']}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in src
    assert "{{ 7*7 }}" in src and ">49<" not in src  # document text is data, never a template
    api = client.get(f"/api/sources/{known['hostile_doc']}").json()
    assert api["document"]["url"] is None  # a javascript: URL is never offered as a link
    assert "<script>window.__pwned=1</script>" in api["document"]["text"]  # the API returns the text as stored


def test_a_story_says_who_gives_each_value(client, known):
    ev = client.get(f"/api/events/{known['conflict_event']}").json()
    story = client.get(f"/api/stories/{ev['story']}").json()
    sides = {s["said_by"] for g in story["figures"] if g["conflict"] for v in g["values"] for s in v["sources"]}
    assert {"U.S. Immigration and Customs Enforcement", "advocates"} <= sides
