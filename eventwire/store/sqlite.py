"""The default store: one SQLite file (stdlib sqlite3, WAL journal, FTS5 search).

The file opens in any SQLite tool (datasette, sqlite-utils, the sqlite3 shell). Connections run
in autocommit mode and every write is an explicit ``BEGIN IMMEDIATE`` … ``COMMIT``, so an article
and all its facts land together or not at all, and a second writer waits (busy timeout) instead
of interleaving.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..errors import StoreError
from .sql import SQLStore, fts_terms

BUSY_TIMEOUT_MS = 30_000


class SQLiteStore(SQLStore):
    dialect = "sqlite"
    placeholder = "?"

    def __init__(self, path: str = "eventwire.db"):
        super().__init__(str(path))
        self.path = str(path)
        try:
            if self.path != ":memory:":
                parent = Path(self.path).expanduser().resolve().parent
                if not parent.is_dir():
                    raise StoreError.e("E301", url=self.path, reason=f"no directory {parent}")
            # The API calls a store from one worker thread that is not the one that opened it.
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses at most the last commit
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError.e("E301", url=self.path, reason=str(exc)) from None

    def _execute(self, sql: str, params: tuple = ()):
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise StoreError.e("E303", url=self.path, reason=str(exc)) from None

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.OperationalError as exc:
            raise StoreError.e("E303", url=self.path, reason=str(exc)) from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._in_tx:  # nested use joins the open transaction
            yield
            return
        self._execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_tx = False

    # -- full-text search: FTS5 with every query word quoted (no FTS syntax from users) -------
    def _fts_insert(self, article_id: str, title: Optional[str], text: str) -> None:
        self._execute("INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
                      (article_id, title or "", text))

    @staticmethod
    def _match(q: str) -> Optional[str]:
        terms = fts_terms(q)
        return " ".join(f'"{t}"' for t in terms) if terms else None

    def _fts_filter(self, q: str):
        match = self._match(q)
        if match is None:
            return None, ()
        return "a.id IN (SELECT article_id FROM articles_fts WHERE articles_fts MATCH ?)", (match,)

    def _search_sql(self, q: str, limit: int):
        match = self._match(q)
        if match is None:
            return None, ()
        return ("SELECT a.id, a.title, a.url, a.published, "
                "snippet(articles_fts, 2, '[', ']', ' … ', 16) AS snippet "
                "FROM articles_fts f JOIN articles a ON a.id = f.article_id "
                "WHERE articles_fts MATCH ? ORDER BY f.rank, a.id LIMIT ?", (match, limit))

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None
