"""The API's answers follow the store: the data version, the response cache, the aggregated summary,
and the events of one network edge."""
from __future__ import annotations

import time

import pytest

pytest.importorskip("fastapi", reason="the API needs the server extra: pip install -e '.[server]'")
from fastapi.testclient import TestClient  # noqa: E402

from eventwire.api import create_app, summarise_events, summarise_groups  # noqa: E402
from eventwire.pipeline import Article  # noqa: E402
from eventwire.store.base import open_store  # noqa: E402
from test_api import fill_store  # noqa: E402

LATE = ("Turkey and Greece signed a maritime agreement on Monday, the two foreign ministries said. "
        "Greece welcomed the deal and invited Turkey to further talks in Athens.")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, pipeline):
    url = str(tmp_path_factory.mktemp("cache") / "cache.db")
    fill_store(url, pipeline)
    return url


def without_means(summary: dict) -> dict:
    """The summary with each edge's mean Goldstein rounded coarsely (sums taken in another order
    differ in the last digit)."""
    for e in summary["network"]["edges"]:
        e["goldstein"] = round(e["goldstein"], 1)
    return summary


def test_the_aggregated_summary_equals_the_one_from_every_event(store_url):
    with open_store(store_url) as store:
        rows = list(store.iter_events())
        assert rows
        for nodes in (3, 150):
            by_sql = summarise_groups(store.event_summary(max_nodes=nodes))
            by_rows = summarise_events(rows, max_nodes=nodes)
            assert without_means(by_sql) == without_means(by_rows)
            assert len(by_sql["network"]["nodes"]) <= nodes
        some_type = rows[0]["type"]
        typed = summarise_groups(store.event_summary(type=some_type))
        assert typed["events"] == sum(1 for r in rows if r["type"] == some_type)


def test_every_write_changes_the_data_version(tmp_path, pipeline):
    url = str(tmp_path / "v.db")
    with open_store(url) as store:
        v0 = store.data_version()
        doc = next(pipeline.pipe([Article(text=LATE, id="late", published="2025-06-02")]))
        assert store.add_document(doc).added
        v1 = store.data_version()
        assert not store.add_document(doc).added        # nothing new: the same version
        assert store.data_version() == v1 != v0
        store.rebuild_stories()
        assert store.data_version() != v1


def test_an_ingest_by_another_process_reaches_cached_answers(tmp_path, pipeline, store_url):
    import shutil

    url = str(tmp_path / "copy.db")
    with open_store(store_url):
        pass
    shutil.copyfile(store_url, url)
    with TestClient(create_app(url)) as client:
        before = client.get("/api/events", params={"limit": 500}).json()["count"]
        summary_before = client.get("/api/summary").json()["events"]
        assert client.get("/api/events", params={"limit": 500}).json()["count"] == before   # from the cache
        # Another connection (as `eventwire ingest` in another process would) adds an article.
        with open_store(url) as writer:
            doc = next(pipeline.pipe([Article(text=LATE, id="late", published="2025-06-02")]))
            writer.add_document(doc)
        time.sleep(0.7)   # the version is read at most every half second
        after = client.get("/api/events", params={"limit": 500}).json()["count"]
        assert after == before + len(doc.events) > before
        # The summary may be served as it was for a moment while it is recomputed in the background.
        deadline = time.monotonic() + 10
        while client.get("/api/summary").json()["events"] == summary_before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/api/summary").json()["events"] == summary_before + len(doc.events)


def test_network_edge_lists_the_events_of_that_pair(store_url):
    with TestClient(create_app(store_url)) as client:
        edges = client.get("/api/summary").json()["network"]["edges"]
        assert edges
        for edge in edges[:5]:
            got = client.get("/api/network/edge", params={"source": edge["source"], "target": edge["target"]}).json()
            assert got["count"] == edge["count"] == len(got["items"])
            for row in got["items"]:
                pair = {row["source_name"], row["target_name"]}
                assert pair == {edge["source"], edge["target"]}
                assert row["sentence_start"] <= row["trigger_start"] < row["trigger_end"] <= row["sentence_end"]
        assert client.get("/api/network/edge", params={"source": "Nobody", "target": "Nowhere"}).json()["count"] == 0
        assert client.get("/api/network/edge", params={"source": "x"}).status_code == 422
