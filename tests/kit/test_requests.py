"""Records requests: statutory deadlines across weekends and holidays, the overdue list and
the iCalendar export, on a real ledger."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eventledger.cli import app
from eventledger.kit.requests import (
    RequestError, add_request, cpra_due, deadline, foia_due, ical, is_business_day, list_requests_with_deadlines,
    update_request,
)

runner = CliRunner()


@pytest.mark.parametrize(("filed", "extended", "due"), [
    # received the Friday before Christmas 2025: Dec 25, Jan 1 and Martin Luther King Day (Jan 19) do not count
    ("2025-12-19", False, "2026-01-21"),
    # the 10-day extension for unusual circumstances: ten more working days after Jan 21
    ("2025-12-19", True, "2026-02-04"),
    # a Monday in a month without holidays: four weeks exactly
    ("2025-03-03", False, "2025-03-31"),
    # received on a Saturday: counting starts on the Monday
    ("2025-03-01", False, "2025-03-28"),
    # received the day before Thanksgiving 2026 (Nov 26)
    ("2026-11-25", False, "2026-12-24"),
])
def test_foia_due_dates(filed, extended, due):
    assert foia_due(date.fromisoformat(filed), extended).isoformat() == due


@pytest.mark.parametrize(("filed", "extended", "due"), [
    ("2025-03-03", False, "2025-03-13"),           # 10 calendar days, a Thursday
    ("2025-03-03", True, "2025-03-27"),            # + 14 days with the extension
    ("2025-03-05", False, "2025-03-17"),           # the 10th day is Saturday the 15th: next business day
    # extended from Nov 2, 2026: day 24 is Thanksgiving, then California's day after, then a weekend
    ("2026-11-02", True, "2026-11-30"),
    ("2026-12-15", False, "2026-12-28"),           # Dec 25 Friday, then the weekend: Monday the 28th
])
def test_cpra_due_dates(filed, extended, due):
    assert cpra_due(date.fromisoformat(filed), extended).isoformat() == due


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)), st.booleans())
def test_foia_due_is_a_working_day_after_filing(filed, extended):
    due = foia_due(filed, extended)
    assert due > filed
    assert due.weekday() < 5
    assert is_business_day(due)
    # exactly 20 (or 30) working days lie in (filed, due]
    days = [filed + timedelta(days=i) for i in range(1, (due - filed).days + 1)]
    assert sum(is_business_day(d) for d in days) == (30 if extended else 20)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)), st.booleans())
def test_cpra_due_never_before_the_statute_and_on_a_business_day(filed, extended):
    due = cpra_due(filed, extended)
    assert due >= filed + timedelta(days=24 if extended else 10)
    assert is_business_day(due, "CA")
    assert (due - filed).days <= (24 if extended else 10) + 7  # a long weekend moves it days, not weeks


def test_overdue_judged_on_the_given_day_and_closed_requests_are_not():
    d = deadline("foia", date(2025, 12, 19), False, "filed", date(2026, 1, 21))
    assert (d.due, d.overdue, d.days_left) == (date(2026, 1, 21), False, 0)
    assert deadline("foia", date(2025, 12, 19), False, "acknowledged", date(2026, 1, 22)).overdue
    assert not deadline("foia", date(2025, 12, 19), False, "produced", date(2026, 3, 1)).overdue


def test_requests_in_the_ledger(kstore, raid):
    today = date(2026, 1, 26)
    a = add_request(kstore, "U.S. Immigration and Customs Enforcement", "foia", "2025-12-19",
                    "Staging and operations records, Boise, April 2025", "dana", events=[raid], today=today)
    b = add_request(kstore, "Boise Police Department", "cpra", "2026-01-20", "Body-camera footage, April 15", "dana",
                    today=today)
    rows = {r["id"]: r for r in list_requests_with_deadlines(kstore, today)}
    assert rows[a]["due"] == "2026-01-21" and rows[a]["overdue"]
    assert rows[b]["due"] == "2026-01-30" and not rows[b]["overdue"]
    assert rows[a]["links"] == [f"event:{raid}"]
    assert [r["id"] for r in list_requests_with_deadlines(kstore, today, overdue_only=True)] == [a]
    # the agency invokes unusual circumstances: ten more working days, no longer overdue
    update_request(kstore, a, "extended", "2026-01-20", "dana", "letter of Jan 20")
    r = next(x for x in list_requests_with_deadlines(kstore, today) if x["id"] == a)
    assert (r["due"], r["overdue"], r["status"]) == ("2026-02-04", False, "extended")
    assert [u["status"] for u in r["updates"]] == ["filed", "extended"]
    update_request(kstore, a, "produced", "2026-02-20", "dana")
    assert list_requests_with_deadlines(kstore, date(2026, 3, 1), overdue_only=True) == [
        x for x in list_requests_with_deadlines(kstore, date(2026, 3, 1)) if x["id"] == b]
    # each action is in the hash-chained log, and verify is clean
    actions = [r[0] for r in kstore.db.execute("SELECT action FROM log WHERE subject = ? ORDER BY seq", (f"request:{a}",))]
    assert actions == ["request-add", "request-link", "request-update", "request-update"]
    assert kstore.verify() == []


@pytest.mark.parametrize(("kw", "msg"), [
    ({"law": "gdpr"}, "unknown law"),
    ({"filed": "2025-02-30"}, "not a real date"),
    ({"filed": "19/12/2025"}, "YYYY-MM-DD"),
    ({"filed": "2030-01-01"}, "in the future"),
    ({"agency": " "}, "agency"),
])
def test_bad_requests_refused(kstore, kw, msg):
    args = {"agency": "Agency", "law": "foia", "filed": "2025-01-06", "subject": "records", **kw}
    with pytest.raises(RequestError, match=msg):
        add_request(kstore, args["agency"], args["law"], args["filed"], args["subject"], "dana", today=date(2026, 1, 1))


def test_an_appeal_has_its_own_deadline(kstore):
    rid = add_request(kstore, "ICE", "foia", "2025-03-03", "records", "dana")
    update_request(kstore, rid, "denied", "2025-03-28", "dana")
    assert not list_requests_with_deadlines(kstore, date(2025, 6, 1))[0]["overdue"]  # answered: nothing is due
    update_request(kstore, rid, "appealed", "2025-05-23", "dana", "appeal received May 23")
    r = list_requests_with_deadlines(kstore, date(2025, 6, 1))[0]
    # 20 working days from Friday May 23, 2025: Memorial Day (May 26) and Juneteenth (June 19) do not count
    assert (r["due"], r["overdue"], r["status"]) == ("2025-06-24", False, "appealed")
    assert "appeal" in r["basis"]
    assert list_requests_with_deadlines(kstore, date(2025, 6, 25))[0]["overdue"]
    ca = add_request(kstore, "City", "cpra", "2025-03-03", "footage", "dana")
    update_request(kstore, ca, "appealed", "2025-04-01", "dana")
    r = next(x for x in list_requests_with_deadlines(kstore, date(2025, 6, 1)) if x["id"] == ca)
    assert not r["overdue"] and "sets no deadline for an appeal" in r["basis"]


def test_update_before_filing_refused(kstore):
    rid = add_request(kstore, "Agency", "cpra", "2025-06-02", "records", "dana")
    with pytest.raises(RequestError, match="before the request was filed"):
        update_request(kstore, rid, "acknowledged", "2025-06-01", "dana")
    with pytest.raises(RequestError, match="unknown status"):
        update_request(kstore, rid, "lost", "2025-06-03", "dana")


def test_ical_export_reads_back(kstore):
    from icalendar import Calendar

    a = add_request(kstore, "ICE", "foia", "2025-12-19", "records", "dana")
    b = add_request(kstore, "City", "cpra", "2025-03-05", "footage", "dana")
    update_request(kstore, b, "denied", "2025-03-10", "dana")
    cal = Calendar.from_ical(ical(list_requests_with_deadlines(kstore, date(2026, 1, 2))))
    evs = [c for c in cal.walk("VEVENT")]
    assert len(evs) == 1  # the denied request has no deadline left
    assert evs[0].decoded("dtstart") == date(2026, 1, 21)
    assert a in str(evs[0]["summary"]) and "FOIA" in str(evs[0]["summary"])


def test_cli_request_commands(ledger, tmp_path):
    db = ["--db", str(ledger)]
    r = runner.invoke(app, ["request", "add", "--agency", "ICE", "--law", "foia", "--filed", "2025-12-19",
                            "--subject", "records", "--by", "dana", *db])
    assert r.exit_code == 0, r.output
    assert "due 2026-01-21" in r.output
    r = runner.invoke(app, ["request", "add", "--agency", "City", "--law", "cpra", "--filed", "2026-01-20",
                            "--subject", "footage", "--by", "dana", *db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["request", "list", "--overdue", "--today", "2026-01-26", *db])
    assert r.exit_code == 0 and "OVERDUE" in r.output and "rr-1" in r.output and "rr-2" not in r.output
    r = runner.invoke(app, ["request", "update", "rr-1", "--status", "extended", "--date", "2026-01-20", "--by", "dana", *db])
    assert r.exit_code == 0 and "due 2026-02-04" in r.output
    r = runner.invoke(app, ["request", "add", "--agency", "X", "--law", "foia", "--filed", "soon", "--subject", "s",
                            "--by", "dana", *db])
    assert r.exit_code == 1 and "error: --filed must be YYYY-MM-DD" in r.output
    out = tmp_path / "d.ics"
    assert runner.invoke(app, ["request", "ics", "-o", str(out), *db]).exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
