"""The kit's pages: records requests (overdue ones stand out), exhibits (a view is logged, the
location withheld until a reviewer releases it), the register (page, CSV, GeoJSON), in-process
and, for the register and requests pages, in the real browser."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from PIL import Image

from eventledger.kit import exhibits as kx
from eventledger.kit import register as kr
from eventledger.kit.requests import add_request
from eventledger.store import kit as sk
from eventledger.store.review import add_user

from .files import make_jpeg, make_pdf
from .test_register import _geojson

REVIEWER, PASSWORD = "rita", "correct horse battery"


@pytest.fixture
def kit_ledger(kstore, raid, tmp_path, ledger):
    """The raid ledger with an overdue and an open request, a photo, a parcel layer and sites."""
    add_request(kstore, "U.S. Immigration and Customs Enforcement", "foia", "2025-01-06", "Operations records", "dana",
                events=[raid])
    add_request(kstore, "Spokane Police Department", "cpra", date.today().isoformat(), "Body-camera footage", "dana")
    photo = kx.add_exhibit(kstore, make_jpeg(tmp_path / "lot.jpg", 47.652, -117.428), "dana", event=raid).sha256
    letter = kx.add_exhibit(kstore, make_pdf(tmp_path / "ack.pdf", ["We received your request on January 6, 2025."]),
                            "dana", request="rr-1").sha256
    kr.load_layer(kstore, _geojson(tmp_path / "parcels.geojson"), "dana", None, ["City of Spokane"])
    kr.add_site(kstore, "City yard on Trent Avenue", "2025-04-15", "dana", 47.652, -117.428, event=raid, exhibit=photo[:12])
    kr.add_site(kstore, "Storage lot edge", "2025-04-15", "dana", 47.652, -117.420, event=raid)
    kr.add_site(kstore, "Church parking lot", "2025-04-14", "dana", event=raid)
    add_user(kstore, REVIEWER, PASSWORD)
    kstore.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"ledger": ledger, "photo": photo, "event": raid, "letter": letter}


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_requests_page_marks_overdue(make_client, kit_ledger):
    c = make_client(kit_ledger["ledger"])
    html = c.get("/kit/requests").text
    rows = re.findall(r'<tr class="([^"]*)" id="(rr-\d+)"', html)
    assert rows == [("overdue", "rr-1"), ("", "rr-2")]
    assert "OVERDUE" in html and "2025-02-04" in html  # 20 working days from Jan 6, 2025 (MLK Day skipped)
    assert f'attached: <a href="/kit/exhibits/{kit_ledger["letter"]}">ack.pdf</a>' in html
    only = c.get("/kit/requests?overdue=true").text
    assert "rr-1" in only and "rr-2" not in only
    ics = c.get("/kit/requests.ics")
    assert ics.headers["content-type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_exhibit_page_withholds_location_and_logs_the_view(make_client, kit_ledger, kstore):
    c = make_client(kit_ledger["ledger"])
    sha = kit_ledger["photo"]
    html = c.get(f"/kit/exhibits/{sha}").text
    assert sha in html and "47.652" not in html and "-117.428" not in html and "withheld" in html
    log = sk.custody_log(kstore, f"exhibit:{sha}")
    assert (log[-1]["action"], log[-1]["by"]) == ("exhibit-view", "public visitor")
    png = c.get(f"/kit/exhibits/{sha}/preview")
    im = Image.open(io.BytesIO(png.content))
    assert png.headers["content-type"] == "image/png" and not im.getexif()
    # nobody but a logged-in reviewer releases it
    assert c.post(f"/kit/exhibits/{sha}/release", data={"reason": "x", "csrf": "guess"}).status_code in (401, 403)
    token = _csrf(c.get("/login").text)
    c.post("/login", data={"name": REVIEWER, "password": PASSWORD, "csrf": token, "next": "/"}, follow_redirects=False)
    page = c.get(f"/kit/exhibits/{sha}").text
    r = c.post(f"/kit/exhibits/{sha}/release", data={"reason": "public lot, no one in frame", "csrf": _csrf(page)},
               follow_redirects=False)
    assert r.status_code == 303
    assert c.get(f"/kit/exhibits/{sha}/preview").content == (kit_ledger["ledger"].parent / "lot.jpg").read_bytes()
    actions = [(e["action"], e["by"]) for e in sk.custody_log(kstore, f"exhibit:{sha}")]
    assert ("exhibit-view", REVIEWER) in actions and actions[-1] == ("exhibit-release", REVIEWER)
    assert c.get("/kit/exhibits/" + "0" * 64).status_code == 404
    assert kstore.verify() == []


def test_kit_index_lists_dossiers_and_exhibits(make_client, kit_ledger):
    html = make_client(kit_ledger["ledger"]).get("/kit").text
    assert f'<a href="/kit/dossier/{kit_ledger["event"]}">event {kit_ledger["event"]}</a>' in html
    assert f'href="/kit/exhibits/{kit_ledger["photo"]}">lot.jpg</a>' in html
    assert re.search(r"<b>1</b><span>overdue</span>", html)


def test_register_page_csv_and_geojson(make_client, kit_ledger):
    c = make_client(kit_ledger["ledger"])
    html = c.get("/kit/register").text
    assert "not a live view" in html and "parcels.geojson" in html
    classes = re.findall(r'<tr id="site-\d+" class="site c-([a-z-]+)">', html)
    assert classes == ["unknown", "city-owned", "private"]  # oldest first: the church lot (no point) on the 14th
    assert "Federal immigration agents arrested 23 people" in html
    rows = list(csv.DictReader(io.StringIO(c.get("/kit/register.csv").text)))
    assert [(r["name"], r["classification"], r["owner"]) for r in rows] == [
        ("Church parking lot", "unknown", ""), ("City yard on Trent Avenue", "city-owned", "CITY OF SPOKANE"),
        ("Storage lot edge", "private", "Northside Storage LLC")]
    gj = json.loads(c.get("/kit/register.geojson").text)
    assert [f["geometry"] is None for f in gj["features"]] == [True, False, False]


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """docs/screenshots/NAME.png, the picture docs/kit/ shows, when missing or
    EVENTLEDGER_UPDATE_SCREENSHOTS=1 (so a test run leaves git clean)."""
    import os
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / f"{name}.png"
    if path.exists() and os.environ.get("EVENTLEDGER_UPDATE_SCREENSHOTS") != "1":
        page.screenshot()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)


@pytest.mark.e2e
def test_register_and_requests_in_the_browser(kit_ledger, kstore, serve, page):
    kstore.close()
    base = serve(kit_ledger["ledger"])
    page.goto(base + "/kit")
    page.click("text=staging sites")
    page.wait_for_url(re.compile(r"/kit/register$"))
    assert page.locator("h1").inner_text() == "Staging-site register"
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 3
    assert page.locator("tr.c-city-owned .badge").inner_text() == "city-owned"
    assert page.locator("tr.c-private td").nth(3).inner_text().startswith("Northside Storage LLC")
    # the stylesheet is applied (no inline styles: the CSP forbids them)
    colour = page.locator("tr.c-city-owned .badge").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(225, 236, 251)"
    _shoot(page, "kit-register")
    page.click("tr.c-city-owned a.src")  # the evidence sentence opens in its source
    page.wait_for_url(re.compile(r"/sources/[0-9a-f]{64}\?hl="))
    assert "arrested 23 people" in "".join(page.locator("mark.target").all_inner_texts())
    page.goto(base + "/kit/requests")
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 1 and "OVERDUE" in overdue.inner_text()
    assert overdue.evaluate("e => getComputedStyle(e.cells[0]).backgroundColor") == "rgb(253, 226, 225)"
    _shoot(page, "kit-requests")
    page.goto(base + f"/kit/exhibits/{kit_ledger['photo']}")
    img = page.locator("img.preview")
    assert img.evaluate("e => e.complete && e.naturalWidth > 0")
    assert page.problems == [], page.problems
