"""Figures on hand-written sentences like those of other enforcement coverage, and on the corpus."""

from __future__ import annotations

import json

import pytest

from eventledger.extract.figures import extract_figures
from eventledger.extract.sentences import split_sentences
from eventledger.normalise import normalise


def _figs(text, profile):
    text = normalise(text)
    return extract_figures(text, split_sentences(text), profile), text


@pytest.mark.parametrize(
    ("text", "value", "high", "kind", "per", "approx"),
    [
        ("Agents arrested 214 people in Chicago's Little Village on Tuesday.", 214, 214, "arrests", None, False),
        ("The operation led to the detention of more than 1,000 immigrants.", 1000, 1000, "arrests", None, True),
        ("Officials said 17 people were detained at the car wash.", 17, 17, "arrests", None, False),
        ("The governor deployed 4,000 Texas National Guard soldiers to the border.", 4000, 4000, "personnel", None, False),
        ("Roughly 5,000 demonstrators marched through downtown Minneapolis.", 5000, 5000, "crowd", None, True),
        ("At least 2,500 people rallied outside the courthouse.", 2500, 2500, "crowd", None, True),
        ("Two federal officers were injured in the clash.", 2, 2, "casualties", None, False),
        ("One man was killed when agents opened fire.", 1, 1, "casualties", None, False),
        ("The agency deported 1,800 people to Guatemala last month.", 1800, 1800, "removals", None, False),
        ("The administration wants 3,000 arrests a day.", 3000, 3000, "arrests", "day", False),
        ("Border encounters fell to about 8,000 per month.", 8000, 8000, "crossings", "month", True),
        ("The city will spend $12.5 million on legal aid.", 12500000, 12500000, "money", None, False),
        ("Up to 40 percent of the workers stayed home.", 40, 40, "percent", None, True),
        ("Between 300 and 400 Marines were sent to the city.", 300, 400, "personnel", None, False),
        ("A crowd of nearly 2,000 filled the plaza.", 2000, 2000, "crowd", None, True),
        ("Nine children were among those detained.", 9, 9, "people", None, False),
        # round 3, classes found on new articles: a bare count after a verb of growth counts the subject;
        # a verb before a conjunction does not type the count after it
        ("By nightfall the crowd outside the Spokane courthouse had swelled to about 1,800.", 1800, 1800, "crowd", None, True),
        ("Deputies said nine people were arrested overnight and two troopers suffered minor injuries.", 2, 2,
         "casualties", None, False),
    ],
)
def test_figure(profile, text, value, high, kind, per, approx):
    figs, t = _figs(text, profile)
    got = [(f.value, f.high, f.kind, f.per, f.approx) for f in figs]
    assert (value, high, kind, per, approx) in got, got
    for f in figs:
        assert t[f.start : f.end] == f.text


@pytest.mark.parametrize(
    "text",
    [
        "The raid happened on June 6, 2025, at 10:30 a.m. near 300 North Los Angeles Street.",
        "A 42-year-old father of two was held for three days.",
        "The 2,000-mile border has been a focus since 2019.",
        "Title 10 allows it, and MS-13 and Covid-19 were mentioned under Executive Directive No. 17.",
        "The council voted in a 10-minute session on Nov. 19.",
        "Hundreds of agents and dozens of vehicles arrived; thousands watched.",
        "One of the officers said it was the first time in 15 years.",
    ],
)
def test_not_counted_figures(profile, text):
    figs, _ = _figs(text, profile)
    assert [f for f in figs if f.kind != "other"] == []


def test_bare_number_inherits_kind_and_rate(profile):
    figs, _ = _figs("Arrests rose to 1,100 a day, up from an average of 300.", profile)
    assert [(f.value, f.kind, f.per) for f in figs] == [(1100, "arrests", "day"), (300, "arrests", "day")]


def test_corpus_strict_f1_and_spans(corpus, profile):
    tp = fp = fn = 0
    for f in sorted((corpus / "dev").glob("*.txt")) + sorted((corpus / "seeds").glob("*.txt")):
        gdir = corpus / ("dev" if f.parent.name == "dev" else "seeds-gold")
        gold = json.loads((gdir / f"{f.stem}.json").read_text(encoding="utf-8"))["figures"]
        figs, t = _figs(f.read_text(encoding="utf-8"), profile)
        for x in figs:
            assert t[x.start : x.end] == x.text
        p = {(x.kind, float(x.value), float(x.high)) for x in figs if x.kind != "other"}
        g = {(x["kind"], float(x["value"]), float(x["high"])) for x in gold if x["kind"] != "other"}
        tp, fp, fn = tp + len(p & g), fp + len(p - g), fn + len(g - p)
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    assert 2 * prec * rec / max(1e-9, prec + rec) >= 0.85


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("McLaughlin said that 31 of those arrested had criminal records.", 31, "arrests"),
        ("Police said 200 of the protesters refused to leave.", 200, "crowd"),
        ("Trump deployed 200 members of the Oregon National Guard to the city.", 200, "personnel"),
    ],
)
def test_a_part_of_a_group_counts_what_the_group_is(run, text, value, kind):
    figs = [(f.value, f.kind) for f in run(text).figures]
    assert (value, kind) in figs, figs


# ---- what is counted comes from the noun's class and the count's own clause (issue 8) --------


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        # nouns for persons the profile never lists: their WordNet class says they are people
        ("Forty nurses walked out of the Salem hospital.", 40, "people"),
        ("The clinic served 65 seamstresses and their children.", 65, "people"),
        ("Organizers said 300 schoolteachers signed the letter.", 300, "people"),
        ("Some 25 firefighters from Boise volunteered.", 25, "people"),
        ("Twelve chaplains visited the Tacoma facility.", 12, "people"),
        # kinds of things are not people, and not arrests because an arrest is named nearby
        ("Police made 60 arrests and seized 14 rifles in Fresno.", 14, "other"),
        ("The order sent 9 state and federal agencies to Tulsa.", 9, "other"),
        ("The city paid 40 million dollars in settlements.", 40000000, "money"),
    ],
)
def test_the_kind_of_a_counted_noun_comes_from_its_class(profile, text, value, kind):
    figs, _ = _figs(text, profile)
    got = [(f.value, f.kind) for f in figs]
    assert (value, kind) in got, got


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        # the clause's verb over modifiers between the count and it
        ("Eleven roofers from Honduras suspected of overstaying visas were taken into custody in Mesa.", 11, "arrests"),
        ("Seven gardeners who work in Pasadena were also detained.", 7, "arrests"),
        ("Six others were treated for injuries at a Reno hospital.", 6, "casualties"),
        ("Of the 900 detained, 350 of whom had final removal orders, most were men.", 350, "removals"),
        ("Of the 900 detained, 410 had no criminal record.", 410, "people"),
        ("Among them, 88 were from Venezuela.", 88, "people"),
        ("Three of their children were detained at a Laredo checkpoint.", 3, "arrests"),
        ("Four Honduran natives signed paperwork to voluntarily return to their home country.", 4, "removals"),
        # custody words are arrests
        ("The jail logged 212 bookings over the weekend.", 212, "arrests"),
        ("Sheriffs recorded 45 book-ins tied to the operation.", 45, "arrests"),
        ("By Friday 130 migrants were held in detention at the Yuma site.", 130, "arrests"),
        # a count of a thing the clause's subject reached
        ("Deportations passed the 2 million mark this year.", 2000000, "removals"),
        # a rate after a verb of the kind
        ("Agents are detaining more than 1,500 daily across Texas.", 1500, "arrests"),
    ],
)
def test_the_clause_says_what_is_counted(profile, text, value, kind):
    figs, _ = _figs(text, profile)
    got = [(f.value, f.kind) for f in figs]
    assert (value, kind) in got, got


def test_a_time_word_before_a_noun_for_persons_is_no_duration(profile):
    figs, _ = _figs("Agents detained 14 day laborers outside a Phoenix hardware store.", profile)
    assert [(f.value, f.kind) for f in figs] == [(14, "arrests")]
    figs, _ = _figs("The standoff lasted 14 days.", profile)
    assert [f for f in figs if f.kind != "other"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One woman was detained outside the Tucson courthouse.", [(1, "arrests")]),
        ("One man was killed and two others were wounded in Laredo.", [(1, "casualties"), (2, "casualties")]),
        ("One witness said the agents wore masks.", []),
        ("One of the deputies said it was routine.", []),
    ],
)
def test_one_counts_only_what_happens_to_people(profile, text, expected):
    figs, _ = _figs(text, profile)
    assert [(f.value, f.kind) for f in figs if f.kind != "other"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The new camp can hold up to 4,000 detainees in tents.",
        "The hangar was built to house 2,500 migrants.",
        "Officials cited Section 287(g) agreements with 40 counties.",
    ],
)
def test_capacities_and_names_with_digits_are_not_counts_of_people(profile, text):
    figs, _ = _figs(text, profile)
    assert not [f for f in figs if f.kind in ("people", "arrests", "removals")], figs


# ---- who makes the claim --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "chain"),
    [
        ("ICE said 64 people were arrested in Omaha on Monday.", 64, ("org:ice",)),
        ("According to advocates, 112 workers were detained at the Greeley plant.", 112, ("advocates",)),
        ("About 45 people were detained at the swap meet, officials told reporters.", 45, ("officials",)),
        ("At least 19 people were detained, said Sheriff Dale Huber.", 19, ("person:dale-huber",)),
        ("NBC News reported that a federal source said 600 agents would arrive in Denver.", 600,
         ("org:nbc-news", "a federal source")),
        ("A senior official told NBC News that 250 Marines would deploy.", 250, ("org:nbc-news", "A senior official")),
        ("Crews cleared 30 tents from the lot in Eugene.", 30, None),
        ("According to a Monday update from U.S. Immigration and Customs Enforcement, 85 workers were held.", 85,
         ("org:ice",)),
        ("The head of the coalition, Marisol Tan, said that 26 vendors were taken into custody.", 26,
         ("person:marisol-tan",)),
        ("The camp will cost $310 million per year, or about $190 per bed per day.", 310000000, None),
        # the agent of a passive right after the figure gives it, relayed by whoever says the sentence
        ("Lawyers said 93 workers were held, more than the 71 reported by ICE.", 71, ("Lawyers", "org:ice")),
    ],
)
def test_figures_say_who_states_them(run, text, value, chain):
    figs = {f.value: f for f in run(text).figures}
    assert value in figs, figs
    assert figs[value].attributed_to == chain


def test_a_quote_relayed_by_an_outlet_carries_the_chain(run):
    ext = run("NBC News reported that a source said, “Agents will be in every neighborhood by Friday night.”")
    assert ext.quotes and ext.quotes[0].attributed_to == ("org:nbc-news", "a source")
    ext = run("“We will not hand anyone over to these agents,” Mayor Ines Barroso said.")
    assert ext.quotes[0].attributed_to == ("person:ines-barroso",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # counts joined by "and" share the verb before them
        ("Agents deported 210 Hondurans and 35 Nicaraguans from Tucson.", [(210, "removals"), (35, "removals")]),
        ("Deputies detained eleven vendors and three protesters.", [(11, "arrests"), (3, "arrests")]),
        # an object of one verb keeps it when another clause follows
        ("Police arrested 14 people, and 250 protesters gathered outside.", [(14, "arrests"), (250, "crowd")]),
        # two numbers joined by "and" that are no range are read one by one
        ("The county spent $2.8 million and 900 hours on the response.", [(2800000, "money")]),
        # a time phrase after the counted noun is not its head
        ("ICE removed 48 Venezuelans last week.", [(48, "removals")]),
    ],
)
def test_coordinated_counts_and_clauses(profile, text, expected):
    figs, _ = _figs(text, profile)
    assert [(f.value, f.kind) for f in figs if f.kind != "other"] == expected


def test_excluded_spans_in_any_order_drop_what_they_hold(profile):
    from eventledger.records import span

    text = normalise("Deputies detained 31 workers at a dairy in Yakima. Photo: 12 agents / Valley Herald\n"
                     "A judge freed 9 of them on bond. Organizers said 450 people marched in Wenatchee.")
    sents = split_sentences(text)
    caption = text.index("Photo:")
    judge = text.index("A judge")
    fig_450 = text.index("450")
    # unsorted and overlapping, as a caller other than the document reader may pass them: the
    # whole caption line (twice over), and a span that starts inside the last sentence
    excluded = [span(text, fig_450 - 2, fig_450 + 3), span(text, caption, text.index("\n")),
                span(text, caption + 6, text.index("\n") - 3), span(text, judge, judge + 5)]
    got = {f.value: f.kind for f in extract_figures(text, sents, profile, excluded=excluded)}
    assert 12 not in got and 450 not in got  # in an excluded sentence; starting in an excluded span
    assert got[31] == "arrests" and 9 in got  # the sentence merely overlapped by a span keeps its figure
    assert {f.value for f in extract_figures(text, sents, profile)} >= {31, 12, 9, 450}


@pytest.mark.parametrize("before", [
    "", "a", "the MS-", "Route", "Route ", "Route \n", "on Sept.", "on Sept. ", "since September\u00a0", "Mayo",
    "Section 8/", "Unit #", "at 10:", "in Tacoma, ", "Interstate", "about No.", "about No. \t", "von Décembre",
    "from Mar.\n", "the Marion", "in Jan", "in Janet", "é", "room", "Room\u2003",
])
def test_end_anchored_tests_read_only_the_end(profile, before):
    import re

    from eventledger.extract import figures as fig

    v = fig._vocab(profile)
    bare = before.rstrip()
    assert bool(fig._NAME_BEFORE_RE.search(before, fig._tail_at(before, 2))) == bool(
        re.search(r"[A-Za-z]-$|[A-Za-z]$|/$|:$|#$", before))
    assert bool(v.not_before.search(bare, fig._tail_at(bare, v.not_before_width))) == bool(v.not_before.search(before))
    assert bool(fig._MONTH_BEFORE_RE.search(bare, fig._tail_at(bare, len("September.")))) == bool(
        re.search(rf"\b{fig._MONTHS}\s*$", before))
