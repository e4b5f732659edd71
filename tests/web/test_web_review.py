"""Reviewers: accounts, login, CSRF, rate limits, and reviews that land in the hash-chained
log and show on the public pages. Each test writes to a ledger of its own."""

from __future__ import annotations

import html

import json
import re

import pytest
from typer.testing import CliRunner

from eventledger.cli import app as cli
from eventledger.errors import StoreError
from eventledger.store import open_store
from eventledger.store import review as rv

REVIEWER, PASSWORD = "rita", "correct horse battery"  # made by tests/web/conftest.py


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the form"
    return m.group(1)


def login(c, name: str = REVIEWER, password: str = PASSWORD, next_: str = "/"):  # type: ignore[no-untyped-def]
    token = _csrf(c.get("/login").text)
    return c.post("/login", data={"name": name, "password": password, "csrf": token, "next": next_}, follow_redirects=False)


# ---- accounts ----------------------------------------------------------------------------

def test_user_add_stores_an_argon2_hash_and_logs_it(ledger_db):
    open_store(ledger_db).close()
    runner = CliRunner()
    r = runner.invoke(cli, ["user", "add", "alice", "--db", ledger_db, "--password-stdin"], input="a long passphrase\n")
    assert r.exit_code == 0, r.output
    with open_store(ledger_db) as s:
        h = s.db.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchone()[0]
        assert h.startswith("$argon2id$") and "a long passphrase" not in h
        assert rv.authenticate(s, "alice", "a long passphrase")
        assert not rv.authenticate(s, "alice", "a long passphras")
        assert not rv.authenticate(s, "nobody", "a long passphrase")
        entry = s.db.execute("SELECT action, subject, detail FROM log WHERE action = 'user-add'").fetchone()
        assert tuple(entry)[:2] == ("user-add", "user:alice") and "argon2" not in entry[2]
        assert s.verify() == []
    again = runner.invoke(cli, ["user", "add", "alice", "--db", ledger_db, "--password-stdin"], input="another passphrase\n")
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(cli, ["user", "add", "bob", "--db", ledger_db, "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "too short" in short.output
    bad = runner.invoke(cli, ["user", "add", "bob smith", "--db", ledger_db, "--password-stdin"], input="a long passphrase\n")
    assert bad.exit_code == 1 and "bad user name" in bad.output


def test_serve_warns_when_the_map_library_is_missing(ledger_db, monkeypatch, tmp_path):
    import uvicorn

    import eventledger.web.context as web_app

    open_store(ledger_db).close()
    monkeypatch.setattr(web_app, "STATIC", tmp_path)  # a static folder without vendor/
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(kw))
    r = CliRunner().invoke(cli, ["serve", "--db", ledger_db, "--port", "8123", "--tiles", ""])
    assert r.exit_code == 0, r.output
    warnings = [line for line in r.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "scripts/build-web.sh" in warnings[0]
    assert served["host"] == "127.0.0.1" and served["port"] == 8123


def test_serve_refuses_a_missing_ledger(tmp_path):
    r = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no ledger here" in r.output


def test_pages_without_the_map_library_still_render(make_client, fresh_ledger, monkeypatch, tmp_path):
    import eventledger.web.context as web_app

    monkeypatch.setattr(web_app, "STATIC", tmp_path)
    c = make_client(fresh_ledger)
    html = c.get("/").text
    assert "Map unavailable" in html and "scripts/build-web.sh" in html
    assert "/static/vendor/" not in html


# ---- login, sessions, CSRF ---------------------------------------------------------------------

def test_login_sets_a_signed_httponly_samesite_cookie(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    r = login(c)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain http on loopback; sent Secure over https
    assert f"Reviewer: <b>{REVIEWER}</b>" in c.get("/").text


def test_cookie_is_secure_over_https(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    c.base_url = "https://127.0.0.1"
    r = c.get("/login")
    assert "Secure" in r.headers["set-cookie"]


def test_a_forged_cookie_is_no_session(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    c.cookies.set("el_session", '{"u": "rita", "c": "x"}')
    assert "Reviewer log in" in c.get("/").text


def test_wrong_password_and_rate_limit(make_client, fresh_ledger):
    c = make_client(fresh_ledger, login_attempts=3)
    for _ in range(3):
        r = login(c, password="wrong password!")
        assert r.status_code == 401 and "wrong name or password" in r.text
    r = login(c)  # even the right password waits now
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_login_needs_the_csrf_token(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    c.get("/login")
    r = c.post("/login", data={"name": REVIEWER, "password": PASSWORD, "csrf": "guess"})
    assert r.status_code == 403


def test_anonymous_visitors_can_only_read(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    token = _csrf(c.get("/login").text)  # a token without a login is still no reviewer
    ev = known["conflict_event"]
    r = c.post(f"/events/{ev}/review", data={"action": "confirm", "reason": "looks right", "csrf": token})
    assert r.status_code == 401
    with open_store(fresh_ledger) as s:
        assert s.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        assert s.db.execute("SELECT review_status FROM events WHERE id = ?", (ev,)).fetchone()[0] == "unreviewed"


def test_review_without_token_or_from_another_site_is_refused(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    token = _csrf(c.get(f"/events/{ev}").text)
    data = {"action": "confirm", "reason": "looks right"}
    assert c.post(f"/events/{ev}/review", data=data).status_code == 403
    assert c.post(f"/events/{ev}/review", data={**data, "csrf": "nope"}).status_code == 403
    r = c.post(f"/events/{ev}/review", data={**data, "csrf": token}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = c.post(f"/events/{ev}/review", data={**data, "csrf": token}, headers={"Origin": "http://127.0.0.1"},
               follow_redirects=False)
    assert r.status_code == 303


def test_logout(make_client, fresh_ledger):
    c = make_client(fresh_ledger)
    login(c)
    token = _csrf(c.get("/").text)
    c.post("/logout", data={"csrf": token})
    assert "Reviewer log in" in c.get("/").text


# ---- reviews -------------------------------------------------------------------------------

def _figure(c, event_id: str, value: int) -> dict:  # type: ignore[type-arg]
    rec = c.get(f"/api/events/{event_id}").json()
    return next(s for g in rec["figures"] for v in g["values"] for s in v["sources"] if v["value"] == value)


def test_correcting_a_figure(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    fig = _figure(c, ev, 107)
    token = _csrf(c.get(f"/events/{ev}").text)
    r = c.post(f"/figures/{fig['figure_id']}/review", follow_redirects=False,
               data={"action": "correct", "value": "76", "reason": "the advocates' count includes a second site", "csrf": token})
    assert r.status_code == 303 and r.headers["location"] == f"/events/{ev}#figures"
    rec = c.get(f"/api/events/{ev}").json()
    (group,) = [g for g in rec["figures"] if g["kind"] == "arrests"]
    assert group["conflict"] is False and group["status"] == "agree"  # both sources now say 76
    (value,) = group["values"]
    assert value["value"] == 76 and value["independent_sources"] == 2
    corrected = next(s for s in value["sources"] if s["figure_id"] == fig["figure_id"])
    assert corrected["original"] == {"value": 107, "high": 107}
    assert corrected["review"]["reviewer"] == REVIEWER and corrected["review"]["action"] == "correct"
    assert rec["review"]["status"] == "corrected" and rec["review"]["by"] == REVIEWER
    (entry,) = rec["reviews"]
    assert entry["old_value"] == {"value": 107, "high": 107} and entry["new_value"] == {"value": 76, "high": 76}
    with open_store(fresh_ledger) as s:
        log = s.db.execute("SELECT * FROM log WHERE seq = ?", (entry["log_seq"],)).fetchone()
        assert log["hash"] == entry["log_hash"] and log["action"] == "review"
        assert log["subject"] == f"figure:{fig['figure_id']}"
        detail = json.loads(log["detail"])
        assert detail["by"] == REVIEWER and detail["reason"].startswith("the advocates'")
        # the extracted row is untouched: the ledger still verifies
        assert s.db.execute("SELECT value FROM figures WHERE id = ?", (fig["figure_id"],)).fetchone()[0] == 107
        assert s.verify() == []
    html = c.get(f"/events/{ev}").text
    assert "extracted as <s>107</s>" in html and f"corrected by {REVIEWER}" in html
    assert f"#{entry['log_seq']} {entry['log_hash'][:12]}" in html
    assert "the advocates&#39; count includes a second site" in c.get("/reviews").text


def test_rejecting_a_figure_takes_it_out_of_the_comparison(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    fig = _figure(c, ev, 107)
    token = _csrf(c.get(f"/events/{ev}").text)
    c.post(f"/figures/{fig['figure_id']}/review", data={"action": "reject", "reason": "not this raid", "csrf": token})
    rec = c.get(f"/api/events/{ev}").json()
    assert [v["value"] for g in rec["figures"] for v in g["values"]] == [76]
    assert [f["figure_id"] for f in rec["rejected_figures"]] == [fig["figure_id"]]


def test_correcting_an_event_and_regrouping_a_report(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    token = _csrf(c.get(f"/events/{ev}").text)
    r = c.post(f"/events/{ev}/review", data={"action": "correct", "date": "2025-03-10", "mode": "seize",
                                             "reason": "the raid began the day before", "csrf": token})
    assert r.status_code == 200
    rec = c.get(f"/api/events/{ev}").json()
    assert (rec["date"], rec["date_precision"], rec["mode"]) == ("2025-03-10", "day", "seize")
    # a report moved out becomes an event of its own; both show the change
    report = next(x for x in rec["reports"] if x["document_id"] == known["omaha_b"])
    c.post(f"/reports/{report['report_id']}/regroup", data={"reason": "a different plant", "csrf": token})
    after = c.get(f"/api/events/{ev}").json()
    assert [x["document_id"] for x in after["reports"]] == [known["omaha_a"]]
    with open_store(fresh_ledger) as s:
        new_ev = s.db.execute("SELECT event_id FROM reports WHERE id = ?", (report["report_id"],)).fetchone()[0]
        assert new_ev != ev
        assert s.db.execute("SELECT event_id FROM figures WHERE document_id = ?", (known["omaha_b"],)).fetchone()[0] == new_ev
        assert s.verify() == []
    moved = c.get(f"/api/events/{new_ev}").json()
    assert moved["review"]["status"] == "corrected" and moved["reviews"][-1]["action"] == "regroup"
    assert [v["value"] for g in moved["figures"] for v in g["values"]] == [107]
    # and back again, into the original event
    c.post(f"/reports/{report['report_id']}/regroup", data={"reason": "same plant after all", "to_event": ev, "csrf": token})
    assert len(c.get(f"/api/events/{ev}").json()["reports"]) == 2


def test_a_report_is_moved_to_an_event_of_its_story_picked_by_headline(make_client, fresh_ledger, known):
    """The regroup form offers the story's other events by headline (no id to type); an event id
    that names nothing shows the form again, as typed, with the reason it was refused."""
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    rec = c.get(f"/api/events/{ev}").json()
    report = next(x for x in rec["reports"] if x["document_id"] == known["omaha_b"])
    token = _csrf(c.get(f"/events/{ev}").text)
    c.post(f"/reports/{report['report_id']}/regroup", data={"reason": "a different plant", "csrf": token})
    page = c.get(f"/events/{ev}").text
    with open_store(fresh_ledger) as s:
        new_ev = s.db.execute("SELECT event_id FROM reports WHERE id = ?", (report["report_id"],)).fetchone()[0]
    headline = c.get(f"/api/events/{new_ev}").json()["headline"]
    assert f'<option value="{new_ev}">{html.escape(headline)}</option>' in page
    r = c.post(f"/reports/{rec['reports'][0]['report_id'] if rec['reports'][0]['document_id'] != known['omaha_b'] else report['report_id']}/regroup",
               data={"reason": "wrong plant", "to_event_id": "ev-doesnotexist", "csrf": token},
               headers={"accept": "text/html"})
    assert r.status_code == 422
    assert "no event ev-doesnotexist" in r.text and 'value="wrong plant"' in r.text and 'value="ev-doesnotexist"' in r.text


@pytest.mark.parametrize("data, message", [
    ({"action": "correct", "date": "March 2025"}, "date must be"),
    ({"action": "correct", "type": "RAID"}, "PLOVER"),
    ({"action": "correct", "place_id": "place:nowhere"}, "no place"),
    ({"action": "correct"}, "must change"),
    ({"action": "confirm", "reason": "   "}, "needs a reason"),
])
def test_bad_reviews_are_refused_with_a_reason(make_client, fresh_ledger, known, data, message):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    token = _csrf(c.get(f"/events/{ev}").text)
    r = c.post(f"/events/{ev}/review", data={"reason": "because", **data, "csrf": token}, headers={"Accept": "application/json"})
    assert r.status_code == 400 and message in r.json()["error"]["detail"]


def test_quote_speaker_correction(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    rec = c.get(f"/api/events/{ev}").json()
    quote = next(q for q in rec["quotes"] if q["speaker"] == "org:ice")
    token = _csrf(c.get(f"/events/{ev}").text)
    c.post(f"/quotes/{quote['id']}/review", data={"action": "correct", "speaker": "person:john-ewing", "event_id": ev,
                                                  "reason": "misattributed", "csrf": token})
    after = next(q for q in c.get(f"/api/events/{ev}").json()["quotes"] if q["id"] == quote["id"])
    assert after["speaker"] == "person:john-ewing" and after["original_speaker"] == "org:ice"


def test_reviews_need_an_active_reviewer(fresh_ledger, known):
    with open_store(fresh_ledger) as s, pytest.raises(StoreError, match="no active reviewer"):
        rv.review_event(s, known["conflict_event"], "mallory", "confirm", "trust me")


# ---- reviewing by name ---------------------------------------------------------------------------

NAMES = __import__("pathlib").Path(__file__).resolve().parent / "data" / "names"
BROWSER = {"Accept": "text/html,application/xhtml+xml"}  # a form sent by a browser, not a program


def _event_form(c, ev: str) -> str:  # type: ignore[no-untyped-def]
    return c.get(f"/events/{ev}").text


def test_the_place_is_picked_by_name_with_suggestions(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    html = _event_form(c, ev)
    assert 'name="place_id"' not in html  # never typed as an internal id
    assert re.search(r'<input name="place" list="place-names"', html)
    places = re.search(r'<datalist id="place-names">(.*?)</datalist>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]+)">', places)
    assert "Omaha" in options and "Portland" in options  # the ledger's places and the gazetteer's
    assert not any(o.startswith("place:") for o in options)
    # an alias, in any case, resolves on the server
    r = c.post(f"/events/{ev}/review", follow_redirects=False, data={
        "action": "correct", "place": "portland, ore.", "reason": "the plant is in Oregon", "csrf": _csrf(html)})
    assert r.status_code == 303
    rec = c.get(f"/api/events/{ev}").json()
    assert rec["place"]["id"] == "place:portland-or"
    assert rec["review"]["extracted"]["place"]["name"] == "Omaha"
    assert rec["reviews"][-1]["sentence"].startswith(f"{REVIEWER} corrected the place from Omaha to Portland, ")
    with open_store(fresh_ledger) as s:
        assert s.verify() == []


@pytest.mark.parametrize("typed, said", [
    ("Omahaa", "no place 'Omahaa' in the ledger or the gazetteer; did you mean 'Omaha'"),
    ("Atlantis", "no place 'Atlantis'"),
])
def test_an_unknown_place_shows_the_form_again_as_typed(make_client, fresh_ledger, known, typed, said):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    r = c.post(f"/events/{ev}/review", data={"action": "correct", "place": typed, "reason": "wrong town",
                                             "csrf": _csrf(_event_form(c, ev))}, headers=BROWSER)
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    err = re.search(r'<p class="form-error" role="alert">(.*?)</p>', r.text).group(1)
    assert said in err.replace("&#39;", "'") and "\n" not in err
    assert f'value="{typed}"' in r.text and 'value="wrong town"' in r.text  # what was typed is kept
    assert c.get(f"/api/events/{ev}").json()["reviews"] == []  # nothing stored


def test_an_ambiguous_place_asks_which_one(make_client, fresh_ledger, known, profile):
    from eventledger.runner.run import ingest_paths
    from eventledger.settings import Settings

    with open_store(fresh_ledger, profile) as s:  # two places named Springfield, in two states
        assert ingest_paths([str(NAMES / "springfields.txt")], s, profile, Settings(), progress=False).failed == 0
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    html = _event_form(c, ev)
    assert '<option value="Springfield (Illinois)">' in html and '<option value="Springfield (Missouri)">' in html
    r = c.post(f"/events/{ev}/review", data={"action": "correct", "place": "Springfield", "reason": "moved",
                                             "csrf": _csrf(html)}, headers=BROWSER)
    assert r.status_code == 422
    assert ("'Springfield' names 2 places: did you mean 'Springfield (Illinois)' or 'Springfield (Missouri)'?"
            in r.text.replace("&#39;", "'"))
    r = c.post(f"/events/{ev}/review", follow_redirects=False, data={
        "action": "correct", "place": "Springfield (Missouri)", "reason": "moved", "csrf": _csrf(html)})
    assert r.status_code == 303 and c.get(f"/api/events/{ev}").json()["place"]["id"] == "place:springfield-mo"


def test_a_speaker_is_picked_by_name(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    html = _event_form(c, ev)
    assert re.search(r'<input name="speaker" list="entity-names"', html)
    assert '<option value="John Ewing">' in html
    quote = next(q for q in c.get(f"/api/events/{ev}").json()["quotes"] if q["speaker"] == "org:ice")
    r = c.post(f"/quotes/{quote['id']}/review", data={"action": "correct", "speaker": "Jon Ewing", "event_id": ev,
                                                      "reason": "misattributed", "csrf": _csrf(html)}, headers=BROWSER)
    assert r.status_code == 422 and "did you mean 'John Ewing'" in r.text.replace("&#39;", "'")
    assert 'value="Jon Ewing"' in r.text
    c.post(f"/quotes/{quote['id']}/review", data={"action": "correct", "speaker": "john ewing", "event_id": ev,
                                                  "reason": "misattributed", "csrf": _csrf(html)})
    after = next(q for q in c.get(f"/api/events/{ev}").json()["quotes"] if q["id"] == quote["id"])
    assert after["speaker"] == "person:john-ewing" and after["original_speaker"] == "org:ice"


def test_the_history_reads_as_sentences_with_the_hash_small(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    fig = _figure(c, ev, 76)
    token = _csrf(_event_form(c, ev))
    c.post(f"/figures/{fig['figure_id']}/review", data={"action": "correct", "value": "78", "reason":
                                                        "ICE updated its release", "csrf": token})
    c.post(f"/events/{ev}/review", data={"action": "reject", "reason": "a drill, not a raid", "csrf": token})
    page = c.get("/reviews").text
    items = re.findall(r"<li>(.*?)</li>", re.search(r'<ol class="history">(.*?)</ol>', page, re.S).group(1), re.S)
    text = [re.sub(r"<[^>]+>", "", x).split() for x in items]
    said = [" ".join(t) for t in text]
    assert re.match(rf"{REVIEWER} rejected the event, \d+ \w+ \d{{4}}, because a drill, not a raid\. The event #\d+ "
                    r"[0-9a-f]{12}…$", said[0]), said[0]
    assert re.match(rf"{REVIEWER} corrected arrests from 76 to 78, \d+ \w+ \d{{4}}, because ICE updated its release\.",
                    said[1]), said[1]
    assert "{" not in page.split('<ol class="history">')[1].split("</ol>")[0]  # no raw JSON
    rec = c.get(f"/api/events/{ev}").json()
    event_page = c.get(f"/events/{ev}").text
    for r in rec["reviews"]:
        assert r["sentence"] in event_page.replace("&#39;", "'")
        assert f'title="log entry {r["log_seq"]}, SHA-256 {r["log_hash"]}' in event_page


def test_the_story_page_shows_a_corrected_figure_beside_the_extracted_one(make_client, fresh_ledger, known):
    c = make_client(fresh_ledger)
    login(c)
    ev = known["conflict_event"]
    fig = _figure(c, ev, 76)
    c.post(f"/figures/{fig['figure_id']}/review", data={"action": "correct", "value": "78", "reason": "updated",
                                                        "csrf": _csrf(_event_form(c, ev))})
    story = c.get(f"/api/events/{ev}").json()["story"]
    rec = c.get(f"/api/stories/{story}").json()
    (corrected,) = [s for g in rec["figures"] for v in g["values"] for s in v["sources"] if s["reviewed"]]
    assert corrected["reviewed"]["extracted"] == {"value": 76, "high": 76}
    html = c.get(f"/stories/{story}").text
    assert re.search(r"<b>78</b>\s*<span class=\"was\">\(reviewed; extracted 76\)</span>", html)
    assert "U.S. Immigration and Customs Enforcement said <b>78</b>" in html  # who says it, in the conflict
