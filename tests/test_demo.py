"""``eventwire demo`` on a small corpus of ours (the bundled one is the colleague's, and slower)."""
from __future__ import annotations

from pathlib import Path

from eventwire.cli import main
from eventwire.store.base import open_store

MINI = Path(__file__).parent / "data" / "demo" / "mini.jsonl"


def test_demo_stores_summarises_and_is_idempotent(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVENTWIRE_DEMO_CORPUS", str(MINI))
    db = str(tmp_path / "demo.db")
    assert main(["demo", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "extracted and stored 3 articles" in out
    for section in ("Events by type", "Top actor pairs", "Quotes", "Events with their evidence",
                    "Negotiation positions"):
        assert section in out, section
    assert "[" in out.split("Events with their evidence")[1]  # triggers marked in their sentences
    with open_store(db) as store:
        first = store.counts()
    assert first["articles"] == 3 and first["stories"] > 0

    assert main(["demo", "--db", db]) == 0
    again = capsys.readouterr().out
    assert "all 3 articles already in the store" in again and "Events by type" in again
    with open_store(db) as store:
        assert store.counts() == first


def test_demo_without_its_corpus_is_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVENTWIRE_DEMO_CORPUS", str(tmp_path / "nothing.jsonl"))
    assert main(["demo", "--db", str(tmp_path / "d.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: E101") and err.count("\n") == 1
