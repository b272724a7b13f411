"""HTML pages → article text and metadata, via trafilatura, with leftover boilerplate lines removed.

trafilatura keeps reader comments unless ``include_comments=False``; scrapers and some pages still
leave widget lines ("COMMENTS", "Please let us know if you're having issues with commenting.",
"Share this article", "Sign up for our newsletter" …) inside the body, so a line filter runs after it.
The patterns are data: ``data/boilerplate.txt``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Optional

from ..errors import InputError
from ..pipeline import Article


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> list[re.Pattern]:
    text = resources.files("eventwire").joinpath("data/boilerplate.txt").read_text("utf-8")
    return [re.compile(line, re.I) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def is_boilerplate(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) < 200 and any(p.fullmatch(s) for p in _boilerplate_patterns())


def strip_boilerplate_lines(text: str) -> str:
    """``text`` without boilerplate lines, and without the tail a comment-widget header starts."""
    out = []
    for line in text.split("\n"):
        if is_boilerplate(line):
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


def blank_boilerplate_lines(text: str) -> str:
    """``text`` with boilerplate lines replaced by spaces of the same length: what
    ``strip_boilerplate_lines`` removes, without moving the offsets of anything else."""
    return "\n".join(" " * len(line) if is_boilerplate(line) else line for line in text.split("\n"))


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
