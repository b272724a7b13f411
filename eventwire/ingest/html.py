"""HTML pages → article text and metadata, via trafilatura, with leftover boilerplate lines removed.

trafilatura keeps reader comments unless ``include_comments=False``; scrapers and some pages still
leave widget lines ("COMMENTS", "Please let us know if you're having issues with commenting.",
"Share this article", "Sign up for our newsletter" …) inside the body, so a line filter runs after it,
and a comment-widget header in the second half of the body cuts the tail it starts.
The patterns are data: ``data/boilerplate.txt``.

Options were chosen on measured figures (``eventwire evaluate ../shared/eval/aeb_body.gold.jsonl``
and ``benchmarks/html_leakage.py``, 2026-11-25): the default balance gives AEB body F1 0.967
(P 0.961, R 0.972); ``favor_precision`` leaks less furniture on trafilatura's pages (86 against 114
of 1,142 snippets) but keeps less article text (1,023 against 1,059 of 1,125) and scores 0.964 on
AEB; ``include_tables`` changes little (0.966) and leaks a little more. Our line filter brings the
leaks from 114 to 108 without losing any kept snippet.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Optional

from ..errors import InputError
from ..pipeline import Article


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> tuple[list[re.Pattern], list[re.Pattern]]:
    """(line patterns, comment-header patterns) from ``data/boilerplate.txt``."""
    text = resources.files("eventwire").joinpath("data/boilerplate.txt").read_text("utf-8")
    lines, tails = [], []
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("tail: "):
            tails.append(re.compile(raw[len("tail: "):].strip(), re.I))
        else:
            lines.append(re.compile(raw.strip(), re.I))
    return lines, tails


def _matches(line: str, patterns: list[re.Pattern]) -> bool:
    s = line.strip()
    return bool(s) and len(s) < MAX_FURNITURE_CHARS and any(p.fullmatch(s) for p in patterns)


MAX_FURNITURE_CHARS = 200   # a line this long is prose, whatever it starts with


def is_boilerplate(line: str) -> bool:
    lines, tails = _boilerplate_patterns()
    return _matches(line, lines) or _matches(line, tails)


def _tail_start(lines: list[str]) -> int:
    """Index of the comment-widget header that starts the tail, or len(lines) when none.

    Only a header in the second half of the text counts: a "Comments" line near the top is more
    likely a section name than the start of the reader comments.
    """
    _, tails = _boilerplate_patterns()
    total = sum(len(s) + 1 for s in lines)
    pos = 0
    for i, line in enumerate(lines):
        if pos >= total / 2 and _matches(line, tails):
            return i
        pos += len(line) + 1
    return len(lines)


def strip_boilerplate_lines(text: str) -> str:
    """``text`` without boilerplate lines, and without the tail a comment-widget header starts."""
    lines = text.split("\n")
    lines = lines[:_tail_start(lines)]
    return "\n".join(line for line in lines if not is_boilerplate(line)).strip("\n")


def blank_boilerplate_lines(text: str) -> str:
    """``text`` with what ``strip_boilerplate_lines`` removes replaced by spaces of the same
    length (newlines kept), so that the offsets of everything else do not move."""
    lines = text.split("\n")
    cut = _tail_start(lines)
    return "\n".join(" " * len(line) if i >= cut or is_boilerplate(line) else line
                     for i, line in enumerate(lines))


def article_from_html(html: str, item: str = "<html>", published: Optional[str] = None,
                      **meta) -> Article:
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=False, deduplicate=False)
    if not body or not body.strip():
        raise InputError.e("E107", item=item)
    md = trafilatura.extract_metadata(html)
    title = meta.pop("title", None) or (md.title if md else None)
    url = meta.pop("url", None) or (md.url if md else None)
    source = "input" if published else None
    if not published and md and md.date:
        published, source = md.date[:10], "html-meta"
    return Article(text=strip_boilerplate_lines(body), title=title, url=url, published=published,
                   published_source=source, **meta)
