"""Feeds as the web serves them: each dialect, broken dates, wrong encodings, HTML in titles.

The fixtures in tests/data/feeds/ were written for these tests; parse_feed reads bytes only (it
never fetches what a feed refers to).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import FetchError
from eventwire.ingest.fetch import looks_like_feed, parse_feed, plain_text

FEEDS = Path(__file__).parent / "data" / "feeds"


def entries(name: str, base: str = "https://feeds.example.test/feed.xml"):
    return parse_feed((FEEDS / name).read_bytes(), base)


def test_rss_091_with_its_doctype_and_no_dates():
    got = entries("rss091.xml")
    assert [e.url for e in got] == ["http://news.example.org/2024/ferry-agreement.html",
                                    "http://news.example.org/2024/quota-protest.html"]
    assert got[0].title == "Ferry operators and the port authority sign a new agreement"
    assert got[0].summary == "The two sides agreed on new timetables." and got[1].summary is None
    assert all(e.published is None for e in got)


def test_rss_092_skips_an_item_without_a_link():
    got = entries("rss092.xml")
    assert len(got) == 1 and got[0].url == "http://courier.example.net/bridge-budget"
    assert got[0].published == "2024-06-04"


def test_rss_10_rdf_with_dublin_core_dates():
    got = entries("rdf.xml")
    assert [(e.url, e.published) for e in got] == [("http://wire.example.com/a/1", "2024-03-18"),
                                                   ("http://wire.example.com/a/2", "2024-03-19")]
    assert looks_like_feed((FEEDS / "rdf.xml").read_bytes(), "text/html")   # sniffed, whatever the label


def test_atom_relative_links_alternate_rel_and_the_publishers_day():
    got = entries("atom.xml")
    # xml:base resolves the relative alternate link; the rel="self" link is not the story.
    assert got[0].url == "https://atom.example.org/news/2024/05/envoys-meet"
    assert got[0].title == "Envoys meet in Geneva" and got[0].summary == "Envoys met twice."
    # 22:30 at UTC-4 on 1 May is 2 May in UTC; the story was published on the 1st where it was written.
    assert got[0].published == "2024-05-01"
    assert got[1].url == "https://atom.example.org/news/2024/05/permalink-only"   # only an id, a permalink


def test_broken_dates_become_none_and_good_ones_survive():
    got = {e.title: e.published for e in entries("broken_dates.xml")}
    assert got["Impossible day"] is None and got["Words"] is None and got["Empty"] is None
    assert got["Far future"] is None
    assert got["Wrong weekday, right date"] == "2022-01-06"
    assert got["ISO in RSS"] == "2023-11-20"


@pytest.mark.parametrize("name,title", [
    ("declared_utf8_is_cp1252.xml", "Café owners in São Paulo ‘protest’ new rules"),
    ("declared_latin1_is_utf8.xml", "Zürich talks: “progress”"),
])
def test_mislabelled_encodings_are_read_right(name, title):
    got = entries(name)
    assert len(got) == 1 and got[0].title == title


def test_html_in_titles_and_summaries_becomes_plain_text():
    got = {e.url.rsplit("/", 1)[1]: e for e in entries("html_titles.xml")}
    assert got["1"].title == "Minister resigns after vote"
    assert got["2"].title == "Talks stall again"          # script text is not title text
    assert got["3"].title == "Trade & tariffs: EU – US"   # escaped twice, read once as a person would
    assert got["4"].summary == "Both sides reported calm."


def test_plain_text_keeps_ordinary_text():
    assert plain_text("Talks in Doha: 3 < 5 & so on") == "Talks in Doha: 3 < 5 & so on"
    assert plain_text("  spaced \n out ") == "spaced out"
    assert plain_text("<b></b>") is None and plain_text(None) is None


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    body = (FEEDS / "external_entity.xml").read_bytes().replace(b"file:///etc/hostname",
                                                                 secret.as_uri().encode())
    got = parse_feed(body, "https://feeds.example.test/x.xml")
    text = " ".join(f"{e.url} {e.title} {e.summary}" for e in got)
    assert "TOP-SECRET-MARKER" not in text and got[0].url == "http://xxe.example.org/1"


def test_garbage_is_one_error():
    for body in (b"<rss><channel><item>", b"not a feed at all", b"\x00\x01\x02"):
        with pytest.raises(FetchError) as info:
            parse_feed(body, "https://feeds.example.test/bad.xml")
        assert info.value.code == "E501" and "\n" not in info.value.one_line()


def test_an_empty_but_valid_feed_has_no_entries():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://e.example/</link></channel></rss>'
    assert parse_feed(body, "https://feeds.example.test/empty.xml") == []
