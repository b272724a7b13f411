"""Stance statements: who demands, offers, accepts, rejects or threatens what, sentence by sentence.

A statement is read from one sentence of a processed document (the JSON form of a ``Document``):

    cue      a stance word ("called for", "ruled out", "agreed to" …, ``data/positions/stances.yaml``)
             whose party is the actor named before it in its clause, or, for "we"/"I" or no name,
             the speaker of the quote it stands in
    event    a REQUEST, AGREE, CONCEDE, REJECT or THREATEN event whose trigger is no cue, by its source

The object is the words after the cue up to where the clause or a condition starts, one object
per item of a list ("withdrawal from Donetsk, Luhansk and Kherson" → three). Sentences about the
past (anniversaries, years before the story), conditions ("if Moscow agrees …") and stances of
no party (the author, analysts, unnamed people) give nothing.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..datafiles import load_yaml
from ..errors import KnowledgeBaseError

STANCES = ("demands", "offers", "accepts", "rejects", "threatens")
MAX_OBJECT_WORDS = 40
MAX_ITEM_WORDS = 9          # a longer piece between commas is a clause, not an item of a list
LISTED_ITEM_WORDS = 14      # … unless a colon announced the list
PARTY_GAP = 160
MAX_SENTENCE = 420          # longer "sentences" are headlines, captions and text glued together             # characters between a party's name and its cue, at most

_WORD = re.compile(r"[\w'’-]+")
_PREP_BEFORE = re.compile(r"(?:\b(?:of|to|with|by|from|on|for|against|about|at|in|into|over|toward|towards|than)\s+"
                          r"(?:the\s+|a\s+|an\s+)?(?:(?:north|south|east|west)\w*ern\s+)?)$", re.I)
# "Hamas's demands – which include ending a blockade": the possessor's demands, listed
_POSSESSED_LIST = re.compile(r"\s*[–—:,]?\s*(?:which\s+)?(?:include|included|are|were)\b", re.I)
_NO_OBJECT = re.compile(r"(?:during|earlier|later|last (?:week|month|year)|yesterday|today)\b", re.I)
_NOUN_CUE = re.compile(r"(?:demands?|offers?|proposals?|threats?|pledges?|calls?|requests?|warnings?|"
                       r"promises?|threat of|ultimatum)", re.I)
_DETERMINED = re.compile(r"(?:\b(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your)|['’]s?)\s+"
                         r"(?:[\w-]+\s+){0,2}$", re.I)
# "revived his threat of tariffs": a stance stated again now
_RESTATED = re.compile(r"\b(?:revived|renewed|repeated|reiterated|restated|issued|made)\s+(?:his|her|its|their|a|the)\s+(?:[\w-]+\s+)?$", re.I)
_POSSESSOR_FIRST = re.compile(r"^[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?['’]s?\s+\w")
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b|^['’]", re.I)
_CLAUSE_MARK = re.compile(r"[;:—–]|\s-\s|\b(?:but|while|whereas|although|though)\b", re.I)
_LEAD = re.compile(r"^(?:[\s,:\"“”‘’']+|(?:to|that|on|for|with|from|the idea of|of|out|Monday|Tuesday|Wednesday|"
                   r"Thursday|Friday|Saturday|Sunday|today|yesterday)\s+)+", re.I)
_TRAIL = re.compile(r"[\s,.;:\"“”‘’'()\[\]]+$")


@dataclass
class Rules:
    cues: list                      # (stance, compiled pattern), in the order tried
    anchored_cues: list             # (stance, pattern matched at a word start), same order
    cue_prefixes: Optional[frozenset]  # lower-case literal starts of every cue (None: scan everything)
    events: dict
    condition: re.Pattern
    negation: re.Pattern
    negated_becomes: dict
    background: re.Pattern
    first_person: frozenset
    anaphora: re.Pattern
    both_sides: re.Pattern
    object_end: re.Pattern
    event_triggers: re.Pattern
    obligation: re.Pattern
    courtesy: re.Pattern
    noise: re.Pattern
    both_sides_in: re.Pattern


def _alt(words, where: str, anchored: bool = False) -> re.Pattern:
    words = [w for w in words or [] if isinstance(w, str) and w.strip()]
    if not words:
        return re.compile(r"(?!x)x")
    body = "|".join(f"(?:{w})" for w in words)
    try:
        return re.compile(rf"^(?:{body})$" if anchored else rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.I)
    except re.error as exc:
        raise KnowledgeBaseError.e("E401", path=where, reason=f"bad cue pattern: {exc}") from None


PREFIX = 3      # a cue's literal start is at least this long …
PREFIX_MAX = 5  # … and at most this much of it is looked up before its patterns are tried


def literal_prefixes(pattern: str) -> Optional[set]:
    """The lower-case literal texts every match of ``pattern`` starts with (at least ``PREFIX``
    letters each), or None when some alternative starts with no literal (then every word is tried)."""
    out = set()
    for alt in _top_level(pattern, "|"):
        if alt.startswith("(?:"):
            close = _closing(alt, 0)
            if close is None:
                return None
            rest = alt[close + 1:]
            if rest[:1] in ("?", "*"):
                return None
            for inner in _top_level(alt[3:close], "|"):
                got = literal_prefixes(inner + rest)
                if got is None:
                    return None
                out |= got
            continue
        m = re.match(r"[A-Za-z'’ -]+", alt)
        lit = m.group(0) if m else ""
        nxt = alt[len(lit):len(lit) + 1]
        if nxt in ("?", "*", "{") and lit:
            lit = lit[:-1]
        if len(lit) < PREFIX:
            return None
        out.add(lit.lower())
    return out


def _top_level(pattern: str, sep: str) -> list[str]:
    parts, depth, cur, i = [], 0, "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur += pattern[i:i + 2]
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    return parts


def _closing(pattern: str, start: int) -> Optional[int]:
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def find_cues(text: str, rules: "Rules") -> list[tuple[int, int, str]]:
    """Every cue of ``text``; a place taken by one stance's cue (in the rules' order) is not another's.
    Only words whose first letters start some cue are tried."""
    found: dict[str, list] = {}
    if rules.cue_prefixes is None:
        for stance, pat in rules.cues:
            found[stance] = [(m.start(), m.end()) for m in pat.finditer(text)]
    else:
        lower = text.lower()
        by_len = {n: frozenset(x for x in rules.cue_prefixes if len(x) == n) for n in range(PREFIX, PREFIX_MAX + 1)}
        p3, p4, p5 = by_len.get(3, frozenset()), by_len.get(4, frozenset()), by_len.get(5, frozenset())
        for w in _WORD_AT.finditer(text):
            i = w.start()
            if not (lower[i:i + 3] in p3 or lower[i:i + 4] in p4 or lower[i:i + 5] in p5):
                continue
            for stance, pat in rules.anchored_cues:
                m = pat.match(text, i)
                if m:
                    found.setdefault(stance, []).append((i, m.end()))
    cues, taken = [], []
    for stance, _ in rules.cues:
        for a, b in found.get(stance, ()):
            k = bisect.bisect_left(taken, (a, -1))
            if (k < len(taken) and taken[k][0] < b) or (k > 0 and taken[k - 1][1] > a):
                continue
            taken.insert(k, (a, b))
            cues.append((a, b, stance))
    cues.sort()
    return cues


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A digest of what reads statements (these rules, the cue file, the terms): statements kept in
    a store under another digest are read again."""
    import hashlib

    from ..datafiles import data_path

    h = hashlib.sha1(Path(__file__).read_bytes())
    for name in ("stances.yaml",):
        h.update(data_path("positions", name).read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    where = "data/positions/stances.yaml"
    data = load_yaml("positions", "stances.yaml") or {}
    cues = data.get("cues") or {}
    unknown = set(cues) - set(STANCES)
    if unknown:
        raise KnowledgeBaseError.e("E401", path=where, reason=f"unknown stances {sorted(unknown)}")
    events = {str(k).upper(): str(v) for k, v in (data.get("events") or {}).items()}
    if set(events.values()) - set(STANCES):
        raise KnowledgeBaseError.e("E401", path=where, reason="an event maps to an unknown stance")
    prefixes = set()
    for words in cues.values():
        for w in words or []:
            got = literal_prefixes(str(w))
            if got is None:
                prefixes = None
                break
            prefixes |= got
        if prefixes is None:
            break
    return Rules(
        cues=[(s, _alt(p, where)) for s, p in cues.items()],
        anchored_cues=[(s, re.compile(r"(?:" + "|".join(f"(?:{w})" for w in p) + r")(?![\w'’-])", re.I))
                       for s, p in cues.items() if p],
        cue_prefixes=frozenset(x[:PREFIX_MAX] for x in prefixes) if prefixes is not None else None,
        events=events,
        condition=_alt(data.get("condition"), where),
        negation=_alt(data.get("negation"), where),
        negated_becomes={str(k): str(v) for k, v in (data.get("negated_becomes") or {}).items()},
        background=_alt(data.get("background"), where),
        first_person=frozenset(str(w).lower() for w in data.get("first_person") or []),
        anaphora=re.compile(r"^(?:[\w’'-]+['’]s\s+)?(?:" + "|".join(data.get("anaphora") or ["(?!x)x"]) + r")\b", re.I),
        both_sides=_alt(data.get("both_sides"), where, anchored=True),
        object_end=_alt(data.get("object_end"), where),
        event_triggers=_alt(data.get("event_triggers"), where),
        obligation=_alt(data.get("obligation"), where, anchored=True),
        both_sides_in=_alt(data.get("both_sides"), where),
        noise=re.compile("|".join(data.get("noise") or ["(?!x)x"])),
        courtesy=re.compile(r"^(?:" + "|".join(data.get("courtesy") or ["(?!x)x"]) + r")\b", re.I),
    )


@dataclass
class Statement:
    party: str                      # country or IGO code
    party_name: str                 # canonical actor name
    party_text: str                 # the mention as written
    stance: str
    object_start: int
    object_end: int
    object_text: str                # the item as stated ("withdrawal from Luhansk"); its span is the item's words
    sentence_start: int
    sentence_end: int
    sentence_text: str
    counterparty: Optional[str] = None
    status: str = "asserted"        # asserted | reported | hypothetical | negated
    date: Optional[str] = None
    article_id: Optional[str] = None
    via: str = "cue"                # "cue", "event" or "anaphora"
    event_id: Optional[str] = None
    quote_id: Optional[str] = None
    anaphoric: bool = False         # the object only points at another party's terms
    official: bool = True           # said by a state, government, armed force or IGO (or their officials)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> "Statement":
        return cls(**d)

    def to_dict(self) -> dict:
        return {"party": self.party, "party_name": self.party_name, "party_text": self.party_text,
                "stance": self.stance, "object": {"start": self.object_start, "end": self.object_end,
                                                  "text": self.object_text},
                "counterparty": self.counterparty, "status": self.status, "date": self.date,
                "article_id": self.article_id, "via": self.via,
                "evidence": {"start": self.sentence_start, "end": self.sentence_end, "text": self.sentence_text}}


# -- sentences ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    from ..datafiles import data_path

    lines = data_path("pipeline", "abbreviations.txt").read_text("utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


_WORD_AT = re.compile(r"(?<![\w'’-])[A-Za-z]")   # where a word starts (a cue's first letter)
_BLANK_LINE = re.compile(r"\n\s*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]+[\"”’']?$")
_SENT_END = re.compile(r"[.!?]+[\"”’']?(?=\s*[\"“‘'(]?[A-Z0-9])|\n\s*\n")


def sentences(text: str, known: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence spans: the parser's where a processed event gives one, else split on full stops
    (news dumps often glue sentences together: "deal.\"It's" is two sentences)."""
    cuts = [0]
    abbrev = _abbreviations()
    for m in _SENT_END.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.end())
        w = (word.group(1) if word else "").lower().rstrip(".")
        if m.group(0)[0] == "." and (len(w) == 1 or w in abbrev):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    spans = [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        out.append((a, b))
    # A parser's sentence replaces the split sentences it overlaps.
    known = sorted(set(known))
    merged = list(known)
    starts = [k[0] for k in known]
    for s in out:
        i = bisect.bisect_left(starts, s[1])   # parser sentences starting before this one ends
        if i and max(k[1] for k in known[max(0, i - 3):i]) > s[0]:
            continue
        merged.append(s)
    # a blank line ends a sentence whatever the parser said (a tweet's byline, a heading)
    out = []
    for a, b in sorted(merged):
        for m in _BLANK_LINE.finditer(text, a, b):
            if text[a:m.start()].strip():
                out.append((a, m.start()))
            a = m.end()
        if text[a:b].strip():
            out.append((a, b))
    return out


# -- the document's parties --------------------------------------------------------------------
@dataclass
class _Mention:
    start: int
    end: int
    text: str
    code: Optional[str]
    name: str
    sector: Optional[str]
    kind: Optional[str]
    others: list = field(default_factory=list)


class _Sent(list):
    """A sentence's mentions, with the whole article's as ``all``."""
    all: list = []


def party_code(actor: dict) -> Optional[str]:
    """The actor's country code; Hong Kong's government and people are a party of their own in
    their negotiations with Beijing, though the knowledge base files them under China."""
    code = actor.get("country")
    if code == "CHN" and any(_HONG_KONG.search(m.get("text") or "") for m in actor.get("mentions") or []):
        return "HKG"
    return code


_LOCAL_GROUP = re.compile(r"\b(?:protesters?|demonstrators?|activists?|opposition|lawmakers?|legislators?|"
                          r"separatists?|rebels?|protest movement|pro-democracy)\b", re.I)
_HONG_KONG = re.compile(r"\bHong Kong(?:'s|’s)?\b(?! (?:affairs|and Macau))")


def _home(doc: dict) -> Optional[str]:
    """Protesters, the opposition, lawmakers … named with no country are the story's own people:
    of the country the article names most (Hong Kong in a story about Hong Kong)."""
    if len(_HONG_KONG.findall(doc.get("text") or "")) >= 3:
        return "HKG"
    counts: dict = {}
    for a in doc.get("actors") or []:
        if a.get("kind") == "state" and a.get("country"):
            counts[a["country"]] = counts.get(a["country"], 0) + len(a.get("mentions") or [])
    return max(counts, key=counts.get) if counts else None


def _mentions(doc: dict) -> list[_Mention]:
    out = []
    # In a story about Hong Kong, local bodies the knowledge base does not know ("the government",
    # "protesters") that the resolver filed under China are Hong Kong's.
    hong_kong = len(_HONG_KONG.findall(doc.get("text") or "")) >= 3
    home = _home(doc)
    for a in doc.get("actors") or []:
        code = party_code(a)
        if hong_kong and code == "CHN" and not a.get("kb_id"):
            code = "HKG"
        if not code and home and _LOCAL_GROUP.search(a.get("name") or ""):
            code = home
        for m in a.get("mentions") or []:
            out.append(_Mention(m["start"], m["end"], m.get("text") or "", code, a.get("name") or "",
                                a.get("sector"), a.get("kind")))
    out.sort(key=lambda m: (m.start, -m.end))
    # Keep the outermost of nested mentions ("Ukraine's Ministry of Foreign Affairs" over "Ukraine").
    kept: list[_Mention] = []
    for m in out:
        if kept and m.start < kept[-1].end:
            if m.start == kept[-1].start and m.end == kept[-1].end and m.code and m.code != kept[-1].code:
                kept[-1].others.append(m.code)   # "both sides" resolved to each side
            continue
        kept.append(m)
    return kept


def _is_party(m: _Mention) -> bool:
    return bool(m.code) and m.sector not in ("MED",) and m.kind != "place" and not _PLACE_WORDS.search(m.text)


# "the Vietnamese capital", "Ukrainian soil": a place named by its country, not a party
_PLACE_WORDS = re.compile(r"\b(?:capital|city|soil|territory|border|peninsula|coast|waters)\b", re.I)


def _subjectlike(text: str, m: _Mention) -> bool:
    """Not a possessive ("Kim's behaviour", "Mattis's counterpart") nor a prepositional object
    ("talks with Iran")."""
    if _POSSESSIVE_AFTER.match(text[m.end:m.end + 2]) or _POSSESSOR_FIRST.match(m.text):
        return False
    return not _PREP_BEFORE.search(text[max(0, m.start - 20):m.start])


# -- objects -----------------------------------------------------------------------------------
def _object(text: str, lo: int, hi: int, rules: Rules) -> tuple[int, int]:
    """The object's span: from ``lo`` to the first clause end, condition or reporting word; after a
    colon ("demanded: an inquiry; elections; …") the list that runs to the end of the sentence."""
    colon = re.match(r"\s*:\s*", text[lo:hi])
    if colon and ";" in text[lo:hi]:
        a, b = lo + colon.end(), hi
        trail = _TRAIL.search(text[a:b])
        return a, (a + trail.start() if trail else b)
    seg = text[lo:hi]
    cut = len(seg)
    for pat in (rules.object_end, re.compile(r",\s*(?:he|she|they|it|[A-Z]\w+)\s+(?:said|says|added|told|wrote|reported|reports)\b|,\s*\w+ing\b|[;—–(]|\s-\s|(?<!\b[A-Z])[.!?][\"”’']?\s|[.!?][\"”’']?$|,\s*[\"“”]|[\"”](?=\s*,?\s*\w+ said)|,?\s+and\s+(?:warned|said|called|urged|added|threatened|announced|accused|vowed|claimed|insisted)\b|,\s+(?:and\s+)?for\s+\w+ing\b")):
        m = pat.search(seg)
        if m and m.start() > 0:
            cut = min(cut, m.start())
    seg = seg[:cut]
    lead = _LEAD.match(seg)
    a = lo + (lead.end() if lead else 0)
    words = list(_WORD.finditer(text, a, lo + cut))
    if not words:
        return a, a
    if len(words) > MAX_OBJECT_WORDS:
        b = words[MAX_OBJECT_WORDS - 1].end()
    else:
        b = lo + cut
    trail = _TRAIL.search(text[a:b])
    if trail:
        b = a + trail.start()
    return a, b


_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+|as well as\s+)?|\s+(?:and|as well as)\s+(?!that\b)")
_HEAD = re.compile(r"^(.*\b(?:from|of|in|on|for|over)\s+(?:the\s+)?)([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)$")


def _items(text: str, a: int, b: int, max_words: int = MAX_ITEM_WORDS) -> list[tuple[int, int, str]]:
    """The items of a listed object (each region of "withdrawal from Donetsk, Luhansk and Kherson"),
    each as (start, end, how it reads alone); one item when the object is no list."""
    seg = text[a:b]
    if ";" in seg:  # a list of clauses: one item each
        out, pos = [], 0
        for m in re.finditer(r";\s*(?:and\s+)?", seg + ";"):
            piece = seg[pos:m.start()]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                out.append((a + pos + lead, a + m.start(), piece.strip()))
            pos = m.end()
        if len(out) > 1:
            return out
    pieces, pos = [], 0
    for m in _LIST_SPLIT.finditer(seg):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(seg)))
    pieces = [(s, e) for s, e in pieces if seg[s:e].strip()]
    if (seg.count(",") < 2 and len(pieces) < 3) and not _HEAD.match(seg[pieces[0][0]:pieces[0][1]]):
        return [(a, b, seg)]  # "X and Y": too often one thing ("peace and security")
    if any(re.match(r"(?:will|would|can|could|should|must|has|have|is|are|was|were|had|in|on|at|by|as|with|"
                    r"for|to|\w+ly|\w+ed)\b", seg[s:e].strip()) for s, e in pieces[1:]):
        return [(a, b, seg)]  # a clause or phrase goes on after the names: no list of items
    if re.search(r"\bbetween\b|\balike$", seg):
        return [(a, b, seg)]  # "between X and Y", "X and Y alike": one thing
    if len(pieces) < 2 or any(len(_WORD.findall(seg[s:e])) > max_words for s, e in pieces):
        return [(a, b, seg)]
    # "X and Y" with long verb phrases or two-word fragments of one noun phrase stays whole.
    if len(pieces) == 2 and "," not in seg:
        first, second = seg[pieces[0][0]:pieces[0][1]], seg[pieces[1][0]:pieces[1][1]]
        if not (first[:1].isupper() and second[:1].isupper()) and not _HEAD.match(first):
            if len(_WORD.findall(first)) < 2 or len(_WORD.findall(second)) < 2:
                return [(a, b, seg)]
    out = []
    head = ""
    for n, (s, e) in enumerate(pieces):
        piece = seg[s:e]
        m = _HEAD.match(piece)
        if m and n == 0:
            head = m.group(1)
            out.append((a + s, a + e, piece))
        elif head and re.fullmatch(r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", piece):
            out.append((a + s, a + e, head + piece))
        else:
            head = m.group(1) if m else ""
            out.append((a + s, a + e, piece))
    return out


# -- reading one document ----------------------------------------------------------------------
def _year(value: Optional[str]) -> Optional[int]:
    m = re.match(r"(\d{4})", value or "")
    return int(m.group(1)) if m else None


def statements_of_document(doc: dict, article_id: Optional[str] = None, published: Optional[str] = None,
                           rules: Optional[Rules] = None) -> list[Statement]:
    """Every stance statement of one processed document."""
    rules = rules or load_rules()
    text = doc.get("text") or ""
    article_id = article_id or doc.get("id")
    published = (published or doc.get("published") or "")[:10] or None
    pub_year = _year(published)
    mentions = _mentions(doc)
    home_code = _home(doc)
    quotes = doc.get("quotes") or []
    events = doc.get("events") or []
    timexes = doc.get("timexes") or []
    known = [(e["sentence"]["start"], e["sentence"]["end"]) for e in events if e.get("sentence")]
    # who speaks for a state: states, IGOs, governments, armed forces, and people holding an office
    official = {}
    for a in doc.get("actors") or []:
        official[a.get("name") or ""] = (a.get("kind") in ("state", "igo") or a.get("sector") in ("GOV", "MIL", "IGO")
                                         or bool(a.get("role") and a.get("kb_id")))
    out: list[Statement] = []

    def quote_at(pos: int) -> Optional[dict]:
        best = None
        for q in quotes:
            c = q.get("content") or {}
            if c.get("start", 0) <= pos < c.get("end", -1):
                if best is None or c["end"] - c["start"] < best["content"]["end"] - best["content"]["start"]:
                    best = q
        return best

    actor_by_id = {a.get("id"): a for a in doc.get("actors") or []}
    mention_starts = [m.start for m in mentions]

    def speaker_party(q: Optional[dict]):
        sp = (q or {}).get("speaker") or {}
        code = party_code(actor_by_id[sp["actor"]]) if sp.get("actor") in actor_by_id else sp.get("country")
        if code and sp.get("sector") != "MED":
            m = sp.get("mention") or {}
            return code, sp.get("name") or "", m.get("text") or sp.get("name") or ""
        return None

    all_cues = find_cues(text, rules)
    stance_events = [e for e in events if rules.events.get(e.get("type"))
                     and rules.event_triggers.search((e.get("trigger") or {}).get("text") or "")]
    if not all_cues and not stance_events:
        return out
    cue_starts = [c[0] for c in all_cues]
    for s0, s1 in sentences(text, known):
        lo_c, hi_c = bisect.bisect_left(cue_starts, s0), bisect.bisect_left(cue_starts, s1)
        if lo_c == hi_c and not any(s0 <= e["trigger"]["start"] < s1 for e in stance_events):
            continue
        sent = text[s0:s1]
        if len(sent) > MAX_SENTENCE or rules.background.search(sent) or sent.rstrip(" \"”’'").endswith("?") \
                or rules.noise.search(sent) or (sent.isupper() and len(sent.split()) > 2):
            continue  # history, a question, a caption or headline glued to the text, a slogan in capitals
        old = [t["start"] for t in timexes if s0 <= t["start"] < s1 and pub_year
               and (_year(t.get("value")) or pub_year) < pub_year - 1]
        sent_mentions = _Sent(mentions[bisect.bisect_left(mention_starts, s0):bisect.bisect_left(mention_starts, s1)])
        sent_mentions.all = mentions
        cues = all_cues[lo_c:hi_c]
        sent_events = [e for e in events if s0 <= e["trigger"]["start"] < s1]
        used_triggers = set()
        found: list[Statement] = []
        wanted: list[tuple[int, int]] = []
        for c0, c1, stance in cues:
            listed = _POSSESSED_LIST.match(text, c1) and re.search(r"['’]s?\s+$", text[max(0, c0 - 3):c0])
            if stance == "demands" and not listed and _UNOWNED_LIST.match(text, c1) and \
                    re.fullmatch(r"demands", text[c0:c1], re.I) and re.search(r"\b(?:the|these|those|their|its)\s+(?:[\w-]+\s+){0,2}$", text[max(s0, c0 - 30):c0], re.I):
                # "The four other demands are: retraction …, release …": the list of whoever made
                # the demands last named in the article (or the story's own people)
                owner = _last_demander(out + found, mentions, home_code)
                if owner:
                    a = _UNOWNED_LIST.match(text, c1).end()
                    b = _object(text, a, s1, rules)[1]
                    found.extend(_make(owner, "demands", text, s0, s1, (a, b), _status(text, s0, c0, None, None),
                                       published, article_id, "cue", None, rules=rules))
                continue
            if _NOUN_CUE.fullmatch(re.sub(r"\s+(?:that|of)$", "", text[c0:c1])) and _DETERMINED.search(text[max(0, c0 - 40):c0]) and not listed \
                    and not _RESTATED.search(text[max(0, c0 - 40):c0]):
                continue  # "the long-running demand": a thing talked about, not a stance taken here
            if not listed and re.search(r"['’]s?\s+$|\b(?:the|a|an|its|their|these|those|by|of|on|with|and|or)\s+$",
                         text[max(0, c0 - 8):c0]) and (stance == "demands" or text[c0:c1].endswith("ing")):
                continue  # a noun ("Russia's demands", "the demands"): what is talked about, not a stance taken
            if any(st.object_start <= c0 < st.object_end for st in found) or text[c1:c1 + 3] == " of" \
                    or any(a <= c0 < b for a, b in wanted):
                continue  # a word inside another stance's object ("demanded … a pledge of neutrality")
            if stance == "demands":  # what is hoped or asked for, even of no known party, is no stance of its own
                wanted.append(_object(text, c1, s1, rules))
            ev = next((e for e in sent_events if e["trigger"]["start"] < c1 and c0 < e["trigger"]["end"]), None)
            if ev is not None:
                used_triggers.add(ev.get("id"))
            if any((s0 <= t < c0 or t > c1) and not re.match(r"\d{4}\s+(?:\w+\s+)?(?:agreement|deal|accord|treaty|pact)", text[t:t + 40])
                   for t in old):
                continue  # "in 2014 Russia demanded …", "… in August 2016": history, not a current position
            found.extend(_from_cue(text, s0, s1, c0, c1, stance, ev, sent_mentions, quote_at, speaker_party,
                                   rules, published, article_id))
        for e in stance_events:  # a stance event with no stance word ("blew a kiss") is too often wrong
            stance = rules.events.get(e.get("type"))
            if e.get("id") in used_triggers or not (s0 <= e["trigger"]["start"] < s1):
                continue
            found.extend(_from_event(text, s0, s1, e, stance, sent_mentions, quote_at, speaker_party, rules,
                                     published, article_id))
        seen = set()
        for st in found:
            key = (st.party, st.stance, st.object_start, st.counterparty, st.party_text)
            if key not in seen:
                seen.add(key)
                st.official = official.get(st.party_name, True)
                out.append(st)
    return out


_WILL_DO = re.compile(r"(?:will|would|we['’]ll|they['’]ll|i['’]ll)\s+(?:\w+\s+)?(?=\w)", re.I)
_DEAL_CUE = re.compile(r"\s((?:an?|the)\s+(?:[\w-]+\s+){0,3}(?:deal|agreement|accord|pact|treaty))$", re.I)
_DEAL_TERMS = re.compile(r"[^,.;]{0,60}?\b(?:that|which)\s+(?:calls? for|includes?|provides? for)\s+", re.I)
_UNOWNED_LIST = re.compile(r"\s+(?:are|were|include|included)\s*:\s*", re.I)


def _last_demander(before: list, mentions: list, home: Optional[str]) -> Optional[tuple]:
    """Whose demands an unowned list states: the party of the article's last demand so far, else
    a local group (protesters, the opposition) of the story's own country."""
    for st in reversed(before):
        if st.stance == "demands":
            return st.party, st.party_name, st.party_text
    for m in mentions_all_of(mentions):
        if m.code and m.code == home and _LOCAL_GROUP.search(m.name or m.text):
            return m.code, m.name, m.text
    return None


def _clause_start(text: str, s0: int, c0: int, q: Optional[dict]) -> int:
    lo = s0
    if q is not None:
        lo = max(lo, q["content"]["start"])
    return lo


_LOCAL_SUBJECT = re.compile(r"\b(?:(?:the|many|some)\s+)?(?:opposition|protest|pro-democracy)?\s*"
                            r"(?:leaders?|protesters|demonstrators|activists|lawmakers|opposition)\s+$", re.I)


def _local_group_before(text: str, lo: int, c0: int, mentions: list[_Mention]) -> list[_Mention]:
    """ "While opposition leaders agreed …": a local group the actor stage did not name, right before
    the cue, is of the story's own country (the country of the local groups it did name)."""
    m = _LOCAL_SUBJECT.search(text, lo, c0)
    if not m or not re.search(r"opposition|protest|demonstrat|activist|pro-democracy", m.group(0), re.I):
        return []
    homes = [x.code for x in mentions_all_of(mentions) if x.code and _LOCAL_GROUP.search(x.name or "")]
    if not homes:
        return []
    code = max(set(homes), key=homes.count)
    return [_Mention(m.start(), m.end(), m.group(0).strip(), code, m.group(0).strip(), "OPP", "group")]


def _parties_before(text: str, lo: int, c0: int, mentions: list[_Mention]) -> list[_Mention]:
    """The party the cue at ``c0`` belongs to (with the others joined to it by "and")."""
    cands = [m for m in mentions if lo <= m.start and m.end <= c0 and c0 - m.end <= PARTY_GAP
             and _subjectlike(text, m)]
    if not cands:
        return []
    last = cands[-1]
    group = [last]
    for m in reversed(cands[:-1]):
        between = text[m.end:group[-1].start]
        if re.fullmatch(r"\s*(?:,|and|, and|&)\s*", between):
            group.append(m)
        else:
            break
    return group


def _make(party: tuple, stance: str, text: str, s0: int, s1: int, obj: tuple[int, int], status: str,
          published, article_id, via, counterparty, event_id=None, quote_id=None,
          rules: Optional[Rules] = None) -> list[Statement]:
    code, name, ptext = party
    a, b = obj
    rules = rules or load_rules()
    whole = text[a:b]
    anaphoric = bool(rules.anaphora.match(whole.strip()))
    # after a colon the list is announced: its items may be longer
    colon = re.search(r":\s*$", text[max(s0, a - 3):a]) is not None
    items = [(a, b, whole)] if anaphoric or a >= b else _items(text, a, b, LISTED_ITEM_WORDS if colon else MAX_ITEM_WORDS)
    return [Statement(code, name, ptext, stance, ia, ib, itext, s0, s1, text[s0:s1], counterparty, status,
                      published, article_id, via, event_id, quote_id, anaphoric)
            for ia, ib, itext in items]


def _status(text: str, s0: int, c0: int, q: Optional[dict], ev: Optional[dict]) -> str:
    if ev is not None and ev.get("status") in ("reported", "hypothetical"):
        return ev["status"]
    if re.search(r"\b(?:reportedly|reports? (?:have |has )?(?:said|claimed))\b", text[s0:c0], re.I):
        return "reported"
    return "asserted"


def _counterparty(code: str, ev: Optional[dict], mentions: list[_Mention], c0: int,
                  obj: Optional[tuple[int, int]] = None, text: str = "") -> Optional[str]:
    """Whom the stance is addressed to: a party named in its object ("demanded that Ukraine …"),
    else the event's other side, else another party the sentence names, nearest the cue."""
    def venue(m):  # "meet in Vietnam": where, not with whom
        return bool(text) and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", text[max(0, m.start - 8):m.start]) is not None

    if obj is not None:
        inside = [m.code for m in mentions if obj[0] <= m.start < obj[1] and m.code and m.code != code
                  and not venue(m)]
        if inside:
            return inside[0]
    if ev is not None:
        for side in ("target", "source"):
            other = (ev.get(side) or {}).get("country")
            if other and other != code:
                return other
    others = [m for m in mentions if m.code and m.code != code and _is_party(m) and not venue(m)]
    if others:
        return min(others, key=lambda m: abs(m.start - c0)).code
    return None


def _negated(text: str, lo: int, c0: int, c1: int, rules: Rules) -> bool:
    window = text[max(lo, c0 - 24):c1]
    return bool(rules.negation.search(window))


def _from_cue(text, s0, s1, c0, c1, stance, ev, mentions, quote_at, speaker_party, rules, published,
              article_id) -> list[Statement]:
    q = quote_at(c0)
    lo = _clause_start(text, s0, c0, q)
    before = text[lo:c0]
    # the clause the cue stands in: conditions and questions are no stances
    clause_lo = lo
    for m in _CLAUSE_MARK.finditer(before):
        clause_lo = lo + m.end()
    if stance != "threatens" and rules.condition.search(text[clause_lo:c0]):
        return []
    cue_text = text[c0:c1]
    group = None
    if text[c0:c1].lower().endswith(("ing", "ing that", "ing of")) and re.search(r",\s*$", before):
        # ", offering concessions": a participle whose subject is the sentence's, named at its start
        first = [m for m in mentions if s0 <= m.start < c0 and _subjectlike(text, m)][:1]
        if stance == "threatens" or not first or not _is_party(first[0]) or first[0].start - s0 > 40:
            return []
        group = first
    if re.match(r"oppos", cue_text, re.I) and re.match(r"\s+(?:on|over)\b", text[c1:c1 + 6]):
        return []  # "opposed on issues including trade": a disagreement named, not a rejection
    if stance in ("rejects", "accepts") and re.match(r"\w+ed\b", cue_text) and re.search(r"\b(?:is|are|was|were|been|being|widely)\s+$", text[max(lo, c0 - 10):c0]):
        return []  # "widely condemned for …": passive, the party is not named here
    if re.match(r"\s+by\b", text[c1:c1 + 4]) or re.search(r"\b(?:to|might|may|would be)\s+$", text[max(lo, c0 - 12):c0]):
        return []  # passive ("agreed to by"), an infinitive ("information to offer") or a mere possibility
    if stance == "rejects" and re.match(r"\s*(?:rule out|reject|dismiss|oppose)\b", text[c1:c1 + 12], re.I):
        return []  # "refused to rule out": no rejection
    obligation = stance == "demands" and rules.obligation.match(cue_text) is not None
    negated = stance not in ("rejects",) and bool(re.search(r"\b(?:not|never|no longer)\b|n['’]t\b",
                                                             text[max(lo, c0 - 20):c0] + cue_text, re.I))
    status = _status(text, s0, c0, q, ev)
    if re.search(r"\b(?:could|might|may)\s+(?:\w+\s+)?$", text[max(lo, c0 - 20):c0], re.I):
        status = "hypothetical"   # "Britain could accept …": a stance taken only as a possibility
    if negated:
        if stance in rules.negated_becomes:
            stance = rules.negated_becomes[stance]
        else:
            status = "negated"
    elif stance == "rejects" and re.search(r"\b(?:not|n['’]t)\s+(?:\w+\s+)?$", text[max(lo, c0 - 16):c0], re.I):
        return []  # "did not reject": no rejection
    parties: list[tuple] = []
    if group is None:
        group = _parties_before(text, lo, c0, mentions)
        if not group:
            group = _local_group_before(text, clause_lo, c0, mentions)
    if stance == "threatens" and re.search(r"\bpay\b", cue_text):
        # "Zarif tells NPR that the U.S. 'will pay'": the one named before the cue is the one
        # threatened; the threat is the speaker's
        sp = speaker_party(q) if q is not None else None
        teller = [m for m in mentions if s0 <= m.start < c0 and _subjectlike(text, m) and _is_party(m)][:1]
        if sp:
            group, parties = [], [sp]
        elif teller and group and teller[0] is not group[0]:
            group = teller
        else:
            return []
    if _POSSESSED_LIST.match(text, c1) and re.search(r"['’]s?\s+$", text[max(0, c0 - 3):c0]):
        owner = [m for m in mentions if 0 <= c0 - m.end <= 3 and _is_party(m)]
        group = owner[:1] or group
    if stance == "demands" and re.search(r"\b(?:that|which|what)\s+(?:we|i|you|they|he|she|it)\s+$", before, re.I):
        return []  # "objectives that we want to accomplish": the object comes before, in another clause
    rel = re.search(r"\b(?:who|that|which)\s+(?:(?:is|are|was|were|has|have|had)\s+)?$", before)
    if rel and (not group or lo + rel.start() - group[0].end > 3):
        # "world powers who signed": the party is what the relative pronoun stands for, right before it
        group = []
        if stance == "threatens" or q is None:
            return []
    if obligation:
        # "Assad has to go": the demand is the speaker's, not Assad's
        sp = speaker_party(q) if q is not None else None
        if not sp:
            return []
        group = []
        parties.append(sp)
    both_group = bool(group) and rules.both_sides.match(group[0].text.strip().lower()) is not None
    if both_group:
        codes = [c for c in [group[0].code] + group[0].others if c]
        if len(codes) < 2:
            codes = _main_parties(mentions_all_of(mentions), (s0, s1))
        parties = [(c, "", group[0].text) for c in codes]
    elif group:
        for m in group:
            if m.text.strip().lower() in rules.first_person and q is not None and speaker_party(q):
                parties.append(speaker_party(q))
            elif _is_party(m):
                parties.append((m.code, m.name, m.text))
    src = (ev or {}).get("source") or {}
    both = not both_group and rules.both_sides_in.search(text[(group[0].end if group else clause_lo):c0]) is not None
    if both and ev is None:
        parties = [(c, "", "both sides") for c in _main_parties(mentions_all_of(mentions), (s0, s1))]
    if both and ev is not None:
        for side in ("source", "target"):
            r = ev.get(side) or {}
            if r.get("country"):
                parties.append((r["country"], r.get("name") or "", (r.get("mention") or {}).get("text") or ""))
    if not parties and ev is not None and src.get("country") and src.get("sector") != "MED" \
            and ((src.get("mention") or {}).get("start") or 0) < c0:  # a source named after the cue is its object
        parties.append((src["country"], src.get("name") or "", (src.get("mention") or {}).get("text") or ""))
    if not parties and q is not None and not group:
        sp = speaker_party(q)
        if sp:
            parties.append(sp)
    if not parties:
        return []
    # "unacceptable", "non-negotiable": the object is what was called so, named before the cue
    if re.match(r"(?:un|non|not)", cue_text, re.I) and re.search(r"\b(?:is|are|was|were|be)\s+$", before):
        subj = re.search(r"(?:^|,|\bthat\b)\s*([^,]*?)\s+(?:is|are|was|were|would be|be)\s+$", before)
        obj = (lo + subj.start(1), lo + subj.end(1)) if subj else _object(text, c1, s1, rules)
    elif _POSSESSED_LIST.match(text, c1) and re.search(r"['’]s?\s+$", text[max(0, c0 - 3):c0]):
        obj = _object(text, _POSSESSED_LIST.match(text, c1).end(), s1, rules)  # "Hamas's demands – which include X"
    elif stance == "threatens" and _WILL_DO.match(cue_text):
        obj = _object(text, c0 + _WILL_DO.match(cue_text).end(), s1, rules)  # "will respond …": the threatened act
    elif stance in ("accepts", "rejects") and _DEAL_CUE.search(cue_text):
        obj = (c0 + _DEAL_CUE.search(cue_text).start(1), c1)  # "signed a deal with X": the deal
    else:
        obj = _object(text, c1, s1, rules)
    addressees = []
    if stance == "demands" and re.search(r"(?:on|urg\w*|ask\w*(?: [\w’'-]+){0,5} to)$", cue_text, re.I):
        # "called on Russia and Iran to use their influence": one demand of each, the object after "to"
        named = [m for m in mentions if obj[0] <= m.start < obj[1] and _is_party(m)]
        m_to = re.match(r"\s*((?:[^,;]*?\b(?:and|,)\s+)*[^,;]*?)\s+to\s+", text[obj[0]:obj[1]])
        if m_to and named and re.match(r"^\s*(?:the\s+)?[A-Z]", text[obj[0]:obj[1]]):
            names_end = obj[0] + m_to.end(1)
            addressees = list(dict.fromkeys(m.code for m in named if m.end <= names_end))
            if addressees:
                obj = (obj[0] + m_to.end(), obj[1])
    otext = text[obj[0]:obj[1]]
    if not otext.strip() or rules.courtesy.match(otext) or _NO_OBJECT.match(otext):
        return []  # "that is what China wants", "I want to thank …", "agreed to during talks": no object
    if re.match(r"warn", cue_text, re.I) and re.search(r"\b(?:will|would|['’]ll)\s+(?:see|happen)\b", otext):
        return []  # "warned that we'll see more hostages": a prediction, not a threat
    if stance == "rejects" and re.match(r"(?:(?:a|an|the|any|those|these)\s+)?(?:reports?|allegations?|accusations?|claims?|"
                                        r"suggestions?|speculation|rumou?rs?|charges?)\b", otext, re.I):
        return []  # "dismissed a report that …": a denial, not a position on the table
    if re.match(r"requir", cue_text, re.I) and re.match(r"\s+to\b", text[c1:c1 + 4]):
        return []  # "the moment required to convert", "is required to": no one's demand here
    if re.match(r"warn", cue_text, re.I) and not re.search(r"\b(?:will|would|won['’]t|wouldn['’]t)\b|['’]ll\b|^against\b",
                                                          otext[:50]):
        return []  # a warning of what might happen, not a threat of what the party will do
    if stance in ("accepts", "offers") and re.search(r"\bcan\s+$", text[max(lo, c0 - 6):c0]):
        return []  # "it can reach a deal": a possibility, not a stance
    if re.match(r"insist", cue_text, re.I) and cue_text.lower().endswith("that") and not re.search(
            r"\b(?:must|should|would have to|has to|have to|needs? to|be)\b", otext):
        return []  # "insisted that Tehran was complying": a claim, not a demand
    out = []
    codes = list(dict.fromkeys(p[0] for p in parties))

    def joint_other(code):  # "Trump and Xi agreed": each side's agreement is with the other
        others = [c for c in codes if c != code]
        return others[0] if stance == "accepts" and len(codes) == 2 and others else None

    seen_codes = set()
    for p in parties:
        if p[0] in seen_codes:
            continue
        seen_codes.add(p[0])
        others = [a for a in addressees if a != p[0]] or \
            [joint_other(p[0]) or _counterparty(p[0], ev, mentions, c0, (c0, obj[1]), text)]
        for other in others:
            made = _make(p, stance, text, s0, s1, obj, status, published, article_id,
                         "cue", other, (ev or {}).get("id"), (q or {}).get("id"), rules)
            for st in made:
                st.extra["cue"] = cue_text.lower()
            out.extend(made)
    terms = _DEAL_TERMS.match(text, c1, s1) if stance == "accepts" and obj[1] == c1 else None
    if terms and parties:
        # "signed an agreement … that calls for early elections and a new constitution": each term accepted
        span = _object(text, terms.end(), s1, rules)
        for p in parties[:1]:
            made = _make(p, stance, text, s0, s1, span, status, published, article_id, "cue", out[0].counterparty if out else None,
                         (ev or {}).get("id"), (q or {}).get("id"), rules)
            for st in made:
                st.extra["cue"] = cue_text.lower()
            out.extend(made)
    if stance == "accepts" and obj[1] == c1 and parties:
        # "protest leaders signed a deal with the president": the other side signed it too
        w = re.match(r"\s+with\s+", text[c1:s1])
        partner = [m for m in mentions if w and m.start == c1 + w.end() and _is_party(m)]
        if partner and partner[0].text not in [p[2] for p in parties]:
            p = partner[0]
            made = _make((p.code, p.name, p.text), stance, text, s0, s1, obj, status, published, article_id,
                         "cue", parties[0][0] if parties[0][0] != p.code else None, (ev or {}).get("id"),
                         (q or {}).get("id"), rules)
            for st in made:
                st.extra["cue"] = cue_text.lower()
            out.extend(made)
    return out


def mentions_all_of(mentions):
    return getattr(mentions, "all", mentions)


def _main_parties(mentions: list[_Mention], near: tuple[int, int] = (0, 0)) -> list[str]:
    """Who "both sides" are: the parties named in the sentence (``near``) that the article names
    most, then the article's most named parties."""
    from collections import Counter

    counts = Counter(m.code for m in mentions if _is_party(m))
    here = [c for c in dict.fromkeys(m.code for m in mentions if near[0] <= m.start < near[1] and _is_party(m))]
    here.sort(key=lambda c: -counts[c])
    rest = [c for c, _ in counts.most_common() if c not in here]
    return (here + rest)[:2]


def _from_event(text, s0, s1, e, stance, mentions, quote_at, speaker_party, rules, published,
                article_id) -> list[Statement]:
    t0, t1 = e["trigger"]["start"], e["trigger"]["end"]
    q = quote_at(t0)
    lo = _clause_start(text, s0, t0, q)
    clause_lo = lo
    for m in _CLAUSE_MARK.finditer(text[lo:t0]):
        clause_lo = lo + m.end()
    if stance != "threatens" and rules.condition.search(text[clause_lo:t0]):
        return []
    status = e.get("status") or "asserted"
    if status in ("demanded", "threatened", "planned"):
        return []  # the content of someone else's demand or threat, not a stance of its own
    if status == "negated":
        stance = rules.negated_becomes.get(stance, stance)
    parties = []
    sides = ("source", "target") if e.get("undirected") else ("source",)
    for side in sides:
        r = e.get(side) or {}
        if r.get("country") and r.get("sector") != "MED":
            parties.append((r["country"], r.get("name") or "", (r.get("mention") or {}).get("text") or ""))
    if not parties and not e.get("source") and q is not None:
        sp = speaker_party(q)
        if sp:
            parties.append(sp)
    out = []
    obj = _object(text, t1, s1, rules)
    for p in parties:
        out.extend(_make(p, stance, text, s0, s1, obj, "negated" if status == "negated" and stance == "demands"
                         else ("reported" if status == "reported" else "asserted"),
                         published, article_id, "event", _counterparty(p[0], e, mentions, t0, (t1, obj[1]), text), e.get("id"),
                         (q or {}).get("id"), rules))
    return out
