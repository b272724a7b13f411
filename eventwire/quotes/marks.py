"""Quotation marks and the quote lexicon: every common style of mark, apostrophes told apart
from single quotes, and the open-paragraph convention for quotes that run over paragraphs."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..datafiles import data_path, load_yaml
from ..errors import KnowledgeBaseError

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
    quoting_verbs: frozenset = frozenset()


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
                        _word_list("abbreviations.txt"), _word_list("quoting_verbs.txt"))

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
            can_open = role in ("open", "either") and not _is_word(before) and (_is_word(after) or after in "\"“") \
                and not (after in "sS" and not _is_word(text[i + length + 1:i + length + 2] or " "))
            # ("U.K.'s": a possessive after an abbreviation is no quote)
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


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces, quote marks and the comma before an attribution off both ends of a span."""
    while s < e and (text[s].isspace() or text[s] in "\"“”‘’'«»`,;:—–"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–\"“”‘’'«»`"):
        e -= 1
    return s, e
