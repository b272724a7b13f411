"""HTML pages → article text: trafilatura's body and metadata, then our boilerplate line filter."""
from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import shared_path
from eventwire.errors import InputError
from eventwire.ingest.html import (
    article_from_html, blank_boilerplate_lines, is_boilerplate, strip_boilerplate_lines,
)

DATA = Path(__file__).parent / "data"


def test_page_body_and_metadata():
    art = article_from_html((DATA / "mini_page.html").read_text("utf-8"), item="mini_page.html")
    assert art.title == "Harbour talks resume in Valletta"
    assert art.url == "https://example.invalid/harbour-talks"
    assert (art.published, art.published_source) == ("2025-03-06", "html-meta")
    assert "Negotiators from Malta and Tunisia resumed talks" in art.text
    assert art.text.rstrip().endswith("left two boats damaged.")
    for furniture in ("Share this article", "COMMENTS", "issues with commenting", "Storm closes ports",
                      "All rights reserved", "Sport"):
        assert furniture not in art.text


def test_given_published_date_wins_over_page_metadata():
    art = article_from_html((DATA / "mini_page.html").read_text("utf-8"), published="2025-03-07")
    assert (art.published, art.published_source) == ("2025-03-07", "input")


def test_page_without_article_is_a_clear_error():
    from eventwire.ingest.sources import article_from_string

    with pytest.raises(InputError) as err:
        article_from_string("<html><body><nav><a href='/'>Home</a></nav></body></html>", item="nav.html")
    assert err.value.code == "E107" and "nav.html" in str(err.value)


@pytest.mark.parametrize("line", [
    "COMMENTS", "12 Comments", "Share this article", "Share on WhatsApp", "Read more:",
    "Sign up for our daily newsletter", "Never miss the latest news by signing up to our newsletter today!",
    "(Credit: A. Photographer / Agency)", "Advertisement", "© 2025 Example Media",
])
def test_furniture_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "The ministers shared their concerns about the talks.",
    "Comments by the foreign minister angered Moscow.",
    "Read more about the sanctions in the annex, the official said.",
    "Share prices fell 3% after the announcement.",
    "Sign up " + "x" * 250,   # long lines are prose, never furniture
])
def test_prose_lines_are_kept(line):
    assert not is_boilerplate(line)


BODY = "\n".join(f"Paragraph {i} of the report says something about the talks." for i in range(6))


def test_comment_widget_tail_is_cut():
    text = BODY + "\nCOMMENTS\nPlease let us know if you're having issues with commenting.\nGreat article!\nI disagree."
    assert strip_boilerplate_lines(text) == BODY


def test_comments_header_near_the_top_only_drops_the_line():
    text = "Comments\n" + BODY
    assert strip_boilerplate_lines(text) == BODY


def test_blanking_keeps_offsets():
    text = "Share this article\n" + BODY + "\nCOMMENTS\nFirst!"
    blanked = blank_boilerplate_lines(text)
    assert len(blanked) == len(text)
    assert blanked.count("\n") == text.count("\n")
    i = text.index("Paragraph 3")
    assert blanked[i:i + 40] == text[i:i + 40]
    assert "Share" not in blanked and "COMMENTS" not in blanked and "First!" not in blanked


def test_seed_footer_is_removed():
    from eventwire.ingest.sources import article_from_string

    raw = shared_path("corpus", "seed", "trump-putin-call.txt").read_text("utf-8")
    assert "Please let us know" in raw
    text = article_from_string(raw, published="2025-05-17").text
    assert "COMMENTS" not in text and "Please let us know" not in text
    assert text.rstrip().endswith("he said.")


@pytest.mark.slow
def test_aeb_body_f1():
    """Body extraction on the article-extraction-benchmark (target ≈ 0.95 F1, micro-averaged)."""
    gold = shared_path("eval", "aeb_body.gold.jsonl")
    tp = fp = fn = 0
    for line in gold.read_text("utf-8").splitlines():
        rec = json.loads(line)
        html = gzip.open(gold.parent / rec["html_path"], "rb").read().decode("utf-8", "replace")
        try:
            body = article_from_html(html).text
        except InputError:
            body = ""
        g, p = Counter(rec["body"].split()), Counter(body.split())
        common = sum((g & p).values())
        tp, fp, fn = tp + common, fp + sum(p.values()) - common, fn + sum(g.values()) - common
    assert 2 * tp / (2 * tp + fp + fn) >= 0.95
