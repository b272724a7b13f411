"""Actor mentions → canonical actors, with in-article coreference.

The stage works on noun phrases of the spaCy parse. Every phrase that names or describes a
political participant becomes a ``Mention`` of an ``Actor``:

1. *Gazetteer*: surface forms from the knowledge base (``kb.py``) are found in the text, longest
   first: states by name ("Russia") and adjective ("Russian"), seats of power ("the Kremlin",
   "Moscow"), organisations ("NATO", "Hamas"), people ("Dmitry Peskov", "Putin").
2. *Phrases*: each found form, named entity (PERSON, ORG, NORP) and agent word ("delegation",
   "troops", "spokesman") is lifted to the head of its noun phrase; the phrase keeps its modifiers,
   an apposition and an "of/for …" complement ("a spokesman for Ukraine's Ministry of Foreign
   Affairs, Heorhii Tykhyi"), so the mention span is the phrase a reader would underline.
3. *Resolution* of a phrase, first rule that applies: a person named in it (known → the knowledge
   base, with the role held at the publication date; unknown → placed by the country words and
   the title around the name); an organisation named at its head; a title with no name ("the
   Kremlin leader", "the president") → the holder of that title at the publication date, or the
   person with that title already in the article; an agent word at its head → a description actor
   for (country, sector, noun) ("the Russian delegation" → RUS GOV, "Ukrainian forces" → UKR MIL);
   a state or seat of power → the state ("Russia") or its government ("Moscow", "the Kremlin").
   States and capitals used as places ("the war in Ukraine", "talks in Istanbul") are not actors.
4. *Coreference*: surnames after full names; he/she/his/her → the most salient compatible person
   before it (the nearest sentence with a candidate; a subject outside quotation marks first);
   "they/their" → the latest plural or collective non-person actor; "the two sides" / "both
   countries" → the last pair of actors joined by "and" (states for sides/countries, people for
   leaders/men), one ``group`` mention on each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Actor, Document, Mention
from .kb import Entry, KnowledgeBase, load_kb
from .kinds import in_location_role, person_gender, strip_count, words

MOD_DEPS = {"compound", "amod", "poss", "nmod", "flat", "nummod", "det", "case", "quantmod", "npadvmod"}
NOUNISH = {"NOUN", "PROPN"}
COMPLEMENT_PREPS = {"of", "for"}
CONTEXT_PREPS = {"in", "from"}
MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
PLURAL = {"they", "them", "their", "theirs"}
TWO_WORDS = re.compile(r"^(?:the\s+)?(?:two|both)\s+(sides|countries|nations|states|leaders|men|presidents|governments|parties|delegations)$", re.I)
PERSON_PAIR_NOUNS = {"leaders", "men", "presidents", "ministers", "foreign ministers", "heads of state"}
FORMER = {"former", "ex", "retired", "disgraced", "ousted", "deposed", "late"}
SKIP_PERSONS = {"god", "allah", "jesus"}
MAX_SPAN_TOKENS = 14
DETERMINERS = {"the", "a", "an"}
STANCE_PREFIXES = {"pro", "anti", "non"}
NOT_LOCAL = {"foreign", "international", "western", "multinational", "peacekeeping", "allied", "regional"}
# sectors of actors that belong to a state, so that the state around them places them
# states where a person's family name comes first ("Kim Jong Un" → "Kim")
FAMILY_NAME_FIRST = {"CHN", "PRK", "KOR", "TWN", "VNM", "HKG", "MNG", "HUN"}
PLACED_SECTORS = {"GOV", "MIL", "COP", "LEG", "JUD", "SPY", "OPP", "PTY", "ELI"}


@dataclass
class Hit:
    start: int          # token index
    end: int            # token index, exclusive
    entry: Optional[Entry]
    how: str            # name / adjective / metonym / place
    country: Optional[str] = None  # for places


@dataclass
class Phrase:
    head: object                     # spaCy Token
    tokens: list = field(default_factory=list)
    context: list = field(default_factory=list)   # tokens that inform but are not underlined


class ActorResolver:
    """The ``eventwire_actors`` stage."""

    def __init__(self, nlp=None, kb: Optional[KnowledgeBase] = None):
        self.nlp = nlp
        self.kb = kb or load_kb()

    def annotate(self, doc, document: Document) -> None:
        date = (document.published or "")[:10] or None
        _Run(self.kb, doc, document, date).run()


class _Run:
    def __init__(self, kb: KnowledgeBase, doc, document: Document, date: Optional[str]):
        self.kb, self.doc, self.document, self.date = kb, doc, document, date
        self.text = doc.text
        self.actors: dict = {}          # key → Actor
        self.quotes = _quote_regions(self.text)
        self.hits: list[Hit] = []
        self.tok_hit: dict[int, Hit] = {}
        self.ent_of: dict[int, object] = {}
        self.used: set[int] = set()     # tokens already inside a mention
        self.pairs_pending: list = []   # (first token, end token, noun) of "the two sides"
        self.titles_pending: list = []  # (head token, start, end, title) of a bare "the president"

    # -- driver ----------------------------------------------------------------------------
    def run(self) -> None:
        doc = self.doc
        # The pipeline's fast path leaves sentences without an event or quote cue unparsed
        # (tokens and entities only): there, words stand in for tags and a linear rule for the
        # dependency tree.
        self._parsed = [bool(t.dep_) for t in doc]
        self._low = [t.lower_ for t in doc]
        self._lem = [(t.lemma_ or _crude_lemma(t.lower_)).lower() for t in doc]
        self._noun = [t.pos_ in NOUNISH if self._parsed[t.i] else t.is_alpha for t in doc]
        self._propn = [t.pos_ == "PROPN" if self._parsed[t.i] else (t.is_alpha and t.text[:1].isupper())
                       for t in doc]
        self._punct = [t.is_punct for t in doc]
        self._linear: dict = {}
        self._gazetteer()
        for ent in self.doc.ents:
            for t in ent:
                self.ent_of[t.i] = ent
        for h in self._heads():
            if h.i in self.used:
                continue
            self._resolve(self._phrase(h))
        self._pronouns_and_groups()
        self._finish()

    # -- 1. gazetteer ------------------------------------------------------------------------
    def _gazetteer(self) -> None:
        doc, kb = self.doc, self.kb
        n = len(doc)
        width = min(kb.max_words, 10)
        # plain lists: building Span objects for every window is the slow part
        texts = [t.text for t in doc]
        spaces = [t.whitespace_ for t in doc]
        punct = [t.is_punct or t.is_space for t in doc]
        starts = kb.first_words
        blocked = set()
        i = 0
        while i < n:
            first = texts[i]
            if punct[i] or (first not in starts and first.upper() not in starts):
                i += 1
                continue
            found = None
            for L in range(min(width, n - i), 0, -1):
                if punct[i + L - 1] and L > 1:
                    continue
                surface = "".join(texts[k] + spaces[k] for k in range(i, i + L - 1)) + texts[i + L - 1]
                if "\n" in surface:
                    continue
                cands = kb.lookup(surface)
                if cands:
                    found = Hit(i, i + L, *self._choose(cands))
                    if self._other_first_name(found):
                        # later bare "Carney"s are that other person too, unless the known one
                        # holds office then (a "Melania Trump" leaves "Trump" to the president)
                        if not any(r.holds(self.date) for r in found.entry.roles):
                            blocked.add(found.entry.id)
                        found = None
                    elif found.entry.id in blocked and found.end - found.start == 1:
                        found = None
                    break
                if L == 1 and surface.endswith("s") and surface[:1].isupper():
                    cands = [c for c in kb.lookup(surface[:-1]) if c[1] == "adjective"]
                    if cands:  # "Russians", "Israelis": people of that nation
                        found = Hit(i, i + L, *self._choose(cands))
                        break
                is_place, country = kb.place(surface)
                if is_place:
                    found = Hit(i, i + L, None, "place", country)
                    break
            if found:
                self.hits.append(found)
                for k in range(found.start, found.end):
                    self.tok_hit[k] = found
                i = found.end
            else:
                i += 1

    def _other_first_name(self, hit: Hit) -> bool:
        """True when a known person's surname is the end of a full name whose first name is not
        theirs ("Jay Carney" is not the KB's "Mark Carney"): that person is someone else."""
        e = hit.entry
        if e is None or e.kind != "person" or hit.how != "name" or hit.end - hit.start != 1 or hit.start == 0:
            return False
        prev = self.doc[hit.start - 1]
        first = prev.text.lower()
        # a first name the name lists know, not any capitalised word ("Team Obama")
        if person_gender(f"{prev.text} {hit.entry.name}") is None:
            return False
        known = {w.lower() for n in (e.name,) + tuple(e.aliases) for w in n.split()[:-1]}
        return bool(known) and first not in known

    def _choose(self, cands) -> tuple[Entry, str]:
        if len(cands) == 1:
            eid, how = cands[0]
            return self.kb.entries[eid], how

        def rank(c):
            e = self.kb.entries[c[0]]
            held = e.kind == "person" and any(r.holds(self.date) for r in e.roles)
            return (not held, c[1] != "name")
        eid, how = min(cands, key=rank)
        return self.kb.entries[eid], how

    # -- 2. phrases --------------------------------------------------------------------------
    def _heads(self):
        """Phrase heads worth resolving, in text order."""
        doc = self.doc
        anchors = set()
        for hit in self.hits:
            anchors.add(_root(doc[hit.start:hit.end]).i)
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG", "NORP"):
                anchors.add(ent.root.i)
        agent_toks = set()
        for ag in self._agents(list(doc), exclude=set(self.tok_hit)):
            anchors.add(ag[3])
            agent_toks.update(range(ag[2], ag[3] + 1))
        for t in doc:
            if t.lower_ in MALE | FEMALE | PLURAL and (t.pos_ == "PRON" or not self._parsed[t.i]):
                anchors.add(t.i)
            elif t.lower_ in ("sides", "countries", "nations", "leaders", "men", "presidents",
                              "governments", "parties", "delegations"):
                anchors.add(t.i)
        anchors = {i for i in anchors if self._parsed[i]}
        anchors |= self._linear_phrases(agent_toks)
        heads = sorted({_phrase_head(doc[i]).i for i in anchors})
        # An of/for complement or apposition of another head belongs to that head's phrase.
        inner = set()
        for i in heads:
            t = doc[i]
            outer = _attached_to(t)
            if outer is not None and _phrase_head(outer).i in heads and _phrase_head(outer).i != i:
                inner.add(i)
        return [doc[i] for i in heads if i not in inner]

    def _linear_phrases(self, agent_toks: set) -> set:
        """Phrases in unparsed sentences: runs of words that name or describe an actor (a
        determiner, names from the knowledge base, PERSON/ORG/NORP entities, agent words, a
        possessive 's between them); the last word is the head."""
        doc = self.doc
        ent_toks = {i for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP") for i in range(e.start, e.end)}
        phrasal = set(self.tok_hit) | ent_toks | agent_toks
        heads = set()
        run: list = []

        def close():
            while run and (doc[run[-1]].lower_ in DETERMINERS or doc[run[-1]].text in ("'s", "’s")):
                run.pop()
            while run and doc[run[0]].text in ("'s", "’s"):
                run.pop(0)
            if run:
                self._linear[run[-1]] = [doc[k] for k in run]
                heads.add(run[-1])
            run.clear()

        for t in doc:
            if self._parsed[t.i]:
                close()
                continue
            adj_pair = (run and t.lower_ in ("and", "or") and _is_adj(self.tok_hit.get(run[-1]))
                        and _is_adj(self.tok_hit.get(t.i + 1)))  # "Russian and Ukrainian soldiers"
            if t.i in phrasal or (not run and t.lower_ in DETERMINERS) or adj_pair or \
                    (run and t.text in ("'s", "’s") and t.i + 1 in phrasal):
                if run and t.lower_ in DETERMINERS:
                    close()
                run.append(t.i)
            else:
                close()
            if t.lower_ in MALE | FEMALE | PLURAL:
                close()
        close()
        return heads

    def _phrase(self, h) -> Phrase:
        if h.i in self._linear:
            return Phrase(head=h, tokens=self._linear[h.i])
        p = Phrase(head=h)
        toks = set(_left_part(h))
        for c in h.rights:
            if c.dep_ == "appos":
                if not self._appos_fits(h, c):
                    continue
                toks.update(_left_part(c))
                toks.add(c)
                for cc in c.rights:
                    if cc.dep_ == "prep" and cc.lower_ in COMPLEMENT_PREPS:
                        toks.update(cc.subtree)
            elif c.dep_ == "prep" and c.lower_ in COMPLEMENT_PREPS:
                sub = list(c.subtree)
                # a noun phrase complement only ("for Ukraine's Ministry"), not a clause
                # ("an appeal for deploying troops along its borders")
                if len(sub) <= 12 and not any(x.dep_ in ("relcl", "acl") or x.pos_ in ("VERB", "AUX") for x in sub):
                    toks.update(sub)
            elif c.dep_ == "prep" and c.lower_ in CONTEXT_PREPS:
                p.context.extend(x for x in c.subtree if len(list(c.subtree)) <= 6)
            elif c.dep_ in ("compound", "flat") or (c.dep_ == "nummod" and False):
                toks.add(c)
        # an apposition to the right reached through the of/for complement ("a spokesman for X, Name")
        for t in list(toks):
            for c in t.rights:
                if c.dep_ == "appos" and c.i > h.i and self._appos_fits(h, c):
                    toks.update(_left_part(c))
                    toks.add(c)
        ordered = sorted(toks, key=lambda t: t.i)
        # keep it contiguous and short: drop anything past a break
        p.tokens = _contiguous(ordered, h)
        return p

    def _is_name(self, t) -> bool:
        hit = self.tok_hit.get(t.i)
        if hit is not None:
            return hit.entry is not None and hit.entry.kind == "person"
        return t.ent_type_ == "PERSON"

    def _is_agent(self, t) -> bool:
        return self._noun[t.i] and (self._lem[t.i] in self.kb.agents or t.lower_ in self.kb.agents)

    def _appos_fits(self, h, c) -> bool:
        """An apposition is part of the phrase when it names the person a title describes ("a
        spokesman, Heorhii Tykhyi") or describes the person named ("Tykhyi, a spokesman").
        Not across a dash or bracket: "HONG KONG (Reuters) - Hong Kong leader Carrie Lam" is a
        dateline and the sentence's subject, not one phrase."""
        lo, hi = sorted((h.i, c.i))
        if any(t.text in ("-", "–", "—", ")") for t in self.doc[lo:hi]):
            return False
        return (self._is_name(c) and not self._is_name(h)) or (self._is_name(h) and self._is_agent(c)) \
            or (self._is_agent(h) and self._is_name(c))

    # -- 3. resolution -----------------------------------------------------------------------
    def _resolve(self, p: Phrase) -> None:
        doc, kb, h = self.doc, self.kb, p.head
        toks = p.tokens
        low = h.lower_
        if h.pos_ == "PRON" or (not self._parsed[h.i] and low in MALE | FEMALE | PLURAL):
            return  # pronouns after every named mention exists
        # "the two sides", "both countries"
        span_text = doc[toks[0].i:toks[-1].i + 1].text if toks else h.text
        if TWO_WORDS.match(span_text.strip()):
            self.pairs_pending.append((toks[0].i, toks[-1].i + 1, h.lower_))
            return
        # a count is not part of the actor: "about 1,200 Ukrainian prisoners" are the prisoners
        kept = strip_count(toks)
        if len(kept) < len(toks) and h in kept:
            toks = kept
        idx = {t.i for t in toks}
        hits = _unique([self.tok_hit[i] for i in sorted(idx) if i in self.tok_hit])
        ctx_hits = _unique([self.tok_hit[t.i] for t in p.context if t.i in self.tok_hit])

        persons = [x for x in hits if x.entry is not None and x.entry.kind == "person"]
        person_ents = [e for e in _unique([self.ent_of.get(i) for i in sorted(idx)]) if e is not None
                       and e.label_ == "PERSON" and not any(k in self.tok_hit for k in range(e.start, e.end))]
        person_ents = [e for e in person_ents if self._is_person(e)]
        country, how_c = self._country(hits + ctx_hits, toks, p.context)
        agents = self._agents(toks, exclude={i for x in hits for i in range(x.start, x.end)}
                              | {i for e in person_ents for i in range(e.start, e.end)})
        former = any(t.lower_ in FORMER for t in toks)
        start, end = self._span(toks)
        if not (persons or person_ents) and country is None and not self._named_body(hits, h) \
                and not self._names_below(h):
            # Nobody in particular: weapons with no owner ("48 missiles"), party plurals that
            # only the story's pair can fill ("the presidents" → that pair, else nobody), and
            # words for anybody ("other people").
            w, lem = words(), self._lem[h.i]
            if lem in w["equipment"] or low in w["equipment"]:
                return
            if low in w["party_plurals"] or lem in w["vague_nouns"] or low in w["vague_nouns"]:
                if low in w["party_plurals"] and toks[0].lower_ in ("the", "both", "all"):
                    self.pairs_pending.append((toks[0].i, toks[-1].i + 1, low))
                return

        # a person named in the phrase
        if persons or person_ents:
            if persons:
                hit = next((x for x in persons if x.start <= h.i < x.end), persons[0])
                actor = self._kb_person(hit.entry, former)
            else:
                ent = next((e for e in person_ents if e.start <= h.i < e.end), person_ents[0])
                title = self._title_sector(agents, before=ent.start)
                sector = "ELI" if former else title
                actor = self._unknown_person(ent, country, sector, agents)
            self._mention(actor, start, end, "name", toks)
            return

        # an organisation at the head
        head_hit = self.tok_hit.get(h.i)
        if (head_hit is not None and head_hit.entry is not None and head_hit.entry.kind != "state"
                and country not in _foreign(head_hit.entry)):
            head_hit = None  # "Brazil's Defense Ministry" is not the Pentagon
            agents = self._agents(toks, exclude={i for x in hits for i in range(x.start, x.end)
                                                 if x.entry is None or x.entry.kind == "state"})
        if head_hit is not None and head_hit.entry is not None and head_hit.entry.kind != "state":
            e = head_hit.entry
            actor = self._get(e.id, lambda: Actor("", e.name, e.kind, e.country, e.sector, None, e.id))
            self._mention(actor, start, end, "name", toks)
            return

        # a name right after a title that the NER missed or took for a place or an organisation
        # ("lawmaker Oleksiy Goncharenko")
        ent = self.ent_of.get(h.i)
        if head_hit is None and self._propn[h.i] and (ent is None or ent.label_ in ("ORG", "GPE", "NORP")):
            first = h.i
            while first - 1 >= toks[0].i and self._propn[first - 1] and first - 1 not in self.tok_hit:
                first -= 1
            if any(a[1] and a[3] == first - 1 for a in agents):
                name = self.doc[first:h.i + 1]
                title = self._title_sector(agents, before=first)
                actor = self._unknown_person(name, country, "ELI" if former else title, agents)
                self._mention(actor, start, end, "name", toks)
                return

        # an unknown organisation named by NER at the head
        if (ent is not None and ent.label_ == "ORG" and head_hit is None
                and not (h.dep_ == "pobj" and h.head.lower_ in ("on", "in", "at", "by", "via"))):
            sector = _best(agents)
            kind = "organisation"
            name = _strip_det(ent.text)
            actor = self._get(("org", name.lower()),
                              lambda: Actor("", name, kind, country, sector, None, None))
            self._mention(actor, start, end, "name", toks)
            return

        head_agent = next((a for a in agents if a[2] <= h.i <= a[3]), None)
        # a title with no name: "the president", "the Kremlin leader"
        singular = h.tag_ in ("NN", "NNP") if self._parsed[h.i] else not h.lower_.endswith("s")
        if head_agent is not None and head_agent[1] and singular and head_agent[0] == "GOV":
            person = self._title_holder(head_agent[4], country)
            if person is not None:
                self._mention(person, start, end, "title", toks)
                return
            if country is None and not hits:
                # "the President" in a story about one country: its holder, decided once the
                # whole article is read (see _finish)
                self.titles_pending.append((h, start, end, head_agent[4]))
                self.used.update(t.i for t in toks)
                return

        # a description: an agent word at the head, or in a phrase about something else
        # ("navy cook", "Lagos police headquarters")
        left_agents = [a for a in agents if a[3] < h.i]
        if head_agent is not None or (left_agents and (h.i not in self.tok_hit or self.tok_hit[h.i].how == "place")
                                       and (self._noun[h.i] or h.pos_ == "ADJ")):
            ag = head_agent or left_agents[-1]
            sector = ag[0]
            # a named group or institution in the phrase decides the sector of its members
            # ("Hamas fighters" REB, "FSB officers" SPY, "members of the Bundestag" LEG)
            org = next((x.entry for x in hits if x.entry is not None and x.entry.kind in
                        ("organisation", "group", "igo") and x.entry.sector), None)
            if org is not None and org.sector not in ("IGO", "GOV"):
                sector = org.sector
            if former and sector in ("GOV", "MIL", "LEG", "JUD", "SPY", "COP"):
                sector = "ELI"
            states = [x for x in hits if x.entry is not None and x.entry.kind == "state" and x.how != "place"]
            countries = _unique([x.entry.country for x in states if x.entry.sector is None])
            if len(countries) > 1 and all(x.end <= h.i and x.how in ("adjective", "name") for x in states) \
                    and any(doc[k].lower_ in ("and", "or", "&") for k in range(states[0].end, states[-1].start)):
                # "Russian and Ukrainian soldiers": one actor per country
                for k, x in enumerate(states):
                    s = doc[x.start].idx
                    e_ = (end if k == len(states) - 1 else doc[x.end - 1].idx + len(doc[x.end - 1]))
                    if k == len(states) - 1:
                        s = doc[x.start].idx
                    actor = self._description(x.entry.country, sector, h, doc[x.start:x.end].text + " " + h.text)
                    self._mention(actor, s, e_, "adjective", [])
                self.used.update(idx)
                return
            if country is None:
                org = next((x.entry for x in hits if x.entry is not None and x.entry.kind != "state"), None)
                if org is not None:
                    country = org.country
            name = _strip_det(self.text[start:end])
            actor = self._description(country, sector, h, name, kind=_desc_kind(h, ag, kb))
            how = "description"
            if not toks[0].lower_ in ("the", "a", "an") and how_c == "adjective":
                how = "adjective"
            self._mention(actor, start, end, how, toks)
            return

        # states, seats and their adjectives inside a phrase about something else
        for x in hits:
            if x.entry is None or x.how == "place":
                continue
            e = x.entry
            tok = _root(doc[x.start:x.end])
            # a state or capital used as a place ("the war in Ukraine", "a bomb in Baghdad") is
            # still the state: event coders code it as the target's country, never as a government
            as_place = tok.i == h.i and self._locative(h)
            s, e_ = doc[x.start].idx, doc[x.end - 1].idx + len(doc[x.end - 1])
            if x.start > 0 and doc[x.start - 1].lower_ == "the" and x.how != "adjective":
                s = doc[x.start - 1].idx
            if e.kind == "state" and e.sector is None and x.how == "metonym" and not as_place:
                actor = self._government(e)
            elif e.kind == "state" and e.sector is None:
                actor = self._get(e.id, lambda e=e: Actor("", e.name, e.kind, e.country, e.sector, None, e.id))
            else:
                actor = self._get(e.id, lambda e=e: Actor("", e.name, e.kind, e.country, e.sector, None, e.id))
            self._mention(actor, s, e_, x.how, [doc[k] for k in range(x.start, x.end)])

    # -- helpers: evidence --------------------------------------------------------------------
    def _country(self, hits, toks, context) -> tuple[Optional[str], Optional[str]]:
        # "pro-Iranian", "anti-Syria": a stance towards a country, not membership of it
        hits = [x for x in hits if not self._stance(x)]
        for x in hits:
            if x.how == "place":
                if x.country:
                    return x.country, "place"
                continue
            e = x.entry
            if e is None or e.kind == "person":
                continue
            if e.kind == "state" and e.sector is None:
                return e.country, x.how
        for x in hits:
            if x.entry is not None and x.entry.kind != "person" and x.entry.country:
                return x.entry.country, "org"
        return None, None

    def _stance(self, x: Hit) -> bool:
        doc = self.doc
        k = x.start
        return (k >= 2 and doc[k - 1].text == "-" and doc[k - 2].lower_ in STANCE_PREFIXES
                and doc[k - 1].idx == doc[k - 2].idx + len(doc[k - 2]))

    def _agents(self, toks, exclude) -> list:
        """Agent words in the phrase: [(sector, is_title, first token, last token, term)], longest
        terms first where they overlap, in text order."""
        kb = self.kb
        low, lem, noun, firsts = self._low, self._lem, self._noun, kb.agent_first
        words = [t.i for t in toks if t.i not in exclude and not self._punct[t.i]]
        found = []
        i = 0
        while i < len(words):
            hit = None
            w = words[i]
            if low[w] in firsts or lem[w] in firsts:
                for L in range(min(5, len(words) - i), 0, -1):
                    seq = words[i:i + L]
                    last = seq[-1]
                    if last - seq[0] != L - 1 or (L == 1 and not noun[last]):
                        continue
                    head = " ".join(low[k] for k in seq[:-1])
                    for f in ((head + " " if head else "") + low[last], (head + " " if head else "") + lem[last]):
                        if f in kb.agents:
                            hit = (kb.agents[f], f in kb.titles, seq[0], last, f)
                            break
                    if hit:
                        break
            if hit:
                found.append(hit)
                i += hit[3] - hit[2] + 1
            else:
                i += 1
        return found

    def _title_sector(self, agents, before: int) -> Optional[str]:
        titles = [a for a in agents if a[1] and a[3] < before]
        if titles:
            return titles[0][0]
        return _best(agents)

    def _is_person(self, ent) -> bool:
        if ent.text.lower() in SKIP_PERSONS or not self._propn[ent.root.i]:
            return False  # "climate marchers" tagged PERSON is a description, not a name
        is_place, _ = self.kb.place(ent.text)
        if is_place:
            return False
        root = ent.root
        # "Donetsk, Luhansk, Kherson": a list that holds a place is a list of places
        chain = [root.head] if root.dep_ == "conj" else []
        chain += [c for c in root.children if c.dep_ == "conj"]
        for c in chain:
            hit = self.tok_hit.get(c.i)
            if (hit is not None and (hit.how == "place" or (hit.entry is not None and hit.entry.kind == "state"))) \
                    or c.ent_type_ in ("GPE", "LOC"):
                return False
        return True

    def _locative(self, tok) -> bool:
        # "travelled to Moscow", "withdrawal from Donetsk" are places; "unacceptable to Kyiv",
        # "a call from Moscow" actors (the word lists are data: mention_words.yaml)
        return in_location_role(tok)

    def _names_below(self, h) -> bool:
        """Does a state, group or place hang below the head ("the leaders of Kenya and Uganda",
        "nations including Chile", "all sides in the war in Sudan")? Then the phrase is
        about them, not about nobody."""
        if not self._parsed[h.i]:
            return False
        return any(t.i != h.i and t.i in self.tok_hit and (self.tok_hit[t.i].entry is not None
                                                          or self.tok_hit[t.i].country)
                   for t in h.subtree)

    def _named_body(self, hits, h) -> bool:
        """A named organisation, group or person in the phrase, or a name at its head."""
        return any(x.entry is not None and x.entry.kind != "state" for x in hits) or \
            (self._propn[h.i] and h.i not in self.tok_hit)

    def _span(self, toks) -> tuple[int, int]:
        s = toks[0]
        e = toks[-1]
        while e.i > s.i and (e.is_punct or e.is_space):
            e = self.doc[e.i - 1]
        return s.idx, e.idx + len(e)

    # -- helpers: actors ----------------------------------------------------------------------
    def _get(self, key, make) -> Actor:
        a = self.actors.get(key)
        if a is None:
            a = make()
            self.actors[key] = a
        return a

    def _kb_person(self, e: Entry, former: bool = False) -> Actor:
        def make():
            role = e.role_at(self.date)
            sector = role.sector if role else e.sector
            title = role.title if role else None
            if e.former_at(self.date):
                sector, title = "ELI", f"former {title}" if title else None
            country = role.country if role else e.country
            return Actor("", e.name, "person", country, sector, title, e.id)
        return self._get(e.id, make)

    def _unknown_person(self, ent, country, sector, agents) -> Actor:
        name = _strip_det(ent.text).replace("’s", "").replace("'s", "").strip()
        last = name.split()[-1].lower() if name.split() else name.lower()
        # a surname after the full name
        for key, a in self.actors.items():
            if a.kind == "person" and a.kb_id is None and (
                    a.name.lower() == name.lower() or (len(name.split()) == 1 and a.name.split()[-1].lower() == last)):
                if a.country is None and country:
                    a.country = country
                if a.sector is None and sector:
                    a.sector = sector
                return a
        # a known person named in full earlier: "Johnson" after "Boris Johnson", "Kim" after
        # "Kim Jong Un" (family name first where that is the custom)
        if len(name.split()) == 1:
            for a in self.actors.values():
                parts = a.name.split()
                if a.kind != "person" or a.kb_id is None or len(parts) < 2:
                    continue
                family = {parts[-1].lower()} | ({parts[0].lower()} if a.country in FAMILY_NAME_FIRST else set())
                if last in family:
                    return a
        role = None
        titles = [a for a in agents if a[1]]
        if titles:
            role = titles[0][4]
        return self._get(("person", name.lower()), lambda: Actor("", name, "person", country, sector, role, None))

    def _government(self, state: Entry) -> Actor:
        adj = state.adjectives[0] if state.adjectives else state.name
        return self._get(("gov", state.country),
                         lambda: Actor("", f"{adj} government", "organisation", state.country, "GOV", None,
                                       state.id))

    def _description(self, country, sector, h, name, kind="group") -> Actor:
        key = ("desc", country, sector, self._lem[h.i])
        return self._get(key, lambda: Actor("", name, kind, country, sector, None, None))

    def _title_holder(self, title: str, country: Optional[str]) -> Optional[Actor]:
        title = {"premier": "prime minister", "head of state": "leader"}.get(title, title)
        if country:
            e = self.kb.holder(country, title, self.date)
            if e is None and title == "leader":
                e = self.kb.holder(country, "president", self.date)
            return self._kb_person(e) if e is not None else None
        # "the president" with no country: the person with that title already in the article
        best = None
        for a in self.actors.values():
            # "former president" ends in "president" but holds no title: "the president" is the
            # one in office (a former holder named earlier is not who "the president" means)
            if a.kind == "person" and a.role and not a.role.lower().startswith(("former ", "ex-")) and (
                    a.role.lower() == title or a.role.lower().endswith(" " + title)):
                last = max((m.start for m in a.mentions), default=-1)
                if best is None or last > best[0]:
                    best = (last, a)
        return best[1] if best else None

    def _mention(self, actor: Actor, start: int, end: int, how: str, toks) -> None:
        if any(m.start == start and m.end == end for m in actor.mentions):
            return
        actor.mentions.append(Mention(start, end, self.text[start:end], how))
        self.used.update(t.i for t in toks)

    # -- 4. pronouns and pairs ----------------------------------------------------------------
    def _pronouns_and_groups(self) -> None:
        doc = self.doc
        sents = list(doc.sents)
        sent_of = {}
        for k, s in enumerate(sents):
            for t in s:
                sent_of[t.i] = k
        char_sent = lambda c: sent_of.get(_tok_at(doc, c).i, 0)  # noqa: E731
        named = []  # (start, end, sent, is_subject, in_quote, actor)
        for a in self.actors.values():
            for m in a.mentions:
                tok = _tok_at(doc, m.start)
                head = _phrase_head(doc.char_span(m.start, m.end, alignment_mode="expand").root) \
                    if doc.char_span(m.start, m.end, alignment_mode="expand") is not None else tok
                named.append((m.start, m.end, char_sent(m.start), head.dep_ in ("nsubj", "nsubjpass"),
                              self._in_quote(m.start), a))
        named.sort(key=lambda x: x[0])
        for t in doc:
            low = t.lower_
            if low not in MALE | FEMALE | PLURAL or (self._parsed[t.i] and t.pos_ != "PRON"):
                continue
            if any(m.start <= t.idx < m.end for a in self.actors.values() for m in a.mentions):
                continue
            k = sent_of[t.i]
            q = self._in_quote(t.idx)
            if low in PLURAL:
                ok = lambda a: a.kind in ("state", "group", "organisation", "igo")  # noqa: E731
            else:
                gender = "m" if low in MALE else "f"
                ok = lambda a, g=gender: a.kind == "person" and self._gender(a) in (None, g)  # noqa: E731
            best = None
            counted = 0
            for back in range(0, 30):
                sk = k - back
                if sk < 0 or counted > 3:
                    break
                # sentences inside a quotation do not count towards the window: "…” he added"
                # after a long quote still reaches the speaker named before it
                if back == 0 or not self._in_quote(sents[sk].start_char):
                    counted += 1
                cands = [x for x in named if x[2] == sk and x[0] < t.idx and ok(x[5])
                         and (q or not x[4] or back == 0 and self._same_quote(x[0], t.idx))]
                if not q:
                    outside = [x for x in cands if not x[4]]
                    cands = outside or ([] if back else cands)
                if not cands:
                    continue
                if back == 0:
                    best = max(cands, key=lambda x: (x[3], x[0]))
                else:
                    subj = [x for x in cands if x[3]]
                    best = (subj or cands)[0] if not low in PLURAL else (subj or cands)[-1]
                break
            if best is not None:
                best[5].mentions.append(Mention(t.idx, t.idx + len(t), t.text, "pronoun"))
        # a bare surname of a person found only in the text ("Goncharenko voted")
        surnames = {}
        for a in self.actors.values():
            if a.kind == "person" and a.kb_id is None and len(a.name.split()) > 1:
                surnames.setdefault(a.name.split()[-1], a)
        for t in doc:
            a = surnames.get(t.text)
            if a is not None and self._propn[t.i] and t.i not in self.used \
                    and not any(m.start <= t.idx < m.end for m in a.mentions):
                first = min(m.start for m in a.mentions)
                if t.idx > first:
                    a.mentions.append(Mention(t.idx, t.idx + len(t), t.text, "name"))
        # "Ukraine, which still asserts …": a relative pronoun is its antecedent
        for t in doc:
            if t.lower_ in ("who", "which", "whose") and t.head.dep_ == "relcl":
                ante = t.head.head
                for a in self.actors.values():
                    if any(m.start <= ante.idx < m.end and m.how != "pronoun" for m in a.mentions):
                        a.mentions.append(Mention(t.idx, t.idx + len(t), t.text, "pronoun"))
                        break
        # pairs: the last "X and Y" before each "two sides"
        for (s_i, e_i, noun) in self.pairs_pending:
            start = doc[s_i].idx
            want_person = noun in PERSON_PAIR_NOUNS
            pair = self._last_pair(start, want_person)
            if pair:
                end = doc[e_i - 1].idx + len(doc[e_i - 1])
                for a in pair:
                    a.mentions.append(Mention(start, end, self.text[start:end], "group"))

    def _last_pair(self, before: int, want_person: bool):
        mentions = sorted(((m.start, m.end, a) for a in self.actors.values() for m in a.mentions
                           if m.start < before and m.how != "pronoun"), key=lambda x: x[0])
        best = None
        kinds = {"person"} if want_person else {"state"}
        if not want_person and not any(a.kind == "state" for _, _, a in mentions):
            kinds = {"organisation", "group", "igo"}
        for i, (s, e, a) in enumerate(mentions):
            if a.kind not in kinds:
                continue
            for s2, e2, b in mentions[i + 1:]:
                if b is a or b.kind not in kinds or s2 - e > 40:
                    continue
                between = self.text[e:s2].strip().lower()
                if between in ("and", "&", "as well as", ",") or between.endswith(" and"):
                    best = (a, b)
        return best

    def _gender(self, a: Actor) -> Optional[str]:
        kb = self.kb.entries[a.kb_id].gender if a.kb_id and a.kb_id in self.kb.entries else None
        return person_gender(a.name, kb)

    def _in_quote(self, c: int) -> bool:
        return any(s <= c < e for s, e in self.quotes)

    def _same_quote(self, a: int, b: int) -> bool:
        return any(s <= a < e and s <= b < e for s, e in self.quotes)

    def _place_by_context(self) -> None:
        """An official, force or titled person found only in the text and with no country in its
        own phrase ("President Ana Quispe", "the police") takes the country of the nearest
        state named in the same sentence, else the state the article is mostly about."""
        doc = self.doc
        states = [(m.start, a.country) for a in self.actors.values()
                  if a.country and (a.kind == "state" or (a.kb_id or "").startswith("state:")) for m in a.mentions
                  if m.how != "pronoun"]
        if not states:
            return
        counts: dict = {}
        for _, c in states:
            counts[c] = counts.get(c, 0) + 1
        top = max(counts, key=counts.get)
        dominant = top if counts[top] >= 2 and counts[top] >= 0.5 * len(states) else None
        for a in self.actors.values():
            if a.country is not None or a.kb_id is not None or not a.mentions:
                continue
            if a.sector not in PLACED_SECTORS and not (a.kind == "person" and a.role):
                continue
            m = a.mentions[0]
            if set(m.text.lower().split()) & NOT_LOCAL:
                continue  # "foreign troops stationed in Ukraine" are not Ukraine's
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            sent = span.sent if span is not None else None
            # A person is placed by what stands before the name ("Peru's President Ana Quispe
            # …"), never by the states the sentence goes on to talk about: a prosecutor who
            # questions Russians is not Russian.
            near = [(abs(st - m.start), c) for st, c in states
                    if sent is not None and sent.start_char <= st < sent.end_char
                    and (a.kind != "person" or st < m.start)]
            if near:
                a.country = min(near)[1]
            elif dominant:
                a.country = dominant

    def _dominant_state(self) -> Optional[str]:
        """The state an article is mostly about: named at least twice and in at least half of
        the mentions of states, else None."""
        counts: dict = {}
        for a in self.actors.values():
            if a.country and (a.kind == "state" or (a.kb_id or "").startswith("state:")):
                counts[a.country] = counts.get(a.country, 0) + sum(1 for m in a.mentions if m.how != "pronoun")
        if not counts:
            return None
        top = max(counts, key=counts.get)
        return top if counts[top] >= 2 and counts[top] >= 0.5 * sum(counts.values()) else None

    def _titles_by_article(self) -> None:
        dominant = self._dominant_state()
        for h, start, end, title in self.titles_pending:
            person = self._title_holder(title, dominant) if dominant else None
            if person is None:
                person = self._description(None, "GOV", h, _strip_det(self.text[start:end]), kind="person")
            person.mentions.append(Mention(start, end, self.text[start:end], "title"))

    def _finish(self) -> None:
        self._titles_by_article()
        self._place_by_context()
        actors = [a for a in self.actors.values() if a.mentions]
        for a in actors:
            a.mentions.sort(key=lambda m: (m.start, m.end))
        actors.sort(key=lambda a: a.mentions[0].start)
        for k, a in enumerate(actors, 1):
            a.id = f"A{k}"
        self.document.actors.extend(actors)


# -- tree helpers -----------------------------------------------------------------------------
def _root(span):
    return span.root


def _phrase_head(t):
    """The noun a modifier belongs to: "Russian" → "delegation", "Ukraine" ('s) → "Ministry"."""
    seen = 0
    while seen < 8:
        seen += 1
        if t.dep_ == "conj" and t.head.dep_ in MOD_DEPS and t.head.i < t.i:
            t = t.head
            continue
        if t.dep_ in MOD_DEPS and t.head.i > t.i and t.head.pos_ in NOUNISH | {"NUM"}:
            t = t.head
            continue
        break
    return t


def _attached_to(t):
    """The head this phrase completes: of/for complements and appositions."""
    if t.dep_ == "appos":
        lo, hi = sorted((t.i, t.head.i))
        if any(x.text in ("-", "–", "—", ")") for x in t.doc[lo:hi]):
            return None  # a dateline's agency and the sentence's subject: two phrases
        return t.head
    if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ in COMPLEMENT_PREPS:
        outer = t.head.head
        if outer.pos_ in NOUNISH:
            return outer
    return None


def _left_part(h):
    """h and its left modifiers (with their own subtrees)."""
    out = [h]
    for c in h.lefts:
        if c.dep_ in MOD_DEPS or c.dep_ == "conj":
            out.extend(c.subtree)
        elif c.dep_ == "cc" or c.dep_ == "punct" and c.text in ("-",):
            out.append(c)
    return out


def _contiguous(ordered, h):
    """The run of tokens around h with no gap (a gap means a clause we do not want)."""
    if not ordered:
        return [h]
    pos = {t.i for t in ordered}
    lo = hi = h.i
    while lo - 1 in pos:
        lo -= 1
    while hi + 1 in pos:
        hi += 1
    # allow a comma before an apposition ("a spokesman for X, Name")
    while True:
        nxt = hi + 1
        if nxt + 1 in pos and h.doc[nxt].is_punct and h.doc[nxt].text == ",":
            hi = nxt + 1
            while hi + 1 in pos:
                hi += 1
            continue
        break
    toks = [t for t in ordered if lo <= t.i <= hi]
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    if len(toks) > MAX_SPAN_TOKENS:
        toks = [t for t in toks if abs(t.i - h.i) < MAX_SPAN_TOKENS // 2] or [h]
    return toks or [h]


def _tok_at(doc, char):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]


def _unique(items):
    out = []
    for x in items:
        if x is not None and all(x is not y for y in out) and x not in out:
            out.append(x)
    return out


def _best(agents) -> Optional[str]:
    return agents[-1][0] if agents else None


def _foreign(entry: Entry) -> set:
    """Country evidence compatible with an organisation: none, or its own country."""
    return {None, entry.country}


def _strip_det(s: str) -> str:
    s = s.strip()
    for d in ("the ", "The ", "a ", "A ", "an ", "An "):
        if s.startswith(d):
            return s[len(d):]
    return s


def _is_adj(hit: Optional[Hit]) -> bool:
    return hit is not None and hit.how == "adjective"


def _crude_lemma(word: str) -> str:
    """A noun's singular when spaCy gave no lemma (unparsed sentence): "troops" stays, "forces" → "force"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _desc_kind(h, agent, kb) -> str:
    if h.tag_ in ("NNS", "NNPS") or (not h.tag_ and h.lower_.endswith("s")):
        return "group"
    if agent[1]:
        return "person"
    return "organisation"


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly pairs, or straight quotes paired)."""
    out = []
    for m in re.finditer(r"“[^”]*”|\"[^\"\n]*\"", text):
        out.append((m.start(), m.end()))
    return out


def resolve_phrase(text: str, published: Optional[str] = None, nlp=None,
                   resolver: Optional[ActorResolver] = None) -> Optional[Actor]:
    """The actor a short phrase ("Kremlin spokesman Dmitry Peskov", "Ukrainian forces") refers to:
    the one whose mention covers most of it, or None."""
    if nlp is None:
        from ..nlp import load_spacy
        nlp = load_spacy()
    resolver = resolver or ActorResolver(nlp)
    doc = nlp(text)
    document = Document(text=text, published=published)
    resolver.annotate(doc, document)
    best, best_len = None, 0
    for a in document.actors:
        for m in a.mentions:
            if m.how == "pronoun" and len(text.split()) > 1:
                continue
            if m.end - m.start > best_len:
                best, best_len = a, m.end - m.start
    return best
