"""The SQL both stores share: schema migrations, rows from Documents, and every query.

SQL here is written once, with ``?`` placeholders and in the subset SQLite and PostgreSQL agree
on; a back end supplies a connection, its placeholder style and its full-text search. Every value
reaches the database as a bound parameter; only fixed column and table names are ever formatted
into SQL text.
"""
from __future__ import annotations

import calendar
import json
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlsplit

from ..errors import StoreError
from ..model import Document
from . import neardup
from .base import AddResult, Store

MIGRATIONS = Path(__file__).parent / "migrations"
TABLES = ("articles", "actors", "events", "quotes", "claims", "timexes", "stories", "story_events",
          "positions")
BOOLEAN_COLUMNS = ("undirected", "direct", "anchored")
JSON_COLUMNS = ("event_ids", "history")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(dialect: str) -> list[tuple[int, str]]:
    """(version, SQL) for each numbered migration: the shared file, then the dialect's own."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            continue
        sql = path.read_text("utf-8")
        own = path.with_name(path.name[:-4] + f".{dialect}.sql")
        if own.exists():
            sql += "\n" + own.read_text("utf-8")
        found.append((int(m.group(1)), sql))
    return found


def statements(sql: str) -> list[str]:
    """The statements of a migration file (``--`` comments removed; no strings contain ``;``)."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


LATEST_VERSION = max(v for v, _ in migrations("sqlite"))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def outlet_of(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else (host or None)


def _span(obj, name: str) -> tuple:
    s = getattr(obj, name, None) if obj is not None else None
    return (s.start, s.end, s.text) if s is not None else (None, None, None)


def _ref(ref) -> tuple:
    if ref is None:
        return None, None, None, None, None, None
    start, end, _ = _span(ref, "mention")
    return ref.name, ref.actor, ref.country, ref.sector, start, end


class SQLStore(Store):
    """A store over a DB-API connection; subclasses open it and supply the dialect's parts."""

    dialect = "sql"
    placeholder = "?"

    def __init__(self, url: str):
        self.url = url
        self._lock = threading.RLock()  # one writer (and one statement at a time) per store object
        self._in_tx = False

    # -- the back end's parts ----------------------------------------------------------------
    def _execute(self, sql: str, params: tuple = ()):
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def _fts_insert(self, article_id: str, title: Optional[str], text: str) -> None:
        """Index an article for full-text search (PostgreSQL does it in a generated column)."""

    def _fts_filter(self, q: str) -> tuple[str, tuple]:
        """A condition on ``a.id`` (articles aliased ``a``) that is true for articles matching q."""
        raise NotImplementedError

    def _search_sql(self, q: str, limit: int) -> tuple[str, tuple]:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _rows(self, sql: str, params: tuple = ()) -> list[dict]:
        with self._lock:
            cur = self._execute(sql, params)
            names = [d[0] for d in cur.description]
            return [_decode(dict(zip(names, row))) for row in cur.fetchall()]

    def _one(self, sql: str, params: tuple = ()) -> Optional[dict]:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: tuple = ()):
        with self._lock:
            row = self._execute(sql, params).fetchone()
        return row[0] if row else None

    def _insert(self, table: str, row: dict) -> None:
        cols = list(row)
        self._execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      tuple(row.values()))

    def _insert_many(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        cols = list(rows[0])
        self._executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                          [tuple(r[c] for c in cols) for r in rows])

    # -- migrations --------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock, self._transaction():
            self._execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            current = int(self._scalar("SELECT value FROM meta WHERE key = ?", ("schema_version",)) or 0)
            if current > LATEST_VERSION:
                raise StoreError.e("E302", url=self.url, got=current, want=LATEST_VERSION)
            for version, sql in migrations(self.dialect):
                if version <= current:
                    continue
                for stmt in statements(sql):
                    self._execute(stmt)
                current = version
            self._execute("DELETE FROM meta WHERE key = ?", ("schema_version",))
            self._execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("schema_version", str(current)))

    def schema_version(self) -> int:
        return int(self._scalar("SELECT value FROM meta WHERE key = ?", ("schema_version",)) or 0)

    def data_version(self) -> str:
        """A value that changes whenever the stored data does (an article added, stories or
        positions rebuilt, by this process or another): readers key their caches on it."""
        return str(self._scalar("SELECT value FROM meta WHERE key = ?", ("data_version",)) or "0")

    def _bump_data_version(self) -> None:
        self._execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ?",
                      ("data_version",))

    # -- writing -----------------------------------------------------------------------------
    def has_article(self, url: Optional[str] = None, content_hash: Optional[str] = None) -> bool:
        return self._existing(url, content_hash) is not None

    def _existing(self, url: Optional[str], chash: Optional[str]) -> Optional[str]:
        if chash:
            found = self._scalar("SELECT id FROM articles WHERE content_hash = ?", (chash,))
            if found:
                return found
        if url:
            return self._scalar("SELECT id FROM articles WHERE url = ?", (url,))
        return None

    def add_document(self, doc: Document, source: Optional[str] = None) -> AddResult:
        chash = neardup.content_hash(doc.text)
        with self._lock, self._transaction():
            existing = self._existing(doc.url, chash)
            if existing:
                return AddResult(existing, False)
            article_id = chash[:16]
            sig = neardup.signature(doc.text)
            near, sim = self._near_duplicate(sig)
            self._insert("articles", {
                "id": article_id, "external_id": doc.id, "url": doc.url, "content_hash": chash,
                "title": doc.title, "published": doc.published, "published_source": doc.published_source,
                "outlet": outlet_of(doc.url), "ingest_source": source, "near_duplicate_of": near,
                "similarity": sim, "minhash": neardup.to_text(sig), "n_chars": len(doc.text),
                "n_events": len(doc.events), "n_quotes": len(doc.quotes), "text": doc.text,
                "document": json.dumps(doc.to_dict(), ensure_ascii=False), "ingested_at": _now(),
            })
            self._fts_insert(article_id, doc.title, doc.text)
            self._insert_many("article_bands", [{"band": b, "bucket": k, "article_id": article_id}
                                                for b, k in neardup.bands(sig)])
            self._insert_many("actors", [_actor_row(article_id, a) for a in doc.actors])
            self._insert_many("events", [_event_row(article_id, i, e, doc) for i, e in enumerate(doc.events)])
            self._insert_many("quotes", [_quote_row(article_id, q) for q in doc.quotes])
            self._insert_many("claims", [_claim_row(article_id, c) for c in doc.claims])
            self._insert_many("timexes", [_timex_row(article_id, t) for t in doc.timexes])
            self._bump_data_version()
        return AddResult(article_id, True, near)

    def _near_duplicate(self, sig) -> tuple[Optional[str], Optional[float]]:
        buckets = neardup.bands(sig)
        cond = " OR ".join("(b.band = ? AND b.bucket = ?)" for _ in buckets)
        params = tuple(x for pair in buckets for x in pair)
        candidates = self._rows(
            f"SELECT DISTINCT a.id, a.minhash, a.ingested_at FROM article_bands b "
            f"JOIN articles a ON a.id = b.article_id WHERE {cond}", params)
        best, best_sim = None, 0.0
        for c in sorted(candidates, key=lambda c: (c["ingested_at"], c["id"])):
            sim = neardup.similarity(sig, neardup.from_text(c["minhash"]))
            if sim >= neardup.NEAR_DUPLICATE_THRESHOLD and sim > best_sim:
                best, best_sim = c["id"], sim
        return (best, round(best_sim, 3)) if best else (None, None)

    def rebuild_stories(self) -> int:
        from ..stories import build_stories

        stories, links = build_stories(self.iter_events())
        with self._lock, self._transaction():
            self._execute("DELETE FROM story_events")
            self._execute("DELETE FROM stories")
            self._insert_many("stories", stories)
            self._insert_many("story_events", links)
            self._bump_data_version()
        return len(stories)

    def rebuild_positions(self, issues_path=None) -> int:
        from ..positions import build_positions

        rows = build_positions(self, issues_path)
        with self._lock, self._transaction():
            self._execute("DELETE FROM positions")
            self._insert_many("positions", rows)
            self._bump_data_version()
        return len(rows)

    # -- stance statements, read once per article and rules version (positions) --------------
    def cached_stance_statements(self, rules: str) -> list[tuple[str, Optional[str], Optional[str]]]:
        """(article id, published, statements JSON or None when not read with ``rules``) per article."""
        return [(r["id"], r["published"], r["statements"]) for r in self._rows(
            "SELECT a.id, a.published, s.statements FROM articles a LEFT JOIN stance_statements s "
            "ON s.article_id = a.id AND s.rules = ? ORDER BY a.id", (rules,))]

    def documents(self, article_ids: list[str], batch: int = 200) -> Iterator[tuple[str, Optional[str], dict]]:
        """(article id, published, Document as a dict) for the given articles."""
        for i in range(0, len(article_ids), batch):
            chunk = list(article_ids[i:i + batch])
            rows = self._rows(f"SELECT id, published, document FROM articles WHERE id IN "
                              f"({', '.join('?' * len(chunk))}) ORDER BY id", tuple(chunk))
            for r in rows:
                yield r["id"], r["published"], json.loads(r["document"])

    def save_stance_statements(self, rules: str, rows: list[tuple[str, str]]) -> None:
        """Keep (article id, statements JSON) read with ``rules``."""
        with self._lock, self._transaction():
            self._executemany("DELETE FROM stance_statements WHERE article_id = ?", [(a,) for a, _ in rows])
            self._insert_many("stance_statements", [{"article_id": a, "rules": rules, "statements": s}
                                                    for a, s in rows])

    # -- reading -----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {t: int(self._scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}

    def article(self, article_id: str) -> Optional[dict]:
        article_id = _no_nul(article_id)
        row = self._one("SELECT * FROM articles WHERE id = ?", (article_id,))
        if row is None:
            row = self._one("SELECT * FROM articles WHERE external_id = ? ORDER BY ingested_at LIMIT 1",
                            (article_id,))
        if row is None:
            return None
        row.pop("minhash", None)
        row.pop("fts", None)
        row["document"] = json.loads(row["document"])
        row["near_duplicates"] = [r["id"] for r in self._rows(
            "SELECT id FROM articles WHERE near_duplicate_of = ? ORDER BY id", (row["id"],))]
        return row

    ARTICLE_LIST = ("a.id, a.external_id, a.title, a.url, a.outlet, a.published, a.near_duplicate_of, "
                    "a.similarity, a.n_chars, a.n_events, a.n_quotes, a.ingest_source, a.ingested_at, "
                    "substr(a.text, 1, 240) AS lead")

    def articles(self, q: Optional[str] = None, limit: int = 50, offset: int = 0) -> list[dict]:
        q = _no_nul(q)
        where, params = "", ()
        if q:
            cond, params = self._fts_filter(q)
            if cond is None:
                return []
            where = f"WHERE {cond}"
        return self._rows(f"SELECT {self.ARTICLE_LIST} FROM articles a {where} "
                          f"ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?", (*params, int(limit), int(offset)))

    EVENT_COLUMNS = "e.*, a.title AS article_title, a.url AS article_url, a.outlet AS outlet"

    def _event_filters(self, actor=None, type=None, status=None, since=None, until=None, q=None,
                       article_id=None, min_confidence=None) -> tuple[str, tuple]:
        conds, params = [], []
        # NUL cannot be part of any stored value; SQLite would end the string there and PostgreSQL
        # refuses it, so it is dropped from every filter before it reaches the database.
        actor, type, status, since, until, q, article_id = (
            _no_nul(v) for v in (actor, type, status, since, until, q, article_id))
        if actor:
            conds.append("(upper(e.source_country) = ? OR upper(e.target_country) = ? "
                         "OR lower(e.source_name) LIKE ? ESCAPE '!' OR lower(e.target_name) LIKE ? ESCAPE '!')")
            like = _contains(actor)
            params += [actor.upper(), actor.upper(), like, like]
        if type:
            conds.append("e.type = ?")
            params.append(type.upper())
        if status:
            conds.append("e.status = ?")
            params.append(status.lower())
        # A range keeps every event whose days overlap it: "2025-W22" is in "since 2025-05-30".
        if since:
            conds.append("e.date_end >= ?")
            params.append(since[:10])
        if until:
            conds.append("e.date_start <= ?")
            params.append(until[:10])
        if article_id:
            conds.append("e.article_id = ?")
            params.append(article_id)
        if min_confidence is not None:
            conds.append("e.confidence >= ?")
            params.append(float(min_confidence))
        if q:
            cond, p = self._fts_filter(q)
            if cond is None:
                conds.append("1 = 0")
            else:
                conds.append(cond)
                params += list(p)
        return ("WHERE " + " AND ".join(conds)) if conds else "", tuple(params)

    def events(self, actor: Optional[str] = None, type: Optional[str] = None,
               status: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, q: Optional[str] = None, article_id: Optional[str] = None,
               limit: int = 100, offset: int = 0, min_confidence: Optional[float] = None) -> list[dict]:
        where, params = self._event_filters(actor, type, status, since, until, q, article_id, min_confidence)
        return self._rows(f"SELECT {self.EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
                          f"{where} ORDER BY e.day DESC NULLS LAST, e.article_id, e.seq LIMIT ? OFFSET ?",
                          (*params, int(limit), int(offset)))

    # Which side of an event is a node of the actor network: a resolved actor or a country, not an
    # unresolved phrase ("the agreement"); and the quad class, from the Goldstein sign when missing.
    _SIDE_OK = ("CASE WHEN coalesce(e.{0}_actor, '') <> '' OR coalesce(e.{0}_country, '') <> '' "
                "THEN 1 ELSE 0 END")
    _QUAD = ("CASE WHEN e.quad_class IN (1, 2, 3, 4) THEN e.quad_class WHEN e.goldstein > 0 THEN 1 "
             "WHEN e.goldstein < 0 THEN 3 ELSE 0 END")

    def event_summary(self, max_nodes: int = 150, **filters) -> dict:
        """The timeline and the actor network, aggregated by the database, for the events that
        pass ``filters`` (those of ``events``): events per day and type (``timeline``); the
        ``max_nodes`` actors taking part in the most events (``nodes``: name, country, events) and
        how many actors there are in all (``nodes_total``); and, between those actors only, events
        per source, target, quad class, type and direction (``pairs``). A few hundred small rows
        whatever the size of the store."""
        where, params = self._event_filters(**filters)
        # The article join is needed only by the full-text filter (a condition on a.id).
        join = "JOIN articles a ON a.id = e.article_id" if filters.get("q") else ""
        base = f"FROM events e {join} {where}"
        timeline = self._rows(f"SELECT e.day AS day, e.type AS type, count(*) AS n {base} GROUP BY e.day, e.type",
                              params)
        s_ok, t_ok = self._SIDE_OK.format("source"), self._SIDE_OK.format("target")
        and_ = "AND" if where else "WHERE"
        sides = (f"SELECT e.source_name AS name, e.source_country AS country {base} {and_} {s_ok} = 1 "
                 f"UNION ALL SELECT e.target_name, e.target_country {base} {and_} {t_ok} = 1")
        per_actor = (f"SELECT name, max(country) AS country, count(*) AS events FROM ({sides}) sides "
                     f"WHERE name IS NOT NULL GROUP BY name")
        nodes = self._rows(f"SELECT name, country, events, count(*) OVER () AS total FROM ({per_actor}) n "
                           f"ORDER BY events DESC, name LIMIT ?", (*params, *params, int(max_nodes)))
        total = int(nodes[0]["total"]) if nodes else 0
        pairs: list[dict] = []
        names = [n["name"] for n in nodes]
        if names:
            marks = ", ".join("?" * len(names))
            pairs = self._rows(
                f"SELECT e.source_name AS source, e.target_name AS target, {self._QUAD} AS quad, e.type AS type, "
                f"e.undirected AS undirected, count(*) AS n, sum(e.goldstein) AS goldstein, "
                f"count(e.goldstein) AS scored {base} {and_} {s_ok} = 1 AND {t_ok} = 1 "
                f"AND e.source_name IN ({marks}) AND e.target_name IN ({marks}) AND e.source_name <> e.target_name "
                f"GROUP BY e.source_name, e.target_name, {self._QUAD}, e.type, e.undirected",
                (*params, *names, *names))
        return {"timeline": timeline, "nodes": nodes, "nodes_total": total, "pairs": pairs}

    def pair_events(self, source: str, target: str, limit: int = 50, **filters) -> tuple[list[dict], int]:
        """The events of one edge of the actor network (``event_summary``): ``source`` acting on
        ``target``, or the two together in either order when the event is undirected, both sides
        resolved actors; newest first, at most ``limit``, and how many there are in all."""
        source, target = _no_nul(source), _no_nul(target)
        where, params = self._event_filters(**filters)
        s_ok, t_ok = self._SIDE_OK.format("source"), self._SIDE_OK.format("target")
        # The summary files an undirected event under its two names in sorted order, whichever
        # was the grammatical source: the same edge here.
        if source < target:
            pair = "((e.source_name = ? AND e.target_name = ?) OR (e.undirected = 1 AND e.source_name = ? AND e.target_name = ?))"
            pair_params: tuple = (source, target, target, source)
        elif source == target:   # an actor acting on itself is no edge of the network
            pair, pair_params = "1 = 0", ()
        else:
            pair = "(e.source_name = ? AND e.target_name = ? AND e.undirected = 0)"
            pair_params = (source, target)
        pair += f" AND {s_ok} = 1 AND {t_ok} = 1"
        where = f"{where} AND {pair}" if where else f"WHERE {pair}"
        params = (*params, *pair_params)
        base = f"FROM events e JOIN articles a ON a.id = e.article_id {where}"
        rows = self._rows(f"SELECT {self.EVENT_COLUMNS} {base} ORDER BY e.day DESC NULLS LAST, e.article_id, e.seq "
                          f"LIMIT ?", (*params, int(limit)))
        total = int(self._scalar(f"SELECT count(*) {base}", params))
        return rows, total

    def count_events(self, **filters) -> int:
        where, params = self._event_filters(**filters)
        return int(self._scalar(f"SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id {where}",
                                params))

    def iter_events(self, batch: int = 5000, **filters) -> Iterator[dict]:
        """Every event row (oldest first) in batches, for stories, positions and exports."""
        where, params = self._event_filters(**filters)
        last = ("", "", -1)
        while True:
            cond = ("(coalesce(e.day, '') > ? OR (coalesce(e.day, '') = ? AND e.article_id > ?) "
                    "OR (coalesce(e.day, '') = ? AND e.article_id = ? AND e.seq > ?))")
            keyset = (last[0], last[0], last[1], last[0], last[1], last[2])
            full = f"{where} AND {cond}" if where else f"WHERE {cond}"
            rows = self._rows(
                f"SELECT {self.EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id {full} "
                f"ORDER BY coalesce(e.day, ''), e.article_id, e.seq LIMIT ?", (*params, *keyset, batch))
            yield from rows
            if len(rows) < batch:
                return
            r = rows[-1]
            last = (r["day"] or "", r["article_id"], r["seq"])

    def quotes(self, article_id: Optional[str] = None, limit: int = 1000, offset: int = 0) -> list[dict]:
        where, params = ("WHERE q.article_id = ?", (article_id,)) if article_id else ("", ())
        return self._rows(f"SELECT q.*, a.published, a.title AS article_title FROM quotes q "
                          f"JOIN articles a ON a.id = q.article_id {where} "
                          f"ORDER BY a.published, q.article_id, q.content_start LIMIT ? OFFSET ?",
                          (*params, int(limit), int(offset)))

    def actors(self, q: Optional[str] = None, limit: int = 100, offset: int = 0) -> list[dict]:
        q = _no_nul(q)
        where, params = "", ()
        if q:
            where = "WHERE lower(ac.name) LIKE ? ESCAPE '!' OR upper(coalesce(ac.country, '')) = ?"
            params = (_contains(q), q.upper())
        # Both sides are counted per (name, country) straight from their covering indexes, the
        # actors per (name, country) from theirs, and only the two small results are joined.
        return self._rows(f"""
            WITH sides AS (
                SELECT source_name AS name, coalesce(source_country, '') AS country, count(*) AS n
                FROM events WHERE source_name IS NOT NULL GROUP BY source_name, source_country
                UNION ALL
                SELECT target_name, coalesce(target_country, ''), count(*)
                FROM events WHERE target_name IS NOT NULL GROUP BY target_name, target_country
            ), per_actor AS (SELECT name, country, CAST(sum(n) AS BIGINT) AS n FROM sides GROUP BY name, country),
            grouped AS (
                SELECT ac.name, coalesce(ac.country, '') AS country_key, max(ac.country) AS country,
                       max(ac.kind) AS kind, max(ac.sector) AS sector, max(ac.kb_id) AS kb_id,
                       count(DISTINCT ac.article_id) AS articles, sum(ac.mentions) AS mentions
                FROM actors ac {where}
                GROUP BY ac.name, coalesce(ac.country, '')
            )
            SELECT g.name, g.country, g.kind, g.sector, g.kb_id, g.articles, g.mentions,
                   coalesce(p.n, 0) AS events
            FROM grouped g LEFT JOIN per_actor p ON p.name = g.name AND p.country = g.country_key
            ORDER BY events DESC, articles DESC, g.name LIMIT ? OFFSET ?""",
                          (*params, int(limit), int(offset)))

    def stories(self, limit: int = 100, offset: int = 0) -> list[dict]:
        return self._rows("SELECT s.*, s.first_article_id AS article_id FROM stories s "
                          "ORDER BY s.num_articles DESC, s.num_mentions DESC, s.first_reported DESC, s.id "
                          "LIMIT ? OFFSET ?", (int(limit), int(offset)))

    def story(self, story_id: str) -> Optional[dict]:
        story_id = _no_nul(story_id)
        row = self._one("SELECT s.*, s.first_article_id AS article_id FROM stories s WHERE s.id = ?", (story_id,))
        if row is None:
            return None
        row["mentions"] = self._rows(
            f"SELECT {self.EVENT_COLUMNS} FROM story_events se JOIN events e ON e.id = se.event_row "
            f"JOIN articles a ON a.id = e.article_id WHERE se.story_id = ? ORDER BY a.published, e.article_id, e.seq",
            (story_id,))
        return row

    def positions(self, conflict: Optional[str] = None) -> list[dict]:
        conflict = _no_nul(conflict)
        where, params = ("WHERE p.conflict = ?", (conflict,)) if conflict else ("", ())
        rows = self._rows(f"SELECT p.*, a.published, a.title AS article_title FROM positions p "
                          f"LEFT JOIN articles a ON a.id = p.article_id {where} "
                          f"ORDER BY p.conflict, p.issue_order, p.issue, p.party", params)
        for r in rows:
            r["evidence"] = {"start": r["evidence_start"], "end": r["evidence_end"], "text": r["evidence_text"]}
        return rows

    def search(self, q: str, limit: int = 50) -> list[dict]:
        sql, params = self._search_sql(q, int(limit))
        if sql is None:
            return []
        return self._rows(sql, params)

    def events_frame(self, **filters):
        """Events as a pandas DataFrame (one row per event, the columns of the events table)."""
        import pandas as pd

        rows = list(self.iter_events(**filters))
        return pd.DataFrame(rows)

    def iter_documents(self, batch: int = 200) -> Iterator[tuple[str, Optional[str], dict]]:
        """(article id, published, Document as a dict) for every article, in id order."""
        last = ""
        while True:
            rows = self._rows("SELECT id, published, document FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                              (last, batch))
            for r in rows:
                yield r["id"], r["published"], json.loads(r["document"])
            if len(rows) < batch:
                return
            last = rows[-1]["id"]

    def iter_table(self, table: str, order: str = "id", batch: int = 5000) -> Iterator[dict]:
        if table not in TABLES and table != "meta":
            raise StoreError.e("E301", url=self.url, reason=f"no table {table!r}")
        offset = 0
        while True:
            rows = self._rows(f"SELECT * FROM {table} ORDER BY {order} LIMIT ? OFFSET ?", (batch, offset))
            yield from rows
            if len(rows) < batch:
                return
            offset += batch


def _decode(row: dict) -> dict:
    for k in BOOLEAN_COLUMNS:
        if k in row and row[k] is not None:
            row[k] = bool(row[k])
    for k in JSON_COLUMNS:
        if isinstance(row.get(k), str):
            row[k] = json.loads(row[k])
    return row


# -- rows from a Document ------------------------------------------------------------------------
def _actor_row(article_id: str, a) -> dict:
    first = min(a.mentions, key=lambda m: m.start) if a.mentions else None
    return {"article_id": article_id, "actor_id": a.id, "name": a.name, "kind": a.kind,
            "country": a.country, "sector": a.sector, "role": a.role, "kb_id": a.kb_id,
            "mentions": len(a.mentions), "first_start": first.start if first else None,
            "first_end": first.end if first else None, "first_text": first.text if first else None}


def _event_row(article_id: str, seq: int, e, doc: Document) -> dict:
    s_name, s_actor, s_country, s_sector, s_start, s_end = _ref(e.source)
    t_name, t_actor, t_country, t_sector, t_start, t_end = _ref(e.target)
    day = event_day(e.date, doc.published)
    date_start, date_end = date_span(e.date) or (day, day)
    return {
        "id": f"{article_id}:{e.id}", "article_id": article_id, "event_id": e.id, "seq": seq,
        "type": e.type, "status": e.status, "mode": e.mode, "cameo": e.cameo,
        "goldstein": e.goldstein, "quad_class": e.quad_class,
        "source_name": s_name, "source_actor": s_actor, "source_country": s_country,
        "source_sector": s_sector, "source_start": s_start, "source_end": s_end,
        "target_name": t_name, "target_actor": t_actor, "target_country": t_country,
        "target_sector": t_sector, "target_start": t_start, "target_end": t_end,
        "undirected": int(bool(e.undirected)), "date": e.date, "published": doc.published, "day": day,
        "date_start": date_start, "date_end": date_end,
        "location": e.location, "location_country": e.location_country,
        "trigger_start": e.trigger.start, "trigger_end": e.trigger.end, "trigger_text": e.trigger.text,
        "sentence_start": e.sentence.start, "sentence_end": e.sentence.end,
        "sentence_text": e.sentence.text, "quote_id": e.quote, "timex_id": e.timex,
        "confidence": e.confidence,
    }


def event_day(date: Optional[str], published: Optional[str]) -> Optional[str]:
    """The day an event is placed on: its own date when the text fixes the day, else the day it
    was published ("in 2022" or "last month" place nothing on a day)."""
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date[:10]):
        return date[:10]
    return (published or "")[:10] or None


_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def date_span(value: Optional[str]) -> Optional[tuple[str, str]]:
    """(first day, last day) that a TIMEX3-style date covers — a day, an ISO week ("2025-W22",
    "2025-W22-3", "2025-W22-WE"), a month, a quarter ("2025-Q2"), a half ("2025-H1"), a season
    ("2025-SU") or a year — or None when it fixes no calendar range ("XXXX-WXX", "PRESENT_REF")."""
    if not value:
        return None
    v = value.strip().upper()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(T.*)?", v):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d.isoformat(), d.isoformat()
        if m := re.fullmatch(r"(\d{4})-W(\d{2})(?:-(\d|WE))?(T.*)?", v):
            y, w, part = int(m[1]), int(m[2]), m[3]
            first, last = (1, 7) if part is None else (6, 7) if part == "WE" else (int(part), int(part))
            return (date.fromisocalendar(y, w, first).isoformat(), date.fromisocalendar(y, w, last).isoformat())
        if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
            return _months(int(m[1]), int(m[2]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", v):
            q = int(m[2])
            return _months(int(m[1]), 3 * q - 2, 3 * q)
        if m := re.fullmatch(r"(\d{4})-H([12])", v):
            h = int(m[2])
            return _months(int(m[1]), 6 * h - 5, 6 * h)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v):
            return _months(int(m[1]), *_SEASON_MONTHS[m[2]])
        if m := re.fullmatch(r"(\d{4})", v):
            return _months(int(m[1]), 1, 12)
    except ValueError:  # a month 13, a week 54: no range rather than a wrong one
        return None
    return None


def _months(year: int, first: int, last: int) -> tuple[str, str]:
    """First day of month ``first`` to last day of month ``last`` (months past 12 run into the
    next year, as winter does)."""
    start = date(year, first, 1)
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    return start.isoformat(), end.isoformat()


def _quote_row(article_id: str, q) -> dict:
    name, actor, country, _, _, _ = _ref(q.speaker)
    cue_start, cue_end, cue_text = _span(q, "cue")
    return {"id": f"{article_id}:{q.id}", "article_id": article_id, "quote_id": q.id,
            "direct": int(bool(q.direct)), "speaker_name": name, "speaker_actor": actor,
            "speaker_country": country, "channel": q.channel, "content_start": q.content.start,
            "content_end": q.content.end, "content_text": q.content.text, "cue_text": cue_text,
            "cue_start": cue_start, "cue_end": cue_end, "event_ids": json.dumps(list(q.events))}


def _claim_row(article_id: str, c) -> dict:
    name, _, country, _, _, _ = _ref(c.claimant)
    return {"id": f"{article_id}:{c.id}", "article_id": article_id, "claim_id": c.id,
            "value": c.value, "value_max": c.value_max, "unit": c.unit, "change": c.change,
            "qualifier": c.qualifier, "per": c.per, "claimant_name": name, "claimant_country": country,
            "span_start": c.span.start, "span_end": c.span.end, "span_text": c.span.text,
            "quote_id": c.quote}


def _timex_row(article_id: str, t) -> dict:
    return {"id": f"{article_id}:{t.id}", "article_id": article_id, "timex_id": t.id, "type": t.type,
            "value": t.value, "anchored": int(bool(t.anchored)), "span_start": t.start,
            "span_end": t.end, "span_text": t.text}


def _no_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


def _contains(value: str) -> str:
    """A LIKE pattern (escape character ``!``) matching text that contains ``value``, any case."""
    escaped = value.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def fts_terms(q: str) -> list[str]:
    """The words of a user's query, without any search-syntax characters."""
    return re.findall(r"\w+", q or "")
