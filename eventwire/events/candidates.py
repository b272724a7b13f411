"""Candidate events: every (source mention, target mention or none) pair of actor mentions in a
sentence, with the dependency path that links them and the features the learned decision reads.

Candidates are not restricted to lexicon words: whatever predicate links two actors (a verb, a
nominal event, a reported-speech clause, a joint subject) lies on the path between them, and the
decision (decide.py) learns from whole articles which paths state an event and which do not.
Each ordered pair is one candidate, so direction is part of the decision; a mention alone (the
event has no other party) is a candidate too, read along the chain of heads above it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .ontology import Ontology

# Pairs further apart in the parse than this are no candidates: hardly any such pair states an
# event (on realnews_dev the cap loses none and saves a fifth of the time).
PATH_MAX = 8
# Modifier links inside one noun phrase: a path made only of these joins two words of one name.
NP_DEPS = frozenset(("compound", "amod", "poss", "nmod", "appos", "flat", "det", "case"))
MODALS = frozenset("will would could may might must should can shall".split())
SOLO_UP = 4


@dataclass
class Side:
    actor: object            # model.Actor
    mention: object          # model.Mention
    anchor: Token            # the syntactic head of the mention


@dataclass
class Candidate:
    sent: SpacySpan
    source: Side
    target: Optional[Side]
    path: list[Token]                  # tokens strictly between the two anchors, along the tree
    lca: Optional[Token]
    up: list[str] = field(default_factory=list)    # dependency labels from the source up to the lca
    down: list[str] = field(default_factory=list)  # labels from the lca down to the target

    def tokens(self) -> list[Token]:
        return ([self.lca] if self.lca is not None and self.lca not in self.path else []) + self.path

    def above(self) -> list[Token]:
        """When the lowest common head is one of the two mentions ("Russia and Ukraine agreed",
        "talks between X and Y"), the words above it state what they do together."""
        if self.lca is None or self.target is None or self.lca.i not in (self.source.anchor.i, self.target.anchor.i):
            return []
        out, tok = [], self.lca
        while tok.head.i != tok.i and len(out) < 3:
            tok = tok.head
            out.append(tok)
            if tok.pos_ in ("VERB", "AUX"):
                break
        return out


def _anchor(doc, mention, sent: SpacySpan) -> Optional[Token]:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    return root if sent.start <= root.i < sent.end else None


# A mention that is a count of people or things ("about 40,000 troops", "48 missiles") or a web
# address is no party to an event, whatever the actor stage made of it.
NOT_A_PARTY = re.compile(r"^(?:(?:about|around|nearly|almost|some|more than|less than|fewer than|over|"
                         r"at least|up to|roughly|an estimated)\s+)?[\d,.]+\b|https?://|www\.", re.I)


def can_be_party(mention) -> bool:
    return not NOT_A_PARTY.search(mention.text.strip())


# Quantifiers that deny the group exists ("no foreign troops"): nobody acts.
NEGATED_GROUP = re.compile(r"^(?:no|none of|neither|not a single)\s", re.I)
# Whether two mentions of one state's government are kept apart (a knob for measuring on dev).
DROP_SAME_STATE = True


def is_party(mention) -> bool:
    """Whether an actor mention can be the source or target of an event: not a count, and not a
    group whose quantifier denies it exists. (Dropping uncoded groups and bare nationality
    adjectives as parties was tried: realnews_dev type F1 fell from .559 to .526 and .552.)"""
    return can_be_party(mention) and not NEGATED_GROUP.search(mention.text.strip())


def same_state(a, b, titled: bool = False) -> bool:
    """Two mentions of one state's government ("the Kremlin" and "Russia", "Moscow" and "Russia"),
    or one of its officials and the state: a state does not act on itself. Two people, a party
    and a government, or a court and a president of one country are other actors and stay
    (domestic events are events)."""
    if not DROP_SAME_STATE or a is None or b is None or not a.country or a.country != b.country:
        return False
    if _state_level(a) and _state_level(b):
        return True
    # a government official and the state or government they serve ("Kremlin spokesman Peskov"
    # and "Russia" or "Moscow"):
    # the official speaks for the state, not to or about it as another party
    # — unless the official is a bare title ("the president"), whose country the actor stage
    # may have guessed from the very state the sentence is about
    return not titled and any(x.kind == "person" and x.sector == "GOV" and _state_level(y)
                              for x, y in ((a, b), (b, a)))


def same_entity(a, b) -> bool:
    """Two actors of one document that are one entity ("President Trump" and "Donald J. Trump"
    found apart): nobody acts on themself."""
    return a.kb_id is not None and a.kb_id == b.kb_id and a.kind == b.kind or a.name == b.name


def _state_level(actor) -> bool:
    return actor.kind == "state" or actor.kind == "organisation" and actor.sector == "GOV" and not actor.role


def sides_in(doc, document, sent: SpacySpan) -> list[Side]:
    out, seen = [], set()
    for actor, m in document.mentions_in(sent.start_char, sent.end_char):
        if m.start < sent.start_char or m.end > sent.end_char:
            continue
        tok = _anchor(doc, m, sent)
        if tok is None or (actor.id, tok.i) in seen or not is_party(m):
            continue
        seen.add((actor.id, tok.i))
        out.append(Side(actor, m, tok))
    return out


def _ancestors(tok: Token, limit: int = 40) -> list[Token]:
    out = [tok]
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


def path_between(a: Token, b: Token):
    up_a, up_b = _ancestors(a), _ancestors(b)
    pos_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in pos_b:
            kb = pos_b[t.i]
            left, right = up_a[:k + 1], up_b[:kb]
            up = [x.dep_ for x in up_a[:k]]
            down = [x.dep_ for x in reversed(up_b[:kb])]
            toks = [x for x in left[1:]] + list(reversed(right[1:]))
            return t, toks, up, down
    return None, [], [], []


def candidates(doc, document, sent: SpacySpan) -> list[Candidate]:
    sides = sides_in(doc, document, sent)
    out = []
    for a in sides:
        for b in sides:
            if a is b or a.actor.id == b.actor.id or same_entity(a.actor, b.actor) or same_state(
                    a.actor, b.actor, "title" in (a.mention.how, b.mention.how)):
                continue
            if a.anchor.i == b.anchor.i:
                # "the two sides": both parties on one group mention act together
                if a.mention.how == "group" and b.mention.how == "group":
                    chain = _ancestors(a.anchor, SOLO_UP + 1)[1:]
                    out.append(Candidate(sent, a, b, chain, chain[-1] if chain else None,
                                         [t.dep_ for t in _ancestors(a.anchor, SOLO_UP + 1)[:-1]], ["group"]))
                continue
            lca, toks, up, down = path_between(a.anchor, b.anchor)
            if lca is None or len(toks) > PATH_MAX:
                continue
            out.append(Candidate(sent, a, b, toks, lca, up, down))
        chain = _ancestors(a.anchor, SOLO_UP + 1)[1:]
        out.append(Candidate(sent, a, None, chain, chain[-1] if chain else None,
                             [t.dep_ for t in _ancestors(a.anchor, SOLO_UP + 1)[:-1]], []))
    return out


_LEX_CACHE: dict = {}


def _lex(ont: Ontology, tok: Token):
    """The trigger-lexicon entry of a word (cached per document: a word is looked up once for
    every candidate path it lies on)."""
    key = (id(tok.doc), tok.i)
    if key in _LEX_CACHE:
        return _LEX_CACHE[key]
    if len(_LEX_CACHE) > 50_000:
        _LEX_CACHE.clear()
    entry = None
    if tok.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "ADJ"):
        entry = ont.trigger(tok.lemma_.lower(), tok.pos_,
                            frozenset(c.lower_ for c in tok.children if c.dep_ in ("prep", "prt", "advmod", "acomp")))
    _LEX_CACHE[key] = entry
    return entry


def forget_lexicon_cache() -> None:
    _LEX_CACHE.clear()


def features(c: Candidate, ont: Ontology, in_quote: bool = False) -> list[str]:
    a, b = c.source, c.target
    f = [f"ka={a.actor.kind}", f"ha={a.mention.how}", f"da={a.anchor.dep_}"]
    if in_quote:
        f.append("inq")
    toks = c.tokens()
    if b is None:
        f.append("solo")
        f.append(f"solo_up={'/'.join(c.up[:2])}")
        for k, t in enumerate(c.path[:3]):
            lem = t.lemma_.lower()
            f.append(f"s{k}={lem}")
            f.append(f"su={c.up[k] if k < len(c.up) else ''}>{lem}")
            e = _lex(ont, t)
            if e is not None:
                f.append(f"slex{k}={e.plover}")
                f.append(f"slex={e.plover}")
            for ch in t.children:
                if ch.dep_ in ("dobj", "xcomp", "prep"):
                    f.append(f"s{k}c={lem}>{ch.dep_}>{ch.lemma_.lower()}")
                    e = _lex(ont, ch)
                    if e is not None:
                        f.append(f"sclex={e.plover}")
                if ch.dep_ == "neg":
                    f.append("neg")
        return f
    if c.down == ["group"]:
        f.append("group_pair")
        for k, t in enumerate(c.path[:3]):
            f.append(f"g{k}={t.lemma_.lower()}")
            e = _lex(ont, t)
            if e is not None:
                f.append(f"glex={e.plover}")
        return f
    f += [f"kb={b.actor.kind}", f"hb={b.mention.how}", f"db={b.anchor.dep_}",
          f"kk={a.actor.kind}>{b.actor.kind}",
          "order=ab" if a.anchor.i < b.anchor.i else "order=ba"]
    if a.actor.country and a.actor.country == b.actor.country:
        f.append("samecountry")
    path = "^".join(c.up) + "|" + "v".join(c.down)
    f.append(f"path={path}" if len(c.up) + len(c.down) <= 6 else "path=long")
    f.append(f"plen={min(len(c.up) + len(c.down), 8)}")
    f.append(f"up={'^'.join(c.up[:3])}")
    f.append(f"down={'v'.join(c.down[-3:])}")
    if c.up:
        f.append(f"up1={c.up[0]}")
    if c.down:
        f.append(f"dn1={c.down[-1]}")
        prep = b.anchor.head
        if b.anchor.dep_ == "pobj":
            f.append(f"bprep={prep.lower_}")
            f.append(f"bprep2={prep.head.lemma_.lower()}+{prep.lower_}")
    if all(d in NP_DEPS for d in c.up + c.down):
        f.append("np_internal")
    lca = c.lca
    if lca is not None:
        ll = lca.lemma_.lower()
        f += [f"lca={ll}", f"lcap={lca.pos_}", f"lcapath={ll}|{path}" if len(c.up) + len(c.down) <= 5 else f"lcalong={ll}"]
        if lca.i in (a.anchor.i, b.anchor.i):
            f.append("lca_is_end")
        e = _lex(ont, lca)
        if e is not None:
            f.append(f"lcalex={e.plover}")
            f.append(f"lcalexpath={e.plover}|{'^'.join(c.up[:2])}|{'v'.join(c.down[-2:])}")
        for ch in lca.children:
            if ch.dep_ == "neg":
                f.append("lca_neg")
            elif ch.dep_ in ("aux", "auxpass") and ch.lower_ in MODALS:
                f.append(f"lca_modal={ch.lower_}")
            elif ch.dep_ in ("xcomp", "ccomp", "dobj"):
                f.append(f"lcac={ll}>{ch.dep_}>{ch.lemma_.lower()}")
    for k, t in enumerate(c.above()):
        lem = t.lemma_.lower()
        f.append(f"ab={lem}")
        f.append(f"ab{k}={t.dep_ if k == 0 else ''}>{lem}")
        e = _lex(ont, t)
        if e is not None:
            f.append(f"ablex={e.plover}")
    seen = set()
    for t in toks:
        lem = t.lemma_.lower()
        if lem in seen:
            continue
        seen.add(lem)
        f.append(f"pl={lem}")
        e = _lex(ont, t)
        if e is not None:
            f.append(f"plex={e.plover}")
        for ch in t.children:
            if ch.dep_ in ("aux",) and ch.lower_ in MODALS:
                f.append(f"pmodal={ch.lower_}")
            if ch.dep_ == "neg":
                f.append("pneg")
    # the words between the two mentions, for parses that go astray
    lo, hi = sorted((a.anchor.i, b.anchor.i))
    if hi - lo <= 12:
        for t in c.sent.doc[lo + 1:hi]:
            if t.pos_ in ("VERB", "NOUN", "ADJ") and not t.is_stop:
                f.append(f"btw={t.lemma_.lower()}")
                e = _lex(ont, t)
                if e is not None:
                    f.append(f"btwlex={e.plover}")
    else:
        f.append("far")
    return f


def trigger_for(c: Candidate, plover: str, ont: Ontology) -> Token:
    """The word that states the event: a path word the lexicon gives this type, else the
    first content word above the source, else the lowest common head."""
    toks = c.tokens() + c.above()
    ends = {c.source.anchor.i, c.target.anchor.i if c.target is not None else -1}
    near = [ch for t in toks for ch in t.children
            if ch.dep_ in ("dobj", "xcomp", "ccomp", "pobj", "prep", "attr", "acomp") and ch.i not in ends]
    for group in (toks, near, [g for ch in near for g in ch.children if g.dep_ in ("dobj", "pobj")]):
        for t in group:
            e = _lex(ont, t)
            if e is not None and (e.plover == plover or plover == "RETREAT" and e.plover == "CONCEDE"):
                return t
    # no word of the lexicon: the lowest predicate linking the two (the one nearest the target:
    # "failed to persuade Israel" → persuade), else the first word above a lone source
    content = [t for t in c.path if t.pos_ in ("VERB", "NOUN", "ADJ") and t.i not in ends]
    if content and c.target is not None:
        return content[-1]
    for t in toks:
        if t.pos_ in ("VERB", "NOUN", "ADJ") and t.i not in ends:
            return t
    return c.lca if c.lca is not None else c.source.anchor


def _on(ref, side) -> bool:
    m = getattr(ref, "mention", None) if ref is not None else None
    return m is not None and side is not None and m.start < side.mention.end and side.mention.start < m.end


def frame_features(c: Candidate, frame_events: list) -> list[str]:
    """What the frame coder (trigger lexicon, parse frames, type classifier) said about this
    pair: its types for the same pair, the reversed pair, one side only, or the sentence."""
    f = []
    for e in frame_events:
        s_ok, t_ok = _on(e.source, c.source), _on(e.target, c.target)
        rs, rt = _on(e.source, c.target), _on(e.target, c.source)
        if s_ok and (t_ok or c.target is None and e.target is None):
            f.append(f"fr={e.type}")
            f.append("fr_any")
        elif rs and rt:
            f.append(f"frrev={e.type}")
        elif s_ok:
            f.append(f"frsrc={e.type}")
        elif t_ok:
            f.append(f"frtgt={e.type}")
        else:
            f.append(f"frsent={e.type}")
    return f
