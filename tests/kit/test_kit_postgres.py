"""The kit on a PostgreSQL ledger: the same writes, links, custody log and verify as on SQLite."""

from __future__ import annotations

import os
from datetime import date

import pytest

from eventledger.kit import exhibits as kx
from eventledger.kit import register as kr
from eventledger.kit.requests import add_request, list_requests_with_deadlines, update_request
from eventledger.runner.run import ingest_paths
from eventledger.settings import Settings
from eventledger.store import kit as sk
from eventledger.store import open_store
from eventledger.store.backend import pg_create_database, pg_drop_database

from .conftest import DATA
from .files import make_jpeg, make_pdf
from .test_register import _geojson

pytestmark = pytest.mark.postgresql


def test_kit_on_postgresql(pg_server, profile, tmp_path):
    url = pg_create_database(pg_server, f"el_kit_{os.getpid()}")
    try:
        s = open_store(url, profile)
        try:
            ingest_paths([str(DATA / "boise_raid.txt")], s, profile, Settings(), progress=False)
            raid = s.db.execute("SELECT event_id FROM reports LIMIT 1").fetchone()[0]
            photo = kx.add_exhibit(s, make_jpeg(tmp_path / "a.jpg", 47.652, -117.428), "dana", event=raid)
            pdf = kx.add_exhibit(s, make_pdf(tmp_path / "r.pdf", ["We found 4 pages of records.", "Nothing else."]), "dana")
            assert kx.link(s, pdf.sha256, "dana", "reply about the raid", event=raid) == [f"event:{raid}"]
            assert kx.link(s, pdf.sha256, "dana", "again", event=raid) == []
            kx.cite(s, pdf.sha256, "found 4 pages", "dana", None, event=raid)
            kx.release(s, photo.sha256[:10], "rita", "public lot")
            rid = add_request(s, "ICE", "foia", "2025-12-19", "records", "dana", events=[raid])
            update_request(s, rid, "extended", "2026-01-05", "dana")
            assert list_requests_with_deadlines(s, date(2026, 1, 26))[0]["due"] == "2026-02-04"
            kr.load_layer(s, _geojson(tmp_path / "p.geojson"), "dana", None, ["City of Spokane"])
            kr.add_site(s, "yard", "2025-04-15", "dana", 47.652, -117.428, event=raid)
            rows, _ = kr.register_rows(s)
            assert rows[0]["classification"] == "city-owned"
            assert [c["action"] for c in sk.custody_log(s, f"exhibit:{pdf.sha256}")] == [
                "exhibit-add", "exhibit-link", "exhibit-cite"]
            assert sk.get_exhibit(s, photo.sha256)["released"] is True
            assert s.verify() == []
            s.db.execute("UPDATE exhibits SET device = 'other' WHERE sha256 = ?", (pdf.sha256,))
            assert s.verify() == [f"exhibit {pdf.sha256}: exhibits rows changed since they were logged"]
        finally:
            s.close()
    finally:
        pg_drop_database(pg_server, url.rsplit("/", 1)[1])
