"""Event frames from the dependency parse: a trigger word, who did it (source) and to whom (target).

A frame is read off one spaCy sentence, without looking at actors yet: the coder later matches
the source and target tokens to actor mentions. The same code builds the classifier's features
(``features``), so that training (train.py) and coding (coder.py) see frames the same way.

How direction is found, in order:
  verb        nsubj → source; dobj / "with|to|on|against…" object / that-clause subject → target;
              passive: "by" agent → source, nsubjpass → target;
              "agreed to exchange" / "threatened to shell Haifa": the xcomp's objects count;
              "urged Russia to withdraw": the head's subject and object;
  noun        "Russia's demands", "Russian demands", "sanctions on Moscow", "talks between X and Y",
              and light-verb objects ("imposed sanctions on X": the verb's subject is the source);
  adjective   "Russia is open to a meeting", "demands were unacceptable to Kyiv";
  coordination "Russia and Ukraine agreed" → undirected pair.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .ontology import Ontology, Trigger

SUBJ = ("nsubj", "csubj", "expl")
PASS_SUBJ = ("nsubjpass", "csubjpass")
OBJ = ("dobj", "obj", "dative", "attr", "oprd")
# Prepositions that introduce the other party of an interaction, best first.
TARGET_PREPS = ("with", "against", "on", "to", "at", "into", "toward", "towards", "upon",
                "from", "over", "for", "in", "of")
# Light verbs whose object noun is the event ("imposed sanctions", "held talks").
LIGHT_VERBS = frozenset("impose levy announce hold launch conduct carry stage sign reach make give "
                        "provide issue file express voice begin start open resume order "
                        "approve adopt extend slap introduce announce".split())
PRONOUNS = frozenset("i we he she they it you me us him her them".split())
# Joint acts: coordinated subjects of these ("Mexico and the UK signed …") are the two parties.
MUTUAL = frozenset(("AGREE", "CONSULT", "COOPERATE"))
MUTUAL_VERBS = frozenset(("sign", "ratify", "conclude", "reach", "hold"))
MUTUAL_NOUNS = frozenset(("agreement", "deal", "accord", "treaty", "talk", "talks", "meeting", "pact",
                          "memorandum", "exercise", "drill", "negotiation", "summit"))
PARTY_ENTS = frozenset(("PERSON", "ORG", "GPE", "NORP", "FAC"))
NOT_PARTY = frozenset(("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"))


def _party_nouns() -> frozenset:
    path = Path(__file__).resolve().parent.parent / "data" / "events" / "party_nouns.txt"
    return frozenset(w.strip() for w in path.read_text("utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


PARTY_NOUNS = _party_nouns()


def is_named(tok: Optional[Token]) -> bool:
    """A party named as such: a person, organisation, place or nationality entity."""
    return tok is not None and tok.ent_type_ in PARTY_ENTS


def is_party(tok: Optional[Token]) -> bool:
    """Does ``tok`` name a participant (a person, group, state …) rather than a thing?"""
    if tok is None:
        return False
    if tok.ent_type_ in NOT_PARTY:
        return False
    if tok.ent_type_ in PARTY_ENTS or tok.lemma_.lower() in PARTY_NOUNS:
        return True
    return any(c.ent_type_ in PARTY_ENTS and c.dep_ in ("compound", "amod", "poss", "nmod")
               for c in tok.children)
GROUP_WORDS = frozenset("side party country nation government leader".split())


@dataclass
class Frame:
    trigger: Token
    entry: Optional[Trigger]
    source: Optional[Token] = None
    target: Optional[Token] = None
    undirected: bool = False
    alt_target: Optional[Token] = None  # the other party of "a meeting between X and Y"
    governor: Optional[Token] = None   # the verb a noun/adjective trigger hangs from, if any
    notes: list[str] = field(default_factory=list)


def child_words(tok: Token) -> frozenset:
    return frozenset(c.lower_ for c in tok.children if c.dep_ in ("prep", "prt", "advmod", "acomp"))


def _first(tok: Token, deps) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _nominal(tok: Optional[Token]) -> Optional[Token]:
    """A noun-like token for an argument; for a clause, its subject."""
    if tok is None:
        return None
    if tok.pos_ in ("VERB", "AUX"):
        return _first(tok, SUBJ + PASS_SUBJ)
    return tok


def subject_of(verb: Token, depth: int = 0) -> Optional[Token]:
    """The subject of ``verb``, inherited through xcomp, conj, relcl and acl when not its own."""
    s = _first(verb, SUBJ)
    if s is not None:
        return s
    agent = _first(verb, ("agent",))
    if agent is not None:
        pobj = _first(agent, ("pobj",))
        if pobj is not None:
            return pobj
    if depth > 4 or verb.head.i == verb.i:
        return None
    head = verb.head
    if verb.dep_ in ("xcomp",):
        # object control: "urged Russia to withdraw" → Russia withdraws
        obj = _first(head, ("dobj",))
        if obj is not None and head.lemma_ in ("urge", "ask", "order", "force", "press", "call",
                                               "tell", "persuade", "invite", "allow", "require"):
            return obj
        return subject_of(head, depth + 1)
    if verb.dep_ in ("conj", "advcl", "acomp"):
        return subject_of(head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        return subject_of(head.head, depth + 1) if head.head.pos_ in ("VERB", "AUX") else None
    return None


def _prep_object(tok: Token, preps=TARGET_PREPS) -> Optional[Token]:
    found = {}
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            pobj = _first(c, ("pobj", "pcomp"))
            if pobj is not None and c.lower_ not in found:
                found[c.lower_] = pobj
    for p in preps:
        if p in found:
            return found[p]
    return None


def _between(tok: Token) -> Optional[tuple[Token, Token]]:
    """"talks between Russia and Ukraine" → (Russia, Ukraine)."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("between", "among"):
            pobj = _first(c, ("pobj",))
            if pobj is not None:
                conj = _first(pobj, ("conj",))
                if conj is not None:
                    return pobj, conj
    return None


def _owner(noun: Token) -> Optional[Token]:
    """Who a nominal event belongs to: "Russia's demands", "Russian demands", "the Istanbul meeting"."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "nmod") and (c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")):
            return c
    agent = _prep_object(noun, ("by", "from"))
    return agent


def _party_in(tok: Token, exclude: Optional[Token], depth: int = 0, test=None) -> Optional[Token]:
    """The nearest party below ``tok`` (breadth-first), outside the subtree of ``exclude``."""
    skip = {t.i for t in exclude.subtree} if exclude is not None else set()
    frontier = [c for c in tok.children]
    seen = 0
    while frontier and seen < 60:
        nxt = []
        for c in frontier:
            seen += 1
            if c.i in skip or c.dep_ in ("nsubj", "nsubjpass", "punct", "cc", "mark", "advmod", "npadvmod"):
                continue
            if c.dep_ in ("ccomp", "advcl") and depth == 0:
                continue
            if c.pos_ in ("NOUN", "PROPN") and (test or is_party)(c) and c.ent_type_ not in NOT_PARTY:
                return c
            nxt.extend(c.children)
        frontier = nxt
    return None


def _verb_target(verb: Token, source: Optional[Token] = None) -> Optional[Token]:
    """The other party of a verb: a party as object, then a party in a "with/against/to …"
    phrase, then one in a that-clause or xcomp, then any object."""
    obj = _first(verb, OBJ)
    comp = _first(verb, ("ccomp",))
    csubj = _first(comp, SUBJ + PASS_SUBJ) if comp is not None else None
    # named parties first ("provided shelter to … people in Haiti" → Haiti), then any party
    for test in (is_party,):
        if obj is not None and test(obj):
            return obj
        for preps in (TARGET_PREPS[:10], ("in", "at")):
            p = _nominal(_prep_object(verb, preps))
            if p is not None and test(p):
                return p
        if csubj is not None and csubj.lower_ not in PRONOUNS and test(csubj):
            return csubj
        party = _party_in(verb, source, test=test)
        if party is not None:
            return party
    if csubj is not None and csubj.lower_ not in PRONOUNS:
        return csubj
    return _verb_target_plain(verb)


def _verb_target_plain(verb: Token) -> Optional[Token]:
    t = _verb_target_plain_any(verb)
    return None if t is None or t.ent_type_ in NOT_PARTY else t


def _verb_target_plain_any(verb: Token) -> Optional[Token]:
    obj = _first(verb, OBJ)
    if obj is not None and obj.pos_ != "PRON" or obj is not None and obj.lower_ in PRONOUNS - {"it"}:
        return obj
    pobj = _prep_object(verb)
    if pobj is not None:
        return _nominal(pobj)
    comp = _first(verb, ("ccomp",))
    if comp is not None:
        s = _first(comp, SUBJ + PASS_SUBJ)
        if s is not None:
            return s
    xc = _first(verb, ("xcomp",))
    if xc is not None:
        obj = _first(xc, OBJ)
        if obj is not None:
            return obj
        pobj = _prep_object(xc)
        if pobj is not None:
            return pobj
    return obj


def frame_for(trigger: Token, entry: Optional[Trigger]) -> Frame:
    f = Frame(trigger, entry)
    pos = trigger.pos_
    if pos in ("VERB", "AUX"):
        psubj = _first(trigger, PASS_SUBJ)
        if psubj is not None:
            f.target = psubj
            agent = _first(trigger, ("agent",))
            f.source = _first(agent, ("pobj",)) if agent is not None else None
            if f.source is None:   # "was arrested in Rwanda": the state where it happened
                place = _prep_object(trigger, ("in",))
                f.source = place if place is not None and place.ent_type_ == "GPE" else None
            f.notes.append("passive")
        else:
            f.source = subject_of(trigger)
            f.target = _verb_target(trigger, f.source)
    elif pos in ("NOUN", "PROPN"):
        pair = _between(trigger)
        if pair:
            f.source, f.target = pair
            f.undirected = True
        else:
            f.source = _owner(trigger)
            f.target = _prep_object(trigger, ("on", "against", "with", "to", "for", "of", "into"))
            if f.target is not None and not is_party(f.target):
                f.target = _party_in(trigger, f.source) or f.target
        gov = trigger.head
        if trigger.dep_ in ("dobj", "nsubjpass", "attr") and gov.pos_ in ("VERB", "AUX"):
            f.governor = gov
            if f.source is None or f.source.i == trigger.i:
                f.source = subject_of(gov) if trigger.dep_ == "dobj" else None
            if f.target is None or not is_party(f.target):
                f.target = _verb_target(gov, f.source) if trigger.dep_ == "dobj" else f.target
        elif trigger.dep_ == "pobj" and gov.dep_ == "prep" and gov.lower_ in ("in", "into", "to", "for") \
                and gov.head.pos_ in ("VERB", "AUX"):
            f.governor = gov.head
            if f.source is None:
                f.source = subject_of(gov.head)
        elif trigger.dep_ in SUBJ and gov.pos_ in ("VERB", "AUX"):
            f.governor = gov
    elif pos == "ADJ":
        # "Russia is open to a meeting", "the demands were unacceptable to Kyiv"
        head = trigger.head if trigger.dep_ in ("acomp", "amod", "oprd") else trigger
        subj = _first(head, SUBJ) if head.pos_ in ("VERB", "AUX") else None
        to_obj = _prep_object(trigger, ("to", "for"))
        f.governor = head if head.i != trigger.i else None
        if entry is not None and entry.plover == "REJECT":
            f.source = to_obj
            f.target = _owner(subj) if subj is not None else None
            f.target = f.target or subj
        else:
            f.source = subj
            f.target = _between(to_obj)[0] if to_obj is not None and _between(to_obj) else to_obj
            if f.target is None or not is_party(f.target):
                f.target = _party_in(trigger, subj) or f.target
            if to_obj is not None and _between(to_obj):
                a, b = _between(to_obj)
                f.notes.append("meeting-between")
                f.target, f.alt_target = a, b
    # "Ministers from Norway and Sweden met": the two states behind a plural subject
    if f.source is not None and not f.undirected:
        for c in f.source.children:
            pobj = _first(c, ("pobj",)) if c.dep_ == "prep" and c.lower_ in ("from", "of") else None
            conj = _first(pobj, ("conj",)) if pobj is not None else None
            if conj is not None and (f.target is None or not is_named(f.target)
                                     or f.target.ent_type_ in ("GPE", "LOC") and entry is not None
                                     and entry.plover in MUTUAL):
                f.source, f.target, f.undirected = pobj, conj, True
                break
    # "Russia and Ukraine agreed": coordinated subjects make an undirected pair
    if f.source is not None and not f.undirected:
        conj = _first(f.source, ("conj",))
        obj = _first(trigger, ("dobj",))
        mutual = entry is not None and entry.plover in MUTUAL or trigger.lemma_ in MUTUAL_VERBS or (
            obj is not None and obj.lemma_.lower() in MUTUAL_NOUNS)
        with_obj = _prep_object(trigger, ("with",)) if pos in ("VERB", "AUX") else None
        if conj is not None and (f.target is None or mutual and with_obj is None):
            if True:
                f.target = conj
                f.undirected = True
    if f.source is not None and f.source.lemma_ in ("side", "party") and f.target is None:
        f.undirected = True
    if f.source is not None and f.source.i == f.trigger.i:
        f.source = None
    if f.target is not None and (f.target.i == f.trigger.i or f.source is not None and f.target.i == f.source.i):
        f.target = None
    return f


def np_span(tok: Token) -> tuple[int, int]:
    """Character range of the compact noun phrase headed by ``tok`` (no clauses, no conjuncts)."""
    left = tok
    for c in tok.lefts:
        if c.dep_ not in ("punct", "cc", "preconj", "det", "predet"):
            left = min(left, c.left_edge, key=lambda t: t.i)
            break
    right = tok
    for c in tok.rights:
        if c.dep_ in ("compound", "flat", "nummod", "case") or (c.dep_ == "prep" and c.lower_ == "of"
                                                              and tok.lemma_ in GROUP_WORDS | {"ministry", "member", "leader", "president", "minister", "spokesman", "head"}):
            right = max(right, c.right_edge, key=lambda t: t.i)
    return left.idx, right.idx + len(right.text)


# -- classifier features -----------------------------------------------------------------

def features(frame: Frame, sent: SpacySpan, ont: Ontology) -> list[str]:
    """Sparse features of a frame for the type classifier: the trigger, its syntactic
    neighbourhood and the words of the sentence."""
    t = frame.trigger
    lem = t.lemma_.lower()
    feats = [f"lem={lem}", f"lp={lem}/{t.pos_}", f"pos={t.pos_}"]
    if frame.entry is not None:
        feats.append(f"lex={frame.entry.plover}")
        feats.append(f"cameo={frame.entry.cameo[:2]}")
    for c in t.children:
        if c.dep_ in ("prep", "prt", "dative"):
            feats.append(f"prep={lem}+{c.lower_}")
        if c.dep_ in ("dobj", "attr", "oprd"):
            feats.append(f"obj={c.lemma_.lower()}")
            e = ont.trigger(c.lemma_.lower(), c.pos_)
            if e is not None:
                feats.append(f"objlex={e.plover}")
        if c.dep_ in ("xcomp", "ccomp"):
            feats.append(f"comp={lem}>{c.lemma_.lower()}")
            feats.append(f"complem={c.lemma_.lower()}")
            e = ont.trigger(c.lemma_.lower(), c.pos_)
            if e is not None:
                feats.append(f"complex={e.plover}")
        if c.dep_ == "neg":
            feats.append("neg")
        if c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "may", "might"):
            feats.append("modal")
    if t.dep_ in ("xcomp", "ccomp", "pcomp", "dobj", "pobj", "acomp"):
        h = t.head if t.dep_ != "pobj" else t.head.head
        feats.append(f"head={h.lemma_.lower()}")
        feats.append(f"headpair={h.lemma_.lower()}>{lem}")
        e = ont.trigger(h.lemma_.lower(), h.pos_)
        if e is not None:
            feats.append(f"headlex={e.plover}")
    if frame.governor is not None:
        feats.append(f"gov={frame.governor.lemma_.lower()}")
    if "passive" in frame.notes:
        feats.append("passive")
    if frame.undirected:
        feats.append("undirected")
    if frame.target is not None:
        feats.append(f"tgt_ent={frame.target.ent_type_ or frame.target.pos_}")
    # the sentence's content words, weaker evidence than the trigger's neighbourhood
    for w in sent:
        if w.pos_ in ("VERB", "NOUN", "ADJ") and not w.is_stop:
            feats.append(f"bow={w.lemma_.lower()}")
            e = ont.trigger(w.lemma_.lower(), w.pos_)
            if e is not None:
                feats.append(f"bowlex={e.plover}")
    return feats
