"""The API lets no one in where they don't belong: tokens, body limits, CORS, injection strings."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the API needs the server extra: pip install -e '.[server]'")
from fastapi.testclient import TestClient  # noqa: E402

from eventwire.api import create_app  # noqa: E402

from test_api import fill_store  # noqa: E402

TOKEN = "s3cret-token-for-tests"
ARTICLE = ("Turkey offered on Monday to host new talks between Russia and Ukraine in Istanbul, "
           "the Turkish foreign ministry said.")

# Strings that break a query built by pasting text into SQL or into an FTS expression.
INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "\"; DROP TABLE events; --",
    "'); DROP TABLE articles; --",
    "x' UNION SELECT name, sql, 1, 2, 3 FROM sqlite_master --",
    "1; SELECT pg_sleep(3); --",
    "%' AND '%'='",
    "\\",
    "\"unterminated",
    "NEAR(a b",
    "* OR *",
    "title:*",
    "AND OR NOT",
    "Russia\" OR \"1",
    "ﬁ\u202e\ufeff",
    "a" * 400,
]
LEAKS = ("Traceback", "sqlite", "psycopg", "OperationalError", "syntax error", "CREATE TABLE",
         "sqlite_master", "pg_catalog")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, pipeline):
    url = str(tmp_path_factory.mktemp("api_security") / "sec.db")
    fill_store(url, pipeline)
    return url


@pytest.fixture(scope="module")
def locked(store_url, pipeline):
    """An app with a token configured (write endpoints on) and a small body limit."""
    with TestClient(create_app(store_url, token=TOKEN, max_body_bytes=20_000, pipeline=pipeline)) as c:
        yield c


@pytest.fixture(scope="module")
def open_app(store_url):
    """An app started without a token: write endpoints are disabled."""
    with TestClient(create_app(store_url)) as c:
        yield c


def ingest_body(text=ARTICLE):
    return {"items": [{"text": text, "published": "2025-06-02", "title": "Turkey offers talks"}]}


def test_writes_disabled_without_a_configured_token(open_app):
    r = open_app.post("/api/ingest", json=ingest_body())
    assert r.status_code == 403
    assert "token" in r.json()["detail"]
    r = open_app.post("/api/ingest", json=ingest_body(), headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}",
    "Bearer " + "ä" * 30, f"Bearer {TOKEN.upper()}",
])
def test_write_needs_the_right_bearer_token(locked, header):
    headers = {} if header is None else {"Authorization": header.encode("utf-8")}
    r = locked.post("/api/ingest", json=ingest_body(), headers=headers)
    assert r.status_code == 401
    assert r.headers.get("www-authenticate") == "Bearer"
    assert r.json()["error"] == "E706"


def test_ingest_with_the_token_stores_once(locked):
    before = locked.get("/api/meta").json()["counts"]["articles"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first = locked.post("/api/ingest", json=ingest_body(), headers=auth)
    assert first.status_code == 200, first.text
    result = first.json()["results"][0]
    assert result["added"] is True and result["events"] >= 1
    again = locked.post("/api/ingest", json=ingest_body(), headers=auth).json()["results"][0]
    assert again["added"] is False and again["article_id"] == result["article_id"]
    assert locked.get("/api/meta").json()["counts"]["articles"] == before + 1
    stored = locked.get(f"/api/articles/{result['article_id']}").json()
    assert "Istanbul" in json.dumps(stored)


def test_bad_items_fail_alone(locked):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"items": [{"text": "   "}, {"text": "Hello", "published": "2025-13-45"},
                      {"text": ARTICLE.replace("Monday", "Tuesday"), "published": "2025-06-03"}]}
    r = locked.post("/api/ingest", json=body, headers=auth)
    assert r.status_code == 200
    out = r.json()
    assert out["failed"] == 2
    assert [x.get("error") for x in out["results"][:2]] == ["E102", "E109"]
    assert "error" not in out["results"][2]


def test_body_over_the_limit_is_413_before_auth(locked):
    big = ingest_body("Russia and Ukraine talked. " * 2000)
    r = locked.post("/api/ingest", json=big)                   # no token: the size is checked first
    assert r.status_code == 413 and r.json()["error"] == "E702"
    r = locked.post("/api/ingest", json=big, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413


def test_streamed_body_without_length_is_also_limited(locked):
    def chunks():
        for _ in range(100):
            yield b"x" * 1000

    r = locked.post("/api/ingest", content=chunks(),
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 413


def test_cors_closed_by_default(open_app):
    origin = {"Origin": "https://evil.example"}
    r = open_app.get("/api/events", headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = open_app.options("/api/ingest", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_cors_opens_only_to_configured_origins(store_url):
    with TestClient(create_app(store_url, cors_origins=["https://analyst.example"])) as c:
        ok = c.get("/api/meta", headers={"Origin": "https://analyst.example"})
        assert ok.headers.get("access-control-allow-origin") == "https://analyst.example"
        other = c.get("/api/meta", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_security_headers_on_every_response(open_app):
    for path in ("/", "/api/meta", "/api/articles/nothing"):
        h = open_app.get(path).headers
        assert "script-src 'self'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"].split("script-src")[1].split(";")[0]
        assert h["x-content-type-options"] == "nosniff"


READS = {
    "/api/articles": ["q"],
    "/api/events": ["actor", "type", "status", "since", "until", "q", "article_id"],
    "/api/actors": ["q"],
    "/api/positions": ["conflict"],
    "/api/search": ["q"],
    "/api/summary": ["actor", "since", "until"],
}


def test_injection_strings_in_every_parameter_break_nothing_and_leak_nothing(open_app):
    before = open_app.get("/api/meta").json()["counts"]
    n_events = len(open_app.get("/api/events", params={"limit": 500}).json()["items"])
    for path, names in READS.items():
        for name in names:
            for bad in INJECTIONS:
                r = open_app.get(path, params={name: bad})
                where = f"{path}?{name}={bad!r}"
                assert r.status_code in (200, 422), f"{where}: {r.status_code} {r.text[:200]}"
                for leak in LEAKS:
                    assert leak.lower() not in r.text.lower(), f"{where} leaks {leak!r}"
                if (r.status_code == 200 and path == "/api/events" and name in ("actor", "article_id")
                        and any(c.isalnum() for c in bad)):
                    # A tautology must not turn a filter into "everything". (Strings of LIKE
                    # wildcards only, such as "\\", are left out: the store drops the wildcards and
                    # then matches every actor; that is lax, not an injection.)
                    assert len(r.json()["items"]) < n_events, where
    # Path parameters too.
    for bad in INJECTIONS:
        for path in ("/api/articles/", "/api/stories/"):
            r = open_app.get(path + quote(bad, safe=""))
            assert r.status_code in (404, 422), f"{path}{bad!r}: {r.status_code}"
    assert open_app.get("/api/meta").json()["counts"] == before


def test_nul_bytes_are_refused_cleanly(open_app):
    r = open_app.get("/api/events", params={"actor": "Russia\x00"})
    assert r.status_code == 400 and r.json()["error"] == "E703"


PAGE = ("<!doctype html><html><head><title>Talks resume in Doha</title></head><body><article>"
        "<h1>Talks resume in Doha</h1><p>Qatar hosted new talks between Israel and Hamas on Sunday, "
        "and the two delegations agreed to meet again next week, mediators said.</p>"
        "<p>Egypt welcomed the meeting and offered to host the next round in Cairo.</p></article></body></html>")


@pytest.fixture(scope="module")
def page_server():
    """A local HTTP server with one article page (and no robots.txt)."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/doha.html":
                self.send_error(404)
                return
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_url_items_into_the_servers_own_network_are_refused(locked, page_server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    # Refused before any connection (E502), whatever the family; a non-web scheme is E501.
    for url, code in ((f"{page_server}/doha.html", "E502"), ("http://169.254.169.254/latest/meta-data/", "E502"),
                      ("file:///etc/passwd", "E501"), ("http://[::1]/", "E502"), ("http://10.0.0.1/", "E502"),
                      ("http://[::ffff:127.0.0.1]/", "E502"), ("http://0.0.0.0/", "E502")):
        out = locked.post("/api/ingest", json={"items": [{"url": url}]}, headers=auth).json()
        result = out["results"][0]
        assert result.get("error") == code, (url, result)
        assert "added" not in result


def test_url_items_from_an_allowed_host_are_fetched(tmp_path, pipeline, page_server):
    host = page_server.split("//", 1)[1]
    with TestClient(create_app(str(tmp_path / "allowed.db"), token=TOKEN, pipeline=pipeline, allow_hosts=[host])) as c:
        out = c.post("/api/ingest", json={"items": [{"url": f"{page_server}/doha.html", "published": "2025-06-08"},
                                                    {"url": "http://127.0.0.2:9/x.html"}]},
                     headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert out["results"][0].get("article_id"), out
        # Only that host and port: the other loopback address is refused, and the batch went on.
        assert out["results"][1]["error"] == "E502" and out["failed"] == 1


def test_url_items_are_fetched_when_private_urls_are_allowed(store_url, pipeline, page_server):
    with TestClient(create_app(store_url, token=TOKEN, pipeline=pipeline, allow_private_urls=True)) as c:
        out = c.post("/api/ingest", json={"items": [{"url": f"{page_server}/doha.html", "published": "2025-06-08"}]},
                     headers={"Authorization": f"Bearer {TOKEN}"}).json()
        result = out["results"][0]
        assert result.get("added") is True, result
        stored = c.get(f"/api/articles/{result['article_id']}").json()
        assert stored["url"] == f"{page_server}/doha.html"
        assert "Qatar hosted new talks" in stored["text"]
