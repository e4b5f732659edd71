"""Events, round 2 of issue 8: classes of language found in the misses of the story set, each
tested on sentences written for these tests (other cities, other names, none from the corpus)."""

from __future__ import annotations


def _got(ext):
    return {(e.type, e.mode, e.date) for e in ext.events}


def test_a_date_inside_a_dashed_aside_dates_only_the_aside(run):
    ext = run("Tuesday morning, the attorney general reported that agents have arrested more than 300 people"
              "—52 over the weekend—and seized 18 rifles. She also confirmed that officers have arrested 95 "
              "migrants and cleared 12 camps.", published="2026-05-06")
    assert {("COERCE", "arrest", "2026-05-05"), ("COERCE", "seize", "2026-05-05")} <= _got(ext)
    assert not any(e.date == "2026-05" for e in ext.events)


def test_a_date_in_parentheses_dates_only_what_is_in_them(run):
    ext = run("On Thursday, deputies detained 40 workers at a cannery in Salem (a similar sweep in Eugene last "
              "month found none).", published="2026-04-17")
    assert ("COERCE", "arrest", "2026-04-16") in _got(ext)


def test_a_happening_placed_during_a_dated_operation_takes_its_date(run):
    ext = run("Agents in Tulsa raided a warehouse on Oct. 3, 2026, in what officials called a targeted operation.\n\n"
              "Activists at the scene said 12 people were detained during the operation.", published="2026-10-05")
    assert ("COERCE", "arrest", "2026-10-03") in _got(ext)


def test_during_what_officials_called_an_operation_is_a_reference(run):
    ext = run("Police raided a flea market in Tacoma on Saturday.\n\n"
              "Six vendors were taken into custody during what the agency called a \u201ctargeted, lawful enforcement "
              "operation\u201d at the market.", published="2026-08-10")
    assert ("COERCE", "arrest", "2026-08-08") in _got(ext)


def test_the_sentences_after_a_dated_reference_tell_the_same_day(run):
    ext = run("Marchers blocked a van outside the county jail in Akron on Friday.\n\n"
              "The sheriff labeled the marchers as vandals. The sheriff said at least four arrests were made.",
              published="2026-02-09")
    assert ("COERCE", "arrest", "2026-02-06") in _got(ext)


def test_an_undated_paragraph_without_a_reference_stays_undated(run):
    ext = run("Marchers blocked a van outside the county jail in Akron on Friday.\n\n"
              "Elsewhere in the state, at least four arrests were made.", published="2026-02-09")
    assert ("COERCE", "arrest", None) in _got(ext)


def test_protests_over_a_policy_do_not_date_the_policy(run):
    ext = run("Deputies fired pepper spray on marchers outside a detention center in Aurora on Friday, as "
              "protests over the Ohio administration's intensified immigration crackdown reached a peak.",
              published="2026-04-11")
    assert ("ASSAULT", "crowd-control", "2026-04-10") in _got(ext)
    assert not any(e.mode == "seize" and e.date for e in ext.events)


def test_a_plan_does_not_take_the_day_of_the_sentences_around_it(run):
    ext = run("Border agents arrived at a hardware store in Mobile on Wednesday, Jan. 7, 2026.\n\n"
              "Officials said the campaign will deploy 300 more agents to the region, according to internal plans.",
              published="2026-01-07")
    assert not any(e.type == "MOBILIZE" and e.date for e in ext.events)


def test_people_rounded_up_or_ensnared_are_arrests(run):
    ext = run("Agents raided a car wash in Fresno on Thursday and rounded up 14 workers.", published="2026-03-14")
    assert ("COERCE", "arrest", "2026-03-12") in _got(ext)
    ext = run("Deputies raided a farm near Modesto on Monday.\n\nAs many as 30 pickers were ensnared, neighbors said, "
              "in what the sheriff said was the largest enforcement operation in the county.", published="2026-03-18")
    assert ("COERCE", "arrest", "2026-03-16") in _got(ext)


def test_a_crowd_obstructing_the_agents_is_a_protest(run):
    ext = run("A sweep of a flea market in Tacoma on Aug. 8 was quick, as shoppers saw vendors led away and an "
              "angry crowd trying to block the vans.", published="2026-08-10")
    assert ("PROTEST", "demo", "2026-08-08") in _got(ext)
    ext = run("On Saturday, neighbors tried to stop agents from leaving a house in Reno.", published="2026-08-10")
    assert ("PROTEST", "demo", "2026-08-08") in _got(ext)


def test_the_end_of_a_stretch_of_time_does_not_date_the_happening(run):
    ext = run("The county says Operation Clearwater will continue through August.", published="2026-06-03")
    assert [(e.type, e.date) for e in ext.events] == [("COERCE", None)]
    ext = run("Deputies in Ocala arrested 300 people in a sweep that ran from March 2 through March 7, 2026.",
              published="2026-03-10")
    assert ("COERCE", "arrest", "2026-03") in _got(ext)


def test_an_outcome_of_the_same_kind_is_part_of_the_happening(run):
    ext = run("The sweeps prompted large protests in Denver on Saturday, resulting in property damage, 30 arrests "
              "and a curfew.", published="2026-03-10")
    got = _got(ext)
    assert ("PROTEST", "riot", "2026-03-07") not in got
    assert {("PROTEST", "demo", "2026-03-07"), ("COERCE", "arrest", "2026-03-07"),
            ("COERCE", "curfew", "2026-03-07")} <= got


def test_a_beginning_in_the_present_perfect_is_of_the_month_of_writing(run):
    ext = run("Guard troops have begun patrols in Spokane alongside city police.", published="2026-05-20")
    assert [(e.type, e.date, e.date_precision) for e in ext.events] == [("MOBILIZE", "2026-05", "month")]
    # without the tense, or without a day the story was written, nothing dates it
    assert [e.date for e in run("Guard troops patrol in Spokane alongside city police.", published="2026-05-20").events] == [None]
    assert [e.date for e in run("Guard troops have begun patrols in Spokane alongside city police.").events] == [None]


def test_a_crowd_word_does_not_hide_the_word_protests_of_its_sentence(run):
    ext = run("Police raided a flea market in Tacoma on Tuesday evening.\n\nDuring the operation, which sparked fierce "
              "backlash from furious bystanders and led to protests late into the night, reporters saw 20 vendors "
              "being arrested.", published="2026-08-14")
    assert ("PROTEST", "demo", "2026-08-11") in _got(ext)


def test_the_announcement_counts_its_linked_days_from_the_day_it_was_told(run):
    ext = run("On Tuesday, the sheriff announced that deputies arrested 210 people in Idaho during March.\n\n"
              "The announcement comes three days after deputies detained a 19-year-old student in Boise.",
              published="2026-04-08")
    assert ("COERCE", "arrest", "2026-04-04") in _got(ext)
    # a sentence not about the report has no day to count from
    ext = run("On Tuesday, the sheriff announced that deputies arrested 210 people in Idaho during March.\n\n"
              "Residents marched three days after deputies detained a 19-year-old student in Boise.",
              published="2026-04-08")
    assert ("COERCE", "arrest", "2026-04-04") not in _got(ext)


def test_an_operation_a_dated_happening_is_part_of_spans_its_month(run):
    ext = run("Deputies announced the arrest of 210 people in Idaho on March 9 as part of Operation Bluebird, "
              "the largest sweep in the state.\n\nThe governor criticized Operation Bluebird.", published="2026-04-08")
    assert ("COERCE", "seize", "2026-03") in _got(ext)
    ext = run("Deputies announced the arrest of 210 people in Idaho on March 9, the largest sweep in the state.\n\n"
              "The governor criticized Operation Bluebird.", published="2026-04-08")
    assert ("COERCE", "seize", "2026-03") not in _got(ext)


def test_a_hedged_distance_in_weeks_gives_a_month_an_exact_one_a_day(run):
    ext = run("Federal authorities are winding down their enforcement operation in Boise, nearly a week after agents "
              "arrived in the city, officials said.", published="2026-05-14")
    assert ("MOBILIZE", "police", "2026-05") in _got(ext)
    ext = run("Agents raided a dairy in Boise on May 12. About two weeks later, hundreds marched downtown.",
              published="2026-06-14")
    assert ("PROTEST", "demo", "2026-05") in _got(ext)
    ext = run("Agents raided a dairy in Boise on May 12. Two weeks later, hundreds marched downtown.", published="2026-06-14")
    assert ("PROTEST", "demo", "2026-05-26") in _got(ext)


def test_agents_arriving_at_a_site_raid_it_and_in_a_city_are_deployed(run):
    ext = run("On Monday, agents arrived at a car wash in Mesa.", published="2026-05-14")
    assert ("COERCE", "seize", "2026-05-11") in _got(ext)
    ext = run("On Monday, agents arrived in the city.", published="2026-05-14")
    assert _got(ext) == {("MOBILIZE", "police", "2026-05-11")}


def test_a_feared_happening_takes_no_date_from_its_paragraph(run):
    ext = run("Deputies arrested 12 people at a swap meet in Yuma on Friday, and some shops closed out of fear of "
              "raids.", published="2026-05-14")
    assert ("COERCE", "seize", "2026-05-08") not in _got(ext)


def test_a_distance_from_a_clause_in_the_past_without_a_date_dates_nothing(run):
    ext = run("Federal authorities wound down their operation in Boise, nearly a week after agents arrived in the city.",
              published="2026-05-14")
    assert ("MOBILIZE", "police", "2026-05") not in _got(ext)


def test_that_opening_a_relative_clause_is_no_determiner(run):
    ext = run("Agents raided a poultry plant in Gainesville, Georgia, on Thursday, a raid that sparked protests "
              "outside the county jail.", published="2026-03-14")
    assert {("COERCE", "seize", "2026-03-12"), ("PROTEST", "demo", "2026-03-12")} <= _got(ext)


def test_a_second_complement_of_saying_is_its_own_clause(run):
    ext = run("Police in Fresno said Saturday that agents detained 40 farmworkers on Wednesday and that protesters "
              "blocked a highway on Thursday.", published="2026-03-16")
    assert {("COERCE", "arrest", "2026-03-11"), ("PROTEST", "demo", "2026-03-12")} <= _got(ext)


def test_a_date_after_another_trigger_is_that_ones(run):
    ext = run("Agents arrested 18 people in a raid on a car wash in Mesa on Tuesday. The arrests drew protests the "
              "next day.", published="2026-03-16")
    got = _got(ext)
    assert ("PROTEST", "demo", "2026-03-11") in got and ("COERCE", "arrest", "2026-03-11") not in got


def test_the_arrest_of_a_number_is_new_not_a_reference(run):
    ext = run("The raid, which took place on March 4, led to the arrest of 31 workers.", published="2026-03-16")
    assert ("COERCE", "arrest", "2026-03-04") in _got(ext)


def test_what_a_suit_or_a_protest_is_against_is_its_topic(run):
    ext = run("On Monday, the city of Eugene sued the federal government over the deployment of troops.", published="2026-03-16")
    assert ("ACCUSE", "allege", "2026-03-16") in _got(ext)
    assert not any(e.type == "MOBILIZE" and e.date for e in ext.events)
    ext = run("Residents in Provo protested on Friday against the deployment of Guard troops.", published="2026-03-16")
    assert ("PROTEST", "demo", "2026-03-13") in _got(ext)
    assert not any(e.type == "MOBILIZE" and e.date for e in ext.events)
    # the deployment told as a happening of its own keeps its date
    ext = run("On Friday, the governor sent Guard troops to Provo.", published="2026-03-16")
    assert ("MOBILIZE", "troops", "2026-03-13") in _got(ext)


def test_the_guard_named_alone_by_what_is_done_with_it_is_deployed(run):
    ext = run("The Guard was deployed to Spokane on Aug. 3.", published="2026-08-16")
    assert ("MOBILIZE", "troops", "2026-08-03") in _got(ext)
    ext = run("On Monday, the governor activated the Guard in Boise.", published="2026-08-19")
    assert ("MOBILIZE", "troops", "2026-08-17") in _got(ext)


def test_what_a_court_blocks_is_its_topic(run):
    ext = run("A federal judge in Boise on Thursday blocked the deployment of troops to the city.", published="2026-08-16")
    assert not any(e.type == "MOBILIZE" and e.date for e in ext.events)


def test_a_signed_executive_order_is_done_not_planned(run):
    ext = run("The mayor of Yonkers signed an executive order on Tuesday barring city police from helping ICE.",
              published="2026-08-19")
    assert [e.status for e in ext.events if e.type == "SANCTION"] == ["occurred"]
    ext = run("The president ordered 300 Guard troops to Yonkers on Tuesday.", published="2026-08-19")
    assert [e.status for e in ext.events if e.type == "MOBILIZE"] == ["planned"]


def test_the_weekend_and_this_week_are_of_the_month_they_fell_in(run):
    ext = run("Over the weekend, deputies arrested 14 people at a flea market in Yuma.", published="2026-06-01")
    assert _got(ext) == {("COERCE", "arrest", "2026-05")}  # Monday June 1: the weekend was in May
    ext = run("Earlier this week, deputies arrested 14 people at a flea market in Yuma.", published="2026-07-02")
    assert _got(ext) == {("COERCE", "arrest", "2026-06")}  # Thursday July 2: the week began in June
    ext = run("Over the weekend, deputies arrested 14 people at a flea market in Yuma.", published="2026-06-16")
    assert _got(ext) == {("COERCE", "arrest", "2026-06")}


def test_a_year_opening_a_sentence_is_a_date(run):
    ext = run("Agents raided a bakery in Tucson on Tuesday.\n\nThe raid was the latest in a series. In 2024, deputies "
              "arrested 30 people in Mesa.", published="2026-03-16")
    assert ("COERCE", "arrest", "2024") in _got(ext)


def test_a_month_after_a_capitalised_preposition_is_a_date(run):
    assert ("COERCE", "seize", "2026-06") in _got(run("In June, agents raided a bakery in Tucson.", published="2026-08-16"))
    assert ("COERCE", "seize", "2026-05") in _got(run("In May, agents raided a bakery in Tucson.", published="2026-08-16"))


def test_a_determiner_heads_the_trigger_after_it_not_the_next_one(run):
    ext = run("Federal agents raided two packing houses in Fresno on Wednesday, detaining 61 workers, officials said.\n\n"
              "The raid drew protests.", published="2026-04-10")
    assert ("PROTEST", "demo", "2026-04-08") in _got(ext)


def test_a_plan_is_not_dated_by_the_day_it_was_told(run):
    ext = run("Governor Ana Ruiz said Thursday she would sue over the deportation flights.", published="2026-04-10")
    assert [(e.type, e.date, e.status) for e in ext.events if e.type == "ACCUSE"] == [("ACCUSE", None, "planned")]
    ext = run("Governor Ana Ruiz sued the state on Thursday.", published="2026-04-10")
    assert ("ACCUSE", "allege", "2026-04-09") in _got(ext)
