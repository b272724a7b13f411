"""Articles from the web: single pages by URL, and RSS 2.0 / RSS 1.0 (RDF) / Atom feeds.

Fetching is polite and bounded: every request has a timeout and a size limit; transient failures
(connection errors, timeouts, 429 and 5xx answers) are retried with exponential back-off, honouring
a short ``Retry-After``; requests to one host are spaced by at least ``delay`` seconds (across
threads), and a host's robots.txt is honoured for our user agent. Client errors (404, 403 …) are not
retried. Whatever fails becomes one ``FetchError`` (E501) for that URL, never a traceback, and a
feed goes on past an entry that fails.

Feeds are parsed with the standard library's XML parser (expat refuses external entities and
limits entity expansion); only the entry link, title, date and summary are read.
"""
from __future__ import annotations

import email.utils
import re
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, Union
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import EventwireError, FetchError, InputError
from ..pipeline import Article
from .sources import DEFAULT_MAX_BYTES, Failure, article_from_string, check_date, decode

USER_AGENT = f"eventwire/{__version__} (+https://github.com/eventwire/eventwire; news event coding)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
DEFAULT_DELAY = 1.0          # seconds between two requests to the same host
MAX_RETRY_AFTER = 30.0       # a server asking us to wait longer than this gets a failure instead
RETRY_STATUSES = {429, 500, 502, 503, 504}
_FEED_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b",
                         re.S | re.I)


def is_url(s: str) -> bool:
    return isinstance(s, str) and s.lower().startswith(("http://", "https://"))


@dataclass
class Response:
    url: str                 # after redirects
    status: int
    content_type: str
    body: bytes


@dataclass
class Fetcher:
    """HTTP GET with timeouts, retries, a size limit, per-host spacing and robots.txt."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    delay: float = DEFAULT_DELAY
    backoff: float = 1.0
    max_bytes: int = DEFAULT_MAX_BYTES
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    _last: dict = field(default_factory=dict, repr=False)
    _robots: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            ready = self._last.get(host, 0.0) + self.delay
            start = max(now, ready)
            self._last[host] = start  # reserve the slot so concurrent callers queue behind it
        if start > now:
            time.sleep(start - now)

    def _allowed(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            rules = self._robots.get(origin)
        if rules is None:
            rules = urllib.robotparser.RobotFileParser()
            try:
                resp = self._get(origin + "/robots.txt", retries=0)
                if resp.status == 200:
                    rules.parse(resp.body.decode("utf-8", "replace").splitlines())
                else:
                    rules.allow_all = True
            except FetchError as exc:
                # No robots.txt (404) or an unreachable one: allowed, as crawlers conventionally do.
                rules.allow_all = True
                if "HTTP 401" in str(exc) or "HTTP 403" in str(exc):
                    rules.disallow_all = True
            with self._lock:
                self._robots[origin] = rules
        return rules.can_fetch(self.user_agent, url)

    def get(self, url: str) -> Response:
        if not is_url(url):
            raise FetchError.e("E501", url=url, reason="not an http(s) URL")
        if not self._allowed(url):
            raise FetchError.e("E501", url=url, reason="disallowed by the site's robots.txt")
        return self._get(url, self.retries)

    def _get(self, url: str, retries: int) -> Response:
        host = urlsplit(url).netloc.lower()
        attempt = 0
        while True:
            self._wait_turn(host)
            wait = None
            try:
                return self._once(url)
            except urllib.error.HTTPError as exc:
                reason = f"HTTP {exc.code}"
                if exc.code not in RETRY_STATUSES:
                    raise FetchError.e("E501", url=url, reason=reason) from None
                wait = _retry_after(exc.headers.get("Retry-After"))
                if wait is not None and wait > MAX_RETRY_AFTER:
                    raise FetchError.e("E501", url=url, reason=f"{reason}, asked to retry after {wait:.0f}s") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                reason = _reason(exc)
            if attempt >= retries:
                raise FetchError.e("E501", url=url, reason=f"{reason} (after {attempt + 1} attempts)")
            time.sleep(wait if wait is not None else self.backoff * (2 ** attempt))
            attempt += 1

    def _once(self, url: str) -> Response:
        req = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                      "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
        })
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            body = resp.read(self.max_bytes + 1)
            if len(body) > self.max_bytes:
                raise FetchError.e("E501", url=url, reason=f"larger than the limit of {self.max_bytes} bytes")
            return Response(resp.geturl(), resp.status, resp.headers.get("Content-Type", ""), body)


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", None)
    if isinstance(inner, BaseException):
        exc = inner
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timed out"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


# -- feeds -------------------------------------------------------------------------------------
@dataclass
class FeedEntry:
    url: str
    title: Optional[str] = None
    published: Optional[str] = None
    summary: Optional[str] = None


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    ct = content_type.lower()
    if any(t in ct for t in ("rss", "atom")):
        return True
    return bool(_FEED_SNIFF.match(body[:4096]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, *names: str) -> Optional[str]:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def _feed_date(value: Optional[str]) -> Optional[str]:
    """An entry date as ISO (feeds use RFC 822 in RSS and RFC 3339 in Atom); None if unreadable."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return check_date(value, "feed")[:10]
    except (InputError, TypeError):
        return None


def parse_feed(body: bytes, base_url: str = "") -> list[FeedEntry]:
    """The entries of an RSS or Atom document, in document order, links made absolute."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchError.e("E501", url=base_url or "feed", reason=f"not a well-formed feed ({exc})") from None
    entries = []
    for el in root.iter():
        kind = _local(el.tag)
        if kind not in ("item", "entry"):
            continue
        link = None
        for child in el:
            if _local(child.tag) != "link":
                continue
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                link = href
                break
            if not href and (child.text or "").strip():
                link = child.text.strip()
                break
        if not link:
            guid = _child_text(el, "guid", "id")
            link = guid if guid and is_url(guid) else None
        if not link:
            continue
        entries.append(FeedEntry(
            url=urljoin(base_url, link),
            title=_child_text(el, "title"),
            published=_feed_date(_child_text(el, "pubdate", "published", "updated", "date", "issued")),
            summary=_child_text(el, "description", "summary"),
        ))
    return entries


# -- articles ---------------------------------------------------------------------------------
_default_fetcher: Optional[Fetcher] = None


def default_fetcher() -> Fetcher:
    global _default_fetcher
    if _default_fetcher is None:
        _default_fetcher = Fetcher()
    return _default_fetcher


def article_from_response(resp: Response, published: Optional[str] = None, **meta) -> Article:
    text = decode(resp.body, resp.url)
    meta.setdefault("url", resp.url)
    return article_from_string(text, published=published, item=resp.url, **meta)


def fetch_article(url: str, published: Optional[str] = None, fetcher: Optional[Fetcher] = None,
                  **meta) -> Article:
    """The article at ``url`` (an HTML page or plain text)."""
    resp = (fetcher or default_fetcher()).get(url)
    meta.setdefault("url", url)
    return article_from_response(resp, published=published, **meta)


def iter_url(url: str, published: Optional[str] = None, fetcher: Optional[Fetcher] = None,
             skip: Optional[Callable[[str], bool]] = None) -> Iterator[Union[Article, Failure, str]]:
    """Articles from a page or a feed URL; a Failure for each that could not be had.

    ``skip(url)`` is asked before each feed entry is fetched (e.g. "is it already stored?"); a
    skipped entry is yielded as its URL string so the caller can count it.
    """
    fetcher = fetcher or default_fetcher()
    if skip is not None and skip(url):  # a page already stored is not fetched again
        yield url
        return
    try:
        resp = fetcher.get(url)
        if not looks_like_feed(resp.body, resp.content_type):
            if skip is not None and skip(resp.url):
                yield resp.url
                return
            yield article_from_response(resp, published=published, url=url)
            return
        entries = parse_feed(resp.body, resp.url)
    except EventwireError as exc:
        yield Failure(url, exc)
        return
    for entry in entries:
        if skip is not None and skip(entry.url):
            yield entry.url
            continue
        try:
            meta = {"title": entry.title} if entry.title else {}
            yield fetch_article(entry.url, published=published or entry.published, fetcher=fetcher, **meta)
        except EventwireError as exc:
            yield Failure(entry.url, exc)
