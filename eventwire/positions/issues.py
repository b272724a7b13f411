"""Conflicts and issues found in the statements themselves.

A **conflict** is a pair of parties that take stances towards each other (a statement's party and
counterparty) in at least ``MIN_CONFLICT_ARTICLES`` articles. A statement belongs to the conflict of
its own pair; one whose pair is no conflict (a third party, or no counterparty) belongs to the
conflict its article is mostly about — Washington threatening sanctions in a report on Russia and
Ukraine is part of that negotiation.

An **issue** is what a conflict's objects are about: the place an object names ("withdrawal from
Donetsk" → Donetsk), else the first concept of ``data/positions/terms.yaml`` its words name
(ceasefire, sanctions, denuclearization …), else its most specific word. An object worded as the
absence of something ("no foreign troops", "a ban on foreign troops") is the same issue with the
opposite polarity, so "demands no foreign troops" and "rejects foreign troops" agree. The label is
the object's own words, the way the parties most often state it.

Hand-written conflict files (``data/positions/*.yaml``, ``--issues``) are optional names and
groupings: an object their cues name goes to their issue, with their label, and a found conflict
whose parties they list takes their id and party names.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..datafiles import load_yaml
from .statements import Statement

MIN_CONFLICT_ARTICLES = 2
KEY_WORDS = 12          # the words of an object its issue is looked for in
_WORDS = re.compile(r"[A-Za-z][\w’'-]*")


@dataclass
class Placed:
    """A statement placed in a conflict and an issue, with the stance it takes on the issue."""
    statement: Statement
    conflict: str
    issue: str
    stance: str


@dataclass
class Terms:
    concept_of: dict
    inverse: set
    generic: frozenset
    negative: re.Pattern


@lru_cache(maxsize=1)
def load_terms() -> Terms:
    data = load_yaml("positions", "terms.yaml") or {}
    concept_of = {}
    for concept, words in (data.get("concepts") or {}).items():
        for w in words or []:
            concept_of.setdefault(str(w).lower(), str(concept))
    inverse = {(str(c), str(w).lower()) for c, ws in (data.get("inverse") or {}).items() for w in ws or []}
    neg = "|".join(f"(?:{p})" for p in data.get("negative_prefixes") or ["(?!x)x"])
    return Terms(concept_of, inverse, frozenset(str(w).lower() for w in data.get("generic") or []),
                 re.compile(rf"^(?:\W*\w+\W+){{0,3}}?(?:{neg})\b", re.I))


@lru_cache(maxsize=1)
def country_words() -> dict:
    """Every country's name, alias and adjective (lower case) → its code: these name parties, not issues."""
    import csv

    from ..datafiles import data_path

    out = {}
    with data_path("actors", "countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for cell in (row.get("name"), row.get("aliases"), row.get("adjectives"), row.get("seats")):
                for w in (cell or "").split("|"):
                    if w.strip():
                        out[w.strip().lower()] = row["iso3"]
    return out


def _names(text: str, codes: set) -> bool:
    """Whether ``text`` names one of the countries ``codes`` (by name, alias, adjective or seat)."""
    words = country_words()
    low = text.lower()
    return any(code in codes and re.search(rf"\b{re.escape(w)}\b", low) for w, code in words.items()
               if code in codes)


def country_name(code: str) -> str:
    import csv

    from ..datafiles import data_path

    names = _country_names()
    return names.get(code, code)


@lru_cache(maxsize=1)
def _country_names() -> dict:
    import csv

    from ..datafiles import data_path

    with data_path("actors", "countries.csv").open(encoding="utf-8") as fh:
        names = {row["iso3"]: row["name"] for row in csv.DictReader(fh)}
    # a territory with a code of its own (Hong Kong) is named by its place
    with data_path("actors", "places.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(ln for ln in fh if not ln.startswith("#")):
            code = (row.get("country") or "").strip()
            if code and code not in names:
                names[code] = row["name"]
    return names


@lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    """A place the actor knowledge base knows (a region, a city), not a person or a weekday."""
    from ..actors.kb import place_country

    return place_country(word) is not None


def _singular(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def issue_key(obj: str, terms: Optional[Terms] = None) -> tuple[Optional[str], int]:
    """(issue key, polarity ±1) of one object, or (None, 1) when it names nothing specific."""
    terms = terms or load_terms()
    countries = country_words()
    # what an object is about is named near its start; its tail is context ("… ahead of the elections")
    head = list(_WORDS.finditer(obj))[:KEY_WORDS]
    obj = obj[:head[-1].end()] if head else obj
    words = _WORDS.findall(obj)
    polarity = -1 if terms.negative.search(obj) else 1
    # a place or other proper name that is no country: "Donetsk", "Crimea", "Huawei"
    for m in _WORDS.finditer(obj):
        w, lw = m.group(0), m.group(0).lower()
        if re.search(r"\b(?:in|at)\s+(?:the\s+)?$", obj[:m.start()]):
            continue  # a venue ("talks in Istanbul"), not what is on the table
        if w[0].isupper() and _is_place(w) and lw not in terms.generic and lw not in countries \
                and _singular(lw) not in terms.concept_of and lw not in terms.concept_of and len(w) > 2 \
                and not re.fullmatch(r"[A-Z][a-z]{2}\.?|[A-Z]+s?", w if len(w) <= 4 else "x"):
            return lw.replace("’", "'"), polarity
    for w in words:
        lw = w.lower()
        c = terms.concept_of.get(lw) or terms.concept_of.get(_singular(lw))
        if c:
            if (c, lw) in terms.inverse or (c, _singular(lw)) in terms.inverse:
                polarity = -polarity
            return c, polarity
    content = [w.lower() for w in words if w.lower() not in terms.generic and w.lower() not in countries
               and len(w) > 3]
    if not content:
        return None, polarity
    return _singular(content[-1] if len(content) < 3 else max(content, key=len)), polarity


_INVERSE = {"demands": "rejects", "rejects": "demands", "offers": "rejects", "accepts": "rejects",
            "threatens": "threatens"}


def find_conflicts(statements: Sequence[Statement]) -> dict[str, Optional[tuple]]:
    """{article id: its conflict (a sorted pair of codes) or None}, and the statements' own pairs."""
    articles_of = defaultdict(set)
    for st in statements:
        if st.counterparty and st.counterparty != st.party:
            articles_of[tuple(sorted((st.party, st.counterparty)))].add(st.article_id)
    # one article alone (a first report) makes its pairs conflicts
    need = min(MIN_CONFLICT_ARTICLES, len({st.article_id for st in statements}))
    return {pair: len(arts) for pair, arts in articles_of.items() if len(arts) >= need}


def place(statements: Sequence[Statement], defined: Sequence = ()) -> tuple[list[Placed], dict, dict]:
    """(placed statements, {conflict id: info}, {(conflict, issue): label}).

    ``defined``: hand-written conflicts (``positions.load_conflicts``), optional.
    """
    terms = load_terms()
    cores = find_conflicts(statements)
    by_article = defaultdict(list)
    for st in statements:
        by_article[st.article_id].append(st)
    # the conflict each article is mostly about
    main_of = {}
    for aid, sts in by_article.items():
        counts = Counter(tuple(sorted((s.party, s.counterparty))) for s in sts
                         if s.counterparty and s.counterparty != s.party)
        counts = {p: n for p, n in counts.items() if p in cores}
        # weighed by how many articles state the pair: "talks in Vietnam" twice in a story about
        # the Hanoi summit does not make it a Vietnam story
        main_of[aid] = max(counts, key=lambda p: (counts[p] * cores[p], counts[p], p)) if counts else None
    # only pairs some article is mainly about are conflicts; other pairs are third parties' words
    cores = {p: n for p, n in cores.items() if p in set(main_of.values())}

    def defined_for(pair) -> Optional[object]:
        for c in defined:
            if set(pair) <= set(c.requires_countries):
                return c
        return None

    conflict_ids: dict[tuple, str] = {}
    info: dict[str, dict] = {}

    def conflict_id(pair) -> str:
        if pair not in conflict_ids:
            d = defined_for(pair)
            cid = d.id if d else "-".join(p.lower() for p in pair)
            conflict_ids[pair] = cid
            if cid not in info:
                info[cid] = {"id": cid, "label": d.label if d else "–".join(country_name(p) for p in pair),
                             "pair": list(pair), "defined": d}
        return conflict_ids[pair]

    placed: list[Placed] = []
    keyed: list[tuple] = []     # (statement, conflict, key, polarity, defined issue or None)
    for st in statements:
        if st.status in ("negated", "hypothetical") or not st.official:
            continue  # no stance taken, only a possibility, or not a party's own (a senator, an analyst)
        own = tuple(sorted((st.party, st.counterparty))) if st.counterparty and st.counterparty != st.party else None
        main = main_of.get(st.article_id)
        # The negotiation an article is about takes the words of its sides; a statement between
        # other parties keeps its own pair when that is a conflict; a third party's word counts
        # in the article's negotiation when it is addressed to one of its sides.
        if own is not None and own in cores and (main is None or own == main or cores[own] > cores.get(main, 0)
                                                  or _names(st.object_text, {st.counterparty})):
            pair = own
        elif main is not None and st.party in main and (st.anaphoric or st.counterparty in main or _names(
                st.sentence_text, set(main) - {st.party})):
            pair = main  # a side's word in the article's negotiation, when it is about the other side
        elif own is not None and own in cores:
            pair = own
        elif main is not None and st.counterparty in main and _names(st.object_text, set(main) - {st.counterparty}):
            pair = main  # a third party's word to one side about the other ("asked Iran to talk with Washington")
        else:
            continue
        cid = conflict_id(pair)
        d = info[cid]["defined"]
        if st.anaphoric:
            keyed.append((st, cid, None, 1, None))
            continue
        hit = _defined_issue(d, st.object_text) if d else None
        if hit:
            issue, flipped = hit
            keyed.append((st, cid, issue.id, -1 if flipped else 1, issue))
            continue
        key, pol = issue_key(st.object_text, terms)
        if key:
            keyed.append((st, cid, key, pol, None))
    # an issue named by no place and no known concept counts once two articles state it
    support = defaultdict(set)
    for st, cid, key, pol, issue in keyed:
        support[(cid, key)].add(st.article_id)
    defined_keys = {(cid, key) for st, cid, key, pol, issue in keyed if issue is not None}
    concepts = set(terms.concept_of.values())
    named = {k for k in support if k[1] in concepts or k in defined_keys}
    # an issue is a place, a known concept or a hand-written issue: a word that is none of these
    # ("comment", "week") is too often no item on the table
    keyed = [x for x in keyed if x[2] is None or (x[1], x[2]) in named or _is_place(x[2].capitalize())]
    # each issue's own polarity: that of most of its demands (else of most statements)
    votes = defaultdict(Counter)
    for st, cid, key, pol, _ in keyed:
        if key:
            votes[(cid, key)][pol] += 3 if st.stance == "demands" else 1
    canon = {k: (1 if v[1] >= v[-1] else -1) for k, v in votes.items()}
    for st, cid, key, pol, issue in keyed:
        if issue is not None:
            canon[(cid, key)] = 1   # a hand-written issue is worded as its cues say
    labels_seen = defaultdict(Counter)
    labels: dict = {}
    for st, cid, key, pol, issue in keyed:
        if key is None:
            continue
        stance = st.stance if pol == canon[(cid, key)] else _INVERSE[st.stance]
        placed.append(Placed(st, cid, key, stance))
        if issue is not None:
            labels[(cid, key)] = (issue.label, issue.order)
        elif pol == canon[(cid, key)]:
            labels_seen[(cid, key)][_label_text(_phrase(st.object_text, key, terms))] += 3 if st.stance == "demands" else 1
    for k, c in labels_seen.items():
        if k not in labels:
            best = max(c.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            if len(_WORDS.findall(best)) < 2 and not _is_place(best):
                best = k[1].replace("-", " ").capitalize()   # "Meet" says less than "Talks"
            labels[k] = (best, None)
    for k in canon:
        labels.setdefault(k, (k[1].replace("-", " ").capitalize(), None))
    # a third party's word counts on an issue the sides themselves have taken positions on
    sides_on = {(p.conflict, p.issue) for p in placed if p.statement.party in info[p.conflict]["pair"]}
    placed = [p for p in placed if p.statement.party in info[p.conflict]["pair"] or (p.conflict, p.issue) in sides_on]
    # "Ukraine rejected the demand": it rejects each item another party demanded in that article
    for st, cid, key, pol, _ in keyed:
        if key is not None or st.stance != "rejects":
            continue
        pair = set(info[cid]["pair"])
        demanded = {p.issue for p in placed if p.conflict == cid and p.statement.article_id == st.article_id
                    and p.stance == "demands" and p.statement.party != st.party and p.statement.party in pair
                    and st.party in pair}
        for issue in sorted(demanded):
            placed.append(Placed(_anaphora(st), cid, issue, "rejects"))
    return placed, info, labels


def _is_name(key: str, obj: str) -> bool:
    return re.search(rf"\b{re.escape(key)}", obj, re.I) is not None and any(
        w.lower().replace("’", "'") == key and w[0].isupper() for w in _WORDS.findall(obj))


def _anaphora(st: Statement) -> Statement:
    from dataclasses import replace

    return replace(st, via="anaphora")


_STOP = frozenset("the a an to of on for with and or its their his her our your any all that this these those be is "
                  "are was were will would could should must has have had not no by at as it they he she we "
                  "which who what so such than then from in into over".split())
_LINK = frozenset("of on in from for over".split())
MAX_LABEL_WORDS = 7


def _phrase(obj: str, key: str, terms: Terms) -> str:
    """The words of ``obj`` that name issue ``key``: the whole object when short, else the noun
    phrase around the word that names it ("new economic sanctions on Iran")."""
    words = _WORDS.findall(obj)
    if len(words) <= MAX_LABEL_WORDS:
        return obj
    at = None
    for i, w in enumerate(words):
        lw = w.lower().replace("’", "'")
        if lw == key or _singular(lw) == key or terms.concept_of.get(lw) == key \
                or terms.concept_of.get(_singular(lw)) == key:
            at = i
            break
    if at is None:
        lo, hi = 0, MAX_LABEL_WORDS
    else:
        lo = at
        while lo > 0 and at - lo < 3 and words[lo - 1].lower() not in _STOP:
            lo -= 1
        hi = at + 1
        if hi < len(words) and words[hi].lower() in _LINK:
            hi += 1
            while hi < len(words) and hi - at <= 3 and words[hi].lower() not in _STOP:
                hi += 1
    # no dangling "of", "on", "the" at the end ("Denuclearization of")
    while hi - lo > 1 and words[hi - 1].lower() in _STOP:
        hi -= 1
    # the words as written between the first and the last, so that "$50 billion" stays whole
    spans = [m.span() for m in _WORDS.finditer(obj)]
    return obj[spans[lo][0]:spans[hi - 1][1]]


def _label_text(obj: str) -> str:
    text = re.sub(r"^(?:the|a|an|to|that)\s+", "", " ".join(obj.split()), flags=re.I).strip(" ,.;:\"“”'’")
    return (text[:1].upper() + text[1:])[:90]


def _defined_issue(conflict, text: str):
    """The hand-written issue ``text`` names, the one whose cue names most of it first ("the
    Zaporizhzhia nuclear power plant" is the plant, not the region); True when it names its opposite."""
    hits = [(len(m.group(0)), -n, i) for n, i in enumerate(conflict.issues) for m in [i.pattern.search(text)] if m]
    if hits:
        return max(hits, key=lambda h: h[:2])[2], False
    for i in conflict.issues:
        if i.inverse is not None and i.inverse.search(text):
            return i, True
    return None
