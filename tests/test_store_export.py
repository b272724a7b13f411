"""``eventwire query`` and ``eventwire export`` over a store filled by the real pipeline."""
from __future__ import annotations

import csv
import json

import pytest

from eventwire.cli import main
from eventwire.store.base import open_store

from test_store import store_articles


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline) -> str:
    path = str(tmp_path_factory.mktemp("export") / "export.db")
    with open_store(path) as store:
        for doc in pipeline.pipe(store_articles()):
            store.add_document(doc)
        store.rebuild_stories()
    return path


@pytest.fixture(scope="module")
def n_events(db) -> int:
    with open_store(db) as store:
        return store.counts()["events"]


def test_query_prints_a_table(db, capsys):
    assert main(["query", "--db", db, "--actor", "Ukraine", "--limit", "5"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["day", "type", "status", "source"]
    assert 1 <= len(lines) - 2 <= 5 and "Ukrain" in out
    assert " events" in err


def test_query_json_and_filters(db, capsys):
    assert main(["query", "--db", db, "--since", "2025-06-09", "--json", "--limit", "500"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["day"] >= "2025-06-09" for r in rows)
    with pytest.raises(SystemExit):
        main(["query", "--db", db, "--type", "DANCE"])
    assert main(["query", "--db", db, "--since", "2025-13-45"]) == 1
    assert "E109" in capsys.readouterr().err


def test_csv_and_jsonl(db, n_events, tmp_path):
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "e.csv")]) == 0
    with open(tmp_path / "e.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n_events and {"type", "trigger_text", "sentence_start", "article_id"} <= set(rows[0])
    assert main(["export", "--db", db, "--format", "jsonl", "--table", "articles",
                 "--out", str(tmp_path / "a.jsonl")]) == 0
    arts = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    assert len(arts) == len(store_articles()) and all(a["text"] for a in arts)


def test_parquet_is_hive_partitioned_and_zstd(db, n_events, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="the Parquet export needs pyarrow")
    import pyarrow.dataset as ds

    out = tmp_path / "events"
    assert main(["export", "--db", db, "--format", "parquet", "--out", str(out)]) == 0
    assert (out / "year=2025" / "month=06").is_dir()
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == n_events and "trigger_text" in table.column_names
    some_file = next(out.rglob("*.parquet"))
    assert pq.ParquetFile(some_file).metadata.row_group(0).column(0).compression == "ZSTD"
    # A second export into the same directory would mix two exports: refused.
    assert main(["export", "--db", db, "--format", "parquet", "--out", str(out)]) == 1


def test_gdelt_tsv(db, n_events, tmp_path):
    out = tmp_path / "events.tsv"
    assert main(["export", "--db", db, "--format", "gdelt", "--out", str(out)]) == 0
    lines = out.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["GLOBALEVENTID", "SQLDATE", "MonthYear"] and "NumSources" in header
    assert len(lines) == n_events + 1
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert all(r["SQLDATE"].startswith("2025") and len(r["SQLDATE"]) == 8 for r in rows)
    assert any(int(r["NumArticles"]) == 2 for r in rows)  # the Odesa strike, told by two outlets


def test_plover_records(db, n_events, tmp_path):
    out = tmp_path / "plover.jsonl"
    assert main(["export", "--db", db, "--format", "plover", "--out", str(out), "--actor", "UKR"]) == 0
    recs = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert 0 < len(recs) <= n_events
    for r in recs:
        assert {"id", "date", "event", "mode", "source", "target", "eventText", "storyDate", "url"} <= set(r)
        assert "UKR" in (r["src_actor"], r["tgt_actor"]) or "Ukrain" in r["source"] + r["target"]
        trig = r["eventwire"]["trigger"]
        assert trig["text"] and trig["start"] < trig["end"]


def test_bad_export_requests(db, tmp_path, capsys):
    assert main(["export", "--db", db, "--format", "csv", "--table", "nope", "--out", str(tmp_path / "x")]) == 1
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "no" / "dir.csv")]) == 1
    assert main(["export", "--db", db, "--format", "gdelt", "--table", "quotes", "--out", str(tmp_path / "q")]) == 1
    err = capsys.readouterr().err
    assert err.count("error: E304") == 3 and "Traceback" not in err


def test_events_frame(db, n_events):
    with open_store(db) as store:
        frame = store.events_frame(type="ASSAULT")
    assert 0 < len(frame) < n_events and set(frame["type"]) == {"ASSAULT"}
