"""Speaker phrases and how a reader names them: the subject of a reporting verb, the phrase
around it, the best actor mention in it, groups a name qualifies, joint speakers and titles."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..datafiles import load_yaml

from ..model import Actor, ActorRef, Document, Mention

# Doc.text joins every token; the finder stores the text here once per article
_TEXT_KEY = "eventwire_quotes_text"


def _text_of(doc) -> str:
    text = doc.user_data.get(_TEXT_KEY)
    return doc.text if text is None else text


SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")

# Children of a speaker's head word that still belong to the speaker phrase ("a spokesman for the
# ministry, Heorhii Tykhyi"); relative clauses and the like are left out.
SPEAKER_RIGHT_DEPS = ("appos", "prep", "compound", "flat", "pobj", "nummod", "amod")
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_JOINT = re.compile(r"(?i)(?:both(?: men| women| leaders| sides| countries| governments| ministers)?|"
                    r"the two \w+|the (?:leaders|presidents|ministers|sides|delegations))$")
_JOINT_STATES = re.compile(r"(?i)\b(?:sides|countries|governments|delegations|nations)\b")


def _last_two(document: Document, before: int, person: bool) -> Optional[tuple]:
    """The two actors of one kind named last before ``before`` (for "the two leaders")."""
    seen = []
    for actor, m in sorted(((a, m) for a in document.actors for m in a.mentions
                            if m.end <= before and m.how == "name"), key=lambda am: -am[1].start):
        ok = actor.kind == "person" if person else actor.kind in ("state", "organisation", "igo", "group")
        if ok and actor not in seen:
            seen.append(actor)
            if len(seen) == 2:
                return seen[1], seen[0]
    return None


@lru_cache(maxsize=1)
def _title_short() -> dict:
    data = (load_yaml("quotes", "speaker_nouns.yaml") or {}).get("title_short") or {}
    return {str(k).lower(): frozenset(str(n).lower() for n in v or ()) for k, v in data.items()}


def _titled_before(doc, head, before: int):
    """The nearest person named before ``before`` with ``head``'s noun as a title next to the
    name ("Fox News host Tucker Carlson", "Charles Schumer, the New York Democrat")."""
    word = head.lower_
    text = _text_of(doc)
    best = None
    shorts = [k for k, nouns in _title_short().items() if word in nouns]
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.end_char > before or len(ent) < 2:
            continue
        left = text[max(0, ent.start_char - 40):ent.start_char].lower()
        if any(left.rstrip().endswith(k) and (len(left.rstrip()) == len(k) or not left.rstrip()[-len(k) - 1].isalpha())
               for k in shorts):
            best = ent          # "Sen. Mark Warner" … "the senator"
            continue
        right = text[ent.end_char:ent.end_char + 60].lower()
        if re.search(rf"\b{re.escape(word)}\W*$", left) or re.match(rf",\s+(?:a|an|the)\s+(?:[\w.'’-]+\s+){{0,4}}{re.escape(word)}\b", right):
            best = ent
    return best


def _named_person(head):
    """The person's name that is the speaker phrase's head, or in apposition to its head."""
    cands = [head] + [c for c in head.children if c.dep_ == "appos"]
    for t in cands:
        if t.pos_ == "PROPN" and t.ent_type_ == "PERSON":
            for ent in t.doc.ents:
                if ent.start <= t.i < ent.end and ent.label_ == "PERSON":
                    return ent
    return None


def _name_of(tok):
    """The proper name a PROPN token ends (its compound and flat parts)."""
    left = tok
    for c in tok.lefts:
        if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN":
            left = c if c.i < left.i else left
    return tok.doc[left.i:tok.i + 1]


def _modifies(mention: Mention, head) -> bool:
    """True when the mention is a modifier inside the speaker phrase headed by ``head`` ("Obama"
    in "the Obama campaign", "U.S." in "a senior U.S. official"), not a name in apposition."""
    for t in head.lefts:
        if t.dep_ in ("compound", "poss", "amod", "nmod", "npadvmod") and t.idx < mention.end \
                and mention.start < t.right_edge.idx + len(t.right_edge) and t.left_edge.idx <= mention.start:
            return True
    for t in head.rights:      # "a spokesman for Netanyahu", "officials of the ministry"
        if t.dep_ == "prep" and t.lower_ in ("for", "of", "from", "at", "in") and t.idx < mention.start \
                and mention.end <= t.right_edge.idx + len(t.right_edge):
            return True
    return False


def _same_speaker(a: ActorRef, b: ActorRef) -> bool:
    if a.actor or b.actor:
        return a.actor == b.actor
    return bool(a.name) and bool(b.name) and a.name.split()[-1].lower() == b.name.split()[-1].lower()


def _subject(verb):
    """The speaker word of a reporting verb: its subject, the agent of a passive, the one quoted
    ("quoted Kim as saying"), or the subject of the verb it hangs from ("…, adding that …",
    "said and added", "issued a statement saying …")."""
    quote = verb if verb.lemma_.lower() == "quote" else None
    if quote is None and verb.dep_ == "pcomp" and verb.head.lower_ == "as" \
            and verb.head.head.lemma_.lower() == "quote":
        quote = verb.head.head
    if quote is not None and any(c.dep_ == "prep" and c.lower_ == "as" for c in quote.children):
        obj = next((c for c in quote.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS:
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    node = verb
    for _ in range(4):
        if node.dep_ not in ("conj", "advcl", "xcomp", "acl", "dobj", "pobj", "prep", "pcomp") \
                or node.head is node:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None:
                return subj
    # A parse that lost the subject: the name or pronoun right before the verb ("… Trump said",
    # "… May said", where the tagger took the name for a modal).
    i = verb.i - 1
    while i >= verb.sent.start and verb.doc[i].pos_ in ("AUX", "ADV", "PART") \
            and not (verb.doc[i].tag_ == "MD" and verb.doc[i].text[:1].isupper() and i > verb.sent.start):
        i -= 1
    if i >= verb.sent.start and (verb.doc[i].pos_ in ("PROPN", "PRON", "NOUN") or verb.doc[i].tag_ == "MD") \
            and verb.doc[i].dep_ != "dobj":
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
    text = _text_of(tok.doc)
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
