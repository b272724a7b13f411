"""eventwire: news about conflict and diplomacy in, verifiable event data out.

    >>> import eventwire
    >>> doc = eventwire.extract("Russia and Ukraine agreed to exchange 1,000 prisoners.",
    ...                         published="2025-05-17")
    >>> [(e.type, e.status) for e in doc.events]
"""
from __future__ import annotations

from typing import Optional

from .errors import EventwireError, InputError, ModelError
from .model import (
    SCHEMA_VERSION, Actor, ActorRef, Claim, Document, Event, Mention, Quote, Span, Timex,
    document_from_dict,
)
from .pipeline import Article, Pipeline

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION", "Actor", "ActorRef", "Article", "Claim", "Document", "Event",
    "EventwireError", "InputError", "Mention", "ModelError", "Pipeline", "Quote", "Span", "Timex",
    "__version__", "document_from_dict", "extract",
]

_default_pipeline: Optional[Pipeline] = None


def extract(text_or_html: str, published: Optional[str] = None, **meta) -> Document:
    """Extract one article (plain text or an HTML page) into a Document.

    ``published`` is the ISO publication date; relative dates ("on Monday") are resolved against
    it. HTML is recognised by its markup and cleaned first (body, title, date, no boilerplate).
    """
    from .ingest.sources import article_from_string

    global _default_pipeline
    if _default_pipeline is None:
        _default_pipeline = Pipeline()
    article = article_from_string(text_or_html, published=published, **meta)
    return next(_default_pipeline.pipe([article]))
