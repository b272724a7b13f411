"""The one interface every store implements (SQLite by default, PostgreSQL as the server option).

Rows come back as plain dicts with the column names of the tables, so the CLI, the API, the
dashboard and the exports share them. Every write is idempotent: an article is identified by its
URL (when it has one) and by the SHA-256 of its normalised text; adding it again changes nothing.

Tables (readable with datasette or sqlite-utils): articles, actors, events, quotes, claims,
timexes, stories, story_events, positions, meta (schema version).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..model import Document

DEFAULT_DB = "eventwire.db"


@dataclass
class AddResult:
    article_id: str
    added: bool                      # False: already stored (same URL or same content hash)
    near_duplicate_of: Optional[str] = None  # an earlier article with nearly the same text


class Store:
    """Abstract store. Implementations: ``sqlite.SQLiteStore``, ``postgres.PostgresStore``."""

    url: str

    # -- writing ---------------------------------------------------------------------------
    def add_document(self, doc: Document, source: Optional[str] = None) -> AddResult:
        """Store one extracted article with all its facts, in one transaction."""
        raise NotImplementedError

    def add_documents(self, docs: Iterable[Document], source: Optional[str] = None) -> list[AddResult]:
        return [self.add_document(d, source) for d in docs]

    def has_article(self, url: Optional[str] = None, content_hash: Optional[str] = None) -> bool:
        raise NotImplementedError

    def rebuild_stories(self) -> int:
        """Re-cluster events across articles into stories; returns the number of stories."""
        raise NotImplementedError

    def rebuild_positions(self, issues_path=None) -> int:
        """Recompute each party's stance on each negotiation issue; returns the number of rows.
        ``issues_path``: YAML file(s) of extra issues or conflicts (see data/positions/README.md)."""
        raise NotImplementedError

    # -- reading ---------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per table, e.g. {"articles": 12, "events": 80, ...}."""
        raise NotImplementedError

    def article(self, article_id: str) -> Optional[dict]:
        """One article with its full Document (key "document", the JSON form)."""
        raise NotImplementedError

    def articles(self, q: Optional[str] = None, limit: int = 50, offset: int = 0) -> list[dict]:
        """Articles, newest first; ``q`` is a full-text query over their text and title."""
        raise NotImplementedError

    def events(self, actor: Optional[str] = None, type: Optional[str] = None,
               status: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, q: Optional[str] = None, article_id: Optional[str] = None,
               limit: int = 100, offset: int = 0, min_confidence: Optional[float] = None) -> list[dict]:
        """Events filtered by actor (name or country code, as source or target), PLOVER type,
        status, date range (ISO, on the event date or else the publication date), full text and
        least calibrated confidence."""
        raise NotImplementedError

    def actors(self, q: Optional[str] = None, limit: int = 100, offset: int = 0) -> list[dict]:
        """Actors across articles (grouped by canonical name and country) with event counts."""
        raise NotImplementedError

    def stories(self, limit: int = 100, offset: int = 0) -> list[dict]:
        raise NotImplementedError

    def story(self, story_id: str) -> Optional[dict]:
        raise NotImplementedError

    def positions(self, conflict: Optional[str] = None) -> list[dict]:
        raise NotImplementedError

    def search(self, q: str, limit: int = 50) -> list[dict]:
        """Full-text search over articles: id, title, published and a snippet."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_store(url: Optional[str] = None) -> Store:
    """The store at ``url``: ``postgresql://…`` for PostgreSQL, anything else a SQLite file path
    (default ``eventwire.db``; ``sqlite:///path`` also accepted)."""
    import os

    url = url or os.environ.get("EVENTWIRE_DB") or DEFAULT_DB
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):] or DEFAULT_DB
    elif url.startswith("sqlite://"):
        url = url[len("sqlite://"):] or ":memory:"
    from .sqlite import SQLiteStore

    return SQLiteStore(url)
