"""Turns what a user points at (files, directories, JSONL dumps, HTML pages, strings) into Articles.

Every reader yields ``Article`` objects or raises ``InputError`` for the one item that is bad;
``iter_items`` wraps that so a batch goes on past a bad item (it yields a ``Failure`` in its place).

What counts as bad, and the code each gets:

    E101 missing path               E106 JSONL record without text/html
    E102 empty (or only boilerplate) E107 HTML with no article in it
    E103 binary data                E108 unknown file type
    E104 over the size limit        E109 absurd or unreadable publication date
    E105 broken JSONL line          E110 undecodable / broken gzip      E111 not English
    E112 unreadable file (permissions, I/O)

The size limit (``EVENTWIRE_MAX_BYTES``, ``--max-bytes``) applies to one article: a .txt or .html
file, or one line of a JSONL dump. JSONL dumps themselves are streamed and may be any size.
"""
from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from ..errors import EventwireError, InputError
from ..pipeline import Article

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# One news article is rarely over 100 kB; a megabyte of text is a book chapter, and spaCy's
# default nlp.max_length is 1,000,000 characters. Larger items are almost surely not articles.
DEFAULT_MAX_BYTES = 1_000_000
MAX_BYTES_ENV = "EVENTWIRE_MAX_BYTES"
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>]|<!--)", re.I)
# Plausible publication years: news archives start in the 19th century; later than next year is a typo.
MIN_YEAR = 1800
MAX_YEAR_AHEAD = 1

# Magic numbers of common binary formats that people point a text tool at by mistake.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF",
                 b"\xd0\xcf\x11\xe0", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ",
                 b"SQLite format 3", b"OggS", b"ID3", b"RIFF", b"\x00\x00\x01\x00")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# C0 controls other than tab and newline, DEL, lone surrogates (from JSON "\ud800" escapes) and
# non-characters: none belongs in article text, and surrogates cannot even be written as UTF-8.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Failure:
    """One item that could not be read (or processed), in the place of the article it should have been."""

    item: str
    error: EventwireError


def looks_like_html(s: str) -> bool:
    return bool(_HTML_SNIFF.match(s[:2000]))


# -- dates -----------------------------------------------------------------------------------
def check_date(value, item: str) -> Optional[str]:
    """``value`` as an ISO date (or datetime) string if it is a plausible publication date.

    Accepts ISO forms ("2025-05-17", "2021-01-15 16:17:00-05:00", "2025-05-17T10:00Z") and,
    for dumps that write dates out, common English forms ("May 17, 2025"); anything else, and
    any date before 1800 or after next year, is an InputError E109.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InputError.e("E109", item=item, value=value)
    text = value.strip()
    parsed = _parse_iso(text)
    if parsed is None and len(text) <= 64 and _WORD.search(text):
        parsed = _parse_words(text)
    if parsed is None or not (MIN_YEAR <= parsed.year <= date.today().year + MAX_YEAR_AHEAD):
        raise InputError.e("E109", item=item, value=text[:80])
    if isinstance(parsed, datetime) and (parsed.hour or parsed.minute or parsed.second or parsed.tzinfo):
        return parsed.isoformat()
    return parsed.strftime("%Y-%m-%d")


def _parse_iso(text: str):
    s = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        if len(s) == 10:
            return date.fromisoformat(s)
        return datetime.fromisoformat(s)
    except ValueError:
        return None


def _parse_words(text: str):
    import dateparser  # slow to import; only dumps with written-out dates need it

    try:
        # Absolute dates only: a relative word ("yesterday", "now") would be read against the
        # clock of the machine ingesting, not the article's publication.
        return dateparser.parse(text, languages=["en"], settings={
            "STRICT_PARSING": True, "PARSERS": ["custom-formats", "absolute-time"]})
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd strings
        return None


# -- text ------------------------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Plain text with newlines normalised, control characters and boilerplate lines removed."""
    from .html import strip_boilerplate_lines

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BAD_CHARS.sub("", text)
    return strip_boilerplate_lines(text)


def scrub(value) -> Optional[str]:
    """A metadata field (id, title, url) as a clean one-line string, or None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    s = " ".join(_BAD_CHARS.sub("", str(value)).split())
    return s or None


@lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    # spaCy's English stop-word list ships with spaCy itself (no model needed).
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


# English prose has 35-55 % stop words; French, German, Spanish, Russian … under 10 %. English
# fact sheets that are mostly lists of names and numbers can fall under 15 % overall, but always
# have some window of running prose, so a text is English when the whole or its best window of
# WINDOW_WORDS words passes. Texts under MIN_WORDS words are not judged. URLs are left out.
MIN_STOP_RATIO = 0.15
MIN_WINDOW_STOP_RATIO = 0.25
WINDOW_WORDS = 60
MIN_LATIN_RATIO = 0.6
LANGUAGE_SAMPLE_WORDS = 2000
MIN_WORDS = 15
# An HTML page whose extracted text is shorter than this is navigation or an error page, not news.
MIN_HTML_WORDS = 12
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)


def english_ratio(text: str) -> tuple[int, float, float, float]:
    """(words, share of stop words, best share in a window, share of letters that are ASCII)."""
    words = _WORD.findall(_URL.sub(" ", text[:40000]))[:LANGUAGE_SAMPLE_WORDS]
    if not words:
        return 0, 0.0, 0.0, 0.0
    stop = _stop_words()
    is_stop = [w.lower() in stop for w in words]
    best = max(sum(is_stop[i:i + WINDOW_WORDS]) / len(is_stop[i:i + WINDOW_WORDS])
               for i in range(0, max(len(words) - WINDOW_WORDS, 0) + 1, WINDOW_WORDS // 2))
    letters = sum(len(w) for w in words)
    ascii_letters = sum(1 for w in words for c in w if c < "\x80")
    return len(words), sum(is_stop) / len(words), best, ascii_letters / max(letters, 1)


def check_english(text: str, item: str) -> None:
    """InputError E111 when ``text`` is long enough to tell and does not look like English."""
    n, stop_ratio, best_window, latin_ratio = english_ratio(text)
    if n < MIN_WORDS:
        return
    if latin_ratio < MIN_LATIN_RATIO or (stop_ratio < MIN_STOP_RATIO and best_window < MIN_WINDOW_STOP_RATIO):
        raise InputError.e("E111", item=item)


def _finish(art: Article, item: str) -> Article:
    """Checks every reader applies to the article it built."""
    if not art.text or not art.text.strip():
        raise InputError.e("E102", item=item)
    check_english(art.text, item)
    return art


def article_from_string(text_or_html: str, published: Optional[str] = None, item: str = "<string>",
                        **meta) -> Article:
    """An Article from a string of plain text or HTML."""
    if not isinstance(text_or_html, str) or not text_or_html.strip():
        raise InputError.e("E102", item=item)
    published = check_date(published, item)
    meta = {k: scrub(v) for k, v in meta.items()}
    if looks_like_html(text_or_html):
        return _from_html(text_or_html, item, published, meta)
    art = Article(text=clean_text(text_or_html), published=published,
                  published_source="input" if published else None, **meta)
    return _finish(art, item)


def _from_html(html: str, item: str, published: Optional[str], meta: dict) -> Article:
    from .html import article_from_html

    try:
        art = article_from_html(html, item=item, published=published, **meta)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura fail in many ways on broken pages
        raise InputError.e("E107", item=item) from exc
    art.text = clean_text(art.text)
    if len(_WORD.findall(art.text)) < MIN_HTML_WORDS:
        raise InputError.e("E107", item=item)  # menus, cookie walls, "page not found"
    if art.published and art.published_source == "html-meta":
        try:
            art.published = check_date(art.published, item)
        except InputError:
            art.published, art.published_source = None, None  # a page's bad meta date is not fatal
    return _finish(art, item)


# -- bytes -----------------------------------------------------------------------------------
def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if any(head.startswith(m) for m in _BINARY_MAGIC):
        return True
    if b"\x00" in head:
        return True
    # Text has almost no C0 control bytes other than tab, newline, carriage return, form feed.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(head) // 100)


def decode(data: bytes, item: str) -> str:
    """Bytes to text.

    UTF-8/16/32 with a byte-order mark; else UTF-8; else, for text that is UTF-8 apart from a few
    broken bytes, UTF-8 with those bytes replaced; else cp1252 (a superset of latin-1's printable
    range, and what "latin-1" files from Windows usually are); else charset-normalizer's guess.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError.e("E110", item=item, reason=f"invalid {enc}: {exc.reason}") from None
            if not text.strip():
                raise InputError.e("E102", item=item)
            return text
    if not data.strip():
        raise InputError.e("E102", item=item)
    if looks_binary(data):
        raise InputError.e("E103", item=item)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good_multibyte = sum(1 for c in text if c >= "\x80" and c != "\ufffd")
    if good_multibyte >= 3 * bad:
        return text  # mostly UTF-8 with a few damaged bytes: keep the UTF-8 reading
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:  # noqa: BLE001 - a detector failure falls back to latin-1 below
        pass
    return data.decode("latin-1")  # never fails


def _read_limited(stream: BinaryIO, limit: int, item: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError.e("E104", item=item, limit=limit)
    return data


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    item = str(path)
    if path.suffix.lower() != ".gz" and path.stat().st_size > max_bytes:
        raise InputError.e("E104", item=item, limit=max_bytes)
    try:
        with _open_binary(path) as f:
            return _read_limited(f, max_bytes, item)
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, PermissionError) or not path.name.lower().endswith(".gz"):
            raise InputError.e("E112", item=item, reason=exc.strerror or str(exc)) from None
        raise InputError.e("E110", item=item, reason=f"bad gzip: {exc}") from None


def _open_binary(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    raise InputError.e("E108", item=str(path), suffix=Path(name).suffix or name)


# -- paths -----------------------------------------------------------------------------------
def read_path(path: Union[str, Path], published: Optional[str] = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, Failure]]:
    """Articles from one file or directory; bad items come back as Failure, the rest go on."""
    path = Path(path)
    item = str(path)
    try:
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file())
        else:
            children = None
    except OSError as exc:
        yield Failure(item, InputError.e("E112", item=item, reason=exc.strerror or str(exc)))
        return
    if children is not None:
        for child in children:
            try:
                _kind(child)
            except InputError:
                continue  # a directory may hold other files; only named kinds are read
            yield from read_path(child, published, max_bytes)
        return
    try:
        if not path.exists():
            raise InputError.e("E101", item=item)
        kind = _kind(path)
        if kind == "jsonl":
            yield from _read_jsonl_file(path, published, max_bytes)
            return
        text = decode(_read_bytes(path, max_bytes), item)
        art_id = path.name.split(".")[0]
        if kind == "html":
            yield _from_html(text, item, check_date(published, item), {"id": art_id})
        else:
            yield article_from_string(text, published=published, item=item, id=art_id)
    except InputError as exc:
        yield Failure(item, exc)


def _read_jsonl_file(path: Path, published: Optional[str], max_bytes: int
                     ) -> Iterator[Union[Article, Failure]]:
    item = str(path)
    try:
        stream = _open_binary(path)
    except OSError as exc:
        yield Failure(item, InputError.e("E112", item=item, reason=exc.strerror or str(exc)))
        return
    n = 0
    seen_any = False
    with stream:
        while True:
            try:
                line = stream.readline(max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                yield Failure(f"{item}:{n + 1}", InputError.e("E110", item=item, reason=f"bad gzip: {exc}"))
                return
            if not line:
                break
            n += 1
            where = f"{item}:{n}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                # Skip the rest of the over-long line without holding it in memory.
                while True:
                    try:
                        more = stream.readline(1 << 20)
                    except (OSError, EOFError, zlib.error):
                        more = b""
                    if not more or more.endswith(b"\n"):
                        break
                yield Failure(where, InputError.e("E104", item=where, limit=max_bytes))
                continue
            if not line.strip():
                continue
            seen_any = True
            try:
                yield _article_from_line(line, item, n, published)
            except InputError as exc:
                yield Failure(where, exc)
    if not seen_any:
        yield Failure(item, InputError.e("E102", item=item))


def _article_from_line(line: bytes, item: str, n: int, published: Optional[str]) -> Article:
    where = f"{item}:{n}"
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = decode(line, where)
    text = text.strip()
    try:
        rec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.e("E105", item=item, line=n, reason=exc.msg) from None
    except RecursionError:
        raise InputError.e("E105", item=item, line=n, reason="nested too deeply") from None
    if not isinstance(rec, dict):
        raise InputError.e("E105", item=item, line=n, reason="not an object")
    return article_from_record(rec, where, published)


def _read_jsonl(text: str, item: str, published: Optional[str]) -> Iterator[Union[Article, Failure]]:
    """Articles from JSONL already in memory (one Failure per bad line)."""
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield _article_from_line(line.encode("utf-8", "surrogatepass"), item, n, published)
        except InputError as exc:
            yield Failure(f"{item}:{n}", exc)


# Field names seen in real dumps, in order of preference.
_TEXT_FIELDS = ("text", "content", "content_original", "body", "maintext")
_DATE_FIELDS = ("published", "date", "publish_date", "date_publish", "pubdate", "published_time")
_ID_FIELDS = ("id", "ID", "dId", "path")
_URL_FIELDS = ("url", "source_url", "link")


def article_from_record(rec: dict, item: str, published: Optional[str] = None) -> Article:
    """An Article from one JSONL record (``text`` or ``html``, optional id/title/url/published)."""
    meta = {
        "id": next((scrub(rec[f]) for f in _ID_FIELDS if scrub(rec.get(f))), None),
        "title": scrub(rec.get("title")),
        "url": next((scrub(rec[f]) for f in _URL_FIELDS if scrub(rec.get(f))), None),
    }
    date_value = published or next((rec[f] for f in _DATE_FIELDS if rec.get(f) not in (None, "")), None)
    text = next((rec[f] for f in _TEXT_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()), None)
    if text is None and isinstance(rec.get("html"), str) and rec["html"].strip():
        return _from_html(rec["html"], item, check_date(date_value, item), meta)
    if text is None:
        line = item.rsplit(":", 1)
        raise InputError.e("E106", item=line[0], line=line[-1] if len(line) > 1 else "?")
    return article_from_string(text, published=date_value, item=item, **meta)


def iter_items(paths: Iterable[Union[str, Path]], published: Optional[str] = None,
               max_bytes: Optional[int] = None) -> Iterator[Union[Article, Failure]]:
    """Articles (or Failures) from every path, in order."""
    if max_bytes is None:
        max_bytes = max_bytes_from_env()
    if published is not None:
        published = check_date(published, "--published")
    for p in paths:
        yield from read_path(p, published, max_bytes)


def max_bytes_from_env() -> int:
    value = os.environ.get(MAX_BYTES_ENV)
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        n = int(value.replace("_", ""))
    except ValueError:
        n = 0
    if n <= 0:
        raise InputError(f"{MAX_BYTES_ENV}={value!r} is not a positive number of bytes", "E104")
    return n
