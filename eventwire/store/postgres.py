"""The server store: PostgreSQL through psycopg 3, chosen by a ``postgresql://`` URL.

Same tables, same rows as the SQLite store (shared SQL in ``sql.py``); full-text search is a
generated ``tsvector`` column with a GIN index, queried with ``websearch_to_tsquery``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ..errors import StoreError
from .sql import SQLStore, fts_terms


class PostgresStore(SQLStore):
    dialect = "postgres"
    placeholder = "%s"

    def __init__(self, url: str):
        super().__init__(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError.e("E301", url=_safe(url),
                               reason="psycopg is not installed (pip install 'eventwire[server]')") from None
        self._psycopg = psycopg
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError.e("E301", url=_safe(url), reason=" ".join(str(exc).split())) from None
        # Several processes may open a new database at once: one migrates, the others wait.
        self._execute("SELECT pg_advisory_lock(?)", (0x657677,))
        try:
            self._migrate()
        finally:
            self._execute("SELECT pg_advisory_unlock(?)", (0x657677,))

    def _execute(self, sql: str, params: tuple = ()):
        try:
            return self.conn.execute(self._sql(sql), params, prepare=False)
        except self._psycopg.errors.UniqueViolation:
            raise
        except self._psycopg.Error as exc:
            raise StoreError.e("E303", url=_safe(self.url), reason=" ".join(str(exc).split())) from None

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        try:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)
        except self._psycopg.Error as exc:
            raise StoreError.e("E303", url=_safe(self.url), reason=" ".join(str(exc).split())) from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._in_tx:
            yield
            return
        self._in_tx = True
        try:
            with self.conn.transaction():
                yield
        finally:
            self._in_tx = False

    def add_document(self, doc, source=None):
        # Two writers (say the API and an ingest run) can both find an article missing and both
        # insert it; under READ COMMITTED the second insert fails on the unique keys. That article
        # is then simply already stored.
        try:
            return super().add_document(doc, source)
        except self._psycopg.errors.UniqueViolation:
            from .base import AddResult
            from .neardup import content_hash

            return AddResult(self._existing(doc.url, content_hash(doc.text)), False)

    def _fts_filter(self, q: str):
        terms = fts_terms(q)
        if not terms:
            return None, ()
        return "a.fts @@ plainto_tsquery('english', ?)", (" ".join(terms),)

    def _search_sql(self, q: str, limit: int):
        terms = fts_terms(q)
        if not terms:
            return None, ()
        return ("SELECT a.id, a.title, a.url, a.published, "
                "ts_headline('english', a.text, query, 'StartSel=[, StopSel=], MaxFragments=1, MaxWords=24, MinWords=8') AS snippet "
                "FROM articles a, plainto_tsquery('english', ?) AS query "
                "WHERE a.fts @@ query ORDER BY ts_rank(a.fts, query) DESC, a.id LIMIT ?",
                (" ".join(terms), limit))

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
