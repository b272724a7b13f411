"""Sentences → PLOVER/CAMEO events with source, target, status, date and place.

For each sentence the coder
  1. finds candidate triggers: words in the trigger lexicon (data/events/triggers.csv) or words
     the trained model saw as triggers, and reads a frame (trigger, source, target) off the parse
     (frames.py);
  2. types each frame with the classifier (classifier.py; weights in data/events/type_model.json),
     the lexicon entry being one of its features, and keeps CAMEO code, mode and Goldstein weight
     from the ontology tables;
  3. adds two kinds of events the lexicon cannot see: obligations in reported speech ("the
     Kremlin said Ukraine would have to …" → REQUEST) and conditional coercion ("willing to levy
     sanctions if Moscow doesn't agree" → THREATEN);
  4. matches source and target to actor mentions (document.mentions_in), falling back to the noun
     phrase as written; "I"/"we" inside a quote become the quote's speaker;
  5. sets status (status.py), date (the time stage's ``event_date``, else a DATE timex of the
     sentence), place (a GPE/LOC entity the trigger is "in"/"at") and the quote it sits in.
"""
from __future__ import annotations

import importlib
from typing import Optional

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..actors.kinds import is_actor_mention
from ..ingest.html import is_boilerplate
from ..model import ActorRef, Document, Event, Span
from . import candidates as cands_mod
from . import decide as decide_mod
from .classifier import load_model
from .frames import PRONOUNS, Frame, child_words, features, frame_for, is_party, np_span, subject_of
from .ontology import POS_CLASS, Ontology, ontology
from .status import conditional_clause, status_features, status_of

# Minimum times a lemma must have been a training trigger to be a candidate without a lexicon entry.
MIN_LEARNED_TRIGGER = 2
# A main-verb event without a trigger word needs at least this classifier probability.
FALLBACK_MIN_CONFIDENCE = 0.35
COERCIVE = ("SANCTION", "COERCE", "ASSAULT")
# Statuses whose rule (an explicit cue: "reportedly", "did not", "demanded that") is kept over
# the learned status, which sees too few of them in training to outvote them.
STRONG_RULES = frozenset(("reported", "negated", "demanded"))
# The lexicon's type wins over the classifier's choice when the classifier gives it at least this.
LEXICON_MIN_PROB = 0.25


class EventCoder:
    def __init__(self, nlp=None, model_path: Optional[str] = None, pair_model: Optional[str] = None):
        self.nlp = nlp
        self.ont: Ontology = ontology()
        self.pair = decide_mod.load(pair_model)
        self.status_model = decide_mod.load(str(decide_mod.MODELS / decide_mod.STATUS_MODEL_NAME)) \
            if pair_model is None else None
        # the frame coder (trigger lexicon + type classifier) runs first; its events are
        # features of the learned decision, and its output is the fallback without a pair model
        self.model = load_model(model_path)
        self.cues = self.ont.cues
        self.threshold: Optional[float] = None
        self.one_per_trigger = True
        self.status_trust_rule = True
        self.frame_floor = 0.5
        self.frame_scale = 0.5
        # a sure frame of these types is kept with no target ("We will not accept these terms,"
        # said the prime minister): on realnews_dev, REJECT alone gives type F1 .563 -> .565 and
        # full F1 .346 -> .342; adding CONCEDE, PROTEST, MOBILIZE and THREATEN costs more full F1
        self.one_sided_types = frozenset({"REJECT"})

    # -- the learned coder -------------------------------------------------------------
    def annotate_learned(self, doc, document: Document, threshold: Optional[float] = None,
                         min_type: Optional[float] = None) -> None:
        n = len(document.events)
        quotes = [(q.content.start, q.content.end) for q in document.quotes]
        cands_mod.forget_lexicon_cache()   # token ids are per document
        frame_events = self.frame_events(doc, document)
        for sent in doc.sents:
            if not sent.text.strip() or not document.mentions_in(sent.start_char, sent.end_char):
                continue
            if all(is_boilerplate(line) for line in sent.text.splitlines() if line.strip()):
                continue
            if not any(t.dep_ for t in sent):
                continue   # left unparsed by the fast path: no cue word, no event
            cands = cands_mod.candidates(doc, document, sent)
            if not cands:
                continue
            in_q = any(s <= sent.start_char < e or sent.start_char <= s < sent.end_char for s, e in quotes)
            near = [e for e in frame_events if sent.start_char <= e.trigger.start < sent.end_char]
            feats = [cands_mod.features(c, self.ont, in_q) + cands_mod.frame_features(c, near)
                     for c in cands]
            probs = self.pair.scores(feats)
            taken: dict[tuple, Event] = {}
            for c, typ, prob, joint in sorted(decide_mod.decide(self.pair, cands, probs, threshold, min_type),
                                              key=lambda d: -d[2]):
                ev = self._code_candidate(c, typ, prob, joint, sent, document)
                if ev is None:
                    continue
                if self.one_per_trigger:
                    # one act per word and type: the likeliest pair states it
                    key = (typ, ev.trigger.start, ev.source.country if ev.source else None)
                    if key in taken:
                        continue
                    taken[key] = ev
                made = [ev]
                frame = self._frame_of(c, typ, joint)
                threat = self._threat_behind(frame, ev, sent, document)
                if threat is not None and not any(
                        e.type == "THREATEN" and e.sentence.start == ev.sentence.start
                        and _key(e.source) == _key(ev.source) for e in document.events):
                    made.insert(0, threat)
                for e in made:
                    n += 1
                    e.id = f"E{n}"
                    document.events.append(e)
                    self._link_quote(e, document)
            if self.frame_floor < 1.0:
                # a frame event the learned decision left out, when the frame coder is sure of it
                # and both of its parties are actors
                have = {(e.type, a, b) for e in document.events if e.sentence.start == sent.start_char
                        for a, b in ((_country_of(e.source), _country_of(e.target)),
                                     (_country_of(e.target), _country_of(e.source)))
                        if e.undirected or a == _country_of(e.source)}
                for fe in near:
                    key = (fe.type, _country_of(fe.source), _country_of(fe.target))
                    joint = fe.undirected or fe.type in decide_mod.JOINT
                    one_sided = fe.target is None and fe.type in self.one_sided_types
                    if one_sided and any(e.type == fe.type and _country_of(e.source) == key[1]
                                         for e in document.events if e.sentence.start == sent.start_char):
                        continue   # the act is already coded for this party, with a target
                    if fe.confidence < self.frame_floor or key in have or joint and (
                            fe.type, key[2], key[1]) in have or not (
                            fe.source and fe.source.actor
                            and (one_sided or fe.target and fe.target.actor)
                            and all(r.mention is None or cands_mod.is_party(r.mention)
                                    for r in (fe.source, fe.target) if r is not None)
                            and not self._intent_to_hostile(
                                doc.char_span(fe.trigger.start, fe.trigger.end, alignment_mode="expand").root,
                                fe.type)
                            and not (fe.target is not None and cands_mod.same_state(
                                document.actor(fe.source.actor), document.actor(fe.target.actor),
                                titled=True))):
                        continue
                    have.add(key)
                    if joint:
                        have.add((fe.type, key[2], key[1]))
                    fe.confidence = round(self.pair.calibrated(fe.confidence * self.frame_scale), 3)
                    n += 1
                    fe.id = f"E{n}"
                    document.events.append(fe)
                    self._link_quote(fe, document)

    def _intent_to_hostile(self, trig: Token, plover: str) -> bool:
        """"Willing to ramp up pressure", "ready to impose sanctions": an adjective of readiness
        states cooperation only when what it is ready for is cooperative. When its complement
        holds a word of conflict (quad class 3 or 4), the act is that word's own event (a threat,
        a sanction), not an agreement."""
        if plover not in ("AGREE", "CONSULT", "COOPERATE", "SUPPORT") or trig.pos_ != "ADJ":
            return False
        for comp in trig.children:
            if comp.dep_ not in ("xcomp", "prep"):
                continue
            for t in comp.subtree:
                entry = cands_mod._lex(self.ont, t)
                if entry is not None and self.ont.code_for(entry.plover, entry.cameo).quad_class >= 3:
                    return True
        return False

    def _frame_of(self, c, plover: str, joint: bool = False) -> Frame:
        trig = cands_mod.trigger_for(c, plover, self.ont)
        gov = None
        if trig.pos_ in ("NOUN", "PROPN", "ADJ"):
            h = trig.head.head if trig.dep_ == "pobj" and trig.head.dep_ == "prep" else trig.head
            if h.i != trig.i and h.pos_ in ("VERB", "AUX"):
                gov = h
        return Frame(trig, cands_mod._lex(self.ont, trig), source=c.source.anchor,
                     target=c.target.anchor if c.target is not None else None,
                     undirected=joint, governor=gov)

    def status_anchor(self, frame: Frame, plover: str):
        """The word whose clause gives the status: the trigger (and its governing verb), except
        for a request or threat stated by reporting what someone said ("the Kremlin reportedly
        said Ukraine would have to …"): the act is the saying, so the reporting verb."""
        if plover in ("REQUEST", "THREATEN") and not (frame.entry and frame.entry.plover == plover):
            tok = frame.trigger
            for _ in range(6):
                if tok.head.i == tok.i:
                    break
                tok = tok.head
                if tok.lemma_.lower() in self.cues["reporting_verbs"]:
                    return tok, None
        return frame.trigger, frame.governor

    def _code_candidate(self, c, plover: str, prob: float, joint: bool, sent: SpacySpan,
                        document: Document) -> Optional[Event]:
        frame = self._frame_of(c, plover, joint)
        trig, entry = frame.trigger, frame.entry
        if self._intent_to_hostile(trig, plover):
            return None
        cameo = self.ont.code_for(plover, entry.cameo if entry else None)
        source = document.ref(c.source.actor, c.source.mention)
        target = document.ref(c.target.actor, c.target.mention) if c.target is not None else None
        st, sg = self.status_anchor(frame, plover)
        rule = status_of(st, sg, plover, self.ont)
        if self.status_model is not None and not (self.status_trust_rule and rule in STRONG_RULES):
            in_q = any(q.content.start <= trig.idx < q.content.end for q in document.quotes)
            p = self.status_model.scores([status_features(st, sg, plover, self.ont, in_q)])[0]
            status = self.status_model.classes[int(p.argmax())]
        else:
            status = rule
            if plover == "THREATEN" and status in ("hypothetical", "threatened"):
                status = "asserted"
            if plover == "REQUEST" and status == "demanded":
                status = "asserted"
        ev = Event(
            id="", type=plover, trigger=Span.of(document.text, trig.idx, trig.idx + len(trig.text)),
            sentence=Span.of(document.text, sent.start_char, sent.end_char), status=status,
            mode=cameo.mode, cameo=cameo.code, goldstein=cameo.goldstein, quad_class=cameo.quad_class,
            source=source, target=target, undirected=joint, confidence=round(prob, 3),
        )
        if plover == "CONSULT":
            ev.mode = self._consult_mode(frame, sent) or ev.mode
        self._place(ev, frame, sent, document)
        if ev.mode == "third-party" and ev.location_country and ev.location_country in (
                source.country, target.country if target else None):
            home = self.ont.code_for("CONSULT")   # met at home: not a third-party venue
            ev.mode, ev.cameo, ev.goldstein = None, home.code, home.goldstein
        self._date(ev, sent, document)
        return ev

    # -- candidates --------------------------------------------------------------------
    def frames(self, sent: SpacySpan) -> list[Frame]:
        out = []
        for tok in sent:
            if tok.pos_ not in POS_CLASS or tok.is_stop and tok.lemma_ not in ("call",):
                if tok.lemma_.lower() not in ("open",):
                    continue
            lem = tok.lemma_.lower()
            if lem in self.cues["reporting_verbs"] and any(c.dep_ == "ccomp" for c in tok.children):
                continue
            entry = self.ont.trigger(lem, tok.pos_, child_words(tok))
            learned = self.model.trigger_lemmas.get(f"{lem}/{POS_CLASS[tok.pos_]}", 0) \
                if self.model and tok.pos_ in ("VERB", "NOUN") and not tok.ent_type_ and not is_party(tok) else 0
            if entry is None and learned < MIN_LEARNED_TRIGGER:
                continue
            # "call" as a noun is a consultation only when it is a call between parties
            if entry is not None and entry.lemma == "call" and entry.pos == "N" and not (
                    any(c.lower_ in ("phone", "telephone") for c in tok.children)
                    or any(c.lower_ in ("with", "between") for c in tok.children)):
                continue
            f = frame_for(tok, entry)
            if f.source is None and f.target is None:
                continue
            out.append(f)
        if not out and self.model is not None:
            # no trigger word: the main verb of the sentence may still state an interaction
            # between two parties ("30,000 Irish soldiers served in Lebanon"); kept only when
            # the classifier is sure enough (FALLBACK_MIN_CONFIDENCE)
            root = sent.root
            if root.pos_ in ("VERB", "AUX") and root.lemma_.lower() not in self.cues["reporting_verbs"]:
                f = frame_for(root, None)
                if f.source is not None and f.target is not None:
                    f.notes.append("fallback")
                    out.append(f)
        return out

    def obligation_frames(self, sent: SpacySpan) -> list[Frame]:
        """"X said (that) Y must/would have to …": X asks Y to act (REQUEST)."""
        out = []
        for tok in sent:
            if tok.lemma_.lower() not in self.cues["reporting_verbs"]:
                continue
            speaker = subject_of(tok)
            for comp in tok.children:
                if comp.dep_ != "ccomp" or speaker is None:
                    continue
                obliged = any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in comp.children) \
                    or (comp.lemma_ == "have" and any(c.dep_ == "xcomp" for c in comp.children))
                subj = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if obliged and subj is not None and subj.lower_ not in PRONOUNS:
                    f = Frame(comp, None, source=speaker, target=subj, governor=tok)
                    f.notes.append("obligation")
                    out.append(f)
        return out

    # -- annotate ----------------------------------------------------------------------
    def frame_events(self, doc, document: Document) -> list[Event]:
        """The frame coder's events, without touching the document."""
        saved, links = document.events, [list(q.events) for q in document.quotes]
        document.events = []
        try:
            self.annotate_frames(doc, document)
            return document.events
        finally:
            document.events = saved
            for q, ev in zip(document.quotes, links):
                q.events = ev

    def annotate(self, doc, document: Document) -> None:
        if self.pair is not None:
            return self.annotate_learned(doc, document, self.threshold)
        return self.annotate_frames(doc, document)

    def annotate_frames(self, doc, document: Document) -> None:
        n = len(document.events)
        for sent in doc.sents:
            if not sent.text.strip() or all(is_boilerplate(line) for line in sent.text.splitlines()
                                            if line.strip()):
                continue
            seen: set[int] = set()
            coded: list[tuple[Frame, Event]] = []
            for frame in self.frames(sent):
                ev = self._code(frame, sent, document)
                if ev is None:
                    continue
                seen.add(frame.trigger.i)
                extra = self._threat_behind(frame, ev, sent, document)
                if extra is not None:
                    coded.append((frame, extra))
                coded.append((frame, ev))
            for e in _merge(coded):
                n += 1
                e.id = f"E{n}"
                document.events.append(e)
                self._link_quote(e, document)
            for frame in self.obligation_frames(sent):
                if frame.trigger.i in seen:
                    continue
                ev = self._code(frame, sent, document, plover="REQUEST")
                if ev is not None:
                    n += 1
                    ev.id = f"E{n}"
                    document.events.append(ev)
                    self._link_quote(ev, document)

    def type_of(self, frame: Frame, sent: SpacySpan) -> tuple[str, float]:
        lex = frame.entry.plover if frame.entry else None
        if self.model is None:
            return lex, 0.6
        probs = self.model.predict(features(frame, sent, self.ont))
        typ = max(probs, key=probs.get)
        conf = probs[typ]
        # a trigger word the lexicon knows keeps its type unless the classifier all but rules it out
        if lex is not None and lex != typ and probs.get("CONCEDE" if lex == "RETREAT" else lex, 0.0) >= LEXICON_MIN_PROB:
            typ, conf = lex, probs.get("CONCEDE" if lex == "RETREAT" else lex, 0.0)
        # PLV codes a planned meeting as AGREE (intent to meet); we code the meeting itself as
        # CONSULT and let its status say it is planned
        if lex == "CONSULT" and typ == "AGREE":
            typ = lex
        # the training data merges RETREAT into CONCEDE (PLV's YIELD); the lexicon splits them
        if typ == "CONCEDE" and lex == "RETREAT":
            typ = "RETREAT"
        return typ, conf

    def _code(self, frame: Frame, sent: SpacySpan, document: Document,
              plover: Optional[str] = None) -> Optional[Event]:
        if plover is None:
            plover, conf = self.type_of(frame, sent)
            if plover is None or "fallback" in frame.notes and conf < FALLBACK_MIN_CONFIDENCE:
                return None
        else:
            conf = 0.7
        trig = frame.trigger
        cameo = self.ont.code_for(plover, frame.entry.cameo if frame.entry else None)
        mode = cameo.mode or (frame.entry.mode if frame.entry and frame.entry.plover == plover else None)
        source = self._ref(frame.source, sent, document, need_party=True)
        target = self._ref(frame.target, sent, document)
        undirected = frame.undirected
        if source is None and target is None or not _anchored(source) and not _anchored(target):
            return None
        pair = _group_pair(source, document)   # "the two sides" → both of them, undirected
        if pair is not None:
            source, target, undirected = pair[0], pair[1], True
        if frame.alt_target is not None and source and target and source.country == target.country:
            alt = self._ref(frame.alt_target, sent, document)
            if alt is not None and alt.country != source.country:
                target = alt
        if plover == "CONSULT":
            mode = self._consult_mode(frame, sent) or mode
        status = status_of(trig, frame.governor, plover, self.ont)
        ev = Event(
            id="", type=plover, trigger=Span.of(document.text, trig.idx, trig.idx + len(trig.text)),
            sentence=Span.of(document.text, sent.start_char, sent.end_char), status=status,
            mode=mode, cameo=cameo.code, goldstein=cameo.goldstein, quad_class=cameo.quad_class,
            source=source, target=target, undirected=undirected,
            confidence=round(conf * (1.0 if source and source.actor else 0.8), 3),
        )
        if plover == "THREATEN" and status == "hypothetical":
            status = ev.status = "asserted"   # "would levy sanctions if …" is a threat made now
        self._place(ev, frame, sent, document)
        if ev.mode == "third-party" and ev.location_country and ev.location_country in (
                source.country if source else None, target.country if target else None):
            home = self.ont.code_for("CONSULT")   # met at home: not a third-party venue
            ev.mode, ev.cameo, ev.goldstein = None, home.code, home.goldstein
        self._date(ev, sent, document)
        return ev

    def _threat_behind(self, frame: Frame, ev: Event, sent: SpacySpan, document: Document) -> Optional[Event]:
        """"would be willing to levy sanctions if Moscow doesn't agree": a coercive act offered
        under a negative condition is a threat made now; the act itself is only threatened."""
        if ev.type not in COERCIVE or ev.status not in ("hypothetical", "threatened"):
            return None
        cond = conditional_clause(frame.governor or frame.trigger) or _clause_condition(frame.trigger, self.cues)
        if cond is None:
            return None
        negative = any(c.dep_ == "neg" for c in cond.children) or any(
            m.lower_ == "unless" for m in cond.children if m.dep_ == "mark")
        if not negative:
            return None
        ev.status = "threatened"
        code = self.ont.code_for("THREATEN", "1312" if ev.type == "SANCTION" else None)
        return Event(id="", type="THREATEN", trigger=ev.trigger, sentence=ev.sentence,
                     status="asserted", mode=code.mode, cameo=code.code, goldstein=code.goldstein,
                     quad_class=code.quad_class, source=ev.source, target=ev.target,
                     date=ev.date, timex=ev.timex, confidence=ev.confidence)

    # -- actors ------------------------------------------------------------------------
    def _ref(self, tok: Optional[Token], sent: SpacySpan, document: Document,
             need_party: bool = False) -> Optional[ActorRef]:
        """The actor ``tok`` stands for: an actor mention on its noun phrase, the speaker for
        "I/we/he" in reported speech, else the phrase as written (for a source: only when it
        names a party, "officials" but not "peace")."""
        if tok is None:
            return None
        if tok.lower_ in PRONOUNS:
            # "police said they detained …": the named antecedent, not the pronoun's own span
            speaker = self._speaker_for(tok, document)
            if speaker is not None:
                return speaker
        start, end = np_span(tok)
        found = document.mentions_in(start, end)
        if found:
            actor, mention = next(((a, m) for a, m in found if m.start <= tok.idx < m.end), found[0])
            return document.ref(actor, mention)
        # "a spokesman for Ukraine's Ministry of Foreign Affairs": the actor named inside the
        # phrase's of/for part, resting on the phrase as written
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                sub = sorted(c.subtree, key=lambda t: t.i)
                inner = document.mentions_in(sub[0].idx, sub[-1].idx + len(sub[-1].text))
                if inner:
                    ref = document.ref(inner[0][0], None)
                    ref.mention = Span.of(document.text, start, end)
                    return ref
        if tok.lower_ in PRONOUNS:
            speaker = self._speaker_for(tok, document)
            if speaker is not None:
                return speaker
        if tok.pos_ in ("PRON", "DET") or tok.is_stop or need_party and not is_party(tok):
            return None
        if not is_actor_mention(tok):  # a count, a place where it happens, a generic noun
            return None
        return ActorRef(actor=None, name=document.text[start:end], mention=Span.of(document.text, start, end))

    def _speaker_for(self, tok: Token, document: Document) -> Optional[ActorRef]:
        """"I"/"we" inside a quote, or "he" in "he said that he will …", stand for the speaker."""
        for q in document.quotes:
            if q.content.start <= tok.idx < q.content.end and q.speaker is not None:
                if tok.lower_ in ("i", "we", "me", "us"):
                    return q.speaker
        head = tok.head
        for _ in range(8):
            if head.lemma_.lower() in self.cues["reporting_verbs"]:
                subj = subject_of(head)
                if subj is not None and subj.i != tok.i and subj.lower_ not in PRONOUNS:
                    return self._ref(subj, tok.sent, document)
                break
            if head.head.i == head.i:
                break
            head = head.head
        return None

    def _link_quote(self, ev: Event, document: Document) -> None:
        for q in document.quotes:
            if q.content.start <= ev.trigger.start < q.content.end:
                ev.quote = q.id
                if ev.id not in q.events:
                    q.events.append(ev.id)
                return

    # -- mode, place, date -------------------------------------------------------------
    def _consult_mode(self, frame: Frame, sent: SpacySpan) -> Optional[str]:
        words = {t.lower_ for t in sent}
        near = {t.lower_ for t in frame.trigger.subtree} | {t.lower_ for t in frame.trigger.head.subtree}
        if near & {"phone", "telephone", "call", "videoconference", "video"}:
            return "phone"
        if frame.trigger.lemma_ in ("visit", "host") or "visit" in words:
            return "visit"
        if self._place_token(frame) is not None and frame.undirected:
            return "third-party"
        return None

    def _place_token(self, frame: Frame) -> Optional[Token]:
        heads = [frame.trigger] + ([frame.governor] if frame.governor is not None else [])
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                    for p in c.children:
                        if p.dep_ == "pobj" and p.ent_type_ in ("GPE", "LOC", "FAC"):
                            return p
            for c in h.children:  # "the Istanbul meeting"
                if c.dep_ in ("compound", "nmod") and c.ent_type_ in ("GPE", "LOC"):
                    return c
        # "talks between France and Germany in Geneva": the phrase may hang lower in the tree
        args = {t.i for t in (frame.source, frame.target, frame.alt_target) if t is not None}
        level = [c for c in frame.trigger.children if c.dep_ == "prep"]
        for _ in range(3):
            nxt = []
            for tok in level:
                if tok.dep_ == "prep" and tok.lower_ in ("in", "at"):
                    for p in tok.children:
                        if p.dep_ == "pobj" and p.ent_type_ in ("GPE", "LOC", "FAC") and p.i not in args:
                            return p
                nxt.extend(c for c in tok.children if c.dep_ in ("prep", "pobj", "conj"))
            level = nxt
        return None

    def _place(self, ev: Event, frame: Frame, sent: SpacySpan, document: Document) -> None:
        tok = self._place_token(frame)
        if tok is None:
            return
        ent = next((e for e in sent.ents if e.start <= tok.i < e.end), None)
        start, end = (ent.start_char, ent.end_char) if ent is not None else (tok.idx, tok.idx + len(tok.text))
        ev.location = document.text[start:end]
        ev.location_span = Span.of(document.text, start, end)
        ev.location_country = _place_country(document, start, end, ev.location)

    def _date(self, ev: Event, sent: SpacySpan, document: Document) -> None:
        timex = importlib.import_module("eventwire.timex")
        event_date = getattr(timex, "event_date", None)
        if event_date is not None:
            ev.date, ev.timex = event_date(document, ev.sentence, ev.trigger)
            return
        dates = [t for t in document.timexes
                 if t.type == "DATE" and sent.start_char <= t.start < sent.end_char and t.value[:4].isdigit()]
        if dates:
            best = min(dates, key=lambda t: abs(t.start - ev.trigger.start))
            ev.date, ev.timex = best.value[:10] if len(best.value) >= 10 else best.value, best.id


def _country_of(ref: Optional[ActorRef]):
    return None if ref is None else (ref.country or ref.actor or ref.name)


def _clause_condition(tok: Token, cues) -> Optional[Token]:
    """An "if/unless" clause anywhere in the clause the word belongs to, below the reporting
    verb ("ramp up pressure … and levy sanctions if Moscow doesn't agree")."""
    top = tok
    while top.head.i != top.i and top.head.lemma_.lower() not in cues["reporting_verbs"]:
        top = top.head
    for t in top.subtree:
        if t.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in t.children):
            return t
    return None


def _anchored(ref: Optional[ActorRef]) -> bool:
    return ref is not None and ref.actor is not None or ref is not None and ref.mention is not None \
        and ref.name[:1].isupper()


def _key(ref: Optional[ActorRef]):
    return None if ref is None else (ref.actor or ref.name)


def _group_pair(ref: Optional[ActorRef], document: Document):
    """Two actors on one group mention ("the two sides"): (first, second)."""
    if ref is None or ref.mention is None:
        return None
    on_span = [(a, m) for a in document.actors for m in a.mentions
               if m.how == "group" and (m.start, m.end) == (ref.mention.start, ref.mention.end)]
    if len(on_span) < 2:
        return None
    return document.ref(*on_span[0]), document.ref(*on_span[1])


def _merge(coded: list) -> list[Event]:
    """One event per act: a nominal trigger under a verbal one of the same type and source
    ("speak … in a phone call") folds into it, giving its mode; one threat per pair."""
    keep = []
    for frame, ev in coded:
        dup = None
        for f2, e2 in keep:
            same = e2.type == ev.type and _key(e2.source) == _key(ev.source)
            if not same:
                continue
            nested = frame.trigger.i in {t.i for t in f2.trigger.subtree} or \
                f2.trigger.i in {t.i for t in frame.trigger.subtree}
            if nested or ev.type == "THREATEN" and _key(e2.target) == _key(ev.target):
                dup = e2
                break
        if dup is None:
            keep.append((frame, ev))
        else:
            dup.mode = dup.mode or ev.mode
            if ev.mode and dup.cameo and ev.cameo and len(ev.cameo) >= len(dup.cameo):
                dup.cameo, dup.goldstein = ev.cameo, ev.goldstein
            dup.target = dup.target or ev.target
            dup.location, dup.location_span, dup.location_country = (
                dup.location or ev.location, dup.location_span or ev.location_span,
                dup.location_country or ev.location_country)
    return [ev for _, ev in keep]


def _place_country(document: Document, start: int, end: int, name: str) -> Optional[str]:
    """The country of a place: an actor mention on the same words, else the actor KB if it
    knows the name."""
    for actor, _ in document.mentions_in(start, end):
        if actor.country:
            return actor.country
    try:
        kb = importlib.import_module("eventwire.actors.kb")
        lookup = getattr(kb, "place_country", None)
        return lookup(name) if lookup else None
    except ImportError:
        return None
