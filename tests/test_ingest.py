"""Ingest and fetching against a real local HTTP server serving pages and feeds written by us."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventwire.cli import main
from eventwire.errors import FetchError
from eventwire.ingest.fetch import Fetcher, fetch_article, iter_url, looks_like_feed, parse_feed
from eventwire.ingest.sources import Failure
from eventwire.store.base import open_store
from eventwire.store.ingest import ingest

DATA = Path(__file__).parent / "data" / "ingest"
STORE_DATA = Path(__file__).parent / "data" / "store"


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter = Counter()
        self.times: dict[str, list[float]] = {}
        self.flaky_left = 2

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        self.server.hits[path] += 1
        self.server.times.setdefault(path, []).append(time.monotonic())
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/news/") and (DATA / path[6:]).exists():
            return self._send(200, (DATA / path[6:]).read_bytes())
        if path == "/feeds/rss.xml":
            return self._send(200, (DATA / "rss.xml").read_bytes(), "application/rss+xml")
        if path == "/feeds/atom.xml":
            # served as plain XML: recognised as a feed by its content
            return self._send(200, (DATA / "atom.xml").read_bytes(), "application/xml")
        if path == "/flaky":
            if self.server.flaky_left > 0:
                self.server.flaky_left -= 1
                return self._send(503, b"busy", headers=[("Retry-After", "0")])
            return self._send(200, (DATA / "aid.html").read_bytes())
        if path == "/slow":
            time.sleep(2)
            return self._send(200, b"late")
        if path == "/too-long-wait":
            return self._send(429, b"", headers=[("Retry-After", "3600")])
        return self._send(404, b"not here")


@pytest.fixture
def site():
    server = Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def fast(**kw) -> Fetcher:
    # The test site is on loopback, which a fetcher refuses unless allowed on purpose.
    return Fetcher(**{"delay": 0.0, "backoff": 0.01, "timeout": 5.0, "allow_hosts": ["127.0.0.1"], **kw})


def test_rss_and_atom_entries(site):
    rss = parse_feed((DATA / "rss.xml").read_bytes(), site.base + "/feeds/rss.xml")
    assert [e.url for e in rss] == [site.base + "/news/talks.html", site.base + "/news/strike.html",
                                    site.base + "/news/gone.html"]
    assert rss[0].title == "Envoys meet in Ankara" and rss[0].published == "2025-06-10"
    atom = parse_feed((DATA / "atom.xml").read_bytes(), site.base + "/feeds/atom.xml")
    assert [e.url for e in atom] == [site.base + "/news/aid.html", site.base + "/news/strike.html"]
    assert atom[1].published == "2025-06-11"
    assert looks_like_feed((DATA / "atom.xml").read_bytes(), "application/xml")
    assert not looks_like_feed((DATA / "aid.html").read_bytes(), "text/html")
    with pytest.raises(FetchError):
        parse_feed(b"<rss><channel><item>", "broken")


def test_page_becomes_an_article(site):
    art = fetch_article(site.base + "/news/talks.html", fetcher=fast())
    assert art.url == site.base + "/news/talks.html"
    assert "Hakan Fidan" in art.text and "Home | World" not in art.text
    assert art.title == "Envoys meet in Ankara"


def test_transient_errors_are_retried(site):
    resp = fast(retries=2).get(site.base + "/flaky")
    assert resp.status == 200 and site.hits["/flaky"] == 3


def test_client_errors_are_not_retried(site):
    with pytest.raises(FetchError) as err:
        fast(retries=3).get(site.base + "/news/nothing.html")
    assert "HTTP 404" in str(err.value) and site.hits["/news/nothing.html"] == 1
    assert err.value.code == "E501"


def test_timeouts_and_long_retry_after_fail_cleanly(site):
    with pytest.raises(FetchError) as err:
        fast(timeout=0.3, retries=1).get(site.base + "/slow")
    assert "timed out" in str(err.value) and site.hits["/slow"] == 2
    with pytest.raises(FetchError) as err:
        fast(retries=3).get(site.base + "/too-long-wait")
    assert "retry after" in str(err.value) and site.hits["/too-long-wait"] == 1


def test_robots_txt_is_honoured(site):
    with pytest.raises(FetchError) as err:
        fast().get(site.base + "/private/page.html")
    assert "robots.txt" in str(err.value) and site.hits["/private/page.html"] == 0


def test_requests_to_one_host_are_spaced(site):
    fetcher = fast(delay=0.3)
    for _ in range(3):
        fetcher.get(site.base + "/news/aid.html")
    times = site.times["/news/aid.html"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.25


def test_feed_ingest_is_idempotent_and_skips_stored_entries_before_fetching(site, tmp_path, pipeline):
    with open_store(str(tmp_path / "feed.db")) as store:
        failures: list[Failure] = []
        report = ingest([site.base + "/feeds/rss.xml"], store, fetcher=fast(), pipeline=pipeline,
                        on_failure=failures.append)
        assert report.added == 2 and len(report.failures) == 1
        assert "gone.html" in failures[0].item and failures[0].error.code == "E501"
        stored = {a["url"]: a for a in store.articles()}
        assert stored[site.base + "/news/talks.html"]["published"] == "2025-06-10"
        assert stored[site.base + "/news/talks.html"]["title"] == "Envoys meet in Ankara"
        counts = store.counts()
        page_hits = site.hits["/news/talks.html"]

        again = ingest([site.base + "/feeds/rss.xml", site.base + "/feeds/atom.xml"], store, fetcher=fast(),
                       pipeline=pipeline)
        # The Atom feed adds the one new article; the rest are known by URL and never fetched again.
        assert again.added == 1 and again.skipped == 3
        assert site.hits["/news/talks.html"] == page_hits
        assert store.counts()["articles"] == counts["articles"] + 1


def test_repeats_within_one_run_are_stored_once(tmp_path, pipeline):
    dump = tmp_path / "dump.jsonl"
    grain = (STORE_DATA / "grain.txt").read_text("utf-8")
    dump.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": grain, "published": "2025-06-04"},
        {"id": "b", "text": grain, "published": "2025-06-04"},
        {"id": "c", "text": (STORE_DATA / "talks.txt").read_text("utf-8"), "published": "2025-06-09"},
    ]) + "\n", "utf-8")
    with open_store(str(tmp_path / "dump.db")) as store:
        report = ingest([str(dump)], store, pipeline=pipeline)
        assert (report.added, report.skipped) == (2, 1)
        assert report.stories and store.counts()["stories"] == report.stories


def test_ingest_command_twice_and_a_bad_item(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    items = [str(STORE_DATA / "grain.txt"), str(tmp_path / "missing.txt"), str(STORE_DATA / "talks.txt")]
    assert main(["ingest", *items, "--db", db, "--published", "2025-06-09"]) == 3
    out, err = capsys.readouterr()
    assert "added 2 articles" in out and "E101" in err and "2 of 3 items processed" in err
    with open_store(db) as store:
        first = store.counts()
    assert main(["ingest", items[0], items[2], "--db", db]) == 0
    out, _ = capsys.readouterr()
    assert "added 0 articles" in out and "skipped 2" in out
    with open_store(db) as store:
        assert store.counts() == first


def test_ingest_command_rejects_bad_options(tmp_path, capsys):
    assert main(["ingest", str(STORE_DATA / "grain.txt"), "--db", str(tmp_path / "x.db"),
                 "--published", "someday"]) == 1
    assert "E109" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["ingest", str(STORE_DATA / "grain.txt"), "--workers", "0"])


def test_unreachable_feed_is_one_failure(tmp_path):
    items = list(iter_url("http://127.0.0.1:9/feed.xml", fetcher=fast(retries=0, timeout=1)))
    assert len(items) == 1 and isinstance(items[0], Failure) and items[0].error.code == "E501"
