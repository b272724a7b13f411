"""Direct and indirect quotes with their speakers, cues and channels.

Direct quotes are found from the quotation marks (every common style; multi-paragraph quotes follow
the open-paragraph convention: a paragraph that opens a quote without closing it continues into the
next paragraph when that one opens with a quote mark). Each is attributed to the reporting verb
next to it ("…,” he said), before it ("He said: “…”") or between its halves (split quotes).

Indirect speech comes from the dependency parse: a reporting verb (``data/quotes/reporting_verbs.txt``)
with a subject and a clausal complement ("X said (that) …"), "according to X, …", and a few verbs
whose content is an infinitive or object ("urged X to …", "called for …").

Each contiguous quoted passage is one Quote, as ANNOTATING.md counts them: a short phrase quoted
inside a paraphrase or a scare-quoted word someone used is a quote of its own (attributed to the
statement it sits in, or to the clause that quotes it), and so is each half of a split quote. The
paraphrase around a partial quote is a reported statement too. (PolNeAR marks a split quote, or a
paraphrase with its partial quote, as one attribution.)

Quotation marks are in ``marks.py``, speaker phrases in ``speakers.py``.

Speakers go through the actor stage (``Document.mentions_in``); a pronoun no actor covers falls back
to the speaker of the quote before it; a speaker no actor covers ("officials", "reports") is kept as
an ActorRef without an actor id, so its mention span is still there.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from ..actors.kb import load_kb
from ..actors.kinds import person_gender
from ..model import ActorRef, Document, Quote, Span
from .marks import _strip, _yaml, find_quoted, lexicon
from .speakers import (PRONOUNS, SUBJECT_DEPS, _JOINT, _JOINT_STATES, _LEADING_ARTICLE, _best_mention,
                       _last_two, _modifies, _name_of, _named_person, _same_speaker, _speaker_phrase,
                       _subject, _text_of, _TEXT_KEY, _titled_before)

MIN_UNCUED_WORDS = 6   # a quote with no attribution and fewer words is a scare quote or a title
MIN_CONTENT_TOKENS = 3
HEADLINE_CHARS = 400   # a "Name: …" headline is one of the first lines (later, it is a transcript turn)


# -- the stage -------------------------------------------------------------------------------
@dataclass
class _Found:
    content: tuple[int, int]
    direct: bool
    cue: Optional[object] = None           # spaCy token or (start, end)
    speaker_tok: Optional[object] = None
    speaker: Optional[ActorRef] = None
    para: int = 0
    attribution: list = field(default_factory=list)   # (start, end) regions to look for a channel
    parent: Optional["_Found"] = None      # the statement a partial quote is part of (same speaker)
    partial: bool = False                  # a quoted phrase found by _partials
    paraphrase: bool = False               # a paraphrase ending in a partial quote, then its cue


class QuoteFinder:
    def __init__(self, nlp):
        self.nlp = nlp
        self.lex = lexicon()
        nouns = _yaml("speaker_nouns.yaml") or {}
        self.short_forms = {str(k): str(v) for k, v in (_yaml("speaker_names.yaml") or {}).items()}
        self.speaker_nouns = {k: frozenset(w.lower() for w in nouns.get(k) or [])
                              for k in ("documents", "bodies", "media", "people", "entourage")}

    # public entry point --------------------------------------------------------------------
    def annotate(self, doc, document: Document) -> None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text      # Doc.text joins every token: read it once
        self._para_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._quoted = find_quoted(text, self.lex)
        direct = self._direct(doc, document)
        used_cues = {f.cue.i for f in direct if f.cue is not None and not isinstance(f.cue, tuple)}
        quoted = [(q.start, q.end) for q in self._quoted]
        indirect = self._indirect(doc, used_cues, [f.content for f in direct], quoted)
        # A cue-less direct quote inside reported speech is a partial quote: the reported
        # statement is the quote ("Clinton says Trump's “latest meltdown is unhinged”").
        kept = []
        for f in direct:
            if f.cue is None and any(s <= f.content[0] and f.content[1] <= e for s, e in
                                     (g.content for g in indirect)):
                continue
            kept.append(f)
        # A paraphrase ending in a partial quote that the parse also found as reported speech
        # is one statement: keep the reported one, whose span the parse knows better.
        kept = [f for f in kept if not f.paraphrase or not any(
            _overlap(f.content, g.content) >= 0.6 * min(f.content[1] - f.content[0], g.content[1] - g.content[0])
            for g in indirect)]
        found = sorted(kept + indirect + self._headlines(doc, document, kept + indirect),
                       key=lambda f: f.content[0])
        found = sorted(found + self._partials(doc, found), key=lambda f: (f.content[0], -f.content[1]))
        self._resolve(doc, document, found)
        for n, f in enumerate(found, 1):
            cue = None
            if f.cue is not None:
                cs, ce = f.cue if isinstance(f.cue, tuple) else (f.cue.idx, f.cue.idx + len(f.cue))
                cue = Span.of(text, cs, ce)
            document.quotes.append(Quote(
                id=f"Q{n}", content=Span.of(text, *f.content), direct=f.direct, cue=cue,
                speaker=f.speaker, channel=self._channel(text, f)))
        self._inherit_channels(document)
        doc.user_data.pop(_TEXT_KEY, None)

    # direct quotes ---------------------------------------------------------------------------
    def _para(self, idx: int) -> int:
        lo, hi = 0, len(self._para_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._para_starts[mid] <= idx:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _cue_in(self, doc, start: int, end: int, quoted, last: bool = False):
        span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
        if span is None:
            return None
        hits = [t for t in span if t.lemma_.lower() in self.lex.reporting_verbs
                and t.pos_ in ("VERB", "AUX") and start <= t.idx < end
                and not any(a <= t.idx < b for a, b in quoted)]
        if not hits:
            return None
        return hits[-1] if last else hits[0]

    def _direct(self, doc, document) -> list[_Found]:
        text = _text_of(doc)
        quoted = self._quoted
        inside = [(q.open, q.close) for q in quoted]
        out: list[_Found] = []
        i = 0
        while i < len(quoted):
            q = quoted[i]
            s, e = _strip(text, q.start, q.end)
            if e <= s:
                i += 1
                continue
            nxt = quoted[i + 1] if i + 1 < len(quoted) else None
            tail_end = _sentence_end(text, q.close, nxt.open if nxt else len(text))
            cue = self._cue_in(doc, q.close, tail_end, inside)
            if cue is not None and not _attribution_follows(doc, q.close, cue):
                cue = None          # a verb later in the sentence ("“depleted” and says …")
            where = "after"
            head_start = _sentence_start(text, q.open, out[-1].content[1] if out else 0)
            head = text[head_start:q.open].rstrip()
            mid = bool(head) and not head.endswith((":", ",", "—", "–", "(")) and not _starts_sentence(text, q.open)
            if cue is None:
                if head.endswith((":", ",", "—", "–")) or re.search(r"\b(said|says|wrote|writes|added|adds|tweeted)$", head):
                    cue = self._cue_in(doc, head_start, q.open, inside, last=True)
                    where = "before"
            # Each contiguous quoted passage is one statement: the halves of a split quote ("X," he
            # said, "Y") are two, the second attributed like any partial quote (ANNOTATING.md).
            end_q = q
            j = i
            paraphrase = False
            para = self._para(q.open)
            content = (s, _strip(text, end_q.start, end_q.end)[1])
            if mid and cue is not None and where == "after":
                # A partial quote ending a paraphrase ("Using the tax ''is a misguided approach,''
                # he said"): the statement is the whole sentence before the attribution.
                content = (_strip(text, head_start, s)[0], content[1])
                paraphrase = True
            words = len(text[content[0]:content[1]].split())
            prev = out[-1] if out else None
            dash = None
            if cue is None:
                # "“…” ― Oscar P. Quintero": a name after a dash closes the paragraph
                m = _DASH_NAME.match(text, end_q.close)
                if m:
                    dash = m
            if dash is not None:
                f = _Found(content=content, direct=True, cue=(dash.start(1), dash.end(1)), para=para,
                           speaker_tok=(dash.start(2), dash.end(2)))
                out.append(f)
                i = j + 1
                continue
            if cue is None and words < MIN_UNCUED_WORDS:
                i = j + 1
                continue
            if cue is None and not _starts_sentence(text, q.open):
                i = j + 1                                          # a phrase quoted inside a sentence
                continue
            f = _Found(content=content, direct=True, cue=cue, para=para, paraphrase=paraphrase)
            if cue is not None:
                f.speaker_tok = _subject(cue)
                f.attribution = [(q.close, tail_end)] if where == "after" else \
                    [(_sentence_start(text, q.open, 0), q.open)]
            elif prev is not None and _lines_between(text, prev.content[1], q.open) <= 1:
                f.speaker = prev.speaker        # filled when resolved: inherit from the quote before
                f.speaker_tok = "inherit"
            out.append(f)
            i = j + 1
        return out

    # headline-style attributions ------------------------------------------------------------
    def _headlines(self, doc, document, found: list[_Found]) -> list[_Found]:
        """A short line "Name: words" (a headline or a caption) states that Name said the words.
        A quoted passage already found there gets the name as its speaker instead."""
        text = _text_of(doc)
        out = []
        for m in _HEADLINE.finditer(text, 0, min(len(text), HEADLINE_CHARS)):
            ns, ne = m.span(1)
            if text[ns:ne].isupper() or _lines_between(text, 0, m.start()) > 1 \
                    or not self._names_speaker(doc, document, ns, ne):
                continue
            s, e = _strip(text, m.start(2), m.end(2))
            if len(text[s:e].split()) < MIN_CONTENT_TOKENS:
                continue
            colon = text.index(":", ne)
            same = [f for f in found if f.content[0] < e and s < f.content[1]]
            for f in same:
                if f.direct and f.cue is None:
                    f.cue, f.speaker_tok, f.speaker = (colon, colon + 1), (ns, ne), None
            if not same:
                out.append(_Found(content=(s, e), direct=any(c in text[m.start(2):m.end(2)] for c in "\"“”"),
                                  cue=(colon, colon + 1), speaker_tok=(ns, ne), para=self._para(s)))
        return out

    @staticmethod
    def _names_speaker(doc, document, s: int, e: int) -> bool:
        if any(a.kind != "place" for a, _ in document.mentions_in(s, e)):
            return True
        return any(ent.label_ in ("PERSON", "ORG", "NORP", "GPE") and ent.start_char <= s and e <= ent.end_char
                   for ent in doc.ents)

    # partial quotes ----------------------------------------------------------------------------
    def _partials(self, doc, found: list[_Found]) -> list[_Found]:
        """Every quoted passage not yet a statement of its own: a phrase quoted inside a
        paraphrase (the minister said the talks were "a waste of time"), a scare-quoted word
        someone used (called the ceasefire "fragile"), each half of a split quote. Each is
        attributed to the statement it sits in, else to the clause that quotes it."""
        text = _text_of(doc)
        have = [f.content for f in found]
        out: list[_Found] = []
        for q in self._quoted:
            s, e = _strip(text, q.start, q.end)
            if e <= s or any(abs(a - s) <= 2 and abs(b - e) <= 2 for a, b in have):
                continue
            if _title_like(text, q.open, s, e):
                continue
            f = _Found(content=(s, e), direct=True, para=self._para(s), partial=True)
            parents = [g for g in found if g.content[0] <= s and e <= g.content[1]]
            if parents:
                parent = min(parents, key=lambda g: g.content[1] - g.content[0])
                f.parent, f.cue, f.attribution = parent, parent.cue, parent.attribution
            else:
                verb = _quoting_verb(doc, s, e)
                sent = doc.char_span(s, e, alignment_mode="expand")
                sent = sent[0].sent if sent is not None and len(sent) else None
                beside = [g for g in found if g.cue is not None and sent is not None
                          and g.content[0] < sent.end_char and sent.start_char < g.content[1]]
                if verb is not None and (verb.lemma_.lower() in self.lex.reporting_verbs
                                         or verb.lemma_.lower() in self.lex.quoting_verbs):
                    f.cue, f.speaker_tok = verb, _subject(verb)
                    f.attribution = _outside(doc, verb, (s, e))
                elif beside:
                    # a statement in the same sentence: the phrase is that speaker's
                    parent = min(beside, key=lambda g: abs(g.content[0] - s))
                    f.parent, f.cue, f.attribution = parent, parent.cue, parent.attribution
                elif verb is not None:
                    f.cue, f.speaker_tok = verb, _subject(verb)
                    f.attribution = _outside(doc, verb, (s, e))
                else:
                    f.speaker_tok = "inherit"
            out.append(f)
        return out

    # indirect speech -------------------------------------------------------------------------
    def _indirect(self, doc, used_cues: set, direct_spans, quoted) -> list[_Found]:
        text = _text_of(doc)
        out: list[_Found] = []
        spans = sorted(quoted)
        starts = [a for a, _ in spans]
        for tok in doc:
            k = bisect_right(starts, tok.idx) - 1
            if k >= 0 and tok.idx < spans[k][1]:
                continue
            low = tok.lower_
            if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                f = self._according(doc, tok)
                if f:
                    out.append(f)
                continue
            if tok.i in used_cues or tok.pos_ not in ("VERB", "AUX"):
                continue
            if tok.tag_ == "VB" and not any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "would", "did", "does", "do")
                                            for c in tok.children):
                continue      # "to say", "could argue": an infinitive is rarely a statement made
            lemma = tok.lemma_.lower()
            if lemma not in self.lex.reporting_verbs:
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None:
                comp = _that_clause(tok)
            if comp is None and lemma in self.lex.complement_verbs:
                comp = next((c for c in tok.children if c.dep_ in ("xcomp", "dobj")), None)
                if comp is None:
                    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "on")), None)
                    comp = prep
            subj = _subject(tok)
            if subj is None:
                continue
            if comp is None:
                f = self._parenthetical(doc, tok, subj)
                if f is not None and not any(a <= f.content[0] and f.content[1] <= b for a, b in direct_spans) \
                        and not any(a <= f.content[0] < b for a, b in quoted):
                    out.append(f)
                continue
            if tok.dep_ == "relcl" and comp.i < tok.i:
                continue      # "Ukraine, which still asserts its ownership, …": not its content
            if comp.dep_ == "prep":
                pobj = next((c for c in comp.children if c.dep_ in ("pobj", "pcomp")), None)
                if pobj is None:
                    continue
                start, end_tok = pobj.left_edge.idx, pobj.right_edge
                if comp.lower_ == "on":          # "called on X to do Y"
                    xc = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp")), None)
                    end_tok = xc.right_edge if xc is not None else end_tok
            elif comp.dep_ == "dobj":
                # "described X as Y", "called X Y": the object and its predicate, no adjuncts
                start, end_tok = comp.left_edge.idx, comp.right_edge
                pred = [c for c in tok.rights if c.i > comp.i and (c.dep_ in ("oprd", "xcomp", "ccomp", "dobj")
                        or (c.dep_ == "prep" and c.lower_ == "as"))]
                if pred:
                    end_tok = pred[0].right_edge
            else:
                start, end_tok = comp.left_edge.idx, comp.right_edge
                # "said it was opposed to the test and warned North Korea …": a second reporting
                # verb coordinated inside the complement is the speaker's next act, not content.
                # So is a participle after a comma ("…, noting that …", "…, adding …").
                for c in sorted(comp.subtree, key=lambda t: t.i):
                    if c.i <= comp.i or c.lemma_.lower() not in self.lex.reporting_verbs:
                        continue
                    if (c.dep_ == "conj" and c.head.i == comp.i
                            and not any(g.dep_ in SUBJECT_DEPS for g in c.children)) \
                            or (c.dep_ in ("advcl", "conj", "xcomp") and c.tag_ == "VBG"
                                and c.i > 0 and doc[c.i - 1].text in (",", "—", "–", "--")):
                        cut = c.left_edge.i
                        while cut - 1 > comp.i and doc[cut - 1].dep_ in ("cc", "punct"):
                            cut -= 1
                        end_tok = doc[cut - 1]
                        break
            end = end_tok.idx + len(end_tok)
            semi = text.find(";", start, end)
            if semi > start and comp.dep_ == "ccomp":
                end = semi            # a semicolon starts the writer's own next clause
            if subj.idx >= start and subj.idx < end:        # "X, the IMF said": keep X only
                if comp.i < tok.i:
                    end = _left_of(doc, subj)
            s, e = _strip(text, start, end)
            if e - s < 8 or len(text[s:e].split()) < MIN_CONTENT_TOKENS:
                continue
            if any(a <= s and e <= b for a, b in direct_spans):
                continue                      # reported speech inside a direct quote
            out.append(_Found(content=(s, e), direct=False, cue=tok, speaker_tok=subj,
                              para=self._para(s), attribution=_outside(doc, tok, (s, e))))
        return out

    def _parenthetical(self, doc, verb, subj) -> Optional[_Found]:
        """ "X, Mr. Morgan said, Y." and "X, the IMF said." — the attribution set off by commas."""
        text = _text_of(doc)
        sent = verb.sent
        if verb.dep_ in ("relcl", "acl") or subj.lower_ in ("who", "which", "that"):
            return None       # "Ukraine, which still asserts its ownership, …" is not a report
        core = [subj] + [c for c in verb.children if not c.is_punct]
        lo = min(min(c.left_edge.i for c in core), subj.left_edge.i, verb.i)
        hi = max([c.right_edge.i for c in core if c.i > verb.i] + [verb.i])
        if lo <= sent.start or doc[lo - 1].text not in (",", "—", "–"):
            return None
        after = doc[hi + 1] if hi + 1 < sent.end else None
        if after is not None and after.text not in (",", ".", "—", "–", "!", "?"):
            return None
        if after is None or after.text in (".", "!", "?") and after.i == sent.end - 1 or (
                after.text in (".", "!", "?") and all(t.is_punct for t in doc[after.i:sent.end])):
            s, e = sent.start_char, doc[lo - 1].idx
        else:
            s, e = sent.start_char, sent.end_char
        s, e = _strip(text, s, e)
        if len(text[s:e].split()) < MIN_CONTENT_TOKENS + 1:
            return None
        return _Found(content=(s, e), direct=False, cue=verb, speaker_tok=subj, para=self._para(s),
                      attribution=[(doc[lo].idx, doc[hi].idx + len(doc[hi]))])

    def _according(self, doc, tok) -> Optional[_Found]:
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        sent = tok.sent
        phrase_start, phrase_end = tok.idx, pobj.right_edge.idx + len(pobj.right_edge)
        text = _text_of(doc)
        before = text[sent.start_char:phrase_start]
        if not before.strip(" ,;—–(\"“"):
            s, e = phrase_end, sent.end_char
        else:
            s, e = sent.start_char, phrase_start
            if len(text[phrase_end:sent.end_char].strip(" .,;!?\"”")) > len(before):
                e = sent.end_char
        s, e = _strip(text, s, e)
        if len(text[s:e].split()) < MIN_CONTENT_TOKENS:
            return None
        return _Found(content=(s, e), direct=False, cue=(tok.idx, to.idx + len(to)), speaker_tok=pobj,
                      para=self._para(s), attribution=[(sent.start_char, sent.end_char)])

    # speakers --------------------------------------------------------------------------------
    def _resolve(self, doc, document: Document, found: list[_Found]) -> None:
        text = _text_of(doc)
        self._kinds = {a.id: a.kind for a in document.actors}
        kb = load_kb().entries
        # people the article names in full, whether or not an actor covers them
        self._person_names = {e.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
        self._text_only = {a.id for a in document.actors if a.kb_id is None}
        # actors with a name in the article (not only a description such as "the speaker")
        self._named = {a.id for a in document.actors if any(m.how == "name" for m in a.mentions)}
        self._genders = {a.id: person_gender(a.name, kb[a.kb_id].gender if a.kb_id in kb else None)
                         for a in document.actors if a.kind == "person"}
        last: Optional[ActorRef] = None
        history: list[ActorRef] = []      # speakers so far, in text order
        for f in found:
            if f.parent is not None:
                continue
            if f.speaker_tok == "inherit":
                f.speaker = last
                continue
            if f.speaker_tok is None:
                # no speaker word: the quote most likely goes on from the last statement
                f.speaker = last
                continue
            if isinstance(f.speaker_tok, tuple):          # a name after a dash: (start, end)
                s, e = f.speaker_tok
                f.speaker = self._ref(document, text, None, s, e, last)
                last = f.speaker
                continue
            head = f.speaker_tok
            if head.lower_ in ("who", "which", "that") and head.head.dep_ in ("relcl", "acl") \
                    and head.head.head.pos_ in ("NOUN", "PROPN"):
                head = head.head.head         # "Marc Morial, …, who said …": the antecedent
            s, e = _speaker_phrase(head)
            f.speaker = self._stand_in(doc, document, f, head, s, e,
                                       self._ref(document, text, head, s, e, last), last, history)
            if f.speaker is not None:
                last = f.speaker
                history.append(f.speaker)
        # A quote still without a speaker (it opens the article, or heads the paragraph that
        # names its speaker): the speaker of the next statement close after it.
        for i, f in enumerate(found):
            if f.parent is None and f.speaker is None:
                nxt = next((g for g in found[i + 1:] if g.parent is None and g.speaker is not None), None)
                if nxt is not None and nxt.para - f.para <= 1:
                    f.speaker = nxt.speaker
        spelled = self._spelled_out(text)
        for f in found:
            if f.parent is not None:
                f.speaker = f.parent.speaker
            elif f.speaker is not None and (f.speaker.actor is None or f.speaker.actor in self._text_only):
                short = _LEADING_ARTICLE.sub("", f.speaker.name.strip())
                full = spelled.get(short) or self.short_forms.get(short)
                if full:
                    sp = f.speaker
                    f.speaker = ActorRef(sp.actor, full, sp.country, sp.sector, sp.mention)

    @staticmethod
    def _spelled_out(text: str) -> dict:
        """Abbreviations the article spells out: "the Korean Central News Agency (KCNA)"."""
        out = {}
        for m in _SPELLED.finditer(text):
            full, short = _LEADING_ARTICLE.sub("", m.group(1)), m.group(2)
            words = full.split()
            if len(words) >= 2 and "".join(w[0] for w in words if w[0].isupper()).upper().startswith(short.upper()[:2]):
                out[short] = full
        return out

    def _stand_in(self, doc, document, f: _Found, head, s: int, e: int, ref: ActorRef,
                  last: Optional[ActorRef], history: list) -> ActorRef:
        """Who speaks when the speaker phrase names nobody: a document speaks for its issuer,
        "the ministry" for the ministry named before, "the newspaper" for the paper named before;
        a partial quote whose quoting clause has no speaker as subject keeps the last speaker."""
        words = self.speaker_nouns
        here = ref.mention or Span.of(_text_of(doc), s, e)
        definite = head.tag_ == "NN" and any(t.lower_ in ("the", "this", "that") for t in head.lefts)
        titled = (head.tag_ == "NN" or head.tag_ == "NNP" and head.ent_type_ not in ("ORG", "GPE")) \
            and any(t.lower_ in ("the", "this", "that") for t in head.lefts)
        # the title's head is not a named person's own word ("the Fox News host": Fox News is
        # named, the host is not)
        person_at_head = ref.actor in self._named and self._kinds.get(ref.actor) == "person" \
            and ref.mention is not None and ref.mention.start <= head.idx < ref.mention.end
        if titled and not person_at_head:
            person = _titled_before(doc, head, s)
            if person is not None:
                # "the Fox News host" after "Fox News host Tucker Carlson": the person so titled
                return ActorRef(None, self._full_name(doc, person.text), ref.country, ref.sector, here)
        if head.pos_ in ("PROPN", "PRON") or any(t.pos_ == "PROPN" for t in head.subtree
                                                  if s <= t.idx < e):
            return ref
        lemma = head.lemma_.lower()
        if lemma in words["documents"] and definite:
            issuer = self._issuer(doc, document, head, s)
            if issuer is not None:
                return ActorRef(issuer.actor, issuer.name, issuer.country, issuer.sector, here)
            prior = next((h for h in reversed(history) if h.mention and h.mention.start < s
                          and s - h.mention.start < 1500), None)
            if prior is not None:
                return ActorRef(prior.actor, prior.name, prior.country, prior.sector, here)
            body = self._named_before(doc, document, s, None)
            return body if body is not None else ref
        if lemma in words["bodies"] and definite:
            body = self._named_before(doc, document, s, lemma, media=lemma in words["media"])
            if body is not None:
                return ActorRef(body.actor, body.name, body.country, body.sector, here)
            return ref
        if f.cue is not None and not isinstance(f.cue, tuple) and f.direct and ref.actor is None \
                and lemma not in words["people"] and last is not None and f.partial:
            return last
        if ref.actor is None and head.pos_ == "NOUN" and last is not None and head.ent_type_ == "" \
                and not any(lemma in words[k] or head.lower_ in words[k] for k in ("people", "bodies", "documents", "media")) \
                and last.mention is not None and self._para(s) - self._para(last.mention.start) <= 1:
            # "the conversations", "a waiver": a subject that cannot speak; the words are most
            # likely still those of the one quoted just before
            return ActorRef(last.actor, last.name, last.country, last.sector, here)
        return ref

    def _issuer(self, doc, document, head, before: int) -> Optional[ActorRef]:
        """Who issued "the report": the body named in the sentence that first mentioned a report
        ("a report by the Defense Intelligence Agency", "the review board's report")."""
        text = _text_of(doc)
        word = re.compile(rf"\b{re.escape(head.lower_)}\b", re.I)
        first = next((m.start() for m in word.finditer(text, 0, before) if m.start() < before - len(head.text)), None)
        if first is None:
            return None
        sent = doc.char_span(first, first + len(head.text), alignment_mode="expand")
        if sent is None:
            return None
        # the issuer is written next to the word: "the review board's report", "the agency
        # issued a statement", "a report by the UN"
        a = max(sent.sent.start_char, first - 40)
        m_after = re.match(r"\s+(?:by|from|of)\s+", text[first + len(head.text):first + len(head.text) + 10])
        b = first + len(head.text) + (m_after.end() + 1 if m_after else 0)
        best = None
        for actor in document.actors:
            if actor.kind in ("person", "state"):
                continue
            for m in actor.mentions:
                if a <= m.start < b and m.end <= max(b, first) + 60 and m.how in ("name", "metonym") \
                        and (best is None or abs(m.start - first) < best[0]):
                    best = (abs(m.start - first), ActorRef(actor.id, actor.name, actor.country, actor.sector))
        for ent in sent.sent.ents:
            if ent.label_ == "ORG" and a <= ent.start_char < b and (best is None or abs(ent.start_char - first) < best[0]) \
                    and not document.mentions_in(ent.start_char, ent.end_char):
                best = (abs(ent.start_char - first), ActorRef(None, _LEADING_ARTICLE.sub("", ent.text)))
        return best[1] if best else None

    def _named_before(self, doc, document, before: int, word: Optional[str], media: bool = False):
        """The nearest organisation named before ``before`` whose name has ``word`` (any
        organisation when ``word`` is None; a media organisation for media nouns)."""
        best = None
        for actor in document.actors:
            if actor.kind == "person":
                continue
            for m in actor.mentions:
                if m.end > before or (best is not None and m.start <= best[0]):
                    continue
                if m.how not in ("name", "metonym"):
                    continue
                if word is None or word in m.text.lower() or word in actor.name.lower() \
                        or (media and actor.sector == "MED"):
                    best = (m.start, ActorRef(actor.id, actor.name, actor.country, actor.sector))
        for ent in doc.ents:
            if ent.end_char > before or ent.label_ != "ORG" or (best is not None and ent.start_char <= best[0]):
                continue
            if word is None or word in ent.text.lower() or media:
                best = (ent.start_char, ActorRef(None, _LEADING_ARTICLE.sub("", ent.text)))
        return best[1] if best else None

    def _ref(self, document, text, head, s, e, last: Optional[ActorRef]) -> ActorRef:
        found = document.mentions_in(s, e)
        if _JOINT.match(text[s:e]) and not any(m.how == "group" for _, m in found):
            pair = _last_two(document, s, person=not _JOINT_STATES.search(text[s:e]))
            if pair:
                countries = {a.country for a in pair}
                return ActorRef(None, f"{pair[0].name} and {pair[1].name}",
                                countries.pop() if len(countries) == 1 else None, None, Span.of(text, s, e))
        named = _named_person(head) if head is not None else None
        if named is not None and not any(m.start <= named.start_char < m.end and a.kind == "person"
                                         and named.text.split()[-1] in a.name for a, m in found):
            # "Henry Connelly, a spokesman for Pelosi", "Pence's chief of staff, Marc Short": the
            # person named as the speaker, though only the other name is a known actor
            country = next((a.country for a, m in found), None)
            return ActorRef(None, self._full_name(head.doc, named.text), country, None, Span.of(text, s, e))
        if found:
            actor, mention = _best_mention(found, head)
            joint = [a for a, m in found if m.how == "group" and (m.start, m.end) == (mention.start, mention.end)]
            if mention.how == "group" and len(joint) >= 2:
                # "the two leaders said", "both said": a joint speaker, named "A and B"
                names = [a.name for a in joint]
                countries = {a.country for a in joint}
                return ActorRef(None, " and ".join(names[:-1]) + " and " + names[-1] if len(names) > 2 else
                                f"{names[0]} and {names[1]}", countries.pop() if len(countries) == 1 else None,
                                None, Span(mention.start, mention.end, mention.text))
            if head is not None and head.lower_ in ("he", "she") and last is not None and self._is_person(last) \
                    and mention.how == "pronoun" and actor.id != last.actor and self._fits(last, head.lower_):
                # "…,” he said: a pronoun speaker is the one quoted just before, more often than
                # the last person the text named (who is usually the one talked about).
                return ActorRef(last.actor, last.name, last.country, last.sector,
                                Span.of(text, head.idx, head.idx + len(head)))
            covers = head is not None and mention.start <= head.idx < mention.end
            if head is not None and actor.kind == "person" and mention.how == "name" and head.pos_ == "NOUN" \
                    and head.lower_ in self.speaker_nouns["entourage"] and head.ent_type_ != "PERSON" \
                    and any(t.idx >= mention.start and t.dep_ in ("compound", "poss", "nmod") for t in head.lefts):
                # "the Obama administration", "the Romney campaign": the people around the person
                phrase = _LEADING_ARTICLE.sub("", text[s:e])
                return ActorRef(None, phrase, actor.country, None, Span.of(text, s, e))
            if head is not None and not covers and head.pos_ == "NOUN" and _modifies(mention, head):
                # "Obama administration officials", "a senior U.S. official", "a spokesman for
                # Netanyahu": the speaker is the group or official the name qualifies, named as
                # written, with its country.
                phrase = _LEADING_ARTICLE.sub("", text[s:e])
                return ActorRef(None, phrase, actor.country, actor.sector, Span.of(text, s, e))
            if head is not None and not covers and head.pos_ == "PROPN" and head.ent_type_ == "PERSON" \
                    and not any(m.start <= head.idx < m.end for _, m in found):
                # "Marc Thiessen, a former Bush aide": the named speaker, not the name beside it
                name = _name_of(head)
                return ActorRef(None, self._full_name(head.doc, name.text), actor.country, None,
                                Span.of(text, s, e))
            ref = document.ref(actor, mention)
            people = _PEOPLE_OF.search(mention.text) if actor.kind != "person" else None
            if people and people.group(0) != actor.name and (actor.kind == "state" or actor.sector == "PTY"):
                # "Palestinians said", "House Democrats", "fellow Conservatives": the people of a
                # state or the members of a party, as the article names them
                ref.name = people.group(0)
            elif mention.how == "metonym" and actor.kind != "person" and not self._capital(mention.text):
                # "the White House said": a reader names the body that spoke, not the state
                ref.name = _LEADING_ARTICLE.sub("", mention.text)
            elif mention.how in ("description", "title") and actor.kind != "person" and actor.kb_id is None:
                # "State Department officials", "people familiar with the talks": an unnamed group
                # keeps the words that describe it
                phrase = text[s:e] if s <= mention.start and mention.end <= e and e - s < 80 else mention.text
                ref.name = _LEADING_ARTICLE.sub("", phrase)
            elif actor.kind == "person" and actor.kb_id is None and len(ref.name.split()) == 1:
                ref.name = self._full_name(head.doc if head is not None else None, ref.name)
            return ref
        if head is not None and head.lower_ in PRONOUNS and last is not None and head.lower_ != "i" \
                and self._fits(last, head.lower_):
            return ActorRef(last.actor, last.name, last.country, last.sector,
                            Span.of(text, head.idx, head.idx + len(head)))
        if head is not None and head.lower_ in ("he", "she"):
            # no one quoted before fits: the last person named before whose gender does
            person = self._last_person(document, head.idx, head.lower_)
            if person is not None:
                return ActorRef(person.id, person.name, person.country, person.sector,
                                Span.of(text, head.idx, head.idx + len(head)))
        return ActorRef(None, text[s:e], mention=Span.of(text, s, e))

    @staticmethod
    def _capital(text: str) -> bool:
        """A capital city standing for its government ("Beijing said"), named as the state by
        a reader, unlike a building or institution ("the White House", "the Kremlin")."""
        return " " not in text.strip() and not text.lower().startswith("the")

    def _last_person(self, document, before: int, pronoun: str):
        best = None
        for a in document.actors:
            if a.kind != "person" or not self._fits(ActorRef(a.id, a.name), pronoun):
                continue
            for m in a.mentions:
                if m.how == "name" and m.end <= before and (best is None or m.start > best[0]):
                    best = (m.start, a)
        return best[1] if best else None

    def _is_person(self, ref: ActorRef) -> bool:
        """A person: a person actor, or a person the article names whom no actor covers."""
        if ref.actor:
            return self._kinds.get(ref.actor) == "person"
        return ref.name in self._person_names

    def _fits(self, ref: ActorRef, pronoun: str) -> bool:
        """False when "he"/"she" cannot be ``ref``: a person of the other gender."""
        want = {"he": "m", "she": "f"}.get(pronoun)
        if want is None:
            return True
        have = self._genders.get(ref.actor) if ref.actor else person_gender(ref.name)
        return have in (None, want)

    def _full_name(self, doc, name: str) -> str:
        """A person named by one word ("Kim", "Gao") under the fullest name the article gives
        that contains it ("Kim Jong Un", "Gao Feng")."""
        if doc is None or " " in name.strip():
            return name
        best = name
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent.text) > len(best) and name in ent.text.split():
                best = ent.text
        return best

    # channels --------------------------------------------------------------------------------
    def _channel(self, text: str, f: _Found) -> Optional[str]:
        for a, b in f.attribution:
            region = text[a:b]
            for rx, template in self.lex.channels:
                m = rx.search(region)
                if m:
                    return re.sub(r"\{(\d)\}", lambda g: m.group(int(g.group(1))).strip(), template)
        return None

    def _inherit_channels(self, document: Document) -> None:
        """A quote with no channel of its own, by the same speaker as the statement just before
        it (same or next paragraph), comes from the same post or interview ("Trump wrote" after
        "In a post on Truth Social, Trump said …")."""
        text = document.text
        prev = None
        for q in document.quotes:
            if (q.channel is None and prev is not None and prev.channel and q.speaker and prev.speaker
                    and _same_speaker(q.speaker, prev.speaker)
                    and _lines_between(text, prev.content.end, q.content.start) == 0):
                q.channel = prev.channel
            prev = q

# the capitalised plural a mention ends with ("Palestinians", "House Democrats")
_PEOPLE_OF = re.compile(r"(?:[A-Z][\w.'’-]*\s+)*[A-Z][a-z]+s$")
# "the Korean Central News Agency (KCNA)": a name of capitalised words, then its abbreviation
_SPELLED = re.compile(r"((?:[A-Z][\w.'’-]*\s+(?:(?:of|for|and|the)\s+)?){1,7}[A-Z][\w.'’-]*)\s+\(([A-Z][A-Za-z]{1,9})\)")
# "Zelenskyy: …" / "U.N. chief: …" on a line of its own (a headline, a caption, a social card)
_HEADLINE = re.compile(r"(?m)^[ \t]*((?:[A-Z][\w.'’-]*[ \t]?){1,4}?)[ \t]*:[ \t]+(\S[^\n]{8,200}?)[ \t]*$")
_TITLE_SMALL = frozenset("a an and the of in on for to at by with from or de la".split())
_TITLE_BEFORE = re.compile(r"(?:\b(?:on|in|of|from|the|titled|entitled)|['’]s)\W*$", re.I)


def _title_like(text: str, open_: int, s: int, e: int) -> bool:
    """A quoted title or name ("Meet the Press", the film "Innocence of Muslims"): every word
    capitalised and the phrase set where a title goes, not where words are spoken."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[s:e])
    if not words or len(words) > 8:
        return False
    if not all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words):
        return False
    if all(w.isupper() for w in words if len(w) > 1):
        return False          # SHOUTED words are someone's, not a title
    return bool(_TITLE_BEFORE.search(text[max(0, open_ - 20):open_]))


def _quoting_verb(doc, s: int, e: int):
    """The verb that quotes a phrase: up the parse from the phrase to the first verb outside it
    that has a subject ("Russia called the move “extremely negative”" → called)."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return None
    node = span.root
    for _ in range(12):
        if node.head is node:
            break
        node = node.head
        if node.idx >= e or node.idx < s:
            if node.pos_ in ("VERB", "AUX") and _subject(node) is not None:
                return node
    return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _lines_between(text: str, a: int, b: int) -> int:
    """Non-blank lines wholly between offsets a and b (0: same or adjacent paragraphs)."""
    return sum(1 for line in text[a:b].split("\n")[1:-1] if line.strip())

_DASH_NAME = re.compile(r"[ \t]*[,.]?[ \t]*([―—–]|--?)[ \t]*([A-Z][^\n]{1,80}?)[ \t]*(?=\n|$)")
_STOP = re.compile(r"[.!?](?=[\s\"”’']|$)|\n")


def _sentence_end(text: str, start: int, limit: int) -> int:
    """Where the attribution after a closing mark stops: a full stop (not one of an abbreviation
    or an initial), a line break, or ``limit``."""
    abbreviations = lexicon().abbreviations
    pos = start
    while True:
        m = _STOP.search(text, pos, limit)
        if not m:
            return limit
        if text[m.start()] == ".":
            word = re.search(r"([\w.]+)$", text[max(start, m.start() - 12):m.start()])
            w = word.group(1).lower() if word else ""
            if w in abbreviations or (len(w) == 1 and w.isalpha()):
                pos = m.end()
                continue
        return m.start()


def _sentence_start(text: str, idx: int, floor: int) -> int:
    best = floor
    for m in re.finditer(r"[.!?][\"”’']?\s+|\n", text[floor:idx]):
        best = floor + m.end()
    return best


def _starts_sentence(text: str, idx: int) -> bool:
    before = text[:idx].rstrip()
    return not before or before[-1] in ".!?:\n—–-\"”" or text[max(0, idx - 1)] == "\n"


def _that_clause(verb):
    """A that-clause the parser hung on a noun after the verb instead of on the verb ("told Fox
    News in an interview that …" → acl of "interview")."""
    for t in verb.subtree:
        if t.i <= verb.i or t.dep_ not in ("acl", "advcl", "relcl"):
            continue
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children):
            continue
        node, ok = t.head, True
        while node.i != verb.i:
            if node.dep_ not in ("pobj", "prep", "dobj", "npadvmod", "compound"):
                ok = False
                break
            node = node.head
        if ok:
            return t
    return None


def _attribution_follows(doc, close: int, cue) -> bool:
    """True when the words right after a closing mark are the attribution: the cue itself or the
    start of its subject ("…,” said Peskov" / "…,” the Kremlin said")."""
    span = doc.char_span(close, cue.idx + len(cue), alignment_mode="expand")
    if span is None:
        return False
    first = next((t for t in span if not t.is_punct and not t.is_space and t.idx >= close), None)
    if first is None or first.i == cue.i:
        return True
    for subj in (_subject(cue), next((c for c in cue.children if c.dep_ in SUBJECT_DEPS), None)):
        if subj is not None and subj.left_edge.i <= first.i <= subj.i:
            return True
    return first.pos_ in ("ADV", "AUX") and first.i + 1 == cue.i


def _left_of(doc, subj) -> int:
    """End of the content before an inverted attribution ("…, the IMF said")."""
    left = subj.left_edge
    return left.idx


def _outside(doc, verb, content: tuple[int, int]) -> list[tuple[int, int]]:
    sent = verb.sent
    s, e = content
    out = []
    if sent.start_char < s:
        out.append((sent.start_char, s))
    if e < sent.end_char:
        out.append((e, sent.end_char))
    return out
