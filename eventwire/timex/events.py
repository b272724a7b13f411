"""Event dates: which timex of a sentence dates an event trigger, by the clause both belong to."""
from __future__ import annotations

import re
from typing import Optional

import numpy as np
from spacy.symbols import AUX, NOUN, PROPN, VERB

from ..model import Document, Span, Timex

_REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


_GOVERNORS = "_eventwire_timex_governors"
_CLAUSE_LINKS = ("conj", "xcomp", "advcl", "acl", "relcl", "pcomp")


def _governors(doc) -> dict[int, tuple[int, tuple[int, ...], int]]:
    """token start -> (start of its governing verb, starts of the verbs that verb hangs from
    through conj/xcomp/advcl/acl links, start of the noun it modifies or -1).

    Read from the parse as arrays: making a spaCy Token for every step up the tree cost more
    than all the timex patterns together."""
    n = len(doc)
    if not n:
        return {}
    arr = doc.to_array(["HEAD", "POS", "DEP", "IDX"])
    heads = (np.arange(n, dtype="int64") + arr[:, 0].astype("int64")).tolist()
    pos, dep, idx = arr[:, 1].tolist(), arr[:, 2].tolist(), arr[:, 3].tolist()
    strings = doc.vocab.strings
    links = {strings[d] for d in _CLAUSE_LINKS}
    modifiers = {strings[d] for d in ("nummod", "compound", "amod", "poss", "nmod")}
    verbs, nouns = {VERB, AUX}, {NOUN, PROPN}

    def verb_of(i: int) -> int:
        steps = 0
        while pos[i] not in verbs and heads[i] != i and steps < 8:
            i, steps = heads[i], steps + 1
        return i

    table = {}
    for i in range(n):
        gov = verb_of(i)
        chain, link = [], gov
        while dep[link] in links and len(chain) < 4:
            link = verb_of(heads[link])
            chain.append(idx[link])
        h = heads[i]
        noun = idx[h] if dep[i] in modifiers and pos[h] in nouns else -1
        table[idx[i]] = (idx[gov], tuple(chain), noun)
    return table


def _same_clause(gov: dict, timex: Timex, trigger: Span) -> Optional[bool]:
    """Whether the timex dates the trigger's clause (or one it is chained to by conj, xcomp,
    advcl, acl: "hit Kyiv on Monday, killing 12"); None when unknown. A timex that modifies a
    noun ("the 2022 invasion") dates that noun only."""
    def entry(start: int, end: int):
        starts = [k for k in range(start, end) if k in gov]
        return gov[starts[-1]] if starts else None

    t, g = entry(timex.start, timex.end), entry(trigger.start, trigger.end)
    if t is None or g is None:
        return None
    if t[2] >= 0:
        return trigger.start <= t[2] < trigger.end
    return t[0] == g[0] or t[0] in g[1] or g[0] in t[1]


def event_date(document: Document, sentence: Span, trigger: Span) -> tuple[Optional[str], Optional[str]]:
    """The date of the event stated by ``trigger`` in ``sentence``, and the Timex id it comes from.

    Takes the anchored DATE/TIME timex of the sentence that belongs to the trigger's clause (by
    the parse kept from the timex stage), closest first; "Peskov said Saturday that Russia is open
    to a meeting" dates the saying, not the meeting. Without the parse (a Document read back from
    JSON) the closest timex of the sentence is taken, a timex right after the trigger ("speak … on
    Monday") winning a tie. Durations, sets and vague references (PRESENT_REF …) date nothing.
    "said on Friday" dates the saying: the same rule, with the reporting verb as the trigger.
    Returns (None, None) when no timex fits.
    """
    gov = document.__dict__.get(_GOVERNORS)
    best = None
    for t in document.timexes:
        if t.type not in ("DATE", "TIME") or not t.anchored or t.value in _REFS:
            continue
        if not (sentence.start <= t.start and t.end <= sentence.end):
            continue
        value = _date_part(t.value)
        if value is None:
            continue
        if gov is not None and _same_clause(gov, t, trigger) is False:
            continue
        if t.start >= trigger.end:
            dist = (t.start - trigger.end, 0)
        elif t.end <= trigger.start:
            dist = (trigger.start - t.end, 1)
        else:
            dist = (0, 0)
        if best is None or dist < best[0]:
            best = (dist, value, t.id)
    return (best[1], best[2]) if best else (None, None)


def _date_part(value: str) -> Optional[str]:
    """The calendar part of a TIMEX3 value: "2025-05-19TMO" -> "2025-05-19"; None if not a date."""
    v = value.split("T")[0]
    if re.fullmatch(r"\d{4}(-\d\d(-\d\d)?|-W\d\d(-WE)?|-Q[1-4]|-(SP|SU|FA|WI))?", v):
        return v
    return None
