"""Direct and indirect quotes with their speakers, cues and channels.

Direct quotes are found from the quotation marks (every common style; multi-paragraph quotes follow
the open-paragraph convention: a paragraph that opens a quote without closing it continues into the
next paragraph when that one opens with a quote mark). Each is attributed to the reporting verb
next to it ("…,” he said), before it ("He said: “…”") or between its halves (split quotes).

Indirect speech comes from the dependency parse: a reporting verb (``data/quotes/reporting_verbs.txt``)
with a subject and a clausal complement ("X said (that) …"), "according to X, …", and a few verbs
whose content is an infinitive or object ("urged X to …", "called for …").

One statement is one Quote: when an attribution interrupts a quote ("X," he said, "Y") or a quote
continues in the same paragraph after its attribution, the content span runs from the first quoted
word to the last (this is also how PolNeAR, our quote gold set, marks them).

Speakers go through the actor stage (``Document.mentions_in``); a pronoun no actor covers falls back
to the speaker of the quote before it; a speaker no actor covers ("officials", "reports") is kept as
an ActorRef without an actor id, so its mention span is still there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional


from .datafiles import data_path, load_yaml
from .errors import KnowledgeBaseError
from .model import Actor, ActorRef, Document, Mention, Quote, Span
from .pipeline import doc_text

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Children of a speaker's head word that still belong to the speaker phrase ("a spokesman for the
# ministry, Heorhii Tykhyi"); relative clauses and the like are left out.
SPEAKER_RIGHT_DEPS = ("appos", "prep", "compound", "flat", "pobj", "nummod")
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
MIN_UNCUED_WORDS = 6   # a quote with no attribution and fewer words is a scare quote or a title
MIN_CONTENT_TOKENS = 3


# -- data ------------------------------------------------------------------------------------
def _data_path(name: str):
    return data_path("quotes", name)


def _word_list(name: str) -> frozenset[str]:
    path = _data_path(name)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=str(exc)) from None
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _yaml(name: str):
    return load_yaml("quotes", name)


@dataclass(frozen=True)
class QuoteLexicon:
    reporting_verbs: frozenset
    complement_verbs: frozenset
    channels: tuple            # (compiled regex, channel template)
    double: dict
    single: dict
    abbreviations: frozenset


@lru_cache(maxsize=1)
def lexicon() -> QuoteLexicon:
    channels = []
    for i, entry in enumerate(_yaml("channels.yaml") or []):
        try:
            channels.append((re.compile(entry["pattern"]), entry["channel"]))
        except (KeyError, TypeError, re.error) as exc:
            raise KnowledgeBaseError.e("E401", path=str(_data_path("channels.yaml")),
                                       reason=f"entry {i + 1}: {exc}") from None
    marks = _yaml("quote_marks.yaml") or {}
    return QuoteLexicon(_word_list("reporting_verbs.txt"), _word_list("complement_verbs.txt"),
                        tuple(channels), marks.get("double", {}), marks.get("single", {}),
                        _word_list("abbreviations.txt"))


# -- quotation marks -------------------------------------------------------------------------
@dataclass
class _Quoted:
    open: int          # index of the opening mark
    start: int         # first character inside the marks
    end: int           # end of the quoted text (the closing mark's start)
    close: int         # index just after the closing mark (== end when unclosed)


def _marks(text: str, kinds: dict):
    """(index, length, role) of every mark of one family, in text order."""
    found = []
    for role in ("open", "close", "either"):
        for m in kinds.get(role, []):
            for hit in re.finditer(re.escape(m), text):
                found.append((hit.start(), len(m), role))
    found.sort(key=lambda f: (f[0], -f[1]))
    out, last_end = [], -1
    for i, n, role in found:   # '' is one mark, not two
        if i >= last_end:
            out.append((i, n, role))
            last_end = i + n
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def find_quoted(text: str, lex: Optional[QuoteLexicon] = None) -> list[_Quoted]:
    """Spans inside quotation marks: double marks first, then single marks outside them."""
    lex = lex or lexicon()
    spans = _scan(text, _marks(text, lex.double), single=False)
    covered = [(q.open, q.close) for q in spans]
    singles = [q for q in _scan(text, _marks(text, lex.single), single=True)
               if not any(a <= q.open < b for a, b in covered)]
    return sorted(spans + singles, key=lambda q: q.open)


def _scan(text: str, marks, single: bool) -> list[_Quoted]:
    out: list[_Quoted] = []
    cur: Optional[int] = None     # index of the open mark
    cur_start = 0                 # first character inside it
    seg = 0                       # start of the quote's current paragraph
    n = len(text)
    for i, length, role in marks:
        before = text[i - 1] if i > 0 else " "
        after = text[i + length] if i + length < n else " "
        if single:
            # An apostrophe (don't, Ukraine's, '90s) sits between letters or after one; only a
            # mark with a space on the outside and a word on the inside is a quote mark.
            can_open = role in ("open", "either") and not _is_word(before) and (_is_word(after) or after in "\"“")
            can_close = role in ("close", "either") and not before.isspace() and not _is_word(after)
        else:
            can_open = role == "open" or (role == "either" and not after.isspace()
                                         and (before.isspace() or before in "([—–-/" or i == 0))
            can_close = role == "close" or (role == "either" and not before.isspace())
        if cur is not None:
            nl = text.find("\n", seg, i)
            if nl >= 0:
                # The quote ran past its paragraph. Open-paragraph convention: it goes on when
                # the next paragraph opens with a quote mark, else it ended with its paragraph.
                last_nl = text.rfind("\n", seg, i)
                if can_open and not text[last_nl + 1:i].strip() and text[seg:nl].strip():
                    seg = i + length
                    continue
                out.append(_Quoted(cur, cur_start, nl, nl))
                cur = None
            elif can_close:
                out.append(_Quoted(cur, cur_start, i, i + length))
                cur = None
                continue
            elif role == "open":
                cur, cur_start, seg = i, i + length, i + length   # unclosed before: restart here
                continue
            else:
                continue
        if can_open:
            cur, cur_start, seg = i, i + length, i + length
    if cur is not None:
        end = text.find("\n", seg)
        end = n if end < 0 else end
        out.append(_Quoted(cur, cur_start, end, end))
    return [q for q in out if text[q.start:q.end].strip()]


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


class QuoteFinder:
    def __init__(self, nlp):
        self.nlp = nlp
        self.lex = lexicon()

    # public entry point --------------------------------------------------------------------
    def annotate(self, doc, document: Document) -> None:
        text = doc.text
        self._para_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        direct = self._direct(doc, document)
        used_cues = {f.cue.i for f in direct if f.cue is not None and not isinstance(f.cue, tuple)}
        quoted = [(q.start, q.end) for q in find_quoted(text, self.lex)]
        indirect = self._indirect(doc, used_cues, [f.content for f in direct], quoted)
        # A cue-less direct quote inside reported speech is a partial quote: the reported
        # statement is the quote ("Clinton says Trump's “latest meltdown is unhinged”").
        kept = []
        for f in direct:
            if f.cue is None and any(s <= f.content[0] and f.content[1] <= e for s, e in
                                     (g.content for g in indirect)):
                continue
            kept.append(f)
        found = sorted(kept + indirect, key=lambda f: f.content[0])
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
        text = doc.text
        quoted = find_quoted(text, self.lex)
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
            # Split quote: "X," he said, "Y" — the attribution sits between two quotes.
            end_q = q
            j = i
            if cue is not None and where == "after" and nxt is not None and tail_end == nxt.open \
                    and self._para(nxt.open) == self._para(q.open) \
                    and len(text[q.close:nxt.open].split()) <= _phrase_words(cue) + 4:
                end_q = nxt
                j = i + 1
            para = self._para(q.open)
            content = (s, _strip(text, end_q.start, end_q.end)[1])
            if mid and cue is not None and where == "after":
                # A partial quote ending a paraphrase ("Using the tax ''is a misguided approach,''
                # he said"): the statement is the whole sentence before the attribution.
                content = (_strip(text, head_start, s)[0], content[1])
            words = len(text[content[0]:content[1]].split())
            prev = out[-1] if out else None
            dash = None
            if cue is None:
                # "“…” ― Oscar P. Quintero": a name after a dash closes the paragraph
                m = _DASH_NAME.match(text, end_q.close)
                if m:
                    dash = m
            if cue is None and dash is None and prev is not None and prev.direct and prev.para == para \
                    and text[prev.content[1]:q.open].count("\n") == 0 and _sentence_gap(text, prev.content[1], q.open):
                prev.content = (prev.content[0], content[1])     # the quote goes on after "he said."
                i = j + 1
                continue
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
            f = _Found(content=content, direct=True, cue=cue, para=para)
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

    # indirect speech -------------------------------------------------------------------------
    def _indirect(self, doc, used_cues: set, direct_spans, quoted) -> list[_Found]:
        text = doc.text
        out: list[_Found] = []
        for tok in doc:
            if any(a <= tok.idx < b for a, b in quoted):
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
                for c in comp.rights:
                    if c.dep_ == "conj" and c.lemma_.lower() in self.lex.reporting_verbs \
                            and not any(g.dep_ in SUBJECT_DEPS for g in c.children):
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
        text = doc_text(doc)
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
        text = doc.text
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
        text = doc.text
        last: Optional[ActorRef] = None
        for f in found:
            if f.speaker_tok == "inherit":
                f.speaker = last
                continue
            if f.speaker_tok is None:
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
            f.speaker = self._ref(document, text, head, s, e, last)
            if f.speaker is not None:
                last = f.speaker

    def _ref(self, document, text, head, s, e, last: Optional[ActorRef]) -> ActorRef:
        found = document.mentions_in(s, e)
        if found:
            actor, mention = _best_mention(found, head)
            return document.ref(actor, mention)
        if head is not None and head.lower_ in PRONOUNS and last is not None and head.lower_ != "i":
            return ActorRef(last.actor, last.name, last.country, last.sector,
                            Span.of(text, head.idx, head.idx + len(head)))
        return ActorRef(None, text[s:e], mention=Span.of(text, s, e))

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


def _lines_between(text: str, a: int, b: int) -> int:
    """Non-blank lines wholly between offsets a and b (0: same or adjacent paragraphs)."""
    return sum(1 for line in text[a:b].split("\n")[1:-1] if line.strip())


def _same_speaker(a: ActorRef, b: ActorRef) -> bool:
    if a.actor or b.actor:
        return a.actor == b.actor
    return bool(a.name) and bool(b.name) and a.name.split()[-1].lower() == b.name.split()[-1].lower()


# -- helpers ---------------------------------------------------------------------------------


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces, quote marks and the comma before an attribution off both ends of a span."""
    while s < e and (text[s].isspace() or text[s] in "\"“”‘’'«»`,;:—–"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–\"“”‘’'«»`"):
        e -= 1
    return s, e


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


def _sentence_gap(text: str, a: int, b: int) -> bool:
    """True when the text between two quotes is one short attribution sentence or nothing."""
    gap = text[a:b]
    if "\n" in gap or len(gap) > 400:
        return False
    return _sentence_end(gap, 0, len(gap)) >= len(gap.rstrip(" \"“”'`")) - 1


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
    subj = _subject(cue)
    if subj is not None and subj.left_edge.i <= first.i <= subj.i:
        return True
    return first.pos_ in ("ADV", "AUX") and first.i + 1 == cue.i


def _phrase_words(cue) -> int:
    subj = _subject(cue)
    if subj is None:
        return 1
    s, e = _speaker_phrase(subj)
    return len(doc_text(cue.doc)[s:e].split()) + 1


def _subject(verb):
    """The speaker word of a reporting verb: its subject, the agent of a passive, or the subject
    of the verb it hangs from ("…, adding that …", "said and added")."""
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS:
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        for c in verb.head.children:
            if c.dep_ in SUBJECT_DEPS:
                return c
    # A parse that lost the subject: the name or pronoun right before the verb ("… Trump said").
    i = verb.i - 1
    while i >= verb.sent.start and verb.doc[i].pos_ in ("AUX", "ADV", "PART"):
        i -= 1
    if i >= verb.sent.start and verb.doc[i].pos_ in ("PROPN", "PRON", "NOUN") and verb.doc[i].dep_ != "dobj":
        return verb.doc[i]
    return None


def _speaker_phrase(tok) -> tuple[int, int]:
    start = tok.left_edge.idx
    end = tok.idx + len(tok)
    for c in tok.rights:
        if c.dep_ in SPEAKER_RIGHT_DEPS:
            r = c.right_edge
            end = max(end, r.idx + len(r))
    for c in tok.lefts:
        if c.dep_ in ("relcl", "acl"):
            start = max(start, c.right_edge.idx + len(c.right_edge))
    text = doc_text(tok.doc)
    # a speaker never runs across a line break (a dateline or time stamp above is not part of it)
    nl = text.rfind("\n", start, tok.idx)
    if nl >= 0:
        start = nl + 1
    nl = text.find("\n", tok.idx, end)
    if nl >= 0:
        end = nl
    while end > start and text[end - 1] in ",;:—– ":
        end -= 1
    return start, end


def _best_mention(found, head) -> tuple[Actor, Mention]:
    def rank(am):
        actor, m = am
        covers_head = head is not None and m.start <= head.idx < m.end
        person = actor.kind == "person"
        # A named person in the phrase beats the description it is in apposition to ("a
        # spokesman for the ministry, Heorhii Tykhyi"), which beats other names in it ("U.S.").
        return (not (person and m.how == "name"), not covers_head, m.how != "name")
    return min(found, key=rank)


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
