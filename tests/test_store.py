"""The store, on SQLite and on PostgreSQL: the same tests, through one parametrised fixture.

Documents come from the real pipeline over short articles written for these tests
(tests/data/store). PostgreSQL runs in a throwaway cluster this module starts itself when Debian's
server binaries exist (or at EVENTWIRE_TEST_PG_URL); otherwise those cases skip with the reason.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from eventwire.errors import StoreError
from eventwire.model import Document
from eventwire.pipeline import Article
from eventwire.store import neardup, pgcluster
from eventwire.store.base import open_store
from eventwire.store.sql import LATEST_VERSION, TABLES

DATA = Path(__file__).parent / "data" / "store"


def store_articles() -> list[Article]:
    items = json.loads((DATA / "articles.json").read_text("utf-8"))
    return [Article(text=(DATA / i["file"]).read_text("utf-8"), id=i["id"], title=i["title"],
                    url=i["url"], published=i["published"], published_source="input") for i in items]


@pytest.fixture(scope="module")
def docs(pipeline) -> dict[str, Document]:
    return {d.id: d for d in pipeline.pipe(store_articles())}


@pytest.fixture(scope="session")
def pg_server():
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'eventwire[server]')")
    with pgcluster.server() as url:
        yield url


def _open(kind: str, tmp_path, request):
    if kind == "sqlite":
        return open_store(str(tmp_path / "events.db"))
    server = request.getfixturevalue("pg_server")
    return open_store(pgcluster.fresh_database(server))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    s = _open(request.param, tmp_path, request)
    yield s
    s.close()


@pytest.fixture
def filled(store, docs):
    for d in docs.values():
        store.add_document(d, source="test")
    return store


def test_adding_twice_adds_nothing(store, docs):
    first = store.add_document(docs["grain"], source="test")
    before = store.counts()
    again = store.add_document(docs["grain"], source="test")
    assert first.added and not again.added and again.article_id == first.article_id
    assert store.counts() == before
    # The same text under another URL is the same article (content hash) …
    assert not store.add_document(replace(docs["grain"], url="https://elsewhere.example/x")).added
    # … and so is another text at a URL already stored.
    assert not store.add_document(replace(docs["talks"], url=docs["grain"].url)).added
    assert store.has_article(url=docs["grain"].url)
    assert store.has_article(content_hash=neardup.content_hash(docs["grain"].text))
    assert not store.has_article(url="https://nowhere.example/", content_hash="0" * 64)


def test_counts_are_the_documents_facts(filled, docs):
    counts = filled.counts()
    assert set(TABLES) <= set(counts)
    assert counts["articles"] == len(docs)
    for table, attr in (("events", "events"), ("quotes", "quotes"), ("actors", "actors"),
                        ("timexes", "timexes"), ("claims", "claims")):
        assert counts[table] == sum(len(getattr(d, attr)) for d in docs.values()), table
    assert counts["events"] > 0


def test_article_round_trips_its_document(filled, docs):
    doc = docs["drones"]
    row = filled.article(filled.articles(q="Odesa drones", limit=5)[-1]["id"])
    assert row["document"]["text"] in (doc.text, docs["drones-wire"].text)
    by_external = filled.article("grain")
    assert by_external["document"] == docs["grain"].to_dict()
    assert by_external["title"] == "Grain corridor extended" and by_external["outlet"] == "news.example.com"
    assert filled.article("no-such-article") is None


def test_event_rows_carry_their_evidence(filled, docs):
    rows = filled.events(limit=500)
    assert len(rows) == filled.counts()["events"]
    texts = {filled.article(r["article_id"])["document"]["text"] for r in rows[:1]}
    assert texts
    for r in rows:
        text = filled.article(r["article_id"])["text"]
        assert text[r["trigger_start"]:r["trigger_end"]] == r["trigger_text"]
        assert text[r["sentence_start"]:r["sentence_end"]] == r["sentence_text"]
        if r["source_start"] is not None:
            assert r["source_name"]
        assert r["day"] == (r["date"] if r["date"] and len(r["date"]) == 10 else r["published"])[:10]
        assert r["date_start"] <= r["day"] <= r["date_end"] or not r["date"] or len(r["date"]) != 10


def test_event_filters(filled):
    everything = filled.events(limit=500)
    some_type = everything[0]["type"]
    assert all(r["type"] == some_type for r in filled.events(type=some_type.lower(), limit=500))
    assert len(filled.events(type=some_type, limit=500)) == sum(r["type"] == some_type for r in everything)
    assert filled.count_events(type=some_type) == sum(r["type"] == some_type for r in everything)

    ukraine = filled.events(actor="Ukraine", limit=500)
    assert ukraine and all("UKR" in (r["source_country"], r["target_country"])
                           or "ukrain" in f"{r['source_name']} {r['target_name']}".lower() for r in ukraine)
    assert filled.events(actor="UKR", limit=500)
    assert filled.events(actor="Atlantis", limit=500) == []

    june9 = filled.events(since="2025-06-09", limit=500)
    assert june9 and all(r["date_end"] >= "2025-06-09" for r in june9)
    early = filled.events(until="2025-06-04", limit=500)
    assert all(r["date_start"] <= "2025-06-04" for r in early)
    assert not {r["id"] for r in june9} & {r["id"] for r in early}

    grain = filled.events(q="grain corridor", limit=500)
    assert grain and {r["article_id"] for r in grain} == {filled.article("grain")["id"]}

    page1, page2 = filled.events(limit=3), filled.events(limit=3, offset=3)
    assert len(page1) == 3 and not {r["id"] for r in page1} & {r["id"] for r in page2}


@pytest.mark.parametrize("nasty", ["'; DROP TABLE events; --", 'AND OR NOT "(*', "%_\\", "NEAR(a b)", "\u0000qqzz"])
def test_hostile_filter_values_are_only_values(filled, nasty):
    before = filled.counts()
    assert filled.events(actor=nasty, limit=5) == []
    filled.search(nasty)
    filled.articles(q=nasty)
    filled.actors(q=nasty)
    assert filled.counts() == before


def test_full_text_search(filled):
    hits = filled.search("fertiliser")
    assert [h["title"] for h in hits] == ["Grain corridor extended"]
    assert "fertiliser" in hits[0]["snippet"].lower()
    assert filled.search("xylophone") == []
    assert filled.search("   ") == []
    assert {a["title"] for a in filled.articles(q="Lithuania")} == {"Finland and Germany sign defence pact"}


def test_republished_story_is_linked_as_near_duplicate(filled):
    original, wire = filled.article("drones"), filled.article("drones-wire")
    assert wire["near_duplicate_of"] == original["id"] and wire["similarity"] >= neardup.NEAR_DUPLICATE_THRESHOLD
    assert original["near_duplicate_of"] is None
    assert wire["id"] in original["near_duplicates"]
    assert filled.article("talks")["near_duplicate_of"] is None


def test_actors_are_grouped_across_articles(filled):
    rows = filled.actors(limit=200)
    ukraine = next(r for r in rows if r["name"] == "Ukraine")
    assert ukraine["articles"] >= 2 and ukraine["country"] == "UKR"
    assert all(r["name"] for r in rows)
    assert [r["name"] for r in filled.actors(q="ukr")][:1]


def test_stories_merge_the_republished_event(filled):
    n = filled.rebuild_stories()
    assert n == filled.counts()["stories"] > 0
    stories = filled.stories(limit=500)
    assert sum(s["num_mentions"] for s in stories) == filled.counts()["events"]
    # The Odesa strike is told by two outlets: one story, two articles, two sources.
    shared = [s for s in stories if s["num_articles"] == 2]
    assert shared and all(s["num_sources"] == 2 for s in shared)
    story = filled.story(shared[0]["id"])
    assert len(story["mentions"]) == story["num_mentions"]
    assert story["evidence_text"] in {m["sentence_text"] for m in story["mentions"]}
    assert filled.rebuild_stories() == n  # rebuilding is deterministic
    assert filled.story("S-none") is None


def test_one_article_is_one_transaction(store, docs):
    broken = replace(docs["talks"], events=[*docs["talks"].events, replace(docs["talks"].events[0], trigger=None)])
    with pytest.raises(AttributeError):
        store.add_document(broken)
    assert all(v == 0 for v in store.counts().values())
    assert store.add_document(docs["talks"]).added


def test_events_frame(filled):
    frame = filled.events_frame()
    assert len(frame) == filled.counts()["events"]
    assert {"type", "status", "source_name", "target_name", "day", "trigger_text"} <= set(frame.columns)


def test_schema_is_versioned(store):
    assert store.schema_version() == LATEST_VERSION


def test_sqlite_file_is_readable_by_plain_sqlite(tmp_path, docs):
    path = tmp_path / "plain.db"
    with open_store(f"sqlite:///{path}") as s:
        s.add_document(docs["grain"])
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = [r[1] for r in con.execute("PRAGMA table_info(events)")]
    assert {"type", "status", "date", "source_name", "source_country", "target_name", "trigger_start",
            "trigger_text", "sentence_text", "article_id"} <= set(cols)
    assert con.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'corridor'").fetchone()[0] == 1
    con.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_store(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(LATEST_VERSION + 1),))
    con.commit()
    con.close()
    with pytest.raises(StoreError) as err:
        open_store(str(path))
    assert err.value.code == "E302"


def test_unopenable_store_is_one_line_error(tmp_path):
    with pytest.raises(StoreError) as err:
        open_store(str(tmp_path / "no" / "such" / "dir" / "x.db"))
    assert err.value.code == "E301"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError) as err:
        open_store(str(junk))
    assert err.value.code == "E301" and "\n" not in err.value.one_line()


@pytest.mark.postgres
def test_sqlite_and_postgres_hold_the_same_rows(tmp_path, docs, pg_server):
    stores = [open_store(str(tmp_path / "same.db")), open_store(pgcluster.fresh_database(pg_server))]
    try:
        for s in stores:
            for d in docs.values():
                s.add_document(d, source="test")
            s.rebuild_stories()
        lite, pg = stores
        assert lite.counts() == pg.counts()
        assert lite.events(limit=500) == pg.events(limit=500)
        assert lite.stories(limit=500) == pg.stories(limit=500)
        assert lite.actors(limit=500) == pg.actors(limit=500)
    finally:
        for s in stores:
            s.close()


def test_an_older_store_is_migrated_in_place(tmp_path, docs):
    from eventwire.store.sql import migrations, statements

    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    version, sql = migrations("sqlite")[0]
    for stmt in statements(sql):
        con.execute(stmt)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))
    con.commit()
    con.close()
    with open_store(str(path)) as s:
        assert s.schema_version() == LATEST_VERSION > version
        s.add_document(docs["grain"])
        s.rebuild_positions()
    cols = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(positions)")]
    assert "issue_order" in cols


def _dated(doc: Document, article_id: str, dates: list) -> Document:
    """``doc`` as another article whose events carry ``dates`` (as the timex stage writes them)."""
    # as many events as dates: the article's own events, repeated under new ids when it has fewer
    events = [replace(doc.events[i % len(doc.events)], id=f"E{i + 1}", date=d) for i, d in enumerate(dates)]
    return replace(doc, id=article_id, url=f"https://dates.example/{article_id}", events=events,
                   text=doc.text + f"\n\n{article_id}")


def test_weeks_months_and_years_are_found_by_day_ranges(store, docs):
    doc = docs["grain"]
    assert doc.events
    dates = ["2025-W22", "2025-05", "2022", "2025-06-02"] + [None] * max(len(doc.events) - 4, 1)
    store.add_document(_dated(doc, "dated", dates))
    rows = {r["date"]: r for r in store.events(article_id=store.article("dated")["id"], limit=500)}
    assert (rows["2025-W22"]["date_start"], rows["2025-W22"]["date_end"]) == ("2025-05-26", "2025-06-01")
    assert (rows["2025-05"]["date_start"], rows["2025-05"]["date_end"]) == ("2025-05-01", "2025-05-31")
    assert (rows["2022"]["date_start"], rows["2022"]["date_end"]) == ("2022-01-01", "2022-12-31")
    assert rows["2025-06-02"]["date_start"] == rows["2025-06-02"]["date_end"] == "2025-06-02"
    undated = [r for d, r in rows.items() if d is None]
    assert all(r["date_start"] == r["date_end"] == doc.published[:10] for r in undated)

    def found(**window):
        return {r["date"] for r in store.events(limit=500, **window)} - {None}

    assert found(since="2025-05-30", until="2025-05-30") == {"2025-W22", "2025-05"}
    assert found(since="2022-07-01", until="2022-07-31") == {"2022"}
    assert found(since="2025-06-01", until="2025-06-03") == {"2025-W22", "2025-06-02"}
    assert found(until="2024-12-31") == {"2022"}
    assert found(since="2025-06-02") == {"2025-06-02"}
    assert store.count_events(since="2025-05-30", until="2025-05-30") == len(found(since="2025-05-30", until="2025-05-30"))


@pytest.mark.parametrize("wild", ["%", "_", "\\", "!", "50%"])
def test_wildcards_in_an_actor_filter_are_literal(store, docs, wild):
    doc = docs["grain"]
    odd = "Group 50%_\\!"  # a name that literally contains every wildcard
    first = doc.events[0]
    renamed = replace(first, source=replace(first.source, name=odd, country=None)) if first.source else None
    assert renamed is not None
    odd_actor = replace(doc.actors[0], name=odd, country=None)
    store.add_document(replace(doc, events=[renamed, *doc.events[1:]], actors=[odd_actor, *doc.actors[1:]]))
    store.add_document(docs["talks"])
    assert [a["name"] for a in store.actors(q=wild, limit=500)] == [odd]
    assert {r["source_name"] for r in store.events(actor=wild, limit=500)} == {odd}
    assert store.actors(q="%%%", limit=500) == [] and store.events(actor="__", limit=500) == []


def test_the_events_page_and_actor_counts_read_indexes(tmp_path, docs):
    """SQLite's plan: one page of events is read in index order (no sort of every event), and the
    actors listing counts each side from covering indexes, never from the event rows."""
    with open_store(str(tmp_path / "plan.db")) as s:
        for d in docs.values():
            s.add_document(d)
        s.events(limit=5)  # the query runs
        con = s.conn
        page = con.execute("EXPLAIN QUERY PLAN SELECT e.*, a.title FROM events e JOIN articles a "
                           "ON a.id = e.article_id ORDER BY e.day DESC NULLS LAST, e.article_id, e.seq "
                           "LIMIT 100").fetchall()
        details = " | ".join(r[3] for r in page)
        assert "USING INDEX events_page" in details and "TEMP B-TREE" not in details, details
        typed = " | ".join(r[3] for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT e.* FROM events e WHERE e.type = 'AGREE' "
            "ORDER BY e.day DESC NULLS LAST, e.article_id, e.seq LIMIT 100"))
        assert "events_type_page" in typed and "TEMP B-TREE" not in typed, typed
        sides = " | ".join(r[3] for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT source_name, source_country, count(*) FROM events "
            "WHERE source_name IS NOT NULL GROUP BY source_name, source_country"))
        assert "COVERING INDEX events_source_party" in sides, sides
