"""Ingest: sources (files, directories, JSONL dumps, pages, feeds) → extraction → the store.

Articles already stored (same URL or same content hash) are skipped before any NLP runs, and so
are repeats within one run, so ingesting the same input twice does no work the second time.
Extraction goes through ``eventwire.scale.process`` when that module is present (worker processes
or a Dask cluster), else through one in-process ``Pipeline``; the spaCy model is only loaded when
there is at least one new article. One bad article never stops the others: it is reported (one
line) and counted. Stories and positions are rebuilt once at the end when anything was added.
"""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional, TextIO, Union

from ..errors import EventwireError, ExtractionError
from ..ingest.sources import Failure, iter_items, max_bytes_from_env
from ..model import Document
from ..pipeline import Article
from .base import Store
from .neardup import content_hash


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0                   # already stored, or repeated within this run
    near_duplicates: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)
    stories: Optional[int] = None
    positions: Optional[int] = None

    @property
    def seen(self) -> int:
        return self.added + self.skipped + len(self.failures)


def _sources(items: Iterable[str], published: Optional[str], store: Store, fetcher,
             max_bytes: int) -> Iterator[Union[Article, Failure, str]]:
    for item in items:
        if isinstance(item, str) and item.lower().startswith(("http://", "https://")):
            from ..ingest.fetch import iter_url

            yield from iter_url(item, published, fetcher, skip=lambda u: store.has_article(url=u))
        else:
            yield from iter_items([item], published, max_bytes)


def _extract(articles: Iterable[Article], workers: int, dask: Optional[str], pipeline=None
             ) -> Iterator[Union[Document, Failure]]:
    """Documents or Failures, in input order, for a stream of articles."""
    if pipeline is not None:
        yield from _one_by_one(articles, pipeline)
        return
    it = iter(articles)
    first = next(it, None)
    if first is None:
        return  # nothing new: no model to load, no workers to start
    articles = _chain(first, it)
    try:
        scale = importlib.import_module("eventwire.scale")
    except ModuleNotFoundError as exc:
        if exc.name != "eventwire.scale":
            raise
        scale = None
    if scale is not None and hasattr(scale, "process"):
        yield from scale.process(articles, workers=workers, dask=dask)
        return
    from ..pipeline import Pipeline

    yield from _one_by_one(articles, Pipeline())


def _one_by_one(articles: Iterable[Article], pipe) -> Iterator[Union[Document, Failure]]:
    for art in articles:
        try:
            yield next(pipe.pipe([art]))
        except EventwireError as exc:
            yield Failure(art.url or art.id or "article", exc)
        except Exception as exc:  # noqa: BLE001 - one article breaking a stage must not stop a batch
            where = art.url or art.id or "article"
            yield Failure(where, ExtractionError.e("E601", item=where, reason=f"{type(exc).__name__}: {exc}"))


def _chain(first, rest):
    yield first
    yield from rest


def ingest(items: Iterable[str], store: Store, published: Optional[str] = None, workers: int = 1,
           dask: Optional[str] = None, fetcher=None, source: Optional[str] = None,
           rebuild: bool = True, on_failure: Optional[Callable[[Failure], None]] = None,
           max_bytes: Optional[int] = None, pipeline=None,
           min_confidence: Optional[float] = None) -> IngestReport:
    """Store every new article under ``items`` (paths or URLs) with its extraction.

    ``pipeline``: an eventwire ``Pipeline`` to extract with, in this process (default: the
    scale module's workers when present, else a new Pipeline, loaded only if needed)."""
    report = IngestReport()
    seen_hashes: set[str] = set()
    max_bytes = max_bytes or max_bytes_from_env()

    def fail(f: Failure) -> None:
        report.failures.append(f)
        if on_failure:
            on_failure(f)

    def new_articles() -> Iterator[Article]:
        for x in _sources(items, published, store, fetcher, max_bytes):
            if isinstance(x, str):          # a feed entry already stored: not even fetched
                report.skipped += 1
            elif isinstance(x, Failure):
                fail(x)
            else:
                h = content_hash(x.text)
                if h in seen_hashes or store.has_article(url=x.url, content_hash=h):
                    report.skipped += 1
                    continue
                seen_hashes.add(h)
                yield x

    for result in _extract(new_articles(), workers, dask, pipeline):
        if isinstance(result, Failure):
            fail(result)
            continue
        if min_confidence:
            from ..events.decide import keep_confident
            keep_confident(result, min_confidence)
        added = store.add_document(result, source=source)
        if added.added:
            report.added += 1
            report.events += len(result.events)
            report.near_duplicates += bool(added.near_duplicate_of)
        else:
            report.skipped += 1
    if rebuild and report.added:
        report.stories = store.rebuild_stories()
        report.positions = store.rebuild_positions()
    return report


def print_report(report: IngestReport, store: Store, out: Optional[TextIO] = None) -> None:
    out = out or sys.stdout
    print(f"added {report.added} articles ({report.events} events, {report.near_duplicates} near-duplicates), "
          f"skipped {report.skipped} already stored, {len(report.failures)} failed", file=out)
    if report.stories is not None:
        print(f"rebuilt {report.stories} stories and {report.positions} positions", file=out)
    counts = store.counts()
    print("store: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=out)
