"""Temporal expressions: recognition, TIMEX3 values against the publication date, and event dates.

Publication date in these tests: Saturday 2025-05-17 (the seed article's), unless said otherwise.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.model import Span
from eventwire.timex import dateline_date, event_date, find_timexes

PUB = "2025-05-17"


@pytest.fixture(scope="module")
def timex_pipe():
    from eventwire import Pipeline

    return Pipeline(stages=["eventwire_timex"])


def tx(pipe, text, published=PUB):
    """(text, type, value) of every timex in ``text``."""
    doc = pipe.extract(text, published=published)
    return [(t.text, t.type, t.value) for t in doc.timexes]


def values(pipe, text, published=PUB):
    return {t: v for t, _, v in tx(pipe, text, published)}


# -- weekdays and tense ----------------------------------------------------------------------

def test_bare_weekday_is_the_latest_one_on_or_before_publication(timex_pipe):
    assert values(timex_pipe, "Kremlin spokesman Dmitry Peskov said Saturday that Russia is open to talks.") == {
        "Saturday": "2025-05-17"}
    assert values(timex_pipe, "In an interview published on Friday by Fox News, Trump said it.") == {
        "Friday": "2025-05-16"}
    assert values(timex_pipe, "The talks in Istanbul ended on Monday.") == {"Monday": "2025-05-12"}


def test_future_tense_points_forward(timex_pipe):
    assert values(timex_pipe, "Trump said that he will speak to Putin in a phone call on Monday.") == {
        "Monday": "2025-05-19"}
    assert values(timex_pipe, "The delegations are scheduled to meet again on Thursday.") == {
        "Thursday": "2025-05-22"}
    assert values(timex_pipe, "Officials postponed the vote until Tuesday.") == {"Tuesday": "2025-05-20"}


def test_last_and_next_weekday(timex_pipe):
    assert values(timex_pipe, "The envoy arrived last Friday.") == {"last Friday": "2025-05-16"}
    assert values(timex_pipe, "The envoy arrives next Friday.") == {"next Friday": "2025-05-23"}


def test_times_of_day(timex_pipe):
    found = tx(timex_pipe, "He will speak with Putin at 10 am on Monday morning.")
    assert found == [("10 am on Monday morning", "TIME", "2025-05-19T10:00")]
    assert values(timex_pipe, "They will meet on Monday morning.") == {"Monday morning": "2025-05-19TMO"}
    assert values(timex_pipe, "The blast occurred at about 10:35 a.m. local time.") == {
        "10:35 a.m. local time": "2025-05-17T10:35"}
    assert values(timex_pipe, "Shelling resumed yesterday evening.") == {"yesterday evening": "2025-05-16TEV"}


# -- calendar dates -----------------------------------------------------------------------------

def test_dates_months_years(timex_pipe):
    v = values(timex_pipe, "The treaty signed on March 5, 1946 was replaced in July 1997 and again in 2010.")
    assert v == {"March 5, 1946": "1946-03-05", "July 1997": "1997-07", "2010": "2010"}
    assert values(timex_pipe, "The summit is expected in June.") == {"June": "2025-06"}
    assert values(timex_pipe, "The offensive began in February.") == {"February": "2025-02"}
    assert values(timex_pipe, "The ceasefire collapsed on Dec. 7.") == {"Dec. 7": "2024-12-07"}
    assert values(timex_pipe, "The editorial ran on Monday, Oct. 26.", published="1998-10-25") == {
        "Monday, Oct. 26": "1998-10-26"}


def test_tense_leans_but_a_much_nearer_date_wins(timex_pipe):
    # written in October: "payable Dec. 7" is this December even though the clause is past
    v = values(timex_pipe, "The board declared a dividend payable Dec. 7 to holders of record Nov. 22.",
               published="2024-10-27")
    assert v == {"Dec. 7": "2024-12-07", "Nov. 22": "2024-11-22"}
    v = values(timex_pipe, "The process began in February this year and ended in June last year.",
               published="2024-10-27")
    assert v == {"February this year": "2024-02", "June last year": "2023-06"}


def test_range_is_one_expression_dated_by_its_start(timex_pipe):
    assert tx(timex_pipe, "The talks were held March 23-25 in Riyadh.") == [("March 23-25", "DATE", "2025-03-23")]


def test_year_anchoring_an_event_noun(timex_pipe):
    found = tx(timex_pipe, "It was the first round since the early aftermath of the 2022 invasion.")
    assert found == [("2022", "DATE", "2022")]


def test_decades_centuries_seasons(timex_pipe):
    v = values(timex_pipe, "Relations thawed in the 1990s, soured last fall and may recover this summer.")
    assert v == {"the 1990s": "199", "last fall": "2024-FA", "this summer": "2025-SU"}


def test_relative_expressions(timex_pipe):
    v = values(timex_pipe, "Yesterday the envoy left. Last week talks stalled; earlier this week they resumed. "
                           "Prices rose this month and will rise next year. Fighting continued over the weekend.")
    assert v == {"Yesterday": "2025-05-16", "Last week": "2025-W19", "earlier this week": "2025-W20",
                 "this month": "2025-05", "next year": "2026", "the weekend": "2025-W20-WE"}
    v = values(timex_pipe, "Two weeks ago the army withdrew; three years ago it invaded. Now it waits.")
    assert v == {"Two weeks ago": "2025-W18", "three years ago": "2022", "Now": "PRESENT_REF"}


def test_anaphoric_expressions_follow_the_narrative(timex_pipe):
    v = values(timex_pipe, "The envoy arrived on March 3, 2024. The next day he met Zelensky, and later that "
                           "year he resigned.")
    assert v == {"March 3, 2024": "2024-03-03", "The next day": "2024-03-04", "later that year": "2024"}


def test_durations(timex_pipe):
    v = values(timex_pipe, "The war has lasted three years. She stayed for a week after a 16-hour flight "
                           "and spent 5 1/2 hours in talks over the past two months.")
    assert v == {"three years": "P3Y", "a week": "P1W", "16-hour": "PT16H", "5 1/2 hours": "PT5H30M",
                 "the past two months": "P2M"}


def test_sets_and_rates(timex_pipe):
    found = tx(timex_pipe, "The war kills more than 5000 soldiers a week. Envoys meet every week and talk daily.")
    assert found == [("a week", "SET", "P1W"), ("every week", "SET", "P1W"), ("daily", "SET", "P1D")]
    assert tx(timex_pipe, "Protesters gather every Monday.") == [("every Monday", "SET", "XXXX-WXX-1")]
    # the frequency pattern has no weekday group: it once raised IndexError and lost the article
    assert [(t, ty) for t, ty, _ in tx(timex_pipe, "The envoys meet twice a week.")] == [("twice a week", "SET")]


# -- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "We may see a deal, and we will march on the capital.",   # "we", "may", "march" (verb)
    "Thousands march through Kyiv.",
    "Ukraine lost 2000 soldiers and 1,500 tanks.",             # counts, not years
    "The fund holds $2025 million, up 15 percent.",           # money, percentages
    "Shakhtar beat Dynamo 2-1 on goals by Sudakov.",          # a score
    "A 33-year-old soldier was wounded.",                     # an age
    "She may travel to Moscow.",
    "The Sun reported the claim.",
])
def test_false_friends_are_refused(timex_pipe, text):
    assert tx(timex_pipe, text) == []


def test_may_as_a_month_is_kept(timex_pipe):
    assert values(timex_pipe, "The ceasefire ended in May.", published="2025-06-10") == {"May": "2025-05"}


# -- publication date -------------------------------------------------------------------------

def test_dateline_sets_the_publication_date(timex_pipe):
    doc = timex_pipe.extract("KYIV, May 17, 2025 — Peskov said Saturday that talks would go on.")
    assert doc.published == "2025-05-17" and doc.published_source == "dateline"
    assert [(t.text, t.value, t.anchored) for t in doc.timexes][-1] == ("Saturday", "2025-05-17", True)


def test_no_date_keeps_values_relative_and_warns(timex_pipe):
    doc = timex_pipe.extract("WASHINGTON, May 17 (Reuters) - Trump will speak to Putin on Monday, he said in 2024.")
    assert doc.published is None and doc.published_source is None
    assert any("no publication date" in w for w in doc.warnings)
    got = [(t.text, t.value, t.anchored) for t in doc.timexes]
    assert got == [("May 17", "XXXX-05-17", False), ("Monday", "XXXX-WXX-1", False), ("2024", "2024", True)]


def test_unreadable_publication_date_is_kept_and_reported(timex_pipe):
    doc = timex_pipe.extract("May 17, 2025 — Talks resumed on Monday.", published="last Tuesday")
    assert doc.published == "last Tuesday"
    assert any("not an ISO date" in w for w in doc.warnings)
    assert [(t.value, t.anchored) for t in doc.timexes] == [("2025-05-17", True), ("XXXX-WXX-1", False)]


def test_dateline_date_needs_a_year():
    assert dateline_date("May 17, 2025 — Russia and Ukraine ...") == "2025-05-17"
    assert dateline_date("LONDON, 3 March 2024 (AFP) - ...") == "2024-03-03"
    assert dateline_date("WASHINGTON, May 17 (Reuters) - ...") is None
    assert dateline_date("No date at all here.") is None


def test_ids_are_in_text_order(timex_pipe):
    doc = timex_pipe.extract("On Friday he left; on Saturday he returned; on Sunday he spoke.", published=PUB)
    assert [t.id for t in doc.timexes] == ["T1", "T2", "T3"]
    assert [t.start for t in doc.timexes] == sorted(t.start for t in doc.timexes)
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)


# -- event dates ------------------------------------------------------------------------------

def _span(text, word, after=0):
    i = text.index(word, after)
    return Span(i, i + len(word), word)


def test_event_date_takes_the_timex_nearest_the_trigger(timex_pipe):
    text = "In a post on Saturday, Trump said that he will speak with Putin at 10 am on Monday morning."
    doc = timex_pipe.extract(text, published=PUB)
    sentence = Span(0, len(text), text)
    assert event_date(doc, sentence, _span(text, "speak")) == ("2025-05-19", "T2")
    assert event_date(doc, sentence, _span(text, "post")) == ("2025-05-17", "T1")


def test_event_date_ignores_durations_and_other_sentences(timex_pipe):
    text = "The war has lasted three years. Russia attacked on Friday."
    doc = timex_pipe.extract(text, published=PUB)
    first = Span(0, 31, text[:31])
    assert event_date(doc, first, _span(text, "lasted")) == (None, None)
    second = Span(32, len(text), text[32:])
    assert event_date(doc, second, _span(text, "attacked")) == ("2025-05-16", "T2")


def test_event_date_keeps_the_report_date_to_the_report(timex_pipe):
    text = "Kremlin spokesman Dmitry Peskov said Saturday that Russia is open to a meeting with Zelensky."
    doc = timex_pipe.extract(text, published=PUB)
    sentence = Span(0, len(text), text)
    assert event_date(doc, sentence, _span(text, "said")) == ("2025-05-17", "T1")
    assert event_date(doc, sentence, _span(text, "meeting")) == (None, None)


def test_event_date_a_year_modifying_a_noun_dates_that_noun(timex_pipe):
    text = "Russia and Ukraine held talks, the first since the 2022 invasion."
    doc = timex_pipe.extract(text, published=PUB)
    sentence = Span(0, len(text), text)
    assert event_date(doc, sentence, _span(text, "talks")) == (None, None)
    assert event_date(doc, sentence, _span(text, "invasion")) == ("2022", "T1")


def test_event_date_refuses_unanchored_values(timex_pipe):
    text = "Russia attacked on Friday."
    doc = timex_pipe.extract(text)
    assert event_date(doc, Span(0, len(text), text), _span(text, "attacked")) == (None, None)


# -- properties -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def said_saturday(timex_pipe):
    return timex_pipe.nlp("Peskov said Saturday that talks will resume on Monday.")


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_weekdays_resolve_within_a_week_on_the_right_side(said_saturday, dct):
    sat, mon = find_timexes(said_saturday, dct)
    sat_d, mon_d = dt.date.fromisoformat(sat.value), dt.date.fromisoformat(mon.value)
    assert sat_d.isoweekday() == 6 and 0 <= (dct - sat_d).days < 7
    assert mon_d.isoweekday() == 1 and 0 <= (mon_d - dct).days < 7
