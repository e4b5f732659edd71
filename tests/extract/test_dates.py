"""Date expressions: absolute forms, relative forms against an anchor, and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.extract.dates import (
    find_absolute,
    find_linked,
    find_relative,
    find_weekdays_after,
    parse_date_string,
    shift,
    to_date,
    year_of_weekday,
)


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("11:05 AM – Tuesday, March 4, 2025", None, ("2025-03-04", "day")),
        ("Posted Jan 7, 2026 9:00 AM EST", None, ("2026-01-07", "day")),
        ("by Jo Smith | Aug 09, 2025", None, ("2025-08-09", "day")),
        ("the memo, dated 2025-04-30, said", None, ("2025-04-30", "day")),
        ("before the end of March 2025", None, ("2025-03", "month")),
        ("the council voted Oct. 2, but", "2025-10-15", ("2025-10-02", "day")),
        ("approved Dec. 30 and signed", "2026-01-05", ("2025-12-30", "day")),
        ("in late August after the order", "2025-09-20", ("2025-08", "month")),
        ("3 May 2024", None, ("2024-05-03", "day")),
    ],
)
def test_absolute(text, anchor, expected):
    found = find_absolute(text, anchor=anchor)
    assert found, text
    assert (found[0].date, found[0].precision) == expected


@pytest.mark.parametrize("text", ["May I ask?", "a 2,000-mile border", "Title 10 troops", "at 10:30 a.m."])
def test_not_dates(text):
    assert find_absolute(text, anchor="2025-06-01") == []


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("on Monday", "2025-07-09", ("2025-07-07", "day")),  # the spec's own example
        ("on Wednesday", "2025-07-09", ("2025-07-09", "day")),
        ("Friday night", "2025-09-20", ("2025-09-19", "day")),
        ("yesterday", "2025-03-01", ("2025-02-28", "day")),
        ("last month", "2025-01-15", ("2024-12", "month")),
        ("earlier this year", "2025-06-02", ("2025", "year")),
        ("last week", "2025-09-20", ("2025-09", "month")),
        ("New Year’s Eve", "2026-02-10", ("2025-12-31", "day")),
        ("two weeks ago", "2025-07-15", ("2025-07-01", "day")),
    ],
)
def test_relative(text, anchor, expected):
    found = find_relative(text, 0, len(text), anchor)
    assert found, text
    assert (found[0].date, found[0].precision) == expected


@pytest.mark.parametrize("anchor", ["2025-07", "2025"])
def test_a_weekday_against_a_month_stays_unresolved(anchor):
    """A month anchor gives no day, and naming the month would be a guess."""
    assert find_relative("on Monday", 0, 9, anchor) == []


def test_relative_needs_an_anchor():
    assert find_relative("on Monday", 0, 9, None) == []


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_written_dates_round_trip(d):
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    text = f"It happened on {months[d.month - 1]} {d.day}, {d.year}, officials said."
    found = find_absolute(text)
    assert [(f.date, f.precision) for f in found] == [(d.isoformat(), "day")]
    assert parse_date_string(d.isoformat() + "T08:00:00Z") == d.isoformat()


@given(st.dates(min_value=date(2000, 1, 8), max_value=date(2090, 1, 1)), st.integers(0, 6))
def test_weekday_resolves_to_the_past_week(anchor, wd):
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    text = f"on {names[wd]}"
    (found,) = find_relative(text, 0, len(text), anchor.isoformat())
    got = date.fromisoformat(found.date)
    assert got.weekday() == wd
    assert anchor - timedelta(days=6) <= got <= anchor


@given(st.text(max_size=200))
def test_never_raises(text):
    find_absolute(text, anchor="2025-05-05")
    find_relative(text, 0, len(text), "2025-05-05")
    parse_date_string(text)


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("police arrested 25 people between Sept. 1 and Sept. 30", "2025-09", "month"),
        ("the operation ran from June 6 to June 9, 2025", "2025-06", "month"),
    ],
)
def test_a_stretch_of_days_in_one_month_is_that_month(text, date, precision):
    found = find_absolute(text, anchor="2025-10-04")
    assert [(d.date, d.precision) for d in found] == [(date, precision)]


def test_two_days_joined_by_and_stay_two_days():
    found = find_absolute("protests on June 6 and June 7", anchor="2025-10-04")
    assert [d.date for d in found] == ["2025-06-06", "2025-06-07"]


# ---- properties of relative dates: any anchor, any past-tense form --------------------------------

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_PAST_FORMS = ["yesterday", "last night", "last week", "past week", "last weekend", "over the weekend",
               "last month", "earlier this month", "last year", "earlier this year", "last summer", "today",
               "this morning", "New Year's Eve", "Christmas Eve", "Halloween", "Fourth of July"]


@given(st.dates(min_value=date(1995, 1, 8), max_value=date(2090, 12, 31)),
       st.one_of(st.sampled_from(_PAST_FORMS),
                 st.builds(lambda n, u: f"{n} {u} ago", st.integers(1, 30), st.sampled_from(["days", "weeks", "months", "years"])),
                 st.builds(lambda p, w, t: f"{p}{w}{t}", st.sampled_from(["", "on ", "last ", "this past "]),
                           st.sampled_from(_WEEKDAYS), st.sampled_from(["", " night", " morning", " evening"]))))
def test_a_past_form_never_resolves_after_its_anchor(anchor, form):
    text = f"Agents raided the depot {form}, officials said."
    found = find_relative(text, 0, len(text), anchor.isoformat())
    assert found, form
    for d in found:
        assert not d.future
        # a coarser date covers its first day: that day is never after the anchor
        assert to_date(d.date) <= anchor, (form, anchor, d)


@given(st.dates(min_value=date(1995, 1, 8), max_value=date(2090, 12, 31)), st.integers(0, 6),
       st.sampled_from(["on ", "last ", "", "this past "]), st.sampled_from(["", " night", " afternoon"]))
def test_weekday_names_resolve_to_that_weekday_in_the_week_before(anchor, wd, pre, post):
    text = f"{pre}{_WEEKDAYS[wd]}{post}"
    (found,) = find_relative(text, 0, len(text), anchor.isoformat())
    got = date.fromisoformat(found.date)
    assert got.weekday() == wd
    assert anchor - timedelta(days=7) <= got <= anchor
    if pre == "last ":
        assert got < anchor


@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 6))
def test_weekdays_after_a_stated_day_fall_in_the_six_days_after_it(anchor, wd):
    text = f"They rallied on {_WEEKDAYS[wd]}."
    (found,) = find_weekdays_after(text, 0, len(text), anchor.isoformat())
    got = date.fromisoformat(found.date)
    assert got.weekday() == wd and anchor <= got <= anchor + timedelta(days=6)


@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)))
def test_a_weekday_stated_with_a_date_pins_its_year(d):
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    text = f"On {_WEEKDAYS[d.weekday()]}, {months[d.month - 1]} {d.day}, agents arrived."
    found = find_absolute(text, year_hint=d.year + 3)
    assert len(found) == 1
    got = date.fromisoformat(found[0].date)
    assert (got.month, got.day, got.weekday()) == (d.month, d.day, d.weekday())
    assert d.year <= got.year <= d.year + 3
    assert year_of_weekday(d.month, d.day, d.weekday(), d.year) == d.year


@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 10),
       st.sampled_from(["later", "earlier", "before", "after"]))
def test_linked_days_move_the_reference_date_by_their_count(ref, n, word):
    text = f"{n} days {word}"
    (ld,) = find_linked(text, 0, len(text))
    moved = date.fromisoformat(shift(ref.isoformat(), ld.days))
    if word == "later":
        assert moved == ref + timedelta(days=n)
    elif word == "earlier":
        assert moved == ref - timedelta(days=n)
    else:  # "N days after X" dates X from the rest of the sentence: X lies before it
        assert ld.governs_after
        assert moved == ref + timedelta(days=-n if word == "after" else n)


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("Posted Thu., Jun. 12, 2025", None, ("2025-06-12", "day")),
        ("Updated 08/12/25 4:10 p.m.", None, ("2025-08-12", "day")),
        ("Tucson, 14 March 2026", None, ("2026-03-14", "day")),
        ("the board met Sept. 3 to vote", "2026-09-20", ("2026-09-03", "day")),
        ("Agents left during May, the agency said", "2026-06-02", ("2026-05", "month")),
    ],
)
def test_stamp_and_dateline_forms(text, anchor, expected):
    found = find_absolute(text, anchor=anchor)
    assert found, text
    assert (found[0].date, found[0].precision) == expected


_PIECES = ["Mon", "Monday", "Tues.", "Thu", "Sat.,", "June", "Jun.", "Sept.", "May", "Mayor", "XMonday",
           "12", "3", "31st", "2025", "1999", "20", "19", "07", "/", "-", " ", ", ", "\n", "a", "_",
           "08/12/25", "2025-09-20", "of", "in", "early", "earlier", "Mid", "THE", "last", "within", "by",
           "-", "  ", "\u00a0", "ſince", "December", "Junes", "2nd", "9th", "Feb", "1/", "12/3", "st"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.integers(0, 80), st.integers(0, 80))
def test_the_date_scan_finds_what_the_patterns_find(pieces, a, b):
    """The scan that tries each date pattern only where a match can start finds the same
    matches, spans and groups as the pattern's own finditer, in a whole text or a window."""
    from eventledger.extract import dates as d

    text = "".join(pieces)
    a, b = min(a, b, len(text)), min(max(a, b), len(text))
    for pat in [*d._ABS_PATTERNS, d._MONTH_ALONE, d._YEAR_ALONE]:
        for s, e in ((0, len(text)), (a, b)):
            want = [(m.span(), m.groups()) for m in pat.finditer(text, s, e)]
            assert [(m.span(), m.groups()) for m in d._finditer(pat, text, s, e)] == want


@pytest.mark.parametrize("word", ["in", "since", "during", "until", "through", "by", "of", "early", "mid", "late",
                                  "earlier", "later", "last", "this", "next", "the"])
def test_the_date_scan_reads_every_opening_word(word):
    """Each word that may open a month or a year alone ("earlier in October", "through 2019")
    is found by the scan that starts from the month or the year, alone, chained, capitalised."""
    from eventledger.extract import dates as d

    texts = [f"It began {word} October.", f"Work stopped {word} in  late-October and {word} 2019 in Tulsa.",
             f"{word.upper()} {word.title()} November 1998", f"xx{word} March, {word}\u00a02031, {word} 2031-4"]
    for text in texts:
        for pat in (d._MONTH_ALONE, d._YEAR_ALONE):
            want = [(m.span(), m.groups()) for m in pat.finditer(text)]
            assert [(m.span(), m.groups()) for m in d._finditer(pat, text, 0, len(text))] == want


def test_the_date_scan_finds_one_digit_days_and_months():
    """Days before their month and months before a slash, with one digit or two."""
    from eventledger.extract import dates as d

    text = ("Filed 1/3/2025 in Boise, heard 12/31/1999 and 7/4/26, 2/9/25; 9 February 2025, the 3rd  Dec. "
            "and 21st\nMarch 2024, 14th Sept. 2023, x1/2/2020 and 5/ 6/2021, 4 flights, 300 people on 2 May.")
    for pat in d._ABS_PATTERNS:
        want = [(m.span(), m.groups()) for m in pat.finditer(text)]
        assert [(m.span(), m.groups()) for m in d._finditer(pat, text, 0, len(text))] == want
    dates = {x.date for x in d.find_absolute(text, anchor="2025-06-01")}
    assert {"2025-01-03", "1999-12-31", "2026-07-04", "2025-02-09", "2024-03-21", "2023-09-14"} <= dates


def test_a_span_without_digits_still_finds_a_month_alone():
    # the digit-requiring patterns are skipped where the span holds no digit; a month name alone is not
    text = "Deputies in Fargo cleared the camp in early February. On 3/4/2024 the council met again."
    cut = text.index("On ")
    got = find_absolute(text, 0, cut, anchor="2024-06-01")
    assert [(text[d.start : d.end], d.date) for d in got] == [("in early February", "2024-02")]
    got = find_absolute(text, cut, len(text), anchor="2024-06-01")
    assert [(text[d.start : d.end], d.date) for d in got] == [("3/4/2024", "2024-03-04")]


def test_finditer_at_finds_what_finditer_finds():
    # the year-hint patterns of the event finder, tried only where their starts say
    from eventledger.extract import events as ev
    from eventledger.extract.dates import finditer_at

    text = ("Filed Thu., Jan. 4 2024 in Boise; heard 12 March 2023 and 3rd Dec, 2021. x12 May 2020, "
            "Sept. of 2019, Mon, Feb 3 and Tuesday, March 4; Wed March 5, 2025. a1 June 2000, "
            "Sat., Sept. 9 and ٣ June 1999 in Lubbock")
    for pat, starts in ((ev._FULL_YEAR_RE, ev._FULL_YEAR_STARTS), (ev._PINNED_RE, ev._PINNED_STARTS)):
        want = [(m.span(), m.groups()) for m in pat.finditer(text)]
        assert want
        assert [(m.span(), m.groups()) for m in finditer_at(pat, starts, text, 0, len(text))] == want


@pytest.mark.parametrize(("line", "want"), [
    ("Posted 2024-11-05 by the Tulsa desk", [("2024-11-05", "2024-11-05")]),  # no month name, no slash
    ("Updated 9 February 2025, 4:10 p.m.", [("9 February 2025", "2025-02-09")]),  # no slash
    ("Filed 11/05/24 at 3 p.m.", [("11/05/24", "2024-11-05")]),  # no month name
    ("since 1998 in Reno", [("1998", "1998")]),  # a year alone
    ("Nothing dated here at all", []),
])
def test_lines_find_the_dates_they_hold(line, want):
    assert [(line[d.start : d.end], d.date) for d in find_absolute(line, anchor="2025-06-01")] == want


@given(st.integers(min_value=1990, max_value=2060))
def test_floating_holidays_fall_on_their_weekday_and_week(year):
    from datetime import date as _d

    from eventledger.extract.dates import _holiday

    for name, (month, weekday, nth) in {"labor day": (9, 0, 1), "memorial day": (5, 0, -1), "thanksgiving": (11, 3, 4),
                                        "mlk day": (1, 0, 3), "presidents day": (2, 0, 3)}.items():
        m, d = _holiday(name, year)
        day = _d(year, m, d)
        assert m == month and day.weekday() == weekday
        assert (d - 1) // 7 + 1 == nth if nth > 0 else d + 7 > (_d(year + (m == 12), m % 12 + 1, 1) - _d(year, m, 1)).days


@pytest.mark.parametrize(("text", "anchor", "date"), [
    ("Agents raided a farm on Labor Day.", "2026-09-10", "2026-09-07"),
    ("Agents raided a farm on Labor Day.", "2026-08-20", "2025-09-01"),  # the latest one not after the anchor
    ("A march on Juneteenth drew thousands.", "2026-06-22", "2026-06-19"),
    ("Raids resumed after Thanksgiving Day.", "2025-12-01", "2025-11-27"),
])
def test_named_holidays_resolve_to_the_latest_not_after_the_anchor(text, anchor, date):
    assert [d.date for d in find_relative(text, 0, len(text), anchor)] == [date]


def test_a_weekday_before_the_date_it_names_is_that_date(run):
    ext = run("DENVER, Sept. 10, 2026 — Officials said agents raided a dairy farm north of the city on Thursday, "
              "Sept. 3, detaining nine workers, according to the county.")
    assert {(e.type, e.date) for e in ext.events} >= {("COERCE", "2026-09-03")}
    assert not [e for e in ext.events if e.date == "2026-09-10"]
