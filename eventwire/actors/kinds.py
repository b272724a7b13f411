"""Can a noun phrase be an actor? What kind of actor is it?

An event's source or target is a participant — a person, an organisation, a state, an IGO or a
group of people acting together — never a count ("48 missiles"), a place where something happens
("withdrawal from Donetsk", "talks in Istanbul") or a common noun that refers to nobody in
particular ("point", "sides", "other people"). The event coder asks here before it uses a phrase
that the actor stage did not resolve:

    from eventwire.actors.kinds import is_actor_mention, actor_kind
    is_actor_mention(span)   # True / False; span: a spaCy Span (the phrase) or Token (its head)
    actor_kind(span)         # "person" | "organisation" | "state" | "igo" | "group" | "pronoun" | None

``actor_kind`` looks at the words only (the knowledge base, named-entity labels, agent words of
``data/actors/agents.csv``, the word lists of ``data/actors/mention_words.yaml``) and at the
phrase's place in the parse (a state after a locative preposition is a place). A pronoun is
"pronoun": it may stand for an actor, which coreference decides. ``strip_count`` gives the words
of a phrase without its leading count ("about 1,200 Ukrainian prisoners" → "Ukrainian prisoners").
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ..datafiles import load_yaml
from .kb import load_kb

KINDS = ("person", "organisation", "state", "igo", "group", "pronoun")
MOD_DEPS = {"compound", "amod", "poss", "nmod", "flat", "nummod", "det", "case", "quantmod", "npadvmod"}
NOT_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "PERCENT", "ORDINAL", "LOC", "FAC",
                  "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"}


@lru_cache(maxsize=1)
def words() -> dict:
    """The lists of mention_words.yaml as frozensets (multi-word entries kept as written)."""
    data = load_yaml("actors", "mention_words.yaml") or {}
    return {k: frozenset(str(w).lower() for w in v or ()) for k, v in data.items()}


@lru_cache(maxsize=1)
def _first_names() -> dict:
    data = load_yaml("actors", "first_names.yaml") or {}
    return {str(n).lower(): g[0] for g in ("male", "female") for n in data.get(g) or ()}


def person_gender(name: str, kb_gender: Optional[str] = None) -> Optional[str]:
    """"m", "f" or None: the knowledge base's gender, else the one its first name nearly always
    has (``data/actors/first_names.yaml``)."""
    if kb_gender:
        return kb_gender
    parts = name.split()
    return _first_names().get(parts[0].lower()) if len(parts) > 1 else None


def is_count_word(tok) -> bool:
    """A numeral or a word of a count ("about", "dozens", "at least")."""
    return tok.like_num or tok.pos_ == "NUM" or tok.lower_ in words()["quantity_words"]


def strip_count(tokens: list) -> list:
    """``tokens`` without a leading count: the run of determiners, numerals and counting words
    before the first other word, dropped when it holds a numeral or a number word."""
    k = 0
    has_number = False
    while k < len(tokens) - 1 and (is_count_word(tokens[k]) or tokens[k].text == ","):
        if tokens[k + 1].text == "-":
            return tokens  # "a 19-year-old student": the number belongs to a compound adjective
        has_number = has_number or tokens[k].like_num or tokens[k].pos_ == "NUM" or \
            tokens[k].lower_ in _NUMBER_WORDS
        k += 1
    return tokens[k:] if has_number else tokens


_NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve twenty
thirty forty fifty hundred hundreds thousand thousands million millions dozen dozens several
numerous some many few more additional extra further""".split())


def in_location_role(tok) -> bool:
    """Is ``tok`` (a place name) where something happens rather than who acts? "talks in
    Istanbul", "withdrawal from Donetsk", "troops moved to Kherson" — but not "a call from Moscow"
    or "unacceptable to Kyiv"."""
    w = words()
    t = tok
    for _ in range(4):  # "in Donetsk, Luhansk and Kherson": the first conjunct carries the role
        if t.dep_ == "conj" and t.head is not t:
            t = t.head
        else:
            break
    if t.dep_ != "pobj":
        return False
    prep = t.head.lower_
    if prep in w["locative_preps"]:
        return True
    if prep in ("from", "to", "out"):
        gov = t.head.head
        return (gov.lemma_ or gov.lower_).lower() in w["motion_words"] or gov.lower_ in w["motion_words"]
    return False


def _phrase_tokens(span) -> tuple[list, object]:
    """(the phrase's tokens, its head) for a Span, or for a Token its left modifiers and itself."""
    if hasattr(span, "root"):
        toks = [t for t in span if not t.is_space]
        return toks, span.root
    tok = span
    left = []
    for c in tok.lefts:
        if c.dep_ in MOD_DEPS or c.dep_ in ("conj", "cc"):
            left.extend(c.subtree)
    toks = sorted(set(left) | {tok}, key=lambda t: t.i)
    return toks, tok


def actor_kind(span) -> Optional[str]:
    """The kind of actor a phrase (spaCy Span, or Token for its head) names, or None when it
    cannot be an actor. See the module docstring."""
    toks, head = _phrase_tokens(span)
    if not toks:
        return None
    w, kb = words(), load_kb()
    low = head.lower_
    if head.pos_ == "PRON" or low in w["party_pronouns"]:
        return "pronoun" if low in w["party_pronouns"] else None
    toks = [t for t in strip_count(toks) if not t.is_punct or t.text in ("-", "'s", "’s")]
    if not toks or head.like_num or head.pos_ == "NUM":
        return None
    if head not in toks:
        head = toks[-1]
    content = [t for t in toks if t.lower_ not in ("the", "a", "an")]
    text = " ".join(t.text for t in content) if content else head.text
    # the knowledge base: the whole phrase, else its longest named part
    kinds, evidence = _kb_kinds(kb, content)
    whole = kb.lookup(text)
    if whole:
        e = kb.entries[whole[0][0]]
        if e.kind == "state" and e.sector is None:
            if whole[0][1] == "adjective":
                return "group"  # "Russians", "Israelis"
            return None if in_location_role(head) else "state"
        return "person" if e.kind == "person" else ("organisation" if e.kind == "state" else e.kind)
    is_place, _ = kb.place(text)
    if is_place:
        return None
    ent = head.ent_type_
    if ent == "PERSON" and head.pos_ == "PROPN":
        return "person"
    if ent == "ORG":
        return "igo" if "igo" in kinds else "organisation"
    if ent == "NORP":
        return "group"
    if ent == "GPE":
        return None if in_location_role(head) else "state"
    if ent in NOT_ACTOR_ENTS:
        return None
    if not evidence and head.dep_:
        # "nations including Chile", "the leaders of Kenya and Uganda": the parties hang below
        evidence = _kb_kinds(kb, [t for t in head.subtree if t.i != head.i])[1]
    lemma = (head.lemma_ or head.lower_).lower()
    last_two = " ".join(t.lower_ for t in content[-2:])
    plural = head.tag_ in ("NNS", "NNPS") or (not head.tag_ and low.endswith("s"))
    if lemma in w["equipment"] or low in w["equipment"] or last_two in w["equipment"]:
        return "group" if evidence else None
    if low in w["party_plurals"] or last_two in w["party_plurals"]:
        return "group" if evidence else None
    if lemma in w["vague_nouns"] or low in w["vague_nouns"]:
        return "group" if evidence else None
    agent = kb.agents.get(last_two) or kb.agents.get(low) or kb.agents.get(lemma)
    if agent is not None:
        if plural:
            return "group"
        return "person" if (lemma in kb.titles or low in kb.titles) else "organisation"
    if kinds:
        # a head noun the lists do not know, inside a named body ("the Hamas leadership")
        return next(iter(kinds)) if head.pos_ == "PROPN" else None
    return None


def _kb_kinds(kb, toks) -> tuple[set, bool]:
    """The kinds of knowledge-base entries named inside ``toks`` (longest first), and whether
    any of them is country evidence (a state, its adjective, an organisation with a country)."""
    kinds, evidence = set(), False
    texts = [t.text for t in toks]
    i = 0
    while i < len(texts):
        for L in range(min(6, len(texts) - i), 0, -1):
            found = kb.lookup(" ".join(texts[i:i + L]))
            if not found and L == 1 and texts[i].endswith("s"):
                found = [c for c in kb.lookup(texts[i][:-1]) if c[1] == "adjective"]
            if found:
                e = kb.entries[found[0][0]]
                kinds.add("state" if e.kind == "state" else e.kind)
                evidence = evidence or bool(e.country)
                i += L
                break
        else:
            if kb.place(texts[i])[0] or toks[i].ent_type_ in ("NORP", "GPE", "ORG"):
                evidence = True
            i += 1
    return kinds, evidence


def is_actor_mention(span) -> bool:
    """True when the phrase can be an event's source or target (a pronoun counts: it may stand
    for one). False for counts, places in a location role, things and generic nouns."""
    return actor_kind(span) is not None
