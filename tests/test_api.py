"""The read API over a real store filled by the real pipeline from a few short texts of our own."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs the server extra: pip install -e '.[server]'")
from fastapi.testclient import TestClient  # noqa: E402

from eventwire.api import create_app  # noqa: E402
from eventwire.model import PLOVER_TYPES  # noqa: E402

API_DATA = Path(__file__).parent / "data" / "api"


def api_articles() -> list[dict]:
    """Our fixture articles: id, title, url, published and text."""
    items = json.loads((API_DATA / "articles.json").read_text("utf-8"))
    for item in items:
        item["text"] = (API_DATA / item.pop("file")).read_text("utf-8")
    return items


def fill_store(url: str, pipeline, extra: list[dict] = ()) -> dict[str, str]:
    """Extract our fixture articles (and ``extra`` ones) into the store at ``url``; returns
    fixture id → stored article id."""
    from eventwire.pipeline import Article
    from eventwire.store.base import open_store

    items = api_articles() + list(extra)
    docs = pipeline.pipe([Article(text=i["text"], id=i["id"], title=i.get("title"), url=i.get("url"),
                                  published=i.get("published"), published_source="input") for i in items])
    ids = {}
    try:
        store = open_store(url)
    except NotImplementedError:
        pytest.skip("the store is not implemented yet (eventwire/store/sqlite.py)")
    try:
        for item, doc in zip(items, docs):
            ids[item["id"]] = store.add_document(doc, source="test").article_id
        for rebuild in (store.rebuild_stories, store.rebuild_positions):
            try:
                rebuild()
            except NotImplementedError:
                pass
    finally:
        store.close()
    return ids


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, pipeline):
    url = str(tmp_path_factory.mktemp("api") / "api.db")
    fill_store(url, pipeline)
    return url


@pytest.fixture(scope="module")
def client(store_url):
    with TestClient(create_app(store_url, max_limit=50)) as c:
        yield c


def test_openapi_documents_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/actors",
                 "/api/stories", "/api/stories/{story_id}", "/api/positions", "/api/search",
                 "/api/summary", "/api/ingest", "/api/meta"):
        assert path in paths, path
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "type", "status", "since", "until", "q", "limit", "offset"} <= params


def test_docs_page_uses_vendored_files_not_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    if "/docs-static/" in page.text:  # swagger-ui-bundle installed: its script is served by us
        assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200


def test_meta_counts_what_was_stored(client):
    meta = client.get("/api/meta").json()
    assert meta["counts"]["articles"] == len(api_articles())
    assert meta["counts"]["events"] > 0
    assert meta["writable"] is False


def test_article_comes_with_its_document_and_valid_offsets(client):
    rows = client.get("/api/articles").json()["items"]
    assert len(rows) == len(api_articles())
    some = next(r for r in rows if "Kharkiv" in (r.get("title") or ""))
    art = client.get(f"/api/articles/{some['id']}").json()
    doc = art["document"]
    if isinstance(doc, str):
        doc = json.loads(doc)
    text = doc["text"]
    assert "Kharkiv" in text
    assert doc["events"], "the shelling report has events"
    for e in doc["events"]:
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]


def test_unknown_article_is_404_with_a_code(client):
    r = client.get("/api/articles/no-such-article")
    assert r.status_code == 404
    assert r.json()["error"].startswith("E")


def test_event_filters(client):
    everything = client.get("/api/events", params={"limit": 50}).json()["items"]
    assert everything
    types = {e["type"] for e in everything}
    assert types <= set(PLOVER_TYPES)
    some_type = sorted(types)[0]
    only = client.get("/api/events", params={"type": some_type.lower(), "limit": 50}).json()["items"]
    assert only and all(e["type"] == some_type for e in only)
    assert len(only) == sum(1 for e in everything if e["type"] == some_type)

    status = everything[0]["status"]
    by_status = client.get("/api/events", params={"status": status, "limit": 50}).json()["items"]
    assert by_status and all(e["status"] == status for e in by_status)

    # Dates: the shelling report is the only one published on 2025-05-21.
    day = client.get("/api/events", params={"since": "2025-05-21", "until": "2025-05-21", "limit": 50}).json()
    later = client.get("/api/events", params={"since": "2025-05-22", "limit": 50}).json()
    assert day["items"] and later["items"]
    # Events on one day are in one window only; an event dated by a span ("2025-SP") is in every
    # window its days overlap.
    def one_day(page):
        return {json.dumps(e, sort_keys=True) for e in page["items"] if e["date_start"] == e["date_end"]}

    assert not one_day(day) & one_day(later)
    assert all(e["date_start"] <= "2025-05-21" <= e["date_end"] for e in day["items"])

    ukraine = client.get("/api/events", params={"actor": "Ukraine", "limit": 50}).json()["items"]
    nobody = client.get("/api/events", params={"actor": "Atlantis Republic", "limit": 50}).json()["items"]
    assert ukraine and not nobody


def test_pagination_is_disjoint_and_capped(client):
    first = client.get("/api/events", params={"limit": 3, "offset": 0}).json()
    second = client.get("/api/events", params={"limit": 3, "offset": 3}).json()
    assert first["count"] == 3 and second["count"] >= 1
    dump = lambda page: {json.dumps(e, sort_keys=True) for e in page["items"]}  # noqa: E731
    assert not dump(first) & dump(second)
    huge = client.get("/api/events", params={"limit": 100000}).json()
    assert huge["limit"] == 50 and huge["count"] <= 50   # this app was created with max_limit=50


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": "ten"}, {"offset": -1}, {"offset": 10**30}, {"since": "yesterday"},
    {"until": "2025-13"}, {"type": "DANCE"}, {"status": "maybe"},
])
def test_bad_parameters_are_one_line_422s(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "E704" and "\n" not in body["detail"]
    assert "Traceback" not in r.text


def test_search_finds_words_of_the_text(client):
    hits = client.get("/api/search", params={"q": "Zaporizhzhia"}).json()["items"]
    assert len(hits) == 1 and "Moscow sets out its terms" in json.dumps(hits)
    assert client.get("/api/search", params={"q": "xylophone"}).json()["items"] == []


def test_actors_stories_positions_answer(client):
    actors = client.get("/api/actors").json()["items"]
    names = json.dumps(actors)
    assert "Russia" in names and "Ukraine" in names
    assert client.get("/api/stories").status_code == 200
    assert client.get("/api/positions").status_code == 200
    assert client.get("/api/stories/no-such-story").status_code == 404


def test_summary_draws_cooperation_and_conflict(client):
    summary = client.get("/api/summary").json()
    assert summary["events"] > 0
    days = [d["date"] for d in summary["timeline"]]
    assert days == sorted(days) and "2025-05-21" in days
    kinds = {e["kind"] for e in summary["network"]["edges"]}
    # The prisoner swap is cooperation; shelling and accusations are conflict.
    assert "cooperation" in kinds or "mixed" in kinds
    assert "conflict" in kinds or "mixed" in kinds
    names = {n["id"] for n in summary["network"]["nodes"]}
    assert {"Russia", "Ukraine"} <= names


def test_dashboard_and_its_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_serve_with_a_bad_store_is_one_line_error(tmp_path, capsys):
    from eventwire.cli import main

    status = main(["serve", "--db", str(tmp_path / "no" / "such" / "dir" / "x.db"), "--port", "1"])
    err = capsys.readouterr().err.strip()
    assert status == 1
    assert err.startswith("error: E301") and "\n" not in err and "Traceback" not in err


@pytest.mark.postgres
def test_the_same_api_over_postgresql(pipeline, client):
    """The API over PostgreSQL answers as it does over SQLite for the same articles."""
    from eventwire.store import pgcluster

    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    with pgcluster.server() as server_url:
        url = pgcluster.fresh_database(server_url)
        fill_store(url, pipeline)
        with TestClient(create_app(url, max_limit=50)) as pg:
            lite_counts = client.get("/api/meta").json()["counts"]
            pg_counts = pg.get("/api/meta").json()["counts"]
            for table in ("articles", "events", "quotes", "claims", "timexes"):
                assert pg_counts[table] == lite_counts[table], table
            for params in ({"type": "ASSAULT"}, {"actor": "Ukraine"}, {"since": "2025-05-22"}):
                a = {e["event_id"] + e["type"] for e in client.get("/api/events", params=params).json()["items"]}
                b = {e["event_id"] + e["type"] for e in pg.get("/api/events", params=params).json()["items"]}
                assert a == b, params
            some = pg.get("/api/articles").json()["items"][0]
            art = pg.get(f"/api/articles/{some['id']}").json()
            assert art["document"]["text"]
            assert pg.get("/api/search", params={"q": "Zaporizhzhia"}).json()["count"] == 1
            for bad in ("' OR 1=1 --", "\"; DROP TABLE events; --", "\\", "AND OR NOT ("):
                for path, name in (("/api/events", "actor"), ("/api/events", "q"), ("/api/search", "q"),
                                   ("/api/actors", "q"), ("/api/articles", "q")):
                    r = pg.get(path, params={name: bad})
                    assert r.status_code == 200, (path, name, bad, r.text[:200])
                    assert "psycopg" not in r.text and "syntax" not in r.text.lower()
            assert pg.get("/api/meta").json()["counts"] == pg_counts
            assert pg.get("/api/summary").json()["events"] == pg_counts["events"]
            # The summary and the network's edges are aggregated by the database: the same on both.
            lite_net, pg_net = client.get("/api/summary").json()["network"], pg.get("/api/summary").json()["network"]
            assert lite_net["nodes"] == pg_net["nodes"]
            assert {(e["source"], e["target"], e["count"]) for e in lite_net["edges"]} == \
                   {(e["source"], e["target"], e["count"]) for e in pg_net["edges"]}
            edge = lite_net["edges"][0]
            pair = {"source": edge["source"], "target": edge["target"]}
            assert pg.get("/api/network/edge", params=pair).json()["count"] == edge["count"]
