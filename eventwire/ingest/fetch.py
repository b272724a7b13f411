"""Articles from the web: single pages by URL, and feeds (RSS 0.9x/2.0, RSS 1.0/RDF, Atom).

Fetching is polite, bounded and closed to the fetching machine's own network:

- every hop (the first request and each redirect) resolves the host once, refuses the whole hop
  if any address it got is loopback, private, link-local/metadata, unique-local, unspecified or
  otherwise not public (``addresses.address_problem``), and then connects to exactly the address
  it checked — the URL given to httpx carries the address, the Host header and TLS SNI carry the
  name (certificates are verified against the name) — so a name cannot resolve to a public
  address for the check and to a private one for the connection (DNS rebinding);
- redirects are followed by hand (at most ``max_redirects``), each one checked like the first URL
  and against robots.txt; proxies from the environment are ignored, since a proxy would connect
  to names we did not check;
- ``allow_hosts`` (``--allow-host HOST[:PORT]``) lets an operator fetch from a private host on
  purpose: it matches the name written in the URL or the address it resolved to;
- every request has a timeout, a size limit (after decompression) and an overall read deadline;
  transient failures (connection errors, timeouts, 429 and 5xx answers) are retried with
  exponential back-off, honouring a short ``Retry-After``; requests to one host are spaced by at
  least ``delay`` seconds (across threads); a host's robots.txt is honoured for our user agent.

A refused address is one ``FetchError`` E502, any other failure one E501, for that URL only: a
feed goes on past an entry that fails. Feeds are parsed by feedparser (it copes with the dialects,
broken dates, mislabelled encodings, and never fetches what a feed refers to); titles and
summaries are reduced to plain text.
"""
from __future__ import annotations

import calendar
import email.utils
import html
import re
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Callable, Iterable, Iterator, Optional, Union
from urllib.parse import urljoin, urlsplit, urlunsplit

from .. import __version__
from ..errors import EventwireError, FetchError, InputError
from ..pipeline import Article
from .addresses import (AllowedHost, Resolver, address_problem, is_allowed, parse_address, parse_allowed,
                        system_resolver)
from .sources import DEFAULT_MAX_BYTES, Failure, article_from_string, check_date, decode

USER_AGENT = f"eventwire/{__version__} (+https://github.com/eventwire/eventwire; news event coding)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
DEFAULT_DELAY = 1.0          # seconds between two requests to the same host
DEFAULT_MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0       # a server asking us to wait longer than this gets a failure instead
RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REMEMBERED_HOSTS = 10_000   # robots.txt rules and spacing slots kept by one fetcher
READ_DEADLINE_FACTOR = 3     # a body trickling in for longer than 3 timeouts is abandoned
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/rdf+xml,application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
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
    headers: dict = field(default_factory=dict, repr=False)
    address: str = ""        # the address the last hop connected to


class _Status(Exception):
    """An HTTP answer that is not a success, inside the retry loop."""

    def __init__(self, resp: Response):
        super().__init__(resp.status)
        self.resp = resp


@dataclass
class Fetcher:
    """HTTP GET with timeouts, retries, a size limit, per-host spacing, robots.txt and an
    address check at every hop (see the module's docstring)."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    delay: float = DEFAULT_DELAY
    backoff: float = 1.0
    max_bytes: int = DEFAULT_MAX_BYTES
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    allow_hosts: Iterable[Union[str, AllowedHost]] = ()   # HOST or HOST:PORT fetched even when private
    allow_private: bool = False   # every address allowed: only for a deployment that trusts all its users
    resolver: Optional[Resolver] = None   # (host, port) -> addresses; default getaddrinfo
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    verify: object = True         # TLS verification, as httpx takes it (True, a CA bundle path, an SSLContext)
    _last: dict = field(default_factory=dict, repr=False)
    _robots: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _client: object = field(default=None, repr=False)

    def __post_init__(self):
        self.allow_hosts = parse_allowed(self.allow_hosts)

    # -- plumbing ------------------------------------------------------------------------------
    def _http(self):
        import httpx

        with self._lock:
            if self._client is None:
                # No keep-alive: a pooled connection is keyed by address, and reusing one opened
                # for another name on the same address would skip that name's checks.
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False,
                    verify=self.verify, limits=httpx.Limits(max_connections=64, max_keepalive_connections=0))
            return self._client

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            if len(self._last) > MAX_REMEMBERED_HOSTS:   # a long-lived fetcher forgets idle hosts
                self._last = {h: t for h, t in self._last.items() if t + self.delay > now}
            ready = self._last.get(host, 0.0) + self.delay
            start = max(now, ready)
            self._last[host] = start  # reserve the slot so concurrent callers queue behind it
        if start > now:
            time.sleep(start - now)

    def _allowed(self, url: str, label: Optional[str] = None) -> bool:
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            rules = self._robots.get(origin)
        if rules is None:
            rules = urllib.robotparser.RobotFileParser()
            try:
                resp = self._get(origin + "/robots.txt", retries=0, label=f"{label or url} (its robots.txt)")
                if resp.status == 200:
                    rules.parse(resp.body.decode("utf-8", "replace").splitlines())
                else:       # a redirect or another success: nothing we can read, so no rules
                    rules.allow_all = True
            except FetchError as exc:
                if exc.code == "E502":   # the host itself is refused: so is the page
                    raise
                # No robots.txt (404) or an unreachable one: allowed, as crawlers conventionally do.
                rules.allow_all = True
                if "HTTP 401" in str(exc) or "HTTP 403" in str(exc):
                    rules.disallow_all = True
            with self._lock:
                if len(self._robots) > MAX_REMEMBERED_HOSTS:   # read again after a while, not kept forever
                    self._robots.clear()
                self._robots[origin] = rules
        return rules.can_fetch(self.user_agent, url)

    # -- the address check ---------------------------------------------------------------------
    def checked_addresses(self, url: str, host: str, port: int, label: Optional[str] = None) -> list:
        """The addresses of ``host``, resolved once; E502 if any of them may not be connected to."""
        label = label or url
        try:
            found = [str(parse_address(host))]        # an address written in the URL
        except ValueError:
            try:
                found = list((self.resolver or system_resolver)(host, port))
            except (OSError, UnicodeError, ValueError) as exc:
                raise FetchError.e("E501", url=label, reason=f"cannot resolve {host} ({_reason(exc)})") from None
        if not found:
            raise FetchError.e("E501", url=label, reason=f"cannot resolve {host} (no addresses)")
        checked = []
        for value in found:
            try:
                ip = parse_address(value)
            except ValueError:
                raise FetchError.e("E501", url=label, reason=f"the resolver gave {value!r}, not an address") from None
            if not (self.allow_private or is_allowed(self.allow_hosts, host, port, ip)):
                why = address_problem(ip)
                if why:
                    raise FetchError.e("E502", url=label, address=str(ip), reason=why,
                                       allow=str(AllowedHost(host, port)))
            checked.append(ip)
        return checked

    # -- one request ---------------------------------------------------------------------------
    def _once(self, url: str, label: str) -> Response:
        """One GET of ``url`` (no redirects followed), connected to a checked address."""
        import httpx

        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError.e("E501", url=label, reason="bad port") from None
        if scheme not in ("http", "https") or not host:
            raise FetchError.e("E501", url=label, reason="not an http(s) URL")
        if not host.isascii():   # an internationalised name travels (and resolves) in its IDNA form
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise FetchError.e("E501", url=label, reason="the host name is not valid IDNA") from None
        addresses = self.checked_addresses(url, host, port, label)
        name = f"[{host}]" if ":" in host else host
        host_header = name if port == (443 if scheme == "https" else 80) else f"{name}:{port}"
        target_path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        headers = {"Host": host_header, "User-Agent": self.user_agent, "Accept": ACCEPT}
        extensions = {"sni_hostname": host} if scheme == "https" else {}
        failure: Optional[Exception] = None
        for ip in addresses:   # all checked; the next one only when this one cannot be reached
            where = f"[{ip}]" if ip.version == 6 else str(ip)
            try:
                return self._send(f"{scheme}://{where}:{port}{target_path}", headers, extensions, label, str(ip))
            except httpx.ConnectError as exc:
                failure = exc
        raise failure  # type: ignore[misc]

    def _send(self, target: str, headers: dict, extensions: dict, label: str, address: str) -> Response:
        deadline = time.monotonic() + self.timeout * READ_DEADLINE_FACTOR
        with self._http().stream("GET", target, headers=headers, extensions=extensions) as r:
            ctype = r.headers.get("content-type", "")
            if r.status_code >= 300:   # redirects and errors: their bodies are not read
                return Response(label, r.status_code, ctype, b"", dict(r.headers), address)
            announced = r.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > self.max_bytes:
                raise FetchError.e("E501", url=label, reason=f"larger than the limit of {self.max_bytes} bytes")
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError.e("E501", url=label, reason=f"larger than the limit of {self.max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise FetchError.e("E501", url=label, reason="the body arrived too slowly")
                chunks.append(chunk)
            return Response(label, r.status_code, ctype, b"".join(chunks), dict(r.headers), address)

    def _get(self, url: str, retries: int, label: Optional[str] = None) -> Response:
        """One hop with retries: a success or a redirect, else E501 (E502 is never retried)."""
        import httpx

        label = label or url
        host = urlsplit(url).netloc.lower()
        attempt = 0
        while True:
            self._wait_turn(host)
            wait = None
            try:
                resp = self._once(url, label)
                if resp.status < 400:
                    return resp
                reason = f"HTTP {resp.status}"
                if resp.status not in RETRY_STATUSES:
                    raise FetchError.e("E501", url=label, reason=reason)
                wait = _retry_after(resp.headers.get("retry-after"))
                if wait is not None and wait > MAX_RETRY_AFTER:
                    raise FetchError.e("E501", url=label, reason=f"{reason}, asked to retry after {wait:.0f}s")
            except httpx.TransportError as exc:
                reason = _reason(exc)
            except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:   # a bad body or URL: not transient
                raise FetchError.e("E501", url=label, reason=_reason(exc)) from None
            if attempt >= retries:
                raise FetchError.e("E501", url=label, reason=f"{reason} (after {attempt + 1} attempts)")
            time.sleep(wait if wait is not None else self.backoff * (2 ** attempt))
            attempt += 1

    def get(self, url: str) -> Response:
        """The page at ``url`` after at most ``max_redirects`` redirects, each hop checked."""
        if not is_url(url):
            raise FetchError.e("E501", url=url, reason="not an http(s) URL")
        current = url
        for hop in range(self.max_redirects + 1):
            label = url if hop == 0 else f"{url} (redirected to {current})"
            if not self._allowed(current, label):
                raise FetchError.e("E501", url=label, reason="disallowed by the site's robots.txt")
            resp = self._get(current, self.retries, label)
            if resp.status not in REDIRECT_STATUSES:
                resp.url = current
                return resp
            location = (resp.headers.get("location") or "").strip()
            if not location:
                raise FetchError.e("E501", url=label, reason=f"HTTP {resp.status} without a Location")
            current = urljoin(current, location)
            if not is_url(current):
                raise FetchError.e("E501", url=label, reason=f"redirected to a non-http(s) URL {current[:200]!r}")
        raise FetchError.e("E501", url=url, reason=f"more than {self.max_redirects} redirects")


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
    import httpx

    if isinstance(exc, (httpx.TimeoutException, TimeoutError)) or "timed out" in str(exc):
        return "timed out"
    inner = exc.__cause__ or exc.__context__
    text = str(exc) or (str(inner) if inner else "") or type(exc).__name__
    return " ".join(text.split())[:300]


# -- feeds -------------------------------------------------------------------------------------
@dataclass
class FeedEntry:
    url: str
    title: Optional[str] = None
    published: Optional[str] = None
    summary: Optional[str] = None


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    ct = content_type.lower()
    if any(t in ct for t in ("rss", "atom", "rdf")):
        return True
    return bool(_FEED_SNIFF.match(body[:4096]))


class _TextOnly(HTMLParser):
    """The text of an HTML fragment, without what a browser would not show (script, style)."""

    HIDDEN = frozenset({"script", "style", "template", "noscript"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


_TAG = re.compile(r"<[A-Za-z/!][^>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);")


def plain_text(value: Optional[str]) -> Optional[str]:
    """Feed text as a person reads it: markup dropped, entities (even double-escaped) resolved."""
    if not value:
        return None
    text = value
    for _ in range(2):   # "&lt;b&gt;" inside a title that was escaped twice comes out as a tag
        if _TAG.search(text):
            parser = _TextOnly()
            parser.feed(text)
            parser.close()
            text = "".join(parser.parts)
        if _ENTITY.search(text):
            text = html.unescape(text)
        else:
            break
    text = " ".join(text.split())
    return text or None


_ISO_START = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


def _entry_date(entry) -> Optional[str]:
    """The entry's publication day as YYYY-MM-DD; None when it is missing, unreadable or
    implausible (before 1800, after next year). The day is the publisher's own: a story stamped
    22:30 at UTC-4 was published that day, not the next. feedparser's reading (UTC, and lenient
    about common corruptions) is the fallback when the raw text is not a clean RFC 822 or ISO date."""
    for key in ("published", "updated", "created"):
        raw = dict.get(entry, key)    # dict's own get: feedparser's maps a missing key to another
        if not raw or not isinstance(raw, str):
            continue
        day = None
        try:
            day = email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            if _ISO_START.match(raw):
                try:
                    day = check_date(raw.strip(), "feed")[:10]
                except InputError:
                    day = None
        if day is None:
            parsed = dict.get(entry, f"{key}_parsed")
            if parsed:
                try:
                    day = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).date().isoformat()
                except (OverflowError, ValueError, TypeError):
                    day = None
        if day is not None:
            try:
                return check_date(day, "feed")
            except InputError:
                continue
    return None


def _entry_link(entry, base_url: str) -> Optional[str]:
    candidates = [entry.get("link")]
    candidates += [l.get("href") for l in entry.get("links", []) if l.get("rel", "alternate") == "alternate"]
    candidates.append(entry.get("id"))   # an RSS guid or Atom id that is a permalink
    for value in candidates:
        if value and isinstance(value, str):
            link = urljoin(base_url, value.strip())
            if is_url(link):
                return link
    return None


def parse_feed(body: bytes, base_url: str = "", content_type: str = "") -> list[FeedEntry]:
    """The entries of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom document, in document order, links
    made absolute. A document with no entries that is not a well-formed feed is an E501."""
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    # Without a type feedparser flags the document as suspect; we only parse what looks like a feed.
    headers["content-type"] = content_type or "application/xml"
    # Bytes in, never a URL string: feedparser would fetch a string that looks like a URL itself.
    parsed = feedparser.parse(bytes(body), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    entries = []
    for entry in parsed.entries:
        link = _entry_link(entry, base_url)
        if not link:
            continue
        entries.append(FeedEntry(url=link, title=plain_text(entry.get("title")), published=_entry_date(entry),
                                 summary=plain_text(entry.get("summary"))))
    # A broken document still gives what it could read; one that gave nothing is an error.
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        reason = " ".join(str(problem).split())[:200] if problem else "no entries"
        raise FetchError.e("E501", url=base_url or "feed", reason=f"not a well-formed feed ({reason})")
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
        entries = parse_feed(resp.body, resp.url, resp.content_type)
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
