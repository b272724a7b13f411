"""scale.process: the same Documents, in the same order, however the work is spread; a killed
ingest loses and duplicates nothing."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from eventwire.errors import InputError
from eventwire.ingest.sources import Failure
from eventwire.pipeline import Article
from eventwire.scale import process

SENTENCES = [
    "Russia and Ukraine agreed on Monday to exchange 300 prisoners, Turkish officials said.",
    "“We will not give up an inch of our land,” President Volodymyr Zelensky said in Kyiv.",
    "The European Union imposed new sanctions on Iran after the drone attacks.",
    "China's foreign ministry accused the United States of interfering in its affairs.",
    "The weather in the capital was mild, and the markets were calm.",
    "NATO will hold a summit in The Hague next month, its secretary general announced.",
]


def articles(n: int) -> list:
    out = []
    for i in range(n):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3))
        out.append(Article(text=text, id=f"a{i}", published="2025-05-17"))
    return out


def as_dicts(results) -> list:
    return [r.error.code if isinstance(r, Failure) else r.to_dict() for r in results]


@pytest.fixture(scope="module")
def batch():
    items = articles(7)
    # A Failure from reading rides along in its place.
    items.insert(3, Failure("bad.txt", InputError.e("E102", item="bad.txt")))
    return items


@pytest.fixture(scope="module")
def local(pipeline, batch):
    return as_dicts(process(batch, workers=1, chunk_size=3))


def test_inline_run_matches_the_pipeline_in_order(pipeline, batch, local):
    direct = [d.to_dict() for d in pipeline.pipe([a for a in batch if isinstance(a, Article)])]
    assert local[3] == "E102"
    assert [d for d in local if d != "E102"] == direct
    assert [d["id"] for d in local if d != "E102"] == ["a0", "a1", "a2", "a3", "a4", "a5", "a6"]


def test_dask_synchronous_scheduler_gives_the_same(batch, local):
    assert as_dicts(process(batch, dask="sync", chunk_size=2)) == local


def test_dask_local_cluster_of_two_workers_gives_the_same(batch, local):
    stats: dict = {}
    got = as_dicts(process(batch, dask="local", workers=2, chunk_size=2, stats=stats))
    assert got == local
    assert stats["chunks"] == 4
    assert all(0 < mb < 2000 for mb in stats["peak_rss_mb"].values())


@pytest.mark.slow
def test_two_local_workers_give_the_same(batch, local):
    stats: dict = {}
    assert as_dicts(process(batch, workers=2, chunk_size=2, stats=stats)) == local
    assert len(stats["peak_rss_mb"]) == 2


def test_an_article_that_breaks_a_stage_fails_alone(pipeline):
    # One "sentence" longer than spaCy's max_length makes the tokeniser refuse it: a real failure
    # inside the pipeline, not a made-up one.
    huge = Article(text="word " * 250_000, id="huge")
    items = articles(2)[:1] + [huge] + articles(2)[1:]
    got = list(process(items, workers=1, chunk_size=3))
    assert [type(r).__name__ for r in got] == ["Document", "Failure", "Document"]
    assert got[1].error.code == "E601" and got[1].item == "huge"
    assert "\n" not in got[1].error.one_line()


def test_chunk_size_must_be_positive():
    with pytest.raises(ValueError):
        list(process(articles(1), chunk_size=0))


# -- crash safety ------------------------------------------------------------------------------
def _count(db) -> tuple[int, int]:
    con = sqlite3.connect(db, timeout=30)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        distinct = con.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0]
        return n, distinct
    except sqlite3.OperationalError:
        return 0, 0
    finally:
        con.close()


def test_ingest_killed_midway_then_rerun_stores_each_article_once(tmp_path):
    n = 60
    src = tmp_path / "many.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(2))
            f.write(json.dumps({"id": f"k{i}", "date": "2025-05-17",
                                "text": f"Report number {i} from the front. {text}"}) + "\n")
    db = tmp_path / "crash.db"
    cmd = [sys.executable, "-m", "eventwire.cli", "ingest", str(src), "--db", str(db), "--no-rebuild"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 240
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        stored = _count(db)[0] if db.exists() else 0
        if stored >= 5:
            break
        time.sleep(0.2)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert killed, "ingest finished before it could be killed: make the input larger"
    assert 0 < _count(db)[0] < n, "the kill did not land midway"

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert _count(db) == (n, n)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in con.execute("SELECT external_id FROM articles")]
    finally:
        con.close()
    assert sorted(ids) == sorted(f"k{i}" for i in range(n))


# -- progress in logs --------------------------------------------------------------------------
def test_log_progress_writes_a_line_every_n_articles_with_rate_and_eta():
    import io

    from eventwire.scale import LogProgress

    now = [100.0]
    out = io.StringIO()
    bar = LogProgress(total=10, every=4, seconds=1e9, out=out, clock=lambda: now[0])
    for i in range(10):
        now[0] += 0.5  # two articles a second
        bar.update(1, failed=(i == 2))
    bar.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "progress: 4/10 articles (40.0%), 2.0 articles/s, 1 failed, ETA 0m03s"
    assert lines[1].startswith("progress: 8/10 articles (80.0%), 2.0 articles/s")
    assert lines[2].startswith("progress: 10/10 articles (100.0%)")
    assert len(lines) == 3


def test_log_progress_by_time_without_a_total():
    import io

    from eventwire.scale import LogProgress

    now = [0.0]
    out = io.StringIO()
    bar = LogProgress(every=10**9, seconds=60, out=out, clock=lambda: now[0])
    for _ in range(3):
        now[0] += 25
        bar.update(1)
    assert out.getvalue() == "progress: 3 articles, 0.04 articles/s, 0 failed, 1m15s elapsed\n"


def test_a_long_run_logged_to_a_file_shows_progress_lines(tmp_path):
    """The command line, with stderr going to a file (not a terminal), prints progress lines."""
    src = tmp_path / "few.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({"id": f"p{i}", "date": "2025-05-17", "text": SENTENCES[i]}) + "\n")
    env = dict(os.environ, EVENTWIRE_PROGRESS_EVERY="1")
    with (tmp_path / "err.log").open("w") as err:
        done = subprocess.run([sys.executable, "-m", "eventwire.cli", "extract", str(src)], env=env,
                              stdout=subprocess.DEVNULL, stderr=err, timeout=300)
    assert done.returncode == 0
    lines = (tmp_path / "err.log").read_text().splitlines()
    assert [ln.split(",")[0] for ln in lines] == ["progress: 1 articles", "progress: 2 articles",
                                                    "progress: 3 articles"]
