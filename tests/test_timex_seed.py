"""The seed article (../shared/corpus/seed/trump-putin-call.txt, published Saturday 2025-05-17).

By TimeML rules it has eight timex mentions, seven distinct expressions once the repeated
"Saturday" is counted once: "Monday", "Saturday", "10 am on Monday morning", "2022" (the
invasion), "a week" (a rate: SET), "2022" (the referenda) and "Friday". "soon" is not one:
TimeBank/AQUAINT leaves it untagged far more often than not, and it fixes no date.
"""
from __future__ import annotations

import pytest

from eventwire.model import Span
from eventwire.timex import event_date

from conftest import SEED_PUBLISHED, shared_path

EXPECTED = [
    ("Monday", "DATE", "2025-05-19"),                       # "will speak … on Monday": future
    ("Saturday", "DATE", "2025-05-17"),                     # "a post on Truth Social on Saturday"
    ("10 am on Monday morning", "TIME", "2025-05-19T10:00"),
    ("2022", "DATE", "2022"),                               # "the 2022 invasion"
    ("a week", "SET", "P1W"),                               # "5000 … soldiers a week"
    ("Saturday", "DATE", "2025-05-17"),                     # "Peskov said Saturday"
    ("2022", "DATE", "2022"),                               # "referenda in 2022"
    ("Friday", "DATE", "2025-05-16"),                       # "published on Friday by Fox News"
]


@pytest.fixture(scope="module")
def seed(timex_only):
    text = shared_path("corpus", "seed", "trump-putin-call.txt").read_text("utf-8")
    return timex_only.extract(text, published=SEED_PUBLISHED)


@pytest.fixture(scope="module")
def timex_only():
    from eventwire import Pipeline

    return Pipeline(stages=["eventwire_timex"])


def test_seed_timexes(seed):
    assert [(t.text, t.type, t.value) for t in seed.timexes] == EXPECTED
    assert [t.id for t in seed.timexes] == [f"T{i}" for i in range(1, 9)]
    assert all(seed.text[t.start:t.end] == t.text and t.anchored for t in seed.timexes)


def test_seed_planned_call_is_dated_monday(seed):
    text = seed.text
    end = text.index("\n")
    sentence = Span(0, end, text[:end])
    i = text.index("speak")
    assert event_date(seed, sentence, Span(i, i + 5, "speak")) == ("2025-05-19", "T1")
    # the second statement of the call, at 10 am on Monday morning
    s2 = text.index("In a post")
    e2 = text.index("\n", s2)
    j = text.index("speak with Putin")
    assert event_date(seed, Span(s2, e2, text[s2:e2]), Span(j, j + 5, "speak")) == ("2025-05-19", "T3")
    # "said on Friday": the report's own date
    k = text.index("President Trump said that he would")
    s3 = text.rindex("\n", 0, k) + 1
    e3 = text.index("\n", k)
    said = text.index("said", k)
    assert event_date(seed, Span(s3, e3, text[s3:e3]), Span(said, said + 4, "said")) == ("2025-05-16", "T8")


def test_seed_without_publication_date_stays_relative(timex_only):
    text = shared_path("corpus", "seed", "trump-putin-call.txt").read_text("utf-8")
    doc = timex_only.extract(text)
    assert doc.published is None and doc.warnings
    assert [t.value for t in doc.timexes if not t.anchored] == [
        "XXXX-WXX-1", "XXXX-WXX-6", "XXXX-WXX-1T10:00", "XXXX-WXX-6", "XXXX-WXX-5"]
