"""Negotiation positions: who wants what, in any negotiation, over time.

    statements.py   stance statements (party, stance, object, counterparty, status, date, evidence)
    issues.py       conflicts and issues found in the statements, labelled from the text
    history.py      each party's stances on each issue over time (the ``positions`` rows)
    definitions.py  optional hand-written conflicts that name and group issues
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from .definitions import ISSUES_ENV, Conflict, Issue, Party, extra_paths_from_env, load_conflicts
from .history import MAX_HISTORY, positions_from
from .issues import place
from .statements import STANCES, Statement, rules_version, statements_of_document


def all_statements(store) -> list[Statement]:
    """Every stance statement of the store's articles. A store that keeps them (the SQL stores)
    reads again only the articles not yet read with the current rules."""
    if not hasattr(store, "cached_stance_statements"):
        out: list[Statement] = []
        for article_id, published, doc in store.iter_documents():
            out.extend(statements_of_document(doc, article_id, published))
        return out
    version = rules_version()
    out, todo = [], []
    for article_id, published, cached in store.cached_stance_statements(version):
        if cached is None:
            todo.append(article_id)
        else:
            out.extend(Statement.from_dict(d) for d in json.loads(cached))
    fresh = []
    for article_id, published, doc in store.documents(todo):
        sts = statements_of_document(doc, article_id, published)
        out.extend(sts)
        fresh.append((article_id, json.dumps([vars(s) for s in sts], ensure_ascii=False)))
        if len(fresh) >= 500:
            store.save_stance_statements(version, fresh)
            fresh = []
    if fresh:
        store.save_stance_statements(version, fresh)
    return out


def build_positions(store, issues_path=None) -> list[dict]:
    """Position rows from every article in ``store``; ``issues_path`` (and $EVENTWIRE_ISSUES) name
    optional conflict files that name and group the issues found."""
    extra = list(extra_paths_from_env())
    if issues_path:
        extra += [issues_path] if isinstance(issues_path, (str, Path)) else list(issues_path)
    defined = load_conflicts(extra)
    placed, info, labels = place(all_statements(store), defined)
    return positions_from(placed, info, labels)


def matrix(rows: Sequence[dict]) -> dict[str, dict]:
    """{conflict: {"parties": [...], "issues": [(id, label)], "cells": {(issue, party): row}}}."""
    out: dict[str, dict] = {}
    for r in rows:
        m = out.setdefault(r["conflict"], {"parties": [], "issues": [], "cells": {}})
        if r["party"] not in m["parties"]:
            m["parties"].append(r["party"])
        if (r["issue"], r["issue_label"]) not in m["issues"]:
            m["issues"].append((r["issue"], r["issue_label"]))
        m["cells"][(r["issue"], r["party"])] = r
    return out


def format_matrix(rows: Sequence[dict]) -> str:
    """The positions as plain-text tables, one per conflict: issues down, parties across."""
    lines = []
    for conflict, m in matrix(rows).items():
        parties = m["parties"]
        width = min(max([len(label) for _, label in m["issues"]] + [5]), 60)
        cols = [max(len(p), 9) for p in parties]
        lines.append(conflict)
        lines.append("  ".join(["issue".ljust(width)] + [p.ljust(w) for p, w in zip(parties, cols)]).rstrip())
        lines.append("  ".join(["-" * width] + ["-" * w for w in cols]))
        for iid, label in m["issues"]:
            cells = [(m["cells"].get((iid, p)) or {}).get("stance", "") for p in parties]
            label = label if len(label) <= width else label[: width - 1] + "…"
            lines.append("  ".join([label.ljust(width)] + [c.ljust(w) for c, w in zip(cells, cols)]).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def format_history(rows: Sequence[dict], clip: int = 140) -> str:
    """Each cell's stances over time, oldest first, with the evidence of each."""
    import json

    lines = []
    for r in rows:
        hist = r["history"] if isinstance(r["history"], list) else json.loads(r["history"] or "[]")
        lines.append(f"{r['conflict']} · {r['issue_label']} · {r['party']}: now {r['stance']}")
        for h in hist:
            ev = " ".join((h.get("evidence") or {}).get("text", "").split())
            ev = ev if len(ev) <= clip else ev[: clip - 1] + "…"
            lines.append(f"  {h.get('date') or 'undated'}  {h['stance']:9}  [{h.get('article_id')}] {ev}")
    return "\n".join(lines)


__all__ = ["STANCES", "Statement", "statements_of_document", "place", "positions_from", "build_positions",
           "load_conflicts", "Conflict", "Issue", "Party", "ISSUES_ENV", "MAX_HISTORY", "matrix",
           "format_matrix", "format_history", "all_statements"]
