"""Negotiation positions: for a conflict, each party's latest stance on each issue, with evidence.

A conflict (``data/positions/<name>.yaml``) lists its parties (matched by actor country code), the
issues on the table and the cue words that name each issue. ``data/positions/stances.yaml`` says how
statements become stances. Three kinds of statement are read from each article about the conflict
(one whose actors include every country in ``requires_countries``):

    event     a REQUEST, REJECT, AGREE or CONCEDE event by a party, e.g. "the Kremlin demanded that
              Ukraine withdraw from Donetsk" → Russia demands on Donetsk; the issues are the cues in
              the event's scope, which ends at a condition ("… before any ceasefire")
    quote     a party's spokesperson's words with a stance cue and an issue cue ("We will never give
              up our land" → rejects, on every territorial issue)
    anaphora  a rejection that names no issue but "the demands", "the terms" … rejects what other
              parties demanded in the same article ("Ukraine rejected the demands")

Statements are ordered by publication date and position in the text; the last one is the party's
current stance and all of them are its history. Everything the rules need is data; a user adds
issues or whole conflicts with a YAML file of the same shape (``load_conflicts(extra)``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import yaml

from .errors import KnowledgeBaseError

STANCES = ("demands", "offers", "accepts", "rejects")
ISSUES_ENV = "EVENTWIRE_ISSUES"
MAX_HISTORY = 50
_CLAUSE_START = re.compile(r"[,;:—–(]|\bthat\b|\bbut\b|\band\b", re.I)


# -- definitions -------------------------------------------------------------------------------
@dataclass
class Issue:
    id: str
    label: str
    pattern: re.Pattern
    order: int
    inverse: Optional[re.Pattern] = None  # names the opposite item; a stance on it turns around


@dataclass
class Party:
    name: str
    countries: frozenset


@dataclass
class Conflict:
    id: str
    label: str
    requires_countries: frozenset
    parties: list[Party]
    issues: list[Issue] = field(default_factory=list)

    def party_of(self, country: Optional[str]) -> Optional[str]:
        if not country:
            return None
        for p in self.parties:
            if country.upper() in p.countries:
                return p.name
        return None


@dataclass
class StanceRules:
    events: dict[str, dict[str, str]]
    negation: re.Pattern
    condition: re.Pattern
    cues: list[tuple[str, re.Pattern]]
    anaphora: re.Pattern
    inverse: dict[str, str]
    both_sides: re.Pattern


def _alternation(cues: Iterable[str], where: str) -> re.Pattern:
    cues = [c for c in cues if isinstance(c, str) and c.strip()]
    if not cues:
        return re.compile(r"(?!x)x")  # matches nothing
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{c})" for c in cues) + r")(?!\w)", re.I)
    except re.error as exc:
        raise KnowledgeBaseError.e("E401", path=where, reason=f"bad cue pattern: {exc}") from None


def _read_yaml(path: Union[str, Path], text: Optional[str] = None) -> dict:
    try:
        data = yaml.safe_load(text if text is not None else Path(path).read_text("utf-8"))
    except OSError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=exc.strerror or str(exc)) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=" ".join(str(exc).split())) from None
    if not isinstance(data, dict):
        raise KnowledgeBaseError.e("E401", path=str(path), reason="expected a mapping at the top")
    return data


def _conflict_from(data: dict, where: str, base: Optional[Conflict] = None) -> Conflict:
    cid = data.get("conflict")
    if not isinstance(cid, str) or not cid.strip():
        raise KnowledgeBaseError.e("E401", path=where, reason="'conflict' (an id) is required")
    groups = data.get("groups") or {}
    if not isinstance(groups, dict):
        raise KnowledgeBaseError.e("E401", path=where, reason="'groups' must map names to cue lists")
    parties = base.parties[:] if base else []
    for p in data.get("parties") or []:
        if not isinstance(p, dict) or not p.get("name") or not p.get("countries"):
            raise KnowledgeBaseError.e("E401", path=where, reason=f"a party needs a name and countries: {p!r}")
        parties = [x for x in parties if x.name != p["name"]]
        parties.append(Party(str(p["name"]), frozenset(str(c).upper() for c in p["countries"])))
    issues = {i.id: i for i in (base.issues if base else [])}
    next_order = len(issues)
    for n, item in enumerate(data.get("issues") or []):
        if not isinstance(item, dict) or not item.get("id"):
            raise KnowledgeBaseError.e("E401", path=where, reason=f"issue {n + 1} has no id")
        cues = list(item.get("cues") or [])
        for g in item.get("groups") or []:
            if g not in groups:
                raise KnowledgeBaseError.e("E401", path=where, reason=f"issue {item['id']!r}: no group {g!r}")
            cues.extend(groups[g])
        if not cues:
            raise KnowledgeBaseError.e("E401", path=where, reason=f"issue {item['id']!r} has no cues")
        iid = str(item["id"])
        order = issues[iid].order if iid in issues else next_order
        next_order += iid not in issues
        inverse = item.get("inverse_cues")
        issues[iid] = Issue(iid, str(item.get("label") or iid), _alternation(cues, where), order,
                            _alternation(inverse, where) if inverse else None)
    requires = data.get("requires_countries")
    return Conflict(
        id=cid, label=str(data.get("label") or (base.label if base else cid)),
        requires_countries=frozenset(str(c).upper() for c in requires) if requires is not None
        else (base.requires_countries if base else frozenset()),
        parties=parties, issues=sorted(issues.values(), key=lambda i: i.order))


def _bundled() -> list[tuple[str, str]]:
    folder = resources.files("eventwire").joinpath("data/positions")
    return sorted((f"data/positions/{f.name}", f.read_text("utf-8")) for f in folder.iterdir()
                  if f.name.endswith(".yaml") and f.name != "stances.yaml")


def extra_paths_from_env() -> list[str]:
    value = os.environ.get(ISSUES_ENV, "")
    return [p for p in value.split(os.pathsep) if p.strip()]


def load_conflicts(extra: Sequence[Union[str, Path]] = ()) -> list[Conflict]:
    """The bundled conflicts, extended or joined by the conflicts in ``extra`` YAML files."""
    conflicts: dict[str, Conflict] = {}
    sources = [(name, _read_yaml(name, text)) for name, text in _bundled()]
    sources += [(str(p), _read_yaml(p)) for p in extra]
    for where, data in sources:
        base = conflicts.get(data.get("conflict")) if isinstance(data.get("conflict"), str) else None
        c = _conflict_from(data, where, base)
        conflicts[c.id] = c
    return list(conflicts.values())


@lru_cache(maxsize=1)
def load_stance_rules() -> StanceRules:
    where = "data/positions/stances.yaml"
    data = _read_yaml(where, resources.files("eventwire").joinpath(where).read_text("utf-8"))
    events = {str(k).upper(): {str(s): str(v) for s, v in (m or {}).items()} for k, m in (data.get("events") or {}).items()}
    for m in events.values():
        for v in m.values():
            if v not in STANCES:
                raise KnowledgeBaseError.e("E401", path=where, reason=f"unknown stance {v!r}")
    cues = data.get("cues") or {}
    unknown = set(cues) - set(STANCES)
    if unknown:
        raise KnowledgeBaseError.e("E401", path=where, reason=f"unknown stances {sorted(unknown)}")
    return StanceRules(
        events=events,
        negation=_alternation(data.get("negation_cues") or [], where),
        condition=_alternation(data.get("condition_markers") or [], where),
        # Order matters: "never accept the demands" is a rejection, not an acceptance or a demand.
        cues=[(s, _alternation(cues[s], where)) for s in ("rejects", "demands", "offers", "accepts") if s in cues],
        anaphora=_alternation(data.get("anaphora") or [], where),
        inverse={str(k): str(v) for k, v in (data.get("inverse") or {}).items()},
        both_sides=re.compile("^(?:" + "|".join(data.get("both_sides") or ["(?!x)x"]) + ")$", re.I),
    )


# -- statements --------------------------------------------------------------------------------
@dataclass
class Statement:
    conflict: str
    issue: str
    party: str
    stance: str
    date: Optional[str]
    article_id: str
    start: int
    end: int
    text: str
    via: str                      # "event", "quote" or "anaphora"
    event_id: Optional[str] = None
    quote_id: Optional[str] = None


def _issues_in(conflict: Conflict, text: str) -> list[tuple[Issue, bool]]:
    """The issues ``text`` names, each with True when it names the issue's opposite."""
    found = []
    for i in conflict.issues:
        if i.pattern.search(text):
            found.append((i, False))
        elif i.inverse is not None and i.inverse.search(text):
            found.append((i, True))
    return found


def _clause_before(text: str, sent_start: int, trigger_start: int) -> str:
    """The words between the start of the trigger's clause and the trigger."""
    before = text[sent_start:trigger_start]
    cut = 0
    for m in _CLAUSE_START.finditer(before):
        cut = m.end()
    return before[cut:]


def _scope(text: str, start: int, end: int, after: int, rules: StanceRules) -> tuple[int, int]:
    """[start, end) shortened at the first condition marker after position ``after``."""
    m = rules.condition.search(text, after, end)
    return start, (m.start() if m else end)


def _party_mentions(doc: dict, conflict: Conflict) -> list[tuple[int, int, str]]:
    """(start, end, party) of every mention of an actor that belongs to a party, in text order."""
    out = []
    for a in doc.get("actors") or []:
        party = conflict.party_of(a.get("country"))
        if party:
            out.extend((m["start"], m["end"], party) for m in a.get("mentions") or [])
    return sorted(out)


def _speaker(e: dict, quotes: dict, conflict: Conflict) -> Optional[str]:
    q = quotes.get(e.get("quote"))
    return conflict.party_of(((q or {}).get("speaker") or {}).get("country"))


def _event_parties(e: dict, conflict: Conflict, mentions, quotes: dict, rules: StanceRules) -> list[str]:
    """Who takes the stance an event states.

    The event's source; but the source of a demand found after its trigger is usually the one the
    demand is made of ("a memorandum demanding that Ukraine withdraw"), so then the nearest party
    named before the trigger in the sentence; with neither, the speaker of the
    quote the event is in. Joint events ("both sides agreed") stand for both parties named.
    """
    sent, trig = e["sentence"], e["trigger"]
    src = e.get("source") or {}
    said = ((src.get("mention") or {}).get("text") or src.get("name") or "").strip()
    if said and rules.both_sides.match(said):
        return [p.name for p in conflict.parties if p.countries <= conflict.requires_countries]
    party = conflict.party_of(src.get("country"))
    mention = src.get("mention")
    if party and mention and mention["start"] > trig["start"] and e.get("type") == "REQUEST":
        party = None
    if not party:
        before = [p for s, _, p in mentions if sent["start"] <= s < trig["start"]]
        party = before[-1] if before else None
    if not party and not src:
        party = _speaker(e, quotes, conflict)
    parties = [party] if party else []
    if e.get("undirected"):
        other = conflict.party_of((e.get("target") or {}).get("country"))
        if other and other not in parties:
            parties.append(other)
    return parties


def statements_of(doc: dict, article_id: str, published: Optional[str], conflicts: Sequence[Conflict],
                  rules: Optional[StanceRules] = None) -> list[Statement]:
    """Every stance statement in one document (the JSON form of a Document)."""
    rules = rules or load_stance_rules()
    text = doc.get("text") or ""
    countries = {(a.get("country") or "").upper() for a in doc.get("actors") or []}
    date = (published or doc.get("published") or "")[:10] or None
    quotes = {q.get("id"): q for q in doc.get("quotes") or []}
    out: list[Statement] = []
    for conflict in conflicts:
        if not conflict.requires_countries <= countries:
            continue
        mentions = _party_mentions(doc, conflict)
        found: list[Statement] = []
        anaphoric: list[tuple] = []

        def add(party, stance, span, via, scope_text, event_id=None, quote_id=None) -> bool:
            issues = _issues_in(conflict, scope_text)
            if not issues and stance == "rejects" and rules.anaphora.search(scope_text):
                anaphoric.append((party, span[0], span[1], event_id, quote_id))
                return True
            for issue, flipped in issues:
                st = rules.inverse.get(stance, stance) if flipped else stance
                found.append(Statement(conflict.id, issue.id, party, st, date, article_id, span[0], span[1],
                                       text[span[0]:span[1]], via, event_id, quote_id))
            return bool(issues)

        covered: list[tuple[int, int]] = []   # sentences whose stance was read from an event
        rejected_by: dict[int, set] = {}      # sentence start → parties rejecting in it
        events = [e for e in doc.get("events") or [] if rules.events.get(e.get("type"), {}).get(e.get("status"))]
        for e in sorted(events, key=lambda e: e["trigger"]["start"]):
            stance = rules.events[e["type"]][e["status"]]
            sent, trig = e["sentence"], e["trigger"]
            parties = _event_parties(e, conflict, mentions, quotes, rules)
            if e.get("status") not in ("asserted", "reported"):
                # What a party would do, as told by another party ("the Kremlin said Ukraine would
                # have to agree …"), is the teller's demand, not the party's own word.
                teller = _speaker(e, quotes, conflict)
                parties = [p for p in parties if not teller or teller == p]
            if stance == "demands":
                # "Zelensky rejected the Crimea demand": the demand rejected is someone else's.
                parties = [p for p in parties if p not in rejected_by.get(sent["start"], ())]
            if not parties:
                continue
            clause = _clause_before(text, sent["start"], trig["start"])
            if re.search(r"\b(?:if|unless|whether)\b", clause, re.I):
                continue  # "if Moscow doesn't agree …": a condition, not a stance
            if e.get("status") == "negated" and not (rules.negation.search(clause) or rules.negation.search(trig["text"])):
                continue
            start = trig["start"] if e["type"] == "REQUEST" else sent["start"]
            lo, hi = _scope(text, start, sent["end"], trig["end"], rules)
            for party in parties:
                if stance == "rejects":
                    rejected_by.setdefault(sent["start"], set()).add(party)
                if add(party, stance, (sent["start"], sent["end"]), "event", text[lo:hi], event_id=e.get("id")):
                    covered.append((sent["start"], sent["end"]))

        for q in doc.get("quotes") or []:
            party = conflict.party_of(((q.get("speaker") or {}).get("country")))
            content = q.get("content") or {}
            if not party or not content.get("text"):
                continue
            if any(s <= content["start"] < e or content["start"] <= s < content["end"] for s, e in covered):
                continue  # the sentence's stance event already said it
            hit = next(((s, m) for s, pat in rules.cues for m in [pat.search(content["text"])] if m), None)
            if not hit:
                continue
            stance, m = hit
            cue_at = content["start"] + m.start()
            if any(content["start"] <= s < cue_at and p != party for s, _, p in mentions):
                continue  # the speaker reports another party's stance ("the Russian side demanded …")
            add(party, stance, (content["start"], content["end"]), "quote", content["text"], quote_id=q.get("id"))

        for party, s, e, event_id, quote_id in anaphoric:
            demanded = {st.issue for st in found if st.party != party and st.stance == "demands"}
            for issue in conflict.issues:
                if issue.id in demanded:
                    found.append(Statement(conflict.id, issue.id, party, "rejects", date, article_id, s, e,
                                           text[s:e], "anaphora", event_id, quote_id))
        seen = set()
        for st in found:
            key = (st.issue, st.party, st.stance, st.start)
            if key not in seen:
                seen.add(key)
                out.append(st)
    return out


# -- positions ---------------------------------------------------------------------------------
def positions_from(statements: Iterable[Statement], conflicts: Sequence[Conflict]) -> list[dict]:
    """Position rows (the store's ``positions`` table): the latest statement per issue and party."""
    by_cell: dict[tuple[str, str, str], list[Statement]] = {}
    for st in statements:
        by_cell.setdefault((st.conflict, st.issue, st.party), []).append(st)
    issue_of = {(c.id, i.id): i for c in conflicts for i in c.issues}
    rows = []
    for (cid, iid, party), sts in by_cell.items():
        sts.sort(key=lambda s: (s.date or "", s.article_id if s.date else "", s.start))
        last = sts[-1]
        issue = issue_of[(cid, iid)]
        history = [{"date": s.date, "stance": s.stance, "article_id": s.article_id, "via": s.via,
                    "evidence": {"start": s.start, "end": s.end, "text": s.text}} for s in sts[-MAX_HISTORY:]]
        rows.append({
            "id": f"{cid}:{iid}:{party}", "conflict": cid, "issue": iid, "issue_label": issue.label,
            "issue_order": issue.order, "party": party, "stance": last.stance, "date": last.date,
            "article_id": last.article_id,
            "event_row": f"{last.article_id}:{last.event_id}" if last.event_id else None,
            "quote_row": f"{last.article_id}:{last.quote_id}" if last.quote_id else None,
            "evidence_start": last.start, "evidence_end": last.end, "evidence_text": last.text,
            "num_statements": len(sts), "history": _json(history), "via": last.via,
        })
    rows.sort(key=lambda r: (r["conflict"], r["issue_order"], r["party"]))
    return rows


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def build_positions(store, issues_path=None) -> list[dict]:
    """Position rows from every article in ``store`` (bundled issues, plus ``issues_path`` and the
    files named in $EVENTWIRE_ISSUES)."""
    extra = list(extra_paths_from_env())
    if issues_path:
        extra += [issues_path] if isinstance(issues_path, (str, Path)) else list(issues_path)
    conflicts = load_conflicts(extra)
    rules = load_stance_rules()
    statements: list[Statement] = []
    for article_id, published, doc in store.iter_documents():
        statements.extend(statements_of(doc, article_id, published, conflicts, rules))
    return positions_from(statements, conflicts)


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
        width = max([len(label) for _, label in m["issues"]] + [5])
        cols = [max(len(p), 8) for p in parties]
        lines.append(conflict)
        lines.append("  ".join(["issue".ljust(width)] + [p.ljust(w) for p, w in zip(parties, cols)]).rstrip())
        lines.append("  ".join(["-" * width] + ["-" * w for w in cols]))
        for iid, label in m["issues"]:
            cells = [(m["cells"].get((iid, p)) or {}).get("stance", "") for p in parties]
            lines.append("  ".join([label.ljust(width)] + [c.ljust(w) for c, w in zip(cells, cols)]).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip("\n")
