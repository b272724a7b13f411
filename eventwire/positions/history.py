"""Positions over time: for each conflict, party and issue, the sequence of stances with dates.

The rows are the store's ``positions`` table: the latest stance is the cell of the matrix, and
``history`` keeps every statement (oldest first, at most ``MAX_HISTORY``), so a change of stance
("Russia now accepts …") shows as a new point with its own date and evidence.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Sequence

from .issues import Placed, country_name

MAX_HISTORY = 50


def party_name(code: str, defined) -> str:
    if defined is not None:
        for p in defined.parties:
            if code in p.countries:
                return p.name
    return country_name(code)


def positions_from(placed: Sequence[Placed], info: dict, labels: dict) -> list[dict]:
    """Position rows: the latest statement per (conflict, issue, party) and the history before it."""
    cells = defaultdict(list)
    for p in placed:
        cells[(p.conflict, p.issue, p.statement.party)].append(p)
    # issues ordered as their file orders them, then by how much is said about them
    weight = defaultdict(int)
    for (cid, iid, _), ps in cells.items():
        weight[(cid, iid)] += len(ps)
    rows = []
    for (cid, iid, party), ps in cells.items():
        ps.sort(key=lambda p: (p.statement.date or "", p.statement.article_id or "", p.statement.sentence_start))
        last = ps[-1].statement
        label, order = labels.get((cid, iid), (iid, None))
        if order is None:
            order = 1000 - min(weight[(cid, iid)], 999)
        defined = info.get(cid, {}).get("defined")
        history, seen = [], set()
        for p in ps:
            s = p.statement
            key = (s.article_id, s.sentence_start, p.stance)
            if key in seen:
                continue
            seen.add(key)
            history.append({"date": s.date, "stance": p.stance, "article_id": s.article_id, "via": s.via,
                            "object": s.object_text, "status": s.status,
                            "evidence": {"start": s.sentence_start, "end": s.sentence_end, "text": s.sentence_text}})
        history = history[-MAX_HISTORY:]
        rows.append({
            "id": f"{cid}:{iid}:{party}", "conflict": cid, "issue": iid, "issue_label": label,
            "issue_order": order, "party": party_name(party, defined), "stance": ps[-1].stance,
            "date": last.date, "article_id": last.article_id,
            "event_row": f"{last.article_id}:{last.event_id}" if last.event_id else None,
            "quote_row": f"{last.article_id}:{last.quote_id}" if last.quote_id else None,
            "evidence_start": last.sentence_start, "evidence_end": last.sentence_end,
            "evidence_text": last.sentence_text, "num_statements": len(history),
            "history": json.dumps(history, ensure_ascii=False), "via": last.via,
        })
    rows.sort(key=lambda r: (r["conflict"], r["issue_order"], r["issue"], r["party"]))
    return rows
