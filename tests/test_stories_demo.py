"""Stories on the bundled demo corpus: the republished wire story and the report it copies tell
the same events, so each event they share must be one story with both articles in it."""
from __future__ import annotations

import pytest

from eventwire.demo import corpus_path
from eventwire.store.base import open_store
from eventwire.store.ingest import ingest
from eventwire.stories import story_key


@pytest.fixture(scope="module")
def demo_store(pipeline, tmp_path_factory):
    corpus = corpus_path()
    if not corpus.exists():
        pytest.skip(f"no demo corpus at {corpus}")
    store = open_store(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    report = ingest([str(corpus)], store, source="demo", pipeline=pipeline)
    assert report.added and not report.failures
    yield store
    store.close()


def _story_of(store) -> dict[str, str]:
    return {m["id"]: s["id"] for s in store.stories(limit=10_000) for m in store.story(s["id"])["mentions"]}


def test_the_republished_report_shares_its_events_stories(demo_store):
    copy = next(a for a in demo_store.articles(limit=100) if a["near_duplicate_of"])
    original = demo_store.article(copy["near_duplicate_of"])
    story_of = _story_of(demo_store)
    mine = demo_store.events(article_id=original["id"], limit=500)
    theirs = demo_store.events(article_id=copy["id"], limit=500)
    shared = [(a, b) for a in mine for b in theirs if story_key(a) == story_key(b)
              and a["trigger_text"].lower() == b["trigger_text"].lower()]
    assert len(shared) >= 3  # the copy keeps most of the original's paragraphs
    for a, b in shared:
        assert story_of[a["id"]] == story_of[b["id"]], (a["sentence_text"], b["sentence_text"])
        story = demo_store.story(story_of[a["id"]])
        assert story["num_articles"] >= 2


def test_every_event_is_in_exactly_one_story(demo_store):
    story_of = _story_of(demo_store)
    events = list(demo_store.iter_events())
    assert set(story_of) == {e["id"] for e in events}
    assert sum(s["num_mentions"] for s in demo_store.stories(limit=10_000)) == len(events)
    # Merging happened (fewer stories than mentions) but did not swallow different events.
    assert len(events) > len(set(story_of.values())) > len(events) // 2
