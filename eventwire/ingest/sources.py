"""Turns what a user points at (files, directories, JSONL dumps, HTML pages, strings) into Articles.

Every reader yields ``Article`` objects or raises ``InputError`` for the one item that is bad;
``iter_items`` wraps that so a batch goes on past a bad item (it yields the error in its place).
"""
from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..pipeline import Article

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # one article larger than this is almost surely not one
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?$")


@dataclass
class Failure:
    """One item that could not be read, in the place of the article it should have been."""

    item: str
    error: InputError


def looks_like_html(s: str) -> bool:
    return bool(_HTML_SNIFF.match(s[:2000]))


def check_date(value: Optional[str], item: str) -> Optional[str]:
    """``value`` if it is an ISO date in a plausible range, else an InputError."""
    if value in (None, ""):
        return None
    value = str(value).strip()
    if not _ISO_DATE.match(value) or not (1900 <= int(value[:4]) <= 2100):
        raise InputError.e("E109", item=item, value=value)
    return value


def article_from_string(text_or_html: str, published: Optional[str] = None, item: str = "<string>",
                        **meta) -> Article:
    """An Article from a string of plain text or HTML."""
    if not text_or_html or not text_or_html.strip():
        raise InputError.e("E102", item=item)
    published = check_date(published, item)
    if looks_like_html(text_or_html):
        from .html import article_from_html

        return article_from_html(text_or_html, item=item, published=published, **meta)
    return Article(text=clean_text(text_or_html), published=published,
                   published_source="input" if published else None, **meta)


def clean_text(text: str) -> str:
    """Plain text with boilerplate lines (comment widgets, share bars …) removed."""
    from .html import strip_boilerplate_lines

    return strip_boilerplate_lines(text.replace("\r\n", "\n").replace("\r", "\n"))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError.e("E104", item=str(path), limit=max_bytes)
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError.e("E110", item=str(path), reason=f"bad gzip: {exc}") from None
        if len(data) > max_bytes:
            raise InputError.e("E104", item=str(path), limit=max_bytes)
    return data


def decode(data: bytes, item: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else cp1252, which also reads latin-1 text."""
    if not data.strip():
        raise InputError.e("E102", item=item)
    if b"\x00" in data[:4096]:
        raise InputError.e("E103", item=item)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return data.decode("latin-1")  # never fails; cp1252 leaves five bytes undefined


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    raise InputError.e("E108", item=str(path), suffix=Path(name).suffix or name)


def read_path(path: Union[str, Path], published: Optional[str] = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, Failure]]:
    """Articles from one file or directory; bad items come back as Failure, the rest go on."""
    path = Path(path)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            try:
                _kind(child)
            except InputError:
                continue  # a directory may hold other files; only named kinds are read
            yield from read_path(child, published, max_bytes)
        return
    item = str(path)
    try:
        if not path.exists():
            raise InputError.e("E101", item=item)
        kind = _kind(path)
        text = decode(_read_bytes(path, max_bytes), item)
        if kind == "jsonl":
            yield from _read_jsonl(text, item, published)
            return
        art_id = path.name.split(".")[0]
        if kind == "html":
            from .html import article_from_html

            yield article_from_html(text, item=item, published=check_date(published, item), id=art_id)
        else:
            yield article_from_string(text, published=published, item=item, id=art_id)
    except InputError as exc:
        yield Failure(item, exc)


def _read_jsonl(text: str, item: str, published: Optional[str]) -> Iterator[Union[Article, Failure]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{item}:{n}"
        try:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError.e("E105", item=item, line=n, reason=exc.msg) from None
            if not isinstance(rec, dict):
                raise InputError.e("E105", item=item, line=n, reason="not an object")
            yield article_from_record(rec, where, published)
        except InputError as exc:
            yield Failure(where, exc)


# Field names seen in real dumps, in order of preference.
_TEXT_FIELDS = ("text", "content", "content_original", "body")
_DATE_FIELDS = ("published", "date", "publish_date", "pubdate")


def article_from_record(rec: dict, item: str, published: Optional[str] = None) -> Article:
    """An Article from one JSONL record (``text`` or ``html``, optional id/title/url/published)."""
    meta = {
        "id": str(rec["id"]) if rec.get("id") not in (None, "") else (
            str(rec.get("ID") or rec.get("path") or "") or None),
        "title": rec.get("title") or None,
        "url": rec.get("url") or rec.get("source_url") or None,
    }
    date = published or next((rec[f] for f in _DATE_FIELDS if rec.get(f)), None)
    if isinstance(date, str) and len(date) > 10 and "T" not in date and " " in date:
        date = date.split(" ")[0]
    text = next((rec[f] for f in _TEXT_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()), None)
    if text is None and isinstance(rec.get("html"), str) and rec["html"].strip():
        from .html import article_from_html

        return article_from_html(rec["html"], item=item, published=check_date(date, item), **meta)
    if text is None:
        line = item.rsplit(":", 1)
        raise InputError.e("E106", item=line[0], line=line[-1] if len(line) > 1 else "?")
    return article_from_string(text, published=date, item=item, **meta)


def iter_items(paths: Iterable[Union[str, Path]], published: Optional[str] = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Union[Article, Failure]]:
    """Articles (or Failures) from every path, in order."""
    for p in paths:
        yield from read_path(p, published, max_bytes)


def max_bytes_from_env() -> int:
    return int(os.environ.get("EVENTWIRE_MAX_BYTES", DEFAULT_MAX_BYTES))
