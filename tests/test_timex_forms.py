"""Timex forms added for real news: tense of the governing verb, spoken years, named decades,
"the week of", spans counted from another event, vague present references, earnings-report
quarters. Publication date: Saturday 2025-05-17 unless said otherwise. Sentences written for
these tests.
"""
from __future__ import annotations

import pytest

PUB = "2025-05-17"


@pytest.fixture(scope="module")
def timex_pipe():
    from eventwire import Pipeline

    return Pipeline(stages=["eventwire_timex"])


def values(pipe, text, published=PUB):
    doc = pipe.extract(text, published=published)
    return {t.text: t.value for t in doc.timexes}


def types(pipe, text, published=PUB):
    doc = pipe.extract(text, published=published)
    return {t.text: t.type for t in doc.timexes}


# -- a weekday takes the direction of its verb -----------------------------------------------

@pytest.mark.parametrize("text, word, value", [
    ("The minister will call his counterpart on Monday.", "Monday", "2025-05-19"),
    ("The minister called his counterpart on Monday.", "Monday", "2025-05-12"),
    ("Both leaders meet on Sunday to sign the accord.", "Sunday", "2025-05-18"),
    ("Both leaders met on Sunday to sign the accord.", "Sunday", "2025-05-11"),
    ("The envoy is due to arrive in the capital on Tuesday.", "Tuesday", "2025-05-20"),
    ("The rebels are poised to sign a truce on Wednesday.", "Wednesday", "2025-05-21"),
    ("The mandate had been due to expire on Thursday.", "Thursday", "2025-05-15"),
    ("Fresh sanctions take effect starting Monday.", "Monday", "2025-05-19"),
    ("The rebels may sign the truce on Wednesday.", "Wednesday", "2025-05-21"),
])
def test_weekday_follows_the_tense_of_its_clause(timex_pipe, text, word, value):
    assert values(timex_pipe, text)[word] == value


def test_a_weekday_on_a_noun_is_not_a_plan(timex_pipe):
    # "Tuesday's vote" names an event already reported, whatever the tense of the sentence
    assert values(timex_pipe, "The ruling party's collapse follows Tuesday's vote in parliament.") == {
        "Tuesday": "2025-05-13"}


def test_a_report_in_the_present_is_not_a_plan(timex_pipe):
    assert values(timex_pipe, "The foreign ministry says Thursday that the border stays shut.") == {
        "Thursday": "2025-05-15"}


# -- years and decades, written out ----------------------------------------------------------

def test_spoken_years(timex_pipe):
    assert values(timex_pipe, "The treaty was signed in nineteen ninety-six.") == {"nineteen ninety-six": "1996"}
    assert values(timex_pipe, "The plan ran out of money in twenty thirteen.") == {"twenty thirteen": "2013"}
    assert values(timex_pipe, "Unemployment was to be halved by the year two thousand.") == {
        "the year two thousand": "2000"}
    assert values(timex_pipe, "The talks stalled in January nineteen ninety-seven.") == {
        "January nineteen ninety-seven": "1997-01"}


def test_a_spoken_number_is_not_a_year(timex_pipe):
    assert values(timex_pipe, "Two thousand soldiers crossed the river.") == {}
    assert values(timex_pipe, "Twenty five of the prisoners were freed.") == {}


def test_named_decades(timex_pipe):
    assert values(timex_pipe, "Membership fell through the nineties and rose again in the '80s revival.") == {
        "the nineties": "199", "the '80s": "198"}


def test_week_of(timex_pipe):
    assert values(timex_pipe, "A hearing is expected the week of March 3.") == {"the week of March 3": "2025-W10"}


# -- spans counted from another event are durations ------------------------------------------

def test_spans_before_and_after_another_event(timex_pipe):
    found = values(timex_pipe, "The strike came three days after the ceasefire was announced.")
    assert found == {"three days": "P3D"}
    assert values(timex_pipe, "Two months later, the talks collapsed.") == {"Two months later": "P2M"}
    assert values(timex_pipe, "A few days earlier, the army had withdrawn.") == {"A few days earlier": "PXD"}
    assert values(timex_pipe, "Shelling resumed hours before the envoys arrived.") == {"hours": "PTXH"}


def test_ago_still_counts_from_publication(timex_pipe):
    assert values(timex_pipe, "The embassy closed two weeks ago.") == {"two weeks ago": "2025-W18"}


def test_long_compounds(timex_pipe):
    assert values(timex_pipe, "He returned from a week-long visit to the region.") == {"week-long": "P1W"}
    assert values(timex_pipe, "The decades-long dispute over the border flared again.") == {"decades-long": "PXY"}


def test_recent_weeks_are_a_span_recent_years_a_past_reference(timex_pipe):
    assert values(timex_pipe, "Attacks have grown in recent weeks.") == {"recent weeks": "PXW"}
    assert values(timex_pipe, "Attacks have grown in recent years.") == {"recent years": "PAST_REF"}


# -- vague references and named dates --------------------------------------------------------

def test_present_references(timex_pipe):
    found = values(timex_pipe, "At this time, we know of no threat, and the border stays closed for the time being.")
    assert set(found.values()) == {"PRESENT_REF"} and len(found) == 2


def test_the_future_of_something_is_no_time(timex_pipe):
    assert values(timex_pipe, "The vote raised questions about the future of the coalition.") == {}
    assert values(timex_pipe, "The coalition may collapse in the future.") == {"the future": "FUTURE_REF"}


def test_nine_eleven(timex_pipe):
    assert values(timex_pipe, "Security was tightened after 9/11.") == {"9/11": "2001-09-11"}


def test_tonight_is_a_night(timex_pipe):
    assert values(timex_pipe, "The president will address the nation tonight.") == {"tonight": "2025-05-17TNI"}


def test_military_clock_with_zone(timex_pipe):
    found = values(timex_pipe, "The convoy left at 1700 GMT on Saturday.")
    assert found["1700 GMT"] == "2025-05-17T17:00"


def test_newspaper_name_is_no_date(timex_pipe):
    assert values(timex_pipe, "Jane Roe  USA TODAY  LONDON - The prime minister resigned.") == {}
    assert values(timex_pipe, "Content created by The Daily Caller News Foundation is free.") == {}


# -- earnings reports ------------------------------------------------------------------------

def test_a_year_earlier_in_an_earnings_report_is_that_quarter(timex_pipe):
    text = "Net income in the third quarter rose to $5 million from $4 million a year earlier."
    assert values(timex_pipe, text, published="2024-10-30")["a year earlier"] == "2023-Q3"


def test_a_year_earlier_elsewhere_is_a_year(timex_pipe):
    text = "Wages were 4 percent higher than a year earlier, the agency said."
    assert values(timex_pipe, text, published="2024-10-30") == {"a year earlier": "2023"}
    assert types(timex_pipe, text, published="2024-10-30") == {"a year earlier": "DATE"}


def test_years_in_links_codes_and_event_names_are_refused(timex_pipe):
    assert values(timex_pipe, "Read more: https://example.org/news/2022/11/28/statement-on-talks") == {}
    assert values(timex_pipe, "Both sides backed full implementation of UNSCR 1701.") == {}
    assert values(timex_pipe, "Thousands joined the March for Peace in the capital.") == {}
    assert values(timex_pipe, "Thousands marched in the capital in March.") == {"March": "2025-03"}


def test_the_following_year_counts_from_the_story(timex_pipe):
    found = values(timex_pipe, "The accord was signed in 1994. Parliament ratified it the following year.")
    assert found == {"1994": "1994", "the following year": "1995"}


def test_halves_and_straight_runs(timex_pipe):
    found = values(timex_pipe, "The strike came within half an hour, after a day and a half of talks "
                               "and 18 straight months of calm.")
    assert found == {"half an hour": "PT30M", "a day and a half": "P1.5D", "18 straight months": "P18M"}
    assert values(timex_pipe, "The convoy waited an hour and a half.") == {"an hour and a half": "PT1H30M"}


def test_the_years_ahead(timex_pipe):
    assert values(timex_pipe, "The economy may shrink in the years ahead.") == {"the years ahead": "FUTURE_REF"}


def test_ordinal_days_and_day_one(timex_pipe):
    assert values(timex_pipe, "Bonds climbed for a fourth straight day.") == {"a fourth straight day": "P4D"}
    assert values(timex_pipe, "Fighting went on. It was the second day of the offensive.") == {
        "the second day": "2025-05-17"}
    assert values(timex_pipe, "We have stood with our allies since day one.") == {"day one": "PAST_REF"}


def test_earlier_in_the_week(timex_pipe):
    assert values(timex_pipe, "Earlier in the week, the envoy met the rebels.") == {"Earlier in the week": "2025-W20"}


def test_so_long_ago_today(timex_pipe):
    found = values(timex_pipe, "Two years ago tomorrow, the invasion began. Three months ago today, the envoy died.")
    assert found == {"Two years ago tomorrow": "2023-05-18", "Three months ago today": "2025-02-17"}


def test_today_as_a_title(timex_pipe):
    assert values(timex_pipe, "He told NBC's “Today” show that talks would go on.") == {}
    assert values(timex_pipe, "“Today, we stand together,” he said.") == {"Today": "2025-05-17"}


def test_ranges_of_years_are_two_years(timex_pipe):
    assert values(timex_pipe, "Growth was strong in 2017-2018 and weak in the 2012-16 period.") == {
        "2017": "2017", "2018": "2018", "2012": "2012", "16": "2016"}
    assert values(timex_pipe, "Call 1990-2345 or see page 2001-02.") == {}


def test_names_that_look_like_times(timex_pipe):
    text = ("He discussed the fall of the regime and May's government, and wished them a merry Christmas "
            "before the Winter Games. It marks the end of the 16 Days of Action.")
    assert values(timex_pipe, text) == {}
    assert values(timex_pipe, "Talks resume in the fall. In May the talks ended.") == {
        "fall": "2025-FA", "May": "2025-05"}
    assert values(timex_pipe, "The post-1959 politics split families.") == {"post-1959": "1959"}


def test_over_the_past_decade_is_a_span(timex_pipe):
    assert values(timex_pipe, "Threats became routine over the past decade.") == {"the past decade": "P10Y"}
    assert values(timex_pipe, "Wages fell in the last decade.") == {"the last decade": "201"}
    assert values(timex_pipe, "Many disasters of this century began there.") == {"this century": "P100Y"}
