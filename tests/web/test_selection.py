"""One event selection (issue 11): for every filter (type, mode, place, actor, outlet, dates,
story, limit) the CLI's `events --json`, `export` (JSON Lines and CSV), the library
(`Store.event_ids`), the JSON API, its CSV download and the HTML events page list the same
event ids in the same order, on the ledger ingested from the corpus seeds and dev set.

The filter values are read from the ledger itself (its most frequent type, place, actor...),
so the test names no story of the corpus."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import lxml.html
import pytest
from typer.testing import CliRunner

from eventledger.cli import app as cli


def _cli(*args: str) -> str:
    r = CliRunner().invoke(cli, list(args))
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert r.exit_code == 0, (args, r.exit_code, r.stderr)
    return r.stdout


def _ids_jsonl(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines() if line.strip()]


def _ids_csv(text: str) -> list[str]:
    return [row["event_id_cnty"] for row in csv.DictReader(io.StringIO(text))]


@pytest.fixture(scope="module")
def cases(store) -> dict[str, dict[str, Any]]:
    """Each filter with a value the ledger holds: {name: {"cli": [...], "web": {...}, "lib": {...}}}."""
    db = store.db
    counted = Counter(r[0] for r in db.execute("SELECT type FROM events"))
    type_ = counted.most_common(1)[0][0]
    mode = Counter(r[0] for r in db.execute("SELECT mode FROM events WHERE mode IS NOT NULL")).most_common(1)[0][0]
    place_id, place = db.execute(
        "SELECT e.place_id, n.name FROM events e JOIN entities n ON n.id = e.place_id GROUP BY e.place_id, n.name"
        " ORDER BY COUNT(*) DESC, e.place_id LIMIT 1").fetchone()
    actor_id, actor = db.execute(
        "SELECT ra.entity_id, n.name FROM report_actors ra JOIN entities n ON n.id = ra.entity_id"
        " GROUP BY ra.entity_id, n.name ORDER BY COUNT(*) DESC, ra.entity_id LIMIT 1").fetchone()
    outlet = db.execute("SELECT d.outlet FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.outlet IS NOT NULL"
                        " GROUP BY d.outlet ORDER BY COUNT(*) DESC, d.outlet LIMIT 1").fetchone()[0]
    months = Counter(r[0][:7] for r in db.execute("SELECT date FROM events WHERE date IS NOT NULL AND length(date) >= 7"))
    month = months.most_common(1)[0][0]
    story = db.execute("SELECT story_id FROM events WHERE story_id IS NOT NULL GROUP BY story_id"
                       " ORDER BY COUNT(*) DESC, story_id LIMIT 1").fetchone()[0]
    year = month[:4]
    return {
        "all": {"cli": [], "web": {}, "lib": {}},
        "type": {"cli": ["--type", type_], "web": {"type": type_}, "lib": {"type_": type_}},
        "mode": {"cli": ["--mode", mode], "web": {"mode": mode}, "lib": {"mode": mode}},
        "place": {"cli": ["--place", place], "web": {"place": place_id}, "lib": {"place": place}},
        "actor": {"cli": ["--actor", actor], "web": {"actor": actor_id}, "lib": {"actor": actor}},
        "outlet": {"cli": ["--outlet", outlet], "web": {"outlet": outlet}, "lib": {"outlet": outlet}},
        "from": {"cli": ["--from", month], "web": {"from": month}, "lib": {"date_from": month}},
        "to": {"cli": ["--to", month], "web": {"to": month}, "lib": {"date_to": month}},
        "from-to": {"cli": ["--from", year, "--to", month], "web": {"from": year, "to": month},
                    "lib": {"date_from": year, "date_to": month}},
        "story": {"cli": ["--story", story], "web": {"story": story}, "lib": {"story": story}},
        "type-and-month": {"cli": ["--type", type_, "--from", month, "--to", month],
                           "web": {"type": type_, "from": month, "to": month},
                           "lib": {"type_": type_, "date_from": month, "date_to": month}},
    }


CASES = ["all", "type", "mode", "place", "actor", "outlet", "from", "to", "from-to", "story", "type-and-month"]


@pytest.mark.parametrize("name", CASES)
def test_cli_export_library_api_and_page_list_the_same_events_in_the_same_order(name, cases, shared_ledger, store,
                                                                                 client):
    c = cases[name]
    db = str(shared_ledger)
    lib = store.event_ids(**c["lib"])
    assert lib, f"{name}: the filter should match some events"
    events = _ids_jsonl(_cli("events", "--json", "--db", db, *c["cli"]))
    jsonl = _ids_jsonl(_cli("export", "--format", "jsonl", "--db", db, *c["cli"]))
    csv_ids = _ids_csv(_cli("export", "--format", "csv", "--db", db, *c["cli"]))
    api = client.get("/api/events", params={**c["web"], "per_page": 500, "facets": "false"})
    assert api.status_code == 200, api.text
    assert api.json()["total"] == len(lib)
    api_ids = [e["id"] for e in api.json()["events"]]
    download = _ids_csv(client.get("/api/events.csv", params=c["web"]).text)
    page = client.get("/events", params=c["web"], headers={"accept": "text/html"})
    assert page.status_code == 200
    rows = lxml.html.fromstring(page.text).xpath("//table[contains(@class, 'events')]//tbody/tr")
    page_ids = [next(a.get("href").rsplit("/", 1)[1] for a in tr.iter("a") if a.get("href", "").startswith("/events/ev"))
                for tr in rows]
    assert events == lib, f"{name}: events --json"
    assert jsonl == lib, f"{name}: export --format jsonl"
    assert csv_ids == lib, f"{name}: export --format csv"
    assert api_ids == lib, f"{name}: /api/events"
    assert download == lib, f"{name}: /api/events.csv"
    assert page_ids == lib[: len(page_ids)] and len(page_ids) == min(len(lib), 50), f"{name}: /events page"


@pytest.mark.parametrize("name", ["all", "type", "place"])
def test_a_limit_is_the_first_events_of_the_same_order(name, cases, shared_ledger, store, client):
    c = cases[name]
    db = str(shared_ledger)
    full = store.event_ids(**c["lib"])
    n = max(1, len(full) // 2)
    assert store.event_ids(**c["lib"], limit=n) == full[:n]
    assert _ids_jsonl(_cli("events", "--json", "--limit", str(n), "--db", db, *c["cli"])) == full[:n]
    assert _ids_jsonl(_cli("export", "--format", "jsonl", "--limit", str(n), "--db", db, *c["cli"])) == full[:n]
    api = client.get("/api/events", params={**c["web"], "per_page": n, "facets": "false"}).json()
    assert [e["id"] for e in api["events"]] == full[:n]


def test_the_one_order_is_newest_first_then_latest_ingested_then_id(store):
    """Dated before undated, date descending, ingest order (first_seq) descending, id: the
    ledger has ties on the date, so the tie order is what is checked here."""
    ids = store.event_ids()
    rows = {r[0]: (r[1], r[2]) for r in store.db.execute("SELECT id, date, first_seq FROM events")}
    assert len(ids) == len(rows)
    keys = [(rows[i][0] is None, rows[i][0] or "", rows[i][1], i) for i in ids]
    for a, b in zip(keys, keys[1:]):
        assert (a[0], b[0]) != (True, False), "an undated event before a dated one"
        if a[0] == b[0] and a[1] != b[1]:
            assert a[1] > b[1], "dates must descend"
        elif a[:2] == b[:2]:
            assert a[2] > b[2] or (a[2] == b[2] and a[3] < b[3]), "a tie: later ingested first, then by id"
    dates = Counter(rows[i][0] for i in ids if rows[i][0])
    assert max(dates.values()) > 1, "the ledger should have events on the same date (a tie to order)"


def test_the_store_s_kept_index_follows_the_ledger(fresh_ledger, profile, tmp_path):
    """Store.event_ids keeps its event index until the log moves: a document ingested through
    the same store is listed at once."""
    from eventledger.runner.run import ingest_paths
    from eventledger.settings import Settings
    from eventledger.store import open_store

    doc = tmp_path / "new.txt"
    doc.write_text("Sheriff's deputies arrested 31 people at a packing plant in Yakima, Washington, on "
                   "March 3, 2031, the county said.\n", encoding="utf-8")
    with open_store(fresh_ledger, profile) as s:
        before = s.event_ids()
        assert s.event_ids() == before  # answered from the kept index
        stats = ingest_paths([str(doc)], s, profile, Settings(), progress=False)
        assert stats.added == 1
        after = s.event_ids()
        new = [i for i in after if i not in before]
        assert new and after[0] in new, "the newest dated event comes first"
        assert s.event_ids(date_from="2031") == new
