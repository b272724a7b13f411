"""Exports of the store's events: CSV, JSON lines, Parquet, GDELT-style TSV and PLOVER JSON.

    csv, jsonl   the rows of one table (events by default) with the table's own column names
    parquet      events as a Hive-partitioned dataset (year=YYYY/month=MM/…), zstd-compressed
    gdelt        tab-separated, GDELT event-table column names for what eventwire knows (actor
                 codes are country + sector as in CAMEO actor codes; NumMentions, NumSources and
                 NumArticles come from the event's story), and eventwire's own id last
    plover       one JSON record per line with PLOVER's field names (event, mode, source/target
                 with actor and agent codes, eventText, storyDate …) and eventwire's evidence
                 (offsets, status, CAMEO code) under "eventwire"

Every format streams rows from the store in batches, so a large store exports in bounded memory
(Parquet writes one file per batch into the partition directories).
"""
from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Iterator, Optional

from ..errors import StoreError
from .sql import TABLES

FORMATS = ("csv", "jsonl", "parquet", "gdelt", "plover")

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "ActionGeo_FullName", "ActionGeo_CountryCode",
    "DATEADDED", "SOURCEURL", "EventwireID",
)


def _rows(store, table: str, filters: dict) -> Iterator[dict]:
    if table == "events":
        yield from store.iter_events(**filters)
    elif table in TABLES:
        yield from store.iter_table(table, order=_ORDER.get(table, "id"))
    else:
        raise StoreError(f"no table {table!r} to export (choose from {', '.join(TABLES)})", "E304")


_ORDER = {"actors": "article_id, actor_id", "story_events": "story_id, event_row"}


def _plain(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def export(store, fmt: str, out: str, table: str = "events", **filters) -> int:
    """Write the store's rows to ``out`` in ``fmt``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})", "E304")
    if fmt in ("gdelt", "plover", "parquet") and table != "events":
        raise StoreError(f"the {fmt} export is of events only", "E304")
    path = Path(out)
    if fmt == "parquet":
        return _parquet(store, path, filters)
    if not path.parent.is_dir():
        raise StoreError(f"cannot write {out!r}: no directory {path.parent}", "E304")
    rows = _rows(store, table, filters)
    with open(path, "w", encoding="utf-8", newline="") as f:
        if fmt == "jsonl":
            return _write_lines(f, (json.dumps(r, ensure_ascii=False) for r in rows))
        if fmt == "plover":
            stories = _story_counts(store)
            return _write_lines(f, (json.dumps(plover_record(r, stories.get(r["id"])), ensure_ascii=False)
                                    for r in rows))
        if fmt == "gdelt":
            stories = _story_counts(store)
            writer = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(GDELT_COLUMNS)
            n = 0
            for r in rows:
                writer.writerow(gdelt_row(r, stories.get(r["id"])))
                n += 1
            return n
        n = 0
        writer = None
        for r in rows:
            if writer is None:
                writer = csv.DictWriter(f, fieldnames=list(r), lineterminator="\n")
                writer.writeheader()
            writer.writerow({k: _plain(v) for k, v in r.items()})
            n += 1
        return n


def _write_lines(f, lines) -> int:
    n = 0
    for line in lines:
        f.write(line + "\n")
        n += 1
    return n


def _story_counts(store) -> dict[str, dict]:
    """events.id → its story's counts (GDELT's NumMentions, NumSources, NumArticles)."""
    stories = {s["id"]: s for s in store.iter_table("stories")}
    return {link["event_row"]: stories[link["story_id"]] for link in store.iter_table(
        "story_events", order=_ORDER["story_events"]) if link["story_id"] in stories}


def _actor_code(row: dict, side: str) -> str:
    return (row.get(f"{side}_country") or "") + (row.get(f"{side}_sector") or "")


def _number_id(event_row_id: str) -> int:
    return int(hashlib.sha1(event_row_id.encode()).hexdigest()[:12], 16)


def gdelt_row(r: dict, story: Optional[dict]) -> list:
    day = r.get("day") or ""
    try:
        d = date.fromisoformat(day)
        sqldate, month, year = d.strftime("%Y%m%d"), d.strftime("%Y%m"), d.year
        fraction = round(d.year + (d.timetuple().tm_yday - 1) / 365.0, 4)
    except ValueError:
        sqldate = month = year = fraction = ""
    cameo = r.get("cameo") or ""
    added = (r.get("published") or "")[:10].replace("-", "")
    return [
        _number_id(r["id"]), sqldate, month, year, fraction,
        _actor_code(r, "source"), (r.get("source_name") or "").upper(), r.get("source_country") or "",
        r.get("source_sector") or "",
        _actor_code(r, "target"), (r.get("target_name") or "").upper(), r.get("target_country") or "",
        r.get("target_sector") or "",
        # GDELT marks events from an article's lead; our nearest is an event in the first sentence.
        1 if r.get("sentence_start") == 0 else 0,
        cameo, cameo[:3], cameo[:2], r.get("quad_class") or "",
        "" if r.get("goldstein") is None else r["goldstein"],
        story["num_mentions"] if story else 1, story["num_sources"] if story else 1,
        story["num_articles"] if story else 1,
        r.get("location") or "", r.get("location_country") or "",
        added, r.get("article_url") or "", r["id"],
    ]


def plover_record(r: dict, story: Optional[dict]) -> dict:
    return {
        "id": r["id"],
        "date": r.get("date") or r.get("day"),
        "event": r["type"],
        "mode": r.get("mode") or "",
        "context": "",
        "source": r.get("source_name") or "",
        "src_actor": r.get("source_country") or "",
        "src_agent": r.get("source_sector") or "",
        "src_other": "",
        "target": r.get("target_name") or "",
        "tgt_actor": r.get("target_country") or "",
        "tgt_agent": r.get("target_sector") or "",
        "tgt_other": "",
        "eventText": r.get("sentence_text", "").strip(),
        "storyDate": (r.get("published") or "")[:10],
        "headline": r.get("article_title") or "",
        "publisher": r.get("outlet") or "",
        "url": r.get("article_url") or "",
        "location": r.get("location") or "",
        "eventwire": {
            "status": r.get("status"), "cameo": r.get("cameo"), "goldstein": r.get("goldstein"),
            "quad_class": r.get("quad_class"), "undirected": r.get("undirected"),
            "article_id": r["article_id"], "trigger": {"start": r["trigger_start"], "end": r["trigger_end"],
                                                       "text": r["trigger_text"]},
            "sentence": {"start": r["sentence_start"], "end": r["sentence_end"]},
            "story": story["id"] if story else None,
            "num_articles": story["num_articles"] if story else 1,
            "confidence": r.get("confidence"),
        },
    }


def _parquet(store, root: Path, filters: dict, batch: int = 50_000) -> int:
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
    except ImportError:
        raise StoreError("the Parquet export needs pyarrow (pip install 'eventwire[export]')", "E304") from None
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise StoreError(f"cannot write {str(root)!r}: the directory is not empty", "E304")
    n, chunk, part = 0, [], 0
    schema = None

    def flush(rows: list[dict], part: int):
        nonlocal schema
        for r in rows:
            day = r.get("day") or ""
            r["year"] = day[:4] if len(day) >= 4 else None
            r["month"] = day[5:7] if len(day) >= 7 else None
        table = pa.Table.from_pylist(rows, schema=schema)
        schema = schema or table.schema
        ds.write_dataset(table, root, format="parquet", partitioning=["year", "month"],
                         partitioning_flavor="hive", basename_template=f"part-{part}-{{i}}.parquet",
                         existing_data_behavior="overwrite_or_ignore",
                         file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"))

    for r in store.iter_events(**filters):
        chunk.append(r)
        n += 1
        if len(chunk) >= batch:
            flush(chunk, part)
            chunk, part = [], part + 1
    if chunk:
        flush(chunk, part)
    return n
