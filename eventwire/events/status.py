"""An event's status from the words around its trigger: tense, modals, conditions, negation, hedges.

The trigger's predicate (the trigger itself, or the verb a nominal trigger hangs from) and the
chain of clauses above it are read bottom-up; the first rule that fires decides:

    negated       "did not agree", "failed to lay", "has yet to comment", "without confirming"
    demanded      the event is what a demand asks for: "demanded that Ukrainian forces withdraw"
    threatened    the event is what a threat promises: "threatened to shell Haifa"
    hypothetical  "would", "could", "if …", "willing to", "open to a potential meeting"
    planned       "will speak on Monday", "plans to visit", "the upcoming talks"
    reported      "reportedly", "reports have claimed that …"
    asserted      otherwise

The cue words live in data/events/status_cues.yaml.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from .ontology import Ontology

# Clause links along which the status of the lower clause depends on the upper one.
CHAIN_DEPS = frozenset(("xcomp", "ccomp", "advcl", "conj", "acomp", "pcomp", "pobj", "prep",
                        "dobj", "relcl", "acl", "attr", "oprd", "nsubj", "nsubjpass", "amod"))


# A noun inside "of/following/on …" phrases does not share the clause's tense or modality
# ("will speak … following the talks in Istanbul"); these prepositions pass it on.
PASSING_PREPS = frozenset(("to", "for", "about"))


def _chain(pred: Token, limit: int = 8) -> list[Token]:
    out = [pred]
    tok = pred
    while tok.head.i != tok.i and tok.dep_ in CHAIN_DEPS and len(out) < limit:
        if tok.dep_ == "prep" and tok.lower_ not in PASSING_PREPS:
            break
        tok = tok.head
        out.append(tok)
    return out


def _aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _has_neg(tok: Token, cues) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in ("no", "never"))
               for c in tok.children)


def _conditional(tok: Token, cues) -> bool:
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            return True
    return False


def conditional_clause(tok: Token) -> Optional[Token]:
    """The "if/unless" clause attached to ``tok`` or above it, if any."""
    for t in _chain(tok):
        for c in t.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children):
                return c
    return None


def status_of(trigger: Token, governor: Optional[Token], plover: str, ont: Ontology) -> str:
    cues = ont.cues
    pred = governor if governor is not None else trigger
    chain = _chain(pred)
    own = {trigger.i, pred.i}
    # 0. the event is itself the condition: "if Moscow doesn't agree"
    for tok in chain:
        if any(m.dep_ == "mark" and m.lower_ in ("if", "unless", "whether") for m in tok.children):
            return "hypothetical"
        if tok.dep_ in ("ccomp", "advcl", "relcl") or tok.lemma_.lower() in cues["reporting_verbs"]:
            break
    # "will not accept these terms" is a rejection made now, not a negated event
    if plover == "REJECT" and _has_neg(trigger, cues) and trigger.lemma_.lower() not in (
            "reject", "refuse", "deny", "decline", "oppose", "veto"):
        return "asserted"
    # 1. negation on the predicate itself, or a negating verb above it ("failed to", "has yet to")
    for tok in chain:
        if _has_neg(tok, cues) and (tok.i in own or tok.pos_ in ("VERB", "AUX", "ADJ")):
            if tok.i in own or tok.lemma_ not in cues["reporting_verbs"]:
                return "negated"
        below = chain[chain.index(tok) - 1] if chain.index(tok) > 0 else None
        if tok.i not in own and tok.lemma_.lower() in cues["negating_heads"] \
                and below is not None and below.dep_ in ("xcomp", "pcomp", "prep") and plover not in ("REJECT",):
            return "negated"
        if tok.dep_ in ("advcl", "conj", "relcl"):
            break   # a separate clause: "While the two sides agreed …, the meeting failed to …"
        if any(c.lower_ == "yet" for c in tok.children if c.dep_ == "advmod") and tok.lemma_ == "have":
            return "negated"
        if any(c.dep_ == "prep" and c.lower_ == "without" for c in tok.children if tok.i not in own):
            pass
        if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
            return "negated"
        if tok.i not in own and tok.lemma_ in cues["reporting_verbs"]:
            break
    # 2./3. the content of a demand or a threat
    for tok in chain[1:]:
        lem = tok.lemma_.lower()
        if tok.i in own:
            continue
        if lem in cues["demand_heads"] and plover not in ("REQUEST",):
            return "demanded"
        if (lem == "have" and any(c.dep_ == "xcomp" for c in tok.children)
                or any(c.dep_ == "aux" and c.lower_ in ("must",) for c in tok.children)) \
                and plover != "REQUEST" and any(t.lemma_.lower() in cues["reporting_verbs"] for t in chain):
            return "demanded"   # "the Kremlin said Ukraine would have to adopt …"
        if lem in cues["threat_heads"] and plover not in ("THREATEN",):
            return "threatened"
        if lem in cues["reporting_verbs"]:
            break
    # 4. possibility and conditions, 5. the future — up to the nearest reporting verb
    planned = False
    for tok in chain:
        lem = tok.lemma_.lower()
        if tok.i not in own and lem in cues["reporting_verbs"]:
            break
        aux = _aux(tok)
        if aux & cues["hypothetical_modals"] or _conditional(tok, cues):
            return "hypothetical"
        if tok.i not in own and lem in cues["hypothetical_heads"]:
            return "hypothetical"
        if any(c.dep_ in ("amod", "advmod") and c.lower_ in cues["hypothetical_markers"]
               for c in tok.children):
            return "hypothetical"
        if aux & cues["future_aux"] or (tok.i not in own and lem in cues["planning_heads"]):
            planned = True
        if any(c.dep_ in ("amod", "compound") and c.lower_ in cues["planning_adjectives"]
               for c in tok.children):
            planned = True
        if tok.tag_ == "VBG" and any(c.lemma_ == "be" and c.dep_ == "aux" for c in tok.children) \
                and any(c.dep_ == "npadvmod" or c.ent_type_ == "DATE" for c in tok.subtree):
            planned = True   # "will then be speaking", "is meeting on Monday"
    if planned:
        return "planned"
    # 6. hedges: "reportedly", "reports have claimed that"
    for tok in _chain(pred, limit=12):
        if any(c.dep_ == "advmod" and c.lower_ in cues["reported_adverbs"] for c in tok.children):
            return "reported"
        if tok.lemma_.lower() in cues["reported_verbs"] and tok.i not in own:
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lemma_.lower() in cues["reported_sources"]:
                return "reported"
    return "asserted"


def status_features(trigger: Token, governor: Optional[Token], plover: str, ont: Ontology,
                    in_quote: bool = False) -> list[str]:
    """Features of the learned status decision (train.py): what the rules above say, the type,
    and the words along the clause chain that carry tense, modality, negation and hedges."""
    rule = status_of(trigger, governor, plover, ont)
    f = [f"rule={rule}", f"type={plover}", f"rt={rule}|{plover}", f"ttag={trigger.tag_}"]
    if in_quote:
        f.append("inq")
    pred = governor if governor is not None else trigger
    for k, tok in enumerate(_chain(pred, limit=6)):
        lem = tok.lemma_.lower()
        f.append(f"ch={lem}")
        if k < 3:
            f.append(f"ch{k}={lem}")
            f.append(f"tag{k}={tok.tag_}")
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass", "neg", "mark", "advmod"):
                f.append(f"{c.dep_}={c.lower_}")
                if k == 0:
                    f.append(f"own_{c.dep_}={c.lower_}")
            if c.dep_ in ("amod", "compound") and tok.i == trigger.i:
                f.append(f"mod={c.lower_}")
    return f
