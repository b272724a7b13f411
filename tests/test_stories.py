"""Story merging: which event mentions are the same real-world event.

The rows are event rows as the store returns them, written out here so that each rule (type,
status, parties, date window, undirected events, sources) is tested on its own.
"""
from __future__ import annotations

from eventwire.stories import WINDOW_DAYS, build_stories


def row(n: int, day: str, *, type="ASSAULT", status="asserted", source=("Russia", "RUS"),
        target=("Ukraine", "UKR"), article=None, outlet="a.example", undirected=False, confidence=0.8,
        sentence="Russian forces shelled Kharkiv."):
    article = article or f"art{n}"
    return {"id": f"{article}:E{n}", "article_id": article, "event_id": f"E{n}", "type": type, "status": status,
            "source_name": source[0] if source else None, "source_country": source[1] if source else None,
            "target_name": target[0] if target else None, "target_country": target[1] if target else None,
            "undirected": undirected, "day": day, "date": day, "published": day, "outlet": outlet,
            "goldstein": -9.0, "quad_class": 4, "confidence": confidence, "sentence_start": 0,
            "sentence_end": len(sentence), "sentence_text": sentence}


def test_same_event_in_many_articles_is_one_story():
    rows = [row(1, "2025-06-01", outlet="a.example"),
            row(2, "2025-06-02", outlet="b.example", source=("Russian forces", "RUS")),
            row(3, "2025-06-02", outlet="b.example", confidence=0.95, sentence="Russian troops hit Kharkiv.")]
    stories, links = build_stories(rows)
    assert len(stories) == 1
    s = stories[0]
    assert (s["num_mentions"], s["num_articles"], s["num_sources"]) == (3, 3, 2)
    assert s["first_reported"] == "2025-06-01" and s["first_article_id"] == "art1"
    assert s["evidence_text"] == "Russian troops hit Kharkiv."  # the strongest mention
    assert {l["event_row"] for l in links} == {r["id"] for r in rows}


def test_dates_beyond_the_window_are_new_stories():
    later = f"2025-06-{1 + WINDOW_DAYS + 1:02d}"
    stories, _ = build_stories([row(1, "2025-06-01"), row(2, later)])
    assert len(stories) == 2
    chained, _ = build_stories([row(1, "2025-06-01"), row(2, "2025-06-03"), row(3, "2025-06-05")])
    assert len(chained) == 1  # each mention within the window of the one before


def test_type_status_and_parties_keep_events_apart():
    rows = [row(1, "2025-06-01"), row(2, "2025-06-01", type="ACCUSE"),
            row(3, "2025-06-01", status="threatened"), row(4, "2025-06-01", source=("Belarus", "BLR")),
            row(5, "2025-06-01", status="reported")]
    stories, _ = build_stories(rows)
    assert len(stories) == 4  # "reported" is the same fact as "asserted"; the others differ


def test_undirected_events_match_either_order():
    a = row(1, "2025-06-01", type="AGREE", source=("Russia", "RUS"), target=("Ukraine", "UKR"), undirected=True)
    b = row(2, "2025-06-01", type="AGREE", source=("Ukraine", "UKR"), target=("Russia", "RUS"), undirected=True)
    # A report that tells the same agreement as one side's act is still that agreement.
    c = row(3, "2025-06-01", type="AGREE", source=("Ukraine", "UKR"), target=("Russia", "RUS"))
    stories, _ = build_stories([a, b, c])
    assert [s["num_mentions"] for s in stories] == [3]


def test_directed_events_in_opposite_directions_stay_apart():
    there = row(1, "2025-06-01", type="ACCUSE")
    back = row(2, "2025-06-01", type="ACCUSE", source=("Ukraine", "UKR"), target=("Russia", "RUS"))
    both = row(3, "2025-06-01", type="ACCUSE", undirected=True)
    stories, links = build_stories([there, back, both])
    assert sorted(s["num_mentions"] for s in stories) == [1, 2]
    story_of = {l["event_row"]: l["story_id"] for l in links}
    assert story_of[there["id"]] != story_of[back["id"]]


def test_a_leader_and_the_country_are_one_party():
    rows = [row(1, "2025-06-01", source=("Vladimir Putin", "RUS"), target=("Volodymyr Zelensky", "UKR")),
            row(2, "2025-06-02", source=("Russia", "RUS"), target=("Ukraine", "UKR"), outlet="b.example")]
    stories, _ = build_stories(rows)
    assert [(s["num_mentions"], s["num_sources"]) for s in stories] == [(2, 2)]


def test_an_undated_mention_joins_the_dated_story():
    dated = row(1, "2025-06-01", article="x")
    undated = row(2, None, article="y", outlet="b.example")
    undated["published"] = None
    stories, _ = build_stories([dated, undated])
    assert [(s["num_mentions"], s["num_articles"], s["first_date"]) for s in stories] == [(2, 2, "2025-06-01")]


def test_undated_events_stay_in_their_article():
    stories, _ = build_stories([row(1, None, article="x"), row(2, None, article="x"), row(3, None, article="y")])
    assert sorted(s["num_mentions"] for s in stories) == [1, 2]


def test_story_ids_are_stable():
    rows = [row(i, f"2025-06-0{i}") for i in range(1, 4)]
    assert build_stories(rows) == build_stories(list(reversed(rows)))


def test_a_mention_naming_one_side_joins_the_story_of_that_side():
    """"Putin arrived for the summit" (one side) is the summit two other reports tell with both."""
    meet = dict(type="CONSULT", source=("Donald Trump", "USA"), target=("Vladimir Putin", "RUS"))
    rows = [row(1, "2025-07-16", **meet, article="a1", outlet="a.example"),
            row(2, "2025-07-16", **meet, article="a2", outlet="b.example"),
            row(3, "2025-07-16", type="CONSULT", source=("Vladimir Putin", "RUS"), target=None, article="a3",
                outlet="c.example"),
            # the same side, another type: another event
            row(4, "2025-07-16", type="ACCUSE", source=("Vladimir Putin", "RUS"), target=None, article="a3"),
            # the same type, but weeks later: another meeting
            row(5, "2025-08-20", type="CONSULT", source=("Vladimir Putin", "RUS"), target=None, article="a4")]
    stories, _ = build_stories(rows)
    summit = max(stories, key=lambda s: s["num_articles"])
    assert (summit["num_articles"], summit["num_sources"]) == (3, 3)
    assert len(stories) == 3


def test_a_meeting_has_no_direction_and_its_announcement_is_the_same_event():
    a = row(1, "2025-07-16", type="CONSULT", source=("Donald Trump", "USA"), target=("Vladimir Putin", "RUS"))
    b = row(2, "2025-07-16", type="CONSULT", source=("Vladimir Putin", "RUS"), target=("Donald Trump", "USA"))
    c = row(3, "2025-07-15", type="CONSULT", status="planned", source=("Donald Trump", "USA"),
            target=("Vladimir Putin", "RUS"))
    stories, _ = build_stories([a, b, c])
    assert [s["num_mentions"] for s in stories] == [3]
    # an attack is directed: who struck whom stays apart
    x = row(4, "2025-07-16", source=("Russia", "RUS"), target=("Ukraine", "UKR"))
    y = row(5, "2025-07-16", source=("Ukraine", "UKR"), target=("Russia", "RUS"))
    assert len(build_stories([x, y])[0]) == 2
