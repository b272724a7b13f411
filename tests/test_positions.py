"""Negotiation positions from the real pipeline: the seed article, the demo's Russia–Ukraine
reports (written for eventwire), and a short text of ours; issues extended by a user's file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.errors import KnowledgeBaseError
from eventwire.pipeline import Article
from eventwire.positions import format_matrix, load_conflicts
from eventwire.store.base import open_store

DATA = Path(__file__).parent / "data" / "positions"
DEMO = Path(__file__).resolve().parents[1] / "eventwire" / "demo" / "corpus.jsonl"
REGIONS = ("donetsk", "luhansk", "kherson", "zaporizhzhia")
RUSSIA_DEMANDS = REGIONS + ("nato", "foreign-troops", "crimea")


def cells(store) -> dict[tuple[str, str], dict]:
    return {(r["issue"], r["party"]): r for r in store.positions(conflict="russia-ukraine")}


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seed_doc):
    store = open_store(str(tmp_path_factory.mktemp("pos") / "seed.db"))
    store.add_document(seed_doc)
    store.rebuild_positions()
    yield store
    store.close()


def test_seed_russia_demands_and_ukraine_rejects(seed_store):
    c = cells(seed_store)
    # The seed alone: the four regions (its neutrality, troops and Crimea demands are told as what
    # "Ukraine would have to" do, outside quotation marks, which the statements do not read yet).
    for issue in REGIONS:
        assert c[(issue, "Russia")]["stance"] == "demands", issue
        assert c[(issue, "Ukraine")]["stance"] == "rejects", issue
    # The evidence is words of the article, at their offsets.
    text = seed_store.article(c[("donetsk", "Russia")]["article_id"])["text"]
    for r in c.values():
        assert text[r["evidence_start"]:r["evidence_end"]] == r["evidence_text"]
    assert "unacceptable" in c[("donetsk", "Ukraine")]["evidence_text"]
    # "… before any ceasefire would be agreed to" is Russia's condition, not a stance on a ceasefire.
    assert ("ceasefire", "Russia") not in c


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory, pipeline, seed_doc):
    if not DEMO.exists():
        pytest.skip("the demo corpus is not in this checkout")
    records = [json.loads(line) for line in DEMO.read_text("utf-8").splitlines() if line.strip()]
    reports = [r for r in records if r["id"].startswith("ru-ua-")]
    store = open_store(str(tmp_path_factory.mktemp("pos") / "demo.db"))
    store.add_document(seed_doc)
    for doc in pipeline.pipe([Article(text=r["text"], id=r["id"], title=r["title"], url=r["url"],
                                      published=r["published"]) for r in reports]):
        store.add_document(doc)
    store.rebuild_positions()
    yield store
    store.close()


def test_seed_and_demo_reports_give_the_positions_matrix(demo_store):
    c = cells(demo_store)
    for issue in RUSSIA_DEMANDS:
        assert c[(issue, "Russia")]["stance"] == "demands", issue
        assert c[(issue, "Ukraine")]["stance"] == "rejects", issue
    # Several reports over months: each cell keeps its history, oldest first, latest last.
    donetsk = c[("donetsk", "Russia")]
    assert donetsk["num_statements"] >= 3
    dates = [h["date"] for h in donetsk["history"]]
    assert dates == sorted(dates) and dates[-1] == donetsk["date"]
    matrix = format_matrix(demo_store.positions())
    assert "Recognition of Crimea as Russian" in matrix and "rejects" in matrix


def test_the_matrix_without_hand_written_issues(demo_store, monkeypatch):
    """No issue file: the same stances, on issues found in the text and labelled from it."""
    from eventwire.positions import build_positions

    monkeypatch.setenv("EVENTWIRE_BUNDLED_ISSUES", "")
    rows = build_positions(demo_store)
    by = {}
    for r in rows:
        by.setdefault(r["issue"], {})[r["party"]] = r
    for issue in REGIONS + ("crimea", "neutrality", "foreign-troops"):
        assert by[issue]["Russia"]["stance"] == "demands", issue
        assert by[issue]["Ukraine"]["stance"] == "rejects", issue
    assert "Donetsk" in by["donetsk"]["Russia"]["issue_label"]
    assert "NATO" in by["neutrality"]["Russia"]["issue_label"] or "neutral" in by["neutrality"]["Russia"]["issue_label"]
    history = json.loads(by["donetsk"]["Russia"]["history"])
    assert [h["date"] for h in history] == sorted(h["date"] for h in history) and len(history) >= 2
    for h in history:
        text = demo_store.article(h["article_id"])["text"]
        assert text[h["evidence"]["start"]:h["evidence"]["end"]] == h["evidence"]["text"]


def test_users_extend_the_issues_with_a_file(tmp_path, pipeline):
    text = (DATA / "plant.txt").read_text("utf-8")
    doc = next(pipeline.pipe([Article(text=text, id="plant", published="2025-08-01")]))
    with open_store(str(tmp_path / "plant.db")) as store:
        store.add_document(doc)
        store.rebuild_positions()
        assert ("nuclear-plant", "Ukraine") not in cells(store)
        store.rebuild_positions(str(DATA / "extra_issue.yaml"))
        c = cells(store)
    assert c[("nuclear-plant", "Ukraine")]["stance"] == "demands"
    assert c[("nuclear-plant", "Russia")]["stance"] == "rejects"
    assert c[("nuclear-plant", "Russia")]["issue_label"] == "Control of the Zaporizhzhia nuclear plant"


def test_extended_conflict_keeps_the_bundled_issues():
    bundled = {i.id for c in load_conflicts() for i in c.issues}
    extended = {i.id for c in load_conflicts([DATA / "extra_issue.yaml"]) for i in c.issues}
    assert extended == bundled | {"nuclear-plant"}
    assert len(load_conflicts([DATA / "extra_issue.yaml"])) == len(load_conflicts())


@pytest.mark.parametrize("content, words", [
    (None, "bad cue pattern"),
    ("- just\n- a list\n", "mapping"),
    ("conflict: x\nissues:\n  - {id: y}\n", "no cues"),
    ("issues: []\n", "'conflict'"),
])
def test_bad_issue_files_are_one_line_errors(tmp_path, content, words):
    path = DATA / "bad_regex.yaml"
    if content is not None:
        path = tmp_path / "issues.yaml"
        path.write_text(content, "utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_conflicts([path])
    assert err.value.code == "E401" and words in str(err.value) and "\n" not in err.value.one_line()
    with pytest.raises(KnowledgeBaseError):
        load_conflicts([tmp_path / "missing.yaml"])


def test_positions_command_prints_the_matrix(seed_store, capsys):
    from eventwire.cli import main

    assert main(["positions", "--db", seed_store.path, "--evidence"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("russia-ukraine")
    row = next(line for line in out.splitlines() if line.startswith("Donetsk"))
    assert row.split()[-2:] == ["demands", "rejects"]
    assert "Russia demands — Donetsk: Ukrainian withdrawal" in out
    assert main(["positions", "--db", seed_store.path, "--history"]) == 0
    assert "Donetsk: Ukrainian withdrawal · Russia: now demands" in capsys.readouterr().out
    assert main(["positions", "--db", seed_store.path, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all({"conflict", "party", "issue", "issue_label", "stance", "date", "article_id", "evidence",
                "history"} <= set(r) and isinstance(r["history"], list) for r in rows)
    assert main(["positions", "--db", seed_store.path, "--issues", str(DATA / "bad_regex.yaml")]) == 1
    assert "E401" in capsys.readouterr().err


@pytest.mark.browser
def test_dashboard_shows_each_partys_stances_over_time(demo_store):
    """The positions page in Debian's headless Chromium: per issue, a track per party with a point per
    stance, placed by date, each linking to its evidence in the article (which lights it up)."""
    pytest.importorskip("fastapi", reason="the dashboard needs the server extra")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
    import socket
    import threading
    import time

    import uvicorn

    from eventwire.api import create_app
    from test_dashboard import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    srv = uvicorn.Server(uvicorn.Config(create_app(demo_store.path), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/#/positions")
            page.wait_for_selector("body[data-ready='1']", timeout=15000)
            page.wait_for_selector("#positions-timeline .timeline-issue", timeout=15000)
            issue = page.locator("#positions-timeline .timeline-issue", has_text="Donetsk").first
            russia = issue.locator(".timeline-row[data-party='Russia'] a.point")
            ukraine = issue.locator(".timeline-row[data-party='Ukraine'] a.point")
            assert russia.count() >= 2 and ukraine.count() >= 1
            assert {russia.nth(i).get_attribute("data-stance") for i in range(russia.count())} == {"demands"}
            assert "rejects" in {ukraine.nth(i).get_attribute("data-stance") for i in range(ukraine.count())}
            # placed by date: later statements further right
            dates = [russia.nth(i).get_attribute("data-date") for i in range(russia.count())]
            lefts = [russia.nth(i).bounding_box()["x"] for i in range(russia.count())]
            assert dates == sorted(dates) and lefts == sorted(lefts) and lefts[0] < lefts[-1]
            # every point is a link to its evidence: following it highlights the sentence
            title = russia.last.get_attribute("title")
            russia.last.click()
            page.wait_for_selector("#article-text .evidence-active", timeout=15000)
            lit = " ".join(page.locator("#article-text .evidence-active").all_inner_texts())
            squeeze = lambda t: "".join(t.split())  # noqa: E731 - the page splits text into spans
            assert lit.strip() and squeeze(lit)[:40] in squeeze(title)
            assert errors == []
            browser.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


from test_store import pg_server, store  # noqa: E402,F401 - the store on SQLite and PostgreSQL


def test_statements_are_read_once_per_article_and_rules(store, seed_doc):
    """Rebuilding the positions reads again only articles not read with the current rules."""
    from eventwire.positions.statements import rules_version

    store.add_document(seed_doc)
    store.rebuild_positions()
    first = store.positions()
    kept = store._rows("SELECT article_id, rules, statements FROM stance_statements")
    assert len(kept) == 1 and kept[0]["rules"] == rules_version() and json.loads(kept[0]["statements"])
    # the kept statements are what the positions are built from: change them and the matrix follows
    fake = json.loads(kept[0]["statements"])
    for st in fake:
        st["stance"] = "accepts"
    store.save_stance_statements(rules_version(), [(kept[0]["article_id"], json.dumps(fake))])
    store.rebuild_positions()
    assert {r["stance"] for r in store.positions()} <= {"accepts", "rejects"}
    # statements kept under other rules are read again from the document
    store.save_stance_statements("older-rules", [(kept[0]["article_id"], json.dumps(fake))])
    store.rebuild_positions()
    assert [(r["id"], r["stance"]) for r in store.positions()] == [(r["id"], r["stance"]) for r in first]


def test_stance_scoring_follows_the_gold_format():
    """Same sentence, party code and stance match; optional gold counts only when matched; the
    object overlap is measured over matched pairs."""
    from eventwire.evaluate.stances import score_stances
    from eventwire.model import Document
    from eventwire.positions.statements import Statement

    text = "Moscow demanded a ceasefire. Kyiv refused. Both sides agreed to swap prisoners."
    gold = {"text": text, "stances": [
        {"sentence": "Moscow demanded a ceasefire.", "party": "RUS", "stance": "demands", "object": "a ceasefire"},
        {"sentence": "Kyiv refused.", "party": "UKR", "stance": "rejects", "object": "refused"},
        {"sentence": "Both sides agreed to swap prisoners.", "party": "RUS", "stance": "accepts",
         "object": "swap prisoners", "optional": True},
        {"sentence": "Both sides agreed to swap prisoners.", "party": "UKR", "stance": "accepts",
         "object": "swap prisoners", "optional": True}]}

    def st(party, stance, sentence, obj):
        s0 = text.index(sentence)
        o0 = text.index(obj)
        return Statement(party, party, party, stance, o0, o0 + len(obj), obj, s0, s0 + len(sentence), sentence)

    preds = [st("RUS", "demands", "Moscow demanded a ceasefire.", "a ceasefire"),
             st("UKR", "demands", "Kyiv refused.", "Kyiv"),                        # wrong stance
             st("RUS", "accepts", "Both sides agreed to swap prisoners.", "agreed")]  # optional, object off
    s = score_stances(gold, Document(text=text), predicted=preds)
    assert (s.statements.tp, s.statements.fp, s.statements.fn) == (2, 1, 1)
    assert (s.object.right, s.object.total) == (1, 2)
