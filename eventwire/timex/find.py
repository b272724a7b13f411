"""Finding: run every rule of the grammar over the text, keep the longest non-overlapping
matches that their handler accepts, trim them to TimeML's extent, then resolve what needs the
other timexes (anaphors such as "that day", clock times without a day). Also the publication
date a dateline gives."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from .dates import safe_date, shift_ref
from .grammar import Grammar, alt, grammar
from .normalise import ANAPHOR, CLOCK, Normaliser


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    type: str
    value: str
    anchored: bool = True



def find_timexes(doc, dct: Optional[dt.date], g: Optional[Grammar] = None) -> list[Found]:
    """All temporal expressions in the spaCy ``doc``, normalised against ``dct``."""
    g = g or grammar()
    text = doc.text
    low = text.lower()
    cands: list[tuple[int, int, str, re.Match]] = []
    for pat, name in g.rules:
        needles = g.needles.get(pat)
        if needles and not any(n in low for n in needles):
            continue
        for m in pat.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), m.end(), name, m))
    # longest first; among equals, the earlier rule (more specific) first
    order = {name: i for i, (_, name) in enumerate(g.rules)}
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0], order[c[2]]))
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    ctx = Normaliser(doc, dct, g)
    for start, end, name, m in cands:
        if any(s < end and start < e for s, e in taken):
            continue
        if name == "skip":
            continue
        res = getattr(ctx, "h_" + name)(m)
        if res is None:
            continue
        typ, value, anchored = res
        lead = LEADING.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
        # trailing punctuation never belongs to the expression
        while end > start and text[end - 1] in ".,;:" and not re.search(r"[ap]\.m\.$|\b\w\.$", text[start:end], re.I):
            end -= 1
        taken.append((start, end))
        found.append(Found(start, end, typ, value, anchored))
    found.sort(key=lambda f: f.start)
    # sentence bounds cost a walk over the whole parse: only a clock time without a day needs them
    needs_sentences = any(f.value.startswith(CLOCK) for f in found) and doc.has_annotation("SENT_START")
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if needs_sentences else []
    return resolve_anaphors(found, dct, g, sentences)


def resolve_anaphors(found: list[Found], dct: Optional[dt.date], g: Grammar,
                      sentences: list[tuple[int, int]] = ()) -> list[Found]:
    """"that day", "the next morning", "the following year": relative to the last date before them
    in the text (the reference time of the narrative), else to the publication date. A clock time
    with no day of its own ("at 10 p.m.") takes the day a date of its sentence gives, else the
    publication date."""
    out: list[Found] = []
    ref: Optional[str] = None
    for f in found:
        if f.value.startswith(CLOCK):
            sent = next(((a, b) for a, b in sentences if a <= f.start < b), (f.start, f.end))
            days = [o for o in found if o is not f and sent[0] <= o.start < sent[1]
                    and re.fullmatch(r"\d{4}-\d\d-\d\d(T\w+)?", o.value)]
            days.sort(key=lambda o: abs(o.start - f.start))
            if days:
                day, anchored = days[0].value[:10], days[0].anchored
            elif dct is not None:
                day, anchored = dct.isoformat(), True
            else:
                day, anchored = "XXXX-XX-XX", False
            f = Found(f.start, f.end, "TIME", f"{day}T{f.value[len(CLOCK):]}", anchored)
        if f.value.startswith(ANAPHOR):
            unit, offset = f.value[len(ANAPHOR):].split(":")
            value = shift_ref(ref, unit, int(offset), g.parts) if ref else None
            anchored = True
            if value is None and dct is not None:
                value = shift_ref(dct.isoformat(), unit, int(offset), g.parts)
            if value is None:
                value, anchored = "XXXX-XX-XX", False
            f = Found(f.start, f.end, "TIME" if "T" in value[4:] else "DATE", value, anchored)
        out.append(f)
        if f.type in ("DATE", "TIME") and re.match(r"\d{4}", f.value):
            ref = f.value
    return out


# words a pattern may need for its reading but that TimeML leaves outside the expression
LEADING = re.compile(r"(?:(?:at|about|around|over|during|for|in|within|after|on|since|by|until)\s+)+(?:the\s+(?=\d{4}\b))?|the\s+(?=\d{4}\b)", re.I)



# -- publication date -------------------------------------------------------------------------

_DATELINE_WINDOW = 400


def dateline_date(text: str) -> Optional[str]:
    """The ISO date of a dateline near the top of ``text`` ("May 17, 2025 —",
    "WASHINGTON, May 17, 2025 (Reuters) -", "2025-05-17"), or None. A dateline without a year
    ("WASHINGTON, May 17 (Reuters)") gives no date: the year would be a guess."""
    g = grammar()
    head = text[:_DATELINE_WINDOW]
    mon = alt(g.months)
    pats = [
        rf"(?P<mon>{mon})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b",
        rf"\b(?P<day>\d{{1,2}})\s+(?P<mon>{mon})\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
        r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)\b",
    ]
    best = None
    for p in pats:
        m = re.search(p, head, re.IGNORECASE)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    mon = best["mon"]
    month = int(mon) if mon.isdigit() else g.months[mon.lower()]
    d = safe_date(int(best["year"]), month, int(best["day"]))
    return d.isoformat() if d else None


def parse_published(value: Optional[str]) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None

