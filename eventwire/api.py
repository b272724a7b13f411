"""The HTTP API and the dashboard: ``eventwire serve``.

``create_app(store_url, token=None, …)`` builds a FastAPI app over one store. Read endpoints live
under ``/api/`` (OpenAPI at ``/openapi.json``, interactive docs at ``/docs``, served from the
vendored ``swagger-ui-bundle`` — nothing is fetched from a CDN); the dashboard is ``/`` with its
files in ``eventwire/web/``.

Security, by default closed:
- write endpoints (``POST /api/ingest``) need ``Authorization: Bearer <token>``; the token is
  compared in constant time; without a configured token they are disabled (403);
- request bodies larger than ``max_body_bytes`` are refused (413), whether or not the client
  announces a Content-Length;
- no CORS headers unless ``cors_origins`` names the origins allowed;
- page limits are capped at ``max_limit``; query strings with NUL bytes are refused (400);
- the store binds every value as a SQL parameter; errors reach a client as one line with a code,
  never as a traceback or a database message;
- every response carries a Content-Security-Policy that forbids inline script on the dashboard, a
  second line of defence behind the dashboard's rule of writing article text only as text.

Error bodies are ``{"error": CODE, "detail": "CODE one line"}``. The API's own codes (E7xx, next
to the catalogue in errors.py, whose codes pass through unchanged: E1xx for a bad ingest item,
E501 for a URL, E3xx as 503 without the database's message):

    E701 400 bad Content-Length          E706 401 missing or wrong bearer token
    E702 413 request body over the limit E707 404 no such article
    E703 400 NUL byte in a parameter     E708 404 no such story
    E704 422 invalid parameter or body   E709     serve without the server extra installed
    E705 403 write endpoints disabled    E999 500 unexpected (details only in the server log)

Store calls run on a few threads, each with its own connection (SQLite WAL and PostgreSQL serve
readers in parallel); the NLP of ``/api/ingest`` runs on a thread of its own so that reads go on
while an article is being extracted.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .errors import EventwireError, InputError, StoreError
from .model import EVENT_STATUSES, PLOVER_TYPES

try:
    import orjson
except ImportError:
    orjson = None

log = logging.getLogger("eventwire.api")

WEB_DIR = Path(__file__).resolve().parent / "web"
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024   # a few articles per request; bulk loads use `eventwire ingest`
DEFAULT_MAX_LIMIT = 500                     # rows per page, whatever a client asks for
MAX_OFFSET = 10_000_000                     # deeper than any store we expect; keeps SQLite integers small
MAX_INGEST_ITEMS = 50
DEFAULT_STORE_THREADS = 4                   # store connections serving requests at once
# Longer than a client's idle pool keeps a connection (httpx: 5 s), so the server is never the
# one closing a connection at the moment the client reuses it (a ReadError on the client).
KEEP_ALIVE_SECONDS = 30
DEFAULT_SUMMARY_NODES = 150                 # actors in the summary's network unless asked for more
MAX_SUMMARY_NODES = 2000
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
COOPERATION_QUADS = (1, 2)
CONFLICT_QUADS = (3, 4)

# The dashboard runs only its own files: no inline script, no eval, no other origin.
DASHBOARD_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                 "frame-ancestors 'none'")
# Swagger UI starts itself from one inline script; that page shows no article text.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class Settings:
    """What one running API was configured with (visible at /api/meta, except the token)."""

    def __init__(self, store_url: Optional[str], token: Optional[str], max_body_bytes: int,
                 max_limit: int, cors_origins: tuple[str, ...], allow_private_urls: bool = False,
                 allow_hosts: tuple = ()):
        self.store_url = store_url
        self.allow_private_urls = allow_private_urls
        self.allow_hosts = allow_hosts
        self.token = token or None
        self.max_body_bytes = int(max_body_bytes)
        self.max_limit = int(max_limit)
        self.cors_origins = cors_origins


# -- the store's thread ---------------------------------------------------------------------------
class StoreRunner:
    """Runs store calls on a small pool of threads, each with a store connection of its own, and
    awaits the result. SQLite in WAL mode (and PostgreSQL) serve readers on several connections
    at once, and sqlite3 lets go of the GIL while a query runs, so slow reads do not queue behind
    each other. A store object handed in (``store=``) is used alone, on one thread."""

    def __init__(self, store_url: Optional[str] = None, store=None, threads: int = 1):
        self._url = store_url
        self._single = store
        self._local = threading.local()
        self._opened: list = []
        self._lock = threading.Lock()
        n = 1 if store is not None else max(1, int(threads))
        self._pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="eventwire-store")
        # The first connection opens (and migrates) the store now, so a bad URL fails at start-up.
        self.store = store if store is not None else self._pool.submit(self._thread_store).result()

    def _thread_store(self):
        if self._single is not None:
            return self._single
        s = getattr(self._local, "store", None)
        if s is None:
            from .store.base import open_store

            s = open_store(self._url)
            self._local.store = s
            with self._lock:
                self._opened.append(s)
        return s

    async def __call__(self, fn: Callable, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(self._thread_store(), *args, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            stores, self._opened = self._opened, []
        if self._single is not None:
            stores.append(self._single)
        for s in stores:
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing is best effort at shutdown
                log.warning("closing a store connection failed", exc_info=True)


# -- pure ASGI middleware (cheaper than BaseHTTPMiddleware on every request) ---------------------
class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, announced or streamed."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        announced = dict(scope.get("headers") or ()).get(b"content-length")
        if announced is not None:
            try:
                too_big = int(announced) > self.limit
            except ValueError:
                return await _send_json(send, 400, {"error": "E701", "detail": "E701 bad Content-Length"})
            if too_big:
                return await _send_json(send, 413, _too_large(self.limit))
        # Read the body here (it is small by then) so that a chunked body cannot slip past.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                return await _send_json(send, 413, _too_large(self.limit))
            chunks.append(body)
            if not message.get("more_body"):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


class DataVersion:
    """The store's data version (``Store.data_version``), read at most every ``interval`` seconds
    however many requests ask, by one of them while the others use the value they have; ``bump``
    makes the next request read it again (after an ingest through this API)."""

    def __init__(self, runner: "StoreRunner", interval: float = 0.5):
        self.runner, self.interval = runner, interval
        self.value: Optional[str] = None
        self.read_at = float("-inf")
        self._reading: Optional[asyncio.Future] = None
        self.on_bump: list[Callable[[], None]] = []

    def bump(self) -> None:
        """This process wrote: the next request reads the version, and no answer computed before
        the write is served again (a client reads its own writes, stale or not)."""
        self.read_at = float("-inf")
        for forget in self.on_bump:
            forget()

    async def current(self) -> Optional[str]:
        now = time.monotonic()
        if now - self.read_at < self.interval and self.value is not None:
            return self.value
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._read(now))
        reading = self._reading
        try:
            return await asyncio.shield(reading)
        except Exception:  # noqa: BLE001 - no version: the response is computed, not cached
            return None

    async def _read(self, started: float) -> Optional[str]:
        try:
            self.value = await self.runner(lambda s: s.data_version() if hasattr(s, "data_version") else None)
            self.read_at = started
            return self.value
        finally:
            self._reading = None


class ResponseCache:
    """Answers repeated GETs under ``/api/`` from memory while the store's data version is the
    same as when they were computed.

    Only complete 200 answers are kept, one per path and query, at most ``max_entries`` of them
    and ``max_bytes`` in all (least recently used first out). Concurrent requests for the same
    answer wait for the first one to compute it instead of each running the same query (a
    dashboard opened by many people after an ingest asks for the same summary at once).

    While an ingest runs the version changes every few seconds. Answers about the whole store
    (``stale_paths``: summary, actors, stories, positions, counts — aggregates that cost a scan)
    are then served as they were, at most ``stale_seconds`` old, while one background request
    recomputes them; pages of events and articles are always computed for the current version."""

    def __init__(self, app, version: DataVersion, max_entries: int = 4096, max_bytes: int = 128 << 20,
                 skip: tuple[str, ...] = ("/api/health", "/api/ingest"),
                 stale_paths: tuple[str, ...] = ("/api/summary", "/api/actors", "/api/stories", "/api/positions",
                                                 "/api/meta"),
                 stale_seconds: float = 10.0):
        from collections import OrderedDict

        self.app, self.version = app, version
        self.max_entries, self.max_bytes, self.skip = max_entries, max_bytes, skip
        self.stale_paths, self.stale_seconds = stale_paths, stale_seconds
        # (path, query) -> (version, start message, body chunks, monotonic time its computation began)
        self.entries: "OrderedDict[tuple, tuple]" = OrderedDict()
        self.size = 0
        self.pending: dict[tuple, asyncio.Future] = {}
        self.refreshing: set = set()
        self.hits = self.stale_hits = self.misses = 0
        self.forgotten_at = float("-inf")
        version.on_bump.append(self.forget)

    def forget(self) -> None:
        self.entries.clear()
        self.size = 0
        self.forgotten_at = time.monotonic()   # answers begun before now are not kept either

    @staticmethod
    def _bytes(entry: tuple) -> int:
        return sum(len(b) for b in entry[2])

    def _put(self, key: tuple, entry: tuple) -> None:
        if self._bytes(entry) > self.max_bytes // 8 or entry[3] < self.forgotten_at:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= self._bytes(old)
        self.entries[key] = entry
        self.size += self._bytes(entry)
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.size -= self._bytes(evicted)

    async def _compute(self, scope, receive, send, key: tuple, version: str) -> Optional[tuple]:
        """Run the app once for ``key``; waiters for the same key get its answer."""
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        began = time.monotonic()
        start_message: dict = {}
        chunks: list[bytes] = []

        async def recording(message):
            if message["type"] == "http.response.start":
                start_message.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, recording)
        except BaseException as exc:
            future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("cancelled"))
            future.exception()   # retrieved, so asyncio does not log it a second time
            raise
        finally:
            self.pending.pop(key, None)
        entry = (version, dict(start_message), chunks, began) if start_message.get("status") == 200 else None
        if entry is not None:
            self._put(key, entry)
        future.set_result(entry)
        return entry

    def _refresh_in_background(self, scope, key: tuple, version: str) -> None:
        if key in self.refreshing or key in self.pending:
            return
        self.refreshing.add(key)

        async def no_body():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def discard(message):
            return None

        async def run():
            try:
                await self._compute(dict(scope), no_body, discard, key, version)
            except Exception:  # noqa: BLE001 - a failed refresh leaves the old answer to age out
                log.warning("background refresh of %s failed", key[0], exc_info=True)
            finally:
                self.refreshing.discard(key)

        asyncio.ensure_future(run())

    @staticmethod
    async def _replay(send, entry: tuple) -> None:
        await send(entry[1])
        await send({"type": "http.response.body", "body": b"".join(entry[2]), "more_body": False})

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/")
                or scope["path"] in self.skip):
            return await self.app(scope, receive, send)
        version = await self.version.current()
        if version is None:
            return await self.app(scope, receive, send)
        key = (scope["path"], scope.get("query_string", b""))
        entry = self.entries.get(key)
        if entry is not None and entry[0] == version:
            self.hits += 1
            self.entries.move_to_end(key)
            return await self._replay(send, entry)
        if (entry is not None and scope["path"] in self.stale_paths
                and time.monotonic() - entry[3] <= self.stale_seconds):
            self.stale_hits += 1
            self._refresh_in_background(scope, key, version)
            return await self._replay(send, entry)
        if key in self.pending:
            try:
                entry = await asyncio.shield(self.pending[key])
            except Exception:  # noqa: BLE001 - the first request failed: compute our own
                entry = None
            if entry is not None and entry[0] == version:
                self.hits += 1
                return await self._replay(send, entry)
        self.misses += 1
        await self._compute(scope, receive, send, key, version)


def _too_large(limit: int) -> dict:
    return {"error": "E702", "detail": f"E702 request body larger than the limit of {limit} bytes"}


class SecurityHeaders:
    """Adds CSP and the usual hardening headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = DOCS_CSP if scope["path"] in ("/docs", "/redoc") else DASHBOARD_CSP

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                headers += [(b"content-security-policy", csp.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, with_headers)


async def _send_json(send, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# -- helpers ------------------------------------------------------------------------------------
class Rows(JSONResponse):
    """JSON straight from the store's rows. FastAPI's generic encoder walks every value and costs
    ten times the json.dumps below on a page of events; the rows are plain JSON types already (dates
    from PostgreSQL become ISO strings through ``default=str``)."""

    def render(self, content) -> bytes:
        if orjson is not None:   # the same JSON three to five times faster (the server extra installs it)
            try:
                return orjson.dumps(content, default=str)
            except TypeError:    # an integer beyond 64 bits: the standard library can
                pass
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _page(items: list, limit: int, offset: int, **extra) -> Rows:
    return Rows({"items": items, "count": len(items), "limit": limit, "offset": offset, **extra})


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _event_date(row: dict) -> Optional[str]:
    """The day an event row is placed on: its own date when it is a day (not a week or a month),
    else its article's publication date."""
    for key in ("date", "day", "published", "article_published"):
        value = row.get(key)
        if value and _DAY.match(str(value)):
            return str(value)[:10]
    return None


def _party(row: dict, side: str) -> Optional[str]:
    """The name of an event row's source or target when it is a resolved actor (an unresolved
    phrase such as "the agreement" or "Saturday" is not a node of the network)."""
    value = row.get(side)
    if isinstance(value, dict):
        return value.get("name") if (value.get("actor") or value.get("country")) else None
    name = row.get(f"{side}_name")
    if not name:
        return None
    if f"{side}_actor" in row and not row.get(f"{side}_actor") and not row.get(f"{side}_country"):
        return None
    return name


def _party_country(row: dict, side: str) -> Optional[str]:
    value = row.get(side)
    if isinstance(value, dict):
        return value.get("country")
    return row.get(f"{side}_country")


def _quad(row: dict) -> Optional[int]:
    q = row.get("quad_class")
    if q in (1, 2, 3, 4):
        return int(q)
    g = row.get("goldstein")
    if isinstance(g, (int, float)):
        return 1 if g > 0 else 3 if g < 0 else None
    return None


def summarise_events(rows: Iterable[dict], max_nodes: Optional[int] = None) -> dict:
    """The timeline (events per day and type) and the actor network (cooperation vs conflict
    edges between sources and targets) from event rows; the same figures as ``summarise_groups``
    on the store's ``event_summary``."""
    per_day: Counter = Counter()
    per_actor: Counter = Counter()
    countries: dict = {}
    pairs: Counter = Counter()
    scores: dict = defaultdict(lambda: [0.0, 0])
    for row in rows:
        per_day[(_event_date(row), row.get("type") or "?")] += 1
        src, tgt = _party(row, "source"), _party(row, "target")
        for name, side in ((src, "source"), (tgt, "target")):
            if name:
                per_actor[name] += 1
                country = _party_country(row, side)
                if country and (countries.get(name) is None or country > countries[name]):
                    countries[name] = country   # the largest code, as the store's max() picks
        if src and tgt and src != tgt:
            key = (src, tgt, _quad(row) or 0, row.get("type") or "?", row.get("undirected") is True)
            pairs[key] += 1
            if isinstance(row.get("goldstein"), (int, float)):
                scores[key][0] += float(row["goldstein"])
                scores[key][1] += 1
    nodes = [{"name": name, "country": countries.get(name), "events": n} for name, n in per_actor.items()]
    nodes.sort(key=lambda n: (-n["events"], n["name"]))
    return summarise_groups({
        "timeline": [{"day": d, "type": t, "n": n} for (d, t), n in per_day.items()],
        "nodes": nodes[:max_nodes] if max_nodes is not None else nodes, "nodes_total": len(nodes),
        "pairs": [{"source": k[0], "target": k[1], "quad": k[2], "type": k[3], "undirected": k[4], "n": n,
                   "goldstein": scores[k][0], "scored": scores[k][1]} for k, n in pairs.items()]})


def summarise_groups(groups: dict) -> dict:
    """The dashboard summary from pre-aggregated rows (``Store.event_summary``): the timeline, and
    the network of the busiest actors (node size = events they take part in, edge = events
    between two of them, split by cooperation and conflict)."""
    per_day: dict[str, Counter] = defaultdict(Counter)
    total = 0
    for r in groups["timeline"]:
        n = int(r["n"])
        total += n
        day = r.get("day")
        if day and _DAY.match(str(day)):
            per_day[str(day)[:10]][r.get("type") or "?"] += n
    nodes = [{"id": r["name"], "country": r.get("country"), "events": int(r["events"])} for r in groups["nodes"]]
    kept = {n["id"] for n in nodes}
    edges: dict[tuple[str, str], dict] = {}
    for r in groups["pairs"]:
        src, tgt = r["source"], r["target"]
        if src not in kept or tgt not in kept or src == tgt:
            continue
        n = int(r["n"])
        key = tuple(sorted((src, tgt))) if r.get("undirected") in (True, 1) else (src, tgt)
        edge = edges.setdefault(key, {"source": key[0], "target": key[1], "cooperation": 0, "conflict": 0,
                                      "neutral": 0, "types": Counter(), "goldstein": 0.0, "scored": 0})
        quad = r.get("quad")
        edge["cooperation" if quad in COOPERATION_QUADS else "conflict" if quad in CONFLICT_QUADS
             else "neutral"] += n
        edge["goldstein"] += float(r.get("goldstein") or 0.0)
        edge["scored"] += int(r.get("scored") or 0)
        edge["types"][r.get("type") or "?"] += n
    timeline = [{"date": d, "types": dict(c), "total": sum(c.values())} for d, c in sorted(per_day.items())]
    edge_list = []
    for e in edges.values():
        e["count"] = e["cooperation"] + e["conflict"] + e["neutral"]
        scored = e.pop("scored")
        e["goldstein"] = round(e["goldstein"] / scored, 2) if scored else 0.0
        e["kind"] = ("cooperation" if e["cooperation"] > e["conflict"]
                     else "conflict" if e["conflict"] > e["cooperation"] else "mixed")
        e["types"] = dict(e["types"])
        edge_list.append(e)
    edge_list.sort(key=lambda e: (-e["count"], e["source"], e["target"]))
    return {"events": total, "timeline": timeline,
            "network": {"nodes": nodes, "edges": edge_list, "nodes_total": int(groups.get("nodes_total") or len(nodes))}}


async def _no_nul(request: Request) -> None:  # async: a sync dependency would cost a thread hop per request
    for key, value in request.query_params.multi_items():
        if "\x00" in key or "\x00" in value:
            raise HTTPException(400, "E703 NUL byte in a query parameter")


def _choice(value: Optional[str], allowed: tuple[str, ...], name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    for a in allowed:
        if value.lower() == a.lower():
            return a
    raise HTTPException(422, f"E704 {name} must be one of: {', '.join(allowed)}")


class IngestItem(BaseModel):
    """One article to ingest: its text, its HTML page, or only its URL (then fetched)."""

    text: Optional[str] = Field(None, description="plain article text")
    html: Optional[str] = Field(None, description="an HTML page; the article is extracted from it")
    url: Optional[str] = Field(None, max_length=2000,
                               description="where the article comes from; fetched when neither text nor html is given")
    title: Optional[str] = Field(None, max_length=1000)
    published: Optional[str] = Field(None, max_length=40, description="YYYY-MM-DD")
    id: Optional[str] = Field(None, max_length=200)


class IngestRequest(BaseModel):
    """A batch of articles; each is extracted, stored, and reported on by itself."""

    items: list[IngestItem] = Field(..., min_length=1, max_length=MAX_INGEST_ITEMS)
    rebuild: bool = Field(True, description="re-cluster stories and recompute positions afterwards")


# -- the app ------------------------------------------------------------------------------------
def create_app(store_url: Optional[str] = None, token: Optional[str] = None, *,
               store=None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               max_limit: int = DEFAULT_MAX_LIMIT, cors_origins: Iterable[str] = (),
               pipeline=None, allow_private_urls: bool = False, store_threads: int = DEFAULT_STORE_THREADS,
               allow_hosts: Iterable[str] = (), response_cache: bool = True):
    """The FastAPI app over the store at ``store_url`` (``open_store`` rules: a SQLite path or a
    ``postgresql://`` URL). ``token`` enables the write endpoints; ``store`` serves an already open
    store instead (it must tolerate calls from another thread); ``pipeline`` is the eventwire
    Pipeline used by ``/api/ingest`` (built on first use when not given); ``allow_private_urls``
    lets URL items point into the server's own network (off: a token holder could otherwise make
    the server fetch from hosts only it can reach); ``store_threads`` is how many store
    connections serve requests at once; ``allow_hosts`` (``HOST[:PORT]``) are private hosts URL items
    may still be fetched from; ``response_cache`` keeps answers to repeated reads in memory until
    the store's data version changes."""
    from . import __version__

    from .ingest.addresses import parse_allowed

    try:
        allowed_hosts = parse_allowed(allow_hosts)
    except ValueError as exc:
        raise EventwireError(f"--allow-host: {exc}", "E704") from None
    settings = Settings(store_url, token, max_body_bytes, max_limit, tuple(cors_origins or ()),
                        allow_private_urls, allowed_hosts)
    runner = StoreRunner(store_url, store, threads=store_threads)
    nlp_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventwire-nlp")
    state: dict[str, Any] = {"pipeline": pipeline}
    data_version = DataVersion(runner)
    pipeline_lock = threading.Lock()

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        yield
        runner.close()
        nlp_pool.shutdown(wait=False)

    app = FastAPI(
        title="eventwire", version=__version__, lifespan=lifespan,
        description="Events, actors, stories, negotiation positions and full-text search over a "
                    "store of news articles; every fact carries the offsets of its evidence.",
        docs_url=None, redoc_url=None,
    )
    app.state.settings = settings
    app.state.runner = runner

    # -- errors: one line with a code, never a traceback --------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        code = detail.split(" ", 1)[0] if re.match(r"^E\d{3} ", detail) else f"H{exc.status_code}"
        return JSONResponse({"error": code, "detail": detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return JSONResponse({"error": "E704", "detail": "E704 invalid request: " + "; ".join(problems)},
                            status_code=422)

    @app.exception_handler(EventwireError)
    async def eventwire_error(request: Request, exc: EventwireError):
        if isinstance(exc, StoreError):
            # The database's own message may quote SQL or paths: it goes to the log, not the client.
            log.error("store error on %s %s: %s", request.method, request.url.path, exc.one_line())
            return JSONResponse({"error": exc.code, "detail": f"{exc.code} the store could not answer; "
                                                              "see the server log"}, status_code=503)
        return JSONResponse({"error": exc.code, "detail": exc.one_line()}, status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        # Logged in full on the server; the client learns only that it failed.
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"error": "E999", "detail": "E999 internal error"}, status_code=500)

    # -- auth ---------------------------------------------------------------------------------
    # Declared so that OpenAPI (and the Authorize button of /docs) knows the scheme; the header is
    # checked below, in constant time, whatever this parser made of it.
    bearer_scheme = HTTPBearer(auto_error=False, description="the token given to `eventwire serve --token`")

    def require_token(request: Request, _declared=Depends(bearer_scheme)) -> None:
        if not settings.token:
            raise HTTPException(403, "E705 write endpoints are disabled: start the server with "
                                     "--token or EVENTWIRE_API_TOKEN")
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        ok = hmac.compare_digest(given.strip().encode("utf-8", "surrogateescape"),
                                 settings.token.encode("utf-8"))
        if scheme.lower() != "bearer" or not ok:
            raise HTTPException(401, "E706 missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    def limit_of(limit: int) -> int:
        return max(1, min(int(limit), settings.max_limit))

    Limit = lambda default: Query(default, ge=1, description=f"rows per page (capped at {settings.max_limit})")  # noqa: E731
    Offset = Query(0, ge=0, le=MAX_OFFSET)
    guarded = [Depends(_no_nul)]

    # -- read endpoints -----------------------------------------------------------------------
    @app.get("/api/health", tags=["read"], summary="liveness: answers without touching the store")
    async def health():
        return {"status": "ok"}

    @app.get("/api/meta", tags=["read"], dependencies=guarded, summary="version, store counts and limits")
    async def meta():
        counts = await runner(lambda s: s.counts())
        return Rows({"version": __version__, "counts": counts, "max_limit": settings.max_limit,
                     "max_body_bytes": settings.max_body_bytes, "writable": bool(settings.token),
                     "plover_types": list(PLOVER_TYPES), "statuses": list(EVENT_STATUSES)})

    @app.get("/api/articles", tags=["read"], dependencies=guarded, summary="articles, newest first")
    async def articles(q: Optional[str] = Query(None, max_length=500, description="full-text query"),
                       limit: int = Limit(50), offset: int = Offset):
        limit = limit_of(limit)
        rows = await runner(lambda s: s.articles(q=q or None, limit=limit, offset=offset))
        return _page(rows, limit, offset)

    @app.get("/api/articles/{article_id}", tags=["read"], dependencies=guarded,
             summary="one article with its full document (text, actors, events, quotes, dates, claims)")
    async def article(article_id: str):
        if len(article_id) > 200:
            raise HTTPException(404, "E707 no such article")
        row = await runner(lambda s: s.article(article_id))
        if not row:
            raise HTTPException(404, "E707 no such article")
        return Rows(row)

    @app.get("/api/events", tags=["read"], dependencies=guarded, summary="events with filters")
    async def events(actor: Optional[str] = Query(None, max_length=200, description="actor name or country code"),
                     type: Optional[str] = Query(None, max_length=40, description="PLOVER type"),
                     status: Optional[str] = Query(None, max_length=40),
                     since: Optional[str] = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD"),
                     until: Optional[str] = Query(None, pattern=ISO_DATE, description="YYYY-MM-DD"),
                     q: Optional[str] = Query(None, max_length=500, description="full-text query"),
                     article_id: Optional[str] = Query(None, max_length=200),
                     min_confidence: Optional[float] = Query(None, ge=0.0, le=1.0,
                                                             description="least calibrated confidence (0-1)"),
                     limit: int = Limit(100), offset: int = Offset):
        type_ = _choice(type, PLOVER_TYPES, "type")
        status_ = _choice(status, EVENT_STATUSES, "status")
        limit = limit_of(limit)
        rows = await runner(lambda s: s.events(actor=actor or None, type=type_, status=status_,
                                               since=since, until=until, q=q or None,
                                               article_id=article_id or None, limit=limit, offset=offset,
                                               min_confidence=min_confidence))
        return _page(rows, limit, offset)

    @app.get("/api/actors", tags=["read"], dependencies=guarded, summary="actors with event counts")
    async def actors(q: Optional[str] = Query(None, max_length=200), limit: int = Limit(100),
                     offset: int = Offset):
        limit = limit_of(limit)
        rows = await runner(lambda s: s.actors(q=q or None, limit=limit, offset=offset))
        return _page(rows, limit, offset)

    @app.get("/api/stories", tags=["read"], dependencies=guarded,
             summary="stories: the same event across articles")
    async def stories(limit: int = Limit(100), offset: int = Offset):
        limit = limit_of(limit)
        rows = await runner(lambda s: s.stories(limit=limit, offset=offset))
        return _page(rows, limit, offset)

    @app.get("/api/stories/{story_id}", tags=["read"], dependencies=guarded, summary="one story with its mentions")
    async def story(story_id: str):
        if len(story_id) > 200:
            raise HTTPException(404, "E708 no such story")
        row = await runner(lambda s: s.story(story_id))
        if not row:
            raise HTTPException(404, "E708 no such story")
        return Rows(row)

    @app.get("/api/positions", tags=["read"], dependencies=guarded,
             summary="each party's latest stance on each negotiation issue, with evidence")
    async def positions(conflict: Optional[str] = Query(None, max_length=100)):
        rows = await runner(lambda s: s.positions(conflict=conflict or None))
        for r in rows:  # each cell's stances over time, oldest first, each with its evidence
            if isinstance(r.get("history"), str):
                r["history"] = json.loads(r["history"] or "[]")
        return Rows({"items": rows, "count": len(rows)})

    @app.get("/api/search", tags=["read"], dependencies=guarded, summary="full-text search over articles")
    async def search(q: str = Query(..., min_length=1, max_length=500), limit: int = Limit(50)):
        limit = limit_of(limit)
        rows = await runner(lambda s: s.search(q, limit=limit))
        return Rows({"items": rows, "count": len(rows), "limit": limit})

    @app.get("/api/summary", tags=["read"], dependencies=guarded,
             summary="the dashboard's timeline (events per day and type) and actor network")
    async def summary(since: Optional[str] = Query(None, pattern=ISO_DATE),
                      until: Optional[str] = Query(None, pattern=ISO_DATE),
                      actor: Optional[str] = Query(None, max_length=200),
                      type: Optional[str] = Query(None, max_length=40, description="PLOVER type"),
                      nodes: int = Query(DEFAULT_SUMMARY_NODES, ge=1, le=MAX_SUMMARY_NODES,
                                         description="the busiest actors kept in the network")):
        type_ = _choice(type, PLOVER_TYPES, "type")
        # Aggregated by the database: a few thousand small rows whatever the size of the store
        # (responses are cached per store version by ResponseCache).
        groups = await runner(lambda s: s.event_summary(max_nodes=nodes, actor=actor or None, type=type_,
                                                         since=since, until=until))
        result = summarise_groups(groups)
        result["truncated"] = False
        return Rows(result)

    @app.get("/api/network/edge", tags=["read"], dependencies=guarded,
             summary="the events of one edge of the actor network (source → target), with their evidence")
    async def network_edge(source: str = Query(..., min_length=1, max_length=200),
                           target: str = Query(..., min_length=1, max_length=200),
                           type: Optional[str] = Query(None, max_length=40, description="PLOVER type"),
                           since: Optional[str] = Query(None, pattern=ISO_DATE),
                           until: Optional[str] = Query(None, pattern=ISO_DATE),
                           limit: int = Limit(50)):
        type_ = _choice(type, PLOVER_TYPES, "type")
        limit = limit_of(limit)
        rows, total = await runner(lambda s: s.pair_events(source, target, limit=limit, type=type_,
                                                            since=since, until=until))
        return Rows({"items": rows, "count": total, "limit": limit})

    # -- write endpoints ----------------------------------------------------------------------
    def get_pipeline():
        with pipeline_lock:
            if state["pipeline"] is None:
                from .pipeline import Pipeline

                state["pipeline"] = Pipeline()
            return state["pipeline"]

    def to_article(item: IngestItem, n: int):
        from .ingest.sources import article_from_string

        where = item.url or item.id or f"item {n}"
        meta = {k: v for k, v in (("title", item.title), ("url", item.url), ("id", item.id)) if v}
        if item.text is not None or item.html is not None:
            return article_from_string(item.html if item.html is not None else item.text,
                                       published=item.published, item=where, **meta)
        if item.url:
            meta.pop("url", None)
            if state.get("fetcher") is None:   # one fetcher, so per-host spacing holds across requests
                from .ingest.fetch import Fetcher

                state["fetcher"] = Fetcher(allow_private=settings.allow_private_urls,
                                           allow_hosts=settings.allow_hosts)
            return fetch_article(item.url, published=item.published, fetcher=state["fetcher"], **meta)
        raise InputError.e("E106", item=where, line=n)

    @app.post("/api/ingest", tags=["write"], dependencies=[Depends(require_token)],
              summary="extract and store articles (text, HTML or URL items); needs a bearer token")
    async def ingest(request: IngestRequest):
        loop = asyncio.get_running_loop()
        results: list[dict] = []
        for n, item in enumerate(request.items, 1):
            try:
                art = await loop.run_in_executor(nlp_pool, to_article, item, n)
                doc = await loop.run_in_executor(nlp_pool, lambda a=art: next(get_pipeline().pipe([a])))
                added = await runner(lambda s, d=doc: s.add_document(d, source="api"))
                results.append({"item": n, "article_id": added.article_id, "added": added.added,
                                "near_duplicate_of": added.near_duplicate_of,
                                "events": len(doc.events)})
            except EventwireError as exc:
                results.append({"item": n, "error": exc.code, "detail": exc.one_line()})
        if request.rebuild and any(r.get("added") for r in results):
            await runner(_rebuild)
        data_version.bump()
        failed = sum(1 for r in results if "error" in r)
        return {"results": results, "added": sum(1 for r in results if r.get("added")), "failed": failed}

    # -- docs and dashboard -------------------------------------------------------------------
    _mount_docs(app)

    dashboard_page = (WEB_DIR / "index.html").read_bytes()   # read once: it changes with the package only

    @app.get("/", include_in_schema=False)
    async def dashboard():
        return HTMLResponse(dashboard_page)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")

    if response_cache:
        app.add_middleware(ResponseCache, version=data_version)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _rebuild(store) -> None:
    """Stories and positions after new articles, where the store implements them."""
    for name in ("rebuild_stories", "rebuild_positions"):
        try:
            getattr(store, name)()
        except NotImplementedError:
            pass


def fetch_article(url: str, published: Optional[str] = None, allow_private: bool = False,
                  allow_hosts: Iterable[str] = (), fetcher=None, **meta):
    """An Article from a URL, through the ingest fetcher: timeouts, retries, politeness, and every
    hop's address checked before it is connected to, so a client of the API cannot make the server
    fetch from its own network (loopback, private, link-local such as cloud metadata) unless the
    operator allowed that host (``--allow-host``) or every host (``--allow-private-urls``)."""
    from .ingest import fetch as fetch_module

    if fetcher is None:
        fetcher = fetch_module.Fetcher(allow_private=allow_private, allow_hosts=allow_hosts)
    return fetch_module.fetch_article(url, published=published, fetcher=fetcher, **meta)


def _mount_docs(app) -> None:
    """Swagger UI at /docs from the vendored swagger-ui-bundle files (no CDN)."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        import swagger_ui_bundle
    except ImportError:
        swagger_ui_bundle = None

    if swagger_ui_bundle is not None:
        app.mount("/docs-static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-static")

        @app.get("/docs", include_in_schema=False)
        async def docs():
            return get_swagger_ui_html(openapi_url="/openapi.json", title="eventwire API",
                                       swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                       swagger_css_url="/docs-static/swagger-ui.css",
                                       swagger_favicon_url="/docs-static/favicon-32x32.png")
    else:
        @app.get("/docs", include_in_schema=False)
        async def docs():
            # Without the bundle: a plain list of the endpoints, built from the OpenAPI document.
            from html import escape

            rows = []
            for path, ops in sorted(app.openapi().get("paths", {}).items()):
                for method, op in ops.items():
                    rows.append(f"<li><code>{escape(method.upper())} {escape(path)}</code> — "
                                f"{escape(op.get('summary', ''))}</li>")
            return HTMLResponse("<!doctype html><title>eventwire API</title><h1>eventwire API</h1>"
                                "<p>OpenAPI: <a href='/openapi.json'>/openapi.json</a></p><ul>"
                                + "".join(rows) + "</ul>")


# sqlite3 lets go of the GIL at every row it steps through, and a store thread then waits for the
# event loop's thread to hand it back — by default after 5 ms. A page of 100 rows could wait half
# a second behind a busy loop; handing the GIL over every half millisecond bounds that wait.
SERVER_SWITCH_INTERVAL = 0.0005


def set_switch_interval(value: Optional[str] = None) -> None:
    """For a serving process only (it is process-wide): how often Python hands the GIL over."""
    import sys

    sys.setswitchinterval(float(value) if value else SERVER_SWITCH_INTERVAL)


def app_from_env():
    """The app configured from the environment, for running under a process manager:
    ``uvicorn --factory eventwire.api:app_from_env`` with EVENTWIRE_DB (store URL or SQLite path),
    EVENTWIRE_API_TOKEN, EVENTWIRE_MAX_BODY, EVENTWIRE_MAX_LIMIT, EVENTWIRE_STORE_THREADS and
    EVENTWIRE_CORS_ORIGINS (comma-separated); EVENTWIRE_RESPONSE_CACHE=0 turns the response cache off."""
    env = os.environ
    set_switch_interval(env.get("EVENTWIRE_SWITCH_INTERVAL"))
    origins = [o.strip() for o in env.get("EVENTWIRE_CORS_ORIGINS", "").split(",") if o.strip()]
    return create_app(env.get("EVENTWIRE_DB") or None, token=env.get("EVENTWIRE_API_TOKEN") or None,
                      max_body_bytes=int(env.get("EVENTWIRE_MAX_BODY") or DEFAULT_MAX_BODY_BYTES),
                      max_limit=int(env.get("EVENTWIRE_MAX_LIMIT") or DEFAULT_MAX_LIMIT),
                      cors_origins=origins,
                      store_threads=int(env.get("EVENTWIRE_STORE_THREADS") or DEFAULT_STORE_THREADS),
                      response_cache=env.get("EVENTWIRE_RESPONSE_CACHE", "1") != "0")


# -- CLI ----------------------------------------------------------------------------------------
def add_cli(sub) -> None:
    p = sub.add_parser("serve", help="serve the API and the dashboard over a store")
    p.add_argument("--db", default=None, help="store URL or SQLite path (default: eventwire.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--token", default=None,
                   help="bearer token that enables POST /api/ingest (default: $EVENTWIRE_API_TOKEN; "
                        "without one, write endpoints are disabled)")
    p.add_argument("--max-body", type=int, default=DEFAULT_MAX_BODY_BYTES, metavar="BYTES",
                   help=f"largest request body accepted (default: {DEFAULT_MAX_BODY_BYTES})")
    p.add_argument("--max-limit", type=int, default=DEFAULT_MAX_LIMIT, metavar="N",
                   help=f"largest page size (default: {DEFAULT_MAX_LIMIT})")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="allow cross-origin requests from ORIGIN (repeatable; default: none)")
    p.add_argument("--store-threads", type=int, default=DEFAULT_STORE_THREADS, metavar="N",
                   help=f"store connections serving requests at once (default: {DEFAULT_STORE_THREADS})")
    p.add_argument("--allow-private-urls", action="store_true",
                   help="let POST /api/ingest fetch URLs on loopback or private networks (default: refused)")
    p.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]",
                   help="let POST /api/ingest fetch from this one private host (repeatable)")
    p.set_defaults(run=run_serve)


def run_serve(args) -> int:
    try:
        import uvicorn
    except ImportError:
        raise EventwireError("E709 eventwire serve needs the server extra: pip install 'eventwire[server]'",
                             "E709") from None
    token = args.token or os.environ.get("EVENTWIRE_API_TOKEN") or None
    if args.max_body < 1 or args.max_limit < 1:
        raise EventwireError("E704 --max-body and --max-limit must be positive", "E704")
    set_switch_interval(os.environ.get("EVENTWIRE_SWITCH_INTERVAL"))
    app = create_app(args.db, token=token, max_body_bytes=args.max_body, max_limit=args.max_limit,
                     cors_origins=args.cors_origin, allow_private_urls=args.allow_private_urls,
                     allow_hosts=args.allow_host,
                     store_threads=args.store_threads)
    print(f"eventwire: dashboard at http://{args.host}:{args.port}/ , API docs at /docs; "
          f"write endpoints {'enabled' if token else 'disabled (no token)'}")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
    return 0
